"""Embedding transformers under load: long unknown words, concurrent fits, degenerate
corpora and failed partial_fit calls."""

import bz2
import gzip
import threading
import warnings
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
import torch
from corpus import DOCS, WORDS, make_docs

from sklearn_seq.embeddings import (
    FastTextTransformer,
    GloVeTransformer,
    SequenceVectorizer,
    W2VTransformer,
    _subword,
)


# ------------------------------------------------------- long unknown words
@pytest.mark.parametrize("vector_size", [1, 8])
def test_long_unknown_words_match_gensim(monkeypatch, vector_size):
    # a word over long_word characters is composed on its own, in blocks of n-grams
    est = FastTextTransformer(
        vector_size=vector_size, min_count=1, bucket=500, epochs=1, random_state=0
    ).fit(DOCS + ["naïve café 日本語"])
    kv = est.wv_
    rng = np.random.RandomState(0)
    letters = list("abcxyzé日本語🙂<>")
    words = ["".join(rng.choice(letters, n)) for n in (2, 5, 255, 256, 257, 300, 20_000)]
    monkeypatch.setattr(_subword, "_BLOCK", 1000)  # many blocks per word
    for min_n, max_n in [(3, 6), (1, 1), (1, 3), (5, 4)]:
        kv.min_n, kv.max_n = min_n, max_n
        expected = np.stack([kv.get_vector(w) for w in words])
        got, counts = _subword.oov_vectors(kv, words, chunk_size=2, return_counts=True)
        np.testing.assert_array_equal(got, expected)
        assert counts.tolist() == [
            _subword.ngram_hashes([w], min_n, max_n, 500)[1][0] for w in words
        ]
        np.testing.assert_array_equal(_subword.oov_vectors(kv, words, long_word=0), expected)
    kv.min_n, kv.max_n = 3, 6
    long_word = "".join(rng.choice(list("abcdé"), 20_000))  # one token
    X = est.transform(["the " + long_word])
    assert X.vocabulary[-1] == long_word
    np.testing.assert_array_equal(X.vectors[-1], kv.get_vector(long_word))


# ------------------------------------------------------- concurrent GloVe fits
def test_concurrent_glove_fits_leave_torch_threads_alone(monkeypatch):
    from sklearn_seq.embeddings import _glove

    original = torch.get_num_threads()
    torch.set_num_threads(2)  # more than one, so that a change shows
    try:
        docs = make_docs(60, seed=1)

        def fit(seed):
            est = GloVeTransformer(
                vector_size=4, min_count=1, epochs=2, window=3, random_state=seed
            )
            return est.fit(docs).wv_.vectors

        sequential = [fit(0), fit(1)]
        # fit 0 trains, fit 1 starts during it and ends after it; meanwhile a new thread
        # (other torch work) must see the process-wide setting
        a_training, b_training, a_done = (threading.Event() for _ in range(3))
        first = {}
        seen = []
        drain = _glove._drain

        def hooked(tasks, results, scratch):
            who = first.setdefault(id(results), len(first))
            if who == 0 and not a_training.is_set():
                with ThreadPoolExecutor(1) as ex:
                    seen.append(ex.submit(torch.get_num_threads).result())
                a_training.set()
            if who == 0:
                b_training.wait(30)
            else:
                b_training.set()
                a_done.wait(30)
            return drain(tasks, results, scratch)

        monkeypatch.setattr(_glove, "_drain", hooked)

        def fit_a():
            try:
                return fit(0)
            finally:
                a_done.set()

        def fit_b():
            a_training.wait(30)
            return fit(1)

        with ThreadPoolExecutor(2) as ex:
            futures = [ex.submit(fit_a), ex.submit(fit_b)]
            concurrent = [f.result() for f in futures]
        assert b_training.is_set() and a_done.is_set()
        for got, expected in zip(concurrent, sequential, strict=True):
            np.testing.assert_array_equal(got, expected)
        assert seen == [2]  # not 1 while a fit runs
        assert torch.get_num_threads() == 2
        with ThreadPoolExecutor(1) as ex:  # the default of new threads
            assert ex.submit(torch.get_num_threads).result() == 2
    finally:
        torch.set_num_threads(original)


