"""scikit-learn's estimator checks over every public estimator, in a fast
configuration and in its default configuration."""

import os

from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_seq import (
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
    SequenceScaler,
)

ESTIMATORS = [
    RNNClassifier,
    LSTMClassifier,
    GRUClassifier,
    RNNRegressor,
    LSTMRegressor,
    GRURegressor,
]
# the GPU check script sets SKLEARN_SEQ_TEST_DEVICE=cuda to run the fast checks there (the
# default configuration, device="auto", runs on the GPU wherever one is present)
DEVICE = os.environ.get("SKLEARN_SEQ_TEST_DEVICE", "cpu")
# a small network that still learns the checks' toy problems
FAST = dict(
    hidden_size=8,
    max_iter=40,
    learning_rate_init=0.02,
    batch_size=32,
    device=DEVICE,
    random_state=0,
)

# minibatch optimisation cannot make an integer weight equal to repeating the
# sample (scikit-learn marks its SGD estimators the same way)
EXPECTED_FAILED = {
    "check_sample_weight_equivalence_on_dense_data": (
        "minibatch training: a weight of 2 is not the same as a repeated sample"
    ),
}


@parametrize_with_checks(
    [cls(**FAST) for cls in ESTIMATORS] + [cls() for cls in ESTIMATORS],
    expected_failed_checks=lambda est: EXPECTED_FAILED,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@parametrize_with_checks([SequenceScaler(), SequenceScaler(with_mean=False, with_std=False)])
def test_sequence_scaler_is_sklearn_compatible(estimator, check):
    check(estimator)
