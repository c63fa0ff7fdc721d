"""The ragged sequence container shared by the transformers and the estimators."""

import numbers
import re

import numpy as np

from ._text import _is_missing, is_number

__all__ = ["SequenceArray"]


def readable_tensor(x):
    """A torch tensor off the autograd graph and the device, in a dtype numpy
    has (bfloat16 becomes float32); anything else as it is."""
    if not hasattr(x, "detach") or not hasattr(x, "numpy"):
        return x
    x = x.detach().cpu()
    return x.float() if str(x.dtype) == "torch.bfloat16" else x


def _first_category(s, columns=None):
    """Where a sequence's steps hold a word (or else a missing value), and what to
    do about it ('' if neither)."""
    if not s.size or s.dtype.kind not in "OUS":
        return ""
    steps = s.reshape(len(s), -1) if s.ndim else s.reshape(1, 1)
    missing = None
    for j in range(steps.shape[1]):
        name = f"column {columns[j]!r}" if columns and j < len(columns) else f"feature {j}"
        for v in steps[:, j].tolist():
            if isinstance(v, (str, bytes)) and not is_number(v):
                what = decimal_comma(v) or f"categories such as {v!r:.40}. {CATEGORY_ADVICE}"
                return f" Its {name} holds {what}"
            if missing is None and (v is None or _is_missing(v)):
                missing = f" Its {name} holds missing values ({v}): impute or drop them first."
    return missing or ""


_COMMA_NUMBER = re.compile(  # 1,5  1,500  1,500,000.25  1.500,25 (not a list: 1,2,3)
    r"[+-]?(\d*,\d+|\d{1,3}(,\d{3})+(\.\d+)?|\d{1,3}(\.\d{3})+,\d+)([eE][+-]?\d+)?"
)


def decimal_comma(word):
    """What to do with a number written with a comma ('1,5', '1,500', '1.500,25'), or None."""
    if isinstance(word, bytes):
        word = word.decode("utf-8", "replace")
    if not isinstance(word, str) or not _COMMA_NUMBER.fullmatch(word.strip()):
        return None
    return (
        f"numbers written with a comma ({word!r}): read them as numbers first, e.g. "
        "pandas.read_csv(..., decimal=',') for a decimal comma, or thousands=',' for a "
        "thousands separator."
    )


CODES_AS_IDS = (
    "pass them as ids, which the network embeds: SequenceArray.from_sequences(codes, "
    "vocab_size=largest_code + 1), codes holding one 1D array per sequence at its true "
    "length (for text, SequenceVectorizer(output='sequence') rather than output='padded')"
)
CATEGORY_ADVICE = (
    "Encode categories as numbers first: one-hot columns beside the numeric ones, made over "
    "all the data at once (e.g. pandas.get_dummies on the long frame, before splitting it "
    f"into sequences), or, where the category is a step's only feature, {CODES_AS_IDS}."
)


def not_real_error(what, dtype):
    """The error for dates, durations or complex numbers where real numbers are
    needed (numpy counts durations as integers; scikit-learn's validation would
    turn dates into microseconds since 1970), or None for another dtype."""
    kind = getattr(dtype, "kind", None)
    if kind == "c":  # scikit-learn's wording and exception type
        return ValueError(
            f"Complex data not supported: {what} holds complex numbers (dtype {dtype}). "
            "Pass their real and imaginary parts as two features."
        )
    if kind in ("m", "M"):
        return TypeError(
            f"{what} holds {'durations' if kind == 'm' else 'dates'} (dtype {dtype}), not "
            "numbers: make numeric features of them first (durations in seconds, e.g. "
            "with .dt.total_seconds(); from dates, the hour, the day of the week or the "
            "time since a start)."
        )
    return None


def check_float_range(data, dtype, what):
    """Refuse finite values that ``dtype`` cannot hold: cast, they would become
    infinity and be reported as such, or as a diverged training."""
    dtype = np.dtype(dtype)
    if not data.size or data.dtype.kind != "f" or data.dtype.itemsize <= dtype.itemsize:
        return
    limit = float(np.finfo(dtype).max)
    largest = max(float(data.max()), -float(data.min()))  # no copy, as np.abs would make
    if np.isfinite(largest) and largest > limit:
        raise ValueError(
            f"The values of {what} reach {largest:.3g}, beyond {dtype}'s range "
            f"({limit:.3g}), in which the networks compute. Scale them (for example with "
            "sklearn.preprocessing.StandardScaler, or divide by their largest absolute value)."
        )


