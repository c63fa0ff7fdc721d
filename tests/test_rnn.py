"""Behaviour of the recurrent estimators that scikit-learn's checks cannot see."""

import copy
import os
import pickle
import subprocess
import sys
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import joblib
import numpy as np
import pandas as pd
import pytest
import sklearn
import torch
from scipy import sparse
from sklearn.base import clone
from sklearn.exceptions import ConvergenceWarning, DataConversionWarning, NotFittedError
from sklearn.model_selection import (
    GridSearchCV,
    TimeSeriesSplit,
    cross_val_score,
    train_test_split,
)
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_seq import (
    GloVeTransformer,
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceArray,
    SequenceVectorizer,
)

CLASSIFIERS = [RNNClassifier, LSTMClassifier, GRUClassifier]
REGRESSORS = [RNNRegressor, LSTMRegressor, GRURegressor]
FAST = dict(hidden_size=8, max_iter=3, device="cpu", random_state=0)

pytestmark = pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")


@pytest.fixture
def ragged():
    """Variable-length 2-feature sequences; the label is the sign of the first feature's sum."""
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2).astype(np.float32) for n in rng.randint(1, 25, size=80)]
    y = np.array([int(x[:, 0].sum() > 0) for x in X])
    return X, y


@pytest.fixture
def token_ids():
    rng = np.random.RandomState(1)
    vectors = rng.randn(30, 6).astype(np.float32)
    seqs = [rng.randint(0, 30, size=n) for n in rng.randint(0, 15, size=60)]
    X = SequenceArray.from_sequences(seqs, vectors=vectors, vocabulary=[f"w{i}" for i in range(30)])
    y = np.array([int((s < 15).sum() > len(s) / 2) for s in seqs])
    return X, y


