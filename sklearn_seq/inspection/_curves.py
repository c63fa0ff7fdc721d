"""A scikit-learn-style Display for an iterative estimator's training curves."""

import numpy as np
from sklearn.frozen import FrozenEstimator
from sklearn.utils._optional_dependencies import check_matplotlib_support
from sklearn.utils.validation import check_is_fitted

__all__ = ["TrainingCurveDisplay"]


def _final_estimator(estimator):
    """The estimator holding the curves: a search's best model, a Pipeline's last
    step, a TransformedTargetRegressor's fitted regressor, a FrozenEstimator's
    estimator (nested as deep as need be)."""
    while True:
        if hasattr(estimator, "best_estimator_"):
            estimator = estimator.best_estimator_
        elif hasattr(estimator, "cv_results_"):
            raise TypeError(
                f"{type(estimator).__name__} was fitted with refit=False, so it keeps no "
                "fitted model to plot; fit it with refit=True (the default)."
            )
        elif hasattr(estimator, "steps"):
            estimator = estimator.steps[-1][1]
        elif hasattr(estimator, "regressor_"):
            estimator = estimator.regressor_
        elif isinstance(estimator, FrozenEstimator):
            estimator = estimator.estimator
        else:
            return estimator


class TrainingCurveDisplay:
    """Training loss and validation score per epoch of an iterative estimator.

    It is recommended to use :meth:`from_estimator` to create a
    :class:`TrainingCurveDisplay`. All parameters are stored as attributes.

    Parameters
    ----------
    loss_curve : array-like of shape (n_epochs,)
        Training loss at each epoch, for example an estimator's
        ``loss_curve_``.

    validation_scores : array-like of shape (n_epochs,), default=None
        Validation score at each epoch, for example the ``validation_scores_``
        of an estimator fitted with ``early_stopping=True``. None draws the
        loss only. The score is drawn dashed, in the loss's colour, against
        its own scale on the right.

    estimator_name : str, default=None
        Name of the estimator, used in the legend. None leaves it out.

    Attributes
    ----------
    ax_ : matplotlib Axes
        Axes with the training loss.

    ax_validation_ : matplotlib Axes or None
        Axes with the validation score (sharing the x axis of ``ax_``, its
        scale on the right), or None when there are no validation scores.

    figure_ : matplotlib Figure
        Figure containing the curves.

    lines_ : list of matplotlib Line2D
        The training-loss line, then the validation-score line if any.

    best_epoch_ : int or None
        The epoch (counted from 1) with the best validation score, whose
        weights an estimator fitted with ``early_stopping=True`` keeps: among
        the epochs since the last one without a validation score (a warm
        start or ``partial_fit`` without early stopping, after which the
        weights move on); None without validation scores, or when the latest
        epoch had none.

    See Also
    --------
    sklearn.model_selection.LearningCurveDisplay : Scores against the
        training-set size.
    sklearn.model_selection.ValidationCurveDisplay : Scores against a
        hyperparameter.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import numpy as np
    >>> from sklearn_seq import GRUClassifier
    >>> from sklearn_seq.inspection import TrainingCurveDisplay
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.randn(n, 2) for n in rng.randint(1, 20, size=60)]
    >>> y = np.array([int(x[:, 0].sum() > 0) for x in X])
    >>> clf = GRUClassifier(hidden_size=8, max_iter=5, early_stopping=True,
    ...                     validation_fraction=0.2, random_state=0).fit(X, y)
    >>> display = TrainingCurveDisplay.from_estimator(clf)
    >>> len(display.lines_)
    2
    """

    def __init__(self, *, loss_curve, validation_scores=None, estimator_name=None):
        self.loss_curve = loss_curve
        self.validation_scores = validation_scores
        self.estimator_name = estimator_name

    def plot(
        self,
        ax=None,
        *,
        name=None,
        validation_ax=None,
        loss_kw=None,
        validation_kw=None,
        mark_best=True,
    ):
        """Plot the curves.

        Parameters
        ----------
        ax : matplotlib Axes, default=None
            Axes for the training loss. None creates a new figure and axes.

        name : str, default=None
            Name used in the legend. None uses ``estimator_name``.

        validation_ax : matplotlib Axes, default=None
            Axes for the validation score. None creates a twin of ``ax``
            with its own scale on the right. Pass the ``ax_validation_`` of
            an earlier display to draw several estimators on one figure.

        loss_kw : dict, default=None
            Keyword arguments passed to ``matplotlib.pyplot.plot`` for the
            training loss.

        validation_kw : dict, default=None
            Keyword arguments passed to ``matplotlib.pyplot.plot`` for the
            validation score.

        mark_best : bool, default=True
            Mark the epoch with the best validation score with a dotted
            vertical line.

        Returns
        -------
        display : :class:`TrainingCurveDisplay`
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{self.__class__.__name__}.plot")
        import matplotlib.pyplot as plt
        from matplotlib.ticker import MaxNLocator

        loss = np.asarray(self.loss_curve, dtype=float)
        if loss.ndim != 1 or loss.size == 0:
            raise ValueError(f"loss_curve must be a non-empty 1D sequence, got shape {loss.shape}.")
        scores = None
        if self.validation_scores is not None:
            scores = np.asarray(self.validation_scores, dtype=float)
            if scores.shape != loss.shape:
                raise ValueError(
                    f"validation_scores must have the shape of loss_curve {loss.shape}, "
                    f"got {scores.shape}."
                )
        name = self.estimator_name if name is None else name
        prefix = "" if name is None else f"{name}: "

        for axes_name, axes in (("ax", ax), ("validation_ax", validation_ax)):
            if axes is not None and not hasattr(axes, "twinx"):
                raise TypeError(
                    f"{axes_name} must be a matplotlib Axes (e.g. from plt.subplots()), "
                    f"got {type(axes).__name__}."
                )
        if ax is None:
            _, ax = plt.subplots()
        epochs = np.arange(1, loss.size + 1)
        loss_kw = {"label": f"{prefix}training loss", **(loss_kw or {})}
        (loss_line,) = ax.plot(epochs, loss, **loss_kw)
        ax.set_xlabel("Epoch")
        ax.set_ylabel("Training loss")
        self.lines_ = [loss_line]
        self.ax_validation_ = None
        self.best_epoch_ = None

        if scores is not None:
            if validation_ax is None:
                validation_ax = ax.twinx()
            validation_kw = {
                "label": f"{prefix}validation score",
                "linestyle": "--",
                "color": loss_line.get_color(),
                **(validation_kw or {}),
            }
            (score_line,) = validation_ax.plot(epochs, scores, **validation_kw)
            validation_ax.set_ylabel("Validation score")
            self.lines_.append(score_line)
            self.ax_validation_ = validation_ax
            # NaN: an epoch without a validation split (partial_fit, a warm start
            # without early stopping), after which the weights move on: the best
            # epoch is among those since the last one (none if it is the latest)
            since = int(np.flatnonzero(np.isnan(scores))[-1]) + 1 if np.isnan(scores).any() else 0
            self.best_epoch_ = (
                since + int(np.argmax(scores[since:])) + 1 if since < len(scores) else None
            )
            if mark_best and self.best_epoch_ is not None:
                ax.axvline(self.best_epoch_, color=score_line.get_color(), linestyle=":")

        # every labelled curve on these axes and their twins, so that several
        # displays drawn on one figure share one legend
        twins = ax.get_shared_x_axes().get_siblings(ax)
        axes_list = [ax] + [a for a in ax.figure.axes if a is not ax and a in twins]
        if self.ax_validation_ is not None and self.ax_validation_ not in axes_list:
            axes_list.append(self.ax_validation_)
        handles = [
            line
            for axes in axes_list
            for line in axes.get_lines()
            if not line.get_label().startswith("_")
        ]
        ax.legend(handles=handles, loc="best")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax_ = ax
        self.figure_ = ax.figure
        return self

    @classmethod
    def from_estimator(cls, estimator, *, ax=None, name=None, **kwargs):
        """Plot the training curves of a fitted estimator.

        Parameters
        ----------
        estimator : estimator instance
            A fitted estimator with ``loss_curve_`` (any sequence estimator
            of this package, or scikit-learn's MLP), a :class:`Pipeline
            <sklearn.pipeline.Pipeline>` ending in one, a fitted
            :class:`~sklearn.compose.TransformedTargetRegressor` around one, or a
            fitted search (such as :class:`~sklearn.model_selection.GridSearchCV`)
            whose ``best_estimator_`` is one. ``validation_scores_`` is drawn when
            the estimator has it (``early_stopping=True``).

        ax : matplotlib Axes, default=None
            Axes for the training loss. None creates a new figure and axes.

        name : str, default=None
            Name used in the legend. None uses the estimator's class name.

        **kwargs : dict
            Further keyword arguments passed to :meth:`plot`.

        Returns
        -------
        display : :class:`TrainingCurveDisplay`
            Object that stores the computed values.
        """
        check_matplotlib_support(f"{cls.__name__}.from_estimator")
        final = _final_estimator(estimator)
        check_is_fitted(final)
        if not hasattr(final, "loss_curve_"):
            raise TypeError(
                f"{final.__class__.__name__} has no loss_curve_; TrainingCurveDisplay "
                "needs an iterative estimator such as GRUClassifier."
            )
        name = final.__class__.__name__ if name is None else name
        display = cls(
            loss_curve=final.loss_curve_,
            validation_scores=getattr(final, "validation_scores_", None),
            estimator_name=name,
        )
        return display.plot(ax=ax, **kwargs)