def _read_only(name, doc):
    def refuse(self, value):
        raise AttributeError(
            f"SequenceArray.{name} is read-only: build a new SequenceArray, whose "
            "constructor checks the data, offsets and vocabulary together."
        )

    return property(lambda self: getattr(self, "_" + name), refuse, doc=doc)


def _checked_vocabulary(vocabulary):
    """The vocabulary as a list of str, or a clear error: entry i is the token of
    id i, so an unordered collection, a mapping or entries that are not words
    (a NaN, as pandas reads the word "nan", would never equal itself) are refused."""
    if isinstance(vocabulary, (str, bytes)):
        raise TypeError(
            "SequenceArray: vocabulary must be a sequence of tokens (a list of str), "
            f"got a single string {vocabulary!r:.40}."
        )
    if isinstance(vocabulary, (set, frozenset, dict)):
        hint = (
            ", e.g. sorted(d, key=d.get) for a {token: id} dict"
            if isinstance(vocabulary, dict)
            else ""
        )
        raise TypeError(
            f"SequenceArray: vocabulary is a {type(vocabulary).__name__}; pass a list of "
            f"the tokens in id order (entry i is the token of id i){hint}."
        )
    vocabulary = list(vocabulary)
    if not all(issubclass(t, str) for t in set(map(type, vocabulary))):  # (fast for all str)
        bad = next(i for i, w in enumerate(vocabulary) if not isinstance(w, str))
        value = vocabulary[bad]
        hint = ""
        if isinstance(value, float) and value != value:
            hint = (
                " (pandas reads words such as 'nan' or 'null' as NaN: read the file "
                "with keep_default_na=False)"
            )
        raise TypeError(
            f"SequenceArray: vocabulary entries must be str, entry {bad} is "
            f"{type(value).__name__} {value!r:.40}{hint}."
        )
    return vocabulary


