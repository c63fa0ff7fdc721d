"""Behaviour of the ragged container ``SequenceArray``."""

import numpy as np
import pandas as pd
import pytest
import torch

from sklearn_seq import GRUClassifier, SequenceArray


@pytest.fixture
def ids():
    return SequenceArray.from_sequences([[1, 2, 3], [], [4]], vectors=np.eye(5))


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_indexing_keeps_vocab_size_of_bare_ids():
    X = SequenceArray.from_sequences([[0, 1], [2], [1, 3], [9]], dtype=np.int64, vocab_size=10)
    assert X[:3].vocab_size == X.take([0]).vocab_size == X[X.lengths == 2].vocab_size == 10
    # a model fitted on one split predicts the other
    clf = GRUClassifier(hidden_size=4, max_iter=1, device="cpu", random_state=0)
    clf.fit(X[:3], [0, 1, 0])
    assert clf.predict(X[3:]).shape == (1,)


def test_vocab_size_above_the_ids_without_a_table():
    X = SequenceArray.from_sequences([[0, 49]], dtype=np.int64, vocab_size=60)
    assert X.vocab_size == 60
    with pytest.raises(ValueError, match="between 0 and the 2 tokens of the vocabulary"):
        SequenceArray.from_sequences([[1]], vocabulary=["a", "b"], vocab_size=3)
    with pytest.raises(ValueError, match="out of range for vocab_size=40"):
        SequenceArray.from_sequences([[0, 49]], dtype=np.int64, vocab_size=40)


def test_vocabulary_must_cover_every_id():
    with pytest.raises(ValueError, match="token id 5 has no entry in a vocabulary of 2"):
        SequenceArray.from_sequences([[5]], vocabulary=["a", "b"])


@pytest.mark.parametrize("key", [True, False])
def test_scalar_bool_index_is_refused(ids, key):
    with pytest.raises(IndexError, match="boolean index of shape"):
        ids[key]


@pytest.mark.parametrize("indices", [np.array([True, False, True]), [1.7]])
def test_take_refuses_boolean_and_float_positions(ids, indices):
    with pytest.raises(IndexError, match="must be integers.*X\\[mask\\]"):
        ids.take(indices)


def test_repr_shows_vocab_size():
    X = SequenceArray([0, 1, 2], [0, 3], vectors=np.ones((5, 2)), vocab_size=3)
    assert "vocab_size=3, dim=2" in repr(X)


@pytest.mark.parametrize("max_length", [-1, 2.7])
def test_to_padded_refuses_bad_max_length(ids, max_length):
    with pytest.raises(ValueError, match="max_length must be a non-negative integer"):
        ids.to_padded(max_length)


def test_to_padded_takes_numpy_integers(ids):
    padded, lengths = ids.to_padded(np.int64(2))
    np.testing.assert_array_equal(padded, [[1, 2], [0, 0], [4, 0]])
    np.testing.assert_array_equal(lengths, [2, 0, 1])


def test_to_padded_refuses_float_padding_of_ids(ids):
    with pytest.raises(TypeError, match="padding_value=0.5 cannot be written among integer"):
        ids.to_padded(padding_value=0.5)
    assert ids.to_padded(padding_value=0.5, lookup=True)[0][1, 0, 0] == 0.5


def test_sample_with_steps_of_different_widths_is_named():
    with pytest.raises(ValueError, match="Sequence 1 is not a regular array"):
        SequenceArray.from_sequences([[[1.0, 2.0]], [[1.0, 2.0], [3.0]]])


def test_from_sequences_with_vocab_size_gives_ids_and_huge_positions_are_refused():
    X = SequenceArray.from_sequences([[0, 1], [2]], vocab_size=10)
    assert X.kind == "ids" and X.vocab_size == 10
    with pytest.raises(IndexError, match="out of bounds"):
        X[np.array([2**64 - 1], dtype=np.uint64)]
    with pytest.raises(IndexError, match="out of bounds"):
        X.take([2**63])


