"""Text input detection and tokenisation shared by the embedding transformers.

Accepted inputs (``X`` of every ``fit`` / ``transform``):

* an iterable of strings (one document each), tokenised by the analyzer;
* an iterable of token lists (lists, tuples or 1D arrays of ``str``), used as is;
* a 1D array or pandas Series of strings (one document each);
* a 2D array or DataFrame whose rows are token sequences: every cell becomes
  one token through ``str(cell)`` (numeric matrices are validated with
  scikit-learn's ``validate_data`` first, so NaN, inf and complex values are
  refused as everywhere in scikit-learn); a rectangular nested list of
  numbers is such a matrix too;
* for ``fit`` only, a corpus that does not fit in memory: a
  :class:`pathlib.Path` to a UTF-8 text file with one document per line (a
  byte-order mark is skipped), or a restartable iterable (``iter(corpus)``
  returns a fresh iterator each time; a pass that yields a different number
  of documents than the first is an error, see :func:`check_passes`).

A single bare string is refused with a ``ValueError`` like scikit-learn's
``CountVectorizer``; ``None`` or missing (NaN) documents, bytes and
non-string tokens raise a ``TypeError`` naming the offending document.
"""

import bz2
import gzip
import os
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain, islice, repeat
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import strip_accents_ascii, strip_accents_unicode
from sklearn.utils.validation import validate_data

from ._frames import to_pandas
from ._warnings import warn

__all__ = [
    "DEFAULT_TOKEN_PATTERN",
    "build_analyzer",
    "TextCorpus",
    "check_text_input",
    "check_passes",
    "read_once",
    "compression_of",
    "is_number",
]

#: Default token pattern: runs of word characters, single characters kept
#: (unlike ``CountVectorizer``'s ``(?u)\b\w\w+\b``): "I", "a" and digits carry
#: meaning for sequence models.
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w+\b"


def build_analyzer(*, tokenizer=None, lowercase=True, analyzer="word", strip_accents=None):
    """Return a callable turning one document string into a list of tokens.

    Parameters
    ----------
    tokenizer : callable, default=None
        Called on each (lower-cased) document; must return a list (or another
        iterable, not a ``str``) of strings, else a ``TypeError`` names it.
        By default the regex :data:`DEFAULT_TOKEN_PATTERN` is used.
    lowercase : bool, default=True
        Lower-case documents before tokenising.
    analyzer : {"word", "char"}, default="word"
        ``"char"`` splits the document into characters (``tokenizer`` is then
        ignored).
    strip_accents : {"ascii", "unicode"}, default=None
        Remove accents and other character normalisation before tokenising,
        as :class:`~sklearn.feature_extraction.text.CountVectorizer` does.

    Returns
    -------
    analyze : callable
    """
    steps = [str.lower] if lowercase else []
    if strip_accents == "unicode":
        steps.append(strip_accents_unicode)
    elif strip_accents == "ascii":
        steps.append(strip_accents_ascii)
    if analyzer == "char":
        split = list
    elif tokenizer is None:
        split = re.compile(DEFAULT_TOKEN_PATTERN).findall
    else:
        split = _checked_tokenizer(tokenizer)
    if not steps:
        return split

    def analyze(doc):
        for step in steps:
            doc = step(doc)
        return split(doc)

    return analyze


def _checked_tokenizer(tokenizer):
    """``tokenizer`` whose result is checked to be a list of str (other iterables are listed)."""

    def tokenize(doc):
        tokens = tokenizer(doc)
        if type(tokens) is not list:
            if isinstance(tokens, (str, bytes)) or not isinstance(tokens, Iterable):
                raise _tokenizer_error(tokenizer, doc, f"{type(tokens).__name__} ({tokens!r:.40})")
            tokens = list(tokens)
        if not all(map(isinstance, tokens, repeat(str))):
            bad = next(t for t in tokens if not isinstance(t, str))
            raise _tokenizer_error(
                tokenizer, doc, f"a token of type {type(bad).__name__} ({bad!r})"
            )
        return tokens

    return tokenize


