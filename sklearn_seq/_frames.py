"""Dataframes of other libraries (polars, pyarrow) read as pandas ones.

The input checks read pandas objects (column names, dtypes, ``iloc``); a polars
or pyarrow DataFrame, Series or array is converted to its pandas equivalent at
the boundary, column by column through numpy (polars needs no pyarrow for it),
so that every check applies to it alike: dates and durations stay dates and
durations (and are refused as such), list columns hold one array per row.
"""

import numpy as np
import pandas as pd

__all__ = ["to_pandas", "items_to_pandas"]


def items_to_pandas(X):
    """``to_pandas(X)``, and for a list or tuple, of each of its items (a list of
    per-sample frames) when any of them is a polars or pyarrow object."""
    X = to_pandas(X)
    if isinstance(X, (list, tuple)) and any(map(_foreign, X)):
        X = [to_pandas(x) for x in X]
    return X


def _foreign(x):
    return type(x).__module__.partition(".")[0] in ("polars", "pyarrow")


def to_pandas(X):
    """``X`` as a pandas DataFrame or Series if it is a polars or pyarrow one
    (or a pyarrow array), else ``X`` itself."""
    if not _foreign(X):
        return X
    library = type(X).__module__.partition(".")[0]
    if library == "pyarrow" and hasattr(X, "to_pandas"):
        # dates as datetime64, refused as such; nested lists as one 2D array a row
        return _stacked(X.to_pandas(date_as_object=False))
    if library != "polars":
        return X
    kind = type(X).__name__
    if kind == "LazyFrame":
        raise TypeError("X is a polars LazyFrame; collect() it into a DataFrame first.")
    if kind == "DataFrame":
        return pd.DataFrame({name: _column(X.get_column(name)) for name in X.columns})
    if kind == "Series":
        values = X.to_numpy()  # nulls: NaN among numbers, None among objects
        # fixed-width arrays (pl.Array) are a 2D matrix, as numpy reads them
        return values if values.ndim == 2 else _stacked(pd.Series(values, name=X.name))
    return X


def _stacked(series):
    """A Series of nested lists (polars List(List), pyarrow list<list>) as one 2D
    array per row, as a pandas Series of 2D arrays holds multivariate sequences;
    anything else as it is."""
    if not isinstance(series, pd.Series) or series.dtype != object:
        return series
    rows = series.tolist()
    if not any(_nested(row) for row in rows):
        return series
    out = np.empty(len(rows), dtype=object)
    for i, row in enumerate(rows):
        if _nested(row) and len({len(step) for step in row}) > 1:
            raise ValueError(
                f"Sequence {i} is not a regular array: its steps have different numbers "
                "of features. Give every step of every sequence the same number of features."
            )
        out[i] = np.stack(list(row)) if _nested(row) else row
    return pd.Series(out, index=series.index, name=series.name)


def _nested(row):
    return (
        isinstance(row, np.ndarray)
        and row.dtype == object
        and len(row) > 0
        and all(isinstance(step, np.ndarray) for step in row)
    )


def _column(series):
    """A polars column as a 1D numpy array (a pl.Array column: one array per row)."""
    values = series.to_numpy()
    if values.ndim == 1:
        return values
    rows = np.empty(len(values), dtype=object)
    rows[:] = list(values)
    return rows