def test_to_padded_refuses_padding_values_that_are_not_numbers():
    numeric = SequenceArray.from_sequences([[1.0, 2.0], [3.0]])
    for value in (None, "x"):
        with pytest.raises(TypeError, match="padding_value must be a number"):
            numeric.to_padded(padding_value=value)
    assert np.isnan(numeric.to_padded(padding_value=np.nan)[0][1, 1, 0])
    bare = SequenceArray([0, 1, 2], [0, 2, 3])
    with pytest.raises(TypeError, match=r"pass an integer\.$"):  # no table: no lookup hint
        bare.to_padded(padding_value=0.5)


def test_containers_pickled_before_the_table_parts_load():
    # the attribute layout of earlier versions: vectors and vocabulary in __dict__
    import pickle

    X = SequenceArray([0, 2, 1], [0, 2, 3], vectors=np.eye(3), vocabulary=["a", "b", "c"])
    old = SequenceArray.__new__(SequenceArray)
    old.__dict__.update(
        data=X.data,
        offsets=X.offsets,
        kind="ids",
        vectors=X.vectors,
        vocabulary=X.vocabulary,
        vocab_size=3,
    )
    loaded = pickle.loads(pickle.dumps(old))
    assert loaded == X and loaded[[1]] == X[[1]]
    assert repr(loaded) == repr(X) and loaded.vocabulary == ["a", "b", "c"]


def test_assigned_table_and_vocabulary_are_checked_as_in_the_constructor():
    X = SequenceArray([0, 1], [0, 1, 2], vectors=np.eye(2), vocabulary=["a", "b"])
    for name, bad, message in [
        ("vectors", np.eye(1), "out of range for a vector table of 1 rows"),
        ("vectors", np.ones((2, 3, 2)), "must have shape"),
        ("vectors", np.array([[1e300], [1.0]]), "beyond float32's range"),
        ("vocabulary", ["a"], "vocabulary has 1 entries but the vector table has 2"),
        ("vocabulary", "ab", "single string"),
    ]:
        with pytest.raises((TypeError, ValueError), match=message):
            setattr(X, name, bad)
    assert X == SequenceArray([0, 1], [0, 1, 2], vectors=np.eye(2), vocabulary=["a", "b"])
    X.vocabulary = None
    X.vectors = np.ones((5, 3))  # another number of rows: all of them are fixed
    assert X.vocab_size == 5 and X.n_features == 3
    X.vectors = None  # no table: the size stays where it fits, as declared for bare ids
    assert X.vocab_size == 5
    # FastText-like rows beyond vocab_size stay per-call rows; where the kept size
    # no longer fits (ids beyond it without a table), the default for the new parts
    bare = SequenceArray([0, 5], [0, 1, 2])  # a table for bare ids: all its rows are fixed
    bare.vectors = np.ones((8, 3))
    assert bare.vocab_size == 8
    Y = SequenceArray.from_sequences([[0, 9]], vectors=np.ones((10, 2)), vocab_size=8)
    Y.vectors = Y.vectors * 2
    assert Y.vocab_size == 8
    Y.vectors = None
    assert Y.vocab_size == 10


def test_tables_and_ids_from_torch_and_wide_integers():
    weight = torch.nn.Embedding(5, 3).weight  # requires grad
    for table in (weight, weight.bfloat16()):
        X = SequenceArray(torch.tensor([0, 4]), torch.tensor([0, 2]), vectors=table)
        assert X.vectors.dtype == np.float32 and X.data.tolist() == [0, 4]
    with pytest.raises(ValueError, match="beyond int64"):
        SequenceArray(np.array([2**63 + 5], np.uint64), [0, 1])


def test_assigned_table_and_vocabulary_are_normalised():
    X = SequenceArray([0, 1], [0, 1, 2], vectors=np.eye(2), vocabulary=["a", "b"])
    X.vectors = np.eye(2, dtype=np.float64) * 2
    X.vocabulary = ("x", "y")
    sub = X[[1]]
    assert X.vectors.dtype == sub.vectors.dtype == np.float32
    assert sub.vocabulary == ["x", "y"]
    assert sub == SequenceArray([1], [0, 1], vectors=np.eye(2) * 2, vocabulary=["x", "y"])


