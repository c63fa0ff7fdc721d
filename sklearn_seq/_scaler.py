"""Standardising numeric sequences inside a pipeline."""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin, _fit_context
from sklearn.utils.validation import check_is_fitted

from ._fit_state import keep_state_on_error
from ._frames import items_to_pandas
from ._sequences import SequenceArray
from .rnn._base import _is_ragged_list, _is_sequence_column, _to_sequences

__all__ = ["SequenceScaler"]


class SequenceScaler(TransformerMixin, BaseEstimator):
    """Standardise each feature of numeric sequences over all their steps.

    The step features' mean and standard deviation are computed over every
    time step of every training sequence, so that one scale applies at every
    step (:class:`~sklearn.preprocessing.StandardScaler` takes neither 3D
    arrays nor lists of sequences, and on a 2D array of univariate sequences
    it would scale each time step apart). In a pipeline before a recurrent
    estimator, the statistics are those of each cross-validation training
    fold.

    Parameters
    ----------
    with_mean : bool, default=True
        Subtract each feature's mean.
    with_std : bool, default=True
        Divide each feature by its standard deviation (features that do not
        vary are left at unit scale).

    Attributes
    ----------
    mean_ : ndarray of shape (n_step_features,) or None
        Mean of each step feature (one for univariate sequences); None
        when ``with_mean=False``.
    var_ : ndarray of shape (n_step_features,) or None
        Variance of each step feature; None when ``with_std=False``.
    scale_ : ndarray of shape (n_step_features,) or None
        The divisor of each step feature: its standard deviation, 1 where
        the feature does not vary (its variance 0 up to rounding); None when
        ``with_std=False``.
    n_features_in_ : int
        Features per step, or for a 2D array its number of columns (time
        steps), as the recurrent estimators count them.
    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame given to ``fit``.

    See Also
    --------
    sklearn.preprocessing.StandardScaler : Per-column standardisation of 2D
        arrays.

    Notes
    -----
    The output of sequences has no feature names, so the scaler has no
    ``get_feature_names_out`` and takes no ``set_output``.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_seq import SequenceScaler
    >>> X = [np.array([[1.0, 100.0], [3.0, 300.0]]), np.array([[5.0, 200.0]])]
    >>> Xt = SequenceScaler().fit_transform(X)
    >>> Xt
    SequenceArray(n_samples=2, kind='numeric', n_tokens=3, n_features=2)
    >>> Xt.to_list()[0].round(3)
    array([[-1.225, -1.225],
           [ 0.   ,  1.225]], dtype=float32)
    """

    _parameter_constraints: dict = {"with_mean": ["boolean"], "with_std": ["boolean"]}

    def __init__(self, *, with_mean=True, with_std=True):
        self.with_mean = with_mean
        self.with_std = with_std

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Compute each step feature's mean and standard deviation.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Numeric sequences, in any form the recurrent estimators take.
        y : None
            Ignored.

        Returns
        -------
        self : object
            The fitted scaler.
        """
        with keep_state_on_error(self):  # a refused X leaves a fitted scaler as it was
            data = self._steps(X, reset=True).data
            if not len(data):
                raise ValueError(
                    "X's sequences have no steps at all (every sequence is empty): there "
                    "is nothing to compute a mean and a scale from."
                )
            n = len(data)
            mean = data.mean(axis=0, dtype=np.float64)
            var = np.square(data - mean, dtype=np.float64).mean(axis=0)
        # a feature that never varies has a rounding-sized variance (0.1 repeated):
        # it keeps unit scale (scikit-learn's _is_constant_feature, as StandardScaler)
        eps = np.finfo(np.float64).eps
        constant = var <= n * eps * var + (n * mean * eps) ** 2
        self.mean_ = mean if self.with_mean else None
        self.var_ = var if self.with_std else None
        self.scale_ = np.where(constant, 1.0, np.sqrt(var)) if self.with_std else None
        return self

    def transform(self, X):
        """Standardise the sequences.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Numeric sequences with the fitted number of features per step.

        Returns
        -------
        Xt : ndarray or SequenceArray
            An ndarray of ``X``'s shape for a 2D or 3D ``X`` (an array,
            DataFrame, tensor or nested list of numbers; float32 stays float32,
            other numbers become float64), a numeric :class:`SequenceArray` for
            a SequenceArray or a list or Series of per-sample sequences
            (float32 for lists of arrays, as the recurrent estimators read
            them).
        """
        return self._apply(X, inverse=False)

    def inverse_transform(self, X):
        """Undo the standardisation.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Standardised sequences.

        Returns
        -------
        X_original : ndarray or SequenceArray
            As :meth:`transform` returns them.
        """
        return self._apply(X, inverse=True)

    def _steps(self, X, reset):
        seqs = _to_sequences(self, X, reset=reset)
        if seqs.kind == "ids":
            raise TypeError(
                "SequenceScaler scales numeric sequences; X holds token ids, whose vectors "
                "are looked up by the recurrent estimators (and need no scaling)."
            )
        if reset:
            self._kind = "numeric"
        return seqs

    def _apply(self, X, inverse):
        check_is_fitted(self)
        X = items_to_pandas(X)
        names = getattr(self, "feature_names_in_", None)
        if inverse and names is not None and isinstance(X, np.ndarray) and X.ndim == 2:
            # transform's output of a DataFrame is an array: its columns are the names
            X = pd.DataFrame(X, columns=names) if X.shape[1] == len(names) else X
        seqs = self._steps(X, reset=False)
        data = seqs.data
        mean = 0.0 if self.mean_ is None else self.mean_.astype(data.dtype)
        scale = 1.0 if self.scale_ is None else self.scale_.astype(data.dtype)
        data = data * scale + mean if inverse else (data - mean) / scale
        if isinstance(X, SequenceArray) or _is_ragged_list(X) or _is_sequence_column(X):
            return SequenceArray(data, seqs.offsets)
        shape = X.shape if hasattr(X, "shape") else np.asarray(X).shape
        return data.reshape(tuple(shape))  # a 2D or 3D array, frame or nested list

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