# ----------------------------------------------------------------------- inputs
@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_ragged_list_and_container_agree(cls, ragged):
    X, y = ragged
    a = cls(**FAST).fit(X, y)
    b = cls(**FAST).fit(SequenceArray.from_sequences(X), y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.n_features_in_ == 2
    assert a.predict(X).shape == (80,)


def test_series_and_object_array_of_sequences(ragged):
    X, y = ragged
    a = GRUClassifier(**FAST).fit(X, y).predict_proba(X)
    b = GRUClassifier(**FAST).fit(pd.Series(X), y).predict_proba(pd.Series(X))
    obj = np.empty(len(X), dtype=object)
    obj[:] = X
    c = GRUClassifier(**FAST).fit(obj, y).predict_proba(obj)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(a, c)


def test_3d_array_equals_list_of_equal_length_sequences():
    rng = np.random.RandomState(0)
    X3 = rng.randn(40, 7, 3)
    y = (X3[:, :, 0].sum(1) > 0).astype(int)
    a = GRUClassifier(**FAST).fit(X3, y)
    b = GRUClassifier(**FAST).fit(list(X3), y)
    np.testing.assert_allclose(a.predict_proba(X3), b.predict_proba(list(X3)), rtol=1e-6)
    assert a.n_features_in_ == 3


def test_2d_array_is_univariate_and_dataframe_keeps_names():
    rng = np.random.RandomState(0)
    X = rng.randn(40, 6)
    y = X.sum(1)
    df = pd.DataFrame(X, columns=[f"t{i}" for i in range(6)])
    reg = GRURegressor(**FAST).fit(df, y)
    assert reg.n_features_in_ == 6
    assert list(reg.feature_names_in_) == list(df.columns)
    np.testing.assert_allclose(
        reg.predict(df), reg.predict(X[:, :, None].tolist() and X), rtol=1e-6
    )
    # same values given as (n, T, 1) sequences through a model fitted on them
    seq = GRURegressor(**FAST).fit(X[:, :, None], y)
    np.testing.assert_allclose(seq.predict(X[:, :, None]), reg.predict(df), rtol=1e-5)
    # another number of columns: the message says how to pass other lengths
    with pytest.raises(ValueError, match=r"expecting 6 features.*list of 1D arrays"):
        reg.predict(X[:, :4])
    assert reg.predict(list(X[:, :4])).shape == (40,)


def test_a_list_of_dataframes_names_the_features_of_each_step():
    rng = np.random.RandomState(0)
    X = [pd.DataFrame(rng.randn(n, 2), columns=["temp", "wind"]) for n in range(2, 22)]
    y = rng.randn(20)
    reg = GRURegressor(**FAST).fit(X, y)
    np.testing.assert_array_equal(reg.feature_names_in_, ["temp", "wind"])
    with pytest.warns(UserWarning, match="does not have valid feature names"):
        np.testing.assert_array_equal(reg.predict([x.to_numpy() for x in X]), reg.predict(X))
    with pytest.raises(ValueError, match="same order"):  # swapped columns
        reg.predict([x[["wind", "temp"]] for x in X])
    with pytest.raises(ValueError, match="element 2 has columns"):
        reg.predict([X[0].to_numpy(), X[1], X[2][["wind", "temp"]]])
    assert not hasattr(GRURegressor(**FAST).fit([x.to_numpy() for x in X], y), "feature_names_in_")


def test_zero_length_sequences_get_the_bias_prediction(ragged):
    X, y = ragged
    X = [np.zeros((0, 2), np.float32)] + X[1:]
    clf = GRUClassifier(**FAST).fit(X, y)
    proba = clf.predict_proba([np.zeros((0, 2)), np.zeros((0, 2))])
    bias = torch.softmax(clf.module_.head.bias.detach().double(), 0).numpy()
    np.testing.assert_allclose(proba[0], bias, rtol=1e-6)
    np.testing.assert_allclose(proba[1], bias, rtol=1e-6)
    ids = SequenceArray.from_sequences([[], [1, 2]], vectors=np.ones((3, 4)))
    GRUClassifier(**FAST).fit(ids, [0, 1]).predict(ids[:1])


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("pooling", ["last", "mean", "max"])
@pytest.mark.parametrize("cls", [RNNClassifier, LSTMClassifier, GRUClassifier])
def test_prediction_does_not_depend_on_batch(cls, pooling, bidirectional, ragged):
    """A sequence predicted alone, with a long neighbour (so padded) or in any
    order gives the same output: exact last step, backward from the true end,
    masked pooling."""
    X, y = ragged
    clf = cls(**FAST, pooling=pooling, bidirectional=bidirectional, num_layers=2).fit(X, y)
    full = clf.predict_proba(X)
    alone = np.vstack([clf.predict_proba([x]) for x in X[:10]])
    np.testing.assert_allclose(full[:10], alone, rtol=1e-6, atol=1e-7)
    long = np.random.RandomState(5).randn(200, 2)
    padded = clf.predict_proba([X[0], long])[0]
    np.testing.assert_allclose(padded, full[0], rtol=1e-6, atol=1e-7)
    perm = np.random.RandomState(0).permutation(len(X))
    np.testing.assert_allclose(clf.predict_proba([X[i] for i in perm]), full[perm], atol=1e-7)


def test_bidirectional_backward_direction_reads_the_true_end():
    """The label depends only on the last step; a bidirectional model with
    'last' pooling sees it through the forward output and the backward
    direction starting there, and learns it on ragged data."""
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 1).astype(np.float32) for n in rng.randint(2, 30, size=300)]
    y = np.array([int(x[-1, 0] > 0) for x in X])
    clf = GRUClassifier(
        hidden_size=16,
        max_iter=30,
        learning_rate_init=0.02,
        bidirectional=True,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    assert clf.score(X, y) > 0.9


# ---------------------------------------------------------------- token inputs
def test_token_ids_with_frozen_and_fine_tuned_tables(token_ids):
    X, y = token_ids
    frozen = GRUClassifier(**FAST).fit(X, y)
    np.testing.assert_array_equal(frozen.module_.frozen_table.numpy(), X.vectors)
    assert frozen.n_features_in_ == 6
    tuned = GRUClassifier(**FAST, freeze_embedding=False).fit(X, y)
    assert not np.allclose(tuned.module_.embedding.weight.detach().numpy(), X.vectors)
    assert tuned.predict(X).shape == (60,)


def test_rows_beyond_the_fitted_vocabulary_come_from_the_input_table(token_ids):
    """FastText-style output: unknown words appended after the fitted
    vocabulary; the model uses the input's rows for them."""
    X, y = token_ids
    clf = GRUClassifier(**FAST).fit(X, y)
    extra = np.random.RandomState(3).randn(2, 6).astype(np.float32)
    table = np.vstack([X.vectors, extra])
    new = SequenceArray.from_sequences([[1, 30], [1, 31]], vectors=table, vocab_size=30)
    p = clf.predict_proba(new)
    assert not np.allclose(p[0], p[1])
    # same as feeding a model whose table holds those rows directly
    same = SequenceArray.from_sequences([[1, 30]], vectors=table, vocab_size=30)
    np.testing.assert_allclose(clf.predict_proba(same)[0], p[0], rtol=1e-6)
    with pytest.raises(ValueError, match="fixed vocabulary of 32 rows"):
        clf.predict(SequenceArray.from_sequences([[1, 30]], vectors=table))


def test_ids_that_mean_other_words_than_in_fit_are_refused(token_ids):
    X, y = token_ids
    clf = GRUClassifier(**FAST).fit(X, y)
    before = clf.predict_proba(X)
    seqs, words = X.to_list(), X.vocabulary
    other_words = SequenceArray.from_sequences(seqs, vectors=X.vectors, vocabulary=words[::-1])
    with pytest.raises(ValueError, match="id 0 was 'w0', in X it is 'w29'"):
        clf.predict(other_words)
    table = X.vectors.copy()
    table[29] += 1  # the last fixed row, always compared
    other_table = SequenceArray.from_sequences(seqs, vectors=table, vocabulary=words)
    for call in (clf.predict, lambda X: clf.partial_fit(X, y)):
        with pytest.raises(ValueError, match="vector table differs"):
            call(other_table)
    with pytest.raises(ValueError, match="fitted on token ids with a vector table, but X's"):
        clf.predict(SequenceArray.from_sequences(seqs, vocabulary=words))
    np.testing.assert_array_equal(clf.predict_proba(X), before)
    # the same table and words, or ids without words, are the fitted ones
    np.testing.assert_array_equal(
        clf.predict_proba(SequenceArray.from_sequences(seqs, vectors=X.vectors.copy())), before
    )


def test_a_refitted_transformer_is_refused_by_the_model_of_the_old_one():
    docs = ["good movie", "bad movie", "good plot", "bad plot"] * 10
    y = [1, 0, 1, 0] * 10
    emb = SequenceVectorizer().fit(docs)
    clf = GRUClassifier(**FAST).fit(emb.transform(docs), y)
    emb.fit(["plot bad", "movie good"])  # as many words, other ids
    with pytest.raises(ValueError, match="mean other words than in fit"):
        clf.predict(emb.transform(docs))


def test_many_ids_are_compared_at_spread_positions():
    rng = np.random.RandomState(0)
    words = [f"w{i}" for i in range(5000)]
    seqs = [rng.randint(0, 5000, size=5) for _ in range(20)]
    X = SequenceArray.from_sequences(seqs, vocabulary=words, vocab_size=5000)
    clf = GRUClassifier(**FAST).fit(X, rng.randint(0, 2, 20))
    for i in (0, 4999):
        changed = words[:]
        changed[i] = "other"
        with pytest.raises(ValueError, match=f"id {i} was 'w{i}'"):
            clf.predict(SequenceArray.from_sequences(seqs, vocabulary=changed))
    with pytest.raises(ValueError, match="vocabulary has 4000 tokens.*one of 5000"):
        clf.predict(SequenceArray.from_sequences([[1]], vocabulary=words[:4000]))
    # bare ids without a vocabulary: vocab_size follows each container's largest id
    clf.predict(SequenceArray.from_sequences([[1, 2]], vocab_size=3))


def test_ids_fitted_without_a_table_refuse_one():
    rng = np.random.RandomState(0)
    X = SequenceArray.from_sequences([rng.randint(0, 10, 4) for _ in range(30)], vocab_size=10)
    clf = GRUClassifier(**FAST, embedding_dim=4).fit(X, rng.randint(0, 2, 30))
    one_wide = SequenceArray.from_sequences(
        [[10, 11], [1]], vectors=rng.randn(12, 1), vocab_size=10
    )
    with pytest.raises(ValueError, match="without a vector table, but X's token ids come with"):
        clf.predict(one_wide)


def test_learned_embedding_for_bare_ids():
    rng = np.random.RandomState(0)
    seqs = [rng.randint(0, 10, size=n) for n in rng.randint(1, 12, size=80)]
    y = np.array([int(5 in s) for s in seqs])
    X = SequenceArray.from_sequences(seqs, dtype=np.int64)
    clf = GRUClassifier(
        hidden_size=16,
        embedding_dim=8,
        max_iter=40,
        learning_rate_init=0.02,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    assert clf.module_.embedding.weight.shape == (10, 8)
    assert clf.score(X, y) > 0.9
    with pytest.raises(ValueError, match="token id 12"):
        clf.predict(SequenceArray.from_sequences([[12]], dtype=np.int64))


# -------------------------------------------------------- training behaviour
def test_same_random_state_gives_bit_identical_results_and_leaves_global_rng(ragged):
    X, y = ragged
    torch.manual_seed(123)
    np.random.seed(123)
    before_t, before_np = torch.random.get_rng_state(), np.random.get_state()[1].copy()
    params = dict(FAST, dropout=0.3, num_layers=2, early_stopping=True, max_iter=4)
    a = LSTMClassifier(**params).fit(X, y).predict_proba(X)
    b = LSTMClassifier(**params).fit(X, y).predict_proba(X)
    np.testing.assert_array_equal(a, b)
    assert torch.equal(torch.random.get_rng_state(), before_t)
    np.testing.assert_array_equal(np.random.get_state()[1], before_np)
    c = LSTMClassifier(**{**params, "random_state": 1}).fit(X, y).predict_proba(X)
    assert not np.array_equal(a, c)
    pickle.loads(pickle.dumps(LSTMClassifier(**params).fit(X, y)))  # building a network draws
    assert torch.equal(torch.random.get_rng_state(), before_t)


def test_a_fit_seeds_no_gpu_generator_it_does_not_restore(ragged, monkeypatch):
    # torch.manual_seed reseeds every GPU (queued until CUDA starts); only the fit's
    # own device is forked and restored
    calls = []
    monkeypatch.setattr(torch.cuda, "manual_seed_all", lambda seed: calls.append(seed))
    GRUClassifier(**FAST).fit(*ragged)
    assert calls == []


def test_fit_ignores_the_callers_autograd_mode_and_default_dtype(ragged):
    # fits under torch.no_grad() / inference_mode failed inside autograd, and under a
    # float64 default dtype on mixed dtypes; they now give the same models
    X, y = ragged
    docs = ["a b c a b", "b c d e"] * 20

    def fits():
        yield GRUClassifier(**FAST).fit(X, y).predict_proba(X)
        yield LSTMRegressor(**FAST, embedding_dim=4).fit(X, np.arange(len(X))).predict(X)
        ids = SequenceVectorizer().fit_transform(docs)
        yield RNNClassifier(**FAST, bidirectional=True).fit(ids, [0, 1] * 20).predict_proba(ids)
        yield GloVeTransformer(vector_size=4, epochs=2, random_state=0).fit(docs).wv_.vectors

    expected = list(fits())
    for mode in (torch.no_grad, torch.inference_mode):
        with mode():
            for got, want in zip(fits(), expected, strict=True):
                np.testing.assert_array_equal(got, want)
    torch.set_default_dtype(torch.float64)
    try:
        for got, want in zip(fits(), expected, strict=True):
            np.testing.assert_array_equal(got, want)
    finally:
        torch.set_default_dtype(torch.float32)
    # a model loaded or copied under inference_mode trains on (its tensors were
    # inference tensors, which no later step could update)
    clf = GRUClassifier(**FAST).fit(X, y)
    with torch.inference_mode():
        copies = [pickle.loads(pickle.dumps(clf)), copy.deepcopy(clf)]
    for twin in copies:
        twin.partial_fit(X, y)


def test_fits_in_threads_give_the_same_models_as_one_after_another(ragged):
    # each fit seeds torch's process-wide generator: concurrent fits must not reseed each other
    X, y = ragged
    params = dict(FAST, dropout=0.5, num_layers=2, max_iter=4)

    def fit(seed):
        return GRUClassifier(**{**params, "random_state": seed}).fit(X, y).predict_proba(X)

    expected = [fit(seed) for seed in range(4)]
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(fit, range(4)))
    for a, b in zip(expected, results, strict=True):
        np.testing.assert_array_equal(a, b)


def _hold_the_seeding_lock():
    """A thread holding the lock a fit holds, as a long fit in another thread would."""
    from sklearn_seq.rnn import _base

    held, release = threading.Event(), threading.Event()

    def hold():
        with _base._TORCH_RNG_LOCK:
            held.set()
            release.wait(60)

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    held.wait(10)
    return release, thread


def test_loading_a_model_does_not_wait_for_a_fit_in_another_thread(ragged):
    X, y = ragged
    data = pickle.dumps(GRUClassifier(**FAST).fit(X, y))
    release, thread = _hold_the_seeding_lock()
    try:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(pickle.loads, data).result(timeout=30)  # raises TimeoutError if blocked
    finally:
        release.set()
        thread.join()


_FORK_WHILE_A_THREAD_FITS = """
import multiprocessing, threading
import numpy as np
from sklearn_seq import GRUClassifier
from sklearn_seq.rnn import _base

X, y = np.random.RandomState(0).randn(40, 6), np.arange(40) % 2
held, release = threading.Event(), threading.Event()

def hold():  # the lock a fit holds, as a long fit in another thread would
    with _base._TORCH_RNG_LOCK:
        held.set()
        release.wait(120)

def child(queue):
    queue.put(GRUClassifier(hidden_size=4, max_iter=2, random_state=0).fit(X, y).n_iter_)

threading.Thread(target=hold, daemon=True).start()
held.wait(10)
ctx = multiprocessing.get_context("fork")
queue = ctx.Queue()
process = ctx.Process(target=child, args=(queue,))
process.start()
process.join(60)
hung = process.is_alive()
if hung:
    process.kill()
release.set()
assert not hung, "the child waited for the lock of the parent's fitting thread"
assert queue.get(timeout=5) == 2
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_forked_child_can_fit_while_the_parent_fits_in_a_thread():
    # in a fresh interpreter: a parent that already ran torch's thread pool
    # cannot fork safely whatever this package does
    result = subprocess.run(
        [sys.executable, "-c", _FORK_WHILE_A_THREAD_FITS],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_early_stopping_restores_the_best_weights(ragged):
    X, y = ragged
    clf = GRUClassifier(
        hidden_size=8,
        max_iter=15,
        early_stopping=True,
        n_iter_no_change=3,
        learning_rate_init=0.05,
        device="cpu",
        random_state=0,
    ).fit(X, y)
    assert clf.best_validation_score_ == max(clf.validation_scores_)
    assert len(clf.validation_scores_) == clf.n_iter_ == len(clf.loss_curve_)
    # the held-out split is reproducible: recompute the validation score of the kept weights
    idx = np.arange(len(X))
    rng = np.random.RandomState(0)
    rng.randint(np.iinfo(np.int32).max)  # fit first draws the torch seed, then splits
    _, val = train_test_split(idx, test_size=0.1, random_state=rng, stratify=y)
    assert clf.score([X[i] for i in val], y[val]) == pytest.approx(clf.best_validation_score_)


def test_stops_when_loss_stalls_and_warns_at_max_iter(ragged):
    X, y = ragged
    with pytest.warns(ConvergenceWarning, match="maximum iterations") as record:
        GRUClassifier(**FAST).fit(X, y)
    assert {w.filename for w in record} == {__file__}  # the caller's line
    clf = GRUClassifier(
        hidden_size=8, max_iter=200, n_iter_no_change=2, tol=10.0, device="cpu", random_state=0
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", ConvergenceWarning)
        clf.fit(X, y)
    assert clf.n_iter_ == 3


def _interrupting(method, at):
    """``method``, raising KeyboardInterrupt instead on its call number ``at``."""
    calls = []

    def flaky(self, *args):
        calls.append(1)
        if len(calls) == at:
            raise KeyboardInterrupt
        return method(self, *args)

    return flaky


def test_a_deep_copy_continues_training_as_the_original(ragged):
    # deepcopy went through __getstate__, which leaves Adam's moments out of pickles
    X, y = ragged
    clf = GRUClassifier(**FAST).fit(X, y)
    twin = copy.deepcopy(clf)
    clf.partial_fit(X, y)
    twin.partial_fit(X, y)
    np.testing.assert_array_equal(twin.predict_proba(X), clf.predict_proba(X))


def test_keyboard_interrupt_keeps_best_model(ragged, monkeypatch):
    X, y = ragged
    clf = GRUClassifier(hidden_size=8, max_iter=10, device="cpu", random_state=0)
    monkeypatch.setattr(type(clf), "_run_epoch", _interrupting(type(clf)._run_epoch, at=4))
    with pytest.warns(UserWarning, match="interrupted after 3"):
        clf.fit(X, y)
    assert clf.n_iter_ == 3 and len(clf.loss_curve_) == 3
    assert clf.predict(X).shape == (80,)


def test_a_continued_fit_interrupted_within_an_epoch_goes_back_to_its_start(ragged, monkeypatch):
    # partial_fit / warm start: the weights of the epoch's first steps were kept, while
    # n_iter_ and loss_curve_ counted nothing
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    before = clf.predict_proba(X)
    run_epoch = type(clf)._run_epoch

    def one_step_then_interrupt(self, module, optimizer, *args):
        step = optimizer.step

        def interrupting_step(*a, **k):
            step(*a, **k)
            raise KeyboardInterrupt

        optimizer.step = interrupting_step
        return run_epoch(self, module, optimizer, *args)

    monkeypatch.setattr(type(clf), "_run_epoch", one_step_then_interrupt)
    for call in (lambda: clf.partial_fit(X, y), lambda: clf.fit(X, y)):
        with pytest.warns(UserWarning, match=r"after 0 complete epoch\(s\) of this call"):
            call()
        np.testing.assert_array_equal(clf.predict_proba(X), before)
        assert clf.n_iter_ == len(clf.loss_curve_) == 3
    # complete epochs of the call are kept (its lowest loss), whatever earlier calls reached
    monkeypatch.setattr(type(clf), "_run_epoch", _interrupting(run_epoch, at=3))
    clf.best_loss_ = 0.0  # as if an earlier call had reached a loss no epoch beats
    with pytest.warns(UserWarning, match=r"after 2 complete epoch\(s\) of this call"):
        clf.set_params(max_iter=5).fit(X, y[::-1])
    assert not np.allclose(clf.predict_proba(X), before)


def test_keyboard_interrupt_in_the_validation_pass_keeps_records_in_step(ragged, monkeypatch):
    # a Ctrl-C while an epoch's validation score is computed drops that epoch from
    # every record, not from some; a warm continuation stays in step
    X, y = ragged
    clf = GRUClassifier(**{**FAST, "max_iter": 10}, early_stopping=True, warm_start=True)
    interrupting = _interrupting(type(clf)._score_sequences, at=3)
    monkeypatch.setattr(type(clf), "_score_sequences", interrupting)
    with pytest.warns(UserWarning, match="interrupted after 2"):
        clf.fit(X, y)
    assert clf.n_iter_ == len(clf.loss_curve_) == len(clf.validation_scores_) == 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.set_params(max_iter=2).fit(X, y)
    assert clf.n_iter_ == len(clf.loss_curve_) == len(clf.validation_scores_) == 4


def test_warm_start_and_partial_fit_continue_training(ragged):
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    first = clf.module_.head.weight.detach().clone()
    clf.fit(X, y)
    assert clf.n_iter_ == 6 and len(clf.loss_curve_) == 6
    assert not torch.equal(first, clf.module_.head.weight)
    inc = GRUClassifier(**FAST)
    with pytest.raises(ValueError, match="classes must be passed"):
        inc.partial_fit(X, y)
    inc.partial_fit(X[:40], y[:40], classes=[0, 1])
    inc.partial_fit(X[40:], y[40:])
    assert inc.n_iter_ == 2
    with pytest.raises(ValueError, match="not in classes_"):
        inc.partial_fit(X[:3], [0, 1, 7])
    assert inc.n_iter_ == 2 and inc.predict(X).shape == (80,)


def test_classes_of_python_and_numpy_numbers_are_not_mixed_labels():
    X, y = np.random.RandomState(0).randn(12, 4), np.array([0, 1, 2] * 4)
    for classes in ([0, 1, np.int64(2)], [0, 1, 2.0]):
        clf = GRUClassifier(**FAST).partial_fit(X, y, classes=classes)
        np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    with pytest.raises(ValueError, match=r"classes mixes label types \(int, str\)"):
        GRUClassifier(**FAST).partial_fit(X, y, classes=[0, 1, "2"])
    mixed = np.array([np.int64(1), "a", np.float32(2.0), "b"] * 3, dtype=object)
    with pytest.raises(ValueError, match=r"y mixes label types \(float32, int64, str\)"):
        GRUClassifier(**FAST).fit(X, mixed)


def test_a_warm_start_fit_needs_the_fitted_classes_as_mlp(ragged):
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    expected = clf.predict_proba(X)
    for other in (np.zeros_like(y), np.where(y == 1, 2, y)):  # fewer classes; a new one
        with pytest.raises(ValueError, match=r"continues a fit on the same classes.*partial_fit"):
            clf.fit(X, other)
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    clf.partial_fit(X, np.zeros_like(y))  # a chunk may lack classes
    assert clf.fit(X, y).n_iter_ == 7


def test_class_weight_and_sample_weight_shift_predictions(ragged):
    X, y = ragged
    base = GRUClassifier(**FAST).fit(X, y).predict_proba(X)[:, 1].mean()
    heavy = GRUClassifier(**FAST, class_weight={1: 20.0}).fit(X, y).predict_proba(X)[:, 1].mean()
    sw = np.where(y == 1, 20.0, 1.0)
    weighted = GRUClassifier(**FAST).fit(X, y, sample_weight=sw).predict_proba(X)[:, 1].mean()
    assert heavy > base and weighted > base
    GRUClassifier(**FAST, class_weight="balanced").fit(X, y)


@pytest.mark.parametrize("cls", REGRESSORS)
def test_multi_output_regression(cls):
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in rng.randint(1, 10, size=60)]
    Y = np.array([[x[:, 0].sum(), 100 + 10 * x[:, 1].mean()] for x in X])
    reg = cls(
        hidden_size=16, max_iter=40, learning_rate_init=0.02, device="cpu", random_state=0
    ).fit(X, Y)
    pred = reg.predict(X)
    assert pred.shape == (60, 2)
    assert reg.score(X, Y) > 0.5
    assert abs(pred[:, 1].mean() - Y[:, 1].mean()) < 5  # targets are standardised internally


def _multilabel_sequences(n, seed):
    """Ragged 3-feature sequences; label j is whether feature j's sum is positive."""
    rng = np.random.RandomState(seed)
    X = [rng.randn(k, 3).astype(np.float32) for k in rng.randint(1, 12, size=n)]
    Y = np.array([x.sum(axis=0) > 0 for x in X]).astype(np.int64)
    return X, Y


@pytest.mark.parametrize("cls", CLASSIFIERS)
def test_multilabel_classification(cls):
    X, Y = _multilabel_sequences(300, 0)
    X_test, Y_test = _multilabel_sequences(100, 1)
    clf = cls(hidden_size=16, max_iter=40, device="cpu", random_state=0).fit(X, Y)
    np.testing.assert_array_equal(clf.classes_, [0, 1, 2])
    pred = clf.predict(X_test)
    assert pred.shape == (100, 3) and pred.dtype == np.int64
    assert set(np.unique(pred)) <= {0, 1}
    proba = clf.predict_proba(X_test)
    assert proba.shape == (100, 3) and ((proba >= 0) & (proba <= 1)).all()
    assert not np.allclose(proba.sum(axis=1), 1)  # independent labels, not a softmax
    np.testing.assert_array_equal(pred, (proba > 0.5).astype(int))
    np.testing.assert_allclose(clf.predict_log_proba(X_test), np.log(proba), rtol=1e-6)
    # each label is learned, and score is the subset accuracy, as for MLPClassifier
    assert (pred == Y_test).mean(axis=0).min() > 0.8
    assert clf.score(X_test, Y_test) == pytest.approx((pred == Y_test).all(axis=1).mean())


def test_multilabel_takes_the_forms_of_an_indicator_matrix():
    X, Y = _multilabel_sequences(60, 0)
    ref = GRUClassifier(**FAST).fit(X, Y).predict_proba(X)
    forms = [Y.astype(bool), Y.tolist(), pd.DataFrame(Y), sparse.csr_matrix(Y)]
    forms += [pd.DataFrame(Y).astype("Int64"), pd.DataFrame(Y).astype("boolean")]
    for form in forms:
        np.testing.assert_array_equal(GRUClassifier(**FAST).fit(X, form).predict_proba(X), ref)
    # a sparse y gives sparse predictions, as in MLPClassifier
    pred = GRUClassifier(**FAST).fit(X, sparse.csc_matrix(Y)).predict(X)
    assert sparse.issparse(pred) and pred.shape == Y.shape
    clf = GRUClassifier(**FAST, early_stopping=True, validation_fraction=0.3).fit(X, Y)
    assert len(clf.validation_scores_) == clf.n_iter_
    clf = GRUClassifier(**FAST).partial_fit(X, Y, classes=np.arange(3)).partial_fit(X, Y)
    assert clf.n_iter_ == 2
    restored = pickle.loads(pickle.dumps(clf))
    np.testing.assert_array_equal(restored.predict(X), clf.predict(X))


def test_a_column_vector_y_warns_at_the_callers_line(ragged):
    X, y = ragged
    with pytest.warns(DataConversionWarning, match="column-vector y") as record:
        GRUClassifier(**FAST).fit(X, y[:, None])
    assert {w.filename for w in record if w.category is DataConversionWarning} == {__file__}


def test_multilabel_bad_targets_are_explained_and_leave_the_model_usable():
    X, Y = _multilabel_sequences(60, 0)
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, Y)
    expected = clf.predict_proba(X)
    bad = [
        (dict(y=Y * 2), "values other than 0 and 1"),
        (dict(y=np.c_[Y[:, :2], np.arange(60) % 3]), "multiclass-multioutput.*MultiOutput"),
        (dict(y=Y[:, 0]), "same form"),
        (dict(y=Y[:, :2]), "2 label columns.*fitted with 3"),
        (dict(y=Y[:50]), "same length"),
    ]
    for kwargs, match in bad:
        with pytest.raises(ValueError, match=match):
            clf.fit(X, **kwargs)
    with pytest.raises(ValueError, match="class_weight is not supported"):
        GRUClassifier(**FAST, class_weight="balanced").fit(X, Y)
    label_lists = [[j for j in range(3) if row[j]] for row in Y]  # ragged: not a matrix
    for form in (label_lists, [np.array(labels) for labels in label_lists]):
        with pytest.raises(ValueError, match="collection of labels.*MultiLabelBinarizer"):
            GRUClassifier(**FAST).fit(X, form)
    missing = pd.DataFrame(Y).astype("Int64")
    missing.iloc[0, 0] = pd.NA
    with pytest.raises(ValueError, match="y contains NaN"):
        GRUClassifier(**FAST).fit(X, missing)
    with pytest.raises(ValueError, match="classes=np.arange"):
        GRUClassifier(**FAST).partial_fit(X, Y, classes=["a", "b", "c"])
    np.testing.assert_array_equal(clf.predict_proba(X), expected)


