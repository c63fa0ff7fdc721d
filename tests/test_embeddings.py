"""Text behaviour of the embedding transformers (what scikit-learn's checks cannot see)."""

import _thread
import contextlib
import copy
import os
import pickle
import re
import signal
import threading
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
import torch
from corpus import DOCS, WORDS
from gensim.models import FastText, KeyedVectors, Word2Vec
from gensim.models.fasttext import FastTextKeyedVectors
from gensim.test.utils import datapath
from sklearn.base import clone
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_seq import SequenceArray
from sklearn_seq._text import build_analyzer
from sklearn_seq.embeddings import (
    FastTextTransformer,
    GloVeTransformer,
    SequenceVectorizer,
    W2VTransformer,
)
from sklearn_seq.embeddings._glove import cooccurrence_matrix, train_glove

FAST = {
    "w2v": lambda **kw: W2VTransformer(vector_size=8, min_count=1, epochs=2, random_state=0, **kw),
    "ft": lambda **kw: FastTextTransformer(
        vector_size=8, min_count=1, epochs=2, bucket=500, random_state=0, **kw
    ),
    "glove": lambda **kw: GloVeTransformer(
        vector_size=8, min_count=1, epochs=3, window=3, random_state=0, **kw
    ),
    "vec": lambda **kw: SequenceVectorizer(**kw),
}
EMB = ["w2v", "ft", "glove"]
ALL = EMB + ["vec"]


def assert_same(a, b):
    if isinstance(a, SequenceArray):
        assert a == b
    else:
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


# --------------------------------------------------------------- consistency
@pytest.mark.parametrize("name", ALL)
def test_fit_then_transform_equals_fit_transform(name):
    a = FAST[name]().fit(DOCS).transform(DOCS)
    b = FAST[name]().fit_transform(DOCS)
    assert_same(a, b)


@pytest.mark.parametrize("name", ALL)
def test_fit_transform_reads_a_generator_once(name):
    ref = FAST[name]().fit(DOCS).transform(DOCS)
    assert_same(FAST[name]().fit_transform(d for d in DOCS), ref)


@pytest.mark.parametrize("name", ALL)
def test_strings_and_token_lists_agree(name):
    analyze = build_analyzer()
    tokens = [analyze(d) for d in DOCS]
    est = FAST[name]().fit(DOCS)
    assert_same(est.transform(DOCS), est.transform(tokens))
    assert_same(est.transform(DOCS), FAST[name]().fit(tokens).transform(tokens))
    # 1D arrays and Series of strings, and a 2D matrix of tokens
    assert_same(est.transform(DOCS), est.transform(np.array(DOCS, dtype=object)))
    assert_same(est.transform(DOCS), est.transform(pd.Series(DOCS)))
    square = [t[:3] for t in tokens]
    assert_same(est.transform(square), est.transform(np.array(square)))


@pytest.mark.parametrize("name", ALL)
def test_order_and_subset_invariance(name):
    est = FAST[name]().fit(DOCS)
    full = est.transform(DOCS)
    perm = np.random.RandomState(1).permutation(len(DOCS))
    permuted = est.transform([DOCS[i] for i in perm])
    single = est.transform(DOCS[5:6])
    if isinstance(full, SequenceArray):
        assert permuted.to_list()[0].tolist() == full[perm].to_list()[0].tolist()
        assert permuted[np.argsort(perm)] == full
        assert single == full[5:6]
    else:
        assert_same(permuted, full[perm])
        assert_same(single, full[5:6])