class SequenceArray:
    """A batch of variable-length sequences stored flat, with offsets.

    One container carries either **token ids** (an integer array of shape
    ``(n_tokens,)``, optionally with a float32 vector table of shape
    ``(vocab_size, dim)`` and the vocabulary) or **numeric steps** (a float
    array of shape ``(n_tokens, n_features)``). Sequence ``i`` is
    ``data[offsets[i]:offsets[i + 1]]``; zero-length sequences are legal.

    For token ids, memory is ``n_tokens * 8 + (n_samples + 1) * 8 + n_rows *
    dim * 4`` bytes (``nbytes``), where ``n_rows``, the rows of the vector
    table, is ``vocab_size`` plus any rows appended for one transform call
    only (FastText's subword vectors for words unseen in fit); with
    ``handle_unknown="use_unknown_vector"`` the unknown vector is the last
    row of the fixed vocabulary, inside ``vocab_size``. Token vectors are
    never materialised. The container behaves like an
    array of ``n_samples`` rows for scikit-learn: ``len``, ``shape``, integer,
    slice, boolean-mask and integer-array indexing (each returning a
    ``SequenceArray``), pickling, ``train_test_split`` and cross-validation.

    Parameters
    ----------
    data : array-like of shape (n_tokens,) or (n_tokens, n_features)
        Token ids (1D, integers) or numeric steps (2D, floats), all sequences
        concatenated.
    offsets : array-like of shape (n_samples + 1,)
        Non-decreasing integer offsets starting at 0 and ending at
        ``n_tokens``.
    vectors : array-like of shape (vocab_size, dim), default=None
        Vector table for token ids. Only valid with 1D integer ``data``.
    vocabulary : sequence of str of length vocab_size, default=None
        The token of each id. Only valid with 1D integer ``data``.
    vocab_size : int, default=None
        How many leading rows of ``vectors`` form the transformer's fixed
        vocabulary (the same ids in every call). Rows beyond it belong to this
        container only, e.g. FastText's subword vectors for words unseen in
        fit; an estimator learns (or freezes) the fixed rows and reads the
        extra rows from each input. Without a table it is the number of ids
        an estimator learns an embedding for: above every id in ``data``
        (possibly more than the ids seen) and at most ``len(vocabulary)``.
        Defaults to all rows of ``vectors``, else to ``len(vocabulary)``, else
        to ``max(data) + 1``. Indexing keeps it, so splits of one container
        share their vocabulary.

    Attributes
    ----------
    data : ndarray of shape (n_tokens,) or (n_tokens, n_features)
        All sequences concatenated: int64 token ids (1D), or numeric steps
        (2D; a floating dtype is kept, integers and booleans become float32).
    offsets : ndarray of shape (n_samples + 1,)
        int64 offsets: sequence ``i`` is ``data[offsets[i]:offsets[i + 1]]``.
    kind : {"ids", "numeric"}
        What ``data`` holds. ``data``, ``offsets`` and ``kind`` are read-only:
        build a new container instead (the arrays are shared, not copied:
        changing their values in place is not checked).
    vocab_size : int or None
        For token ids, the size of the fixed vocabulary (see the parameter):
        the leading rows of ``vectors`` shared by every call, or without a
        table the number of ids an estimator learns an embedding for. None
        for numeric steps. Assigning it checks it as the constructor does.
    lengths : ndarray of shape (n_samples,)
        Length of each sequence (int64).
    n_samples : int
        Number of sequences, ``len(X)``.
    n_features : int
        Features per step: the vector dimension for token ids with a table,
        1 for token ids without one, ``data.shape[1]`` for numeric steps.
    shape : tuple of int
        ``(n_samples,)``: the container indexes like a 1D array of sequences.
    ndim : int
        Always 1.
    nbytes : int
        Bytes held by ``data``, ``offsets`` and the vector table, including
        the rows appended beyond ``vocab_size``.
    vectors : ndarray of shape (n_rows, dim) or None
        The float32 vector table of token ids: the ``vocab_size`` rows of
        the fixed vocabulary, then any rows appended for this container only.
        Those are kept apart from the shared table until this attribute is
        first read, which joins them into one (copied) array. None without a
        table, and always for numeric steps.
    vocabulary : list of str or None
        The token of each id (one entry per row of ``vectors`` where there
        is a table), or None. Assigning a new ``vectors`` or ``vocabulary``
        checks it as the constructor does; ``vocab_size`` is kept while the
        table keeps its number of rows (or there is none) and it still fits
        (above every id without a table), else set to its default.

    See Also
    --------
    SequenceArray.from_sequences : Build a container from a list of sequences.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import SequenceArray
    >>> X = SequenceArray.from_sequences([[1, 2, 3], [], [4]], vectors=np.eye(5))
    >>> X
    SequenceArray(n_samples=3, kind='ids', n_tokens=4, vocab_size=5, dim=5)
    >>> X.lengths
    array([3, 0, 1])
    >>> X[[0, 2]].to_list()
    [array([1, 2, 3]), array([4])]
    """

    def __init__(self, data, offsets, *, vectors=None, vocabulary=None, vocab_size=None):
        data = np.asarray(readable_tensor(data))
        offsets = np.asarray(readable_tensor(offsets))
        if data.ndim == 1:
            if data.size and not np.issubdtype(data.dtype, np.integer):
                raise TypeError(
                    "SequenceArray: 1D data holds token ids and must be integers, "
                    f"got dtype {data.dtype}. Pass numeric steps as a 2D array "
                    "of shape (n_tokens, n_features)."
                )
            if data.dtype == np.uint64 and data.size and data.max() > np.iinfo(np.int64).max:
                raise ValueError(
                    f"SequenceArray: token id {int(data.max())} is beyond int64; number the "
                    "tokens densely from 0."
                )
            data = data.astype(np.int64, copy=False)
            kind = "ids"
        elif data.ndim == 2:
            if not (
                np.issubdtype(data.dtype, np.floating)
                or np.issubdtype(data.dtype, np.integer)
                or data.dtype == bool
            ):
                raise TypeError(
                    "SequenceArray: numeric sequences must hold numbers, got "
                    f"dtype {data.dtype}. Convert the values to float first."
                )
            if not np.issubdtype(data.dtype, np.floating):
                data = data.astype(np.float32)
            kind = "numeric"
        else:
            raise ValueError(
                "SequenceArray: data must be 1D (token ids) or 2D (n_tokens, "
                f"n_features), got an array with {data.ndim} dimensions."
            )
        if offsets.ndim != 1 or offsets.size < 1:
            raise ValueError("SequenceArray: offsets must be a 1D array of n_samples + 1 integers.")
        if not np.issubdtype(offsets.dtype, np.integer):
            raise TypeError(f"SequenceArray: offsets must be integers, got dtype {offsets.dtype}.")
        offsets = offsets.astype(np.int64, copy=False)
        if offsets[0] != 0 or offsets[-1] != len(data) or np.any(np.diff(offsets) < 0):
            raise ValueError(
                "SequenceArray: offsets must start at 0, never decrease and end at "
                f"len(data)={len(data)}; got offsets[0]={offsets[0]}, "
                f"offsets[-1]={offsets[-1]}."
            )
        if kind == "ids" and len(data) and data.min() < 0:
            raise ValueError("SequenceArray: token ids must be non-negative.")
        if vectors is not None:
            if kind != "ids":
                raise ValueError("SequenceArray: a vector table is only valid with token ids.")
            vectors = np.asarray(readable_tensor(vectors))
            if not np.issubdtype(vectors.dtype, np.number) and vectors.dtype != bool:
                raise TypeError(
                    f"SequenceArray: vectors must hold numbers, got dtype {vectors.dtype}."
                )
            error = not_real_error("the vector table", vectors.dtype)
            if error is not None:
                raise error
            check_float_range(vectors, np.float32, "the vector table")
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2:
                raise ValueError(
                    "SequenceArray: vectors must have shape (vocab_size, dim), "
                    f"got {vectors.shape}."
                )
            if len(data) and data.max() >= len(vectors):
                raise ValueError(
                    f"SequenceArray: token id {int(data.max())} is out of range for a "
                    f"vector table of {len(vectors)} rows."
                )
        if vocabulary is not None:
            if kind != "ids":
                raise ValueError("SequenceArray: a vocabulary is only valid with token ids.")
            vocabulary = _checked_vocabulary(vocabulary)
            if vectors is not None and len(vocabulary) != len(vectors):
                raise ValueError(
                    f"SequenceArray: vocabulary has {len(vocabulary)} entries but the "
                    f"vector table has {len(vectors)} rows."
                )
            if len(data) and data.max() >= len(vocabulary):
                raise ValueError(
                    f"SequenceArray: token id {int(data.max())} has no entry in a vocabulary "
                    f"of {len(vocabulary)} tokens; pass the token of every id (entry i is "
                    "the token of id i)."
                )
        if kind == "ids":
            # the table (or vocabulary) bounds vocab_size; bare ids may declare more ids than seen
            rows, what = None, None
            if vectors is not None:
                rows, what = len(vectors), "rows of the vector table"
            elif vocabulary is not None:
                rows, what = len(vocabulary), "tokens of the vocabulary"
            if vocab_size is None:
                vocab_size = int(data.max(initial=-1)) + 1 if rows is None else rows
            elif not isinstance(vocab_size, numbers.Integral) or isinstance(vocab_size, bool):
                raise TypeError(
                    f"SequenceArray: vocab_size must be an integer, got {vocab_size!r}."
                )
            elif not 0 <= vocab_size <= np.iinfo(np.int64).max:
                raise ValueError(
                    f"SequenceArray: vocab_size={vocab_size} must be non-negative and "
                    "within int64 (it counts the ids of the fixed vocabulary)."
                )
            elif rows is not None and vocab_size > rows:
                raise ValueError(
                    f"SequenceArray: vocab_size={vocab_size} must be between 0 and the "
                    f"{rows} {what}."
                )
            elif vectors is None and len(data) and data.max() >= vocab_size:
                raise ValueError(
                    f"SequenceArray: token id {int(data.max())} is out of range for "
                    f"vocab_size={vocab_size}; without a vector table every id must be "
                    "below vocab_size."
                )
        elif vocab_size is not None:
            raise ValueError("SequenceArray: vocab_size is only valid with token ids.")
        self._data, self._offsets, self._kind = data, offsets, kind
        # the vector table and the vocabulary, possibly in two parts (see _with_rows)
        self._table, self._rows = vectors, None
        self._words, self._n_words, self._new_words = vocabulary, None, None
        self._vocab_size = None if vocab_size is None else int(vocab_size)

    _PARTS = ("_table", "_rows", "_words", "_n_words", "_new_words")

    # data, offsets and kind are read-only (a new container is built instead): an
    # assignment would bypass the constructor's checks, as offsets that decrease
    data = _read_only("data", "All sequences concatenated.")
    offsets = _read_only("offsets", "Offsets of the sequences in data.")
    kind = _read_only("kind", '"ids" or "numeric".')

    @property
    def vocab_size(self):
        """Size of the fixed vocabulary, or None for numeric steps."""
        return self._vocab_size

    @vocab_size.setter
    def vocab_size(self, value):  # checked as the constructor checks it
        checked = SequenceArray(
            self.data,
            self.offsets,
            vectors=self._table_rows() if self._table is not None else None,
            vocabulary=self.vocabulary,
            vocab_size=value,
        )
        self._vocab_size = checked._vocab_size

    @classmethod
    def _with_rows(cls, data, offsets, table, words, rows, new_words, vocab_size):
        """Ids over a shared ``table`` (and its list of ``words``) plus ``rows``
        (None for none) and their ``new_words`` appended for this container only,
        kept apart: joining them would copy the whole table on each transform
        call. ``vectors`` and ``vocabulary`` join them on first access."""
        n_rows = len(table) + (0 if rows is None else len(rows))
        out = cls(data, offsets, vocab_size=n_rows)  # checks the ids against the rows
        rows = None if rows is None or not len(rows) else np.asarray(rows, dtype=np.float32)
        out._table, out._rows = np.asarray(table, dtype=np.float32), rows
        out._words, out._n_words, out._new_words = words, len(words), list(new_words)
        out._vocab_size = int(vocab_size)
        return out

    def _sharing(self, data, offsets):
        """A container of other ``data`` (a subset of this one's) over this one's
        table and vocabulary, shared rather than copied and checked again."""
        out = SequenceArray(data, offsets)
        for name in self._PARTS + ("_vocab_size",):
            setattr(out, name, getattr(self, name))
        return out

    @property
    def vectors(self):
        """The vector table, ``(n_rows, dim)`` float32, or None: the
        ``vocab_size`` rows of the fixed vocabulary, then any rows appended for
        this container only, kept apart from the shared table until this is
        first read, which joins them into one (copied) array."""
        if self._rows is not None:  # rows kept apart until asked for (see _with_rows)
            self._table, self._rows = np.concatenate([self._table, self._rows]), None
        return self._table

    @vectors.setter
    def vectors(self, value):
        self._assign(value, self.vocabulary)

    @property
    def vocabulary(self):
        """The token of each id (a list, one entry per row of ``vectors``
        where there is a table), or None."""
        if self._new_words is not None:  # the shared list may have grown since
            self._words = self._words[: self._n_words] + self._new_words
            self._new_words = None
        return self._words

    @vocabulary.setter
    def vocabulary(self, value):
        self._assign(self.vectors, value)

    def _assign(self, vectors, vocabulary):
        """A new table or vocabulary, checked as the constructor checks them;
        ``vocab_size`` is kept while the table keeps its rows (or there is none)
        and it still fits, else set to the constructor's default."""
        checked = None
        if vectors is None or len(vectors) == self._n_rows:
            try:
                checked = SequenceArray(
                    self.data,
                    self.offsets,
                    vectors=vectors,
                    vocabulary=vocabulary,
                    vocab_size=self.vocab_size,
                )
            except ValueError:  # it does not fit (or another error, raised again below)
                pass
        if checked is None:
            checked = SequenceArray(self.data, self.offsets, vectors=vectors, vocabulary=vocabulary)
        self._table, self._rows = checked._table, None
        self._words, self._n_words, self._new_words = checked._words, None, None
        self._vocab_size = checked._vocab_size

    def __setstate__(self, state):
        # containers pickled before the table's parts were kept apart
        state = dict(state)
        state.setdefault("_table", state.pop("vectors", None))
        state.setdefault("_words", state.pop("vocabulary", None))
        for name in ("data", "offsets", "kind", "vocab_size"):  # before they were read-only
            if name in state:
                state["_" + name] = state.pop(name)
        self.__dict__.update({name: None for name in self._PARTS} | state)

    @property
    def _n_rows(self):
        """Rows of the vector table (0 without one), without joining it."""
        if self._table is None:
            return 0
        return len(self._table) + (0 if self._rows is None else len(self._rows))

    def _table_parts(self, start=0, stop=None):
        """Rows ``start:stop`` of the vector table as views of its parts (one or
        two arrays), without joining them."""
        n = len(self._table)
        stop = self._n_rows if stop is None else stop
        parts = [self._table[start:stop]]
        if self._rows is not None and stop > n:
            parts.append(self._rows[max(start - n, 0) : stop - n])
        return [p for p in parts if len(p)] or parts[:1]

    def _table_rows(self, start=0, stop=None):
        """Rows ``start:stop`` of the vector table, joined only where the range
        spans both parts."""
        parts = self._table_parts(start, stop)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)

    def _lookup(self, ids):
        """The vector of each id, ``(len(ids), dim)``, without joining the table."""
        if self._rows is None:
            return self._table[ids]
        n = len(self._table)
        beyond = ids >= n
        out = np.empty((len(ids), self._table.shape[1]), dtype=self._table.dtype)
        out[~beyond] = self._table[ids[~beyond]]
        out[beyond] = self._rows[ids[beyond] - n]
        return out

    def _fixed_sample(self, n=64):
        """``n`` entries spread over the fixed vocabulary, its first and last
        among them, which tell two vocabularies apart without reading them whole
        (see ``_sample_at``)."""
        size = self.vocab_size
        return self._sample_at(
            np.unique(np.linspace(0, size - 1, min(size, n)).round().astype(np.int64))
        )

    def _sample_at(self, positions):
        """``{"positions": positions, "words": ..., "rows": ...}``: the words and
        the table's rows at ``positions``, each None where the container has none,
        read without joining the table or the vocabulary."""
        words = None
        if self._words is not None:
            joined = self._new_words is None
            words = [
                self._words[i]
                if joined or i < self._n_words
                else self._new_words[i - self._n_words]
                for i in positions.tolist()
            ]
        rows = None if self._table is None else self._lookup(positions)
        return {"positions": positions, "words": words, "rows": rows}

    @property
    def _n_vocabulary(self):
        """Entries of the vocabulary (0 without one), without joining it."""
        if self._words is None:
            return 0
        if self._new_words is None:
            return len(self._words)
        return self._n_words + len(self._new_words)

    # ------------------------------------------------------------------ build
    @classmethod
    def from_sequences(
        cls, sequences, *, vectors=None, vocabulary=None, vocab_size=None, dtype=None
    ):
        """Build a container from a list of sequences.

        Parameters
        ----------
        sequences : list of array-like
            Each element is a 1D sequence of token ids, or a numeric sequence
            of shape ``(n_timesteps_i,)`` (one feature) or
            ``(n_timesteps_i, n_features)``.
        vectors : array-like of shape (vocab_size, dim), default=None
            Vector table for token ids.
        vocabulary : sequence of str, default=None
            The token of each id.
        vocab_size : int, default=None
            Size of the fixed vocabulary: rows of ``vectors``, or ids without
            a table (see the class).
        dtype : dtype, default=None
            Force the dtype of the data; by default integer sequences without
            ``vectors`` become ids only when ``vectors``, ``vocabulary`` or
            ``vocab_size`` is given, and anything else becomes float32 numeric
            steps.

        Returns
        -------
        X : SequenceArray
        """
        if isinstance(sequences, (str, bytes)):
            raise TypeError("from_sequences expects a list of sequences, got a single string.")
        seqs, columns = [], {}  # the column labels of DataFrames, for messages
        for i, s in enumerate(sequences):
            if hasattr(s, "detach"):  # (a check per sequence: a million may come)
                s = readable_tensor(s)
            elif hasattr(s, "columns"):
                columns[i] = list(s.columns)
            try:
                seqs.append(np.asarray(s))
            except ValueError:  # numpy's "inhomogeneous shape"
                raise ValueError(
                    f"Sequence {i} is not a regular array: its steps have different "
                    "numbers of features. Give every step of every sequence the same "
                    "number of features."
                ) from None
        ids = (
            vectors is not None
            or vocabulary is not None
            or vocab_size is not None
            or (dtype is not None and np.issubdtype(np.dtype(dtype), np.integer))
        )
        lengths = np.array([len(s) if s.ndim else 1 for s in seqs], dtype=np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        if ids:
            for i, s in enumerate(seqs):
                if s.ndim != 1 or (s.size and not np.issubdtype(s.dtype, np.integer)):
                    raise TypeError(
                        f"Sequence {i} is not a 1D sequence of integer token ids "
                        f"(shape {s.shape}, dtype {s.dtype})."
                    )
            data = (
                np.concatenate([s.astype(np.int64) for s in seqs])
                if seqs
                else np.zeros(0, np.int64)
            )
            return cls(data, offsets, vectors=vectors, vocabulary=vocabulary, vocab_size=vocab_size)
        n_features = None
        parts = []
        for i, s in enumerate(seqs):
            if s.dtype.kind in "USO":  # numbers as strings (a CSV) or Python objects
                try:
                    s = s.astype(np.float64)
                except (TypeError, ValueError):
                    pass
                except OverflowError:  # a Python int beyond float64
                    raise ValueError(
                        f"Sequence {i} holds a number too large for a float; scale or clip "
                        "the values first."
                    ) from None
            if s.dtype.kind in "mMc":
                raise not_real_error(f"Sequence {i}", s.dtype)
            if s.dtype == object or not (np.issubdtype(s.dtype, np.number) or s.dtype == bool):
                where = _first_category(s, columns.get(i))
                raise TypeError(
                    f"Sequence {i} is not numeric (dtype {s.dtype}); every element of a "
                    "ragged input must be a numeric array of shape (n_timesteps,) or "
                    f"(n_timesteps, n_features).{where}"
                )
            if s.ndim == 0:
                s = s.reshape(1, 1)
            elif s.ndim == 1:
                s = s.reshape(-1, 1)
            elif s.ndim != 2:
                raise ValueError(
                    f"Sequence {i} has {s.ndim} dimensions; each sequence must be "
                    "(n_timesteps,) or (n_timesteps, n_features)."
                )
            if n_features is None and len(s):
                n_features = s.shape[1]
            if len(s) and s.shape[1] != n_features:
                raise ValueError(
                    f"Sequence {i} has {s.shape[1]} features but earlier sequences "
                    f"have {n_features}; all sequences need the same number of features."
                )
            parts.append(s)
        if n_features is None:
            n_features = max((s.shape[1] for s in parts), default=1)
        parts = [p if len(p) else np.zeros((0, n_features)) for p in parts]
        out_dtype = np.dtype(dtype or np.float32)
        if not parts:
            return cls(np.zeros((0, n_features), dtype=out_dtype), offsets)
        data = np.concatenate(parts)
        if np.issubdtype(out_dtype, np.floating):
            check_float_range(data, out_dtype, "the sequences")
        return cls(data.astype(out_dtype, copy=False), offsets)

    # ------------------------------------------------------------- properties
    @property
    def lengths(self):
        return np.diff(self.offsets)

    @property
    def n_samples(self):
        return len(self.offsets) - 1

    @property
    def shape(self):
        """``(n_samples,)``: the container indexes like a 1D array of sequences."""
        return (self.n_samples,)

    @property
    def ndim(self):
        return 1

    @property
    def n_features(self):
        """Features per step: the vector dimension for ids with a table, 1 for
        bare ids, ``data.shape[1]`` for numeric steps."""
        if self.kind == "numeric":
            return self.data.shape[1]
        return 1 if self._table is None else self._table.shape[1]

    @property
    def nbytes(self):
        """Bytes held by the data, offsets and vector table, the rows
        appended beyond ``vocab_size`` included."""
        return (
            self.data.nbytes
            + self.offsets.nbytes
            + (0 if self._table is None else self._table.nbytes)
            + (0 if self._rows is None else self._rows.nbytes)
        )

    def __len__(self):
        return self.n_samples

    def __array__(self, dtype=None, copy=None):
        """A 1D object array of the sequences (as ``pandas.Series(X)`` asks for);
        a numeric array cannot hold sequences of different lengths."""
        if dtype is None or np.dtype(dtype) == object:
            if copy is False:
                raise ValueError("A SequenceArray cannot become a numpy array without a copy.")
            out = np.empty(self.n_samples, dtype=object)
            out[:] = self.to_list()
            return out
        raise TypeError(
            f"A SequenceArray holds sequences (of lengths that may differ) and cannot be "
            f"turned into one {np.dtype(dtype)} array, so estimators that need a 2D array (or "
            "meta-estimators that check X as one) cannot take it. Pass it to this "
            "package's sequence estimators, or make a fixed-length array with "
            "to_padded() or a transformer's output='mean'."
        )

    def __repr__(self):
        if self.kind == "ids":
            extra = f", vocab_size={self.vocab_size}"
            if self._table is not None:
                extra += f", dim={self._table.shape[1]}"
        else:
            extra = f", n_features={self.n_features}"
        return (
            f"SequenceArray(n_samples={self.n_samples}, kind={self.kind!r}, "
            f"n_tokens={len(self.data)}{extra})"
        )

    # --------------------------------------------------------------- indexing
    def __getitem__(self, key):
        if isinstance(key, tuple):  # scikit-learn's _safe_indexing uses X[key, ...]
            if len(key) == 2 and key[1] is Ellipsis:
                key = key[0]
            else:
                raise IndexError("SequenceArray supports indexing along samples only.")
        n = self.n_samples
        if isinstance(key, numbers.Integral) and not isinstance(key, bool):
            if not -n <= key < n:
                raise IndexError(f"index {key} is out of bounds for {n} sequences")
            idx = np.array([key % n])
        elif isinstance(key, slice):
            idx = np.arange(n)[key]
        else:
            key = np.asarray(key)
            if key.dtype == bool:
                if key.shape != (n,):
                    raise IndexError(
                        f"boolean index of shape {key.shape} does not match {n} sequences; "
                        "a boolean mask needs one entry per sequence."
                    )
                idx = np.flatnonzero(key)
            else:
                idx = key
        return self.take(idx)

    def take(self, indices):
        """Return the sequences at ``indices`` as a new container.

        Parameters
        ----------
        indices : array-like of int
            Positions of the sequences, in the order wanted (negative ones
            count from the end; repeats allowed).

        Returns
        -------
        X : SequenceArray
            The selected sequences, sharing this container's table and
            vocabulary.
        """
        indices = np.asarray(indices)
        if indices.size and not np.issubdtype(indices.dtype, np.integer):
            raise IndexError(
                f"SequenceArray positions must be integers, got dtype {indices.dtype}; "
                "select with a boolean mask as X[mask]."
            )
        if indices.ndim > 1:
            raise IndexError(
                "an integer index must be 1D (one position per sequence), got "
                f"shape {indices.shape}"
            )
        n = self.n_samples
        # bounds before the cast: a huge unsigned position would wrap to a valid one
        if indices.size and (int(indices.min()) < -n or int(indices.max()) >= n):
            raise IndexError(f"index out of bounds for {n} sequences")
        indices = indices.astype(np.int64, copy=False)
        indices = indices % n if n else indices
        starts, lengths = self.offsets[indices], self.lengths[indices]
        new_offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
        total = int(new_offsets[-1])
        # flat gather: position of every kept token in the old data, without a Python loop
        pos = np.arange(total, dtype=np.int64) - np.repeat(new_offsets[:-1] - starts, lengths)
        return self._sharing(self.data[pos], new_offsets)

    def __iter__(self):
        for i in range(self.n_samples):
            yield self.data[self.offsets[i] : self.offsets[i + 1]]

    def to_list(self):
        """Return the sequences as a list of arrays.

        Returns
        -------
        sequences : list of ndarray
            One array per sequence: a view into ``data`` of shape
            ``(n_timesteps_i,)`` (ids) or ``(n_timesteps_i, n_features)``.
        """
        return list(iter(self))

    def to_padded(self, max_length=None, *, padding_value=0, lookup=False):
        """Return a padded dense array and the lengths.

        Parameters
        ----------
        max_length : int, default=None
            Pad or truncate every sequence to this length; by default the
            longest sequence.
        padding_value : scalar, default=0
            Value written after the end of each sequence.
        lookup : bool, default=False
            For token ids with a vector table, return vectors
            ``(n_samples, max_length, dim)`` instead of ids.

        Returns
        -------
        padded : ndarray of shape (n_samples, max_length) or (n_samples, max_length, n_features)
        lengths : ndarray of shape (n_samples,)
            Kept length of each sequence (after truncation).
        """
        if max_length is not None and (
            not isinstance(max_length, numbers.Integral)
            or isinstance(max_length, bool)
            or max_length < 0
        ):
            raise ValueError(
                f"max_length must be a non-negative integer or None, got {max_length!r}."
            )
        if self.kind == "ids" and not lookup:
            if not isinstance(padding_value, numbers.Integral):
                hint = "" if self._table is None else ", or lookup=True to pad the vectors"
                raise TypeError(
                    f"padding_value={padding_value!r} cannot be written among integer token "
                    f"ids; pass an integer{hint}."
                )
        elif not isinstance(padding_value, numbers.Real):
            raise TypeError(
                f"padding_value must be a number, got {padding_value!r} (use np.nan to pad "
                "with NaN)."
            )
        lengths = self.lengths
        L = int(lengths.max(initial=0)) if max_length is None else int(max_length)
        kept = np.minimum(lengths, L)
        t = np.arange(L)
        mask = t[None, :] < kept[:, None]
        src = self.offsets[:-1, None] + t[None, :]
        if self.kind == "ids" and lookup:
            if self._table is None:
                raise ValueError("lookup=True needs a vector table.")
            out = np.full((self.n_samples, L, self.n_features), padding_value, np.float32)
            out[mask] = self._lookup(self.data[src[mask]])
        elif self.kind == "ids":
            out = np.full((self.n_samples, L), padding_value, dtype=self.data.dtype)
            out[mask] = self.data[src[mask]]
        else:
            out = np.full((self.n_samples, L, self.data.shape[1]), padding_value, self.data.dtype)
            out[mask] = self.data[src[mask]]
        return out, kept

    def __eq__(self, other):
        if not isinstance(other, SequenceArray):
            return NotImplemented
        same_vec = (self.vectors is None and other.vectors is None) or (
            self.vectors is not None
            and other.vectors is not None
            and np.array_equal(self.vectors, other.vectors)
        )
        return (
            self.kind == other.kind
            and np.array_equal(self.offsets, other.offsets)
            and np.array_equal(self.data, other.data)
            and same_vec
            and self.vocabulary == other.vocabulary
            and self.vocab_size == other.vocab_size
        )

    __hash__ = None