# ------------------------------------------------------- nothing to train on
@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_single_token_documents_warn_untrained(cls):
    est = cls(vector_size=8, min_count=1, epochs=1, random_state=0)
    if cls is FastTextTransformer:
        est.set_params(bucket=500)
    with pytest.warns(UserWarning, match="no pair of words.*untrained random vectors") as record:
        est.fit([[w] for w in WORDS])
    assert "min_count" not in str(record[0].message).split(":")[-1]  # it is 1 already
    with pytest.warns(UserWarning, match=r"several words or lower min_count\."):
        est.set_params(min_count=2).fit([[w] for w in WORDS * 2])
    # two known tokens are a pair even with unknown ones between them (gensim drops those)
    est.set_params(min_count=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.fit([["cat", "rare1", "rare2", "dog"], ["cat", "dog"]] + [["the"]] * 3)
    est.set_params(min_count=1).fit(DOCS)
    with pytest.warns(UserWarning, match="no pair of words.*nothing was trained"):
        est.partial_fit([["zebra"], ["cat"]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.partial_fit([["zebra", "cat"]])


# ------------------------------------------------------- failed partial_fit
class ChangingCorpus:
    """A restartable-looking iterable whose later passes differ from its first."""

    def __init__(self, first, later):
        self.first, self.later, self.passes = first, later, 0

    def __iter__(self):
        self.passes += 1
        return iter(self.first if self.passes == 1 else self.later)


def _state(est):
    model = est._model
    return (
        list(est.wv_.index_to_key),
        est.wv_.vectors.copy(),
        model.wv.expandos["count"].copy(),
        model.corpus_count,
        model.corpus_total_words,
        len(model.raw_vocab),
    )


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
@pytest.mark.parametrize(
    "later, match",
    [
        (["alpha beta gamma"], "3 documents in the first pass but 1"),
        (["alpha beta gamma"] * 4, "3 documents in the first pass but 4 or more"),
        (["alpha beta", None, "gamma"], "Document 1 is None"),
    ],
)
def test_failed_partial_fit_leaves_the_transformer_unchanged(cls, later, match):
    def make():
        kw = {"bucket": 500} if cls is FastTextTransformer else {}
        return cls(vector_size=8, min_count=1, epochs=1, random_state=0, **kw).fit(DOCS)

    est = make()
    before = _state(est)
    X_before = est.transform(["alpha cat zebra"])
    first = ["alpha beta gamma", "alpha beta", "gamma delta"]
    with pytest.raises((ValueError, TypeError), match=match):
        est.partial_fit(ChangingCorpus(first, later))
    after = _state(est)
    assert after[0] == before[0]
    for a, b in zip(after[1:], before[1:], strict=True):
        np.testing.assert_array_equal(a, b)
    assert est.transform(["alpha cat zebra"]) == X_before
    # and it goes on exactly as a transformer that never saw the failed call
    more = ["alpha beta the cat", "gamma dog sat"] * 3
    np.testing.assert_array_equal(
        est.partial_fit(more).wv_.vectors, make().partial_fit(more).wv_.vectors
    )


FLAKY_FIT = """
from sklearn_seq import {cls}

class Flaky:  # restartable, but a bad document appears from the third pass on
    def __init__(self):
        self.passes = 0
    def __iter__(self):
        self.passes += 1
        docs = ["a b c d", "b c d e"] * 50
        if self.passes >= 3:
            docs[60] = None
        return iter(docs)

est = {cls}(vector_size=4, min_count=1, epochs=2{extra}).fit(["a b c d", "b c d e"])
before = est.wv_.vectors.copy()
try:
    est.fit(Flaky())
except TypeError as exc:
    assert "Document 60 is None" in str(exc), exc
    assert (est.wv_.vectors == before).all()
    print("refused")
"""


@pytest.mark.parametrize(
    "cls, extra", [("W2VTransformer", ""), ("FastTextTransformer", ", bucket=100")]
)
def test_a_bad_document_read_by_gensims_thread_is_raised_not_a_hang(cls, extra):
    import subprocess
    import sys

    # in a child process: the error used to kill gensim's reading thread, and
    # training then waited for it forever
    code = FLAKY_FIT.format(cls=cls, extra=extra)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "refused", done.stderr[-2000:]


# --------------------------------------------------------- warnings' origin
@pytest.mark.parametrize(
    "cls", [W2VTransformer, FastTextTransformer, GloVeTransformer, SequenceVectorizer]
)
def test_warnings_point_at_the_callers_line(cls):
    kw = {} if cls is SequenceVectorizer else dict(vector_size=4, random_state=0)
    est = cls(min_count=1, **kw).fit(DOCS)
    with pytest.warns(UserWarning, match="no (known )?tokens") as record:
        est.transform(["!!!"])
    assert {w.filename for w in record} == {__file__}
    if cls in (W2VTransformer, FastTextTransformer):
        with pytest.warns(UserWarning, match="no pair of words") as record:
            cls(min_count=1, **kw).fit([[w] for w in WORDS])  # through fit's wrapper
        assert {w.filename for w in record} == {__file__}


def test_glove_divergence_with_finite_loss_is_an_error():
    # AdaGrad with too large a step: the loss reaches 1e11 while staying finite
    with pytest.raises(ValueError, match="GloVe training diverged.*lower learning_rate"):
        GloVeTransformer(learning_rate=3, epochs=5, min_count=1, random_state=0).fit(DOCS)
    glove = GloVeTransformer(epochs=5, min_count=1, random_state=0).fit(DOCS)
    assert glove.loss_curve_[-1] < glove.loss_curve_[0]


# --------------------------------------------------- gensim's learning rate
@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_learning_rates_above_the_bound_are_refused(cls):
    # alpha=3000 segfaulted gensim; 0.5 already diverged FastText on real text
    for params in ({"alpha": 0.3}, {"alpha": 3000}, {"min_alpha": 0.3}, {"alpha": 0}):
        with pytest.raises(ValueError, match="must be a float in the range"):
            cls(min_count=1, **params).fit(DOCS)
    est = cls(vector_size=4, min_count=1, epochs=1, alpha=0.25, min_alpha=0.25, random_state=0)
    assert np.isfinite(est.fit(DOCS).wv_.vectors).all()


def _train_writing(cls, monkeypatch, value):
    """Make gensim's training end with ``value`` in the vector of "cat"."""
    train = cls._gensim_class.train

    def patched(model, *args, **kwargs):
        train(model, *args, **kwargs)
        model.wv.vectors[model.wv.key_to_index["cat"]] = value

    monkeypatch.setattr(cls._gensim_class, "train", patched)


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_training_to_non_finite_vectors_is_an_error(cls, monkeypatch):
    est = cls(vector_size=4, min_count=1, epochs=1, random_state=0).fit(DOCS)
    before = est.wv_.vectors.copy()
    _train_writing(cls, monkeypatch, np.nan)
    name = cls._gensim_class.__name__
    with pytest.raises(
        ValueError,
        match=rf"^{name} training diverged \(NaN or infinite values in 1 of \d+ vectors "
        r"\(e.g. 'cat'\)\): lower alpha \(now 0.025\)",
    ):
        est.fit(DOCS)
    np.testing.assert_array_equal(est.wv_.vectors, before)  # a failed fit changes nothing
    with pytest.raises(ValueError, match="diverged"):
        est.partial_fit(DOCS)
    # gensim would train at min_alpha throughout: alpha would do nothing
    with pytest.raises(ValueError, match="min_alpha=0.2 is larger than alpha=0.1"):
        est.set_params(alpha=0.1, min_alpha=0.2).fit(DOCS)


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_blown_up_finite_vectors_warn(cls, monkeypatch):
    est = cls(vector_size=4, min_count=1, epochs=1, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.fit(DOCS)  # a real training stays far below the bound
    _train_writing(cls, monkeypatch, -4e5)
    with pytest.warns(UserWarning, match=r"vectors reach 4e\+05.*probably diverged"):
        est.fit(DOCS)


@pytest.mark.skipif(torch.cuda.is_available(), reason="a GPU is present")
def test_glove_refuses_a_missing_gpu_before_reading_the_corpus():
    class Unread:
        def __iter__(self):
            raise AssertionError("the corpus was read before the device was checked")

    with pytest.raises(RuntimeError, match="no CUDA GPU"):
        GloVeTransformer(device="cuda:0").fit(Unread())


def test_compressed_corpus_files_are_decompressed(tmp_path):
    text = "\n".join(DOCS) + "\n"
    plain = tmp_path / "corpus.txt"
    plain.write_text(text)
    expected = W2VTransformer(vector_size=4, min_count=1, workers=1, random_state=0).fit(plain)
    for name, compress in (("corpus.txt.gz", gzip.compress), ("corpus.txt.bz2", bz2.compress)):
        path = tmp_path / name
        path.write_bytes(compress(text.encode()))
        got = W2VTransformer(vector_size=4, min_count=1, workers=1, random_state=0).fit(path)
        np.testing.assert_array_equal(got.wv_.vectors, expected.wv_.vectors)
    # decided by the first bytes, not the name
    named_plain, misnamed = tmp_path / "plain.gz", tmp_path / "compressed.txt"
    named_plain.write_text(text)
    misnamed.write_bytes(gzip.compress(text.encode()))
    for path in (named_plain, misnamed):
        got = W2VTransformer(vector_size=4, min_count=1, workers=1, random_state=0).fit(path)
        np.testing.assert_array_equal(got.wv_.vectors, expected.wv_.vectors)
    damaged = tmp_path / "damaged.gz"
    damaged.write_bytes(gzip.compress(text.encode())[:-20])
    with pytest.raises(ValueError, match="Could not decompress corpus file"):
        W2VTransformer(min_count=1).fit(damaged)


def test_glove_refuses_weights_that_are_all_zero():
    # x_max beyond float32 (or a huge alpha) weighs every co-occurrence 0: the
    # vectors stayed random and loss_curve_ read 0.0, as if converged
    for params in ({"x_max": 1e39}, {"alpha": 1e3}):
        with pytest.raises(ValueError, match=r"every co-occurrence is 0.*Lower x_max or alpha"):
            GloVeTransformer(vector_size=4, min_count=1, **params).fit(["a b c a b"] * 5)
