"""The six public recurrent estimators: thin classes over BaseSequenceEstimator."""

import numbers

import numpy as np
import torch
from scipy.sparse import csr_matrix, issparse
from sklearn.base import ClassifierMixin, RegressorMixin
from sklearn.exceptions import DataConversionWarning
from sklearn.metrics import accuracy_score, r2_score
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, column_or_1d

from .._sequences import readable_tensor
from .._warnings import warn
from ._base import BaseSequenceEstimator, _check_real, new_network

_COMMON_PARAMS = """hidden_size : int, default=64
        Number of features in the hidden state of each recurrent layer.

    num_layers : int, default=1
        Number of stacked recurrent layers.

    bidirectional : bool, default=False
        Add a backward direction to every layer. The backward direction starts
        at each sequence's true last step, never in the padding.

    dropout : float, default=0.0
        Dropout probability between recurrent layers and before the output
        layer (training only).

    pooling : {"last", "mean", "max"}, default="last"
        How a sequence's outputs become one vector: the output at the true
        last step (for ``bidirectional=True``, the forward output at the last
        step and the backward output at the first), or the mean or maximum
        over the valid steps. Zero-length sequences pool to zeros. "last"
        relies on the recurrence carrying the signal to the end; where it can
        sit anywhere in sequences of a hundred steps or more (a motif in DNA,
        a phrase in a document), "max" often trains much better (a 6-base
        motif in 80-200 bases: 0.46 with "last", 1.0 with "max").

    embedding_dim : int, default=64
        Size of the embedding learned for token ids that come without a
        vector table (e.g. from :class:`~sklearn_seq.SequenceVectorizer`).
        Ignored for numeric input and for ids with a vector table.

    freeze_embedding : bool, default=True
        For token ids with a vector table: keep the table frozen (True) or
        fine-tune it (False). A learned or fine-tuned table is updated whole
        at every batch (dense gradients and Adam state), so its training cost
        and memory (4-6x the table) grow with the number of rows: cap the
        vocabulary (``max_tokens``, ``min_count``) for large ones.

    batch_size : int, default=64
        Sequences per minibatch. Batches are bucketed by length.

    learning_rate_init : float, default=0.005
        Adam's learning rate.

    alpha : float, default=1e-4
        Strength of the L2 penalty ``0.5 * alpha * ||W||^2 / n_samples``
        (the samples a ``fit`` or ``partial_fit`` call trains on, after the
        validation split under early stopping), applied to
        every trained weight, biases included, through Adam's weight decay.
        :class:`~sklearn.neural_network.MLPClassifier` divides by the batch
        size instead and leaves the intercepts out, so the same ``alpha`` is
        about ``n_samples / batch_size`` times weaker here.

    max_iter : int, default=100
        Maximum number of epochs.

    tol : float, default=1e-4
        Tolerance for the optimisation: when the loss (or the validation score
        with ``early_stopping=True``) does not improve by at least ``tol`` for
        ``n_iter_no_change`` consecutive epochs, training stops.

    n_iter_no_change : int, default=10
        Number of epochs without improvement before stopping.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training data (stratified by
        class for single-label classifiers whose classes each have two samples
        or more, and where some samples weigh 0, by whether a sample weighs),
        stop when its score stops improving, and restore the
        weights of the best epoch. The score is ``score``'s (accuracy, subset
        accuracy for multilabel classifiers, R² for regressors) weighted by
        ``sample_weight`` and ``class_weight``: with
        ``class_weight="balanced"`` it is close to a balanced accuracy, noisy
        on a small minority class. ``partial_fit`` refuses it, as
        :class:`~sklearn.neural_network.MLPClassifier` does. With
        ``warm_start=True`` each ``fit`` draws its split anew (as
        ``MLPClassifier``), so a later call scores on samples an earlier one
        trained on.

    validation_fraction : float, default=0.1
        Share of the training data held out when ``early_stopping=True``.

    shuffle : bool, default=True
        Shuffle the order of the length buckets and the samples within equal
        lengths at every epoch.

    max_grad_norm : float or None, default=5.0
        Clip the gradient norm to this value against exploding gradients;
        None disables clipping.

    device : str or torch.device, default="auto"
        Where to train and predict: "auto" (CUDA when available, else CPU),
        "cpu", "cuda" or "cuda:N" (or a ``torch.device`` of those). Resolved at
        fit time into ``device_``, a string.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and the validation
        split: numpy through local generators, torch through a fork of its
        generator that one fit holds at a time (fits in threads of one process
        take turns). Torch's global random state is never touched, nor is
        numpy's for an int or a RandomState instance; with None the seed is
        drawn from numpy's global random state, as scikit-learn estimators do.
        An int gives bit-identical results on CPU, in threads too as long as
        no other thread draws from torch's generator meanwhile.

    verbose : int, default=0
        0 is silent, 1 prints one line per epoch (loss, validation score,
        tokens or steps per second, time), 2 also shows a progress bar within
        epochs.

    warm_start : bool, default=False
        Reuse the previous solution (and the optimiser's state) when ``fit``
        is called again. Pickles keep the optimiser's state only when True, so
        ``partial_fit`` on an unpickled model restarts Adam's moment estimates
        unless ``warm_start=True``. Changing a parameter that shapes the
        network (``hidden_size``, ``num_layers``, ``bidirectional``,
        ``dropout``, ``pooling``, ``nonlinearity``, and where they apply
        ``embedding_dim`` and ``freeze_embedding``) between warm calls raises
        a ``ValueError``. ``embedding_dim`` applies only to token ids without
        a vector table and ``freeze_embedding`` only to token ids with one;
        elsewhere they are ignored, and changing them raises nothing."""

