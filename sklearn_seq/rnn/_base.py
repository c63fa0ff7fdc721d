"""One shared implementation for the six recurrent estimators: input handling,
the training loop, prediction and persistence."""

import contextlib
import datetime
import numbers
import os
import sys
import threading
import time
from collections.abc import Iterator
from numbers import Integral, Real

import numpy as np
import torch
from scipy.sparse import issparse
from sklearn.base import BaseEstimator, _fit_context
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import (
    _check_feature_names,
    _check_sample_weight,
    check_array,
    check_is_fitted,
    validate_data,
)

from .._device import may_use_gpu, resolve_device, tensor_view
from .._fit_state import check_params_read, deepcopy_with_training_state, keep_state_on_error
from .._frames import items_to_pandas
from .._sequences import (
    CATEGORY_ADVICE,
    CODES_AS_IDS,
    SequenceArray,
    check_float_range,
    decimal_comma,
    not_real_error,
    readable_tensor,
)
from .._text import is_number
from .._warnings import warn
from ._module import SequenceNet


# ----------------------------------------------------------------------------- input
def _is_ragged_list(X):
    """A list/tuple of per-sample sequences whose lengths differ or whose
    elements are 2D (n_timesteps, n_features) arrays."""
    if not isinstance(X, (list, tuple)) or len(X) == 0:
        return False
    first = X[0]
    if isinstance(first, (str, bytes)):
        return False
    if not hasattr(first, "__len__"):  # single values: a 1D X, unless sequences follow
        _check_not_mixed(X)
        return False
    if isinstance(first, np.ndarray) or torch.is_tensor(first) or hasattr(first, "iloc"):
        if np.ndim(first) == 0:
            return False  # single values: a 1D X, refused as such by validate_data
        return True  # a list of arrays is a list of sequences, even of one length
    _check_not_mixed(X)
    lengths = {len(s) for s in X}
    if len(lengths) > 1 or lengths == {0}:  # all empty: zero-length sequences
        return True
    try:
        np.ndim(first)
    except ValueError:  # steps of different widths: from_sequences names the sequence
        return True
    return False


def _is_sequence_column(X):
    """A pandas Series or 1D object array of per-sample sequences."""
    return (hasattr(X, "iloc") and getattr(X, "ndim", 2) == 1) or (
        isinstance(X, np.ndarray) and X.ndim == 1 and X.dtype == object
    )


def _check_not_mixed(X):
    """Refuse a list of sequences in which some elements are single values."""
    single = [not hasattr(s, "__len__") or isinstance(s, (str, bytes)) for s in X]
    if any(single) and not all(single):
        i = single.index(True)
        raise TypeError(
            f"X mixes sequences and single values: element {i} is a "
            f"{type(X[i]).__name__}. Pass one sequence (an array or list of steps) per sample."
        )


