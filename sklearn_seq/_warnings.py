"""Warnings reported at the caller's line, outside this package."""

import os
import sys
import warnings

import sklearn.base
import sklearn.utils._set_output

_PACKAGE = os.path.dirname(os.path.abspath(__file__)) + os.sep
# scikit-learn's wrappers around our methods (_fit_context, set_output, the
# TransformerMixin's fit_transform) are not the caller either
_WRAPPERS = {os.path.abspath(m.__file__) for m in (sklearn.base, sklearn.utils._set_output)}


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first frame outside sklearn_seq and
    scikit-learn's method wrappers: the user's call, or the meta-estimator
    (a Pipeline, a search) that made it, however deep the warning was raised."""
    frame, level = sys._getframe(1), 2
    while frame is not None and (
        frame.f_code.co_filename.startswith(_PACKAGE)
        or os.path.abspath(frame.f_code.co_filename) in _WRAPPERS
    ):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, category, stacklevel=level)