def test_verbose_prints_epochs_and_progress(ragged, capsys, monkeypatch):
    X, y = ragged
    GRUClassifier(**{**FAST, "max_iter": 2}, verbose=1, early_stopping=True).fit(X, y)
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and "loss" in out[0] and "validation accuracy" in out[0]
    assert "k steps/s" in out[0]  # numeric steps ("tokens/s" for token ids)
    # captured (not a terminal): a line at each quarter of the epoch, no carriage returns
    GRUClassifier(**{**FAST, "max_iter": 1}, verbose=2, batch_size=4).fit(X, y)
    out = capsys.readouterr().out
    assert "\r" not in out and out.count("batches") == 4 and "Epoch 1: 20/20 batches" in out
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    GRUClassifier(**{**FAST, "max_iter": 1}, verbose=2, batch_size=16).fit(X, y)
    assert "\rEpoch 1 [" in capsys.readouterr().out
    # the stop names the tolerance and, under early stopping, the epoch whose weights stay
    reg = GRURegressor(**{**FAST, "max_iter": 50}, verbose=1, early_stopping=True, tol=10.0)
    reg.set_params(n_iter_no_change=2).fit(X, np.arange(len(X)) % 3)
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "Validation R2 did not improve more than tol=10 for 2 consecutive epochs. Stopping, "
        "with the weights of epoch 1."
    )


# --------------------------------------------------------------- composition
def test_container_works_with_model_selection(token_ids):
    X, y = token_ids
    scores = cross_val_score(GRUClassifier(**FAST), X, y, cv=3)
    assert scores.shape == (3,)
    search = GridSearchCV(GRUClassifier(**FAST), {"hidden_size": [4, 8]}, cv=2).fit(X, y)
    assert search.best_estimator_.hidden_size in (4, 8)
    assert clone(search.best_estimator_).get_params()["hidden_size"] in (4, 8)


@pytest.mark.parametrize("cls", CLASSIFIERS + REGRESSORS)
def test_joblib_round_trip_is_identical_and_holds_no_optimizer(cls, ragged, tmp_path):
    X, y = ragged
    est = cls(**FAST).fit(X, y)
    path = tmp_path / "model.joblib"
    joblib.dump(est, path)
    loaded = joblib.load(path)
    np.testing.assert_array_equal(loaded.predict(X), est.predict(X))
    assert loaded._optimizer_state is None
    assert b"exp_avg" not in pickle.dumps(est)
    warm = cls(**FAST, warm_start=True).fit(X, y)
    assert b"exp_avg" in pickle.dumps(warm)
    pickle.loads(pickle.dumps(warm)).fit(X, y)  # continues training after a round trip


def test_cuda_fitted_state_loads_on_cpu(ragged):
    """A pickle made on a GPU machine records device_='cuda'; loading it where
    no GPU exists falls back to the CPU."""
    X, y = ragged
    est = GRUClassifier(**FAST).fit(X, y)
    state = est.__getstate__()
    state["device_"] = "cuda:0"
    clone_ = GRUClassifier.__new__(GRUClassifier)
    if torch.cuda.is_available():
        pytest.skip("needs a machine without CUDA")
    clone_.__setstate__(state)
    assert clone_.device_ == "cpu"
    np.testing.assert_array_equal(clone_.predict(X), est.predict(X))


def test_cuda_devices_are_recorded_with_their_index(monkeypatch):
    """ "cuda" means the current GPU when read: device_ names the one fitted on (a
    later change of the current GPU left data and network on different GPUs), and a
    pickle from cuda:3 loads on the current GPU of a machine with fewer."""
    from sklearn_seq._device import may_use_gpu, resolve_device
    from sklearn_seq.rnn._base import _loadable_device

    calls = []
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "current_device", lambda: calls.append(1) or 1)
    assert str(resolve_device("cuda")) == str(resolve_device("auto")) == "cuda:1"
    assert str(resolve_device("cuda:0")) == "cuda:0"
    calls.clear()
    assert may_use_gpu("cuda") and not calls  # tags do not start CUDA
    assert [_loadable_device(d) for d in ("cuda:3", "cuda", "cuda:0", "cpu")] == [
        "cuda:1",
        "cuda:1",
        "cuda:0",
        "cpu",
    ]
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert _loadable_device("cuda:3") == "cpu"