def _holds_text(X):
    """Documents or token lists rather than sequences of numbers: the first
    string or bytes (among the first values looked at) that does not read as a
    number (those that do, scikit-learn's validation converts, as for
    MLPClassifier), or None; and whether numbers sit beside it (categories among
    numeric step features rather than documents)."""
    # steps: the values are a sample's steps (not documents); table: a frame or an
    # array, whose numbers may be text (a CSV read as str), unlike a list of token lists
    values, steps, table = [], True, True
    if hasattr(X, "iloc") and getattr(X, "ndim", 1) == 2:  # a DataFrame: its first rows
        rows = X.iloc[: max(1, _PEEK // max(X.shape[1], 1))]
        values, steps = rows.to_numpy(dtype=object).ravel().tolist(), X.shape[1] > 1
    elif isinstance(X, np.ndarray):
        values = X.flat[:_PEEK].tolist() if X.dtype.kind in "USO" else []
        steps = X.ndim > 1
    elif isinstance(X, (list, tuple)) and len(X):
        table = False
        if isinstance(X[0], (str, bytes)):
            values, steps = list(X[:_PEEK]), False
        else:  # token lists: the first values of the first samples
            for sample in X[:_PEEK]:
                if isinstance(sample, np.ndarray) and sample.ndim:
                    values.extend(sample.ravel()[:_PEEK].tolist())
                elif isinstance(sample, (list, tuple)):
                    values.extend(sample[:_PEEK])
                if len(values) >= _PEEK:
                    break
    word = _has_words(values)
    # (a missing document, NaN, is no number beside the words)
    mixed = word is not None and steps and any(_is_value(v, table) for v in values)
    return word, mixed


def _is_value(v, text=False):
    """A number (or a bool; with ``text``, a string that reads as one) that is not NaN."""
    if text and isinstance(v, (str, bytes)):
        return is_number(v) and float(v) == float(v)
    return isinstance(v, numbers.Number) and v == v


_PEEK = 100


def _text_error(estimator, word, mixed):
    """What to do with strings in X: categories beside numbers are encoded as
    numbers; documents go through a transformer (before a recurrent estimator,
    which embeds the ids: never through SequenceScaler)."""
    name = type(estimator).__name__
    comma = decimal_comma(word)
    if comma:
        return TypeError(f"X holds {comma}")
    stray = (
        f"If they are numbers read as text (a CSV column with a stray value such as "
        f"{word!r:.20}), convert them to numbers and impute or drop what does not parse, e.g. "
        "with pandas.to_numeric(..., errors='coerce')."
    )
    found = f"X holds strings that are not numbers ({word!r:.40})"
    if not isinstance(estimator, BaseSequenceEstimator):  # SequenceScaler: numbers only
        advice = CATEGORY_ADVICE if mixed else stray
        return TypeError(
            f"{name} scales numeric sequences, but {found}. {advice} Text needs no scaling: "
            "give it to a transformer before the recurrent estimator, e.g. "
            "make_pipeline(SequenceVectorizer(), GRUClassifier())."
        )
    if mixed:
        return TypeError(f"{found} beside numbers. {CATEGORY_ADVICE} {stray}")
    return TypeError(
        f"{name} got text: {found}. Turn documents into sequences first, in a pipeline: "
        f"make_pipeline(W2VTransformer(), {name}()) for word vectors, or "
        f"make_pipeline(SequenceVectorizer(), {name}()) to learn an embedding. {stray}"
    )


def _has_words(values):
    """The first of ``values`` that is a string or bytes but not a number, or None."""
    return next((v for v in values if isinstance(v, (str, bytes)) and not is_number(v)), None)


def _as_array(read, X, **kw):
    """``read(X, **kw)`` (check_array / validate_data) with numpy's and
    scikit-learn's messages for sequences of different shapes, nested cells and
    missing values replaced by ones that say what to pass."""
    try:
        return read(X, **kw)
    except ValueError as exc:
        msg = str(exc)
        if "inhomogeneous" in msg or "array element with a sequence" in msg:
            if isinstance(X, (list, tuple)):  # name the sequence, as for a ragged list
                try:
                    SequenceArray.from_sequences(X)
                except (TypeError, ValueError) as inner:
                    raise type(inner)(f"Invalid ragged input: {inner}") from None
            raise ValueError(
                "X could not be read as one array: its sequences have different shapes, "
                "or its cells hold sequences (a nested DataFrame). Pass a list with one "
                "array per sample, each of shape (n_timesteps_i,) or (n_timesteps_i, "
                "n_features) with the same n_features, e.g. [s.to_numpy() for s in "
                "df['column']]."
            ) from None
        if "contains NaN" in msg or "contains infinity" in msg:
            raise ValueError(
                "X contains NaN or infinity. If NaN pads sequences of different lengths, "
                "pass a list with one array per sample at its true length instead; "
                "otherwise impute or drop the missing values before fitting."
            ) from None
        if "features, but" in msg and "is expecting" in msg:  # validate_data, at predict
            raise ValueError(
                f"{msg} A 2D array is read as univariate sequences of one length (the "
                "number of columns); sequences of other lengths go in a list of 1D arrays, "
                "e.g. list(X)."
            ) from None
        raise


def _check_real(X, what):
    """Refuse dates, durations and complex numbers (of an array, a DataFrame's
    columns, or the first of a list of samples), which scikit-learn's validation
    would turn into floats (a date into microseconds since 1970) or refuse
    without saying why; each ragged sample is checked by ``from_sequences``."""
    for _ in range(2):  # a list of samples, a sample's list of steps
        if isinstance(X, (list, tuple)):
            X = X[0] if len(X) else None
    # a date or duration object (pandas' Timestamp and Timedelta are such subclasses)
    if isinstance(X, (datetime.timedelta, np.timedelta64)):
        X = np.empty(0, dtype="m8")
    elif isinstance(X, (datetime.date, np.datetime64)):
        X = np.empty(0, dtype="M8")
    frame = hasattr(X, "dtypes") and getattr(X, "ndim", 1) == 2
    dtypes = list(X.dtypes) if frame else [getattr(X, "dtype", None)]
    for dtype in dtypes:
        error = not_real_error(what, dtype)
        if error is not None:
            raise error


def _to_unit_max(weights):
    """Non-negative ``weights`` divided by their largest (unless all are 0)."""
    largest = weights.max(initial=0.0)
    return weights / largest if largest > 0 else weights


def _check_numeric_sequences(seqs, what):
    """Raise a clear error for NaN/inf, or values float32 cannot hold, in a
    numeric SequenceArray (the networks compute in float32)."""
    if seqs.kind != "numeric":
        return
    if not np.isfinite(seqs.data).all():
        raise ValueError(
            f"{what} contains NaN or infinity. Impute or drop the missing values before "
            "fitting, e.g. a forward fill within each sequence, in the pipeline (the user "
            "guide's 'Missing values')."
        )
    check_float_range(seqs.data, np.float32, what)


_LARGE_RMS = 100.0  # sunspot numbers (RMS 64) train; ten times them lose a third of the MAE
_LARGE_OFFSET = 10  # a mean above this, five times the spread: an offset to remove
_OFFSET_RATIO = 25  # whatever the mean: pH 7.2 +- 0.05 trains at chance
_SMALL_RMS = 1e-2  # (word vectors: 0.05-0.5) features a hundred times below unit scale
_SMALL_LENGTH = 0.1  # word vectors: 100 entries of 0.01 (little text); unit-length ones: 1
_FLAG_ON = 0.9  # a 0/1 flag on in 99.5% of the steps, its 0s the signal: chance raw, 1.00 scaled


def _about(x):
    """Two significant digits: the folds of one dataset mostly give the same text."""
    return f"{float(f'{x:.2g}'):g}"


def _warn_faint_table(seqs, estimator):
    """Warn when a frozen vector table's vectors are near zero: the cells barely
    see them (word vectors trained on little text; a table of zeros)."""
    if seqs.kind != "ids" or seqs._table is None or not estimator.freeze_embedding:
        return
    table = seqs._table  # a step's input is a whole vector: its length counts
    length = np.sqrt(np.einsum("ij,ij->", table, table, dtype=np.float64) / max(len(table), 1))
    if length < _SMALL_LENGTH and table.size:
        warn(
            f"X's vector table is small for a recurrent network: its vectors' root mean "
            f"square length is {_about(length)}, which the cells barely see, and "
            "freeze_embedding=True keeps it so (word vectors trained on little text stay "
            "near their small random start; a table of zeros gives every token the same "
            "input). Set freeze_embedding=False to train the vectors with the network, or "
            "train them on more text.",
            UserWarning,
        )


def _whole_codes(column):
    """Whether a column could hold token ids or category codes: whole numbers from 0 or 1."""
    return column.min() in (0, 1) and np.array_equal(column, np.round(column))


_NET = " for a recurrent network"


def _warn_unscaled(seqs, estimator):
    """Warn when a numeric feature's values are far from unit scale, vary little
    around an offset, or are a 0/1 flag that is nearly always on: the cells'
    gates then saturate or barely move, which can leave every prediction the
    same, silently (inputs are not scaled, as in MLPClassifier). Returns whether
    the values may be codes to embed (said so: no padding warning on top)."""
    if seqs.kind != "numeric" or not len(seqs.data):
        return False
    data, n = seqs.data, len(seqs.data)
    # each feature's root mean square and mean, without a squared copy of the data
    rms = np.sqrt(np.einsum("ij,ij->j", data, data, dtype=np.float64) / n)
    mean = data.sum(axis=0, dtype=np.float64) / n
    std = np.sqrt(np.maximum(rms**2 - mean**2, 0))
    level = np.abs(mean)
    high, low = data.max(axis=0), data.min(axis=0)
    # (a constant's std above is rounding, not 0: only a large constant warns)
    varies = high > low
    offset = np.flatnonzero(
        ((level > _LARGE_OFFSET) & (level > 5 * std)) | (varies & (level > _OFFSET_RATIO * std))
    )
    # values tiny, all but a thousandth (one large day among small returns); not a rare
    # flag of 1 (its RMS is small too), nor a feature 0 in almost every step (a border pixel)
    small = [
        j
        for j in np.flatnonzero((rms > 0) & (rms < _SMALL_RMS))
        if np.count_nonzero(data[:, j]) > 0.01 * n
        and np.quantile(np.abs(data[:, j]), 0.999) < 10 * _SMALL_RMS
    ]
    flags = [
        j
        for j in np.flatnonzero((low == 0) & (high == 1) & (mean > _FLAG_ON))
        if np.all((data[:, j] == 0) | (data[:, j] == 1))
    ]
    j = int(np.argmax(rms))
    if rms[j] > _LARGE_RMS:
        kind = "large"
        problem = f"are large{_NET}: feature {j} has a root mean square of {_about(rms[j])}"
    elif small:
        kind, j = "small", small[0]
        problem = f"are small{_NET}: feature {j} has a root mean square of {_about(rms[j])}"
        problem += ", which the cells barely see"
    elif len(offset):
        kind, j = "offset", int(offset[0])
        problem = f"sit far from 0{_NET}: feature {j} is {_about(mean[j])} in every step"
        if varies[j]:
            problem = (
                f"vary little around their level{_NET}: feature {j} has a mean of "
                f"{_about(mean[j])} and varies by only {_about(std[j])} around it (a standard "
                "deviation)"
            )
    elif flags:
        kind, j = "flag", flags[0]
        problem = (
            f"hold a 0/1 flag that is nearly always on{_NET}: feature {j} is 1 in "
            f"{_about(100 * mean[j])}% of the steps, and the cells barely see its rare 0s"
        )
    else:
        return False
    ids = kind == "large" and data.shape[1] == 1 and _whole_codes(data[:, j])
    scale = "over the training steps, in a pipeline: make_pipeline(SequenceScaler(), "
    scale += f"{type(estimator).__name__}())."
    if kind == "flag":  # (on in 99.5%, its 0s the label: chance raw, 1.00 standardised)
        advice = f"Standardise it {scale}"
    elif ids:
        advice = (
            "If they are token ids or category codes (whole numbers, one a step), the network "
            f"reads them as magnitudes: {CODES_AS_IDS}. Otherwise standardise them {scale}"
        )
    else:
        why = "large ones saturate the cells, which can make every prediction the same"
        if kind == "small":
            why = "the cells barely see small ones"
        advice = f"Inputs far from unit scale train poorly ({why}). Standardise them {scale}"
        if varies[j] and _levels_apart(seqs, j):
            advice += (
                " Where each sequence sits at its own level and its moves carry the "
                "information (prices, GPS tracks), difference each sequence's steps, then "
                "standardise: [np.diff(x, axis=0) for x in X], or np.diff(X, axis=1) for a 3D "
                "array (standardising alone keeps the levels apart and shrinks the moves)."
            )
        elif getattr(estimator, "_layout", None) == "2d" and _columns_apart(seqs):
            advice += (
                " If the columns are different measurements rather than time steps, "
                "StandardScaler scales each apart (on wine's 13 columns, about 0.9 accuracy "
                "against 0.6 with one scale)."
            )
    warn(f"X's values {problem}. {advice}", UserWarning)
    return ids


def _levels_apart(seqs, j):
    """Whether feature ``j`` looks like prices or positions: nine tenths of its
    variance or more lies between the sequences' means, and along each sequence
    it moves in small steps (its step-to-step changes under half its spread
    there), so that differencing keeps what standardising shrinks. Frames that
    sit at their class's level and scatter around it are not such."""
    lengths = seqs.lengths
    keep = lengths > 0
    column = seqs.data[:, j].astype(np.float64)
    means = np.add.reduceat(column, seqs.offsets[:-1][keep]) / lengths[keep]
    total = column.var()
    between = np.average((means - column.mean()) ** 2, weights=lengths[keep])
    if not (total > 0 and between >= 0.9 * total):
        return False
    steps = np.diff(column)
    across = seqs.offsets[1:-1] - 1  # the differences from one sequence to the next
    inside = np.ones(len(steps), dtype=bool)
    inside[across[(across >= 0) & (across < len(steps))]] = False
    if not inside.any():
        return False
    return bool(steps[inside].std() < 0.5 * np.sqrt(total - between))


def _columns_apart(seqs):
    """Whether a 2D array's columns differ in scale tenfold or more (different
    measurements, as wine's, rather than the time steps of one series)."""
    n = len(seqs)
    cells = seqs.data.reshape(n, -1)
    scale = np.sqrt(np.einsum("ij,ij->j", cells, cells, dtype=np.float64) / n)
    return scale.max() > 10 * max(scale.min(), np.finfo(np.float64).tiny)


def _padding(seqs):
    """``(n_padded, value)`` when sequences of one length look padded with
    ``value``: most of those with data end in runs of steps whose features all
    equal it (two or more on average), and almost no such step comes before.
    ``value`` is the commonest value that fills a whole last step: 0, or a sentinel
    further from the other values than their range. Else None."""
    lengths = seqs.lengths
    n = len(lengths)
    if seqs.kind != "numeric" or n < 10 or lengths[0] < 3 or (lengths != lengths[0]).any():
        return None
    T = int(lengths[0])
    steps = seqs.data.reshape(n, T, -1)
    last = steps[:, -1, :]
    filled = last[(last == last[:, :1]).all(axis=1), 0]  # last steps of one value
    if not len(filled):
        return None
    values, counts = np.unique(filled, return_counts=True)
    value = values[np.argmax(counts)]
    pad = (steps == value).all(axis=2)  # the steps that hold only the value
    run = np.argmax(~pad[:, ::-1], axis=1)[~pad.all(axis=1)]  # their trailing runs
    ends = run[run > 0]  # (a sequence of the value alone says nothing of padding)
    inside = int(pad.sum()) - int(ends.sum()) - (n - len(run)) * T  # such steps before
    if len(ends) < max(5, len(run) / 2) or ends.mean() < 2 or inside > 0.01 * run.size * T:
        return None
    if value != 0:  # a sentinel lies far outside the data (a ceiling, 4095 or 100%, does not)
        rest = seqs.data[seqs.data != value]
        low, high = (rest.min(), rest.max()) if rest.size else (value, value)
        if not (value < low - (high - low) or value > high + (high - low)):
            return None
    return len(ends), float(value)


def _warn_padding(seqs, n_padded, value):
    """The warning for what ``_padding`` found."""
    what = "are all exactly 0" if value == 0 else f"all equal {value:g}"
    codes = ""
    if seqs.n_features == 1 and _whole_codes(seqs.data[:, 0]):
        codes = f" If the values are token ids or category codes, {CODES_AS_IDS}."
    warn(
        f"{n_padded} of {len(seqs)} sequences of X end in steps whose features {what}, and "
        "almost no such step comes before: if that value pads shorter sequences to one "
        "length, the network reads it as data (a padded array of three classes trained at "
        "chance). Pass the sequences as a list of arrays at their true lengths, e.g. "
        f"[x[:n] for x, n in zip(X, lengths)] with each sequence's length n.{codes}",
        UserWarning,
    )


def _to_sequences(estimator, X, *, reset, continuing=None, precise=False):
    """Turn any accepted input into a SequenceArray (and set/check n_features_in_).

    Accepted: a SequenceArray; a list (or pandas Series, or 1D object array) of
    (n_timesteps_i,) or (n_timesteps_i, n_features) arrays; a 3D array
    (n_samples, n_timesteps, n_features); a 2D array or DataFrame
    (n_samples, n_timesteps) read as univariate sequences. ``continuing`` names
    the call that continues a fitted network (its advice on a mismatch);
    ``precise`` keeps float64 lists in float64 (prediction).
    """
    layout = None
    X = items_to_pandas(X)  # polars and pyarrow frames are checked as pandas ones
    if isinstance(X, (str, bytes)):
        raise TypeError(
            f"X is a single string ({X!r:.40}); pass one sequence per sample (a list or "
            "array). For text, put a transformer before the estimator, e.g. "
            f"make_pipeline(SequenceVectorizer(), {type(estimator).__name__}())."
        )
    if isinstance(X, (Iterator, set, frozenset, dict)) and not issparse(X):  # (dok: a dict)
        raise TypeError(
            f"X is a {type(X).__name__}; pass the sequences as a list (e.g. list(X)), an "
            "array or a SequenceArray."
        )
    if _is_sequence_column(X):
        X = list(X)
    if isinstance(X, (list, tuple)) and len(X) == 0:
        raise ValueError("X has 0 samples; at least one sequence is required.")
    X = readable_tensor(X)
    _check_real(X, "X")
    word, mixed = _holds_text(X)
    if word is not None:
        raise _text_error(estimator, word, mixed)
    if isinstance(X, SequenceArray):
        seqs, layout = X, "sequences"
        if seqs.kind == "numeric" and not np.issubdtype(seqs.data.dtype, np.floating):
            seqs = SequenceArray(seqs.data.astype(np.float32), seqs.offsets)
    elif _is_ragged_list(X):
        # (prediction: float64 values stay float64, as in an array; training reads float32)
        dtype = np.float64 if precise and _float64_items(X, estimator) else None
        try:
            seqs = SequenceArray.from_sequences(X, dtype=dtype)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"Invalid ragged input: {exc}") from None
        layout = "sequences"
    elif getattr(X, "ndim", None) == 3 or (
        isinstance(X, (list, tuple)) and len(X) and np.ndim(X[0]) == 2
    ):
        X = _as_array(check_array, X, allow_nd=True, dtype=[np.float64, np.float32])
        if X.ndim != 3:
            raise ValueError(
                f"Expected a 3D array (n_samples, n_timesteps, n_features), got {X.ndim}D."
            )
        n, T, d = X.shape
        seqs = SequenceArray(X.reshape(n * T, d), np.arange(n + 1, dtype=np.int64) * T)
        layout = "sequences"
    if layout == "sequences":
        _check_numeric_sequences(seqs, "X")
        if len(seqs) == 0:
            raise ValueError("X has 0 samples; at least one sequence is required.")
        if seqs.n_features == 0:
            raise ValueError("X has 0 features per step; each step needs at least one value.")
        if seqs._table is not None:
            # prediction reads only the rows beyond the fitted vocabulary from X
            parts = seqs._table_parts(0 if reset else seqs.vocab_size)
            if not all(np.isfinite(part).all() for part in parts):
                raise ValueError(
                    "X's vector table contains NaN or infinity. Fix or drop those word "
                    "vectors (the transformer's pretrained file) before fitting."
                )
        if reset:
            estimator.n_features_in_ = seqs.n_features
            estimator._layout = "sequences"
            estimator._vocabulary_sample = seqs._fixed_sample() if seqs.kind == "ids" else None
            _check_feature_names(estimator, _first_frame(X), reset=True)
        else:
            with _advising(estimator, continuing):
                _check_same_layout(estimator, seqs)
            if estimator._layout == "sequences":
                _check_feature_names(estimator, _first_frame(X), reset=False)
        return seqs
    # 2D array-like: univariate sequences of n_features_in_ timesteps
    if not reset and getattr(estimator, "_layout", "2d") != "2d":
        X_arr = _as_array(check_array, X, dtype=[np.float64, np.float32])
        if estimator.n_features_in_ != 1 or estimator._kind != "numeric":
            one = ""
            fits = X_arr.shape[1] == estimator.n_features_in_  # (in a continuing fit: 1 sample)
            if estimator._kind == "numeric" and fits and continuing is None:
                one = " For one sequence of shape (n_timesteps, n_features), pass X[None] or [X]."
            raise ValueError(
                f"X is a 2D array, read as univariate sequences (one feature per step), but "
                f"this model was fitted on sequences with {estimator.n_features_in_} "
                f"feature(s) per step ({estimator._kind}). Pass the same kind of input as in "
                f"fit.{one}{_continuing_advice(estimator, continuing)}"
            )
    else:
        with _advising(estimator, continuing, about="is expecting"):  # other time steps
            X_arr = _as_array(
                lambda X, **kw: validate_data(estimator, X, **kw),
                X,
                reset=reset,
                dtype=[np.float64, np.float32],
            )
        if reset:
            estimator._layout, estimator._vocabulary_sample = "2d", None
    n, T = X_arr.shape
    seqs = SequenceArray(X_arr.reshape(n * T, 1), np.arange(n + 1, dtype=np.int64) * T)
    _check_numeric_sequences(seqs, "X")
    return seqs


def _float64_items(X, estimator):
    """Whether a fitted numeric model's ragged X holds float64 values (numpy or torch
    arrays, or anything without a dtype, such as lists of Python floats)."""
    return estimator._kind == "numeric" and any(
        str(getattr(x, "dtype", "float64")) in ("float64", "torch.float64") for x in X
    )


def _first_frame(X):
    """The first DataFrame of a list of per-sample sequences, whose column names
    name the features (every DataFrame in the list must have the same columns),
    else None."""
    if not isinstance(X, (list, tuple)):
        return None
    frames = [(i, x) for i, x in enumerate(X) if hasattr(x, "columns")]
    if not frames:
        return None
    columns = frames[0][1].columns
    for i, x in frames:
        if not x.columns.equals(columns):
            raise ValueError(
                f"X's element {i} has columns {list(x.columns)[:6]} but the first DataFrame "
                f"has {list(columns)[:6]}: the columns are the features of each step, so "
                "every DataFrame needs the same columns in the same order (select them with "
                "df[columns])."
            )
    return frames[0][1]


_SAME_TRANSFORMER = (
    "Transform the text with the transformer the model was fitted with, or refit the model "
    "after refitting (or partially fitting) the transformer."
)


def new_network(estimator):
    """How to train a new network where a call would continue the fitted one."""
    if estimator.warm_start:
        return "set warm_start=False and call fit to train a new network"
    return "call fit to train a new network"


def _continuing_advice(estimator, continuing):
    """For a call that continues the fitted network (``continuing`` names how)."""
    if continuing is None:
        return ""
    return (
        f" ({continuing} continues the fitted network, which needs input like the first "
        f"fit's: {new_network(estimator)} on this input.)"
    )


@contextlib.contextmanager
def _advising(estimator, continuing, about=""):
    """A ValueError raised in the block (whose message holds ``about``), in a call
    that continues the fitted network, says so and how to train a new one."""
    try:
        yield
    except ValueError as exc:
        if continuing is None or about not in str(exc):
            raise
        raise ValueError(f"{exc}{_continuing_advice(estimator, continuing)}") from None


def _check_same_layout(estimator, seqs):
    """Refuse input that the fitted network cannot read as it read fit's."""
    if getattr(estimator, "_layout", None) == "2d":
        if seqs.kind == "numeric" and seqs.n_features == 1:
            return  # fitted on a 2D array, i.e. on univariate sequences: any length works
        given = (
            "token ids"
            if seqs.kind == "ids"
            else f"sequences with {seqs.n_features} features per step"
        )
        raise ValueError(
            f"{type(estimator).__name__} was fitted on a 2D array, read as univariate "
            f"sequences ({estimator.n_features_in_} timesteps of one feature), but X holds "
            f"{given}. Pass univariate sequences, or refit on a 3D array (n_samples, "
            "n_timesteps, n_features) or a list of (n_timesteps, n_features) arrays for "
            "several features."
        )
    if seqs.kind != estimator._kind:
        raise ValueError(
            f"X holds {seqs.kind} sequences but the model was fitted on {estimator._kind} "
            "sequences. Pass the same kind of input as in fit (e.g. the same transformer)."
        )
    fitted = getattr(estimator, "_vocabulary_sample", None)  # None: pickled before it
    if (
        seqs.kind == "ids"
        and fitted is not None
        and (fitted["rows"] is None) != (seqs._table is None)
    ):
        fit_with, x_with = ("with", "without") if seqs._table is None else ("without", "with")
        raise ValueError(
            f"{type(estimator).__name__} was fitted on token ids {fit_with} a vector table, "
            f"but X's token ids come {x_with} one (W2VTransformer, FastTextTransformer and "
            f"GloVeTransformer give a table, SequenceVectorizer none). {_SAME_TRANSFORMER}"
        )
    if seqs.n_features != estimator.n_features_in_:
        raise ValueError(
            f"X has {seqs.n_features} features per step, but {type(estimator).__name__} "
            f"was fitted with {estimator.n_features_in_} features per step."
        )
    if seqs.kind == "ids":
        vocab = estimator.module_.init_kwargs["vocab_size"]
        if seqs._table is not None and seqs.vocab_size != vocab:
            raise ValueError(
                f"X's vector table has a fixed vocabulary of {seqs.vocab_size} rows but the "
                f"model was fitted on {vocab} (a transformer refitted or partially fitted "
                "since, or a change of handle_unknown, which adds or removes the unknown "
                f"row). {_SAME_TRANSFORMER}"
            )
        rows = vocab if seqs._table is None else seqs._n_rows
        if len(seqs.data) and seqs.data.max() >= rows:
            raise ValueError(
                f"X contains token id {int(seqs.data.max())} but the model knows only "
                f"{rows} ids (fitted vocabulary {vocab}). Transform the text with the same "
                "fitted transformer, which maps unknown words to its out-of-vocabulary id."
            )
        if fitted is not None:
            _check_same_vocabulary(estimator, seqs, fitted)


def _check_same_vocabulary(estimator, seqs, fitted):
    """Refuse ids that mean other words than in fit (a transformer refitted on
    other text), or a table whose fixed rows changed, which the model, holding its
    own copy of the fitted rows, would ignore: compared at the entries of
    ``SequenceArray._fixed_sample``."""
    positions = fitted["positions"]
    if not len(positions):
        return
    if fitted["words"] is not None and seqs._words is not None:
        size = seqs._n_vocabulary
        if size <= positions[-1]:
            raise ValueError(
                f"X's vocabulary has {size} tokens, but the model was fitted on one of "
                f"{positions[-1] + 1}. {_SAME_TRANSFORMER}"
            )
        now = seqs._sample_at(positions)
        for i, old, new in zip(positions.tolist(), fitted["words"], now["words"], strict=True):
            if old != new:
                raise ValueError(
                    f"X's token ids mean other words than in fit: id {i} was {old!r}, in X "
                    f"it is {new!r}. {_SAME_TRANSFORMER}"
                )
    if fitted["rows"] is not None and not np.array_equal(seqs._lookup(positions), fitted["rows"]):
        raise ValueError(
            "X's vector table differs from the one the model was fitted with, whose fixed "
            f"rows the model keeps and would use instead. {_SAME_TRANSFORMER}"
        )


# ------------------------------------------------------------------------- device
class _OnDevice:
    """A SequenceArray moved to a device once; batches are index gathers there."""

    def __init__(self, seqs, device, dtype=torch.float32):
        self.lengths = seqs.lengths
        self.n_tokens = int(self.lengths.sum())
        data = tensor_view(seqs.data)
        if seqs.kind == "numeric":
            data = data.to(dtype)
        # one padding row at the end: every padded position gathers it
        pad = torch.zeros((1,) + tuple(data.shape[1:]), dtype=data.dtype)
        self.data = torch.cat([data, pad]).to(device)
        self.starts = torch.from_numpy(seqs.offsets[:-1].copy()).to(device)
        self.lengths_t = torch.from_numpy(self.lengths.copy()).to(device)
        self.device = device

    def batches(self, batches):
        """Yield ``(idx_t, x, lengths)`` per numpy index array in ``batches``:
        the indices on the device and the padded batch gathered there. All the
        indices travel in one copy, so no batch waits for a host-to-device
        transfer (each blocking copy would stall a GPU's queue)."""
        flat = torch.from_numpy(np.concatenate(batches)).to(self.device)
        start = 0
        for idx in batches:
            idx_t = flat[start : start + len(idx)]
            start += len(idx)
            L = max(int(self.lengths[idx].max(initial=0)), 1)
            lens = self.lengths_t[idx_t]
            t = torch.arange(L, device=self.device)
            pos = self.starts[idx_t, None] + t[None, :]
            pos = torch.where(t[None, :] < lens[:, None], pos, self.n_tokens)
            x = self.data.index_select(0, pos.reshape(-1))
            yield idx_t, x.reshape((len(idx), L) + tuple(self.data.shape[1:])), lens


_MIN_GROUP = 32


def _batches(lengths, batch_size, rng, shuffle, groups=None):
    """Length-bucketed batches, shuffled in order (and in tie order).

    With ``groups`` (the classes, or bins of a regression target), samples are
    ordered by their length's rank *within their group*, so every batch keeps
    the groups' mix: where length predicts the label, plain length sorting would
    make batches of one class, and a network trained on them memorises instead
    of learning. Where it does not, the order is nearly the plain length order.
    Groups of fewer than ``_MIN_GROUP`` samples are ranked together: a rank
    among a handful says little about length, and many classes mix anyway.
    """
    n = len(lengths)
    perm = rng.permutation(n) if shuffle else np.arange(n)
    if groups is None:
        key = lengths
    else:
        sizes = np.bincount(groups)
        groups = np.where(sizes[groups] < _MIN_GROUP, len(sizes), groups)
        # sort by (group, length), random tie order; the key is the rank within the group
        order = perm[np.lexsort((lengths[perm], groups[perm]))]
        sizes = np.bincount(groups)
        first = np.concatenate([[0], np.cumsum(sizes)])[groups[order]]
        key = np.empty(n)
        key[order] = (np.arange(n) - first + 0.5) / sizes[groups[order]]
    # equal keys (e.g. small classes) in length order: batches stay length-bucketed
    order = perm[np.lexsort((lengths[perm], key[perm]))]
    # longest first within a batch: the recurrent layers then run the still
    # running sequences as a prefix of the batch (see _module._run)
    batches = [order[i : i + batch_size] for i in range(0, n, batch_size)]
    batches = [b[np.argsort(-lengths[b], kind="stable")] for b in batches]
    if shuffle:
        batches = [batches[i] for i in rng.permutation(len(batches))]
    return batches


_POSITIONS_PER_ROW = 512


def _capped(batches, lengths, rows):
    """Split batches (longest sequence first) of more than ``rows * 512`` padded
    positions. Prediction's memory goes with a batch's rows times its longest
    sequence: 256 rows padded to one 10,000-step outlier took gigabytes."""
    out = []
    for b in batches:
        start = 0
        while start < len(b):  # each piece as many rows as its longest (first) one allows
            per = max(1, rows * _POSITIONS_PER_ROW // max(int(lengths[b[start]]), 1))
            out.append(b[start : start + per])
            start += per
    return out


def _clip_grad_norm(params, max_norm):
    """Scale the gradients in place so that their joint 2-norm is at most ``max_norm``.

    The arithmetic of ``torch.nn.utils.clip_grad_norm_`` (same result, bit for bit)
    with its multi-tensor kernels on every device: on the CPU torch loops over the
    tensors in Python (0.30 ms a step against 0.12 ms here for a 16-unit GRU), and on
    a GPU, where a step is bound by kernel launches, its per-call grouping is skipped.
    """
    grads = [p.grad for p in params if p.grad is not None]
    if not grads:
        return
    total = torch.linalg.vector_norm(torch.stack(torch._foreach_norm(grads)))
    torch._foreach_mul_(grads, torch.clamp(max_norm / (total + 1e-6), max=1.0))


class _Progress:
    """A one-line progress bar for verbose=2, on stdout; where stdout is not a
    terminal (a log file), a line at each quarter of the epoch instead of frames
    joined by carriage returns."""

    def __init__(self, total, epoch):
        self.total, self.epoch, self.done, self.drawn = total, epoch, 0, 0.0
        isatty = getattr(sys.stdout, "isatty", None)
        # a notebook's stream draws carriage returns too, though it is no terminal
        notebook = type(sys.stdout).__module__.startswith("ipykernel")
        self.terminal = notebook or bool(isatty and isatty())

    def update(self):
        self.done += 1
        if not self.terminal:
            if self.done * 4 // self.total > (self.done - 1) * 4 // self.total:
                print(f"Epoch {self.epoch}: {self.done}/{self.total} batches", flush=True)
            return
        now = time.perf_counter()
        if self.done < self.total and now - self.drawn < 0.1:
            return  # at most ten frames a second (a notebook sends a message for each)
        self.drawn = now
        width = 30
        filled = int(width * self.done / self.total)
        sys.stdout.write(
            f"\rEpoch {self.epoch} [{'=' * filled}{' ' * (width - filled)}] "
            f"{self.done}/{self.total} batches"
        )
        if self.done == self.total:
            sys.stdout.write("\n")
        sys.stdout.flush()


# ---------------------------------------------------------------------- estimator
class BaseSequenceEstimator(BaseEstimator):
    """Shared implementation of the recurrent classifiers and regressors."""

    _cell = None  # "rnn", "lstm" or "gru", set by the public classes
    _min_validation_samples = 1  # for early stopping's score (R^2 needs 2)
    _score_name = "score"  # what ``score`` measures, for the verbose lines

    _parameter_constraints: dict = {
        "hidden_size": [Interval(Integral, 1, None, closed="left")],
        "num_layers": [Interval(Integral, 1, None, closed="left")],
        "bidirectional": ["boolean"],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "pooling": [StrOptions({"last", "mean", "max"})],
        "embedding_dim": [Interval(Integral, 1, None, closed="left")],
        "freeze_embedding": ["boolean"],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "learning_rate_init": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "max_iter": [Interval(Integral, 1, None, closed="left")],
        "tol": [Interval(Real, 0, None, closed="left")],
        "n_iter_no_change": [Interval(Integral, 1, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "shuffle": ["boolean"],
        "max_grad_norm": [Interval(Real, 0, None, closed="neither"), None],
        "device": [str, torch.device],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "warm_start": ["boolean"],
    }

    def __init__(
        self,
        *,
        hidden_size=64,
        num_layers=1,
        bidirectional=False,
        dropout=0.0,
        pooling="last",
        embedding_dim=64,
        freeze_embedding=True,
        batch_size=64,
        learning_rate_init=0.005,
        alpha=1e-4,
        max_iter=100,
        tol=1e-4,
        n_iter_no_change=10,
        early_stopping=False,
        validation_fraction=0.1,
        shuffle=True,
        max_grad_norm=5.0,
        device="auto",
        random_state=None,
        verbose=0,
        warm_start=False,
    ):
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bidirectional = bidirectional
        self.dropout = dropout
        self.pooling = pooling
        self.embedding_dim = embedding_dim
        self.freeze_embedding = freeze_embedding
        self.batch_size = batch_size
        self.learning_rate_init = learning_rate_init
        self.alpha = alpha
        self.max_iter = max_iter
        self.tol = tol
        self.n_iter_no_change = n_iter_no_change
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.shuffle = shuffle
        self.max_grad_norm = max_grad_norm
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.warm_start = warm_start

    # --------------------------------------------------------------- sklearn API
    def __sklearn_is_fitted__(self):
        return hasattr(self, "module_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.non_deterministic = may_use_gpu(self.device)
        return tags

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Fit the model to sequences X and targets y.

        Parameters
        ----------
        X : SequenceArray, array-like of shape (n_samples, n_timesteps) or \
                (n_samples, n_timesteps, n_features), or list of arrays
            Training sequences: a :class:`~sklearn_seq.SequenceArray` (token ids,
            possibly with a vector table, or numeric steps), a 2D array or
            DataFrame read as univariate sequences (one column a step), a 3D
            array, or a list (or pandas Series) of arrays or DataFrames of
            shape ``(n_timesteps_i,)`` or ``(n_timesteps_i, n_features)``.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values: class labels, or for multilabel classification a
            0/1 indicator matrix with one column per label (classifiers);
            one column per output (regressors).
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights in the loss.

        Returns
        -------
        self : object
            The fitted estimator.
        """
        return self._fit(X, y, sample_weight, incremental=False)

    # parameters checked on every partial_fit call (scikit-learn's own estimators
    # check only the first): a set_params between calls is caught
    @_fit_context(prefer_skip_nested_validation=True)
    def _partial_fit(self, X, y, sample_weight=None, classes=None):
        if self.early_stopping:  # as MLPClassifier
            raise ValueError(
                "partial_fit does not support early_stopping=True: each call trains one "
                "epoch on the data it is given, with no validation split to stop on. Set "
                "early_stopping=False for partial_fit, or train with fit."
            )
        return self._fit(X, y, sample_weight, incremental=True, classes=classes)

    # ------------------------------------------------------------ training loop
    def _fit(self, X, y, sample_weight, *, incremental, classes=None):
        # a failed call leaves the estimator as it was, the network it continues
        # training (warm start, partial_fit) included: its weights change in place
        module = self.__dict__.get("module_") if incremental or self.warm_start else None
        device = self.__dict__.get("device_")
        trained = [] if module is None else [p for p in module.parameters() if p.requires_grad]
        weights = [p.detach().clone() for p in trained]
        # Adam's state is loaded, hence updated in place, only when training continues
        deep = ("_random_state",) + (() if module is None else ("_optimizer_state",))
        with keep_state_on_error(self, deep=deep):
            try:
                return self._fit_inner(X, y, sample_weight, incremental, classes)
            except BaseException:
                if module is not None:
                    module.to(torch.device(device))  # moved by a change of device
                with torch.no_grad():
                    for p, w in zip(trained, weights, strict=True):
                        p.copy_(w)
                raise

    def _fit_inner(self, X, y, sample_weight, incremental, classes):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None."
            )
        first_pass = not hasattr(self, "module_") or (not incremental and not self.warm_start)
        continuing = None if first_pass else "partial_fit" if incremental else "warm_start=True"
        if not first_pass:
            self._check_same_network(continuing)
            device = resolve_device(self.device)
            if device != torch.device(self.device_):  # set_params(device=...) between calls
                self.module_.to(device)  # Adam's state follows the weights when loaded
                self.device_ = str(device)
        seqs = _to_sequences(self, X, reset=first_pass, continuing=continuing)
        if first_pass or not incremental:  # every fit; not again for each partial_fit chunk
            _warn_faint_table(seqs, self)
            pad = _padding(seqs)
            # a sentinel's size is no scale to fix (the next fit, at true lengths, checks
            # the data's); codes to embed are told to take their true lengths
            said_codes = (pad is None or pad[1] == 0) and _warn_unscaled(seqs, self)
            if pad is not None and not said_codes:
                _warn_padding(seqs, *pad)
        warm = not (first_pass or incremental)  # a warm-started fit
        # tensors as their numpy values (check_array reads a float32 tensor as float64)
        y, sample_weight = (
            v.numpy() if torch.is_tensor(v) else v for v in map(readable_tensor, (y, sample_weight))
        )
        y = self._validate_y(y, len(seqs), first_pass, classes, warm)
        # float64 until normalised: uniform weights of 1e-50 or 1e39 are valid
        # (a numpy stand-in for X: scikit-learn asks X for its array namespace, which
        # a SequenceArray has not under array_api_dispatch)
        sample_weight = _check_sample_weight(sample_weight, np.empty(len(seqs)), dtype=np.float64)
        if (sample_weight < 0).any():
            raise ValueError(
                "sample_weight has negative values; a weight scales a sample's loss, so "
                "it must be >= 0 (use 0 to leave a sample out)."
            )
        # each scaled to at most 1 first: weights of 1e307 would overflow the mean
        sample_weight = _to_unit_max(sample_weight) * _to_unit_max(self._class_sample_weight(y))
        if sample_weight.sum() <= 0:
            raise ValueError(
                "The sample weights (sample_weight times class_weight) sum to zero: at "
                "least one sample needs a positive weight."
            )
        sample_weight = sample_weight / sample_weight.mean()
        y = self._standardise_targets(y, sample_weight, first_pass)

        if first_pass:
            self._random_state = check_random_state(self.random_state)
            self.device_ = str(resolve_device(self.device))
            self._kind = seqs.kind
            self.loss_curve_ = []
            self.n_iter_ = 0
            self.t_ = 0
            self._no_improvement_count = 0
            self.best_loss_ = np.inf  # None under early stopping: set below
            self.validation_scores_ = [] if self.early_stopping else None
            self.best_validation_score_ = -np.inf if self.early_stopping else None
            self._best_state = None
        elif not self.early_stopping:
            # the weights move on from the best validation epoch's: no best score holds
            self.best_validation_score_, self._best_state = None, None
        elif self.best_validation_score_ is None:  # turned on for a warm start
            if self.validation_scores_ is None:
                self.validation_scores_ = [np.nan] * len(self.loss_curve_)  # one per epoch
            self.best_validation_score_ = -np.inf
        if self.early_stopping:
            self.best_loss_ = None  # as MLPClassifier: the validation score is tracked instead
        elif self.best_loss_ is None:
            self.best_loss_ = np.inf  # early stopping turned off: track the loss
        device = torch.device(self.device_)
        seed = int(self._random_state.randint(np.iinfo(np.int32).max))
        # training needs autograd whatever the caller's mode (torch.no_grad(),
        # inference_mode) and float32 whatever the default dtype
        out_of_memory = False
        with _seeded_torch(seed, device), torch.enable_grad(), torch.inference_mode(False):
            try:
                if first_pass:
                    self._network = self._network_params(seqs)
                    self.module_ = self._build_module(seqs, device)
                    self._optimizer_state = None
                self._train(seqs, y, sample_weight, device, incremental)
            except torch.cuda.OutOfMemoryError:
                # raised outside the handler: the error would hold the training's
                # frames, and so its tensors on the GPU, for as long as it is kept
                out_of_memory = True
        if out_of_memory:
            raise RuntimeError(
                f"The GPU ran out of memory while training on {self.device_}. Lower "
                "batch_size or hidden_size, truncate the longest sequences, or use "
                "device='cpu'."
            )
        return self

    def _network_params(self, seqs):
        """The parameters that shape the network fitted on ``seqs``."""
        names = ["hidden_size", "num_layers", "bidirectional", "dropout", "pooling"]
        if hasattr(self, "nonlinearity"):
            names.append("nonlinearity")
        if seqs.kind == "ids":
            names.append("embedding_dim" if seqs._table is None else "freeze_embedding")
        return {name: getattr(self, name) for name in names}

    def _check_same_network(self, continuing):
        """warm_start and partial_fit continue the fitted network: refuse
        parameters that would need another one."""
        changed = [
            f"{name}={getattr(self, name)!r} (fitted with {value!r})"
            for name, value in getattr(self, "_network", {}).items()
            if getattr(self, name) != value
        ]
        if changed:
            raise ValueError(
                f"{'; '.join(changed)}: {continuing} continues the fitted network, which "
                f"these parameters would change. Set them back, or {new_network(self)}."
            )

    def _build_module(self, seqs, device):
        """The network for ``seqs`` on ``device``; a failure to allocate it (other
        than the GPU's out-of-memory error, reported with the training's) is a
        ``ValueError`` that names the sizes to lower."""
        try:
            return self._new_module(seqs).to(device)
        except torch.cuda.OutOfMemoryError:
            raise
        except RuntimeError as exc:  # e.g. CPU memory: torch's allocation failure
            reason = str(exc).splitlines()[0][:200]
            if not any(w in reason.lower() for w in ("alloc", "memory", "overflow")):
                raise  # not a size to lower (a CUDA driver error, say)
            sizes = f"hidden_size={self.hidden_size}, num_layers={self.num_layers}"
            if seqs.kind == "ids" and seqs._table is None:
                sizes += (
                    f"; with token ids and no vector table the learned embedding has a row "
                    f"for every id up to the largest ({seqs.vocab_size} rows of "
                    f"embedding_dim={self.embedding_dim}): number the tokens densely "
                    "(SequenceVectorizer does) or pass vectors"
                )
            elif seqs.kind == "ids":
                sizes += f"; the vector table has {seqs.vocab_size} x {seqs.n_features} values"
            raise ValueError(
                f"Could not build the network ({reason}). Lower the sizes it is built "
                f"with ({sizes})."
            ) from None

    def _new_module(self, seqs):
        kw = {}
        if seqs.kind == "ids":
            # at least one row: padding reads id 0 even when no sequence has a token
            kw = dict(vocab_size=max(seqs.vocab_size, 1), freeze_embedding=False)
            input_size = self.embedding_dim
            if seqs._table is not None and seqs.vocab_size == 0:
                raise ValueError(
                    "X's vector table has no fixed vocabulary (vocab_size=0): every row "
                    "would vary per call, leaving the model none to learn. Build X with "
                    "vocab_size set to the rows every call shares (by default all of them)."
                )
            if seqs._table is not None:  # the fixed vocabulary's rows; extras come per call
                kw.update(
                    table=seqs._table_parts(0, seqs.vocab_size),
                    freeze_embedding=self.freeze_embedding,
                )
                input_size = seqs.n_features
        else:
            input_size = seqs.n_features
        if getattr(self, "nonlinearity", None) is not None:
            kw["nonlinearity"] = self.nonlinearity
        return SequenceNet(  # plain Python numbers: torch refuses numpy integers
            cell=self._cell,
            input_size=int(input_size),
            hidden_size=int(self.hidden_size),
            num_layers=int(self.num_layers),
            bidirectional=bool(self.bidirectional),
            dropout=float(self.dropout),
            pooling=self.pooling,
            n_outputs=self._n_outputs(),
            **kw,
        )

    def _train(self, seqs, y, sample_weight, device, incremental):
        rng = self._random_state
        early_stopping = self.early_stopping  # (partial_fit refuses it)
        if early_stopping:
            try:
                split = failure = None
                for groups in self._split_groupings(y, sample_weight):
                    try:
                        split = train_test_split(
                            np.arange(len(seqs)),
                            test_size=float(self.validation_fraction),
                            random_state=rng,
                            stratify=groups,
                        )
                    except ValueError as exc:  # e.g. fewer validation samples than groups
                        failure = exc
                        continue
                    if all(sample_weight[idx].sum() > 0 for idx in split):
                        break  # both sides hold weighted samples
                if split is None:
                    raise failure
                idx_train, idx_val = split
                # (the score counts samples of positive weight only: R^2 of one is 0 at
                # every epoch, and early stopping would keep the first epoch's weights)
                n_val = int(np.count_nonzero(sample_weight[idx_val] > 0))
                if n_val < self._min_validation_samples:
                    raise ValueError(
                        f"it leaves {n_val} validation sample(s) of positive weight, and the "
                        f"validation score needs at least {self._min_validation_samples}"
                    )
                if sample_weight[idx_train].sum() <= 0:
                    raise ValueError(
                        "every sample with a positive weight fell in the validation split, "
                        "leaving nothing to train on"
                    )
            except ValueError as exc:
                raise ValueError(
                    f"early_stopping could not set aside validation_fraction="
                    f"{self.validation_fraction} of {len(seqs)} samples ({exc}). Pass more "
                    "data, change validation_fraction, or set early_stopping=False."
                ) from None
            seqs_val, y_val, w_val = seqs.take(idx_val), y[idx_val], sample_weight[idx_val]
            seqs, y, sample_weight = seqs.take(idx_train), y[idx_train], sample_weight[idx_train]

        data = _OnDevice(seqs, device)
        groups = self._batch_groups(y)
        extra = self._extra_vectors(seqs, device)
        y_t = torch.as_tensor(self._encode_y_for_loss(y)).to(device)
        w_t = None  # uniform weights: no gather and product a batch (one launch each on a GPU)
        if not np.all(sample_weight == 1):
            w_t = torch.as_tensor(sample_weight, dtype=torch.float32).to(device)
        module = self.module_
        params = [p for p in module.parameters() if p.requires_grad]
        # L2 penalty 0.5 * alpha * ||W||^2 / n_samples, as in MLPClassifier. The
        # fused Adam (one kernel a step, on every device): an H100 epoch was bound by
        # launches, where the multi-tensor Adam took 0.7 ms of CPU time per step, and
        # on the CPU torch's default Adam loops over the tensors in Python (0.44 ms a
        # step against 0.15-0.2 ms fused, for a 16-unit GRU)
        optimizer = torch.optim.Adam(
            params, lr=self.learning_rate_init, weight_decay=self.alpha / len(seqs), fused=True
        )
        if self._optimizer_state is not None:
            optimizer.load_state_dict(self._optimizer_state)
            for group in optimizer.param_groups:  # this call's settings, not the saved ones
                group.update(
                    lr=self.learning_rate_init, weight_decay=self.alpha / len(seqs), fused=True
                )
            # the fused Adam keeps its step counters with the weights, whichever device
            # the state was saved on (a change of device; a state of the unfused Adam)
            for param, state in optimizer.state.items():
                if torch.is_tensor(state.get("step")):
                    state["step"] = state["step"].to(param.device, torch.float32)
        n_epochs = 1 if incremental else self.max_iter
        # early stopping keeps the best weights across warm calls, as MLPClassifier does
        best_state = getattr(self, "_best_state", None) if early_stopping else None

        def snapshot():  # a frozen lookup table never changes: not copied
            return {k: v.clone() for k, v in module.state_dict().items() if k != "frozen_table"}

        if best_state is None and self.n_iter_:
            # continued training (partial_fit, a warm start): a Ctrl-C in its first
            # epoch goes back to the weights it started from, not the epoch's middle
            best_state = snapshot()
        # without early stopping, a Ctrl-C keeps this call's epoch of lowest loss
        interrupted, best_epoch, start, call_best = False, None, self.n_iter_, np.inf
        for _ in range(n_epochs):
            try:
                t0 = time.perf_counter()
                module.train()
                try:
                    loss = self._run_epoch(module, optimizer, data, groups, y_t, w_t, extra, rng)
                except RuntimeError as exc:  # e.g. Adam's step size overflowing float32
                    if "overflow" not in str(exc):
                        raise
                    raise self._diverged(f"a value overflowed float32 ({exc})") from None
                score = np.nan
                if early_stopping:
                    self._set_inference_module()  # scored with the epoch's weights
                    score = self._score_sequences(seqs_val, y_val, w_val)
                # the epoch's records together, after its last long step: a Ctrl-C
                # leaves them in step (loss_curve_, validation_scores_, n_iter_)
                self.loss_curve_.append(loss)
                if self.validation_scores_ is not None:  # one score per epoch, NaN: none
                    self.validation_scores_.append(score)
                self.n_iter_ += 1
                self.t_ += len(seqs)
                if early_stopping:
                    improved = score > self.best_validation_score_
                    stalled = score < self.best_validation_score_ + self.tol
                    if improved:
                        self.best_validation_score_ = score
                else:
                    improved = loss < self.best_loss_
                    stalled = loss > self.best_loss_ - self.tol
                    if improved:
                        self.best_loss_ = loss
                self._no_improvement_count = self._no_improvement_count + 1 if stalled else 0
                if early_stopping and improved:
                    best_epoch, best_state = self.n_iter_, snapshot()
                    self._best_state = best_state
                elif not early_stopping and loss < call_best and not incremental:
                    call_best, best_state = loss, snapshot()  # (partial_fit: one epoch, none)
                if self.verbose:
                    elapsed = time.perf_counter() - t0
                    msg = f"Epoch {self.n_iter_}: loss {loss:.5f}"
                    if early_stopping:
                        msg += f", validation {self._score_name} {score:.5f}"
                    unit = "tokens" if self._kind == "ids" else "steps"
                    msg += f", {data.n_tokens / elapsed / 1e3:.1f}k {unit}/s, {elapsed:.2f}s"
                    print(msg, flush=True)
            except KeyboardInterrupt:
                interrupted = True
                warn(
                    f"Training interrupted after {self.n_iter_ - start} complete epoch(s) of "
                    "this call; keeping the best model so far.",
                    UserWarning,
                )
                break
            if self._no_improvement_count >= self.n_iter_no_change and not incremental:
                if self.verbose:  # MLPClassifier's wording, and which weights are kept
                    what = f"Validation {self._score_name}" if early_stopping else "Training loss"
                    msg = (
                        f"{what} did not improve more than tol={self.tol:g} for "
                        f"{self.n_iter_no_change} consecutive epochs. Stopping"
                    )
                    if early_stopping:
                        msg += (
                            f", with the weights of epoch {best_epoch}"
                            if best_epoch
                            else ", with the best weights of an earlier call"
                        )
                    print(msg + ".", flush=True)
                break
        else:
            if not incremental:
                warn(
                    f"Stochastic optimizer: maximum iterations ({self.max_iter}) reached "
                    "and the optimization hasn't converged yet.",
                    ConvergenceWarning,
                )
        if best_state is not None and (early_stopping or interrupted):
            module.load_state_dict({**module.state_dict(), **best_state})
        optimizer.zero_grad(set_to_none=True)  # not kept with the model (GPU memory)
        module.eval()
        self._optimizer_state = optimizer.state_dict()
        self._set_inference_module()

    def _run_epoch(self, module, optimizer, data, groups, y_t, w_t, extra, rng):
        batches = _batches(data.lengths, self.batch_size, rng, self.shuffle, groups)
        progress = _Progress(len(batches), self.n_iter_ + 1) if self.verbose >= 2 else None
        # the total stays on the device: no synchronisation per batch
        total, count = torch.zeros((), dtype=torch.float64, device=y_t.device), 0
        params = optimizer.param_groups[0]["params"]
        for idx_t, x, lens in data.batches(batches):
            out = module(x, lens, extra)
            loss = self._loss(out, y_t[idx_t])
            loss = loss.mean() if w_t is None else (loss * w_t[idx_t]).mean()
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            if self.max_grad_norm is not None:
                _clip_grad_norm(params, self.max_grad_norm)
            optimizer.step()
            total.add_(loss.detach(), alpha=len(idx_t))  # in float64
            count += len(idx_t)
            if progress is not None:
                progress.update()
        loss = float(total) / count
        if not np.isfinite(loss):
            raise self._diverged("the loss became NaN or infinite")
        # each batch's loss is taken before its step: the last step can still break
        # the weights (one synchronisation per epoch)
        # (the largest magnitude: an L2 norm overflows float32 for finite weights)
        with torch.no_grad():
            finite = torch.stack(torch._foreach_norm(params, float("inf"))).isfinite().all()
        if not finite:
            raise self._diverged("the weights became NaN or infinite")
        return loss

    def _split_groupings(self, y, sample_weight):
        """What early stopping's split stratifies on, in turn until both sides
        hold weighted samples: the classes (``_stratify``) and, where some samples
        weigh 0, whether each weighs; then that alone; then the classes. A
        grouping with a group of one member cannot be stratified and is skipped."""
        classes = self._stratify(y)
        weighs = (sample_weight > 0).astype(np.int64)
        if not weighs.all():
            for groups in (weighs if classes is None else classes * 2 + weighs, weighs):
                counts = np.bincount(groups)
                if counts[counts > 0].min() >= 2:
                    yield groups
        yield classes

    def _diverged(self, what):
        """The error of a training that diverged, with the advice its settings call for."""
        advice = [f"lower learning_rate_init (now {self.learning_rate_init})"]
        if self.max_grad_norm is None:
            advice.append("set max_grad_norm to clip the gradients")
        if self.alpha > 1:
            advice.append(f"lower the L2 penalty alpha (now {self.alpha})")
        if self._kind == "numeric":  # (token ids have no scale)
            advice.append("scale the input features")
        advice = ", ".join(advice[:-1]) + (", or " if len(advice) > 1 else "") + advice[-1]
        return ValueError(f"Training diverged: {what}. {advice[0].upper()}{advice[1:]}.")

    # ---------------------------------------------------------------- prediction
    def _extra_vectors(self, seqs, device):
        """Rows of the input's vector table beyond the fitted vocabulary
        (e.g. FastText vectors for words unseen in fit)."""
        if seqs.kind != "ids" or seqs._table is None:
            return None
        vocab = self.module_.init_kwargs["vocab_size"]
        if seqs._n_rows <= vocab:
            return None
        return tensor_view(seqs._table_rows(vocab)).to(device)

    def _forward_all(self, X):
        """Raw network outputs for X, in X's order; batch composition never
        changes a sample's output (eval mode, exact per-sample lengths)."""
        check_is_fitted(self)
        check_params_read(self, ["batch_size"])  # the prediction batches' size
        seqs = _to_sequences(self, X, reset=False, precise=True)
        try:
            return self._forward_sequences(seqs)
        except torch.cuda.OutOfMemoryError:
            pass  # raised outside the handler, as in _fit: the batch's tensors are freed
        raise RuntimeError(
            f"The GPU ran out of memory while predicting on {self.device_}. Predict on "
            "smaller chunks of X or move the model to the CPU."
        )

    def _forward_sequences(self, seqs):
        """The outputs for ``seqs`` (prediction, and early stopping's score in fit,
        where running out of GPU memory is training's error)."""
        device = torch.device(self.device_)
        module = self._predict_module
        data = _OnDevice(seqs, device, module.head.weight.dtype)
        extra = self._extra_vectors(seqs, device)
        with torch.inference_mode():
            # outputs stay on the device until the end: one copy back
            out = torch.empty(
                (len(seqs), module.head.out_features), dtype=torch.float64, device=device
            )
            rows = max(self.batch_size, 256)
            batches = _capped(_batches(data.lengths, rows, None, False), data.lengths, rows)
            for idx_t, x, lens in data.batches(batches):
                out[idx_t] = module(x, lens, extra).double()
            return out.cpu().numpy()

    def _set_inference_module(self):
        """Prepare the network used for prediction: a float64 copy of
        ``module_`` on the same device. float32 matrix products round
        differently with the batch's size; float64 keeps a sequence's output
        independent of its batch far below float32 precision."""
        self._predict_module = self.module_.float64_copy()

    # -------------------------------------------------------------- persistence
    __deepcopy__ = deepcopy_with_training_state

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: the live estimator keeps its module
        module = state.pop("module_", None)
        state.pop("_predict_module", None)
        if module is not None:
            # weights travel as numpy arrays: a CUDA fit loads anywhere, and skops
            # (which trusts numpy arrays but not torch tensors) can save them
            state["_module_state"] = (
                module.init_kwargs,
                {k: _to_numpy(v) for k, v in module.state_dict().items()},
            )
        for key in ("_optimizer_state", "_best_state"):  # needed only to continue training
            value = state.pop(key, None)
            if self.warm_start and value is not None:
                state[key] = _to_numpy(value)
        return state

    def __setstate__(self, state):
        # normal tensors whatever the caller's mode: loaded under inference_mode,
        # they could never train again
        with torch.inference_mode(False):
            self._load_state(state)

    def _load_state(self, state):
        module_state = state.pop("_module_state", None)
        for key in ("_optimizer_state", "_best_state"):
            state[key] = _to_tensor(state.get(key))
        super().__setstate__(state)
        if module_state is not None:
            kwargs, weights = module_state
            weights = {k: _to_tensor(v) for k, v in weights.items()}
            self.device_ = _loadable_device(self.device_)
            with torch.device("meta"):  # no weights drawn: torch's generator is left alone
                module = SequenceNet(**kwargs)
            module = module.to_empty(device="cpu")
            module.load_state_dict(weights)
            self.module_ = module.eval().to(torch.device(self.device_))
            self._set_inference_module()


# torch initialises weights and draws dropout masks from its process-wide
# generator: a fit seeds a fork of it and holds this lock, so that fits in
# threads of one process take turns instead of reseeding each other
_TORCH_RNG_LOCK = threading.RLock()


def _new_lock_in_child():
    global _TORCH_RNG_LOCK
    _TORCH_RNG_LOCK = threading.RLock()  # a fit in another thread of the parent is not here


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_new_lock_in_child)


@contextlib.contextmanager
def _seeded_torch(seed, device):
    """Seed torch's generators (CPU, and ``device`` if a GPU) for the block
    only, holding the lock: the caller's random streams are left untouched."""
    fork = [device.index] if device.type == "cuda" else []  # (device_ names its index)
    with _TORCH_RNG_LOCK, torch.random.fork_rng(devices=fork):
        # the forked generators only: torch.manual_seed would reseed every GPU (or
        # queue that for CUDA's start), restoring only the forked one
        torch.default_generator.manual_seed(seed)
        if fork:
            with torch.cuda.device(fork[0]):
                torch.cuda.manual_seed(seed)
        yield


def _loadable_device(device):
    """The device a pickled network fitted on ``device`` loads onto here: the CPU
    on a machine without a GPU, the current GPU where ``cuda:N`` is missing."""
    device = torch.device(device)
    if device.type != "cuda":
        return str(device)
    if not torch.cuda.is_available():
        return "cpu"
    if device.index is None or device.index >= torch.cuda.device_count():
        return f"cuda:{torch.cuda.current_device()}"
    return str(device)


def _to_numpy(obj):
    """Tensors (nested in dicts/lists) -> CPU numpy arrays, for persistence."""
    if torch.is_tensor(obj):
        return obj.detach().cpu().numpy()
    if isinstance(obj, dict):
        return {k: _to_numpy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_numpy(v) for v in obj]
    return obj


def _to_tensor(obj):
    """Inverse of :func:`_to_numpy` (tensors from older pickles pass through)."""
    if isinstance(obj, np.ndarray):
        return torch.from_numpy(np.array(obj))  # a writable copy that owns its memory
    if isinstance(obj, dict):
        return {k: _to_tensor(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_to_tensor(v) for v in obj]
    return obj