_CLASS_WEIGHT_PARAM = """class_weight : dict, "balanced" or None, default=None
        Weights of the classes in the loss, ``{class_label: weight}``;
        "balanced" uses ``n_samples / (n_classes * np.bincount(y))``. As in
        :func:`~sklearn.utils.class_weight.compute_class_weight`, a key of a class
        absent from ``y`` is ignored while every class of ``y`` has a weight.
        Not supported with a multilabel ``y`` (use ``sample_weight``), nor
        ``"balanced"`` with ``partial_fit``. Weighted classes get larger
        probabilities than their frequency: ``predict_proba`` estimates the
        reweighted data's probabilities, not the training data's."""

_CLASSES_ATTR = """classes_ : ndarray of shape (n_classes,)
        Class labels; for a multilabel y (a 2D 0/1 indicator matrix), the
        column indices ``0 .. n_labels - 1``.

    """

_NONLINEARITY_PARAM = """nonlinearity : {"tanh", "relu"}, default="tanh"
        The recurrent non-linearity of the plain RNN."""

_COMMON_ATTRS = """n_features_in_ : int
        Features per step: the number of timesteps for a 2D array (read as
        univariate sequences), else the number of features per step (the
        vector size for token ids with a table, 1 for bare token ids).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the columns, defined only when X is a DataFrame (its columns
        are timesteps) or a list of per-sample DataFrames (their columns are
        the features of each step) with string column names.

    module_ : torch.nn.Module
        The fitted network.

    device_ : str
        The device the network lives on ("cpu" or "cuda:N").

    loss_curve_ : list of float
        Training loss at each epoch (for regressors, in standardised units of
        the targets seen so far: ``partial_fit`` and warm starts update the
        standardisation with each call's targets).

    best_loss_ : float or None
        Lowest training loss, used for stopping when ``early_stopping=False``;
        None after a ``fit`` with ``early_stopping=True``, as in
        :class:`~sklearn.neural_network.MLPClassifier`.

    validation_scores_ : list of float or None
        Validation score at each epoch when ``early_stopping=True``, else None
        (NaN for epochs trained without a validation split, by ``partial_fit``
        or a warm-start fit with ``early_stopping=False`` after one with it).

    best_validation_score_ : float or None
        Best validation score when ``early_stopping=True``, else None.

    n_iter_ : int
        Number of epochs run.

    t_ : int
        Number of training samples seen."""

_NOTES = """Input can be a :class:`~sklearn_seq.SequenceArray` (token ids from an
    embedding transformer, or numeric steps), a 2D array or DataFrame of shape
    ``(n_samples, n_timesteps)`` read as univariate sequences, a 3D array of
    shape ``(n_samples, n_timesteps, n_features)``, or a list of arrays of
    shapes ``(n_timesteps_i,)`` or ``(n_timesteps_i, n_features)``.
    Zero-length sequences are legal and are predicted from the output
    layer's bias. Sequences are batched by length and each output is read at
    its own last step, so a prediction never depends on the other sequences
    in the batch.

    Numeric inputs are not scaled: as for ``MLPClassifier``, features of a
    large or offset scale (1e6, or 1e6 + noise) saturate the recurrent units
    and train a near-constant model. Standardise the steps first (the
    regressors' targets are standardised internally)."""


