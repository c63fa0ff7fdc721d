"""TrainingCurveDisplay: construction, plotting, from_estimator, errors."""

import builtins
import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning, NotFittedError
from sklearn.frozen import FrozenEstimator
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from sklearn_seq import GRUClassifier, GRURegressor
from sklearn_seq.inspection import TrainingCurveDisplay

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def sequences():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in rng.randint(1, 12, size=60)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    return X, y


def _fit(est, X, y):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return est.fit(X, y)


def test_plot_loss_only():
    display = TrainingCurveDisplay(loss_curve=[3.0, 2.0, 1.5], estimator_name="Net")
    assert display.plot() is display
    assert len(display.lines_) == 1
    np.testing.assert_array_equal(display.lines_[0].get_xdata(), [1, 2, 3])
    np.testing.assert_array_equal(display.lines_[0].get_ydata(), [3.0, 2.0, 1.5])
    assert display.lines_[0].get_label() == "Net: training loss"
    assert display.ax_validation_ is None and display.best_epoch_ is None
    assert display.figure_ is display.ax_.figure
    assert display.ax_.get_xlabel() == "Epoch"


def test_plot_with_validation_marks_best_epoch():
    display = TrainingCurveDisplay(
        loss_curve=[3.0, 2.0, 1.5, 1.4], validation_scores=[0.5, 0.7, 0.8, 0.75]
    ).plot()
    assert len(display.lines_) == 2
    assert display.best_epoch_ == 3
    assert display.ax_validation_ is not display.ax_
    assert display.ax_validation_.figure is display.figure_
    np.testing.assert_array_equal(display.lines_[1].get_ydata(), [0.5, 0.7, 0.8, 0.75])
    assert display.lines_[0].get_label() == "training loss"
    # the best epoch is marked by a vertical line on the loss axes
    assert any(np.all(np.asarray(line.get_xdata()) == 3) for line in display.ax_.lines[1:])


def test_plot_on_given_axes_and_kwargs():
    fig, ax = plt.subplots()
    first = TrainingCurveDisplay(loss_curve=[2.0, 1.0], validation_scores=[0.1, 0.2]).plot(
        ax=ax, name="a", loss_kw={"color": "red"}
    )
    second = TrainingCurveDisplay(loss_curve=[2.5, 1.5], validation_scores=[0.2, 0.3]).plot(
        ax=ax, name="b", validation_ax=first.ax_validation_, mark_best=False
    )
    assert first.ax_ is ax and second.ax_ is ax and first.figure_ is fig
    assert second.ax_validation_ is first.ax_validation_
    assert first.lines_[0].get_color() == "red"
    assert first.lines_[1].get_color() == "red"  # validation follows the loss's colour
    assert second.lines_[1].get_label() == "b: validation score"
    legend = [text.get_text() for text in ax.get_legend().get_texts()]
    assert legend == [
        "a: training loss",
        "b: training loss",
        "a: validation score",
        "b: validation score",
    ]


@pytest.mark.parametrize(
    "kwargs, match",
    [
        (dict(loss_curve=[]), "non-empty 1D"),
        (dict(loss_curve=[[1.0, 2.0]]), "non-empty 1D"),
        (dict(loss_curve=[1.0, 2.0], validation_scores=[0.5]), "shape of loss_curve"),
    ],
)
def test_plot_bad_curves(kwargs, match):
    with pytest.raises(ValueError, match=match):
        TrainingCurveDisplay(**kwargs).plot()


@pytest.mark.parametrize("early_stopping", [False, True])
def test_from_estimator(sequences, early_stopping):
    X, y = sequences
    clf = _fit(
        GRUClassifier(hidden_size=4, max_iter=3, early_stopping=early_stopping, random_state=0),
        X,
        y,
    )
    display = TrainingCurveDisplay.from_estimator(clf)
    assert display.estimator_name == "GRUClassifier"
    np.testing.assert_allclose(display.lines_[0].get_ydata(), clf.loss_curve_)
    assert len(display.lines_[0].get_xdata()) == clf.n_iter_
    if early_stopping:
        np.testing.assert_allclose(display.lines_[1].get_ydata(), clf.validation_scores_)
        assert display.best_epoch_ == int(np.argmax(clf.validation_scores_)) + 1
    else:
        assert len(display.lines_) == 1


def test_from_estimator_pipeline_search_and_mlp(sequences):
    X, y = sequences
    pipe = _fit(
        make_pipeline(FunctionTransformer(), GRURegressor(hidden_size=4, max_iter=2)),
        X,
        y.astype(float),
    )
    display = TrainingCurveDisplay.from_estimator(pipe, name="pipe")
    assert display.lines_[0].get_label() == "pipe: training loss"
    np.testing.assert_allclose(display.lines_[0].get_ydata(), pipe[-1].loss_curve_)

    Xf = np.random.RandomState(0).randn(40, 3)
    yf = (Xf[:, 0] > 0).astype(int)
    search = _fit(
        GridSearchCV(MLPClassifier(max_iter=5, random_state=0), {"alpha": [1e-4, 1e-2]}, cv=2),
        Xf,
        yf,
    )
    display = TrainingCurveDisplay.from_estimator(search)
    assert display.estimator_name == "MLPClassifier"
    np.testing.assert_allclose(display.lines_[0].get_ydata(), search.best_estimator_.loss_curve_)
    # a FrozenEstimator (for CalibratedClassifierCV, TunedThresholdClassifierCV) is unwrapped
    frozen = FrozenEstimator(pipe[-1])
    assert TrainingCurveDisplay.from_estimator(frozen).estimator_name == "GRURegressor"