@pytest.mark.parametrize(
    "vocabulary, error, message",
    [
        # pandas reads the word "nan" as NaN, which never equals itself: a model
        # fitted on such a container refused that very container at predict
        (["a", float("nan"), "c"], TypeError, r"entry 1 is float nan.*keep_default_na"),
        (["a", 1, "c"], TypeError, "entry 1 is int 1"),
        (["a", np.array([1, 2]), "c"], TypeError, "entry 1 is ndarray"),
        ({"a", "b", "c"}, TypeError, "vocabulary is a set; pass a list of the tokens in id"),
        ({"a": 0, "b": 1, "c": 2}, TypeError, r"dict.*sorted\(d, key=d.get\)"),
    ],
)
def test_vocabulary_entries_are_words_in_id_order(vocabulary, error, message):
    with pytest.raises(error, match=message):
        SequenceArray([0, 1, 2], [0, 1, 3], vocabulary=vocabulary)
    X = SequenceArray([0, 1, 2], [0, 1, 3], vocabulary=["a", "b", "c"])
    with pytest.raises(error, match=message):
        X.vocabulary = vocabulary
    assert X.vocabulary == ["a", "b", "c"]
    assert SequenceArray([0], [0, 1], vocabulary=np.array(["a"])).vocabulary == ["a"]


def test_data_offsets_and_kind_are_read_only_and_vocab_size_is_checked():
    # offsets assigned after construction trained silently on negative lengths
    X = SequenceArray([0, 1, 2], [0, 1, 3])
    for name, value in [("offsets", [0, 2, 1, 3]), ("data", [5, 5, 5]), ("kind", "numeric")]:
        with pytest.raises(AttributeError, match=f"SequenceArray.{name} is read-only"):
            setattr(X, name, value)
    with pytest.raises(ValueError, match="token id 2 is out of range for vocab_size=2"):
        X.vocab_size = 2
    X.vocab_size = 10
    assert X.vocab_size == 10 and X == SequenceArray([0, 1, 2], [0, 1, 3], vocab_size=10)
    with pytest.raises(ValueError, match="within int64"):
        SequenceArray([0, 1], [0, 2], vocab_size=10**20)
    with pytest.raises(ValueError, match="Complex data not supported: the vector table"):
        SequenceArray([0, 1], [0, 2], vectors=np.ones((2, 2)) + 1j)
    with pytest.raises(TypeError, match="vectors must hold numbers, got dtype <U1"):
        SequenceArray([0, 1], [0, 2], vectors=[["a", "b"], ["c", "d"]])


def test_non_numeric_sequences_name_their_first_word_or_missing_value():
    with pytest.raises(TypeError, match=r"column 's' holds categories such as 'oops'"):
        SequenceArray.from_sequences([pd.DataFrame({"x": [1.0, 2.0], "s": ["3", "oops"]})])
    with pytest.raises(TypeError, match=r"column 'amount' holds numbers written with a comma"):
        SequenceArray.from_sequences([pd.DataFrame({"x": [1.0, 2.0], "amount": ["1,5", "2"]})])
    # the word that makes the sequence non-numeric comes first, then missing values
    with pytest.raises(TypeError, match=r"column 's' holds categories such as 'a'"):
        SequenceArray.from_sequences([pd.DataFrame({"x": [1.0, np.nan], "s": ["a", "b"]})])
    with pytest.raises(TypeError, match=r"column 'i' holds missing values \(<NA>\)"):
        SequenceArray.from_sequences(
            [pd.DataFrame({"x": [1.0, 2.0], "i": pd.array([1, None], dtype="Int64")})]
        )
    with pytest.raises(TypeError, match=r"such as 'word word word word word word word word\. "):
        SequenceArray.from_sequences([np.array([[1.0, "word " * 50]], dtype=object)])
    with pytest.raises(TypeError, match=r"feature 1 holds categories such as b'a'"):
        SequenceArray.from_sequences([np.array([[1.0, b"a"]], dtype=object)])
    with pytest.raises(TypeError, match=r"is not numeric \(dtype \[\('a', '<f8'\)\]\)"):
        SequenceArray.from_sequences([np.zeros(0, dtype=[("a", float)]), np.ones(2)])