# ------------------------------------------------------------------ bad input
BAD_INPUTS = [
    ([np.array([[1.0, np.nan]])] * 2 + [np.ones((3, 2))], [0, 1, 0], ValueError, "NaN"),
    ([np.ones((2, 2)), np.array([[np.inf, 0.0]])], [0, 1], ValueError, "NaN or infinity"),
    (np.ones((4, 3, 2, 2)), [0, 1, 0, 1], ValueError, "dim"),
    ([], [], ValueError, "0 sample"),
    (np.ones((4, 3)), [0, 1, 0], ValueError, "same length|inconsistent"),
    ([np.ones((2, 2)), np.ones((3, 2))], [0.5, 1.7], ValueError, "Unknown label type"),
    ([[{"a": 1}, 2.0], [3.0]], [0, 1], TypeError, "not numeric"),
    ([np.ones((2, 2)), np.ones((3, 3))], [0, 1], ValueError, "features"),
    (["a good film", "a bad one"], [0, 1], TypeError, "got text.*W2VTransformer"),
    (np.array(["a good film", "a bad one"]), [0, 1], TypeError, "got text"),
    (pd.Series(["a good film", "a bad one"]), [0, 1], TypeError, "SequenceVectorizer"),
    ([np.ones((2, 2)), np.ones((3, 2))], ["a", None], ValueError, "mixes label types"),
    ((x for x in np.ones((4, 3))), [0, 1, 0, 1], TypeError, "X is a generator.*list"),
    ({"a": np.ones(3), "b": np.ones(2)}, [0, 1], TypeError, "X is a dict"),
    (np.ones((2, 3)), np.array([1, "a"], dtype=object), ValueError, r"types \(int, str\)"),
    ([[1, 2, 3], 5, [1]], [0, 1, 0], TypeError, "mixes sequences and single values"),
    ([np.zeros(3), np.zeros((3, 2))], [0, 1], ValueError, "same number of features"),
    (np.zeros((4, 3, 0)), [0, 1, 0, 1], ValueError, "0 features per step"),
    (np.full((4, 3), 1e39), [0, 1, 0, 1], ValueError, "beyond float32's range"),
    ([np.ones((2, 2)), np.full((3, 2), -1e39)], [0, 1], ValueError, "reach 1e\\+39.*range"),
    (
        SequenceArray([0, 1, 1], [0, 2, 3, 3], vectors=[[1, 0], [0, 1], [np.nan, 0]]),
        [0, 1, 0],
        ValueError,
        "vector table contains NaN",
    ),
    (SequenceArray([0, 10**11], [0, 1, 2]), [0, 1], ValueError, "number the tokens densely"),
    (pd.DataFrame({"text": ["a good film", "a bad one"]}), [0, 1], TypeError, "got text"),
    ([b"a good film", b"a bad one"], [0, 1], TypeError, "got text"),
    ([["a", "good"], ["a", "bad"]], [0, 1], TypeError, "got text"),
    ([["a", "good", "film"], ["bad"]], [0, 1], TypeError, "got text"),
    # categories beside numbers (a long frame's category column, per-sample frames):
    # encoded as numbers, not treated as documents
    (
        [np.array([[5.0, "fuel"], [7.0, "food"]], dtype=object)] * 2,
        [0, 1],
        TypeError,
        r"\('fuel'\) beside numbers. Encode categories as numbers first: one-hot",
    ),
    (
        [pd.DataFrame({"event": pd.Categorical(["in", "buy"]), "amount": [0.0, 4.5]})] * 2,
        [0, 1],
        TypeError,
        r"column 'event' holds categories such as 'in'. Encode.*vocab_size=largest_code \+ 1",
    ),
    # documents with a missing one are documents, not categories beside numbers
    (["good film", np.nan], [0, 1], TypeError, "got text.*make_pipeline"),
    # the first word is named, in its own feature (numpy made the numbers strings too)
    ([[[1.0, 2.0], [3.0, "x"]], [[1.0, 2.0]]], [0, 1], TypeError, r"feature 1 holds .* 'x'"),
    (
        [pd.DataFrame({"x": [1.0, 2.0], "i": pd.array([1, None], dtype="Int64")})] * 2,
        [0, 1],
        TypeError,
        r"column 'i' holds missing values \(<NA>\): impute or drop them",
    ),
    # numbers with a decimal comma (a European CSV) are numbers to read, not text
    (
        pd.DataFrame([["0,5", "1,25"], ["2,0", "-3,5"]]),
        [0, 1],
        TypeError,
        r"with a comma \('0,5'\): read them as numbers first, e.g. pandas.read_csv",
    ),
    (
        pd.DataFrame([["1,500", "2,000"], ["1.500,25", "3"]]),
        [0, 1],
        TypeError,
        r"with a comma \('1,500'\).*decimal=','.*thousands=','",
    ),
    # serialised sequences are no numbers with a comma; categories among numbers read
    # as text (a string array) are categories
    (pd.DataFrame({"s": ["1,2,3", "4,5,6"]}), [0, 1], TypeError, "got text"),
    (np.array([["1.5", "red"], ["2.0", "blue"]]), [0, 1], TypeError, r"'red'\) beside numbers"),
    # a stray value in numbers read as text is named, with the way to clean it
    (np.array([["0.5", "n/a"], ["2", "3"]]), [0, 1], TypeError, r"\(.n/a.\).*to_numeric"),
    # dates, durations and complex numbers are not silently cast to floats
    (pd.DataFrame({"t": pd.date_range("2020", periods=2)}), [0, 1], TypeError, "holds dates"),
    (np.array([pd.date_range("2020", periods=3).values] * 2), [0, 1], TypeError, "dates"),
    ([np.arange(3).astype("timedelta64[s]")] * 2, [0, 1], TypeError, "holds durations"),
    ([np.ones(3), np.ones(2) + 1j], [0, 1], ValueError, "Complex.*Sequence 1 holds complex"),
    (np.ones((2, 3)) + 1j, [0, 1], ValueError, "Complex data not supported: X holds"),
    ([None, [1.0, 2.0], [3.0]], [0, 1, 0], TypeError, "element 0 is a NoneType"),
    ([list(np.arange(3).astype("M8[D]"))] * 2, [0, 1], TypeError, "X holds dates"),
    ([[10**400, 1], [2.0]], [0, 1], ValueError, "Sequence 0 holds a number too large"),
    ("1 2 3", [0], TypeError, r"X is a single string \('1 2 3'\)"),
    # steps of different widths within one sequence (was numpy's "inhomogeneous shape")
    ([[[1.0, 2.0], [3.0]]] * 2, [0, 1], ValueError, "Sequence 0 is not a regular array"),
]


@pytest.mark.parametrize("X, y, err, match", BAD_INPUTS)
def test_bad_input_gives_clear_error(X, y, err, match):
    with pytest.raises(err, match=match):
        GRUClassifier(**FAST).fit(X, y)


@pytest.mark.parametrize(
    "X, hint",
    [
        (np.ones((4, 3)), r"\(hidden_size=8, num_layers=1\)"),
        (SequenceArray([0, 1, 1], [0, 1, 2, 3, 3], vectors=np.eye(2)), "table has 2 x 2"),
    ],
)
def test_a_network_too_large_to_build_names_its_sizes(X, hint, monkeypatch):
    from sklearn_seq.rnn import _module

    def refuse(*args, **kwargs):  # as torch's allocator refuses a huge network
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:127] can't allocate memory")

    monkeypatch.setattr(_module.SequenceNet, "__init__", refuse)
    with pytest.raises(ValueError, match=f"Could not build the network.*{hint}") as info:
        GRUClassifier(**FAST).fit(X, [0, 1, 0, 1])
    assert "no vector table" not in str(info.value)  # the learned embedding's advice


@pytest.mark.parametrize("class_weight", [{0: -1.0, 1: 3.0}, {0: np.inf}, {1: np.nan}])
def test_invalid_class_weight_values_are_refused(class_weight):
    with pytest.raises(ValueError, match="must be finite and >= 0"):
        GRUClassifier(**FAST, class_weight=class_weight).fit(np.ones((4, 3)), [0, 1, 0, 1])


@pytest.mark.parametrize("weight", ["2", 1 + 2j, np.array([1.0, 2.0]), None])
def test_class_weights_that_are_not_numbers_are_refused(weight):
    # a string weight was read as its number, silently; the others failed inside numpy
    with pytest.raises(ValueError, match="has a weight that is not a number"):
        GRUClassifier(**FAST, class_weight={0: weight}).fit(np.ones((4, 3)), [0, 1, 0, 1])


@pytest.mark.skipif(not hasattr(getattr(np, "dtypes", None), "StringDType"), reason="needs numpy 2")
def test_string_dtype_labels():
    X = np.random.RandomState(0).randn(8, 3)
    y = np.array(["a", "b"] * 4, dtype=np.dtypes.StringDType())
    clf = GRUClassifier(**FAST).fit(X, y)  # failed inside scikit-learn's checks
    assert clf.classes_.tolist() == ["a", "b"] and set(clf.predict(X)) <= {"a", "b"}


def test_scalar_classes_are_refused():
    X = np.random.RandomState(0).randn(8, 3)
    with pytest.raises(ValueError, match="classes must be a 1D array-like.*0 dimensions"):
        GRUClassifier(**FAST).partial_fit(X, [0, 1] * 4, classes=np.array(3))


@pytest.mark.parametrize(
    "est, n, n_classes",
    [(GRUClassifier, 10, 5), (GRUClassifier, 1, 1), (LSTMRegressor, 5, None)],
)
def test_early_stopping_on_too_little_data_names_validation_fraction(est, n, n_classes):
    X = np.random.RandomState(0).randn(n, 3)
    y = np.arange(n) % n_classes if n_classes else X[:, 0]  # R^2 needs 2 validation samples
    with pytest.raises(ValueError, match="validation_fraction=0.1 of"):
        est(**FAST, early_stopping=True).fit(X, y)


def test_early_stopping_needs_weighted_validation_samples_for_its_score():
    # one positively weighted validation sample: R^2 was 0 at every epoch, and the
    # fit stopped early on epoch 1's weights, silently
    rng = np.random.RandomState(0)
    X = rng.randn(120, 10, 3)
    y = X[:, :, 1].sum(1)
    weights = np.r_[np.ones(5), np.zeros(115)]
    reg = GRURegressor(**FAST, early_stopping=True)
    with pytest.raises(ValueError, match="leaves 1 validation sample.* of positive weight.*2"):
        reg.fit(X, y, sample_weight=weights)
    weights[:30] = 1.0
    assert np.isfinite(reg.fit(X, y, sample_weight=weights).best_validation_score_)


def test_sequences_without_any_token_get_predictions():
    no_tokens = SequenceArray(np.zeros(0, dtype=int), [0, 0, 0, 0])
    clf = GRUClassifier(**FAST).fit(no_tokens, [0, 1, 0])
    assert clf.predict(no_tokens[:2]).shape == (2,)
    clf = GRUClassifier(**FAST).fit([[], [], [1.0, 2.0]], [0, 1, 0])  # empty univariate lists
    assert clf.predict([[], []]).shape == (2,)


@pytest.mark.parametrize("size", [1e-200, 1e160])
def test_tiny_and_huge_targets_are_standardised(size):
    rng = np.random.RandomState(0)
    X, y = rng.randn(20, 3), rng.randn(20)
    expected = GRURegressor(**FAST).fit(X, y).predict(X)
    np.testing.assert_allclose(GRURegressor(**FAST).fit(X, y * size).predict(X) / size, expected)


