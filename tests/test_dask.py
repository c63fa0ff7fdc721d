"""Scaling out: hyperparameter searches over the text pipeline on a Dask
cluster with process workers, through joblib's Dask backend."""

import logging
import os
import pickle
import sys
import threading

import numpy as np
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.model_selection import GridSearchCV, RandomizedSearchCV
from sklearn.pipeline import Pipeline

from sklearn_seq import GRUClassifier, W2VTransformer
from sklearn_seq.utils import register_dask_backend

dask = pytest.importorskip("dask")
distributed = pytest.importorskip("distributed")
joblib = pytest.importorskip("joblib")

pytestmark = [
    pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning"),
    # the scheduler's HTTP server (no dashboard) moves off a port another cluster uses
    pytest.mark.filterwarnings("ignore:Port .* is already in use:UserWarning"),
]

DOCS = [
    "the cat sat on the mat",
    "a dog ran in the park",
    "the cat chased the mouse",
    "dogs bark at the mailman",
    "a kitten sleeps on the sofa",
    "the puppy fetched the ball",
    "my cat purrs when it sleeps",
    "the dog wags its tail",
] * 3
LABELS = np.array(["cat", "dog"] * 12)
GRID = {"emb__vector_size": [4, 8], "clf__hidden_size": [4, 8]}
TIMEOUT = 60  # seconds: a search that has not failed by then is hanging


def make_pipe():
    return Pipeline(
        [
            ("emb", W2VTransformer(vector_size=8, min_count=1, epochs=1, random_state=0)),
            ("clf", GRUClassifier(hidden_size=8, max_iter=3, device="cpu", random_state=0)),
        ]
    )


def _cluster(n_workers):
    return distributed.LocalCluster(
        n_workers=n_workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        silence_logs=logging.CRITICAL,
    )


@pytest.fixture(scope="module")
def client():
    register_dask_backend()
    # a task whose worker died once is not retried but fails with KilledWorker
    # at once (the default, 3 retries, only makes the dead-worker test slower)
    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        _cluster(2) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client


def _fit_on_dask(search, X, y):
    with joblib.parallel_config(backend="dask"):
        return search.fit(X, y)


def _assert_same_search(local, remote):
    assert remote.best_params_ == local.best_params_
    assert [p for p in remote.cv_results_["params"]] == list(local.cv_results_["params"])
    for key in ("mean_test_score", "split0_test_score", "split1_test_score"):
        np.testing.assert_allclose(remote.cv_results_[key], local.cv_results_[key], atol=1e-9)
    np.testing.assert_array_equal(
        remote.best_estimator_.predict_proba(DOCS), local.best_estimator_.predict_proba(DOCS)
    )


def test_grid_search_on_dask_equals_local_search(client):
    local = GridSearchCV(make_pipe(), GRID, cv=2).fit(DOCS, LABELS)
    remote = _fit_on_dask(GridSearchCV(make_pipe(), GRID, cv=2, n_jobs=-1), DOCS, LABELS)
    _assert_same_search(local, remote)
    # the fits ran on both worker processes, not in this one
    assert len(client.scheduler_info()["workers"]) == 2


def test_randomized_search_on_dask_equals_local_search(client):
    dist = {"emb__window": [2, 3, 5], "clf__hidden_size": [4, 6, 8], "clf__alpha": [0.0, 1e-3]}

    def search():
        return RandomizedSearchCV(make_pipe(), dist, n_iter=3, cv=2, random_state=0)

    local = search().fit(DOCS, LABELS)
    remote = _fit_on_dask(search(), DOCS, LABELS)
    _assert_same_search(local, remote)


def test_pipelines_sent_to_workers_are_small(client):
    pipe = make_pipe()
    # what the search ships for every fit: the unfitted pipeline's parameters
    assert len(pickle.dumps(clone(pipe))) < 4_000
    # a fitted pipeline carries its weights and vectors, no training state:
    # no gensim model (_model), no optimizer moments
    fitted = pipe.fit(DOCS, LABELS)
    assert fitted.named_steps["emb"]._model is not None
    blob = pickle.dumps(fitted)
    weights = sum(p.numel() * 4 for p in fitted.named_steps["clf"].module_.parameters())
    vectors = fitted.named_steps["emb"].wv_.vectors.nbytes
    # the arrays plus parameters, classes, loss curve and the RNG state (~5 kB)
    assert len(blob) < weights + vectors + 12_000
    assert b"exp_avg" not in blob
    restored = pickle.loads(blob)
    assert "_model" not in restored.named_steps["emb"].__dict__
    np.testing.assert_array_equal(restored.predict_proba(DOCS), fitted.predict_proba(DOCS))
    # and the refitted best pipeline comes back from a worker the same way
    remote = _fit_on_dask(GridSearchCV(make_pipe(), GRID, cv=2, n_jobs=-1), DOCS, LABELS)
    assert len(pickle.dumps(remote.best_estimator_)) < 20_000


class _FailingClassifier(ClassifierMixin, BaseEstimator):
    """Raises, or kills the process it runs in, when fitted in a Dask worker."""

    def __init__(self, mode="raise", c=1):
        self.mode = mode
        self.c = c

    def fit(self, X, y):
        in_worker = distributed.worker.thread_state.__dict__.get("execution_state") is not None
        if in_worker and self.mode == "exit":
            os._exit(1)  # the worker process dies, as in a segfault or the OOM killer
        if in_worker:
            raise RuntimeError("fit failed in the worker")
        self.classes_ = np.unique(y)
        return self

    def predict(self, X):
        return np.full(len(X), self.classes_[0])


def _fit_with_timeout(search, X, y):
    """Run search.fit on the Dask backend in a thread; return its exception."""
    outcome = {}

    def target():
        try:
            _fit_on_dask(search, X, y)
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            outcome["error"] = exc
        else:
            outcome["error"] = None

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    assert not thread.is_alive(), f"the search still runs after {TIMEOUT} s: it hangs"
    return outcome["error"]


def test_exception_in_worker_fails_the_search(client):
    search = GridSearchCV(_FailingClassifier(), {"c": [1, 2]}, cv=2, error_score="raise")
    error = _fit_with_timeout(search, np.zeros((8, 1)), [0, 1] * 4)
    assert isinstance(error, RuntimeError)
    assert "fit failed in the worker" in str(error)


def test_dead_worker_fails_the_search_not_hangs(client):
    # the last test here: the cluster's workers die (their nannies restart them)
    search = GridSearchCV(_FailingClassifier(mode="exit"), {"c": [1, 2]}, cv=2, error_score="raise")
    error = _fit_with_timeout(search, np.zeros((8, 1)), [0, 1] * 4)
    assert isinstance(error, distributed.scheduler.KilledWorker), repr(error)
    assert "died" in str(error)


def test_register_without_distributed_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if it were not installed
    with pytest.raises(ImportError, match=r"dask\[distributed\]"):
        register_dask_backend()
