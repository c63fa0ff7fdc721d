"""polars and pyarrow inputs: read as their pandas equivalents, everywhere."""

import datetime

import numpy as np
import pandas as pd
import pytest
from corpus import DOCS

from sklearn_seq import GRUClassifier, GRURegressor, SequenceVectorizer, W2VTransformer

pl = pytest.importorskip("polars")
pa = pytest.importorskip("pyarrow")

FAST = dict(hidden_size=4, max_iter=2, device="cpu", random_state=0)
pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


def test_a_token_matrix_frame_reads_as_the_pandas_one():
    # a polars token matrix failed inside the column checks (a polars dtype has no kind)
    tokens = pd.DataFrame({"w1": ["the", "a", "dog"], "w2": ["cat", "dog", "sat"]})
    expected = SequenceVectorizer().fit(tokens).transform(tokens)
    for frame in (pl.from_dict(tokens.to_dict("list")), pa.table(tokens.to_dict("list"))):
        est = SequenceVectorizer().fit(frame)
        assert est.transform(frame) == expected
        assert list(est.feature_names_in_) == ["w1", "w2"]


def test_documents_as_polars_and_pyarrow_series():
    expected = W2VTransformer(min_count=1, workers=1, random_state=0).fit(DOCS).transform(DOCS)
    for docs in (pl.Series("text", DOCS), pa.chunked_array([DOCS]), pa.array(DOCS)):
        est = W2VTransformer(min_count=1, workers=1, random_state=0).fit(docs)
        assert est.transform(docs) == expected
    # one column of documents is refused, naming the frame's own column
    with pytest.raises(ValueError, match=r"df\['review'\] rather than df\[\['review'\]\]"):
        SequenceVectorizer().fit(pl.DataFrame({"review": DOCS}))


def test_sequences_from_polars_read_as_from_pandas():
    rng = np.random.RandomState(0)
    steps = [rng.randn(n, 2) for n in (3, 5, 1, 4)]
    y = [0, 1, 0, 1]
    expected = GRUClassifier(**FAST).fit(steps, y).predict_proba(steps)
    # a list of per-sample frames (failed: a polars frame's columns have no equals),
    # and a List column of univariate sequences
    frames = [pl.DataFrame(s, schema=["u", "v"]) for s in steps]
    clf = GRUClassifier(**FAST).fit(frames, y)
    np.testing.assert_array_equal(clf.predict_proba(frames), expected)
    assert list(clf.feature_names_in_) == ["u", "v"]
    lists = [s[:, 0] for s in steps]
    expected = GRURegressor(**FAST).fit(lists, [1.0, 2.0, 3.0, 4.0]).predict(lists)
    column = pl.Series("x", [list(s) for s in lists])
    reg = GRURegressor(**FAST).fit(column, [1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(reg.predict(column), expected)


@pytest.mark.parametrize(
    "values, message",
    [
        ([datetime.timedelta(seconds=s) for s in (1, 2, 3, 4)], "holds durations"),
        ([datetime.date(2020, 1, d) for d in (1, 2, 3, 4)], "holds dates"),
    ],
)
def test_polars_dates_and_durations_are_refused_as_pandas_ones(values, message):
    # they were read as counts of their unit (milliseconds, days), silently
    X = pl.DataFrame({"t0": values, "t1": values})
    with pytest.raises(TypeError, match=message):
        GRURegressor(**FAST).fit(X, [1.0, 2.0, 3.0, 4.0])


def test_text_and_lazy_frames_get_the_package_messages():
    with pytest.raises(TypeError, match="got text.*make_pipeline"):
        GRUClassifier(**FAST).fit(pl.Series("t", ["good movie", "bad one"]), [0, 1])
    with pytest.raises(TypeError, match="LazyFrame; collect"):
        GRUClassifier(**FAST).fit(pl.LazyFrame({"a": [1.0, 2.0]}), [0, 1])


def test_nested_list_columns_hold_multivariate_sequences():
    # a List(List(Float64)) column (pyarrow list<list<double>>) was "not numeric"
    rng = np.random.RandomState(0)
    steps = [rng.randn(n, 2) for n in (3, 5, 2, 4)]
    y = [0.0, 1.0, 2.0, 3.0]
    expected = GRURegressor(**FAST).fit(pd.Series(steps), y).predict(steps)
    for column in (
        pl.Series("s", [s.tolist() for s in steps]),
        pa.array([s.tolist() for s in steps]),
    ):
        reg = GRURegressor(**FAST).fit(column, y)
        np.testing.assert_allclose(reg.predict(column), expected, rtol=1e-6)