def _doc(kind, cell_name, extra_params, attrs, example):
    params = _COMMON_PARAMS + "".join("\n\n    " + p for p in extra_params)
    return f"""{cell_name} {kind.lower()} for sequences.

    Parameters
    ----------
    {params}

    Attributes
    ----------
    {attrs}

    See Also
    --------
    sklearn.neural_network.MLP{kind} : The feed-forward counterpart.

    Notes
    -----
    {_NOTES}

    Examples
    --------
    {example}
    """


def _classifier_example(name):
    return f""">>> import numpy as np
    >>> from sklearn_seq import {name}
    >>> rng = np.random.RandomState(0)
    >>> X = [rng.randn(n, 2) for n in rng.randint(1, 20, size=40)]
    >>> y = np.array([int(x[:, 0].sum() > 0) for x in X])
    >>> clf = {name}(hidden_size=8, max_iter=5, random_state=0).fit(X, y)
    >>> clf.predict_proba(X[:2]).shape
    (2, 2)"""


def _regressor_example(name):
    return f""">>> import numpy as np
    >>> from sklearn_seq import {name}
    >>> rng = np.random.RandomState(0)
    >>> X = rng.randn(50, 10)
    >>> y = X.sum(axis=1)
    >>> reg = {name}(hidden_size=8, max_iter=5, random_state=0).fit(X, y)
    >>> reg.predict(X[:3]).shape
    (3,)"""


# ------------------------------------------------------------------- classifiers
def _target_array(y):
    """y as an array (arrays, frames and sparse matrices pass through); a ragged
    list, such as one list of labels per sample, becomes a 1D object array."""
    if getattr(getattr(y, "dtype", None), "kind", None) == "T":
        return np.asarray(y).astype(object)  # numpy's StringDType: labels as str objects
    if hasattr(y, "shape"):
        return y
    try:
        return np.asarray(y)
    except ValueError:  # ragged
        out = np.empty(len(y), dtype=object)
        for i, v in enumerate(y):
            out[i] = v
        return out


