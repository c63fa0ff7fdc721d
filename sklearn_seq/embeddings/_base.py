"""The one base class shared by every embedding transformer."""

import codecs
import copy
import os
import zlib
from itertools import compress, islice, repeat
from numbers import Integral
from pathlib import Path

import numpy as np
import torch
from gensim import utils as gensim_utils
from gensim.models import KeyedVectors
from gensim.models.fasttext import FastTextKeyedVectors, load_facebook_vectors
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils._set_output import _wrap_data_with_container
from sklearn.utils.validation import check_is_fitted
from smart_open.compression import get_supported_extensions

from .._device import tensor_view
from .._fit_state import check_params_read, deepcopy_with_training_state, keep_state_on_error
from .._sequences import SequenceArray, check_float_range
from .._text import (
    _IDS_CHUNK,
    ReadOnceMixin,
    build_analyzer,
    check_passes,
    check_text_input,
    compression_of,
    is_number,
    token_ids,
)
from .._warnings import warn
from ._subword import ngram_hashes, oov_vectors

__all__ = ["BaseEmbeddingTransformer", "load_pretrained", "UNKNOWN_TOKEN"]

#: Vocabulary entry of the extra row used by ``handle_unknown="use_unknown_vector"``
#: (``"<<unk>>"`` if the fitted vocabulary has a word ``"<unk>"``, and so on).
UNKNOWN_TOKEN = "<unk>"

_FASTTEXT_MAGIC = 793712314  # first int32 of a Facebook fastText .bin file


class _NewIds(dict):
    """word -> id for words outside the vocabulary: ``start``, ``start + 1``, ...
    in order of first lookup (a dict subclass, so hits stay in C)."""

    def __init__(self, start):
        super().__init__()
        self.start = start
        self.order = []  # the words, in id order (a slice of it costs only its length)

    def __missing__(self, word):
        self[word] = new = self.start + len(self)
        self.order.append(word)
        return new


class _Growing:
    """An array that grows at its end, its capacity doubling: appending a chunk's
    rows costs their size, not the size of all the rows before them."""

    def __init__(self, row_shape, dtype):
        self._buffer = np.empty((16, *row_shape), dtype=dtype)
        self.n = 0

    def extend(self, rows):
        if self.n + len(rows) > len(self._buffer):
            grown = np.empty(
                (max(2 * len(self._buffer), self.n + len(rows)), *self._buffer.shape[1:]),
                dtype=self._buffer.dtype,
            )
            grown[: self.n] = self._buffer[: self.n]
            self._buffer = grown
        self._buffer[self.n : self.n + len(rows)] = rows
        self.n += len(rows)

    @property
    def array(self):
        return self._buffer[: self.n]


