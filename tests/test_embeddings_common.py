"""scikit-learn's estimator checks over every embedding transformer."""

import pytest
from sklearn.utils.estimator_checks import parametrize_with_checks

from sklearn_seq.embeddings import (
    FastTextTransformer,
    GloVeTransformer,
    SequenceVectorizer,
    W2VTransformer,
)

# Fast settings; output="mean"/"padded" gives arrays the checks can compare.
FAST = [
    W2VTransformer(vector_size=8, min_count=1, epochs=2, output="mean", random_state=0),
    W2VTransformer(
        vector_size=8, min_count=1, epochs=2, output="padded", max_length=4, random_state=0
    ),
    FastTextTransformer(
        vector_size=8, min_count=1, epochs=2, bucket=500, output="mean", random_state=0
    ),
    GloVeTransformer(vector_size=8, min_count=1, epochs=2, window=3, output="mean", random_state=0),
    SequenceVectorizer(output="padded"),
]


@parametrize_with_checks(FAST)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.parametrize("est", [W2VTransformer(workers=2), FastTextTransformer(workers=3)])
def test_non_deterministic_tag_when_threaded(est):
    assert est.__sklearn_tags__().non_deterministic
    assert not est.set_params(workers=1).__sklearn_tags__().non_deterministic


def test_glove_is_deterministic_on_the_cpu(monkeypatch):
    # as the recurrent estimators: device="auto" trains on the CPU without a GPU
    import torch

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert not GloVeTransformer(device="auto").__sklearn_tags__().non_deterministic
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert GloVeTransformer(device="auto").__sklearn_tags__().non_deterministic
    for device in ("cpu", "cpu:0"):
        assert not GloVeTransformer(device=device).__sklearn_tags__().non_deterministic