@pytest.mark.parametrize("name", EMB)
def test_table_starts_with_fitted_vocabulary(name):
    est = FAST[name]().fit(DOCS)
    kv = est.wv_
    for docs in (DOCS, ["zebra cat unicorn", "dog"], [""]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = est.transform(docs)
        n = len(kv.index_to_key)
        np.testing.assert_array_equal(out.vectors[:n], kv.vectors)
        assert out.vocabulary[:n] == kv.index_to_key
        assert out.vectors.dtype == np.float32


def test_fasttext_unknown_words_get_subword_rows_after_vocabulary():
    est = FAST["ft"]().fit(DOCS)
    n = len(est.wv_)
    out = est.transform(["the cats sat", "cats and dogs"])
    assert out.vocabulary[n:] == ["cats", "and", "dogs"]
    assert out.to_list()[1].tolist() == [n, n + 1, n + 2]
    np.testing.assert_allclose(out.vectors[n], est.wv_.get_vector("cats"), rtol=1e-6)
    assert np.abs(out.vectors[n]).sum() > 0
    # "ignore" drops them
    assert est.set_params(handle_unknown="ignore").transform(["cats the"]).data.tolist() == [
        est.wv_.key_to_index["the"]
    ]


@pytest.mark.parametrize(
    "params", [dict(max_n=0), dict(bucket=0), dict(min_n=4, max_n=3), dict(min_n=10, max_n=12)]
)
def test_fasttext_unknown_words_without_ngrams_are_dropped_with_a_warning(params):
    est = FAST["ft"]().set_params(**params).fit(DOCS)
    with pytest.warns(UserWarning, match="no character n-gram.*'q'"):
        out = est.transform(["the q"])
    assert out.data.tolist() == [est.wv_.key_to_index["the"]]
    assert len(out.vectors) == len(est.wv_)


@pytest.mark.parametrize("name", ["w2v", "glove"])
def test_unknown_words_dropped_or_mapped_to_unknown_vector(name):
    est = FAST[name]().fit(DOCS)
    n = len(est.wv_)
    the = est.wv_.key_to_index["the"]
    assert est.transform(["the zebra"]).data.tolist() == [the]
    est.set_params(handle_unknown="use_unknown_vector")
    out = est.transform(["the zebra", "the"])
    assert out.data.tolist() == [the, n, the]
    assert out.vocabulary[n] == "<unk>" and len(out.vectors) == n + 1
    np.testing.assert_array_equal(out.vectors[n], 0)
    # the table has the unknown row even when no word is unknown: ids stay valid
    assert len(est.transform(["the"]).vectors) == n + 1


@pytest.mark.parametrize("name", EMB)
def test_document_of_unknown_words_only_warns_with_unknown_vector(name):
    est = FAST[name](handle_unknown="use_unknown_vector", output="mean").fit(DOCS)
    with pytest.warns(UserWarning, match="1 of 2 documents have no known tokens; they hold only"):
        mean = est.transform(["zebra unicorn", "the cat"])
    np.testing.assert_array_equal(mean[0], 0)  # the documented all-zero unknown vector


def test_real_unk_word_keeps_its_vector_and_the_unknown_entry_is_renamed():
    est = FAST["w2v"](tokenizer=str.split, handle_unknown="use_unknown_vector")
    est.fit(DOCS + ["<unk> cat"])
    n = len(est.wv_)
    out = est.transform(["<unk> zebra"])
    assert out.data.tolist() == [est.wv_.key_to_index["<unk>"], n]
    assert out.vocabulary[n] == "<<unk>>" and list(out.vocabulary).count("<unk>") == 1


@pytest.mark.parametrize("name", ALL)
def test_empty_and_unknown_documents_warn_once(name):
    est = FAST[name]().fit(DOCS)
    if name in ("vec", "ft"):
        est.set_params(handle_unknown="ignore")
    with pytest.warns(UserWarning, match="2 of 3 documents") as rec:
        out = est.transform(["", "zebra unicorn", "the cat"])
    assert len([w for w in rec if "documents" in str(w.message)]) == 1
    assert out.lengths.tolist()[:2] == [0, 0]
    if name != "vec":
        with pytest.warns(UserWarning):
            mean = est.set_params(output="mean").transform(["", "the cat"])
        np.testing.assert_array_equal(mean[0], 0)
        assert mean.dtype == np.float32 and np.abs(mean[1]).sum() > 0


@pytest.mark.parametrize("handle_unknown", ["ignore", "use_unknown_vector"])
@pytest.mark.parametrize("output", ["sequence", "mean", "padded"])
@pytest.mark.parametrize("name", ALL)
def test_no_known_tokens_warning_describes_the_actual_output(name, output, handle_unknown):
    if name == "vec":
        if output == "mean":
            pytest.skip("SequenceVectorizer has no output='mean'")
        handle_unknown = {"ignore": "ignore", "use_unknown_vector": "use_oov_id"}[handle_unknown]
    est = FAST[name](output=output, handle_unknown=handle_unknown, max_length=3).fit(DOCS)
    with pytest.warns(UserWarning, match="documents have no") as rec:
        out = est.transform(["", "zebra unicorn", "the cat"])
    message = str(rec[0].message)
    expected = {
        "sequence": "zero-length sequences",
        "mean": "mean vectors are all zeros",
        "padded": "all padding (id 0)" if name == "vec" else "padded arrays are all zeros",
    }[output]
    if handle_unknown == "use_unknown_vector":
        assert "they hold only the all-zero unknown vector (or nothing)" in message
        if output == "sequence":
            expected = "vector (or nothing)."
    if handle_unknown == "use_oov_id":  # "zebra unicorn" is two unknown ids, no known token
        assert message.startswith("2 of 3 documents have no known tokens")
        expected = {"sequence": "unknown id 1, or nothing.", "padded": "unknown id 1 or padding"}[
            output
        ]
    assert expected in message
    assert "output=" not in message  # the output in use, not another one
    if output != "sequence":
        np.testing.assert_array_equal(out[0], 0)


@pytest.mark.parametrize("name", EMB)
def test_output_mean_and_padded(name):
    est = FAST[name]().fit(DOCS)
    seqs = est.transform(DOCS[:3])
    mean = clone(est).set_params(output="mean").fit(DOCS).transform(DOCS[:3])
    expected = np.stack([seqs.vectors[s].mean(0) for s in seqs.to_list()])
    np.testing.assert_allclose(mean, expected, rtol=1e-5, atol=1e-6)
    padded = clone(est).set_params(output="padded", max_length=4).fit(DOCS).transform(DOCS[:3])
    assert padded.shape == (3, 4, 8) and padded.dtype == np.float32
    np.testing.assert_allclose(padded, seqs.to_padded(4, lookup=True)[0])
    longest = max(len(d.split()) for d in DOCS)
    auto = clone(est).set_params(output="padded").fit(DOCS)
    assert auto.max_length_ == longest
    assert auto.transform(["the"]).shape == (1, longest, 8)


@pytest.mark.parametrize("name", EMB)
@pytest.mark.parametrize("handle_unknown", ["ignore", "use_unknown_vector", "subword"])
def test_output_mean_of_a_large_call_is_pooled_a_chunk_at_a_time(name, handle_unknown):
    # more documents than a chunk (1,024): the same vectors as pooling the whole
    # call's sequences, and one warning for the call
    if handle_unknown == "subword" and name != "ft":
        pytest.skip("subword vectors are FastText's")
    rng = np.random.RandomState(0)
    docs = [
        " ".join(rng.choice(WORDS + ["zebra", "okapi"], size=rng.randint(0, 6)))
        for _ in range(2500)
    ]
    est = FAST[name](handle_unknown=handle_unknown).fit(DOCS)
    seqs = est.transform(docs)
    expected = np.zeros((len(docs), 8), dtype=np.float32)
    for i, s in enumerate(seqs.to_list()):
        if len(s):
            expected[i] = seqs.vectors[s].mean(0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mean = est.set_params(output="mean").transform(docs)
    np.testing.assert_allclose(mean, expected, rtol=1e-5, atol=1e-6)
    # documents without a known token (FastText's subword vectors count as known)
    known = (lambda t: True) if handle_unknown == "subword" else est.wv_.key_to_index.__contains__
    n_empty = sum(not any(map(known, d.split())) for d in docs)
    messages = [str(w.message) for w in caught if "no known tokens" in str(w.message)]
    assert len(messages) == 1 and messages[0].startswith(f"{n_empty} of 2500 documents")


@pytest.mark.parametrize("name", EMB)
def test_feature_names_and_pandas_output(name):
    est = FAST[name](output="mean").fit(DOCS)
    names = est.get_feature_names_out()
    assert names[0] == type(est).__name__.lower() + "0" and len(names) == 8
    df = est.set_output(transform="pandas").transform(pd.Series(DOCS[:4], index=list("abcd")))
    assert isinstance(df, pd.DataFrame) and list(df.columns) == list(names)
    assert list(df.index) == list("abcd")
    seq = FAST[name]().fit(DOCS)
    with pytest.raises(ValueError, match="output='mean'"):
        seq.get_feature_names_out()
    with pytest.raises(ValueError, match="output='mean'"):
        seq.set_output(transform="pandas").transform(DOCS)
    # refused in fit before any training (a pipeline's set_output reaches every step)
    unfitted = FAST[name]().set_output(transform="pandas")
    with pytest.raises(ValueError, match="output='mean'"):
        unfitted.fit(DOCS)
    assert not hasattr(unfitted, "wv_")


# ----------------------------------------------------------------- pickling
@pytest.mark.parametrize("name", ALL)
def test_pickle_round_trip(name):
    est = FAST[name]().fit(DOCS)
    est2 = pickle.loads(pickle.dumps(est))
    test = DOCS[:5] + ["cats and zebras"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_same(est.transform(test), est2.transform(test))


def test_pickle_drops_training_state_and_fasttext_recomputable_arrays():
    est = FastTextTransformer(vector_size=16, min_count=1, epochs=1, bucket=20_000).fit(DOCS)
    full = len(pickle.dumps(est._model)) + len(pickle.dumps(est.wv_))
    size = len(pickle.dumps(est))
    # n-gram table (20k x 16 floats) plus vocabulary vectors, no gensim model
    assert size < 20_000 * 16 * 4 * 1.1 < full
    assert "_model" not in pickle.loads(pickle.dumps(est)).__dict__
    assert est._model is not None  # pickling does not change the live object


def test_default_bucket_is_small():
    assert FastTextTransformer().bucket <= 200_000


# ------------------------------------------------------------------ partial_fit
@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_partial_fit_appends_new_words(cls):
    # sample=0: tiny corpora would otherwise be down-sampled to nothing
    est = cls(vector_size=8, min_count=1, epochs=1, sample=0, random_state=0).fit(DOCS)
    before = list(est.wv_.index_to_key)
    vec_before = est.wv_.vectors.copy()
    est.partial_fit(["zebra giraffe the cat"] * 3)
    assert est.wv_.index_to_key[: len(before)] == before
    assert set(est.wv_.index_to_key[len(before) :]) == {"zebra", "giraffe"}
    assert not np.allclose(est.wv_.vectors[: len(before)], vec_before)  # training continued
    assert est.transform(["zebra"]).data.tolist() == [est.wv_.key_to_index["zebra"]]
    with pytest.raises(ValueError, match="training state"):
        pickle.loads(pickle.dumps(est)).partial_fit(DOCS)


@pytest.mark.parametrize("name", ALL)
def test_failed_refit_leaves_the_fitted_transformer_unchanged(name):
    X = np.array([d.split()[:3] for d in DOCS])  # a 3-column token matrix
    est = FAST[name]().fit(X)
    before = est.transform(X[:5])
    with pytest.raises(ValueError, match="min_count=1000"):
        est.set_params(min_count=1000).fit(DOCS)
    est.set_params(min_count=1)
    assert est.n_features_in_ == 3
    assert_same(est.transform(X[:5]), before)
    with pytest.raises(ValueError, match="3 features"):
        est.transform(np.array([["the", "cat", "sat", "on"]]))
    if name in ("w2v", "ft"):
        est.partial_fit(DOCS)  # the training state survived


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_partial_fit_raises_max_length_to_its_longest_document(cls):
    est = cls(vector_size=8, min_count=1, epochs=1, random_state=0, output="padded").fit(DOCS)
    longest = est.max_length_
    long_doc = " ".join(WORDS * 2)
    est.partial_fit([long_doc, "the cat"])
    assert est.max_length_ == len(WORDS) * 2 > longest
    assert est.transform([long_doc]).shape == (1, len(WORDS) * 2, 8)
    assert est.partial_fit(DOCS).max_length_ == len(WORDS) * 2  # never lowered
    assert est.set_params(max_length=5).partial_fit(DOCS).max_length_ == 5


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_partial_fit_validates_and_applies_the_current_parameters(cls):
    est = cls(vector_size=8, min_count=1, epochs=1, random_state=0, output="padded").fit(DOCS)
    width, vectors = est.max_length_, est.wv_.vectors.copy()
    # validated on every call (scikit-learn's partial_fit validates its first call only)
    for name, bad in [("max_length", 0), ("alpha", "bogus"), ("window", 0), ("workers", None)]:
        with pytest.raises(InvalidParameterError, match=name):
            est.set_params(**{name: bad}).partial_fit(DOCS)
        est.set_params(**{name: cls().get_params()[name]})
    assert est.max_length_ == width  # the refused calls changed nothing
    np.testing.assert_array_equal(est.wv_.vectors, vectors)
    with pytest.raises(ValueError, match="min_alpha=0.2 is larger than alpha"):
        est.set_params(min_alpha=0.2).partial_fit(DOCS)
    est.set_params(min_alpha=0.0001)
    # a parameter that shapes the model: refused, naming the fitted value
    with pytest.raises(ValueError, match=r"vector_size=16 \(fitted with 8\).*call fit"):
        est.set_params(vector_size=16).partial_fit(DOCS)
    with pytest.raises(ValueError, match=r"negative=0 \(fitted with 5\)"):
        est.set_params(vector_size=8, negative=0, hs=1).partial_fit(DOCS)
    est.set_params(negative=5, hs=0)
    # the training parameters apply to the continued training, as in SGDClassifier:
    # min_count=5 keeps a word seen 3 times out, min_count=1 takes it in
    est.set_params(min_count=5, epochs=3, window=2).partial_fit(["zebra the cat"] * 3)
    assert "zebra" not in est.wv_.key_to_index
    assert est._model.epochs == 3 and est._model.window == 2
    est.set_params(min_count=1).partial_fit(["zebra the cat"] * 3)
    assert "zebra" in est.wv_.key_to_index


def test_fasttext_without_ngrams_continues_training():
    # max_n < min_n turns the n-grams off: gensim keeps bucket=0, the parameter 100,000
    est = FastTextTransformer(vector_size=8, min_count=1, epochs=1, min_n=5, max_n=3).fit(DOCS)
    est.partial_fit(["zebra the cat"] * 3)
    assert "zebra" in est.wv_.key_to_index


def test_fasttext_partial_fit_refuses_other_ngrams():
    est = FAST["ft"]().fit(DOCS)
    with pytest.raises(ValueError, match=r"min_n=2 \(fitted with 3\); bucket=7 \(fitted"):
        est.set_params(min_n=2, bucket=7).partial_fit(DOCS)


@pytest.mark.parametrize("name", ALL)
def test_parameters_set_after_fit_are_validated_where_read(name):
    # scikit-learn validates in fit: a typo set after it silently took another
    # branch (output="padd" gave mean vectors) or failed inside
    est = FAST[name]().fit(DOCS)
    before = est.transform(DOCS[:3])
    bad = {
        "output": "padd",
        "handle_unknown": "subword" if name in ("w2v", "glove") else "bogus",
        "strip_accents": "asci",
        "tokenizer": "split",
        "lowercase": "yes",
    }
    if name == "vec":
        bad["analyzer"] = "chars"
    for param, value in bad.items():
        est.set_params(**{param: value})
        with pytest.raises(InvalidParameterError, match=param):
            est.transform(DOCS[:3])
        est.set_params(**{param: FAST[name]().get_params()[param]})
    if name != "vec":
        with pytest.raises(InvalidParameterError, match="output"):
            est.set_params(output="padd").get_feature_names_out()
        est.set_params(output="sequence")
    assert_same(est.transform(DOCS[:3]), before)  # still usable, as it was
    with sklearn.config_context(skip_parameter_validation=True):
        est.set_params(lowercase=0).transform(DOCS[:3])  # not checked, as in fit


@pytest.mark.parametrize("name", ["w2v", "ft"])
def test_a_bad_workers_value_does_not_break_transform(name):
    # __sklearn_tags__ (read by check_is_fitted) compared workers > 1
    est = FAST[name]().fit(DOCS)
    est.set_params(workers=None)
    assert est.transform(DOCS[:2]).n_samples == 2
    with pytest.raises(InvalidParameterError, match="workers"):
        est.partial_fit(DOCS)


def test_partial_fit_unfitted_is_fit():
    a = W2VTransformer(vector_size=8, min_count=1, epochs=1, random_state=0).partial_fit(DOCS)
    b = W2VTransformer(vector_size=8, min_count=1, epochs=1, random_state=0).fit(DOCS)
    np.testing.assert_array_equal(a.wv_.vectors, b.wv_.vectors)


# ---------------------------------------------------------------- streaming
class Restartable:
    def __init__(self, docs):
        self.docs = docs
        self.passes = 0

    def __iter__(self):
        self.passes += 1
        return iter(self.docs)


@pytest.mark.parametrize("name", ALL)
def test_streaming_corpus_gives_same_model(name, tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text("\n".join(DOCS) + "\n", encoding="utf-8")
    ref = FAST[name]().fit(DOCS).transform(DOCS)
    stream = Restartable(DOCS)
    assert_same(FAST[name]().fit(stream).transform(DOCS), ref)
    assert stream.passes >= (1 if name == "vec" else 2)
    assert_same(FAST[name]().fit(path).transform(DOCS), ref)
    assert_same(FAST[name]().fit(d for d in DOCS).transform(DOCS), ref)  # one-shot generator


class OneShot:
    """``__iter__`` returns the same iterator every time: the corpus can be read once."""

    def __init__(self, docs):
        self.it = iter(docs)

    def __iter__(self):
        return self.it


class TwoPasses(Restartable):
    def __iter__(self):
        super().__iter__()
        return iter(self.docs if self.passes <= 2 else [])


@pytest.mark.parametrize("name", ALL)
def test_non_restartable_iterable_is_refused(name):
    if name != "vec":  # SequenceVectorizer reads its corpus once
        with pytest.raises(ValueError, match="40 documents in the first pass but 0.*restartable"):
            FAST[name]().fit(OneShot(DOCS))
        with pytest.raises(ValueError, match="must be restartable"):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # GloVe: no co-occurrences in the empty pass
                FAST[name]().fit(TwoPasses(DOCS))
    spent = OneShot(DOCS)
    list(spent)
    with pytest.raises(ValueError, match="read only once.*must be restartable"):
        FAST[name]().fit(spent)


# ------------------------------------------------------------- long documents
LONG_DOC = " ".join([f"a{i % 50}" for i in range(10_000)] + [f"z{i % 50}" for i in range(300)])
TAIL = [f"z{i}" for i in range(50)]


def _own_vectors(est, words):
    """The words' trained rows (FastText: without the n-gram part, which buckets share)."""
    kv = est.wv_
    table = kv.vectors_vocab if isinstance(kv, FastTextKeyedVectors) else kv.vectors
    return table[[kv.key_to_index[w] for w in words]].copy()


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_tokens_past_gensims_sentence_limit_are_trained(cls, caplog):
    # gensim's compiled trainers ignore the tokens of a sentence past its 10,000th
    def fit(epochs, X=(LONG_DOC,)):
        est = cls(vector_size=8, min_count=1, sample=0, epochs=epochs, random_state=0)
        if cls is FastTextTransformer:
            est.set_params(bucket=500)
        return est.fit(X)

    with caplog.at_level("WARNING", logger="gensim"):
        one = fit(1)
    assert not np.allclose(_own_vectors(one, TAIL), _own_vectors(fit(2), TAIL))
    # gensim's example and word counts (progress, alpha decay) match what it trained on
    assert not [r for r in caplog.records if "did not equal expected count" in r.message]
    assert one._model.corpus_count == 2 and one._model.corpus_total_words == 10_300
    # streamed, the long document is cut the same way
    stream = Restartable([LONG_DOC])
    np.testing.assert_array_equal(fit(1, stream).wv_.vectors, one.wv_.vectors)
    # partial_fit trains the new words at the end of a long document too
    more = LONG_DOC.replace("z", "y")
    once = fit(1).partial_fit([more])
    twice = fit(1).partial_fit([more]).partial_fit([more])
    new = [w.replace("z", "y") for w in TAIL]
    assert not np.allclose(_own_vectors(once, new), _own_vectors(twice, new))


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_the_last_token_of_a_long_document_is_trained(cls):
    # 10,001 tokens: pieces of equal size, not one of 10,000 and a lone token
    doc = " ".join([f"a{i % 50}" for i in range(10_000)] + ["last"])

    def vector(epochs):
        est = cls(vector_size=8, min_count=1, sample=0, epochs=epochs, random_state=0)
        if cls is FastTextTransformer:
            est.set_params(bucket=500)
        return _own_vectors(est.fit([doc]), ["last"])

    assert not np.allclose(vector(1), vector(2))


def test_glove_trains_on_whole_long_documents():
    one = FAST["glove"]().set_params(epochs=1).fit([LONG_DOC])
    two = FAST["glove"]().set_params(epochs=2).fit([LONG_DOC])
    assert not np.allclose(_own_vectors(one, TAIL), _own_vectors(two, TAIL))


# ------------------------------------------------------------------ pretrained
@pytest.fixture(scope="module")
def w2v_model():
    analyze = build_analyzer()
    return Word2Vec([analyze(d) for d in DOCS], vector_size=8, min_count=1, seed=0, workers=1)


def save_vectors(kv, fmt, tmp_path):
    """``kv`` as a KeyedVectors (``"kv"``) or in a file of format ``fmt``."""
    if fmt == "kv":
        return kv
    if fmt == "glove":
        src = tmp_path / "glove.txt"
        with open(src, "w") as fh:
            for w in kv.index_to_key:
                fh.write(w + " " + " ".join(f"{v:.8f}" for v in kv[w]) + "\n")
        return src
    src = str(tmp_path / f"vectors.{'bin' if fmt == 'binary' else 'txt'}")
    kv.save_word2vec_format(src, binary=fmt == "binary")
    return src


@pytest.mark.parametrize("fmt", ["text", "binary", "glove", "kv"])
def test_pretrained_formats(fmt, w2v_model, tmp_path):
    kv = w2v_model.wv
    src = save_vectors(kv, fmt, tmp_path)
    for cls in (W2VTransformer, GloVeTransformer, FastTextTransformer):
        est = cls(pretrained=src).fit(DOCS)
        assert est.wv_.index_to_key == kv.index_to_key
        np.testing.assert_allclose(est.wv_.vectors, kv.vectors, atol=1e-6)
        out = est.transform(["the cat zebra"])
        assert out.data.tolist() == [kv.key_to_index["the"], kv.key_to_index["cat"]]


def test_pretrained_fasttext_bin_keeps_subwords(tmp_path):
    from gensim.models.fasttext import save_facebook_model

    analyze = build_analyzer()
    model = FastText([analyze(d) for d in DOCS], vector_size=8, min_count=1, bucket=300, seed=0)
    path = tmp_path / "model.bin"
    save_facebook_model(model, str(path))
    est = FastTextTransformer(pretrained=path).fit(DOCS)
    assert isinstance(est.wv_, FastTextKeyedVectors)
    out = est.transform(["cats"])
    assert out.vocabulary[-1] == "cats"
    np.testing.assert_allclose(out.vectors[-1], model.wv["cats"], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("fmt", ["text", "binary", "glove", "kv"])
def test_pretrained_nan_or_inf_is_refused(fmt, w2v_model, tmp_path):
    vectors = w2v_model.wv.vectors.copy()
    vectors[1, 2], vectors[3, 0] = np.nan, -np.inf
    kv = KeyedVectors(8)
    kv.add_vectors(w2v_model.wv.index_to_key, vectors)
    n = len(vectors)
    with pytest.raises(ValueError, match=f"NaN or infinite values in 2 of {n} vectors"):
        W2VTransformer(pretrained=save_vectors(kv, fmt, tmp_path)).fit(DOCS)


def test_pretrained_text_header_count_and_duplicate_words(tmp_path):
    short = tmp_path / "short_header.txt"
    short.write_text("2 3\na 1 2 3\nb 1 2 3\nc 1 2 3\nd 1 2 3\n")
    with pytest.raises(ValueError, match="announces 2 words but the file has 4 vector lines"):
        W2VTransformer(pretrained=short).fit(["a"])
    dup = tmp_path / "dup.txt"
    dup.write_text("3 2\na 1 2\na 3 4\nb 5 6\n")
    with pytest.warns(UserWarning, match=re.escape("1 word(s) more than once")):
        est = W2VTransformer(pretrained=dup, output="mean").fit(["a"])
    assert est.wv_.index_to_key == ["a", "b"]
    np.testing.assert_array_equal(est.transform(["a b"]), [[3, 4]])  # the first "a" is kept


def test_pretrained_errors(w2v_model, tmp_path):
    with pytest.raises(FileNotFoundError, match="not found"):
        W2VTransformer(pretrained=tmp_path / "missing.txt").fit(DOCS)
    bad = tmp_path / "bad.txt"
    bad.write_text("3 8\nthe 0.1 0.2\ngarbage\n")
    with pytest.raises(ValueError, match="Could not read pretrained vectors"):
        W2VTransformer(pretrained=bad).fit(DOCS)
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    with pytest.raises(ValueError, match="is empty"):
        W2VTransformer(pretrained=empty).fit(DOCS)
    with pytest.raises(ValueError, match="vector_size=50 disagrees.*8 dimensions"):
        W2VTransformer(pretrained=w2v_model.wv, vector_size=50).fit(DOCS)
    with pytest.raises(ValueError, match="training state"):
        W2VTransformer(pretrained=w2v_model.wv).fit(DOCS).partial_fit(DOCS)


def test_wv_works_with_gensim_evaluation():
    est = W2VTransformer(vector_size=8, min_count=1, epochs=1, random_state=0).fit(
        ["tiger cat dog animal", "car automobile"] * 5
    )
    assert isinstance(est.wv_, KeyedVectors)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pearson, spearman, oov = est.wv_.evaluate_word_pairs(datapath("wordsim353.tsv"))
    assert 0 < oov < 100
    score, sections = est.wv_.evaluate_word_analogies(datapath("questions-words.txt"))
    assert isinstance(sections, list)


# ----------------------------------------------------------------- bad input
@pytest.mark.parametrize("name", ALL)
def test_bad_input(name):
    est = FAST[name]()
    with pytest.raises(ValueError, match="string object received"):
        est.fit("the cat sat")
    with pytest.raises(TypeError, match="Document 1 is None"):
        est.fit(["the cat", None])
    with pytest.raises(TypeError, match="token of type int"):
        est.fit([["the", "cat"], ["dog", 3]])
    with pytest.raises(ValueError, match="empty corpus"):
        est.fit([])
    with pytest.raises(ValueError, match="no tokens"):
        est.fit(["", "  ", "!!"])
    fitted = FAST[name]().fit(DOCS)
    with pytest.raises(ValueError, match="string object received"):
        fitted.transform("the cat")
    with pytest.raises(TypeError, match="None"):
        fitted.transform([None])
    with pytest.raises(TypeError, match="None"):
        fitted.transform(np.array([["the", None]], dtype=object))
    # as the recurrent estimators: a set has no order (rows could not be matched to
    # the documents) and a dict's keys were read as documents, silently
    for X, message in [
        (set(DOCS), "X is a set; pass the documents as a list"),
        (dict.fromkeys(DOCS, 0), "X is a dict.*its keys would be read as the documents"),
    ]:
        for method in (fitted.transform, FAST[name]().fit, FAST[name]().fit_transform):
            with pytest.raises(TypeError, match=message):
                method(X)
    used = (d for d in DOCS)
    list(used)  # a generator read already gave 0 sequences, silently
    with pytest.warns(UserWarning, match="iterator .generator. that yielded no documents"):
        assert len(fitted.transform(used)) == 0


def test_fit_warns_about_one_column_of_one_word_documents():
    # fit read df[["answer"]] as one token per cell, kept as it was ("Great!"),
    # silently; transform refuses such cells of known words only later
    answers = pd.DataFrame({"answer": ["Great!", "AWFUL", "ok.", "fine"]})
    with pytest.warns(UserWarning, match=r"tokenizer would change 3 of 4.*df\['answer'\]"):
        SequenceVectorizer().fit(answers)
    with pytest.warns(UserWarning, match=r"df\[0\] rather than df\[\[0\]\]"):
        SequenceVectorizer().fit(pd.DataFrame({0: ["Great!", "AWFUL", "ok."]}))
    with pytest.raises(ValueError, match=r"df\[0\] rather than df\[\[0\]\]"):  # not np.int64(0)
        SequenceVectorizer().fit(pd.DataFrame({0: ["a good film", "a bad one"]}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        SequenceVectorizer().fit(pd.DataFrame({"token": ["great", "awful", "Ok", "fine"]}))
        SequenceVectorizer().fit(pd.DataFrame({"a": ["Great!"] * 4, "b": ["ok"] * 4}))


@pytest.mark.parametrize("name", ALL)
def test_one_column_of_documents_is_not_read_as_a_token_matrix(name):
    df = pd.DataFrame({"text": DOCS})
    column = np.array(DOCS, dtype=object)[:, None]
    for X in (df[["text"]], column, column.astype(str)):
        # min_count=5 used to fail with a misleading "min_count removed every word"
        est = FAST[name]().set_params(min_count=5)
        with pytest.raises(ValueError, match=r"one column of documents.*\(n, 1\).*as 1D"):
            est.fit(X)
        assert not hasattr(est, "n_features_in_")
    with pytest.raises(ValueError, match=r"df\['text'\] rather than df\[\['text'\]\]"):
        FAST[name]().fit(df[["text"]])
    fitted = FAST[name]().fit(df["text"])
    with pytest.raises(ValueError, match="one column of documents"):
        fitted.transform(df[["text"]])
    # one-word documents given to a transformer fitted on documents: as a token
    # matrix "Great!" would stay whole, a token its fit never made
    first = DOCS[0].split()[1]  # a word of the vocabulary
    for words in ([first.title() + "!", first.upper()], np.array([first, first.upper()])):
        with pytest.raises(ValueError, match=r"unknown tokens whose words .* read as \['"):
            fitted.transform(pd.DataFrame({"text": words}))
    # a one-column token matrix keeps its cells as they are, in fit and after it
    cities = np.array([["Paris"], ["3.5"], ["A-1"], ["Paris"]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GloVe: no co-occurrences in one-token documents
        on_cities = FAST[name]().set_params(min_count=1).fit(cities)
        assert len(on_cities.transform(cities[::-1])) == 4
        # and a fit on token lists knows "Great!" as it was given
        on_tokens = FAST[name]().set_params(min_count=1).fit([["Great!", "AWFUL"]] * 3)
        assert len(on_tokens.transform(np.array([["Great!"], ["AWFUL"]], dtype=object))) == 2
    # a real one-column token matrix (one token per row) is still accepted
    tokens = np.array([[d.split()[0]] for d in DOCS])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # GloVe: no co-occurrences in one-token documents
        assert FAST[name]().fit(tokens).n_features_in_ == 1
        assert len(fitted.transform(pd.DataFrame({"t": tokens[:, 0]}))) == len(DOCS)


@pytest.mark.parametrize("name", ALL)
def test_columns_of_documents_are_not_read_as_a_token_matrix(name):
    # df[["title", "body"]], or a ColumnTransformer given a list of text columns:
    # every whole text became one token, silently
    df = pd.DataFrame({"title": [d.split()[0] for d in DOCS], "body": DOCS})
    for X in (df, df.to_numpy(), df.to_numpy().astype(str), df.astype("category")):
        with pytest.raises(ValueError, match=r"2 columns .*several words.*columns of documents"):
            FAST[name]().fit(X)
    # one column of text beside numbers: two words are text, as in a lone column
    with pytest.raises(ValueError, match=r"one column of text.*df\['body'\]"):
        FAST[name]().fit(pd.DataFrame({"n": range(len(DOCS)), "body": DOCS}))
    fitted = FAST[name]().fit(np.array([d.split()[:2] for d in DOCS]))
    X = np.array([["the", "cat"], ["the", "cat\u3000sat on"]])  # any Unicode whitespace
    with pytest.raises(ValueError, match="row 1"):
        fitted.transform(X)


def test_token_matrices_of_spaced_tokens():
    # whitespace alone is a token (a character matrix), and so is a category of two
    # words beside other columns; three words read as text, and the message says how
    # to keep such tokens
    chars = np.array([list("ab c"), list("c  d")])
    vec = SequenceVectorizer(analyzer="char").fit(chars)
    assert " " in vec.vocabulary_
    cities = pd.DataFrame({"from": ["New York", "Paris"], "to": ["Los Angeles", "Rome"]})
    assert (
        "New York" in SequenceVectorizer(lowercase=False).fit(cities.astype("category")).vocabulary_
    )
    for X in (np.array([["new york city", "x"], ["la", "x"]]), np.array([["a b c", "d"]], ">U5")):
        with pytest.raises(ValueError, match=r"columns of documents.*list of token lists"):
            SequenceVectorizer().fit(X)
    assert "new york city" in SequenceVectorizer().fit([["new york city", "x"]]).vocabulary_
    # CJK tokens (code points above U+3000, the last whitespace) are no whitespace
    assert SequenceVectorizer().fit(np.array([["東京", "大阪"], ["京都", "東京"]])).vocabulary_


@pytest.mark.parametrize("name", ALL)
def test_empty_cells_of_a_token_matrix_are_padding(name):
    # and so are the empty strings of token lists: the same data, the same result
    docs = [d.split()[: 2 + i % 3] for i, d in enumerate(DOCS)]
    width = max(map(len, docs))
    padded = [d + [""] * (width - len(d)) for d in docs]
    expected = FAST[name]().fit(docs)
    for X in (padded, np.array(padded), np.array(padded, dtype=object), pd.DataFrame(padded)):
        est = FAST[name]().fit(X)  # "" is no word of the vocabulary
        assert_same(est.transform(X), expected.transform(docs))
    ragged = pd.DataFrame(padded).replace("", np.nan)  # as pandas pads token lists
    # pd.NA of a string column failed inside scikit-learn ("boolean value of NA...")
    for X in (ragged, ragged.astype("string"), ragged.astype(object).replace(np.nan, None)):
        with pytest.raises(ValueError, match=r"missing value in row \d.*token lists itself"):
            FAST[name]().fit(X)


@pytest.mark.parametrize(
    "X",
    [
        np.array([b"a b", b"c d"]),
        np.array([[b"a", b"b"], [b"c", b"d"]]),
        np.array([[b"a", b"b"], [b"c", b"d"]], dtype=object),
    ],
)
def test_bytes_arrays_are_refused_like_bytes_documents(X):
    with pytest.raises(TypeError, match="decode it to str"):
        FAST["w2v"]().fit(X)


@pytest.mark.skipif(not hasattr(getattr(np, "dtypes", None), "StringDType"), reason="needs numpy 2")
@pytest.mark.parametrize(
    "X", [np.array(["the cat sat", "a dog ran"]), np.array([["the", "cat"], ["a", ""]])]
)
def test_string_dtype_arrays_read_like_str_arrays(X):
    # numpy's variable-width StringDType (kind "T") failed inside scikit-learn
    expected = SequenceVectorizer().fit_transform(X)
    got = SequenceVectorizer().fit_transform(X.astype(np.dtypes.StringDType()))
    np.testing.assert_array_equal(got.data, expected.data)
    np.testing.assert_array_equal(got.offsets, expected.offsets)


def test_missing_documents_suggest_fillna():
    for X in (pd.Series(["the cat", np.nan]), pd.Series(["the cat", None], dtype="string")):
        with pytest.raises(TypeError, match="Document 1 is a missing value.*fillna"):
            SequenceVectorizer().fit(X)
    pl = pytest.importorskip("polars")
    with pytest.raises(TypeError, match=r"Document 1 is a missing value.*fill_null\(''\)"):
        SequenceVectorizer().fit(pl.Series(["the cat", None]))


@pytest.mark.parametrize("name", ALL)
def test_min_count_emptying_vocabulary_says_what_to_lower(name):
    est = FAST[name]().set_params(min_count=50)
    with pytest.raises(ValueError, match=re.escape("min_count=50") + ".*Lower min_count"):
        est.fit(["the cat", "the dog"])


# -------------------------------------------------------------------- GloVe
def test_cooccurrence_matches_naive_loop():
    rng = np.random.RandomState(0)
    docs = [rng.randint(0, 6, size=rng.randint(0, 12)) for _ in range(20)]
    ids = np.concatenate(docs)
    offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])])
    window = 3
    expected = np.zeros((6, 6))
    for doc in docs:
        for i in range(len(doc)):
            for d in range(1, window + 1):
                if i + d < len(doc):
                    expected[doc[i], doc[i + d]] += 1 / d
                    expected[doc[i + d], doc[i]] += 1 / d
    got = cooccurrence_matrix(ids, offsets, 6, window, chunk_size=7).toarray()
    np.testing.assert_allclose(got, expected)
    asym = cooccurrence_matrix(ids, offsets, 6, window, symmetric=False).toarray()
    np.testing.assert_allclose(asym + asym.T, expected)


def test_glove_deterministic_and_learns():
    def glove(**kw):
        return GloVeTransformer(vector_size=8, min_count=1, epochs=20, window=3, **kw)

    a = glove(random_state=0).fit(DOCS)
    b = glove(random_state=0).fit(DOCS)
    np.testing.assert_array_equal(a.wv_.vectors, b.wv_.vectors)
    c = glove(random_state=1).fit(DOCS)
    assert not np.array_equal(a.wv_.vectors, c.wv_.vectors)
    assert a.loss_curve_[-1] < 0.5 * a.loss_curve_[0]
    # the global torch state is left alone
    import torch

    state = torch.random.get_rng_state()
    FAST["glove"]().fit(DOCS)
    assert torch.equal(state, torch.random.get_rng_state())


def test_glove_auto_batch_size_is_4096_on_cpu():
    rng = np.random.RandomState(0)
    docs = [" ".join(f"w{i}" for i in rng.randint(0, 300, size=40)) for _ in range(300)]

    def vectors(batch_size):
        glove = GloVeTransformer(
            vector_size=4, min_count=1, epochs=2, window=3, batch_size=batch_size, random_state=0
        )
        return glove.fit(docs).wv_.vectors

    auto = vectors("auto")
    np.testing.assert_array_equal(auto, vectors(4096))
    assert not np.array_equal(auto, vectors(1024))  # more than 4096 entries: batches differ


def test_glove_divergence_says_lower_learning_rate():
    X = cooccurrence_matrix(np.array([0, 1, 2, 0, 1, 2]), np.array([0, 6]), 3, 2)
    with pytest.raises(ValueError, match="lower learning_rate"):
        train_glove(X * 1e30, 4, learning_rate=1e30, epochs=3, x_max=1e-30)


def test_glove_cuda_request_without_cuda():
    import torch

    if torch.cuda.is_available():
        pytest.skip("CUDA present")
    for device in ("cuda", "cuda:0"):
        with pytest.raises(RuntimeError, match=f"device='{device}'.*no CUDA GPU"):
            FAST["glove"](device=device).fit(DOCS)
    auto = FAST["glove"](device="auto").fit(DOCS)
    assert auto.wv_.vectors.shape[1] == 8 and auto.device_ == "cpu"


def test_glove_device_takes_the_recurrent_estimators_values():
    assert FAST["glove"](device="cpu").fit(DOCS).device_ == "cpu"
    assert FAST["glove"](device=torch.device("cpu")).fit(DOCS).device_ == "cpu"
    with pytest.raises(ValueError, match="device='tpu' is not a device.*'cuda:N'"):
        FAST["glove"](device="tpu").fit(DOCS)
    with pytest.raises(InvalidParameterError, match="'device' parameter"):
        FAST["glove"](device=0).fit(DOCS)


def test_glove_refit_on_pretrained_vectors_drops_the_training_attributes(tmp_path):
    glove = FAST["glove"]().fit(DOCS)
    assert hasattr(glove, "loss_curve_") and hasattr(glove, "device_")
    path = tmp_path / "vectors.txt"
    glove.wv_.save_word2vec_format(str(path))
    glove.set_params(pretrained=path).fit(DOCS)
    assert not hasattr(glove, "loss_curve_") and not hasattr(glove, "device_")


# --------------------------------------------------------- SequenceVectorizer
def test_sequence_vectorizer_ids_and_limits():
    vec = SequenceVectorizer(min_count=2).fit(["a a b c c c", "d"])
    assert vec.index_to_token_ == ["<pad>", "<unk>", "c", "a"]
    with pytest.warns(UserWarning, match="1 of 2"):
        out = vec.transform(["c a b zz", ""])
    assert out.to_list()[0].tolist() == [2, 3, 1, 1]
    assert out.vectors is None and out.vocabulary == vec.index_to_token_
    assert SequenceVectorizer(max_tokens=1).fit(["a a b"]).index_to_token_ == [
        "<pad>",
        "<unk>",
        "a",
    ]
    dropped = SequenceVectorizer(handle_unknown="ignore").fit(["a b"]).transform(["a zz b"])
    assert dropped.data.tolist() == [2, 3]
    padder = SequenceVectorizer(output="padded", max_length=3).fit(["a b"])
    padded = padder.transform(["b", "a b a b"])
    np.testing.assert_array_equal(padded, [[3, 0, 0], [2, 3, 2]])


def test_sequence_vectorizer_renames_its_reserved_tokens_not_the_texts():
    vec = SequenceVectorizer().fit([["<unk>", "a", "<<pad>>"], ["<pad>", "<unk>"]])
    assert vec.index_to_token_ == ["<<<pad>>>", "<<unk>>", "<unk>", "a", "<<pad>>", "<pad>"]
    assert vec.vocabulary_["<unk>"] == 2 and vec.vocabulary_["<pad>"] == 5
    assert vec.transform([["<pad>", "zz", "<unk>"]]).data.tolist() == [5, 1, 2]


def test_sequence_vectorizer_feature_names_in_is_documented():
    vec = SequenceVectorizer().fit(pd.DataFrame({"w1": ["a", "b"], "w2": ["c", "d"]}))
    assert list(vec.feature_names_in_) == ["w1", "w2"]
    assert "feature_names_in_ :" in SequenceVectorizer.__doc__


def test_sequence_vectorizer_char_analyzer():
    vec = SequenceVectorizer(analyzer="char").fit(["Abba"])
    assert vec.index_to_token_ == ["<pad>", "<unk>", "a", "b"]
    assert vec.transform(["ab c"]).data.tolist() == [2, 3, 1, 1]
    cased = SequenceVectorizer(analyzer="char", lowercase=False).fit(["Ab"])
    assert cased.transform(["ab"]).data.tolist() == [1, 3]


def test_custom_tokenizer_and_lowercase():
    est = SequenceVectorizer(tokenizer=str.split, lowercase=False).fit(["The cat's", "the"])
    assert est.index_to_token_[2:] == ["The", "cat's", "the"]


@pytest.mark.parametrize("name", ALL)
def test_tokenizer_must_return_a_list_of_str(name):
    for bad in (lambda s: None, lambda s: s, lambda s: [len(t) for t in s.split()]):
        with pytest.raises(TypeError, match="tokenizer=.*must return a list of str"):
            FAST[name](tokenizer=bad).fit(DOCS)
    ref = FAST[name](tokenizer=str.split).fit(DOCS).transform(DOCS[:3])
    gen = FAST[name](tokenizer=lambda s: (t for t in s.split())).fit(DOCS)  # any iterable
    assert_same(gen.transform(DOCS[:3]), ref)


def test_corpus_file_bom_encoding_and_directory(tmp_path):
    bom = tmp_path / "bom.txt"
    bom.write_bytes("\ufeffhello world\nhello there\n".encode())
    vec = SequenceVectorizer(tokenizer=str.split).fit(bom)
    assert vec.index_to_token_[2:] == ["hello", "world", "there"]
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("café\n".encode("latin-1"))
    with pytest.raises(ValueError, match="latin1.txt' is not valid UTF-8.*Re-save it"):
        SequenceVectorizer().fit(latin)
    with pytest.raises(ValueError, match="is a directory"):
        SequenceVectorizer().fit(tmp_path)
    with pytest.raises(ValueError, match="is a directory"):
        W2VTransformer(pretrained=tmp_path).fit(DOCS)


def test_path_str_is_a_bare_string(tmp_path):
    path = tmp_path / "c.txt"
    path.write_text("a b\n")
    with pytest.raises(ValueError, match="pathlib.Path"):
        SequenceVectorizer().fit(str(path))
    assert SequenceVectorizer().fit(Path(path)).index_to_token_[2:] == ["a", "b"]
    with pytest.raises(TypeError, match="fit only"):
        SequenceVectorizer().fit(path).transform(path)
    # fit_transform (a pipeline's fit) refuses it before training, not after
    for est in (SequenceVectorizer(), W2VTransformer(min_count=1, epochs=1)):
        with pytest.raises(TypeError, match="fit only; fit_transform"):
            est.fit_transform(path)
        assert not [k for k in vars(est) if k.endswith("_")]  # nothing fitted


def test_fasttext_subword_vectors_match_gensim_get_vector():
    from sklearn_seq.embeddings._subword import oov_vectors

    est = FastTextTransformer(vector_size=8, min_count=1, bucket=500, epochs=1, random_state=0)
    est.fit(DOCS + ["naïve café 日本語"])
    kv = est.wv_
    unknown = ["cats", "naïveté", "日本", "a", "ab", "x" * 40, "é" * 9, "zebra", "qq"]
    unknown = [w for w in unknown if w not in kv.key_to_index]
    expected = np.stack([kv.get_vector(w) for w in unknown])
    np.testing.assert_array_equal(oov_vectors(kv, unknown, chunk_size=4), expected)
    X = est.transform([" ".join(unknown[:5]), "cats " + " ".join(unknown[5:])])
    n = len(kv)
    np.testing.assert_array_equal(X.vectors[n:], expected)
    assert list(X.vocabulary[n:]) == unknown
    for min_n, max_n in [(1, 1), (2, 3), (5, 4)]:  # (5, 4): no n-grams, zero vectors
        kv.min_n, kv.max_n = min_n, max_n
        got = oov_vectors(kv, unknown)
        np.testing.assert_array_equal(got, np.stack([kv.get_vector(w) for w in unknown]))


def test_fasttext_names_a_token_utf8_cannot_encode():
    # a lone surrogate (text decoded with surrogateescape): gensim cannot hash its
    # n-grams and failed deep inside training with a bare UnicodeEncodeError
    bad = "caf\udce9"
    docs = [w.split() for w in DOCS]
    est = FastTextTransformer(vector_size=8, min_count=1, epochs=1, random_state=0)
    with pytest.raises(ValueError, match=r"Document 3 has the token 'caf\\udce9'.*errors="):
        est.fit(docs[:3] + [["a", bad]] + docs[3:])
    est.fit(docs)
    before = est.wv_.vectors.copy()
    with pytest.raises(ValueError, match="Document 0 has the token"):
        est.partial_fit([[bad, "a"]])
    np.testing.assert_array_equal(est.wv_.vectors, before)  # refused before training
    # an unseen word at transform gets the vector of its (surrogatepass) bytes
    mean = est.set_params(output="mean").transform([[bad], [bad, "zz"], ["zz"]])
    assert np.isfinite(mean).all() and np.abs(mean[0]).sum() > 0
    np.testing.assert_allclose(mean[1], (mean[0] + mean[2]) / 2, rtol=1e-6)


def test_glove_result_does_not_depend_on_threads():
    import torch

    rng = np.random.RandomState(0)
    ids = rng.zipf(1.5, size=3000) % 50
    X = cooccurrence_matrix(ids, np.array([0, 1500, 3000]), 50, 4)
    threads = torch.get_num_threads()
    one, l1 = train_glove(X, 6, epochs=3, batch_size=64, seed=3, n_threads=1)
    three, l3 = train_glove(X, 6, epochs=3, batch_size=64, seed=3, n_threads=3)
    np.testing.assert_array_equal(one, three)
    assert torch.get_num_threads() == threads  # restored
    assert l3[-1] < l3[0]


def test_glove_tiled_order_does_not_depend_on_threads(monkeypatch):
    # the CPU trainer visits tiles of _BLOCK words x _BLOCK contexts; make them small
    from sklearn_seq.embeddings import _glove

    monkeypatch.setattr(_glove, "_BLOCK", 8)
    monkeypatch.setattr(_glove, "_CHUNK", 16)
    monkeypatch.setattr(_glove, "_MIN_PER_TILE", 1)
    rng = np.random.RandomState(0)
    ids = rng.zipf(1.5, size=3000) % 50
    X = cooccurrence_matrix(ids, np.array([0, 1500, 3000]), 50, 4)
    one, l1 = train_glove(X, 6, epochs=3, batch_size=100, seed=3, n_threads=1)
    three, l3 = train_glove(X, 6, epochs=3, batch_size=100, seed=3, n_threads=3)
    np.testing.assert_array_equal(one, three)
    assert l3[-1] < l3[0]
    monkeypatch.setattr(_glove, "_BLOCK", 1000)  # one tile: a plain shuffle
    plain, _ = train_glove(X, 6, epochs=3, batch_size=100, seed=3, n_threads=1)
    assert not np.array_equal(one, plain)
    # tiles too sparse to pay (here: fewer than 10**6 entries each) are not used
    monkeypatch.setattr(_glove, "_BLOCK", 8)
    monkeypatch.setattr(_glove, "_MIN_PER_TILE", 10**6)
    sparse, _ = train_glove(X, 6, epochs=3, batch_size=100, seed=3, n_threads=1)
    np.testing.assert_array_equal(sparse, plain)


def test_train_glove_leaves_its_matrix_alone(monkeypatch):
    # the trainer reads a COO matrix's index arrays in place (no copy): it must not
    # write to them, nor to a float32 matrix's values
    from sklearn_seq.embeddings import _glove

    monkeypatch.setattr(_glove, "_BLOCK", 8)  # tiled, as a large vocabulary is
    monkeypatch.setattr(_glove, "_MIN_PER_TILE", 1)
    rng = np.random.RandomState(0)
    ids = rng.zipf(1.5, size=3000) % 50
    X = cooccurrence_matrix(ids, np.array([0, 1500, 3000]), 50, 4)
    expected, _ = train_glove(X, 6, epochs=2, batch_size=100, seed=3)
    coo = X.tocoo()
    coo.data = coo.data.astype(np.float32)
    before = [a.copy() for a in (coo.row, coo.col, coo.data)]
    got, _ = train_glove(coo, 6, epochs=2, batch_size=100, seed=3)
    for a, b in zip((coo.row, coo.col, coo.data), before, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(got, expected)
    # read-only (memory-mapped) and byte-swapped arrays are read too, without a warning
    for a in (coo.row, coo.col, coo.data):
        a.setflags(write=False)
    swapped = X.tocoo()
    swapped.row = swapped.row.astype(swapped.row.dtype.newbyteorder(">"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for matrix in (coo, swapped):
            got, _ = train_glove(matrix, 6, epochs=2, batch_size=100, seed=3)
            np.testing.assert_array_equal(got, expected)


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_glove_trains_on_cuda():
    # the GPU path: entries and their per-epoch permutation live on the device
    rng = np.random.RandomState(0)
    ids = rng.zipf(1.5, size=3000) % 50
    X = cooccurrence_matrix(ids, np.array([0, 1500, 3000]), 50, 4)
    cpu, cpu_losses = train_glove(X, 6, epochs=8, batch_size=100, seed=3)
    gpu, gpu_losses = train_glove(X, 6, epochs=8, batch_size=100, seed=3, device="cuda")
    assert gpu.shape == cpu.shape and np.isfinite(gpu).all()
    assert gpu_losses[-1] < 0.5 * gpu_losses[0]
    assert abs(gpu_losses[-1] - cpu_losses[-1]) < 0.25 * cpu_losses[-1]
    est = GloVeTransformer(vector_size=8, min_count=1, epochs=3, device="cuda").fit(DOCS)
    assert est.device_.startswith("cuda") and np.isfinite(est.wv_.vectors).all()


def test_glove_without_pairs_over_a_tiled_vocabulary():
    # more words than a tile side (864) and no co-occurrence: torch.cat([]) failed
    with pytest.warns(UserWarning, match="no co-occurring word pairs"):
        est = GloVeTransformer(vector_size=4, epochs=1, min_count=1).fit(
            [f"w{i}" for i in range(1000)]
        )
    assert est.wv_.vectors.shape == (1000, 4)


def test_glove_index_types_fit_their_values():
    # int32 where the values fit: table rows from the vocabulary, entry positions
    # (permutations, tile order) from the number of entries
    from sklearn_seq.embeddings._glove import _small_index, _small_int

    assert _small_int(2**31) is np.int32 and _small_int(2**31 + 1) is np.int64
    assert _small_index(2**31) == torch.int32 and _small_index(2**31 + 1) == torch.int64


def test_glove_tiles_are_the_non_empty_ones():
    # a vocabulary of (V / block)^2 tiles, nearly all empty, costs only its entries
    from sklearn_seq.embeddings._glove import _tiles

    rows = torch.tensor([5, 0, 2_000_000, 5, 1_999_999])
    cols = torch.tensor([7, 1, 3, 900, 2_000_000])
    order, bounds = _tiles(rows, cols, 2_000_001, 864)
    assert bounds == [0, 2, 3, 4, 5]  # 4 non-empty tiles of 2315^2, in tile order
    tiles = [(int(rows[i]) // 864, int(cols[i]) // 864) for i in order]
    assert tiles == [(0, 0), (0, 0), (0, 1), (2314, 0), (2314, 2314)]


@pytest.mark.parametrize("name", ["w2v", "glove"])
def test_pickle_round_trip_with_lone_surrogate_tokens(name):
    # e.g. tokens of text decoded with errors="surrogateescape"
    docs = [["a\ud800b", "cat", "a\ud800b"], ["cat", "dog", "a\ud800b"]] * 3
    est = FAST[name]().fit(docs)
    est2 = pickle.loads(pickle.dumps(est))
    assert est2.wv_.index_to_key == est.wv_.index_to_key
    assert_same(est.transform(docs), est2.transform(docs))
    kv = KeyedVectors(2)
    kv.add_vectors(["x\udcffy", "z"], np.ones((2, 2), dtype=np.float32))
    est = W2VTransformer(pretrained=kv).fit([["z"]])
    assert pickle.loads(pickle.dumps(est)).wv_.index_to_key == ["x\udcffy", "z"]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("max_length", [None, 3])
def test_padded_width_is_fixed_at_fit_whatever_the_output_then(name, max_length):
    longest = max(len(d.split()) for d in DOCS)
    width = longest if max_length is None else max_length
    est = FAST[name](max_length=max_length).fit(DOCS)
    assert est.max_length_ == width
    est.set_params(output="padded")
    assert est.transform(["cat"]).shape[1] == est.transform(DOCS).shape[1] == width


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("strip_accents", ["ascii", "unicode"])
def test_strip_accents_as_count_vectorizer(name, strip_accents):
    import unicodedata

    from sklearn.feature_extraction.text import CountVectorizer

    docs = [
        "Café naïve déjà vu",
        unicodedata.normalize("NFD", "café naïve"),  # the same words, decomposed
        "Crème brûlée at the café",
    ]
    est = FAST[name](strip_accents=strip_accents).fit(docs)
    words = set(est.vocabulary_ if name == "vec" else est.wv_.key_to_index)
    counts = CountVectorizer(token_pattern=r"(?u)\b\w+\b", strip_accents=strip_accents).fit(docs)
    assert words == set(counts.vocabulary_)
    assert "cafe" in words and "naive" in words  # NFD no longer splits 'naïve' in two
    X = est.transform(["CAFÉ", "cafe"])
    assert X.data.tolist() == [X.data[0]] * 2


@pytest.mark.parametrize("handle_unknown", ["subword", "use_unknown_vector"])
def test_rows_appended_per_call_leave_the_fitted_table_uncopied(handle_unknown):
    # the rows of unseen words (or the unknown row) stay apart from the shared
    # table until asked for: a one-call transform allocates no copy of the table,
    # and every view of the output (vectors, subsets, padding, means) is as if joined
    import tracemalloc

    many = [" ".join(f"w{i}" for i in range(j, j + 100)) for j in range(0, 20000, 100)]
    est = FAST["ft"](handle_unknown=handle_unknown).fit(DOCS + many)
    n = len(est.wv_)
    docs = ["the zebras sat", "zebras", "", "the cat"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the empty document
        est.transform(docs)  # caches warmed
        tracemalloc.start()
        out = est.transform(docs)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < est.wv_.vectors.nbytes / 2
        again = est.transform(docs)
        pooled = clone(est).set_params(output="mean").fit(DOCS + many)
        means = pooled.transform(docs)
        # a call of more tokens than table rows pools over the joined table: same bits
        np.testing.assert_array_equal(pooled.transform(docs * 5000)[:4], means)
    vectors, vocabulary = out.vectors, out.vocabulary
    assert len(vectors) == len(vocabulary) > n
    assert out.vocab_size == n + (handle_unknown == "use_unknown_vector")
    np.testing.assert_array_equal(vectors[:n], est.wv_.vectors)
    assert vocabulary[:n] == est.wv_.index_to_key
    sub = again[[3, 0, 1]]  # a subset of a container whose rows are still apart
    assert sub == out[[3, 0, 1]] and sub.vocabulary == vocabulary
    padded, lengths = again.to_padded(lookup=True)
    for i, seq in enumerate(out):
        np.testing.assert_array_equal(padded[i, : lengths[i]], vectors[seq])
        expected = vectors[seq].mean(axis=0) if len(seq) else np.zeros(vectors.shape[1])
        np.testing.assert_allclose(means[i], expected, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize(
    "make",
    [
        lambda: W2VTransformer(vector_size=8, min_count=1, epochs=1, sample=0, random_state=0),
        lambda: FastTextTransformer(
            vector_size=8, min_count=1, epochs=1, sample=0, bucket=0, random_state=0
        ),
    ],
)
@pytest.mark.parametrize("handle_unknown", ["ignore", "use_unknown_vector"])
def test_partial_fit_leaves_earlier_outputs_as_they_were(make, handle_unknown):
    # outputs share the fitted table: training continues on a copy, so an earlier
    # output keeps the vectors it was made with (no new word: gensim would train
    # its array in place)
    est = make().set_params(handle_unknown=handle_unknown).fit(DOCS)
    out = est.transform(DOCS[:3])
    before = out.to_padded(lookup=True)[0].copy()
    est.partial_fit(DOCS)
    assert not np.array_equal(est.transform(DOCS[:3]).to_padded(lookup=True)[0], before)
    np.testing.assert_array_equal(out.to_padded(lookup=True)[0], before)


def test_unknown_row_after_an_empty_pretrained_table():
    kv = KeyedVectors(4, count=0, dtype=np.float32)
    est = W2VTransformer(pretrained=kv, handle_unknown="use_unknown_vector", output="padded")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        padded = est.fit(["a b"]).transform(["a b", "c"])
    np.testing.assert_array_equal(padded, np.zeros((2, 2, 4)))


@pytest.mark.parametrize("name", ["w2v", "ft", "vec"])
def test_transform_holds_a_chunk_of_tokens_as_strings_at_once(name):
    # a call's tokens become ids a chunk of documents at a time: its peak stays
    # near its output (holding every token as a Python string took 10x the ids)
    import tracemalloc

    rng = np.random.RandomState(0)
    words = [f"w{i}" for i in range(2000)]
    docs = [" ".join(rng.choice(words, 20)) for _ in range(20000)]
    est = FAST[name]().fit(docs[:2000])
    est.transform(docs[:10])
    tracemalloc.start()
    out = est.transform(docs)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert out.data.nbytes == 8 * 20 * 20000
    assert peak < 4 * out.data.nbytes


@pytest.mark.parametrize("params", [dict(bucket=500), dict(bucket=0), dict(min_n=2, max_n=5)])
def test_unpickled_fasttext_vectors_equal_gensims_composition(params, monkeypatch):
    # the vectorised composition on load is gensim's recalc_char_ngram_buckets +
    # adjust_vectors, bit for bit (several slices of words, non-ASCII, a long word)
    from sklearn_seq.embeddings import _base

    monkeypatch.setattr(_base, "_FT_WORDS", 7)
    docs = DOCS + ["naïve café 東京 😀 a " + "x" * 300]
    est = pickle.loads(pickle.dumps(FAST["ft"]().set_params(**params).fit(docs)))
    kv = est.wv_
    ours, our_buckets = kv.vectors.copy(), kv.buckets_word
    kv.recalc_char_ngram_buckets()
    kv.adjust_vectors()
    np.testing.assert_array_equal(ours, kv.vectors)
    assert len(our_buckets) == len(kv.buckets_word) == len(kv.index_to_key)
    for a, b in zip(our_buckets, kv.buckets_word, strict=True):
        assert a.dtype == b.dtype == np.uint32 and np.array_equal(a, b)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("output", ["sequence", "mean"])
def test_transform_in_chunks_equals_one_chunk(name, output, monkeypatch):
    # chunk boundaries change nothing: ids (FastText's unseen words numbered in
    # first-seen order across chunks), dropped words, empty documents, errors
    from sklearn_seq import _text

    est = FAST[name](output=output if name != "vec" else "sequence").fit(DOCS)
    docs = ["zebra the cat", "", "unicorn zebra dog", "the", "cats and zebras"] * 3
    if name in ("w2v", "glove"):
        est.set_params(handle_unknown="use_unknown_vector")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = est.transform(docs)
        monkeypatch.setattr(_text, "_IDS_CHUNK", 2)
        assert_same(est.transform(docs), whole)
    with pytest.raises(TypeError, match="Document 3 is None"):
        est.transform(docs[:3] + [None])


@contextlib.contextmanager
def _once_training(action):
    """Run ``action`` in a thread once gensim's training has run a little (a fixed
    delay could land before it starts on a loaded machine), unless the block has
    ended by then. (The trainings it stops are about a minute long: an
    interruption that went astray fails, not hangs.)"""
    done = threading.Event()

    def wait_then_act():
        deadline = time.monotonic() + 60
        while (
            not done.is_set()
            and time.monotonic() < deadline
            and not any(t.name == "sklearn_seq-gensim-train" for t in threading.enumerate())
        ):
            time.sleep(0.01)
        if not done.wait(0.5):
            action()

    thread = threading.Thread(target=wait_then_act)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()


@pytest.mark.parametrize("cls", [W2VTransformer, FastTextTransformer])
def test_ctrl_c_during_gensim_training_leaves_no_thread_behind(cls):
    # gensim's threads wait on queues its main loop drains: a Ctrl-C in that loop
    # left them, and the model they hold, blocked for good
    rng = np.random.RandomState(0)
    docs = [list(rng.choice(WORDS, 20)) for _ in range(20_000)]  # passes of 40 jobs
    est = cls(min_count=1, vector_size=8, epochs=1000, workers=2, random_state=0)
    before = threading.active_count()
    with _once_training(_thread.interrupt_main):  # as a Ctrl-C, during training
        with pytest.raises(KeyboardInterrupt):
            est.fit(docs)
    deadline = time.monotonic() + 10  # gensim's threads end once they have no more work
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before
    assert not hasattr(est, "wv_")


@pytest.mark.parametrize("name", ["w2v", "ft"])
def test_a_deep_copy_keeps_the_training_state(name):
    # deepcopy went through __getstate__, which leaves gensim's model out of pickles:
    # a copy could not partial_fit
    est = FAST[name](workers=1).fit(DOCS)  # (one thread: deterministic)
    twin = copy.deepcopy(est)
    est.partial_fit(DOCS)
    twin.partial_fit(DOCS)
    np.testing.assert_array_equal(twin.wv_.vectors, est.wv_.vectors)


def test_any_exception_that_interrupts_gensim_training_stops_it():
    # a time limit's exception from a signal handler left training running on in the
    # background, changing wv_ after the call had raised
    rng = np.random.RandomState(0)
    docs = [list(rng.choice(WORDS, 20)) for _ in range(20_000)]
    est = W2VTransformer(min_count=1, vector_size=8, epochs=1000, workers=2, random_state=0)

    def time_limit(signum, frame):
        raise TimeoutError("time limit")

    before = threading.active_count()
    previous = signal.signal(signal.SIGALRM, time_limit)
    try:
        with _once_training(lambda: os.kill(os.getpid(), signal.SIGALRM)):
            with pytest.raises(TimeoutError):
                est.fit(docs)
    finally:
        signal.signal(signal.SIGALRM, previous)
    deadline = time.monotonic() + 10
    while threading.active_count() > before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert threading.active_count() == before


def test_the_no_known_tokens_warning_names_min_count():
    est = W2VTransformer(min_count=2, vector_size=4, workers=1, random_state=0)
    est.fit(["a b c a b", "x y"])
    with pytest.warns(UserWarning, match=r"no known tokens.*min_count=2 times in fit"):
        est.transform(["x y"])


def test_sequence_vectorizer_says_no_known_tokens_when_it_drops_unknown_ones():
    est = SequenceVectorizer(min_count=2, handle_unknown="ignore").fit(["a b a b", "x y"])
    with pytest.warns(UserWarning, match=r"1 of 2 documents have no known tokens.*min_count"):
        est.transform(["x y", "a"])
    est.set_params(handle_unknown="use_oov_id")
    for docs, first in ((["", "a"], []), (["x y", "a"], [1, 1])):  # only OOV ids: no known token
        with pytest.warns(UserWarning, match=r"1 of 2 .* known tokens; they hold only the unknown"):
            out = est.transform(docs)
        assert out.data[: out.offsets[1]].tolist() == first
    # kept as unknown ids, a few all-unknown documents are the rare-word tail (1% of
    # short glosses warned in every fold of a CV): quiet up to a tenth; empty ones warn
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est.transform(["x y"] + ["a b"] * 19)
    with pytest.warns(UserWarning, match="3 of 20 documents have no known tokens"):
        est.transform(["x y"] * 3 + ["a b"] * 17)
    with pytest.warns(UserWarning, match="1 of 31 documents have no known tokens"):
        est.transform([""] + ["a b"] * 30)
    # padded rows are counted as max_length leaves them
    est = SequenceVectorizer(output="padded", max_length=1).fit(["the cat sat", "a dog ran"])
    with pytest.warns(UserWarning, match="5 of 5 documents have no known tokens"):
        assert est.transform(["zebra cat"] * 5).ravel().tolist() == [1] * 5


def test_any_known_reads_each_document_between_empty_ones():
    from sklearn_seq.embeddings._vectorizer import _any_known

    rng = np.random.RandomState(0)
    for _ in range(50):
        docs = [rng.randint(1, 3, size=rng.choice([0, 0, 1, 3])) for _ in range(rng.randint(1, 8))]
        offsets = np.concatenate([[0], np.cumsum([len(d) for d in docs])])
        ids = np.concatenate(docs).astype(np.int64)
        expected = [bool((d > 1).any()) for d in docs]
        assert _any_known(ids, offsets).tolist() == expected


def test_sequence_vectorizer_output_does_not_share_the_fitted_vocabulary():
    vec = SequenceVectorizer().fit(["a b", "b c"])
    fitted = list(vec.index_to_token_)
    X = vec.transform(["a c"])
    X.vocabulary[2] = "changed"
    assert vec.index_to_token_ == fitted and vec.transform(["a"]).vocabulary == fitted