def test_from_estimator_errors():
    with pytest.raises(NotFittedError):
        TrainingCurveDisplay.from_estimator(GRUClassifier())
    Xf = np.random.RandomState(0).randn(20, 2)
    lr = LogisticRegression().fit(Xf, (Xf[:, 0] > 0).astype(int))
    with pytest.raises(TypeError, match="no loss_curve_"):
        TrainingCurveDisplay.from_estimator(lr)


def test_epochs_without_validation_keep_the_curves_aligned(sequences):
    X, y = sequences
    clf = _fit(GRUClassifier(hidden_size=4, max_iter=3, early_stopping=True, random_state=0), X, y)
    assert TrainingCurveDisplay.from_estimator(clf).best_epoch_ == (
        int(np.argmax(clf.validation_scores_)) + 1
    )
    clf.set_params(early_stopping=False).partial_fit(X, y)  # an epoch without validation
    assert len(clf.validation_scores_) == len(clf.loss_curve_) == clf.n_iter_
    assert np.isnan(clf.validation_scores_[-1])
    # the weights are now that epoch's, not those of the best validation epoch
    assert clf.best_validation_score_ is None
    display = TrainingCurveDisplay.from_estimator(clf)
    assert display.best_epoch_ is None and len(display.lines_) == 2
    # early stopping again: its best epoch is among the epochs since, whatever came before
    _fit(clf.set_params(early_stopping=True, warm_start=True, max_iter=2), X, y[::-1])
    best = TrainingCurveDisplay.from_estimator(clf).best_epoch_
    assert best in (5, 6) and clf.validation_scores_[best - 1] == clf.best_validation_score_
    warm = _fit(GRUClassifier(hidden_size=4, max_iter=2, warm_start=True, random_state=0), X, y)
    _fit(warm.set_params(early_stopping=True), X, y)  # turned on for the second call
    assert np.isnan(warm.validation_scores_[:2]).all() and len(warm.validation_scores_) == 4
    assert TrainingCurveDisplay.from_estimator(warm).best_epoch_ > 2


def test_axes_that_are_not_axes_are_refused():
    display = TrainingCurveDisplay(loss_curve=[3.0, 2.0], validation_scores=[0.5, 0.6])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes"):
        display.plot(ax="left")
    with pytest.raises(TypeError, match="validation_ax must be a matplotlib Axes"):
        display.plot(validation_ax=[])


def test_search_without_refit_is_a_clear_error(sequences):
    X, y = sequences
    search = GridSearchCV(GRUClassifier(hidden_size=4, max_iter=1), {"alpha": [0.0]}, cv=2)
    with pytest.raises(TypeError, match="refit=False"):
        TrainingCurveDisplay.from_estimator(_fit(search.set_params(refit=False), X, y))


def test_clear_error_without_matplotlib(monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ImportError, match="TrainingCurveDisplay.plot requires matplotlib"):
        TrainingCurveDisplay(loss_curve=[1.0]).plot()


def test_from_estimator_unwraps_a_transformed_target_regressor_in_a_search(sequences):
    from sklearn.compose import TransformedTargetRegressor

    X, y = sequences
    wrapped = TransformedTargetRegressor(GRURegressor(hidden_size=4, max_iter=2, random_state=0))
    search = _fit(GridSearchCV(wrapped, {"regressor__alpha": [1e-4, 1e-2]}, cv=2), X, y * 1.0)
    display = TrainingCurveDisplay.from_estimator(search)
    assert display.estimator_name == "GRURegressor"
    np.testing.assert_allclose(
        display.lines_[0].get_ydata(), search.best_estimator_.regressor_.loss_curve_
    )


@pytest.mark.parametrize("share_validation_axes", [True, False])
def test_displays_on_one_axes_share_one_legend(share_validation_axes):
    _, ax = plt.subplots()
    first = TrainingCurveDisplay(
        loss_curve=[3, 2, 1], validation_scores=[0.5, 0.6, 0.7], estimator_name="a"
    ).plot(ax=ax)
    second = TrainingCurveDisplay(
        loss_curve=[3, 2.5, 1], validation_scores=[0.4, 0.6, 0.65], estimator_name="b"
    )
    shared = first.ax_validation_ if share_validation_axes else None
    second.plot(ax=ax, validation_ax=shared)
    labels = sorted(text.get_text() for text in ax.get_legend().get_texts())
    assert labels == [
        "a: training loss",
        "a: validation score",
        "b: training loss",
        "b: validation score",
    ]