def test_zero_weight_targets_do_not_set_the_units():
    # a left-out sample (weight 0) with a far-off target moves neither the target's
    # mean nor its scale: the fit is the one without it
    rng = np.random.RandomState(0)
    X, y = rng.randn(30, 3), rng.randn(30)
    X_out, y_out = np.vstack([X, rng.randn(5, 3)]), np.r_[y, np.full(5, 1e6)]
    params = {**FAST, "batch_size": 100, "shuffle": False}
    expected = GRURegressor(**params).fit(X, y).predict(X)
    weight = np.r_[np.ones(30), np.zeros(5)]
    reg = GRURegressor(**params).fit(X_out, y_out, sample_weight=weight)
    np.testing.assert_allclose(reg.predict(X), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("size", [1e-200, 1e160])
def test_target_statistics_merge_without_overflow(size):
    rng = np.random.RandomState(0)
    X, y = rng.randn(40, 3), rng.randn(40) + 3
    reg = GRURegressor(**FAST).partial_fit(X[:20], y[:20] * size)
    before = reg.predict(X)
    reg.set_params(learning_rate_init=1e-30).partial_fit(X[20:], y[20:] * size)
    np.testing.assert_allclose(reg.predict(X), before, rtol=1e-5)
    assert np.isfinite(reg.loss_curve_).all()


def test_partial_fit_standardises_with_all_the_targets_seen():
    # a first chunk of two almost equal targets must not fix the units for good
    rng = np.random.RandomState(0)
    X = rng.randn(300, 4)
    y = 1000 + 250 * X[:, 0]
    first = GRURegressor(**FAST).partial_fit(X[:2], [1000.0, 1000.001])
    before = first.predict(X)
    # re-expressing the output layer in the new units leaves the predictions as they were
    first.set_params(learning_rate_init=1e-30).partial_fit(X[2:4], y[2:4])
    np.testing.assert_allclose(first.predict(X), before, rtol=1e-6)
    scores = []
    for head in ([1000.0, 1000.001], y[:2]):
        reg = GRURegressor(**{**FAST, "learning_rate_init": 0.02}).partial_fit(X[:2], head)
        for _ in range(30):
            reg.partial_fit(X, y)
        scores.append(reg.score(X, y))
    assert scores[0] > 0.8 and scores[1] > 0.8
    assert scores[0] == pytest.approx(scores[1], abs=0.1)


@pytest.mark.parametrize("size", [1e-4, 1e-20, 1e6])
@pytest.mark.parametrize("n_first", [1, 50])
def test_a_constant_first_chunk_does_not_set_the_units(size, n_first):
    rng = np.random.RandomState(0)
    X = rng.randn(300, 4)
    y = size * X[:, 0]
    reg = GRURegressor(**{**FAST, "learning_rate_init": 0.02})
    reg.partial_fit(X[:n_first], np.full(n_first, y[0]))  # one value: std 0
    # equal targets are standardised by their size: the untrained output is in their units
    np.testing.assert_allclose(reg.predict(X), y[0], rtol=0.5)
    for _ in range(30):
        reg.partial_fit(X, y)
    assert reg.score(X, y) > 0.8


def test_warm_start_on_wider_targets_keeps_learning():
    rng = np.random.RandomState(0)
    X = rng.randn(200, 4)
    y = 1000 + 250 * X[:, 0]
    reg = GRURegressor(**{**FAST, "max_iter": 20, "learning_rate_init": 0.02}, warm_start=True)
    reg.fit(X[:20], 1000 + 0.01 * X[:20, 0])  # a narrow first target
    reg.fit(X, y)
    assert reg.score(X, y) > 0.8


def test_column_target_and_early_stopping_in_partial_fit_as_mlp():
    rng = np.random.RandomState(0)
    X, y = rng.randn(30, 3), rng.randn(30)
    # a column y is one output: warned about and predicted 1D, whatever the latest call
    with pytest.warns(DataConversionWarning, match="column-vector y"):
        reg = GRURegressor(**FAST, warm_start=True).fit(X, y[:, None])
    assert reg.predict(X).shape == (30,)
    with pytest.warns(DataConversionWarning):
        reg.partial_fit(X, y[:, None])
    assert reg.fit(X, y).predict(X).shape == (30,)
    stopped = GRURegressor(**FAST, early_stopping=True, validation_fraction=0.3).fit(X, y)
    assert stopped.best_loss_ is None and stopped.best_validation_score_ is not None
    before = stopped.predict(X)
    with pytest.raises(ValueError, match="partial_fit does not support early_stopping=True"):
        stopped.partial_fit(X, y)
    np.testing.assert_array_equal(stopped.predict(X), before)
    stopped.set_params(early_stopping=False).partial_fit(X, y)  # tracks the loss
    assert np.isfinite(stopped.best_loss_) and np.isnan(stopped.validation_scores_[-1])
    stopped.set_params(warm_start=True).fit(X, y)
    assert np.isfinite(stopped.best_loss_)
    assert stopped.set_params(early_stopping=True).fit(X, y).best_loss_ is None


def test_large_inputs_are_warned_about_in_fit(ragged):
    # inputs of thousands saturate the cells: every prediction alike, silently
    X, y = ragged
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf = GRUClassifier(**FAST).fit(X, y)  # unit-scale steps: no warning
        large = [x * [1.0, 500.0] for x in X]
        clf.predict(large)  # prediction does not warn
    with pytest.warns(UserWarning, match=r"feature 1 has a root mean square of [45]\d0\. .*Standa"):
        GRUClassifier(**FAST).fit(large, y)
    # a small variation around a large mean, and a thousandth of unit scale, train as
    # badly (measured: R^2 -0.5 for a signal of 1 around 50, 0.44 at 1e-3)
    with pytest.warns(UserWarning, match=r"feature 0 has a mean of 50 and varies by only"):
        GRUClassifier(**FAST).fit([x + [50.0, 0.0] for x in X], y)
    with pytest.warns(UserWarning, match=r"feature 1 has a root mean square of 0.00\d+, which"):
        GRUClassifier(**FAST).fit([x * [1.0, 1e-3] for x in X], y)
    flag = np.zeros((20_000, 2))  # a rare 0/1 flag: small RMS, but values of 1
    flag[0, 1], flag[:, 0] = 1.0, np.random.RandomState(0).randn(20_000)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        GRUClassifier(**{**FAST, "max_iter": 1}).fit([flag[:10_000], flag[10_000:]], [0, 1])
    # any level many spreads above 0 (measured: pH 7.2 +- 0.05 at chance, 0.98 scaled);
    # a constant, or a rare 0/1 flag, is quiet
    with pytest.warns(UserWarning, match=r"feature 1 has a mean of 7.2 and varies") as record:
        GRUClassifier(**FAST).fit([x * [1.0, 0.05] + [0.0, 7.2] for x in X], y)
    assert "np.diff" not in str(record[0].message)  # one level for all: nothing to difference
    # each sequence at its own level (prices): difference, then standardise
    t = np.arange(40)[:, None]
    levels = [
        np.c_[np.sin(t / (3 + i % 5)), 50.0 + 40.0 * i + 5 * np.sin(t / 8)] for i in range(len(y))
    ]
    with pytest.warns(UserWarning, match=r"root mean square of \d+.*np.diff\(x, axis=0\)"):
        GRUClassifier(**FAST).fit(levels, y)
    # frames that scatter around their class's level are no prices: not differenced
    frames = [x * [1.0, 0.5] + [0.0, 200.0 * (i % 4)] for i, x in enumerate(X)]
    with pytest.warns(UserWarning, match="large for a recurrent network") as record:
        GRUClassifier(**FAST).fit(frames, y)
    assert "np.diff" not in str(record[0].message)
    # a 0/1 flag on in nearly every step: its rare 0s (the signal, measured) barely move
    often = (np.random.RandomState(0).rand(20_000) < 0.99).astype(float)
    flag[:, 1] = often
    with pytest.warns(UserWarning, match=r"feature 1 is 1 in 99% of the steps.*Standardise it"):
        GRUClassifier(**{**FAST, "max_iter": 1}).fit([flag[:10_000], flag[10_000:]], [0, 1])
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        for column in (1.0 - often, np.full(20_000, 7.2), np.full(20_000, 0.1)):
            flag[:, 1] = column
            GRUClassifier(**{**FAST, "max_iter": 1}).fit([flag[:10_000], flag[10_000:]], [0, 1])
        # a constant over many steps: rounding in the spread is not a variation
        steps = np.c_[np.random.RandomState(1).randn(200_000), np.full(200_000, 0.1)]
        long = list(steps.reshape(100, 2000, 2))
        GRUClassifier(**{**FAST, "max_iter": 1}).fit(long, np.arange(100) % 2)
    # a 2D array's columns may be different measurements, not steps
    rng = np.random.RandomState(0)
    with pytest.warns(UserWarning, match=r"SequenceScaler.*columns are different .*StandardS"):
        GRUClassifier(**FAST).fit(np.c_[np.ones(len(y)), rng.rand(len(y), 3) * 1e3], y)
    # small returns with one large day are small still; a 2D array of one series' windows
    # (columns of one scale) is not told about StandardScaler
    returns = 0.005 * rng.randn(len(y), 20)
    returns[0, 0] = -0.15
    with pytest.warns(UserWarning, match="are small for a recurrent network"):
        GRUClassifier(**FAST).fit(returns, y)
    with pytest.warns(UserWarning, match="large for a recurrent network") as record:
        GRUClassifier(**FAST).fit(300 + 100 * rng.rand(len(y), 6), y)
    assert "StandardScaler" not in str(record[0].message)
    # a large constant is named so; a small level with a smaller spread is small
    with pytest.warns(UserWarning, match=r"feature 0 is 11 in every step\. "):
        GRUClassifier(**FAST).fit(np.full((len(y), 5, 1), 11.1), y)
    faint = 0.001 + 1e-6 * rng.randn(len(y), 5, 1)
    with pytest.warns(UserWarning, match="are small for a recurrent network: feature 0 has a"):
        GRUClassifier(**FAST).fit(faint, y)
    # whole numbers of a large RMS may be token ids read as magnitudes
    ids = np.random.RandomState(0).randint(0, 400, (len(y), 8))
    with pytest.warns(UserWarning, match=r"token ids or category codes.*Otherwise standardise"):
        GRUClassifier(**FAST).fit(ids, y)
    for numbers in (ids + 0.5, ids.reshape(len(y), 4, 2), ids + 2000):  # not whole, two a
        # step, or years
        with pytest.warns(UserWarning, match="large for a recurrent network") as record:
            GRUClassifier(**FAST).fit(numbers, y)
        assert "token ids" not in str(record[0].message)
    padded_ids = ids.copy()
    padded_ids[:, 5:] = 0  # SequenceVectorizer(output="padded"): the ids advice, alone
    with pytest.warns(UserWarning, match="token ids") as record:
        GRUClassifier(**FAST).fit(padded_ids, y)
    said = " ".join(str(w.message) for w in record)
    assert "end in steps" not in said and "StandardScaler" not in said
    with pytest.warns(UserWarning, match="large for a recurrent network"):
        reg = GRURegressor(**FAST, warm_start=True).fit(np.full((10, 4), 1e4), np.arange(10.0))
    with pytest.warns(UserWarning, match="large for a recurrent network"):
        reg.fit(np.full((10, 4), 1e4), np.arange(10.0))  # every fit, warm ones too


def test_zero_padded_sequences_of_one_length_are_warned_about():
    # padding steps are read as data: a zero-padded array trained at chance, silently
    rng = np.random.RandomState(0)
    X = rng.randn(30, 12, 2)
    y = np.arange(30) % 2
    padded = X.copy()
    for i, n in enumerate(rng.randint(3, 13, 30)):
        padded[i, n:] = 0.0
    with pytest.warns(UserWarning, match=r"\d+ of 30 sequences of X end in steps .* exactly 0"):
        GRUClassifier(**FAST).fit(padded, y)
    with pytest.warns(UserWarning, match="end in steps"):  # univariate, 2D
        GRUClassifier(**FAST).fit(padded[:, :, 0], y)
    sparse = (rng.rand(30, 12, 2) < 0.3) * rng.rand(30, 12, 2)  # zero steps anywhere: data
    table = rng.rand(30, 5)
    table[:20, -1] = 0.0  # a last column often 0: one step, not padding
    border = rng.rand(30, 12, 3)
    border[:, :, 2] = 0.0
    border[0, 5, 2] = 0.05  # a feature 0 in all but one step (an image's border pixel)
    lonely = np.zeros((30, 12, 2))
    lonely[0, 0, 0] = 1.0  # all zero but one value
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        for fine in (
            X,
            sparse,
            [x[: 3 + i % 9] for i, x in enumerate(padded)],
            table,
            lonely,
            border,
            np.minimum(np.arange(12) * rng.uniform(15, 40, (30, 1)), 100.0),  # ends at 100%
        ):
            GRUClassifier(**FAST).fit(fine, y)
        GRUClassifier(**FAST).fit(padded[:4], y[:4])  # too few to tell
    # a sentinel pads as zeros do: said so, and not taken for a scale to fix
    sentinel = np.where(padded == 0.0, -999.0, padded)
    with pytest.warns(UserWarning, match="features all equal -999") as record:
        GRUClassifier(**FAST).fit(sentinel, y)
    assert not any("large for a recurrent" in str(w.message) for w in record)
    # a ceiling the series reach and keep (a clipped sensor, 100%) is data, not padding:
    # its scale is what to fix
    ramp = np.minimum(np.arange(12) * rng.uniform(600, 1500, (30, 1)), 4095.0)[:, :, None]
    with pytest.warns(UserWarning, match="large for a recurrent network") as record:
        GRUClassifier(**FAST).fit(ramp, y)
    assert not any("end in steps" in str(w.message) for w in record)
    # zero-padded codes: the true-length lists are ids
    codes = np.where(padded[:, :, 0] == 0.0, 0, np.arange(12) % 5 + 1)
    with pytest.warns(UserWarning, match=r"end in steps.*vocab_size=largest_code \+ 1"):
        GRUClassifier(**FAST).fit(codes, y)


def test_unscaled_input_warnings_give_one_text_across_folds():
    # two significant digits: the folds of one dataset give the same text (290 and
    # 291 were five texts in a 5-fold CV)
    rng = np.random.RandomState(0)
    X, y = 290 + 10 * rng.randn(100, 6), np.arange(100) % 2
    messages = set()
    for train in np.array_split(rng.permutation(100), 5):
        with pytest.warns(UserWarning, match="root mean square of 290") as record:
            GRUClassifier(**{**FAST, "max_iter": 1}).fit(X[train], y[train])
        messages |= {str(w.message) for w in record if "root mean square" in str(w.message)}
    assert len(messages) == 1


def test_a_frozen_vector_table_near_zero_is_warned_about():
    # word vectors trained on little text stay near their start (RMS ~0.01): frozen,
    # the network scored the majority class on stdlib docstrings (0.61 fine-tuned)
    rng = np.random.RandomState(0)
    seqs = [rng.randint(0, 50, size=6) for _ in range(40)]
    y = np.arange(40) % 2
    faint = SequenceArray.from_sequences(seqs, vectors=rng.randn(50, 8) * 1e-3)
    with pytest.warns(UserWarning, match=r"vector table is small.*length is 0\b"):
        GRUClassifier(**FAST).fit(SequenceArray.from_sequences(seqs, vectors=np.zeros((50, 8))), y)
    with pytest.warns(UserWarning, match=r"vector table is small.*length is 0.00\d+.*freeze_emb"):
        GRUClassifier(**FAST).fit(faint, y)
    # a vector's length counts, not its entries' size: unit vectors of 20,000 entries
    wide = rng.randn(50, 20_000)
    wide /= np.linalg.norm(wide, axis=1, keepdims=True)
    wide = SequenceArray.from_sequences(seqs, vectors=wide)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        warnings.simplefilter("ignore", ConvergenceWarning)
        GRUClassifier(**FAST, freeze_embedding=False).fit(faint, y)  # trained with the network
        GRUClassifier(**FAST).fit(SequenceArray.from_sequences(seqs, vectors=rng.randn(50, 8)), y)
        GRUClassifier(**{**FAST, "max_iter": 1}).fit(wide, y)


def test_overflowing_learning_rate_is_reported_as_divergence(ragged):
    with pytest.raises(ValueError, match="diverged.*Lower learning_rate_init"):
        GRUClassifier(**FAST, learning_rate_init=1e38).fit(*ragged)


def test_weights_broken_by_the_last_step_are_reported_as_divergence(ragged):
    # each batch's loss is taken before its step: one batch whose step overflows
    # gave a finite loss and a model predicting NaN (kept as best under early stopping)
    X, y = ragged
    for early_stopping in (False, True):
        clf = GRUClassifier(**FAST, batch_size=200, learning_rate_init=1e38)
        with pytest.raises(ValueError, match="weights became NaN.*learning_rate_init"):
            clf.set_params(early_stopping=early_stopping).fit(X, y)
        assert not hasattr(clf, "classes_")
    with pytest.raises(ValueError, match=r"diverged.*L2 penalty alpha \(now 1e\+50\)"):
        GRUClassifier(**FAST, alpha=1e50, learning_rate_init=1e-6).fit(X, y)


@pytest.mark.parametrize(
    "weights",
    [{"sample_weight": 1e307}, {"class_weight": {0: 1e39, 1: 1e39}}],
    ids=["sample_weight", "class_weight"],
)
def test_uniform_weights_too_large_for_their_mean_are_no_weights(weights, ragged):
    # the mean of 1e307s overflowed (every weight became 0: nothing trained); class
    # weights beyond float32 became infinite
    X, y = ragged
    expected = GRUClassifier(**FAST).fit(X, y).predict_proba(X)
    clf = GRUClassifier(**FAST, class_weight=weights.get("class_weight"))
    scale = weights.get("sample_weight")
    clf.fit(X, y, sample_weight=None if scale is None else np.full(len(y), scale))
    np.testing.assert_array_equal(clf.predict_proba(X), expected)


def test_mixed_label_types_in_classes_are_named():
    with pytest.raises(ValueError, match="classes mixes label types"):
        GRUClassifier(**FAST).partial_fit(np.ones((2, 3)), ["a", "a"], classes=["a", None])


def test_regressor_refuses_dates_as_targets():
    dates = pd.Series(pd.date_range("2020", periods=4))
    for y, what in [
        (dates, "dates"),
        (list(dates), "dates"),
        (list(dates - dates[0]), "durations"),
    ]:
        with pytest.raises(TypeError, match=f"y holds {what}"):
            GRURegressor(**FAST).fit(np.ones((4, 3)), y)


@pytest.mark.parametrize("scale", [1e-50, 1e39])
def test_uniform_sample_weights_of_any_scale_are_no_weights(scale, ragged):
    # normalised in float64: float32 turned 1e-50 into 0 and 1e39 into inf
    X, y = ragged
    expected = GRUClassifier(**FAST).fit(X, y).predict_proba(X)
    got = GRUClassifier(**FAST).fit(X, y, sample_weight=np.full(len(y), scale)).predict_proba(X)
    np.testing.assert_array_equal(got, expected)


def test_torch_tensors_are_sequences(ragged):
    # tensors that need a gradient, or in bfloat16 (which numpy has not), are read too
    X, y = ragged
    expected = GRUClassifier(**FAST).fit(X, y).predict_proba(X)
    tensors = [torch.from_numpy(x).requires_grad_() for x in X]
    np.testing.assert_array_equal(GRUClassifier(**FAST).fit(tensors, y).predict_proba(X), expected)
    half = [torch.from_numpy(x).bfloat16() for x in X]
    clf = GRUClassifier(**FAST).fit(half, y)
    as_float = [x.float().numpy() for x in half]  # read as their float32 values
    np.testing.assert_array_equal(clf.predict_proba(half), clf.predict_proba(as_float))
    # a whole 3D tensor too
    dense = np.random.RandomState(0).randn(20, 4, 2).astype(np.float32)
    labels = np.arange(20) % 2
    expected = GRUClassifier(**FAST).fit(dense, labels).predict_proba(dense)
    got = GRUClassifier(**FAST).fit(torch.from_numpy(dense).requires_grad_(), labels)
    np.testing.assert_array_equal(got.predict_proba(torch.from_numpy(dense)), expected)
    GRUClassifier(**FAST).fit(torch.from_numpy(dense).bfloat16(), labels)
    # targets and weights as tensors that need a gradient, or in bfloat16
    target = torch.from_numpy(dense[:, 0, 0].copy())
    expected = GRURegressor(**FAST).fit(dense, target.numpy()).predict(dense)
    weight = torch.ones(20, requires_grad=True)
    got = GRURegressor(**FAST).fit(dense, target.requires_grad_(), sample_weight=weight)
    np.testing.assert_array_equal(got.predict(dense), expected)
    GRURegressor(**FAST).fit(dense, target.detach().bfloat16(), sample_weight=weight.bfloat16())
    # classes as a tensor: read as y is (on a GPU, np.asarray of it would fail)
    classes = torch.tensor([0.0, 1.0], requires_grad=True)
    clf = GRUClassifier(**FAST).partial_fit(dense, labels, classes=classes)
    np.testing.assert_array_equal(clf.classes_, [0, 1])


def test_negative_sample_weight_is_refused():
    with pytest.raises(ValueError, match="sample_weight has negative values"):
        GRUClassifier(**FAST).fit(np.ones((4, 3)), [0, 1, 0, 1], sample_weight=[-1, 1, 1, 1])


def test_numeric_strings_are_numbers_wherever_they_are():
    # as for MLPClassifier: a column of numbers read as strings (a CSV) is converted
    rng = np.random.RandomState(0)
    values = rng.randn(20, 3).round(3)
    y = (values.sum(axis=1) > 0).astype(int)
    expected = GRUClassifier(**FAST).fit(values, y).predict_proba(values)
    for col in range(3):
        frame = pd.DataFrame(values)
        frame[col] = frame[col].astype(str)
        np.testing.assert_allclose(
            GRUClassifier(**FAST).fit(frame, y).predict_proba(frame), expected, rtol=1e-6
        )
    ragged = [values[:n, :2] for n in range(1, 21)]
    expected = GRUClassifier(**FAST).fit(ragged, y).predict_proba(ragged)
    for form in ([x.astype(str) for x in ragged], [pd.DataFrame(x).astype(str) for x in ragged]):
        np.testing.assert_allclose(
            GRUClassifier(**FAST).fit(form, y).predict_proba(form), expected, rtol=1e-6
        )
    # words after numbers are text, in a list of documents or of token lists
    for docs in (["2021", "a good film"], [["2023", "2024"], ["hello", "world"]]):
        with pytest.raises(TypeError, match="got text"):
            GRUClassifier(**FAST).fit(docs, [0, 1])
    for X in ([[1.0, 2.0], [1e39, 1.0]], np.array([["1", "2"], ["4e38", "1"]], dtype=object)):
        with pytest.raises(ValueError, match="beyond float32's range"):
            GRUClassifier(**FAST).fit(X, [0, 1])


def test_class_weight_may_name_a_class_absent_from_a_fold():
    # as compute_class_weight: time-ordered folds that have not seen class 2 yet fit
    rng = np.random.RandomState(0)
    X, y = rng.randn(60, 6), np.array([0, 1] * 30)
    y[-20:] = 2
    weights = {0: 1.0, 1: 1.0, 2: 5.0}
    clf = GRUClassifier(**FAST, class_weight=weights)
    assert np.isfinite(cross_val_score(clf, X, y, cv=TimeSeriesSplit(3))).all()
    with pytest.raises(ValueError, match=r"names classes \['a'\].*no weight to \[1\]"):
        clf.set_params(class_weight={0: 1.0, "a": 2.0}).fit(X[:40], y[:40])


@pytest.mark.parametrize("cls", [GRUClassifier, GRURegressor])
def test_fit_under_array_api_dispatch(cls, ragged, monkeypatch):
    # scikit-learn asked the SequenceArray for its array namespace: every fit failed
    monkeypatch.setenv("SCIPY_ARRAY_API", "1")
    X, y = ragged
    expected = cls(**FAST).fit(X, y).predict(X)
    with sklearn.config_context(array_api_dispatch=True):
        model = cls(**FAST).fit(X, y, sample_weight=np.ones(len(y)))
        np.testing.assert_array_equal(model.predict(X), expected)


def test_bad_calls_leave_a_fitted_model_usable(ragged):
    X, y = ragged
    clf = GRUClassifier(**FAST).fit(X, y)
    expected = clf.predict(X)
    with pytest.raises(ValueError, match="features per step"):
        clf.predict([np.ones((3, 5))])
    with pytest.raises(ValueError, match="NaN"):
        clf.predict([np.full((3, 2), np.nan)])
    with pytest.raises(ValueError, match="2D array"):
        clf.predict(np.ones((3, 4)))
    with pytest.raises(ValueError, match="class_weight names"):
        clf.set_params(class_weight={"spam": 2.0}).fit(X, y)
    clf.set_params(class_weight=None)
    np.testing.assert_array_equal(clf.predict(X), expected)
    with pytest.raises(RuntimeError if not torch.cuda.is_available() else ValueError):
        clf.set_params(device="cuda:99").fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), expected)


