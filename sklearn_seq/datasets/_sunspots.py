"""Loader for the yearly sunspot numbers, 1700-2008."""

import numbers

import numpy as np
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view
from sklearn.utils import Bunch
from sklearn.utils._param_validation import validate_params

from ._base import _data_file, _load_descr

__all__ = ["load_sunspots"]

_N_YEARS = 309


@validate_params(
    {"return_X_y": ["boolean"], "as_frame": ["boolean"]},
    prefer_skip_nested_validation=True,
)
def load_sunspots(*, window=None, return_X_y=False, as_frame=False):
    """Load the yearly sunspot numbers, 1700-2008 (a forecasting dataset).

    A real, public-domain time series of 309 yearly mean sunspot numbers from
    NOAA's National Geophysical Data Center, with a roughly 11-year cycle.
    With ``window`` set, the series becomes a regression problem: each sample
    holds ``window`` consecutive yearly values and its target is the next
    year's value.

    The data are bundled with the package; nothing is downloaded. Read more in
    ``DESCR``.

    =================   ==============================
    Years                                    1700-2008
    Samples              309, or 309 - window windowed
    Values                          real, 0.0 to 190.2
    =================   ==============================

    Parameters
    ----------
    window : int, default=None
        Length of the sliding windows, from 1 to 308. ``None`` returns the
        series itself, without a target.

    return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch. Requires
        ``window``.

    as_frame : bool, default=False
        If True, ``data`` is a pandas DataFrame (a Series when ``window`` is
        None), ``target`` a pandas Series, and ``frame`` a DataFrame holding
        both; all are indexed by ``year`` (for windows, the year of the
        target).

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        Dictionary-like object, with the following attributes.

        data : ndarray of shape (309,) or (309 - window, window)
            The series, or one window per row, oldest value first.
        target : ndarray of shape (309 - window,) or None
            The value of the year after each window; ``None`` without
            ``window``.
        years : ndarray of shape (309,) or (309 - window,)
            The year of each value, or of each target.
        feature_names : list of str
            ``["sunspots"]``, or ``["lag_<window>", ..., "lag_1"]`` with
            ``window`` set.
        frame : pandas DataFrame
            Only present when ``as_frame=True``; ``None`` otherwise.
        DESCR : str
            The full description of the dataset.

    (data, target) : tuple if ``return_X_y`` is True
        The windows and their targets, as described above.

    Raises
    ------
    ValueError
        If ``window`` is not None or an integer from 1 to 308, or if
        ``return_X_y=True`` without ``window``.

    Notes
    -----
    The sequence estimators take each sample as ``(n_timesteps, n_features)``;
    ``X[:, :, np.newaxis]`` turns the windows into sequences with one feature.
    Split windows in time order (``train_test_split(..., shuffle=False)`` or
    :class:`~sklearn.model_selection.TimeSeriesSplit`): neighbouring windows
    overlap.

    Examples
    --------
    >>> from sklearn_seq.datasets import load_sunspots
    >>> sunspots = load_sunspots()
    >>> sunspots.data.shape, int(sunspots.years[0]), int(sunspots.years[-1])
    ((309,), 1700, 2008)
    >>> X, y = load_sunspots(window=3, return_X_y=True)
    >>> X.shape, y.shape
    ((306, 3), (306,))
    >>> X[0], float(y[0])
    (array([ 5., 11., 16.]), 23.0)
    """
    if window is not None and (
        isinstance(window, bool)
        or not isinstance(window, numbers.Integral)
        or not 1 <= window < _N_YEARS
    ):
        raise ValueError(
            f"window must be None or an integer from 1 to {_N_YEARS - 1}, got {window!r}."
        )
    if return_X_y and window is None:
        raise ValueError(
            "return_X_y=True needs window=<int>: without it the series has no target. "
            "Use load_sunspots().data for the series itself."
        )

    with _data_file("sunspots.csv").open("rb") as f:
        df = pd.read_csv(f, dtype={"year": np.int64, "sunspots": np.float64})
    series = df["sunspots"].to_numpy()
    years = df["year"].to_numpy()
    descr = _load_descr("sunspots.rst")

    if window is None:
        data, target, feature_names = series, None, ["sunspots"]
    else:
        window = int(window)
        data = sliding_window_view(series[:-1], window).copy()
        target = series[window:].copy()
        years = years[window:].copy()
        feature_names = [f"lag_{lag}" for lag in range(window, 0, -1)]

    frame = None
    if as_frame:
        index = pd.Index(years, name="year")
        if window is None:
            data = pd.Series(data, index=index, name="sunspots")
            frame = data.to_frame()
        else:
            data = pd.DataFrame(data, index=index, columns=feature_names)
            target = pd.Series(target, index=index, name="target")
            frame = pd.concat([data, target], axis=1)

    if return_X_y:
        return data, target

    return Bunch(
        data=data,
        target=target,
        years=years,
        feature_names=feature_names,
        frame=frame,
        DESCR=descr,
    )