def load_pretrained(pretrained):
    """Load word vectors from a file or return a ``KeyedVectors`` unchanged.

    Parameters
    ----------
    pretrained : str, path-like or gensim KeyedVectors
        A word2vec text file (header ``n_words dim``), a word2vec binary
        file, a GloVe text file (no header), a Facebook fastText ``.bin``
        model (subword vectors kept), or a gensim ``KeyedVectors``. Files
        may be compressed, named with the suffix of their compression
        (``.gz``, ``.bz2``); the format (text, GloVe or binary) is read from
        the file's first bytes, not from its name.

    Returns
    -------
    kv : gensim.models.KeyedVectors
    """
    if isinstance(pretrained, KeyedVectors):
        _check_finite(pretrained, "the pretrained KeyedVectors")
        return _float32(pretrained)
    if os.fspath(pretrained) == "":
        raise ValueError(
            "pretrained='' is an empty string; pass the path of a vectors file, a gensim "
            "KeyedVectors, or None to train the vectors."
        )
    path = Path(pretrained)
    if path.is_dir():
        raise ValueError(f"pretrained={str(path)!r} is a directory; pass the vectors file itself.")
    if not path.is_file():
        raise FileNotFoundError(f"pretrained vectors file not found: {str(path)!r}.")
    kind = _sniff_format(path)
    if kind in ("text", "glove"):
        kv = _read_text_vectors(path, header=kind == "text")
    else:
        name = "Facebook fastText .bin" if kind == "fasttext" else "word2vec binary"
        if kind == "fasttext" and path.suffix.lower() in get_supported_extensions():
            raise ValueError(
                f"pretrained vectors file {str(path)!r} is a compressed Facebook fastText .bin "
                "model, which gensim cannot read through a decompressor; decompress it first "
                f"(e.g. `gunzip {path.name}`) and pass the .bin file."
            )
        try:
            if kind == "fasttext":
                kv = load_facebook_vectors(str(path))
            else:
                kv = KeyedVectors.load_word2vec_format(str(path), binary=True)
        except Exception as exc:  # noqa: BLE001 - reported with the format read
            raise ValueError(
                f"Could not read pretrained vectors from {str(path)!r} as a {name} file: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
        if len(kv.index_to_key) == 0 or kv.vector_size == 0:
            raise ValueError(
                f"pretrained vectors file {str(path)!r} ({name}) has no vectors "
                f"({len(kv.index_to_key)} words of {kv.vector_size} dimensions)."
            )
        kv = _drop_duplicates(kv, path)
    _check_finite(kv, f"pretrained vectors file {str(path)!r}")
    return kv


# bytes of binary float data that a text vectors file never holds (whitespace excepted)
_CONTROL_BYTES = bytes([*range(9), *range(14, 32), 127])


def _open_vectors(path):
    """The file as binary, through the decompressor its suffix names (as gensim reads it)."""
    return gensim_utils.open(str(path), "rb")


def _sniff_format(path):
    """``"fasttext"``, ``"binary"``, ``"text"`` (word2vec) or ``"glove"``, from the first bytes."""
    with _open_vectors(path) as fh:
        try:
            head = fh.read(1 << 16)
        except (EOFError, OSError, zlib.error) as exc:
            raise ValueError(
                f"Could not decompress pretrained vectors file {str(path)!r}: "
                f"{type(exc).__name__}: {exc}"
            ) from exc
    head = head.removeprefix(codecs.BOM_UTF8)
    if not head.strip():
        raise ValueError(f"pretrained vectors file {str(path)!r} is empty.")
    if len(head) >= 4 and int.from_bytes(head[:4], "little") == _FASTTEXT_MAGIC:
        return "fasttext"
    name = compression_of(head)
    if name is not None:
        suffix = {"gzip": ".gz", "bzip2": ".bz2"}[name]
        raise ValueError(
            f"pretrained vectors file {str(path)!r} is {name}-compressed but its name "
            f"does not end in {suffix!r}; rename it (e.g. to {path.name + suffix!r}) "
            "so that it is decompressed."
        )
    first, _, rest = head.partition(b"\n")
    tokens = first.split()
    if not (len(tokens) == 2 and all(t.isdigit() for t in tokens)):
        return "glove"
    # after the header: text lines, or raw float32 bytes (which hold control bytes,
    # except by chance in a small file: there, a first line of text decides, then
    # whether binary records fill the file exactly)
    if len(rest.translate(None, _CONTROL_BYTES)) != len(rest):
        return "binary"
    n_words, dim = map(int, tokens)
    line = rest.split(b"\n", 1)[0].rstrip().split(b" ")
    if len(line) == dim + 1 and all(map(is_number, line[1:])):
        return "text"
    whole = len(head) < 1 << 16
    return "binary" if whole and _fills_as_binary(rest, n_words, dim) else "text"


def _fills_as_binary(data, n_words, dim):
    """Whether ``data`` is exactly ``n_words`` word2vec binary records (``word``, a
    space, ``4 * dim`` bytes, and an optional newline), as gensim writes them."""
    at = 0
    for _ in range(n_words):
        end = data.find(b" ", at)
        word = data[at:end]
        if end < 0 or not word or b"\n" in word:  # misaligned: text, not records
            return False
        at = end + 1 + 4 * dim
        if at > len(data):
            return False
        at += data.startswith(b"\n", at)
    return dim > 0 and not data[at:].strip()


def _read_text_vectors(path, header):
    """Read a word2vec (``header=True``) or GloVe text file, one ``word v1 ... vdim`` a line.

    Refuses, naming the line, what gensim would misread or fail on without saying
    where: a line of another length, a word with a space, a value that is no
    number, bytes that are not UTF-8. Blank lines are skipped.
    """
    if header:
        fmt = "word2vec text format: a header line 'n_words dim', then 'word v1 ... vdim' lines"
    else:
        fmt = "GloVe text format: no header, one 'word v1 ... vdim' line per word"

    def error(line_no, problem):
        return ValueError(
            f"Could not read pretrained vectors from {str(path)!r} ({fmt}): line {line_no} "
            f"{problem}."
        )

    n_words = dim = None
    index = {}
    blocks, block, filled = [], None, 0
    n_lines = 0  # vector lines, duplicates included
    with _open_vectors(path) as fh:
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1:
                raw = raw.removeprefix(codecs.BOM_UTF8)
            try:
                line = raw.decode("utf-8").rstrip()
            except UnicodeDecodeError as exc:
                raise error(
                    line_no,
                    f"is not valid UTF-8 ({exc.reason} at byte {exc.start}); re-save "
                    "the file as UTF-8",
                ) from None
            if header and line_no == 1:
                n_words, dim = map(int, line.split())
                expected = f"{dim} (the header's dim)"
                continue
            if not line:
                continue
            parts = line.split(" ")
            if dim is None:
                dim = len(parts) - 1
                expected = f"{dim} (as on line {line_no})"
            if dim == 0:
                raise error(
                    line_no,
                    f"has the word {parts[0]!r} and no vector values: each line must be a "
                    "word followed by its values, separated by single spaces",
                )
            if len(parts) != dim + 1:
                extra = len(parts) - 1 - dim
                if "" in parts[1:]:
                    raise error(
                        line_no,
                        "has two spaces in a row: separate the word "
                        "and the values by single spaces",
                    )
                if extra > 0 and not is_number(parts[1]):
                    raise error(
                        line_no,
                        f"has the word {' '.join(parts[: extra + 1])!r}: words cannot "
                        "contain spaces in this format (a space separates the word from its "
                        "values). Replace the spaces in such words (e.g. by '_')",
                    )
                raise error(
                    line_no,
                    f"has {len(parts) - 1} values after the word {parts[0]!r}, expected {expected}",
                )
            n_lines += 1
            if parts[0] in index:
                continue
            if block is None or filled == len(block):
                if block is not None:
                    blocks.append(block)
                size = min(n_words, 1 << 22) if header and block is None else 1 << 16
                block, filled = np.empty((max(size, 1), dim), dtype=np.float32), 0
            try:
                block[filled] = parts[1:]
            except ValueError:
                bad = next(p for p in parts[1:] if not is_number(p))
                hint = " (words cannot contain spaces in this format)" if bad == parts[1] else ""
                raise error(line_no, f"has {bad!r} where a number is expected{hint}") from None
            index[parts[0]] = len(index)
            filled += 1
    if header and n_lines != n_words:
        raise ValueError(
            f"pretrained vectors file {str(path)!r}: its header (first line 'n_words dim') "
            f"announces {n_words} words but the file has {n_lines} vector lines. Correct the "
            f"header (to '{n_lines} {dim}')."
        )
    if dim == 0 or not index:
        raise ValueError(f"pretrained vectors file {str(path)!r} has no vectors ({fmt}).")
    if n_lines > len(index):
        _warn_duplicates(path, n_lines - len(index))
    vectors = np.concatenate(blocks + [block[:filled]]) if blocks else block[:filled]
    kv = KeyedVectors(dim, dtype=np.float32)
    kv.vectors = np.ascontiguousarray(vectors)
    kv.index_to_key = list(index)
    kv.key_to_index = index
    kv.next_index = len(index)
    return kv


def _drop_duplicates(kv, path):
    """gensim keeps the first vector of a word listed twice, but leaves ``None`` keys behind."""
    n_dup = len(kv.index_to_key) - len(kv.key_to_index)
    if n_dup == 0:
        return kv
    _warn_duplicates(path, n_dup)
    clean = KeyedVectors(kv.vector_size, count=0, dtype=kv.vectors.dtype)
    clean.add_vectors(list(kv.key_to_index), kv.vectors[list(kv.key_to_index.values())])
    return clean


def _warn_duplicates(path, n_dup):
    warn(
        f"pretrained vectors file {str(path)!r} lists {n_dup} word(s) more than once; the "
        "first vector of each is kept.",
        UserWarning,
    )


def _float32(kv):
    """``kv``, or a copy of it with float32 tables (converted once here, not at every
    transform); values beyond float32's range are refused (they would become inf)."""
    names = ["vectors"] + (
        ["vectors_vocab", "vectors_ngrams"] if isinstance(kv, FastTextKeyedVectors) else []
    )
    tables = {n: getattr(kv, n) for n in names if getattr(kv, n, None) is not None}
    if all(t.dtype == np.float32 for t in tables.values()):
        return kv
    for table in tables.values():
        check_float_range(table, np.float32, "the pretrained KeyedVectors")
    kv = copy.copy(kv)  # the caller's KeyedVectors keeps its arrays
    for name, table in tables.items():
        setattr(kv, name, np.asarray(table, dtype=np.float32))
    return kv


def _check_finite(kv, source):
    """Refuse NaN or infinite vectors (they would give NaN outputs)."""
    bad = _non_finite(kv)
    if bad:
        raise ValueError(
            f"{source} has NaN or infinite values {bad}. Remove or fix those vectors "
            "before loading them."
        )


def _non_finite(kv):
    """Where ``kv`` has NaN or infinite values ("in 2 of 10 vectors (e.g. 'a')"), or ``""``."""
    tables = [kv.vectors]
    if isinstance(kv, FastTextKeyedVectors):
        tables += [kv.vectors_vocab, kv.vectors_ngrams]
    for table in tables:
        if table is None or table.size == 0:
            continue
        # row sums in float64 carry NaN / inf without a full boolean copy of the table
        rows = np.flatnonzero(~np.isfinite(table.sum(axis=1, dtype=np.float64)))
        rows = rows[~np.isfinite(table[rows]).all(axis=1)]
        if len(rows):
            words = [kv.index_to_key[r] for r in rows[:3] if table is kv.vectors]
            which = f" (e.g. {', '.join(map(repr, words))})" if words else " (n-gram rows)"
            return f"in {len(rows)} of {len(table)} vectors{which}"
    return ""


# auto_wrap_output_keys=None: transform wraps its own output, for output="mean" only, so that
# a global transform_output="pandas" leaves sequences alone (subclasses still get set_output)
class BaseEmbeddingTransformer(
    ReadOnceMixin, TransformerMixin, BaseEstimator, auto_wrap_output_keys=None
):
    """Shared input handling, vocabulary lookup and output formatting.

    Subclasses implement ``_train(corpus, vector_size)`` returning a gensim
    ``KeyedVectors`` whose ``index_to_key`` order is the fixed id order, and
    may keep training state in ``self._model`` (never pickled). A failed
    ``fit`` leaves the transformer as it was.
    """

    _training_attributes = ()  # fitted attributes that only training sets
    _parameter_constraints: dict = {
        "vector_size": [Interval(Integral, 1, None, closed="left"), None],
        "tokenizer": [callable, None],
        "lowercase": ["boolean"],
        "strip_accents": [StrOptions({"ascii", "unicode"}), None],
        "output": [StrOptions({"sequence", "mean", "padded"})],
        "max_length": [Interval(Integral, 1, None, closed="left"), None],
        "handle_unknown": [StrOptions({"ignore", "use_unknown_vector"})],
        "pretrained": [str, os.PathLike, KeyedVectors, None],
    }

    _default_vector_size = 100
    # the parameters that transform reads (validated there: set_params after fit)
    _transform_params = ("tokenizer", "lowercase", "strip_accents", "output", "handle_unknown")

    # ------------------------------------------------------------ plumbing
    def _analyzer(self):
        return build_analyzer(
            tokenizer=self.tokenizer, lowercase=self.lowercase, strip_accents=self.strip_accents
        )

    def _resolved_vector_size(self):
        return self._default_vector_size if self.vector_size is None else self.vector_size

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = True
        tags.transformer_tags.preserves_dtype = []
        tags.requires_fit = True
        return tags

    # ----------------------------------------------------------------- fit
    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Learn (or load) word vectors and fix the vocabulary order.

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, 2D token matrix, \
                or pathlib.Path
            Training documents. A :class:`pathlib.Path` (one document per
            line) or a restartable iterable is streamed, not loaded.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted transformer.
        """
        with keep_state_on_error(self):
            self._fit(X)
        return self

    # a check of each training document, read before training starts (see _count)
    _check_document = None

    def _check_output_config(self):
        """Refuse set_output on this transformer (not the global transform_output,
        which applies to output="mean" only) for sequences, which have no columns:
        in fit too, before any training."""
        explicit = getattr(self, "_sklearn_output_config", {}).get("transform", "default")
        if self.output != "mean" and explicit != "default":
            raise ValueError(
                f"set_output(transform=...) needs output='mean'; output={self.output!r} "
                "returns sequences, which have no column names."
            )

    def _fit(self, X):
        self._check_output_config()
        if self.pretrained is None:
            self._check_training_params()  # before the passes over the corpus
        corpus = check_text_input(self, X, analyze=self._analyzer(), reset=True, stream=True)
        self._model = None
        n_docs, n_tokens, longest = _count(
            corpus, self._check_document if self.pretrained is None else None
        )
        check_passes(corpus)
        if self.pretrained is not None:
            for name in self._training_attributes:  # from an earlier fit that trained
                self.__dict__.pop(name, None)
            kv = load_pretrained(self.pretrained)
            if self.vector_size is not None and self.vector_size != kv.vector_size:
                raise ValueError(
                    f"vector_size={self.vector_size} disagrees with the pretrained vectors, "
                    f"which have {kv.vector_size} dimensions. Leave vector_size=None to "
                    "take the size from the pretrained vectors."
                )
            self._check_pretrained(kv)
        else:
            if n_docs == 0:
                raise ValueError(
                    f"{type(self).__name__}.fit got an empty corpus (no documents; an "
                    "iterator read already yields none: pass a list)."
                )
            if n_tokens == 0:
                raise ValueError(
                    f"{type(self).__name__}.fit got {n_docs} documents but no tokens: every "
                    "document is empty after tokenisation."
                )
            kv = self._train(corpus, self._resolved_vector_size())
        self.wv_ = kv
        self._n_features_out = kv.vector_size
        self._set_max_length(longest)
        check_passes(corpus)

    def _set_max_length(self, longest):
        """``max_length_``: ``max_length``, or ``longest`` (the longest training document).
        Set whatever the output, so that set_params(output="padded") keeps one width."""
        self.max_length_ = self.max_length if self.max_length is not None else max(longest, 1)

    def _check_pretrained(self, kv):
        """Hook for subclasses that need a specific kind of vectors."""

    def _check_training_params(self):
        """Hook for subclasses: refuse parameters that training cannot use."""

    def _min_count_error(self, raw_counts, min_count):
        most = max(raw_counts, default=0)
        return ValueError(
            f"min_count={min_count} removed every word from the vocabulary: the corpus has "
            f"{len(raw_counts)} distinct words and the most frequent occurs {most} times. "
            f"Lower min_count (e.g. min_count={max(1, most)}) or fit on more text."
        )

    # ----------------------------------------------------------- transform
    def _unknown_mode(self):
        return self.handle_unknown

    def _encode(self, docs, seen):
        """Token lists -> (ids, offsets, rows, words): the rows (and their
        words) appended after the fitted table for this call, or None.

        ``seen`` gathers what the caller warns about once a call (documents,
        those left without a known token, unknown words without n-grams). With
        ``seen["index"]`` (chunks of one call) FastText's unknown words keep the
        ids of their first chunk, and the rows returned are the chunk's new ones.
        """
        kv = self.wv_
        k2i = kv.key_to_index
        n_vocab = len(kv.index_to_key)
        mode = self._unknown_mode()
        # "subword": one extra row per distinct unknown word, numbered on first sight
        index = seen.get("index")
        if index is None and mode == "subword":
            index = _NewIds(n_vocab)
        start = len(index) if index is not None else 0  # words numbered by earlier chunks

        def lookup(flat):
            ids = np.fromiter(map(k2i.get, flat, repeat(-1)), dtype=np.int64, count=len(flat))
            if index is not None:
                unknown = ids < 0
                if unknown.any():
                    words = compress(flat, unknown.tolist())
                    ids[unknown] = np.fromiter(map(index.__getitem__, words), np.int64)
            return ids

        ids, lengths = token_ids(docs, lookup)
        n = len(lengths)
        unknown = ids >= n_vocab if index is not None else ids < 0
        rows, new_words = None, []
        n_known = lengths
        if unknown.any():
            doc_of = np.repeat(np.arange(n), lengths)
            if mode == "ignore":
                ids, lengths = _drop(ids, doc_of, ~unknown, n)
                n_known = lengths
            elif mode == "use_unknown_vector":
                ids[unknown] = n_vocab
                n_known = np.bincount(doc_of[~unknown], minlength=n)
            elif "index" in seen:  # a chunk: ids of the call, words without n-grams dropped
                new_words = index.order[start:]
                rows, n_ngrams = oov_vectors(kv, new_words, return_counts=True)
                seen["no_ngrams"] += list(compress(new_words, (n_ngrams == 0).tolist()))
                seen["lacking"].extend(n_ngrams == 0)
                lacking = np.zeros(len(ids), dtype=bool)
                lacking[unknown] = seen["lacking"].array[ids[unknown] - n_vocab]
                if lacking.any():
                    ids, lengths = _drop(ids, doc_of, ~lacking, n)
                    n_known = lengths
            else:  # "subword", in first-seen order
                new_words = list(index)
                extra, n_ngrams = oov_vectors(kv, new_words, return_counts=True)
                has_ngrams = n_ngrams > 0
                if not has_ngrams.all():  # no n-gram to compose a vector from: dropped
                    seen["no_ngrams"] += list(compress(new_words, (~has_ngrams).tolist()))
                    # the words with n-grams keep consecutive ids after the vocabulary
                    new_id = np.full(len(new_words), -1, dtype=np.int64)
                    new_id[has_ngrams] = n_vocab + np.arange(int(has_ngrams.sum()))
                    ids = np.concatenate([np.arange(n_vocab, dtype=np.int64), new_id])[ids]
                    ids, lengths = _drop(ids, doc_of, ids >= 0, n)
                    extra = extra[has_ngrams]
                    new_words = list(compress(new_words, has_ngrams.tolist()))
                    n_known = lengths
                rows = extra
        if mode == "use_unknown_vector":
            rows = np.zeros((1, kv.vector_size), dtype=np.float32)
            new_words = [_reserved_token(k2i)]
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        seen["docs"] += n
        seen["empty"] += int(np.sum(n_known == 0))
        return ids, offsets, rows, new_words

    def _warn_seen(self, seen):
        """The warnings of one transform call (see ``_encode``)."""
        kv = self.wv_
        lost = seen["no_ngrams"]
        if lost:
            warn(
                f"{len(dict.fromkeys(lost))} unknown word(s) have no character n-gram in the "
                f"model (min_n={kv.min_n}, max_n={kv.max_n}, bucket={kv.bucket}), so no subword "
                f"vector; they are dropped (e.g. {lost[0]!r}). Use n-grams short enough for "
                "them, or handle_unknown='use_unknown_vector' to keep them as an unknown vector.",
                UserWarning,
            )
        n_empty, n = seen["empty"], seen["docs"]
        if not n_empty:
            return
        zeros = {
            "mean": "their mean vectors are all zeros",
            "padded": "their padded arrays are all zeros",
        }.get(self.output)
        if self._unknown_mode() == "use_unknown_vector":
            become = "they hold only the all-zero unknown vector (or nothing)"
            become += f", so {zeros}" if zeros else ""
        else:
            become = zeros or "they become zero-length sequences"
        n_upper = _n_uppercase(kv) if self.pretrained is not None and self.lowercase else 0
        if self.pretrained is None and self.min_count > 1:
            become += (
                f" (words seen fewer than min_count={self.min_count} times in fit are "
                "unknown: lower min_count to keep rare words)"
            )
        if n_upper:
            become += (
                f". {n_upper} of the {len(kv.index_to_key)} pretrained words contain uppercase "
                "letters, but lowercase=True lowercases the documents before lookup; set "
                "lowercase=False to match them"
            )
        warn(f"{n_empty} of {n} documents have no known tokens; {become}.", UserWarning)

    def _sequences(self, ids, offsets, rows, new_words, table=None):
        """The SequenceArray of ``_encode``'s output over the fitted table, shared
        (or over ``table``, the same vectors in float32)."""
        kv = self.wv_
        # the fitted vocabulary (+ the fixed unknown row) keeps its ids in every call;
        # FastText's subword rows for unseen words come after it and vary per call
        fixed = len(kv.index_to_key) + (self._unknown_mode() == "use_unknown_vector")
        table = kv.vectors if table is None else table
        return SequenceArray._with_rows(
            ids, offsets, table, kv.index_to_key, rows, new_words, fixed
        )

    def _pooled(self, docs, seen):
        """Each document's mean vector (zeros for an empty one), pooled a chunk of
        documents at a time: the ids of a whole call are never held at once."""
        kv = self.wv_
        table = tensor_view(np.asarray(kv.vectors, dtype=np.float32))  # one copy if float64
        n_table, dim = table.shape
        subword = self._unknown_mode() == "subword"
        if subword:  # an unknown word keeps one id (and one row) for the whole call
            seen.update(index=_NewIds(n_table), lacking=_Growing((), bool))
        extra, words = _Growing((dim,), np.float32), []  # the call's rows after the table
        joined, in_joined = None, 0  # the table and ``extra``, for chunks of many tokens
        parts = [np.zeros((0, dim), dtype=np.float32)]
        docs = iter(docs)
        while chunk := list(islice(docs, _IDS_CHUNK)):  # as token_ids numbers them
            ids, offsets, rows, new_words = self._encode(chunk, seen)
            if rows is not None and (subword or not extra.n):
                extra.extend(rows)
                words += new_words
            part = table
            if extra.n and len(ids) < n_table:  # the rows the chunk uses, not the table
                used, ids = np.unique(ids, return_inverse=True)
                part = tensor_view(
                    self._sequences(ids, offsets, extra.array, words, table.numpy())._lookup(used)
                )
            elif extra.n:
                if joined is None or len(joined) < n_table + extra.n:
                    joined = table.new_empty((n_table + 2 * extra.n, dim))
                    joined[:n_table], in_joined = table, 0
                joined[n_table + in_joined : n_table + extra.n] = torch.from_numpy(
                    extra.array[in_joined:]
                )
                part, in_joined = joined[: n_table + extra.n], extra.n
            # sums over counts: mode="mean" gives the same bits but allocated per call
            # what made 25 calls 4x as slow as one (torch 2.13, CPU)
            pooled = torch.nn.functional.embedding_bag(
                tensor_view(ids), part, tensor_view(offsets[:-1]), mode="sum"
            )
            counts = np.maximum(np.diff(offsets), 1).astype(np.float32)
            parts.append(pooled.div_(torch.from_numpy(counts)[:, None]).numpy())
        return np.concatenate(parts)

    def transform(self, X):
        """Turn documents into token-id sequences or pooled vectors.

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, or 2D token matrix
            Documents to encode.

        Returns
        -------
        Xt : SequenceArray, ndarray of shape (n_samples, vector_size) or \
                ndarray of shape (n_samples, max_length, vector_size)
            ``output="sequence"``: a :class:`~sklearn_seq.SequenceArray` of ids
            with the vector table and vocabulary. ``"mean"``: the float32 mean
            vector of each document's tokens. ``"padded"``: float32 vectors
            padded with zeros / truncated to ``max_length``.
        """
        check_is_fitted(self)
        check_params_read(self, self._transform_params)
        self._check_output_config()
        docs = check_text_input(
            self, X, analyze=self._analyzer(), reset=False, lazy=True, known=self.wv_.key_to_index
        )
        seen = {"docs": 0, "empty": 0, "no_ngrams": []}
        if self.output == "mean":
            out = self._pooled(docs, seen)
            self._warn_seen(seen)
            return _wrap_data_with_container("transform", out, X, self)
        seqs = self._sequences(*self._encode(docs, seen))
        self._warn_seen(seen)
        if self.output == "padded":
            return seqs.to_padded(self.max_length_, lookup=True)[0]
        return seqs

    def get_feature_names_out(self, input_features=None):
        """Names of the pooled output columns (``output="mean"`` only).

        Parameters
        ----------
        input_features : None
            Ignored.

        Returns
        -------
        feature_names_out : ndarray of str objects
            ``["<classname>0", "<classname>1", ...]``.
        """
        check_is_fitted(self, "_n_features_out")
        check_params_read(self, ["output"])
        if self.output != "mean":
            raise ValueError(
                f"get_feature_names_out is defined for output='mean' only, not "
                f"output={self.output!r}."
            )
        prefix = type(self).__name__.lower()
        return np.asarray([f"{prefix}{i}" for i in range(self._n_features_out)], dtype=object)

    # --------------------------------------------------------- persistence
    __deepcopy__ = deepcopy_with_training_state

    def __getstate__(self):
        # The vectors travel as plain numpy arrays and an UTF-8 key blob, never as
        # gensim objects: pickles stay independent of gensim's internals and skops
        # can save the transformer without trusting any gensim type.
        state = dict(super().__getstate__())  # object.__getstate__ returns the live __dict__
        state.pop("_model", None)
        kv = state.pop("wv_", None)
        if kv is not None:
            state["_wv_state"] = _kv_to_state(kv)
            if state.get("pretrained") is kv:  # a KeyedVectors parameter is stored once
                state["pretrained"] = None
                state["_pretrained_is_wv"] = True
        return state

    def __setstate__(self, state):
        wv_state = state.pop("_wv_state", None)
        pretrained_is_wv = state.pop("_pretrained_is_wv", False)
        kv = state.get("wv_")  # pickles made before the plain-array state
        if isinstance(kv, FastTextKeyedVectors) and kv.vectors is None:
            kv.recalc_char_ngram_buckets()
            kv.adjust_vectors()
        super().__setstate__(state)
        if wv_state is not None:
            self.wv_ = _kv_from_state(wv_state)
            if pretrained_is_wv:
                self.pretrained = self.wv_


def _drop(ids, doc_of, keep, n):
    """Keep ``ids[keep]``; return them and the new length of each of the ``n`` documents."""
    return ids[keep], np.bincount(doc_of[keep], minlength=n).astype(np.int64)


def _reserved_token(key_to_index, token=UNKNOWN_TOKEN):
    """``token`` (``"<unk>"``), or ``"<<unk>>"``... while the vocabulary has that word."""
    while token in key_to_index:
        token = f"<{token}>"
    return token


def _n_uppercase(kv):
    """Number of words of ``kv`` with uppercase letters: lowercased documents never match them."""
    keys = [k for k in kv.index_to_key if isinstance(k, str)]
    return sum(map(str.__ne__, keys, map(str.lower, keys)))


def _count(corpus, check=None):
    """Number of documents, of tokens, and the length of the longest document
    (each document passed to ``check(doc, index)`` first, when given)."""
    n_docs = n_tokens = longest = 0
    for doc in corpus:
        if check is not None:
            check(doc, n_docs)
        n_docs += 1
        n_tokens += len(doc)
        longest = max(longest, len(doc))
    return n_docs, n_tokens, longest


def _kv_to_state(kv):
    """A gensim ``KeyedVectors`` as a dict of numpy arrays and plain values.

    FastText's full-word vectors and per-word bucket lists are left out: they
    are recomputed from the n-gram table on load."""
    keys = list(kv.index_to_key)
    state = {"vector_size": int(kv.vector_size), "expandos": dict(kv.expandos)}
    if all(isinstance(k, str) for k in keys):
        # surrogatepass: lone surrogates (text decoded with surrogateescape) round-trip
        encoded = [k.encode("utf-8", "surrogatepass") for k in keys]
        state["keys_utf8"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        state["key_lengths"] = np.fromiter(map(len, encoded), dtype=np.int64, count=len(keys))
    else:  # non-string keys (possible in a user's KeyedVectors): kept as a list
        state["keys"] = keys
    if isinstance(kv, FastTextKeyedVectors):
        state.update(
            kind="fasttext",
            min_n=int(kv.min_n),
            max_n=int(kv.max_n),
            bucket=int(kv.bucket),
            vectors_vocab=kv.vectors_vocab,
            vectors_ngrams=kv.vectors_ngrams,
        )
    else:
        state.update(kind="plain", vectors=kv.vectors)
    return state


def _kv_from_state(state):
    """Inverse of :func:`_kv_to_state`."""
    if "keys" in state:
        keys = list(state["keys"])
    else:
        blob = np.asarray(state["keys_utf8"], dtype=np.uint8).tobytes()
        ends = np.cumsum(state["key_lengths"]).tolist()
        keys = [
            blob[a:b].decode("utf-8", "surrogatepass")
            for a, b in zip([0] + ends[:-1], ends, strict=True)
        ]
    size = state["vector_size"]
    if state["kind"] == "fasttext":
        vocab = state["vectors_vocab"]
        kv = FastTextKeyedVectors(size, state["min_n"], state["max_n"], state["bucket"])
        kv.vectors_vocab = vocab
        kv.vectors_ngrams = state["vectors_ngrams"]
    else:
        kv = KeyedVectors(size, dtype=state["vectors"].dtype)
        kv.vectors = state["vectors"]
    kv.index_to_key = keys
    kv.key_to_index = {k: i for i, k in enumerate(keys)}
    kv.next_index = len(keys)
    kv.expandos = dict(state["expandos"])
    if state["kind"] == "fasttext":
        _fasttext_vectors(kv)
    return kv


_FT_WORDS = 1 << 16  # words composed at once (the hashing's temporaries grow with them)


def _fasttext_vectors(kv):
    """gensim's ``recalc_char_ngram_buckets`` and ``adjust_vectors``, vectorised
    across words (gensim loops over the words in Python: 10 s to load 500k).
    Each word's vector is its own row plus its n-gram rows, added one n-gram
    position at a time in gensim's order, then divided by their number: the
    same float32 result, bit for bit."""
    words = kv.index_to_key
    if kv.bucket == 0 or not words:
        kv.buckets_word = [np.array([], dtype=np.uint32)] * len(words)
        kv.vectors = kv.vectors_vocab
        return
    vectors, buckets = kv.vectors_vocab.copy(), []
    for i in range(0, len(words), _FT_WORDS):
        hashes, counts = ngram_hashes(words[i : i + _FT_WORDS], kv.min_n, kv.max_n, kv.bucket)
        hashes = hashes.astype(np.uint32)
        buckets.extend(np.split(hashes, np.cumsum(counts)[:-1]))
        first, part = np.cumsum(counts) - counts, vectors[i : i + _FT_WORDS]
        active, k = np.flatnonzero(counts), 0
        while len(active):  # the k-th n-gram of every word that has one
            part[active] += kv.vectors_ngrams[hashes[first[active] + k]]
            k += 1
            active = active[counts[active] > k]
        part /= (counts + 1)[:, None].astype(np.float32)
    kv.buckets_word, kv.vectors = buckets, vectors
