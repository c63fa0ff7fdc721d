"""joblib's Dask backend, failing (not hanging) when a worker dies.

joblib's ``DaskDistributedBackend`` (joblib <= 1.6) waits for a completion
callback that it only calls for tasks that returned: a task that the
scheduler marks as failed (``KilledWorker`` after the worker running it died
``distributed.scheduler.allowed-failures + 1`` times) never calls it, and
``Parallel`` -- hence ``GridSearchCV.fit`` -- waits forever. This subclass
hands such an error to the callback, so the search raises it.
"""

from joblib._dask import DaskDistributedBackend


class DaskBackend(DaskDistributedBackend):
    """``DaskDistributedBackend`` that raises scheduler-side task errors."""

    def submit(self, func, callback=None):
        cf_future = super().submit(func, callback)
        if callback is not None:

            def _on_done(future):
                # only set for errors outside the task (a task's own exception is
                # returned as its result and reaches the callback as usual)
                exc = None if future.cancelled() else future.exception()
                if exc is not None:
                    callback(exc)

            cf_future.add_done_callback(_on_done)
        return cf_future

    def get_nested_backend(self):
        return type(self)(client=self.client), -1

    def __reduce__(self):
        return (type(self), ())
