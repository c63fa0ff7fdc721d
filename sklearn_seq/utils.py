"""Small public helpers."""

__all__ = ["register_dask_backend", "trusted_types"]


def trusted_types():
    """The project's estimator types and ``SequenceArray``, as :mod:`skops.io` names them.

    A fitted estimator, transformer or pipeline of this package (or a
    ``SequenceArray``) saved with
    :func:`skops.io.dump` contains no types besides these and the ones skops
    trusts by default (scikit-learn, numpy, builtins): the network weights and
    word vectors are stored as plain numpy arrays, never as torch or gensim
    objects. The one exception is a ``device`` parameter given as a
    ``torch.device``, listed here too (built from its name, it runs no other
    code). Pass the list to :func:`skops.io.load`, after checking that
    :func:`skops.io.get_untrusted_types` of the file shows nothing else::

        import skops.io as sio
        from sklearn_seq.utils import trusted_types

        unknown = set(sio.get_untrusted_types(file="model.skops")) - set(trusted_types())
        assert not unknown, unknown
        model = sio.load("model.skops", trusted=trusted_types())

    Returns
    -------
    types : list of str
        Fully qualified class names (``module.ClassName``), sorted.

    Examples
    --------
    >>> from sklearn_seq.utils import trusted_types
    >>> "sklearn_seq.rnn._classes.GRUClassifier" in trusted_types()
    True
    """
    from sklearn.base import BaseEstimator

    import sklearn_seq

    public = (getattr(sklearn_seq, name) for name in sklearn_seq.__all__)
    classes = [
        obj
        for obj in public
        if isinstance(obj, type)
        and (issubclass(obj, BaseEstimator) or obj is sklearn_seq.SequenceArray)
    ]
    return sorted([f"{cls.__module__}.{cls.__qualname__}" for cls in classes] + ["torch.device"])


def register_dask_backend():
    """Make ``joblib.parallel_config(backend="dask")`` fail when a worker dies.

    joblib's Dask backend (up to joblib 1.6 at least) waits forever when the
    scheduler gives up on a task because the worker running it died (for
    example killed for using too much memory, or a crash in a GPU driver):
    the search hangs instead of failing. This registers under the name
    ``"dask"`` a subclass of joblib's backend that raises the scheduler's
    error (``distributed.scheduler.KilledWorker``) instead; everything else
    is unchanged. Call it once, before the search::

        import joblib
        from dask.distributed import Client
        from sklearn_seq.utils import register_dask_backend

        register_dask_backend()
        client = Client("scheduler-address:8786")
        with joblib.parallel_config(backend="dask"):
            search.fit(X, y)

    Returns
    -------
    backend_class : type
        The registered backend class.
    """
    import joblib

    try:
        import distributed  # noqa: F401
    except ImportError:
        raise ImportError(
            "register_dask_backend needs dask's distributed scheduler: "
            "pip install 'dask[distributed]'."
        ) from None
    from ._dask import DaskBackend

    joblib.register_parallel_backend("dask", DaskBackend)
    return DaskBackend