def _tokenizer_error(tokenizer, doc, got):
    name = getattr(tokenizer, "__qualname__", type(tokenizer).__name__)
    return TypeError(
        f"tokenizer={name} returned {got} for the document {doc!r:.60}; a tokenizer must "
        "return a list of str tokens (e.g. doc.split(), not doc itself)."
    )


def _bare_string_error(X):
    return ValueError(
        "Iterable over raw text documents expected, string object received. "
        "Wrap a single document in a list; pass a corpus file as pathlib.Path(...)."
    )


def _check_tokens(tokens, i):
    """Validate one token list; return it as a list of str, without empty strings
    (padding, as in a token matrix: no tokenizer gives one)."""
    if isinstance(tokens, np.ndarray):
        if tokens.ndim != 1:
            raise TypeError(
                f"Document {i} is an array of shape {tokens.shape}; a token sequence "
                "must be one-dimensional."
            )
        tokens = tokens.tolist()
    out = list(tokens)
    for tok in out:
        if not isinstance(tok, str):
            raise TypeError(
                f"Document {i} contains a token of type {type(tok).__name__} ({tok!r}); "
                "tokens must be strings. Pass raw documents as strings or token "
                "sequences as lists of str."
            )
    return [tok for tok in out if tok] if "" in out else out


def _is_missing(doc):
    """NaN, pandas.NA or NaT: what pandas puts in a column of strings for a missing value."""
    return (isinstance(doc, float) and doc != doc) or type(doc).__name__ in ("NAType", "NaTType")


def _to_tokens(doc, i, analyze):
    """One document (string or token sequence) to a list of str tokens."""
    if isinstance(doc, str):
        return analyze(doc)
    if doc is None:
        raise TypeError(
            f"Document {i} is None; every document must be a string or a sequence "
            "of string tokens (use '' for an empty document)."
        )
    if _is_missing(doc):
        raise TypeError(
            f"Document {i} is a missing value ({doc!r}); every document must be a string. "
            "Fill missing values with '' first, e.g. X.fillna('') for a pandas Series "
            "or X.fill_null('') for a polars one."
        )
    if isinstance(doc, bytes):
        raise TypeError(f"Document {i} is bytes; decode it to str first.")
    if isinstance(doc, (list, tuple, np.ndarray)):
        return _check_tokens(doc, i)
    raise TypeError(
        f"Document {i} has type {type(doc).__name__}; every document must be a "
        "string or a list of string tokens."
    )


def _bytes_array_error(X):
    return TypeError(
        f"X is an array of bytes (dtype {X.dtype}); decode it to str first, e.g. "
        "np.char.decode(X, 'utf-8') or [d.decode('utf-8') for d in X]."
    )


def _matrix_rows(X):
    """Rows of a 2D array as token lists: ``str`` of every cell; empty cells
    (``""``, which no tokenizer gives) are padding and skipped."""
    X = np.asarray(X)
    if X.dtype.kind == "S":
        raise _bytes_array_error(X)
    if X.dtype.kind == "U":
        if (X == "").any():
            return [[c for c in row if c] for row in X.tolist()]
        return X.tolist()
    if X.dtype == object:
        rows = []
        for i, row in enumerate(X):
            toks = []
            for cell in row:
                if cell is None:
                    raise TypeError(
                        f"Row {i} of the token matrix contains None; every cell must be a "
                        f"token ({_PADDED_FRAME.format('None')})"
                    )
                if isinstance(cell, str) and not cell:
                    continue
                if isinstance(cell, bytes):
                    raise TypeError(
                        f"Row {i} of the token matrix contains bytes ({cell!r}); decode it "
                        "to str first."
                    )
                toks.append(cell if isinstance(cell, str) else str(cell))
            rows.append(toks)
        return rows
    return [[str(c) for c in row] for row in X.tolist()]


