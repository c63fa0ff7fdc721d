"""Reading pretrained vector files: formats, compression and the errors of bad files."""

import bz2
import gc
import gzip
import re
import warnings

import numpy as np
import pytest
from gensim.models import KeyedVectors

from sklearn_seq.embeddings import GloVeTransformer, W2VTransformer

WORDS = ["the", "cat", "dog", "sat", "zebra"]
VECTORS = np.arange(20, dtype=np.float32).reshape(5, 4) / 10


def kv_of(words=WORDS, vectors=VECTORS):
    kv = KeyedVectors(vectors.shape[1])
    kv.add_vectors(words, vectors)
    return kv


def write_lines(path, lines, header=None):
    text = "".join(line + "\n" for line in ([header] if header else []) + lines)
    path.write_text(text, encoding="utf-8")
    return path


def glove_lines(words=WORDS, vectors=VECTORS):
    return [
        w + " " + " ".join(f"{v:.6f}" for v in row) for w, row in zip(words, vectors, strict=True)
    ]


@pytest.mark.parametrize(
    "line, problem",
    [
        ("w150 0.5 0.5 0.5", "line 152 has 3 values after the word 'w150', expected 4"),
        ("w150 0.5 0.5 0.5 0.5 0.5", "line 152 has 5 values after the word 'w150', expected 4"),
        ("new york 0.5 0.5 0.5 0.5", "line 152 has the word 'new york'.*cannot contain spaces"),
        ("w150 0.5 zero 0.5 0.5", "line 152 has 'zero' where a number is expected"),
    ],
)
def test_one_bad_line_of_a_text_file_is_reported_not_read_as_binary(tmp_path, line, problem):
    # a text file that failed to parse was read again as binary: garbage vectors, no error
    lines = [f"w{i} " + " ".join(["0.5"] * 4) for i in range(300)]
    lines[150] = line
    path = write_lines(tmp_path / "s.txt", lines, header="300 4")
    with pytest.raises(ValueError, match="word2vec text format.*" + problem):
        W2VTransformer(pretrained=path).fit(["w1"])
    lines[150] = "w150 " + " ".join(["0.5"] * 4)
    est = W2VTransformer(pretrained=write_lines(path, lines, header="300 4")).fit(["w1"])
    assert np.abs(est.wv_.vectors).max() == 0.5


def test_text_file_named_bin_and_binary_file_named_txt(tmp_path):
    kv = kv_of()
    kv.save_word2vec_format(str(tmp_path / "text.bin"), binary=False)
    kv.save_word2vec_format(str(tmp_path / "binary.txt"), binary=True)
    for name in ("text.bin", "binary.txt"):
        est = W2VTransformer(pretrained=tmp_path / name).fit(["the"])
        assert est.wv_.index_to_key == WORDS
        np.testing.assert_allclose(est.wv_.vectors, VECTORS, atol=1e-6)


@pytest.mark.parametrize("fmt", ["text", "binary", "glove"])
@pytest.mark.parametrize("compression", ["gz", "bz2"])
def test_compressed_files(fmt, compression, tmp_path):
    plain = tmp_path / "vectors"
    if fmt == "glove":
        write_lines(plain, glove_lines())
    else:
        kv_of().save_word2vec_format(str(plain), binary=fmt == "binary")
    path = tmp_path / f"vectors.{'bin' if fmt == 'binary' else 'txt'}.{compression}"
    with (gzip if compression == "gz" else bz2).open(path, "wb") as fh:
        fh.write(plain.read_bytes())
    for cls in (W2VTransformer, GloVeTransformer):
        est = cls(pretrained=path).fit(["the"])
        assert est.wv_.index_to_key == WORDS
        np.testing.assert_allclose(est.wv_.vectors, VECTORS, atol=1e-6)


def test_compressed_file_without_its_suffix_says_rename(tmp_path):
    path = tmp_path / "vectors.txt"
    path.write_bytes(gzip.compress(b"2 2\nthe 1 2\ncat 3 4\n"))
    with pytest.raises(ValueError, match=r"gzip-compressed.*\.gz"):
        W2VTransformer(pretrained=path).fit(["the"])


