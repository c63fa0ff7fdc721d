"""A failed ``fit`` leaves an estimator as it was, and parameters read after
fit are checked where they are read: shared by the estimators and the
embedding transformers."""

import copy
from contextlib import contextmanager

import torch
from sklearn import get_config
from sklearn.utils._param_validation import validate_parameter_constraints


def check_params_read(estimator, names):
    """Validate the parameters ``names`` that a method reads after fit.

    scikit-learn validates parameters in ``fit``; a ``set_params`` after it
    would otherwise reach ``transform``/``predict`` unchecked (a typo of a
    string option silently taking another branch). Follows the
    ``skip_parameter_validation`` configuration, as ``fit`` does.
    """
    if get_config()["skip_parameter_validation"]:
        return
    constraints = estimator._parameter_constraints
    validate_parameter_constraints(
        {name: constraints[name] for name in names},
        {name: getattr(estimator, name) for name in names},
        caller_name=type(estimator).__name__,
    )


@contextmanager
def keep_state_on_error(estimator, *, deep=()):
    """Restore ``estimator.__dict__`` if the block raises (a failed refit changes nothing).

    Fitted attributes are replaced by a fit, not mutated, so a shallow copy
    keeps them; lists (which training appends to) are copied, and the
    attributes named in ``deep`` (updated in place, such as a random state)
    are deep-copied.
    """
    state = {k: v[:] if isinstance(v, list) else v for k, v in estimator.__dict__.items()}
    for key in deep:
        if key in state:
            state[key] = copy.deepcopy(state[key])
    try:
        yield
    except BaseException:
        estimator.__dict__.clear()
        estimator.__dict__.update(state)
        raise


def deepcopy_with_training_state(self, memo):
    """``__deepcopy__`` of the estimators and transformers: a faithful copy in
    memory, with the state that continues training (Adam's moments, gensim's
    model), which ``__getstate__`` leaves out of pickles and would leave out of
    a deep copy (``copy.deepcopy`` goes through it)."""
    new = type(self).__new__(type(self))
    memo[id(self)] = new
    with torch.inference_mode(False):  # tensors that can train, whatever the caller's mode
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
    return new