# a cell that reads as text: whitespace between two other characters (a token such
# as " " of a character matrix is not text; "\x00" separates joined cells); with
# several columns, three words (a category such as "New York" is a token)
_looks_like_text = re.compile(r"[^\s\x00]\s+[^\s\x00]").search
_looks_like_texts = re.compile(r"[^\s\x00]\s+[^\s\x00]+\s+[^\s\x00]").search
# which code points are whitespace, for str arrays: those up to U+3000 (none above;
# the last entry stands for them all)
_IS_SPACE = np.array([chr(c).isspace() for c in range(0x3002)])


_SPACED_TOKENS = "(Tokens that hold spaces, such as 'new york', are kept in a list of token lists.)"
# a DataFrame of token lists pads the short ones (with None or NaN)
_PADDED_FRAME = (
    "a DataFrame built from token lists of different lengths pads the short rows with "
    "{}: pass the list of token lists itself, or fill the gaps with '', which is read as "
    "padding."
)


def _has_whitespace(X):
    """Whether a 2D numpy str array holds a whitespace character, from its code
    points (no str objects), about a million of them at a time: rows of a
    C-ordered array are read in place, others copied a block at a time."""
    per_row = max(1, X.shape[1] * X.dtype.itemsize // 4)
    step = max(1, (1 << 20) // per_row)
    native = X.dtype.newbyteorder("=")
    return any(
        _IS_SPACE[
            np.minimum(np.ascontiguousarray(X[i : i + step], native).view(np.uint32), 0x3001)
        ].any()
        for i in range(0, len(X), step)
    )


def _text_columns(frame):
    """Positions of a DataFrame's columns that can hold text (object, str, category)."""
    return [j for j, dtype in enumerate(frame.dtypes) if dtype.kind in "OUT"]


def _check_not_columns_of_documents(X, analyze, known=None):
    """Refuse a 2D input of texts, which the token-matrix rule would turn into
    one token per document (a DataFrame ``df[["text"]]`` or ``df[["title",
    "body"]]``, what a ``ColumnTransformer`` passes for a list of columns, an
    (n, k) array of texts): a cell of words is not a token (with one column two
    words, with several three: a category such as "New York" is one). With
    ``known`` (the fitted vocabulary, in ``transform``), neither is the cell of a
    single column that is unknown while the tokens ``analyze`` makes of it are
    known ("Great!", "AWFUL": one-word documents, as tokens unknown)."""
    if hasattr(X, "iloc"):
        text = _text_columns(X)
        # (tolist: labels as Python values, 0 rather than np.int64(0), for the hints)
        columns, names, per_row = [X.iloc[:, j] for j in text], X.columns[text].tolist(), 1
    else:
        X = np.asarray(X)
        columns = [X.ravel()] if X.dtype.kind in ("U", "O") else []  # row by row
        names, per_row = ["text"] * X.shape[1], X.shape[1]
    looks_like_text = _looks_like_text if len(names) == 1 else _looks_like_texts
    found = None
    for cells in columns:
        if isinstance(cells, np.ndarray) and cells.dtype.kind == "U":
            if not _has_whitespace(cells[:, None]):  # most token matrices
                continue
        cells = cells.tolist()
        # one search of the joined column (a search per cell took half as long as
        # the transform of a 100,000 x 20 token matrix)
        try:
            joined = "\x00".join(cells)
        except TypeError:  # cells that are not strings: other checks name them
            joined = "\x00".join(c for c in cells if isinstance(c, str))
        if looks_like_text(joined):
            found = next(
                (i, c, "contain whitespace", "")
                for i, c in enumerate(cells)
                if isinstance(c, str) and looks_like_text(c)
            )
            break
    if found is None and known is not None and X.shape[1] == 1 and columns:
        for i, c in enumerate(columns[0].tolist()):
            if isinstance(c, str) and c and c not in known:
                tokens = analyze(c)
                if tokens and tokens != [c] and all(t in known for t in tokens):
                    found = (
                        i,
                        c,
                        "are unknown tokens whose words the vocabulary knows",
                        f", read as {tokens!r:.40}",
                    )
                    break
    if found is None:
        return
    i, doc, reason, read_as = found
    i //= per_row
    if len(names) == 1:  # (one column of text, maybe beside numbers)
        name = names[0]
        raise ValueError(
            f"X has one column of text and its cells {reason} (row {i}: "
            f"{str(doc)!r:.40}{read_as}): it looks like one column of documents, not a token "
            "matrix. A 2D input (a DataFrame, or an array of shape (n, 1)) is read as a token "
            "matrix, one token per cell, so each whole document would become a single "
            f"token. Pass the documents as 1D instead: the column itself, {_as_1d(name)} "
            "(for an array, X[:, 0]); in a ColumnTransformer, give the "
            f"column name as a string, {name!r}, not as a list [{name!r}]. {_SPACED_TOKENS}"
        )
    raise ValueError(
        f"X has {X.shape[1]} columns and its cells hold several words (row {i}: "
        f"{str(doc)!r:.40}): it looks like columns of documents, not a token matrix. A 2D "
        "input is read as a token matrix, one token per cell, so each whole text would "
        "become a single token. Pass one column of documents as 1D: join the text "
        "columns into one (e.g. df['title'] + ' ' + df['body']), or give each column a "
        "transformer of its own in a ColumnTransformer, selected by a string, not a list. "
        f"{_SPACED_TOKENS}"
    )


def _as_1d(name):
    """How to pass a frame's text column ``name`` as 1D documents."""
    return f"df[{name!r}] rather than df[[{name!r}]]"


def _warn_one_column_of_words(X, analyze):
    """Warn in ``fit`` when a one-column token matrix holds cells that the
    tokenizer would change ("Great!", "AWFUL"): they are used as they are, one
    token each, which one-word documents given as ``df[["answer"]]`` are not
    meant to be (``transform`` refuses such cells of plain words later)."""
    table = X if hasattr(X, "shape") else np.asarray(X)
    if table.shape[1] != 1:
        return
    sample = table.iloc[:1000, 0] if hasattr(X, "iloc") else np.asarray(table[:1000, 0])
    cells = [c for c in sample.tolist() if isinstance(c, str) and c]
    changed = [c for c in cells if analyze(c) != [c]]
    if cells and 2 * len(changed) > len(cells):
        c = changed[0]
        as_1d = _as_1d(X.columns.tolist()[0]) if hasattr(X, "columns") else "X[:, 0]"
        warn(
            f"X is one column read as a token matrix: each cell is one token, used as it "
            f"is, though the tokenizer would change {len(changed)} of {len(cells)} cells "
            f"(e.g. {c!r:.30} -> {analyze(c)!r:.40}). If the cells are one-word documents, "
            f"pass the column as 1D to tokenise them: {as_1d}.",
            UserWarning,
        )


class TextCorpus:
    """A restartable iterable of token lists read from a file or an iterable.

    Each ``iter()`` re-reads the source, so the corpus can be streamed several
    times (vocabulary pass, then one pass per epoch) without holding it in
    memory. A pass over an iterable that yields a different number of
    documents than the first pass (an iterable that cannot start over) stops
    and records the problem in ``error``, for :func:`check_passes` to raise:
    raising inside the pass could stop a training thread (gensim reads the
    corpus in one) instead of the caller.

    Parameters
    ----------
    source : path-like or restartable iterable
        A text file with one document per line (UTF-8), or an iterable whose
        ``iter()`` restarts (a list, or an object with ``__iter__``).
    analyze : callable
        Tokeniser for string documents.
    """

    def __init__(self, source, analyze):
        self.source = source
        self.analyze = analyze
        self.n_docs = None  # documents of the first complete pass
        self.error = None

    def __iter__(self):
        if isinstance(self.source, os.PathLike):
            yield from self._read_file()
            return
        n = 0
        for doc in self.source:
            if self.n_docs is not None and n == self.n_docs:
                self._record(n + 1, "or more")
                return
            yield _to_tokens(doc, n, self.analyze)
            n += 1
        if self.n_docs is None:
            self.n_docs = n
            if n == 0 and iter(self.source) is iter(self.source):
                self.error = (
                    f"The {type(self.source).__name__} object passed as X yielded no "
                    "documents and its __iter__ returns the same iterator every time: it "
                    "can be read only once (and was read already?). "
                ) + _RESTARTABLE
        elif n != self.n_docs:
            self._record(n)

    def _record(self, n, more=""):
        self.error = (
            f"The {type(self.source).__name__} object passed as X yielded {self.n_docs} "
            f"documents in the first pass but {n}{more and ' ' + more} in a later one: "
            "fit reads the corpus several times (vocabulary, then every epoch). "
        ) + _RESTARTABLE

    def _read_file(self):
        analyze = self.analyze
        with _open_text(self.source) as fh:
            try:
                for line in fh:
                    yield analyze(line.rstrip("\n"))
            except UnicodeDecodeError as exc:
                raise ValueError(
                    f"Corpus file {str(self.source)!r} is not valid UTF-8 ({exc.reason}: "
                    f"byte {exc.object[exc.start : exc.start + 1]!r}). Re-save it as UTF-8 "
                    "(e.g. iconv -f latin1 -t utf-8), or read it with its encoding and "
                    "pass the documents instead."
                ) from None
            except (OSError, EOFError, zlib.error) as exc:  # a damaged compressed file
                raise ValueError(
                    f"Could not decompress corpus file {str(self.source)!r}: "
                    f"{type(exc).__name__}: {exc}"
                ) from None


def compression_of(head):
    """``"gzip"`` or ``"bzip2"`` when the bytes ``head`` (at least 4) start with
    that format's signature, else None."""
    if head[:2] == b"\x1f\x8b":
        return "gzip"
    if head[:3] == b"BZh" and head[3:4].isdigit():
        return "bzip2"
    return None


def is_number(text):
    """Whether ``float(text)`` reads the string (or bytes) as a number."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def _open_text(path):
    """A UTF-8 text file (a BOM is not text), decompressed when its first bytes
    are gzip's or bzip2's signature, whatever its name."""
    with open(path, "rb") as raw:
        kind = compression_of(raw.read(4))
    opener = {"gzip": gzip.open, "bzip2": bz2.open}.get(kind, open)
    return opener(path, "rt", encoding="utf-8-sig")


_RESTARTABLE = (
    "The iterable must be restartable: a list, or a class whose __iter__ starts over "
    "and returns a new iterator each time. (A generator is read into a list "
    "automatically; pass list(X) to do the same here.)"
)


def check_passes(corpus):
    """Raise the ``ValueError`` a streamed corpus recorded (a later pass unlike the first).

    Call it after every pass over a :class:`TextCorpus`, before an error that
    an empty or short pass would cause; a list passes silently.
    """
    if isinstance(corpus, TextCorpus) and corpus.error is not None:
        raise ValueError(corpus.error)


def read_once(X):
    """``X`` as a list if it is an iterable that is neither a sequence, array nor path.

    ``fit_transform`` reads ``X`` twice (``fit`` then ``transform``): a
    generator or other one-shot iterable would give ``transform`` nothing.
    """
    if (
        isinstance(X, (str, bytes, os.PathLike, list, tuple, set, frozenset, dict))
        or _is_array_like(X)
        or sp.issparse(X)
        or not isinstance(X, Iterable)
    ):
        return X
    return list(X)


class ReadOnceMixin:
    """``fit_transform`` for text transformers: a one-shot iterable is read once."""

    def fit_transform(self, X, y=None):
        """Fit to ``X``, then transform it (a generator is read once, into a list).

        Parameters
        ----------
        X : iterable of str or of token lists, 1D array of str, or 2D token matrix
            Training documents, also transformed.
        y : None
            Ignored.

        Returns
        -------
        Xt : SequenceArray or ndarray
            As :meth:`transform`.
        """
        if isinstance(X, os.PathLike):  # refused before training, not after
            raise TypeError(
                "A corpus path is accepted by fit only; fit_transform (and a pipeline's "
                "fit) needs the documents themselves, to transform them too. Fit on the "
                "path, then transform the documents (an iterable of strings or token lists)."
            )
        X = read_once(X)
        return self.fit(X).transform(X)


def _is_array_like(X):
    return (
        hasattr(X, "__array__") or hasattr(X, "__array_function__") or hasattr(X, "iloc")
    ) and not isinstance(X, (list, tuple))


def check_text_input(estimator, X, *, analyze, reset, stream=False, lazy=False, known=None):
    """Validate ``X`` and return its documents as token lists.

    Parameters
    ----------
    estimator : estimator instance
        Receives ``n_features_in_`` (and ``feature_names_in_``) through
        ``validate_data`` when ``X`` is a 2D matrix; loses them when refit on
        text.
    X : see module docstring
    analyze : callable
        Tokeniser for string documents.
    reset : bool
        True in ``fit``.
    stream : bool, default=False
        Allow a path or a one-pass-per-``iter`` corpus and return a
        :class:`TextCorpus` instead of a list (used by ``fit``).
    lazy : bool, default=False
        Return the documents of a list or 1D array as a generator that
        tokenises them as it is read, once (used by ``transform``, with
        :func:`token_ids`): a document's error is then raised while reading.
    known : container of str, default=None
        The fitted vocabulary (``transform``): a one-column input of cells it
        does not know, whose words it knows, is refused as one-word documents.

    Returns
    -------
    docs : list of list of str, or TextCorpus
    """
    X = to_pandas(X)  # polars and pyarrow frames are checked as pandas ones
    if isinstance(X, (str, bytes)):
        raise _bare_string_error(X)
    if isinstance(X, (set, frozenset, dict)) and not sp.issparse(X):  # (dok: a dict)
        why = (
            "its keys would be read as the documents"
            if isinstance(X, dict)
            else "it has no order, so the output rows could not be matched to the documents"
        )
        raise TypeError(f"X is a {type(X).__name__}; pass the documents as a list ({why}).")
    if isinstance(X, os.PathLike):
        if not stream:
            raise TypeError(
                "A corpus path is accepted by fit only; transform needs the documents "
                "themselves (an iterable of strings or token lists)."
            )
        path = Path(X)
        if path.is_dir():
            raise ValueError(
                f"Corpus path {str(path)!r} is a directory; pass a text file with one "
                "document per line."
            )
        if not path.is_file():
            raise FileNotFoundError(f"Corpus file not found: {str(path)!r}.")
        if reset:
            _forget_features(estimator)
        return TextCorpus(path, analyze)
    if sp.issparse(X):
        validate_data(estimator, X, reset=reset)  # raises: sparse input is not supported
    if _is_array_like(X):
        if getattr(getattr(X, "dtype", None), "kind", None) == "T":
            X = np.asarray(X).astype(object)  # numpy's StringDType: read as str objects
        ndim = getattr(X, "ndim", None)
        if ndim is None:
            ndim = np.asarray(X).ndim
        if ndim == 2:
            kind = getattr(getattr(X, "dtype", None), "kind", None)
            if kind == "S":
                raise _bytes_array_error(X)
            _check_not_columns_of_documents(X, analyze, known)
            if reset:
                _warn_one_column_of_words(X, analyze)
            if hasattr(X, "dtypes") and _text_columns(X):
                # missing tokens (NaN, None, pd.NA): scikit-learn's check names NaN
                # only, or fails on pd.NA ("boolean value of NA is ambiguous")
                missing = X.isna().to_numpy().any(axis=1)
                if missing.any():
                    raise ValueError(
                        f"X has a missing value in row {int(np.flatnonzero(missing)[0])}. A "
                        "2D input is a token matrix, one token per cell; "
                        f"{_PADDED_FRAME.format('NaN or None')}"
                    )
            if hasattr(X, "dtypes") or kind not in ("U", "O"):  # numeric / DataFrame
                Xv = validate_data(
                    estimator,
                    X,
                    reset=reset,
                    dtype=None,
                    ensure_min_samples=1,
                    ensure_all_finite=True,
                )
            else:
                Xv = validate_data(estimator, X, reset=reset, dtype=None)
            return _matrix_rows(Xv)
        arr = np.asarray(X, dtype=object) if hasattr(X, "iloc") else np.asarray(X)
        if arr.ndim == 0:
            raise _bare_string_error(X)
        if arr.ndim != 1:
            raise ValueError(
                f"Expected text documents (1D) or a token matrix (2D), got an array "
                f"with {arr.ndim} dimensions."
            )
        if arr.dtype.kind == "S":
            raise _bytes_array_error(arr)
        if arr.dtype.kind not in ("U", "O"):
            # a numeric 1D array is not text: let scikit-learn phrase the error
            validate_data(estimator, arr, reset=reset)
        docs = arr.tolist()
    elif isinstance(X, Iterable):
        if stream and not isinstance(X, (list, tuple)):
            if isinstance(X, Iterator):
                docs = list(X)  # one-shot generator: materialise
            else:
                if reset:
                    _forget_features(estimator)
                return TextCorpus(X, analyze)
        else:
            docs = list(X)
        if not docs and isinstance(X, Iterator) and not reset:  # (fit: an empty corpus)
            warn(
                f"X is an iterator ({type(X).__name__}) that yielded no documents: the "
                "output has 0 rows. If it was read already (an iterator is read once), "
                "pass the documents as a list.",
                UserWarning,
            )
        if _is_numeric_matrix(docs):
            # a nested list of numbers is a 2D matrix, as everywhere in scikit-learn
            return _matrix_rows(validate_data(estimator, docs, reset=reset))
    else:
        raise TypeError(f"Expected an iterable of documents, got {type(X).__name__}.")
    if reset:
        _forget_features(estimator)
    tokens = (_to_tokens(doc, i, analyze) for i, doc in enumerate(docs))
    return tokens if lazy else list(tokens)


_IDS_CHUNK = 1024  # documents whose tokens are held as strings at once


def token_ids(docs, lookup):
    """Ids and lengths of token lists, a chunk of documents at a time.

    ``lookup`` maps one chunk's tokens (a flat list of str) to an int64 array.
    With ``docs`` from ``check_text_input(..., lazy=True)`` only a chunk's
    tokens exist as Python strings at once (about 100 bytes a token: holding a
    large call's took 10-40x its output).

    Returns
    -------
    ids : ndarray of int64, one per token
    lengths : ndarray of int64, one per document
    """
    ids, lengths = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    docs = iter(docs)
    while chunk := list(islice(docs, _IDS_CHUNK)):
        lengths.append(np.fromiter(map(len, chunk), dtype=np.int64, count=len(chunk)))
        ids.append(lookup(list(chain.from_iterable(chunk))))
    return np.concatenate(ids), np.concatenate(lengths)


def _is_numeric_matrix(docs):
    import numbers

    first = docs[0] if docs else None
    if not isinstance(first, (list, tuple)) or not first:
        return False
    if not isinstance(first[0], numbers.Number) or isinstance(first[0], bool):
        return False
    try:
        arr = np.asarray(docs)
    except ValueError:  # ragged
        return False
    return arr.ndim == 2 and arr.dtype.kind in "biufc"


def _forget_features(estimator):
    for attr in ("n_features_in_", "feature_names_in_"):
        if hasattr(estimator, attr):
            delattr(estimator, attr)