def test_cuda_without_gpu_is_a_clear_error(ragged):
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    X, y = ragged
    with pytest.raises(RuntimeError, match="no CUDA GPU"):
        GRUClassifier(device="cuda").fit(X, y)
    with pytest.raises(ValueError, match="is not a device"):
        GRUClassifier(device="gpu").fit(X, y)
    with pytest.raises(ValueError, match="not supported"):
        GRUClassifier(device="meta").fit(X, y)


def test_a_fitted_model_keeps_no_gradients(ragged):
    # the last batch's gradients would take as much memory again as the weights
    X, y = ragged
    fitted = GRUClassifier(**FAST).fit(X, y)
    for clf in (fitted, GRUClassifier(**FAST).partial_fit(X, y, classes=[0, 1])):
        assert all(p.grad is None for p in clf.module_.parameters())


def test_gpu_out_of_memory_is_a_clear_error_that_holds_no_tensors(ragged, monkeypatch):
    # simulated: torch's out-of-memory error raised in training and in prediction. The
    # library's error must not keep it as its context: that error's frames hold the
    # training data and the activations on the GPU, and a notebook keeps the last error
    import gc
    import weakref

    from sklearn_seq.rnn import _base

    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    expected = clf.predict_proba(X)
    held = []
    batches = _base._OnDevice.batches

    def out_of_memory(self, order):
        held.append(weakref.ref(self.data))
        yield from batches(self, order[:1])
        raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")

    monkeypatch.setattr(_base._OnDevice, "batches", out_of_memory)
    for call, what in ((clf.fit, "while training"), (clf.predict, "while predicting")):
        with pytest.raises(RuntimeError, match=f"GPU ran out of memory {what}") as info:
            call(X, y) if call == clf.fit else call(X)
        assert info.value.__context__ is None and info.value.__cause__ is None
        gc.collect()
        assert held[-1]() is None  # the tensors of the failed call are freed
    monkeypatch.undo()
    np.testing.assert_array_equal(clf.predict_proba(X), expected)

    # early stopping's score runs out of memory inside fit: training's error
    def scoring_out_of_memory(self, seqs):
        raise torch.cuda.OutOfMemoryError("CUDA out of memory (simulated)")

    monkeypatch.setattr(_base.BaseSequenceEstimator, "_forward_sequences", scoring_out_of_memory)
    with pytest.raises(RuntimeError, match="GPU ran out of memory while training"):
        GRUClassifier(**FAST, early_stopping=True).fit(X, y)


def test_float64_sequences_predict_alike_in_a_list_and_in_an_array():
    # a list of float64 arrays was read in float32 (1e-9 apart from the 3D array)
    rng = np.random.RandomState(0)
    X = rng.randn(40, 6, 3)
    y = np.arange(40) % 2
    clf = GRUClassifier(**FAST).fit(X, y)
    np.testing.assert_array_equal(clf.predict_proba(list(X)), clf.predict_proba(X))
    ragged = [x[: 2 + i % 4] for i, x in enumerate(X)]
    alone = [clf.predict_proba(x[None]) for x in ragged]  # float64 arrays, one at a time
    np.testing.assert_allclose(clf.predict_proba(ragged), np.vstack(alone), rtol=0, atol=1e-13)
    np.testing.assert_array_equal(  # fit reads float32 from a list as from an array
        GRUClassifier(**FAST).fit(list(X), y).predict_proba(X), clf.predict_proba(X)
    )


def test_device_may_be_a_torch_device(ragged):
    # skorch and torch users pass torch.device objects
    X, y = ragged
    expected = GRUClassifier(**FAST).fit(X, y).predict_proba(X)
    clf = GRUClassifier(**{**FAST, "device": torch.device("cpu")}).fit(X, y)
    assert clf.device_ == "cpu" and clone(clf).device == torch.device("cpu")
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    with pytest.raises(ValueError, match="not supported"):
        GRUClassifier(device=torch.device("meta")).fit(X, y)


