"""Each embedding transformer inside a Pipeline with a sequence estimator."""

import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.base import clone, is_classifier
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import Pipeline

from sklearn_seq import (
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
)
from sklearn_seq.embeddings import (
    FastTextTransformer,
    GloVeTransformer,
    SequenceVectorizer,
    W2VTransformer,
)

WORDS = "the cat dog sat on mat log ran fast slow big small red blue house tree".split()
rng = np.random.RandomState(0)
DOCS = [" ".join(rng.choice(WORDS, size=rng.randint(2, 8))) for _ in range(60)]
Y = np.array(["pet" if ("cat" in d.split() or "dog" in d.split()) else "none" for d in DOCS])

TRANSFORMERS = {
    "w2v": W2VTransformer(vector_size=8, min_count=1, epochs=2, random_state=0),
    "ft": FastTextTransformer(vector_size=8, min_count=1, epochs=2, bucket=500, random_state=0),
    "glove": GloVeTransformer(vector_size=8, min_count=1, epochs=3, window=3, random_state=0),
    "vec": SequenceVectorizer(),
}


def make_pipe(name):
    clf = GRUClassifier(hidden_size=8, max_iter=3, device="cpu", random_state=0)
    if name == "vec":
        clf.set_params(embedding_dim=8)
    return Pipeline([("emb", clone(TRANSFORMERS[name])), ("clf", clf)])


@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_pipeline_fit_predict_clone_pickle(name, tmp_path):
    pipe = make_pipe(name).fit(DOCS, Y)
    pred = pipe.predict(DOCS)
    assert pred.shape == (len(DOCS),) and set(pred) <= set(Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the empty / all-unknown documents warn
        odd = pipe.predict_proba(["", "zebra unicorn", "the cats"])
    assert odd.shape == (3, 2) and np.all(np.isfinite(odd))
    again = clone(pipe).fit(DOCS, Y)
    np.testing.assert_allclose(again.predict_proba(DOCS), pipe.predict_proba(DOCS), atol=1e-6)
    path = tmp_path / "pipe.joblib"
    joblib.dump(pipe, path)
    np.testing.assert_array_equal(joblib.load(path).predict_proba(DOCS), pipe.predict_proba(DOCS))


@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_pipeline_grid_search_parallel(name):
    grid = {"clf__hidden_size": [4, 8]}
    if name in ("w2v", "ft", "glove"):
        grid["emb__window"] = [2, 3]
    search = GridSearchCV(make_pipe(name), grid, cv=2, n_jobs=2, error_score="raise")
    search.fit(DOCS, Y)
    assert search.predict(DOCS[:5]).shape == (5,)


@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_global_pandas_output_leaves_sequences_alone(name):
    with sklearn.config_context(transform_output="pandas"):
        assert make_pipe(name).fit(DOCS, Y).predict(DOCS[:3]).shape == (3,)
        if name != "vec":  # pooled vectors still follow the global setting
            mean = clone(TRANSFORMERS[name]).set_params(output="mean").fit_transform(DOCS)
            assert isinstance(mean, pd.DataFrame)


def test_fasttext_unknown_words_reach_the_estimator():
    pipe = make_pipe("ft").fit(DOCS, Y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        empty, unknown = pipe.predict_proba(["", "cats"])
    assert not np.allclose(empty, unknown)  # the subword vector was used


@pytest.mark.parametrize(
    "est",
    [RNNClassifier, LSTMClassifier, GRUClassifier, RNNRegressor, LSTMRegressor, GRURegressor],
)
@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_every_transformer_feeds_every_estimator(name, est):
    model = est(hidden_size=4, max_iter=2, embedding_dim=4, device="cpu", random_state=0)
    pipe = Pipeline([("emb", clone(TRANSFORMERS[name])), ("est", model)])
    target = Y if is_classifier(model) else (Y == "pet").astype(float) + rng.rand(len(Y))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pipe.fit(DOCS, target)
        pred = pipe.predict(DOCS + ["", "zebra"])
    assert pred.shape == (len(DOCS) + 2,)
    if not is_classifier(model):
        assert np.all(np.isfinite(pred))


def test_fasttext_rare_words_in_fit_do_not_enter_the_fixed_vocabulary():
    """With min_count=2, words seen once in fit get subword rows after the fixed
    vocabulary; the estimator learns only the fixed rows and reads the others
    from each transform's table."""
    docs = DOCS + ["zebra unicorn the cat"]
    ft = FastTextTransformer(vector_size=8, min_count=2, epochs=2, bucket=500, random_state=0)
    pipe = Pipeline(
        [
            ("emb", ft),
            ("clf", GRUClassifier(hidden_size=4, max_iter=2, device="cpu", random_state=0)),
        ]
    ).fit(docs, list(Y) + ["pet"])
    n_fixed = len(pipe["emb"].wv_.index_to_key)
    assert pipe["clf"].module_.init_kwargs["vocab_size"] == n_fixed
    alone = pipe.predict_proba(["zebra"])
    with_other_unknowns = pipe.predict_proba(["unicorn zebra", "zebra"])[1]
    np.testing.assert_allclose(alone[0], with_other_unknowns, atol=1e-7)


@pytest.mark.parametrize("name", list(TRANSFORMERS))
def test_column_transformer_text_column_selected_by_name(name):
    df = pd.DataFrame({"text": DOCS, "n": np.arange(len(DOCS))})
    emb = clone(TRANSFORMERS[name])
    if name != "vec":
        emb.set_params(output="mean")
    else:
        emb.set_params(output="padded")
    # a list selects a one-column DataFrame: a 2D input, not one document per row
    wrong = ColumnTransformer([("emb", emb, ["text"])])
    hint = r"ColumnTransformer.*as a string, 'text', not as a list \['text'\]"
    with pytest.raises(ValueError, match=hint):
        wrong.fit(df)
    pipe = Pipeline(
        [("cols", ColumnTransformer([("emb", emb, "text")])), ("clf", LogisticRegression())]
    )
    assert pipe.fit(df, Y).predict(df).shape == (len(DOCS),)