def test_compressed_fasttext_bin_says_decompress(tmp_path):
    from gensim.models import FastText
    from gensim.models.fasttext import save_facebook_model

    model = FastText([WORDS], vector_size=4, min_count=1, bucket=50, epochs=1, seed=0)
    save_facebook_model(model, str(tmp_path / "ft.bin"))
    path = tmp_path / "ft.bin.gz"
    path.write_bytes(gzip.compress((tmp_path / "ft.bin").read_bytes()))
    with pytest.raises(ValueError, match="compressed Facebook fastText .bin.*decompress it"):
        W2VTransformer(pretrained=path).fit(["the"])


def test_glove_file_problems_name_the_line(tmp_path):
    bare = write_lines(tmp_path / "bare.txt", ["the", "cat"])
    with pytest.raises(ValueError, match="line 1 has the word 'the' and no vector values"):
        W2VTransformer(pretrained=bare).fit(["the"])
    mismatch = write_lines(tmp_path / "mismatch.txt", ["the 0.1 0.2 0.3", "", "cat 0.4 0.5"])
    with pytest.raises(ValueError, match=r"GloVe.*line 3 has 2 values after the word 'cat', "):
        W2VTransformer(pretrained=mismatch).fit(["the"])
    with pytest.raises(ValueError, match="expected 3 \\(as on line 1\\)"):
        W2VTransformer(pretrained=mismatch).fit(["the"])
    space = write_lines(tmp_path / "space.txt", ["new york 0.1 0.2", "cat 0.5 0.6"])
    with pytest.raises(ValueError, match="line 1 has 'york' where a number.*cannot contain spaces"):
        W2VTransformer(pretrained=space).fit(["the"])
    latin = tmp_path / "latin1.txt"
    latin.write_bytes("cat 0.5 0.6\ncafé 0.1 0.2\n".encode("latin-1"))
    with pytest.raises(ValueError, match="line 2 is not valid UTF-8"):
        W2VTransformer(pretrained=latin).fit(["the"])


def test_text_header_problems(tmp_path):
    fewer = write_lines(tmp_path / "fewer.txt", glove_lines()[:2], header="5 4")
    with pytest.raises(ValueError, match="announces 5 words but the file has 2 vector lines"):
        W2VTransformer(pretrained=fewer).fit(["the"])
    zero = write_lines(tmp_path / "zero.txt", ["the", "cat"], header="2 0")
    with pytest.raises(ValueError, match="no vector values"):
        W2VTransformer(pretrained=zero).fit(["the"])


def test_blank_lines_crlf_bom_and_trailing_spaces_are_read(tmp_path):
    path = tmp_path / "v.txt"
    lines = [line + " " for line in glove_lines()]
    lines.insert(2, "")
    path.write_bytes(("\ufeff5 4\r\n" + "\r\n".join(lines) + "\r\n\r\n").encode())
    est = W2VTransformer(pretrained=path).fit(["the"])
    assert est.wv_.index_to_key == WORDS
    np.testing.assert_allclose(est.wv_.vectors, VECTORS, atol=1e-6)


def test_empty_string_is_refused(tmp_path):
    with pytest.raises(ValueError, match="pretrained='' is an empty string"):
        W2VTransformer(pretrained="").fit(["the"])


def test_glove_file_is_closed(tmp_path):
    path = write_lines(tmp_path / "glove.txt", glove_lines())
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        est = W2VTransformer(pretrained=path).fit(["the"])
        gc.collect()
    assert [str(w.message) for w in record if w.category is ResourceWarning] == []
    assert est.wv_.index_to_key == WORDS