def test_a_change_of_device_applies_to_warm_and_partial_fits(ragged):
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    expected = clf.predict_proba(X)

    def on(device_type):
        return {p.device.type for p in clf.module_.parameters()} == {device_type}

    if not torch.cuda.is_available():
        clf.set_params(device="cuda")
        for call in (clf.fit, clf.partial_fit):  # not silently kept on the CPU
            with pytest.raises(RuntimeError, match="no CUDA GPU"):
                call(X, y)
    else:
        clf.set_params(device="cuda")
        with pytest.raises(ValueError, match="continues a fit on the same classes"):
            clf.fit(X, np.full(len(y), 7))  # a failed call moves the network back
        assert clf.device_ == "cpu" and on("cpu")
        np.testing.assert_array_equal(clf.predict_proba(X), expected)
        clf.fit(X, y)
        assert clf.device_.startswith("cuda") and on("cuda")
        clf.set_params(device="cpu").partial_fit(X, y)
        assert clf.device_ == "cpu" and on("cpu")
        return
    assert clf.device_ == "cpu" and on("cpu")
    np.testing.assert_array_equal(clf.predict_proba(X), expected)


def test_unfitted_model_raises_not_fitted(ragged):
    with pytest.raises(NotFittedError):
        GRUClassifier().predict(ragged[0])


def test_divergence_is_reported_and_the_model_is_left_as_it_was():
    rng = np.random.RandomState(0)
    X, y = rng.randn(20, 5), rng.randn(20)
    reg = RNNRegressor(**FAST).fit(X, y)
    expected = reg.predict(X)
    reg.set_params(nonlinearity="relu", max_grad_norm=None, learning_rate_init=100.0)
    with pytest.raises(ValueError, match="diverged.*Lower learning_rate_init"):
        reg.fit(X * 1e6, y)
    np.testing.assert_array_equal(reg.predict(X), expected)


def test_a_failed_warm_fit_keeps_the_trained_weights(ragged, monkeypatch):
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    expected, curve = clf.predict_proba(X), list(clf.loss_curve_)
    run_epoch = GRUClassifier._run_epoch

    def second_epoch_fails(self, *args):
        loss = run_epoch(self, *args)  # the weights are trained in place first
        if len(self.loss_curve_) > len(curve):
            raise ValueError("Training diverged (simulated)")
        return loss

    twin = pickle.loads(pickle.dumps(clf))  # holds the optimiser state too (warm_start)
    monkeypatch.setattr(GRUClassifier, "_run_epoch", second_epoch_fails)
    with pytest.raises(ValueError, match="simulated"):
        clf.fit(X, y)
    monkeypatch.undo()
    assert clf.loss_curve_ == curve
    np.testing.assert_array_equal(clf.predict_proba(X), expected)
    np.testing.assert_array_equal(pickle.loads(pickle.dumps(clf)).predict_proba(X), expected)
    # weights, Adam's moments and the random state as before: training goes on identically
    assert clf.fit(X, y).loss_curve_ == twin.fit(X, y).loss_curve_


def test_warm_start_and_partial_fit_refuse_another_network(ragged):
    X, y = ragged
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    expected = clf.predict(X)
    defaults = GRUClassifier(**FAST).get_params()
    for params in ({"hidden_size": 16}, {"bidirectional": True}, {"pooling": "max"}):
        with pytest.raises(ValueError, match="warm_start=True continues the fitted network"):
            clf.set_params(**params).fit(X, y)
        with pytest.raises(ValueError, match="partial_fit continues.*set warm_start=False and"):
            clf.partial_fit(X, y)
        clf.set_params(**{name: defaults[name] for name in params})
    # input another network would need: the advice names the call that continues
    wide = [np.hstack([x, x]) for x in X]
    for call, who in ((clf.fit, "warm_start=True"), (clf.partial_fit, "partial_fit")):
        advice = rf"\({who} continues the fitted network, which needs input like the first fit"
        advice += r"'s: set warm_start=False and call fit to train a new network on this input"
        with pytest.raises(ValueError, match="fitted with 2 features per step. " + advice):
            call(wide, y)
        with pytest.raises(ValueError, match=r"kind of input as in fit\. " + advice) as info:
            call(np.ones((len(y), 2)), y)
        assert "X[None]" not in str(info.value)  # n samples with n labels, not one sequence
        with pytest.raises(ValueError, match=r"kind of input as in fit\. " + advice):
            call(np.ones((len(y), 5)), y)  # 5 features a step cannot be one sequence
    flat = GRURegressor(**FAST, warm_start=True).fit(np.ones((10, 4)), np.arange(10.0))
    advice = r"\(warm_start=True continues the fitted network, which needs input like"
    with pytest.raises(ValueError, match="expecting 4 features as input.*" + advice):
        flat.fit(np.ones((10, 5)), np.arange(10.0))
    with pytest.raises(ValueError, match="y has 2 outputs.*set warm_start=False and call fit"):
        flat.fit(np.ones((10, 4)), np.ones((10, 2)))
    with pytest.raises(ValueError, match=r"pass X\[None\] or \[X\]\.$"):
        clf.predict(X[0])  # one sequence: the hint, not the advice of a continuing call
    # partial_fit on a model fitted with warm_start=False: fit itself trains a new network
    cold = GRUClassifier(**FAST).fit(X, y)
    with pytest.raises(ValueError, match=r"Set them back, or call fit to train a new network\."):
        cold.set_params(hidden_size=16).partial_fit(X, y)
    np.testing.assert_array_equal(clf.predict(X), expected)
    clf.set_params(early_stopping=True).fit(X, y)  # turned on for a warm start
    assert len(clf.validation_scores_) == clf.n_iter_  # NaN for the epochs without
    assert np.isnan(clf.validation_scores_[:3]).all()
    with pytest.raises(ValueError, match="differs from the classes of the first"):
        clf.set_params(early_stopping=False).partial_fit(X, y, classes=[0, 1, 2])
    before = clf.predict_proba(X)
    clf.set_params(learning_rate_init=1e-12).fit(X, y)  # the new rate, not the saved one
    np.testing.assert_allclose(clf.predict_proba(X), before, atol=1e-6)
    with pytest.raises(ValueError, match="max_grad_norm"):
        clf.set_params(max_grad_norm=-1.0).partial_fit(X, y)


def test_predict_validates_the_batch_size_it_reads(ragged):
    # scikit-learn validates in fit; predict reads batch_size (its batches' size)
    X, y = ragged
    clf = GRUClassifier(**FAST).fit(X, y)
    expected = clf.predict_proba(X)
    for bad in (None, "bogus", 0):
        clf.set_params(batch_size=bad)
        with pytest.raises(InvalidParameterError, match="batch_size"):
            clf.predict(X)
    np.testing.assert_array_equal(clf.set_params(batch_size=7).predict_proba(X), expected)


def test_early_stopping_keeps_the_best_weights_across_warm_calls(ragged, monkeypatch):
    X, y = ragged
    scores = iter([0.5, 0.7, 0.6, 0.4, 0.3, 0.2])  # the second call never beats epoch 2
    monkeypatch.setattr(GRUClassifier, "_score_sequences", lambda *args: next(scores))
    clf = GRUClassifier(**FAST, warm_start=True, early_stopping=True, n_iter_no_change=10)
    best = clf.fit(X, y).predict_proba(X)  # epoch 2's weights, restored
    clf.fit(X, y)
    assert clf.validation_scores_ == [0.5, 0.7, 0.6, 0.4, 0.3, 0.2]
    assert clf.best_validation_score_ == 0.7
    np.testing.assert_array_equal(clf.predict_proba(X), best)