class BaseSequenceClassifier(ClassifierMixin, BaseSequenceEstimator):
    """Shared classifier behaviour: label encoding, class weights, probabilities."""

    _score_name = "accuracy"

    _parameter_constraints: dict = {
        **BaseSequenceEstimator._parameter_constraints,
        "class_weight": [dict, StrOptions({"balanced"}), None],
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
        class_weight=None,
    ):
        super().__init__(
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            pooling=pooling,
            embedding_dim=embedding_dim,
            freeze_embedding=freeze_embedding,
            batch_size=batch_size,
            learning_rate_init=learning_rate_init,
            alpha=alpha,
            max_iter=max_iter,
            tol=tol,
            n_iter_no_change=n_iter_no_change,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            shuffle=shuffle,
            max_grad_norm=max_grad_norm,
            device=device,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
        )
        self.class_weight = class_weight

    def partial_fit(self, X, y, sample_weight=None, classes=None):
        """Update the model with one epoch over the given data.

        Token ids must mean what they meant in the first fit: the output of a
        transformer refitted or partially fitted since (another vocabulary or
        table) is refused, since the model keeps the fitted table's rows.
        Adam's moment estimates carry over between calls in one process; a
        pickle keeps them only with ``warm_start=True``, so ``partial_fit`` on
        an unpickled model otherwise starts them afresh.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Training sequences, as in :meth:`fit`.
        y : array-like of shape (n_samples,) or (n_samples, n_labels)
            Target labels, or a 0/1 indicator matrix for multilabel
            classification.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights in the loss, relative within the call (each
            call's weights are rescaled to a mean of 1).
        classes : array-like of shape (n_classes,), default=None
            All the classes across calls; required on the first call. For a
            multilabel y, ``np.arange(n_labels)``.

        Returns
        -------
        self : object
            The updated estimator.
        """
        if not hasattr(self, "module_") and classes is None:
            raise ValueError("classes must be passed on the first call to partial_fit.")
        classes = readable_tensor(classes)  # a tensor on a GPU, as X and y may be
        if classes is not None and (
            isinstance(classes, (set, frozenset, dict, str)) or not hasattr(classes, "__len__")
        ):
            raise TypeError(
                f"classes must be an array-like of labels (a list or array), got "
                f"{type(classes).__name__}: {classes!r}."
            )
        if isinstance(self.class_weight, str) and self.class_weight == "balanced":
            # as SGDClassifier: one chunk's class counts are not the data's
            raise ValueError(
                "class_weight='balanced' is not supported for partial_fit: each call sees "
                "only part of the data, so its class counts would not balance the whole. "
                "Compute the weights once with sklearn.utils.class_weight."
                "compute_class_weight('balanced', classes=classes, y=y) on the full "
                "target (or a large sample of it) and pass them as a dict."
            )
        return self._partial_fit(X, y, sample_weight, classes)

    def _validate_y(self, y, n_samples, first_pass, classes, warm):
        y = _target_array(y)
        multilabel = len(y.shape) == 2 and y.shape[1] > 1
        if first_pass:
            self._multilabel = multilabel
        elif multilabel != self._multilabel:
            fitted = "a 2D indicator y (multilabel)" if self._multilabel else "a 1D y of labels"
            raise ValueError(
                f"This model was fitted on {fitted}, and y must have the same form: "
                f"{new_network(self)} on this y."
            )
        if multilabel:  # pandas nullable columns converted, missing values refused
            y = check_array(y, accept_sparse=True, dtype=None, input_name="y")
        else:
            y = column_or_1d(_warn_column(y))
        if y.shape[0] != n_samples:
            raise ValueError(
                f"X has {n_samples} samples but y has {y.shape[0]}; they must have the same length."
            )
        if multilabel:
            return self._validate_multilabel_y(y, first_pass, classes)
        return self._validate_labels(y, first_pass, classes, warm)

    def _validate_multilabel_y(self, y, first_pass, classes):
        if first_pass:
            self._sparse_y = issparse(y)  # predictions take the same form, as in MLPClassifier
        if issparse(y):
            y = y.toarray()
        kind = type_of_target(y, input_name="y")
        if kind != "multilabel-indicator":
            problem = f"type_of_target(y) is {kind!r}"
        elif not np.isin(y, (0, 1)).all():
            problem = "it holds values other than 0 and 1"
        else:
            problem = None
        if problem:
            raise ValueError(
                f"y is 2D but not a 0/1 indicator matrix ({problem}). A "
                "classifier takes a 1D y of labels, or for multilabel classification a 2D "
                "y of 0/1 (or bool) with one column per label (see sklearn.preprocessing."
                "MultiLabelBinarizer). For several multiclass outputs, wrap the estimator "
                "in sklearn.multioutput.MultiOutputClassifier."
            )
        y = check_array(y, dtype=np.float32, input_name="y")
        n_labels = y.shape[1]
        if first_pass:
            self.classes_ = np.arange(n_labels)
        elif n_labels != len(self.classes_):
            raise ValueError(
                f"y has {n_labels} label columns but the model was fitted with "
                f"{len(self.classes_)}; {new_network(self)} on them."
            )
        if classes is not None and not np.array_equal(np.asarray(classes), self.classes_):
            raise ValueError(
                f"For a multilabel y (a 2D indicator matrix), classes are the column "
                f"indices 0..{n_labels - 1}: pass classes=np.arange({n_labels}), got "
                f"{np.asarray(classes).tolist()}."
            )
        if self.class_weight is not None:
            raise ValueError(
                "class_weight is not supported with a multilabel y (a 2D indicator "
                "matrix). Pass per-sample weights as sample_weight instead."
            )
        return y

    def _validate_labels(self, y, first_pass, classes, warm):
        if y.dtype == object and len(y) and isinstance(y[0], (list, tuple, set, np.ndarray)):
            raise ValueError(
                "y holds a collection of labels per sample. For multilabel classification "
                "turn it into a 0/1 indicator matrix with sklearn.preprocessing."
                "MultiLabelBinarizer: Y = MultiLabelBinarizer().fit_transform(y)."
            )
        if classes is not None and np.ndim(classes) != 1:
            raise ValueError(
                f"classes must be a 1D array-like of all the labels, got "
                f"{np.ndim(classes)} dimensions ({classes!r:.40})."
            )
        labels = y if classes is None else np.asarray(classes, dtype=object)
        kinds = {}  # the type names of each kind of label
        for v in labels if labels.dtype == object else ():
            kinds.setdefault(_label_kind(v), set()).add(type(v).__name__)
        if len(kinds) > 1:  # strings with numbers or None (numpy's and Python's numbers agree)
            kinds = sorted(set().union(*kinds.values()))
            where = "y" if classes is None else "classes"
            raise ValueError(
                f"{where} mixes label types ({', '.join(kinds)}); labels must be all strings "
                "or all numbers. Drop or fill missing labels (None) before fitting."
            )
        check_classification_targets(y)
        if first_pass:
            self.classes_ = np.unique(y if classes is None else np.asarray(classes))
        elif classes is not None and not np.array_equal(
            np.unique(np.asarray(classes)), self.classes_
        ):
            raise ValueError(
                f"classes={np.asarray(classes).tolist()} differs from the classes of the "
                f"first partial_fit call, {self.classes_.tolist()}; {new_network(self)} on "
                "other classes."
            )
        unknown = np.setdiff1d(y, self.classes_)
        if warm and (len(unknown) or len(np.unique(y)) != len(self.classes_)):
            raise ValueError(  # as MLPClassifier
                f"warm_start=True continues a fit on the same classes, but y has "
                f"{np.unique(y).tolist()} and the model was fitted on "
                f"{self.classes_.tolist()}: {new_network(self)}, or train on data that lacks "
                "some classes with partial_fit."
            )
        if len(unknown):
            raise ValueError(
                f"y contains labels {unknown.tolist()} that are not in classes_ "
                f"{self.classes_.tolist()}. Pass all classes to the first partial_fit call, "
                f"or {new_network(self)}."
            )
        return np.searchsorted(self.classes_, y)

    def _class_sample_weight(self, y):
        n_classes = len(self.classes_)
        if self.class_weight is None:
            return np.ones(len(y))
        if self.class_weight == "balanced":
            counts = np.bincount(y, minlength=n_classes).astype(np.float64)
            per_class = np.where(counts > 0, len(y) / (n_classes * np.maximum(counts, 1)), 0.0)
        else:
            # scikit-learn's rule (compute_class_weight): a key of a class absent from
            # this y (a cross-validation fold's) is fine when every class has a weight
            classes = self.classes_.tolist()
            unknown = [c for c in self.class_weight if c not in set(classes)]
            unweighted = [c for c in classes if c not in self.class_weight]
            if unknown and unweighted:
                raise ValueError(
                    f"class_weight names classes {unknown} that are not in the training labels "
                    f"{classes}, and gives no weight to {unweighted}. Use the labels as they "
                    "appear in y."
                )
            per_class = [self.class_weight.get(c, 1.0) for c in classes]
            wrong = [w for w in per_class if not isinstance(w, numbers.Real)]
            if wrong:
                raise ValueError(
                    f"class_weight={self.class_weight!r} has a weight that is not a number "
                    f"({wrong[0]!r:.40}); give each class a real number >= 0."
                )
            per_class = np.array(per_class, dtype=np.float64)
            if not (np.isfinite(per_class).all() and (per_class >= 0).all()):
                raise ValueError(
                    f"class_weight={self.class_weight!r} has a negative, NaN or infinite "
                    "weight; class weights scale the loss, so they must be finite and >= 0."
                )
        return per_class[y]

    def _standardise_targets(self, y, sample_weight, first_pass):
        return y

    def _n_outputs(self):
        return len(self.classes_)

    def _encode_y_for_loss(self, y):
        return y if self._multilabel else y.astype(np.int64)

    def _loss(self, out, target):
        if self._multilabel:  # one logistic loss per label, summed as in MLPClassifier
            return torch.nn.functional.binary_cross_entropy_with_logits(
                out, target, reduction="none"
            ).sum(dim=1)
        return torch.nn.functional.cross_entropy(out, target, reduction="none")

    def _batch_groups(self, y):
        if self._multilabel:  # the label combinations
            return np.unique(y, axis=0, return_inverse=True)[1].ravel().astype(np.intp)
        return y.astype(np.intp)

    def _stratify(self, y):
        if self._multilabel:
            return None  # as MLPClassifier: no stratified split of label sets
        counts = np.bincount(y)
        return y if counts[counts > 0].min() >= 2 else None

    def _decide(self, out):
        """Class indices (single-label) or 0/1 indicators (multilabel) from logits."""
        return (out > 0).astype(np.int64) if self._multilabel else out.argmax(1)

    def _score_sequences(self, seqs, y, sample_weight=None):
        pred = self._decide(self._forward_sequences(seqs))
        y = y.astype(np.int64) if self._multilabel else y
        return float(accuracy_score(y, pred, sample_weight=sample_weight))

    def predict_proba(self, X):
        """Probability of each class.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Sequences, as in :meth:`fit`.

        Returns
        -------
        proba : ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``. For a multilabel model,
            each column is the probability of one label, independently of the
            others (the rows need not sum to one).
        """
        out = torch.from_numpy(self._forward_all(X)).double()
        return (torch.sigmoid(out) if self._multilabel else torch.softmax(out, dim=1)).numpy()

    def predict_log_proba(self, X):
        """Log of the probability of each class.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Sequences, as in :meth:`fit`.

        Returns
        -------
        log_proba : ndarray of shape (n_samples, n_classes)
            Log-probabilities in the order of ``classes_`` (for a multilabel
            model, of each label independently).
        """
        out = torch.from_numpy(self._forward_all(X)).double()
        if self._multilabel:
            return torch.nn.functional.logsigmoid(out).numpy()
        return torch.log_softmax(out, dim=1).numpy()

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Sequences, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_classes)
            Predicted labels; for a multilabel model, a 0/1 indicator matrix
            (a label is predicted when its probability exceeds 0.5), sparse if
            the model was fitted on a sparse y.
        """
        pred = self._decide(self._forward_all(X))
        if not self._multilabel:
            return self.classes_[pred]
        return csr_matrix(pred) if self._sparse_y else pred

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_label = True
        return tags


# -------------------------------------------------------------------- regressors
class BaseSequenceRegressor(RegressorMixin, BaseSequenceEstimator):
    """Shared regressor behaviour: standardised targets, multi-output."""

    _min_validation_samples = 2  # R^2 of one sample is undefined
    _score_name = "R2"

    def partial_fit(self, X, y, sample_weight=None):
        """Update the model with one epoch over the given data.

        Token ids must mean what they meant in the first fit: the output of a
        transformer refitted or partially fitted since (another vocabulary or
        table) is refused, since the model keeps the fitted table's rows.
        Adam's moment estimates carry over between calls in one process; a
        pickle keeps them only with ``warm_start=True``, so ``partial_fit`` on
        an unpickled model otherwise starts them afresh.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Training sequences, as in :meth:`fit`.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Target values.
        sample_weight : array-like of shape (n_samples,), default=None
            Per-sample weights in the loss, relative within the call (each
            call's weights are rescaled to a mean of 1).

        Returns
        -------
        self : object
            The updated estimator.
        """
        return self._partial_fit(X, y, sample_weight)

    def _validate_y(self, y, n_samples, first_pass, classes, warm):
        _check_real(y, "y")
        y = check_array(y, ensure_2d=False, dtype=[np.float64, np.float32], input_name="y")
        if y.ndim > 2:
            raise ValueError(f"y must be 1D or 2D (n_samples, n_outputs), got {y.ndim}D.")
        if len(y) != n_samples:
            raise ValueError(
                f"X has {n_samples} samples but y has {len(y)}; they must have the same length."
            )
        y = _warn_column(y)  # one output is 1D, as in MLPRegressor
        y = y.ravel() if y.ndim == 2 and y.shape[1] == 1 else y
        y2 = y.reshape(len(y), -1)
        if not first_pass and y2.shape[1] != len(self._y_mean):
            raise ValueError(
                f"y has {y2.shape[1]} outputs but the model was fitted with "
                f"{len(self._y_mean)}; {new_network(self)} on them."
            )
        self._y_1d = y.ndim == 1
        return y2

    def _standardise_targets(self, y, sample_weight, first_pass):
        # weighted: a sample of weight 0 moves neither the mean nor the scale
        stats = _target_stats(y, sample_weight)
        if first_pass:
            self._y_stats = stats
            self._y_mean, self._y_scale = stats[1], _scale(stats)
        else:
            self._merge_target_stats(stats)
        return ((y - self._y_mean) / self._y_scale).astype(np.float32)

    def _merge_target_stats(self, stats):
        """Standardise with the statistics of every target seen so far (a first
        partial_fit chunk need not represent the data), and re-express the output
        layer in the new units so that the predictions do not change (except for
        outputs whose targets were all equal so far)."""
        constant = self._y_stats[2] == 0
        self._y_stats = _merge_stats(self._y_stats, stats)
        mean, scale = self._y_stats[1], _scale(self._y_stats)
        if np.allclose(mean, self._y_mean, rtol=1e-6, atol=0) and np.allclose(
            scale, self._y_scale, rtol=1e-6, atol=0
        ):
            return  # the same data again: keep the units (and warm starts exact)
        # an output whose targets were all equal had no units to learn in (its
        # scale stood in as 1) and learned nothing but that value: it restarts
        # from zero weights at the mean of all the targets seen
        ratio = np.where(constant, 0.0, self._y_scale / scale)
        shift = np.where(constant, 0.0, (self._y_mean - mean) / scale)

        def rescale(weight, bias):
            device = weight.device
            weight.mul_(torch.as_tensor(ratio, dtype=weight.dtype, device=device)[:, None])
            bias.mul_(torch.as_tensor(ratio, dtype=bias.dtype, device=device))
            bias.add_(torch.as_tensor(shift, dtype=bias.dtype, device=device))

        with torch.no_grad():
            rescale(self.module_.head.weight, self.module_.head.bias)
        if self._best_state is not None:  # a new dict: a failed call restores the old one
            best = {k: v.clone() for k, v in self._best_state.items()}
            rescale(best["head.weight"], best["head.bias"])
            self._best_state = best
        self._y_mean, self._y_scale = mean, scale
        # losses in other units are not comparable with the best one so far
        self.best_loss_ = None if self.early_stopping else np.inf
        self._no_improvement_count = 0

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        return tags

    def _class_sample_weight(self, y):
        return np.ones(len(y))

    def _n_outputs(self):
        return len(self._y_mean)

    def _encode_y_for_loss(self, y):
        return y

    def _loss(self, out, target):
        return ((out - target) ** 2).mean(dim=1)

    def _batch_groups(self, y):
        # quintiles of the (mean) target: each batch spans the target's range
        t = y.mean(axis=1) if y.ndim == 2 else y
        rank = np.empty(len(t), dtype=np.intp)
        rank[np.argsort(t, kind="stable")] = np.arange(len(t))
        return rank * 5 // len(t)

    def _stratify(self, y):
        return None

    def _score_sequences(self, seqs, y, sample_weight=None):
        return float(r2_score(y, self._forward_sequences(seqs), sample_weight=sample_weight))

    def predict(self, X):
        """Predict the target of each sequence.

        Parameters
        ----------
        X : SequenceArray, array-like or list of arrays
            Sequences, as in :meth:`fit`.

        Returns
        -------
        y_pred : ndarray of shape (n_samples,) or (n_samples, n_outputs)
            Predicted values.
        """
        out = self._forward_all(X).astype(np.float64) * self._y_scale + self._y_mean
        return out.ravel() if self._y_1d else out


def _label_kind(value):
    """What a label is, for the test of labels that mix strings and numbers."""
    if isinstance(value, str):
        return "str"
    if isinstance(value, (numbers.Number, np.bool_)):
        return "number"
    return type(value).__name__


def _warn_column(y):
    """``y``, warned about as scikit-learn does when it is a column vector."""
    if len(y.shape) == 2 and y.shape[1] == 1:
        warn(
            "A column-vector y was passed when a 1d array was expected. Please change "
            "the shape of y to (n_samples,), for example using ravel().",
            DataConversionWarning,
        )
    return y


def _target_stats(y, weight):
    """(total weight, weighted mean, weighted std) of each column of a 2D target,
    over the samples of positive weight, computed through y / max|y| so that
    neither the variance of huge values overflows nor that of tiny ones underflows."""
    y, weight = y[weight > 0], weight[weight > 0]
    size = np.abs(y).max(axis=0)
    size = np.where(size > 0, size, 1.0)
    scaled = y / size
    mean = np.average(scaled, axis=0, weights=weight)
    std = np.sqrt(np.average((scaled - mean) ** 2, axis=0, weights=weight))
    return weight.sum(), mean * size, std * size


def _merge_stats(a, b):
    """The (count, mean, std) of two groups together, in units of their size."""
    (n1, m1, s1), (n2, m2, s2) = a, b
    size = np.max([np.abs(m1), np.abs(m2), s1, s2], axis=0)
    size = np.where(size > 0, size, 1.0)
    m1, m2, s1, s2 = m1 / size, m2 / size, s1 / size, s2 / size
    n = n1 + n2
    mean = (n1 * m1 + n2 * m2) / n
    var = (n1 * (s1**2 + (m1 - mean) ** 2) + n2 * (s2**2 + (m2 - mean) ** 2)) / n
    return n, mean * size, np.sqrt(var) * size


def _scale(stats):
    """The standardising scale: the std, or for equal targets their size (1 for zeros)."""
    _, mean, std = stats
    return np.where(std > 0, std, np.where(mean != 0, np.abs(mean), 1.0))


# ------------------------------------------------------------------ public classes
class RNNClassifier(BaseSequenceClassifier):
    __doc__ = _doc(
        "Classifier",
        "Elman recurrent network",
        [_CLASS_WEIGHT_PARAM, _NONLINEARITY_PARAM],
        _CLASSES_ATTR + _COMMON_ATTRS,
        _classifier_example("RNNClassifier"),
    )
    _cell = "rnn"
    _parameter_constraints: dict = {
        **BaseSequenceClassifier._parameter_constraints,
        "nonlinearity": [StrOptions({"tanh", "relu"})],
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
        class_weight=None,
        nonlinearity="tanh",
    ):
        super().__init__(
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            pooling=pooling,
            embedding_dim=embedding_dim,
            freeze_embedding=freeze_embedding,
            batch_size=batch_size,
            learning_rate_init=learning_rate_init,
            alpha=alpha,
            max_iter=max_iter,
            tol=tol,
            n_iter_no_change=n_iter_no_change,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            shuffle=shuffle,
            max_grad_norm=max_grad_norm,
            device=device,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
            class_weight=class_weight,
        )
        self.nonlinearity = nonlinearity


class LSTMClassifier(BaseSequenceClassifier):
    __doc__ = _doc(
        "Classifier",
        "Long short-term memory network",
        [_CLASS_WEIGHT_PARAM],
        _CLASSES_ATTR + _COMMON_ATTRS,
        _classifier_example("LSTMClassifier"),
    )
    _cell = "lstm"


class GRUClassifier(BaseSequenceClassifier):
    __doc__ = _doc(
        "Classifier",
        "Gated recurrent unit network",
        [_CLASS_WEIGHT_PARAM],
        _CLASSES_ATTR + _COMMON_ATTRS,
        _classifier_example("GRUClassifier"),
    )
    _cell = "gru"


class RNNRegressor(BaseSequenceRegressor):
    __doc__ = _doc(
        "Regressor",
        "Elman recurrent network",
        [_NONLINEARITY_PARAM],
        _COMMON_ATTRS,
        _regressor_example("RNNRegressor"),
    )
    _cell = "rnn"
    _parameter_constraints: dict = {
        **BaseSequenceRegressor._parameter_constraints,
        "nonlinearity": [StrOptions({"tanh", "relu"})],
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
        nonlinearity="tanh",
    ):
        super().__init__(
            hidden_size=hidden_size,
            num_layers=num_layers,
            bidirectional=bidirectional,
            dropout=dropout,
            pooling=pooling,
            embedding_dim=embedding_dim,
            freeze_embedding=freeze_embedding,
            batch_size=batch_size,
            learning_rate_init=learning_rate_init,
            alpha=alpha,
            max_iter=max_iter,
            tol=tol,
            n_iter_no_change=n_iter_no_change,
            early_stopping=early_stopping,
            validation_fraction=validation_fraction,
            shuffle=shuffle,
            max_grad_norm=max_grad_norm,
            device=device,
            random_state=random_state,
            verbose=verbose,
            warm_start=warm_start,
        )
        self.nonlinearity = nonlinearity


class LSTMRegressor(BaseSequenceRegressor):
    __doc__ = _doc(
        "Regressor",
        "Long short-term memory network",
        [],
        _COMMON_ATTRS,
        _regressor_example("LSTMRegressor"),
    )
    _cell = "lstm"


class GRURegressor(BaseSequenceRegressor):
    __doc__ = _doc(
        "Regressor",
        "Gated recurrent unit network",
        [],
        _COMMON_ATTRS,
        _regressor_example("GRURegressor"),
    )
    _cell = "gru"
