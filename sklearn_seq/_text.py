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
  :class:`pathlib.Path` to a UTF-8 text file with one document per line, or a
  restartable iterable (``iter(corpus)`` returns a fresh iterator each time).

A single bare string is refused with a ``ValueError`` like scikit-learn's
``CountVectorizer``; ``None`` documents and non-string tokens raise a
``TypeError`` naming the offending document.
"""

import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import validate_data

__all__ = [
    "DEFAULT_TOKEN_PATTERN",
    "build_analyzer",
    "TextCorpus",
    "check_text_input",
]

#: Default token pattern: runs of word characters, single characters kept
#: (unlike ``CountVectorizer``'s ``(?u)\b\w\w+\b``): "I", "a" and digits carry
#: meaning for sequence models.
DEFAULT_TOKEN_PATTERN = r"(?u)\b\w+\b"


def build_analyzer(*, tokenizer=None, lowercase=True, analyzer="word"):
    """Return a callable turning one document string into a list of tokens.

    Parameters
    ----------
    tokenizer : callable, default=None
        Called on each (lower-cased) document; must return a list of strings.
        By default the regex :data:`DEFAULT_TOKEN_PATTERN` is used.
    lowercase : bool, default=True
        Lower-case documents before tokenising.
    analyzer : {"word", "char"}, default="word"
        ``"char"`` splits the document into characters (``tokenizer`` is then
        ignored).

    Returns
    -------
    analyze : callable
    """
    if analyzer == "char":
        if lowercase:
            return lambda doc: list(doc.lower())
        return list
    if tokenizer is None:
        findall = re.compile(DEFAULT_TOKEN_PATTERN).findall
        if lowercase:
            return lambda doc: findall(doc.lower())
        return findall
    if lowercase:
        return lambda doc: tokenizer(doc.lower())
    return tokenizer


def _bare_string_error(X):
    return ValueError(
        "Iterable over raw text documents expected, string object received. "
        "Wrap a single document in a list; pass a corpus file as pathlib.Path(...)."
    )


def _check_tokens(tokens, i):
    """Validate one token list; return it as a list of str."""
    if isinstance(tokens, np.ndarray):
        if tokens.ndim != 1:
            raise TypeError(
                f"Document {i} is an array of shape {tokens.shape}; a token sequence "
                "must be one-dimensional."
            )
        if tokens.dtype.kind == "U":
            return tokens.tolist()
        tokens = tokens.tolist()
    out = list(tokens)
    for tok in out:
        if not isinstance(tok, str):
            raise TypeError(
                f"Document {i} contains a token of type {type(tok).__name__} ({tok!r}); "
                "tokens must be strings. Pass raw documents as strings or token "
                "sequences as lists of str."
            )
    return out


def _to_tokens(doc, i, analyze):
    """One document (string or token sequence) to a list of str tokens."""
    if isinstance(doc, str):
        return analyze(doc)
    if doc is None:
        raise TypeError(
            f"Document {i} is None; every document must be a string or a sequence "
            "of string tokens (use '' for an empty document)."
        )
    if isinstance(doc, bytes):
        raise TypeError(f"Document {i} is bytes; decode it to str first.")
    if isinstance(doc, (list, tuple, np.ndarray)):
        return _check_tokens(doc, i)
    raise TypeError(
        f"Document {i} has type {type(doc).__name__}; every document must be a "
        "string or a list of string tokens."
    )


def _matrix_rows(X):
    """Rows of a 2D array as token lists: ``str`` of every cell."""
    X = np.asarray(X)
    if X.dtype.kind == "U":
        return X.tolist()
    if X.dtype == object:
        rows = []
        for i, row in enumerate(X):
            toks = []
            for cell in row:
                if cell is None:
                    raise TypeError(
                        f"Row {i} of the token matrix contains None; every cell must be a token."
                    )
                toks.append(cell if isinstance(cell, str) else str(cell))
            rows.append(toks)
        return rows
    return [[str(c) for c in row] for row in X.tolist()]


class TextCorpus:
    """A restartable iterable of token lists read from a file or an iterable.

    Each ``iter()`` re-reads the source, so the corpus can be streamed several
    times (vocabulary pass, then one pass per epoch) without holding it in
    memory.

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

    def __iter__(self):
        analyze = self.analyze
        if isinstance(self.source, os.PathLike):
            with open(self.source, encoding="utf-8") as fh:
                for line in fh:
                    yield analyze(line.rstrip("\n"))
        else:
            for i, doc in enumerate(self.source):
                yield _to_tokens(doc, i, analyze)


def _is_array_like(X):
    return (
        hasattr(X, "__array__") or hasattr(X, "__array_function__") or hasattr(X, "iloc")
    ) and not isinstance(X, (list, tuple))


def check_text_input(estimator, X, *, analyze, reset, stream=False):
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

    Returns
    -------
    docs : list of list of str, or TextCorpus
    """
    if isinstance(X, (str, bytes)):
        raise _bare_string_error(X)
    if isinstance(X, os.PathLike):
        if not stream:
            raise TypeError(
                "A corpus path is accepted by fit only; transform needs the documents "
                "themselves (an iterable of strings or token lists)."
            )
        path = Path(X)
        if not path.is_file():
            raise FileNotFoundError(f"Corpus file not found: {str(path)!r}.")
        if reset:
            _forget_features(estimator)
        return TextCorpus(path, analyze)
    if sp.issparse(X):
        validate_data(estimator, X, reset=reset)  # raises: sparse input is not supported
    if _is_array_like(X):
        ndim = getattr(X, "ndim", None)
        if ndim is None:
            ndim = np.asarray(X).ndim
        if ndim == 2:
            kind = getattr(getattr(X, "dtype", None), "kind", None)
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
        if _is_numeric_matrix(docs):
            # a nested list of numbers is a 2D matrix, as everywhere in scikit-learn
            return _matrix_rows(validate_data(estimator, docs, reset=reset))
    else:
        raise TypeError(f"Expected an iterable of documents, got {type(X).__name__}.")
    if reset:
        _forget_features(estimator)
    return [_to_tokens(doc, i, analyze) for i, doc in enumerate(docs)]


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