def test_early_stopping_scores_with_the_sample_weights(ragged):
    X, y = ragged
    noisy = y.copy()
    noisy[::2] = 1 - noisy[::2]  # every other label flipped, and given no weight
    weights = np.tile([0.0, 1.0], len(y) // 2)
    params = FAST | {
        "hidden_size": 16,
        "max_iter": 30,
        "learning_rate_init": 1e-2,
        "n_iter_no_change": 30,
    }
    clf = GRUClassifier(**params, early_stopping=True, validation_fraction=0.3)
    clf.fit(X, noisy, sample_weight=weights)
    # scored on the weighted samples only, which the model learns (unweighted: ~0.5)
    assert clf.best_validation_score_ >= 0.8


def test_warm_start_refuses_another_embedding(token_ids):
    X, y = token_ids
    bare = SequenceArray(X.data, X.offsets)
    clf = GRUClassifier(**FAST, warm_start=True).fit(bare, y)
    with pytest.raises(ValueError, match="embedding_dim=4"):
        clf.set_params(embedding_dim=4).fit(bare, y)
    clf = GRUClassifier(**FAST, warm_start=True).fit(X, y)
    with pytest.raises(ValueError, match="freeze_embedding=False"):
        clf.set_params(freeze_embedding=False).fit(X, y)


def test_sequence_array_checks_ids_and_negative_take():
    S = SequenceArray.from_sequences([[1], [2, 3], [4, 5]])
    np.testing.assert_array_equal(S.take([-2]).to_list()[0], S[1].to_list()[0])
    np.testing.assert_array_equal(S.take([-1]).to_list()[0], S[2].to_list()[0])
    with pytest.raises(IndexError, match="out of bounds"):
        S.take([3])
    with pytest.raises(ValueError, match="out of range for vocab_size=3"):
        SequenceArray([0, 1, 5, 2], [0, 2, 3, 4], vocab_size=3)
    with pytest.raises(TypeError, match="vocab_size must be an integer"):
        SequenceArray([0, 1], [0, 2], vocab_size=1.7)


def test_read_only_inputs_raise_no_torch_warning():
    # joblib hands read-only memmaps to parallel searches; torch warns once per
    # process about such arrays, so the check runs in a fresh interpreter
    import subprocess
    import sys

    code = """
import warnings
import numpy as np
from sklearn_seq import GRUClassifier, SequenceArray, W2VTransformer
rng = np.random.RandomState(0)
vectors = rng.randn(30, 4).astype(np.float32)
seqs = [rng.randint(0, 30, size=n) for n in rng.randint(0, 9, size=40)]
X = SequenceArray.from_sequences(seqs, vectors=vectors)
for a in (X.data, X.offsets, X.vectors):
    a.setflags(write=False)
y = np.arange(40) % 2
docs = ["a b c d", "b c d e", "c d e f"] * 5
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    GRUClassifier(max_iter=2, hidden_size=4, random_state=0).fit(X, y).predict(X)
    emb = W2VTransformer(vector_size=4, min_count=1, output="mean", random_state=0).fit(docs)
    emb.wv_.vectors.setflags(write=False)
    emb.transform(docs)
print([str(w.message) for w in caught if "writable" in str(w.message)])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr


def _length_labelled(n, seed):
    """Noise sequences whose class is their length: 3-12 steps or 13-25 steps."""
    rng = np.random.RandomState(seed)
    y = rng.randint(0, 2, n)
    lengths = np.where(y == 1, rng.randint(13, 26, n), rng.randint(3, 13, n))
    return [rng.normal(size=(length, 3)) for length in lengths], y


def test_batches_keep_the_class_mix_when_length_predicts_the_class():
    from sklearn_seq.rnn._base import _batches

    X, y = _length_labelled(640, 0)
    lengths = np.array([len(x) for x in X])
    rng = np.random.RandomState(0)
    plain = _batches(lengths, 64, rng, True)
    mixed = _batches(lengths, 64, rng, True, groups=y)
    # sorting by length alone makes one-class batches; by rank within the class, each
    # batch keeps the data's mix, and runs rows longest first
    assert min(abs(y[b].mean() - 0.5) for b in plain) > 0.3
    assert max(abs(y[b].mean() - y.mean()) for b in mixed) < 0.1
    assert sorted(np.concatenate(mixed)) == list(range(640))
    assert all((np.diff(lengths[b]) <= 0).all() for b in mixed)
    # still bucketed: within a class, a batch spans a narrow band of lengths
    for c in (0, 1):
        spans = [np.ptp(lengths[b][y[b] == c]) for b in mixed]
        assert np.mean(spans) <= 3


def test_batches_of_many_small_classes_stay_length_bucketed():
    from sklearn_seq.rnn._base import _batches

    rng = np.random.RandomState(0)
    lengths = rng.randint(1, 200, 640)
    y = np.arange(640) % 160  # 160 classes of 4: a rank within 4 says little about length
    for groups in (None, y):
        batches = _batches(lengths, 64, np.random.RandomState(0), True, groups=groups)
        assert sum(lengths[b].max() for b in batches) < 1.1 * sum(
            np.sort(lengths)[i + 63] for i in range(0, 640, 64)
        )


def test_classifier_learns_labels_that_length_determines():
    X, y = _length_labelled(400, 0)
    X_test, y_test = _length_labelled(400, 1)
    clf = GRUClassifier(hidden_size=8, max_iter=10, random_state=0).fit(X, y)
    # batches of one class each (plain length bucketing) left it at chance (0.50)
    assert clf.score(X_test, y_test) > 0.8


def test_regressor_batches_span_the_target_range():
    rng = np.random.RandomState(0)
    y = np.sort(rng.normal(size=(500, 2)), axis=0)
    groups = GRURegressor()._batch_groups(y)
    assert np.bincount(groups).tolist() == [100] * 5
    assert (np.diff(groups) >= 0).all()  # quintiles of the mean target


def test_numpy_integer_parameters_as_a_grid_builds_them():
    X = np.random.RandomState(0).randn(40, 5)
    y = np.arange(40) % 2
    grid = {"hidden_size": np.arange(2, 4), "num_layers": np.array([1, 2], dtype=np.int32)}
    search = GridSearchCV(
        GRUClassifier(max_iter=1, random_state=0), grid, cv=2, error_score="raise"
    )
    assert search.fit(X, y).best_estimator_.module_.rnn.hidden_size in (2, 3)
    ids = SequenceArray([1, 2, 3, 1], [0, 2, 4])
    GRUClassifier(embedding_dim=np.int64(3), **FAST).fit(ids, [0, 1])


def test_univariate_models_take_sequences_of_any_length():
    rng = np.random.RandomState(0)
    # a list of arrays is a list of sequences even when they have one length
    reg = GRURegressor(**FAST).fit([rng.randn(8) for _ in range(30)], rng.randn(30))
    assert reg.n_features_in_ == 1
    assert reg.predict([rng.randn(5), rng.randn(12)]).shape == (2,)
    assert reg.predict([rng.randn(5)]).shape == (1,)
    # fitted on a 2D array (univariate sequences of 8 steps): ragged univariate
    # sequences predict; a 2D array of another width is still refused
    reg = GRURegressor(**FAST).fit(rng.randn(30, 8), rng.randn(30))
    ragged = [rng.randn(5), rng.randn(12)]
    expected = [reg.predict([x])[0] for x in ragged]
    np.testing.assert_allclose(reg.predict(ragged), expected, rtol=1e-6)
    rows = rng.randn(3, 8)
    np.testing.assert_allclose(reg.predict(list(rows)), reg.predict(rows), rtol=1e-6)
    with pytest.raises(ValueError, match="features"):
        reg.predict(rng.randn(2, 5))
    with pytest.raises(ValueError, match="2 feature.*per step.*univariate"):
        reg.predict([rng.randn(5, 2), rng.randn(3, 2)])
    # per-step width equal to the fitted number of timesteps: still not univariate
    for call in (reg.predict, lambda X: reg.partial_fit(X, rng.randn(3))):
        with pytest.raises(ValueError, match="8 timesteps of one feature.*8 feature"):
            call(rng.randn(3, 4, 8))
    with pytest.raises(ValueError, match="holds token ids"):
        reg.predict(SequenceArray([0, 1, 2], [0, 2, 3]))


@pytest.mark.parametrize(
    "to_sequence", [np.asarray, torch.from_numpy, pd.Series], ids=["ndarray", "tensor", "Series"]
)
def test_a_list_of_one_length_sequences_is_read_as_sequences_whatever_the_container(
    to_sequence,
):
    rng = np.random.RandomState(0)
    X = [to_sequence(rng.randn(5)) for _ in range(20)]
    reg = GRURegressor(**FAST).fit(X, rng.randn(20))
    assert reg.n_features_in_ == 1
    assert reg.predict([to_sequence(rng.randn(7))]).shape == (1,)


def test_a_list_of_single_values_is_a_1d_x():
    with pytest.raises(ValueError, match="Expected 2D array"):
        GRURegressor(**FAST).fit([np.array(1.0)] * 20, np.arange(20.0))


def test_partial_fit_refuses_balanced_class_weight_and_unordered_classes():
    X, y = np.random.RandomState(0).randn(20, 4), np.arange(20) % 2
    with pytest.raises(ValueError, match="compute_class_weight"):
        GRUClassifier(class_weight="balanced", **FAST).partial_fit(X, y, classes=[0, 1])
    with pytest.raises(TypeError, match="array-like of labels"):
        GRUClassifier(**FAST).partial_fit(X, y, classes={0, 1})


def test_numpy_float_validation_fraction():
    X, y = np.random.RandomState(0).randn(40, 4), np.arange(40) % 2
    clf = GRUClassifier(early_stopping=True, validation_fraction=np.float32(0.2), **FAST)
    assert len(clf.fit(X, y).validation_scores_) == clf.n_iter_


@pytest.mark.parametrize(
    "X, match",
    [
        (pd.DataFrame({"s": [pd.Series(np.ones(n)) for n in (3, 4, 3, 5)]}), "nested DataFrame"),
        (np.array([[1.0, 2.0, np.nan], [1.0, 2.0, 3.0]] * 2), "NaN pads sequences"),
    ],
)
def test_nested_dataframes_and_nan_padding_get_a_hint(X, match):
    with pytest.raises(ValueError, match=match):
        GRURegressor(**FAST).fit(X, np.arange(4.0))


def test_sequence_array_converts_to_objects_only_and_refuses_2d_indices():
    X = SequenceArray([1, 2, 3, 4], [0, 1, 3, 4])
    with pytest.raises(TypeError, match="to_padded"):
        np.asarray(X, dtype=np.float64)
    # a 1D array of sequences, as pandas asks for
    assert [len(s) for s in np.asarray(X)] == [1, 2, 1]
    assert pd.Series(X).map(len).tolist() == [1, 2, 1]
    with pytest.raises(IndexError, match="must be 1D"):
        X[np.array([[0, 1], [1, 2]])]
    assert len(X[np.array([2, 0])]) == 2


@pytest.mark.parametrize("max_norm", [1e-3, 1e3])
def test_gradient_clipping_matches_torch(max_norm):
    # the training loop's multi-tensor clip is torch's clip_grad_norm_, bit for bit,
    # whether it scales (1e-3) or leaves the gradients alone (1e3); no gradient: skipped
    from sklearn_seq.rnn._base import _clip_grad_norm

    gen = torch.Generator().manual_seed(0)
    shapes = [(7, 3), (3,), (5, 5, 2), (4,)]
    grads = [torch.randn(s, generator=gen) for s in shapes[:3]] + [None]
    theirs, ours = ([torch.zeros(s, requires_grad=True) for s in shapes] for _ in range(2))
    for a, b, g in zip(theirs, ours, grads, strict=True):
        a.grad, b.grad = (None, None) if g is None else (g.clone(), g.clone())
    torch.nn.utils.clip_grad_norm_(theirs, max_norm)
    _clip_grad_norm(ours, max_norm)
    assert ours[3].grad is None
    for a, b in zip(theirs[:3], ours[:3], strict=True):
        assert torch.equal(a.grad, b.grad)
    before = torch.linalg.vector_norm(torch.cat([g.ravel() for g in grads[:3]]))
    after = torch.linalg.vector_norm(torch.cat([b.grad.ravel() for b in ours[:3]]))
    assert torch.isclose(after, min(before, torch.tensor(max_norm)))


@pytest.mark.parametrize("freeze", [True, False])
def test_rows_beyond_the_vocabulary_read_as_if_appended_to_the_table(freeze):
    # per-call rows (FastText vectors of unseen words) are looked up apart from the
    # fitted table; outputs and the table's gradients equal those of one joined table
    from sklearn_seq.rnn._module import SequenceNet

    gen = torch.Generator().manual_seed(0)
    table, extra = torch.randn(6, 3, generator=gen), torch.randn(4, 3, generator=gen)
    kw = dict(
        cell="gru",
        input_size=3,
        hidden_size=5,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="mean",
        n_outputs=2,
        freeze_embedding=freeze,
    )
    apart = SequenceNet(vocab_size=6, table=table.numpy(), **kw)
    joined = SequenceNet(vocab_size=10, table=torch.cat([table, extra]).numpy(), **kw)
    state = apart.state_dict()
    key = "frozen_table" if freeze else "embedding.weight"
    joined.load_state_dict({**state, key: torch.cat([state[key], extra])})
    x = torch.tensor([[0, 5, 6, 9], [9, 6, 0, 0], [3, 4, 0, 0]])  # both sides of the boundary
    lens = torch.tensor([4, 2, 1])
    out_apart, out_joined = apart(x, lens, extra), joined(x, lens)
    torch.testing.assert_close(out_apart, out_joined, rtol=0, atol=0)
    if not freeze:
        out_apart.sum().backward()
        out_joined.sum().backward()
        torch.testing.assert_close(
            apart.embedding.weight.grad, joined.embedding.weight.grad[:6], rtol=0, atol=1e-7
        )


def test_skip_parameter_validation_is_honoured():
    # as MLPClassifier: the config turns the parameter checks off (here a float
    # hidden_size, which the network takes as an int); outside it they run
    import sklearn
    from sklearn.utils._param_validation import InvalidParameterError

    X, y = np.random.RandomState(0).randn(20, 5), np.arange(20) % 2
    clf = GRUClassifier(hidden_size=3.0, max_iter=1, random_state=0)
    with pytest.raises(InvalidParameterError, match="hidden_size"):
        clf.fit(X, y)
    with pytest.raises(InvalidParameterError, match="hidden_size"):
        clf.partial_fit(X, y, classes=[0, 1])
    with sklearn.config_context(skip_parameter_validation=True), warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        assert clf.fit(X, y).predict(X).shape == (20,)
        clf.partial_fit(X, y)
    assert clf.module_.rnn.hidden_size == 3


def test_prediction_batches_are_capped_in_padded_positions(monkeypatch):
    # one long outlier must not pad a whole prediction batch to its length: the
    # batches predict runs hold at most 256 x 512 padded positions, or one row
    from sklearn_seq.rnn import _base

    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) for n in rng.randint(0, 30, 300)] + [rng.randn(2_000, 2)] * 70
    clf = GRUClassifier(hidden_size=3, max_iter=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        clf.fit(X[:40], np.arange(40) % 2)
    shapes, batches = [], _base._OnDevice.batches

    def recorded(self, order):
        for idx_t, x, lens in batches(self, order):
            shapes.append(x.shape[:2])
            yield idx_t, x, lens

    monkeypatch.setattr(_base._OnDevice, "batches", recorded)
    proba = clf.predict_proba(X)
    assert sum(rows for rows, _ in shapes) == len(X)
    assert all(rows * length <= 256 * 512 or rows == 1 for rows, length in shapes)
    assert max(rows for rows, _ in shapes) == 256  # short sequences keep full batches
    # the last 256-row chunk (44 short, 70 long) in pieces of 65 (131,072 // 2,000) rows
    assert sorted(rows for rows, length in shapes if length == 2_000) == [49, 65]
    # and predictions with the outliers equal those without them
    np.testing.assert_allclose(proba[:300], clf.predict_proba(X[:300]), atol=1e-12)


@pytest.mark.parametrize("freeze", [True, False])
def test_a_table_without_fixed_rows_is_refused(freeze):
    X = SequenceArray([0, 1, 1, 0], [0, 2, 4], vectors=np.eye(2), vocab_size=0)
    clf = GRUClassifier(**FAST, freeze_embedding=freeze)
    with pytest.raises(ValueError, match="no fixed vocabulary"):
        clf.fit(X, [0, 1])
    assert not hasattr(clf, "module_")


def test_early_stopping_splits_the_weighted_samples_between_both_sides():
    # the split was blind to weights: a side of zero weights either trained on nothing
    # (a silent fit, loss 0) or scored samples left out, as the seed fell; it now
    # stratifies on whether samples weigh, and refuses only where it cannot help it
    X, y = np.random.RandomState(0).randn(40, 5), np.arange(40) % 2
    weights = np.zeros(40)
    weights[[7, 8]] = 1.0
    for seed in range(8):
        clf = GRUClassifier(
            **{**FAST, "random_state": seed}, early_stopping=True, validation_fraction=0.5
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            clf.fit(X, y, sample_weight=weights)
        assert min(clf.loss_curve_) > 0
    weights[8] = 0.0  # one weighted sample: one side has none
    with pytest.raises(ValueError, match="could not set aside.*(positive weight|weight 0)"):
        clf.fit(X, y, sample_weight=weights)
    # more groups (3 classes x weighs or not) than validation samples (4): the next
    # grouping, as the classes alone used to be
    y3, weights = np.arange(40) % 3, np.ones(40)
    weights[:6] = 0.0  # two of each class
    clf.set_params(validation_fraction=0.1, random_state=0).fit(X, y3, sample_weight=weights)


def test_steps_of_different_widths_are_named_in_any_sequence():
    X = [[[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0]]]  # the first sequence is regular
    with pytest.raises(ValueError, match="Sequence 1 is not a regular array"):
        GRUClassifier(**FAST).fit(X, [0, 1])


def test_build_errors_other_than_memory_are_not_blamed_on_the_sizes(monkeypatch):
    from sklearn_seq.rnn import _module

    def fail(*args, **kwargs):
        raise RuntimeError("CUDA error: no kernel image is available for execution")

    monkeypatch.setattr(_module.SequenceNet, "__init__", fail)
    with pytest.raises(RuntimeError, match="no kernel image"):
        GRUClassifier(**FAST).fit(np.ones((4, 3)), [0, 1, 0, 1])
