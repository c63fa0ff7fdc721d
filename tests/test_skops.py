"""Safe persistence with skops: every fitted estimator, transformer and a
pipeline round-trips with identical outputs, and the saved files name no type
besides the project's own (network weights and word vectors are stored as
numpy arrays, never as torch or gensim objects)."""

import warnings

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

from sklearn_seq import (
    FastTextTransformer,
    GloVeTransformer,
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceArray,
    SequenceScaler,
    SequenceVectorizer,
    W2VTransformer,
)
from sklearn_seq.utils import trusted_types

sio = pytest.importorskip("skops.io")

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")

FAST = dict(hidden_size=8, max_iter=3, device="cpu", random_state=0)
EMB = dict(vector_size=8, min_count=1, epochs=1, random_state=0)
DOCS = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "the cat chased the mouse",
    "dogs bark at the mailman",
    "a kitten sleeps on the sofa",
    "the puppy fetched the ball",
] * 4
LABELS = np.array(["cat", "dog"] * 12)
UNSEEN = ["the cat and the zebra", "quokka", "dog"]  # unknown and out-of-vocabulary words


def _name(cls):
    return f"{cls.__module__}.{cls.__qualname__}"


def _round_trip(obj, tmp_path):
    path = tmp_path / "model.skops"
    sio.dump(obj, path)
    untrusted = sio.get_untrusted_types(file=path)
    return sio.load(path, trusted=trusted_types()), untrusted


def _assert_same(a, b):
    if isinstance(a, SequenceArray):
        assert a == b
        np.testing.assert_array_equal(a.vectors, b.vectors)
    else:
        np.testing.assert_array_equal(a, b)


@pytest.fixture(scope="module")
def ragged():
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 2)) for n in rng.randint(2, 7, size=20)]
    return X, np.array([int(x[:, 0].mean() > 0) for x in X])


def test_trusted_types_is_the_project_estimators():
    assert trusted_types() == [
        "sklearn_seq._scaler.SequenceScaler",
        "sklearn_seq._sequences.SequenceArray",
        "sklearn_seq.embeddings._fasttext.FastTextTransformer",
        "sklearn_seq.embeddings._glove.GloVeTransformer",
        "sklearn_seq.embeddings._vectorizer.SequenceVectorizer",
        "sklearn_seq.embeddings._word2vec.W2VTransformer",
        "sklearn_seq.rnn._classes.GRUClassifier",
        "sklearn_seq.rnn._classes.GRURegressor",
        "sklearn_seq.rnn._classes.LSTMClassifier",
        "sklearn_seq.rnn._classes.LSTMRegressor",
        "sklearn_seq.rnn._classes.RNNClassifier",
        "sklearn_seq.rnn._classes.RNNRegressor",
        "torch.device",  # a device parameter given as a torch.device
    ]


def test_sequence_array_round_trip(tmp_path):
    X = SequenceArray.from_sequences([[1, 2], [], [0]], vectors=np.eye(3), vocabulary=list("abc"))
    loaded, untrusted = _round_trip(X, tmp_path)
    assert untrusted == [_name(SequenceArray)]
    _assert_same(loaded, X)


@pytest.mark.parametrize(
    "cls",
    [GRUClassifier, LSTMClassifier, RNNClassifier, GRURegressor, LSTMRegressor, RNNRegressor],
)
def test_estimator_round_trip(cls, ragged, tmp_path):
    X, y = ragged
    target = y.astype(float) if cls.__name__.endswith("Regressor") else y
    est = cls(**FAST).fit(X, target)
    loaded, untrusted = _round_trip(est, tmp_path)
    assert untrusted == [_name(cls)]
    assert type(loaded) is cls
    _assert_same(loaded.predict(X), est.predict(X))
    if hasattr(est, "predict_proba"):
        _assert_same(loaded.predict_proba(X), est.predict_proba(X))
        _assert_same(loaded.classes_, est.classes_)
    assert loaded.get_params() == est.get_params()
    assert loaded.loss_curve_ == est.loss_curve_


