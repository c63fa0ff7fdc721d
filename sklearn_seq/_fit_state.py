"""A failed ``fit`` leaves an estimator as it was: shared by the estimators
and the embedding transformers."""

import copy
from contextlib import contextmanager


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