@pytest.mark.parametrize("pretrained", ["kv", "file"])
def test_capitalised_pretrained_words_and_lowercase_hint(pretrained, tmp_path):
    words = ["The", "Cat", "Dog", "sat", "Zebra"]
    src = kv_of(words)
    if pretrained == "file":
        src = write_lines(tmp_path / "u.txt", glove_lines(words))
    est = W2VTransformer(pretrained=src).fit(["The Cat"])
    message = re.escape(
        "4 of the 5 pretrained words contain uppercase letters, but lowercase=True lowercases "
        "the documents before lookup; set lowercase=False to match them"
    )
    with pytest.warns(UserWarning, match="2 of 2 documents have no known tokens.*" + message):
        est.transform(["The Cat", "Dog"])
    cased = W2VTransformer(pretrained=src, lowercase=False).fit(["The Cat"])
    assert cased.transform(["The Cat"]).data.tolist() == [0, 1]
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        cased.transform(["the"])
    assert len(record) == 1 and "uppercase" not in str(record[0].message)
    lower = W2VTransformer(pretrained=kv_of()).fit(["the"])  # nothing to hint at
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        lower.transform(["zzz"])
    assert len(record) == 1 and "uppercase" not in str(record[0].message)


def test_small_binary_files_without_control_bytes_load_as_binary(tmp_path):
    from sklearn_seq.embeddings._base import load_pretrained

    # float32 bytes that happen to be printable ('AAAA' is 12.078...), and small
    # random files: once read as text and refused
    printable = np.full((3, 3), np.frombuffer(b"AAAA", dtype="<f4")[0])
    rng = np.random.RandomState(0)
    cases = [(["a", "bb", "c"], printable)] + [
        ([f"w{j}" for j in range(n)], rng.uniform(0.1, 1, (n, d)).astype(np.float32))
        for n, d in rng.randint(1, 5, size=(60, 2))
    ]
    for words, vectors in cases:
        path = tmp_path / "v.bin"
        kv_of(words, vectors).save_word2vec_format(str(path), binary=True)
        loaded = load_pretrained(path)
        assert loaded.index_to_key == words
        np.testing.assert_array_equal(loaded.vectors, vectors)


@pytest.mark.parametrize("bad", [0, 150, 299])
def test_text_whose_lines_could_pass_for_binary_records_is_read_as_text(tmp_path, bad):
    # "0.5 0.5 0.5 0.5\n" is 16 bytes: the size of 4 float32 values
    lines = [f"w{i} " + " ".join(["0.5"] * 4) for i in range(300)]
    lines[bad] = f"w{bad} 0.5 0.5 0.5"
    path = write_lines(tmp_path / "v.txt", lines, header="300 4")
    with pytest.raises(ValueError, match=f"line {bad + 2} has 3 values"):
        W2VTransformer(pretrained=path).fit(["w1"])


def test_two_spaces_in_a_row_are_named_as_such(tmp_path):
    lines = glove_lines()
    lines[2] = lines[2].replace(" ", "  ", 1)
    path = write_lines(tmp_path / "v.txt", lines, header="5 4")
    with pytest.raises(ValueError, match="line 4 has two spaces in a row"):
        W2VTransformer(pretrained=path).fit(["the cat"])


def test_float64_keyed_vectors_are_converted_once_and_checked_for_range():
    kv = KeyedVectors(4, dtype=np.float64)
    kv.add_vectors(WORDS, VECTORS.astype(np.float64))
    est = W2VTransformer(pretrained=kv).fit(["the cat"])
    X = est.transform(["the cat", "zebra"])
    # the float32 table is made once in fit and shared, not copied per call
    assert X.vectors.dtype == np.float32 and np.shares_memory(X.vectors, est.wv_.vectors)
    np.testing.assert_array_equal(X.vectors, VECTORS)
    assert kv.vectors.dtype == np.float64  # the caller's KeyedVectors is left as it was
    kv.vectors[1, 2] = -1e39  # inf in float32: was a silent inf mean, or a wrong message
    for output in ("mean", "sequence"):
        with pytest.raises(ValueError, match=r"KeyedVectors reach 1e\+39, beyond float32"):
            W2VTransformer(pretrained=kv, output=output).fit(["the cat"])