def test_a_torch_device_parameter_round_trips(ragged, tmp_path):
    import torch

    X, y = ragged
    est = GRUClassifier(**{**FAST, "device": torch.device("cpu")}).fit(X, y)
    loaded, untrusted = _round_trip(est, tmp_path)
    assert set(untrusted) == {_name(GRUClassifier), "torch.device"}
    assert loaded.device == torch.device("cpu")
    _assert_same(loaded.predict_proba(X), est.predict_proba(X))


def test_sequence_scaler_round_trip(ragged, tmp_path):
    X, _ = ragged
    scaler = SequenceScaler().fit(X)
    loaded, untrusted = _round_trip(scaler, tmp_path)
    assert untrusted == [_name(SequenceScaler)]
    _assert_same(loaded.transform(X), scaler.transform(X))


def test_warm_start_optimizer_state_round_trips(ragged, tmp_path):
    X, y = ragged
    est = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    loaded, untrusted = _round_trip(est, tmp_path)
    assert untrusted == [_name(GRUClassifier)]
    # training continues from the saved optimizer state exactly as in the live object
    est.fit(X, y)
    loaded.fit(X, y)
    _assert_same(loaded.predict_proba(X), est.predict_proba(X))


@pytest.mark.parametrize(
    "est",
    [
        W2VTransformer(**EMB),
        FastTextTransformer(**EMB, bucket=2000),
        GloVeTransformer(**EMB),
        SequenceVectorizer(),
        W2VTransformer(**EMB, output="mean"),
        W2VTransformer(**EMB, handle_unknown="use_unknown_vector"),
    ],
    ids=lambda est: f"{type(est).__name__}-{est.get_params().get('output')}",
)
def test_transformer_round_trip(est, tmp_path):
    est.fit(DOCS)
    loaded, untrusted = _round_trip(est, tmp_path)
    assert untrusted == [_name(type(est))]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # documents with no known token
        _assert_same(loaded.transform(UNSEEN + DOCS), est.transform(UNSEEN + DOCS))
    if hasattr(est, "wv_"):
        assert type(loaded.wv_) is type(est.wv_)
        assert loaded.wv_.index_to_key == est.wv_.index_to_key
        np.testing.assert_array_equal(loaded.wv_.vectors, est.wv_.vectors)
        assert loaded.wv_.most_similar("cat", topn=3) == est.wv_.most_similar("cat", topn=3)


def test_pretrained_keyed_vectors_parameter_is_stored_as_arrays(tmp_path):
    kv = W2VTransformer(**EMB).fit(DOCS).wv_
    est = W2VTransformer(pretrained=kv).fit(DOCS)
    loaded, untrusted = _round_trip(est, tmp_path)
    assert untrusted == [_name(W2VTransformer)]  # no gensim type, although a parameter is one
    assert loaded.pretrained is loaded.wv_
    _assert_same(loaded.transform(DOCS), est.transform(DOCS))


def test_pipeline_round_trip(tmp_path):
    pipe = Pipeline([("emb", W2VTransformer(**EMB)), ("clf", GRUClassifier(**FAST))])
    pipe.fit(DOCS, LABELS)
    loaded, untrusted = _round_trip(pipe, tmp_path)
    assert sorted(untrusted) == [_name(W2VTransformer), _name(GRUClassifier)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _assert_same(loaded.predict(UNSEEN + DOCS), pipe.predict(UNSEEN + DOCS))
        _assert_same(loaded.predict_proba(UNSEEN + DOCS), pipe.predict_proba(UNSEEN + DOCS))


def test_untrusted_types_are_still_refused(ragged, tmp_path):
    X, y = ragged
    path = tmp_path / "model.skops"
    sio.dump(GRUClassifier(**FAST).fit(X, y), path)
    with pytest.raises(Exception, match="Untrusted types found"):
        sio.load(path)
    with pytest.raises(Exception, match="Untrusted types found"):
        sio.load(path, trusted=[_name(W2VTransformer)])
