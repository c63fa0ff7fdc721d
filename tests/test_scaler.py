"""SequenceScaler: one scale per step feature, over every step of every sequence."""

import warnings

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import cross_val_score
from sklearn.pipeline import make_pipeline

from sklearn_seq import GRURegressor, SequenceArray, SequenceScaler, SequenceVectorizer


def test_ragged_sequences_are_scaled_by_the_statistics_of_all_their_steps():
    rng = np.random.RandomState(0)
    X = [rng.randn(n, 2) * [1.0, 30.0] + [5.0, -200.0] for n in (4, 1, 7, 3)]
    steps = np.concatenate(X)
    scaler = SequenceScaler().fit(X)
    np.testing.assert_allclose(scaler.mean_, steps.mean(axis=0))
    np.testing.assert_allclose(scaler.scale_, steps.std(axis=0))
    Xt = scaler.transform(X)
    assert isinstance(Xt, SequenceArray) and Xt.lengths.tolist() == [4, 1, 7, 3]
    expected = (steps - steps.mean(0)) / steps.std(0)
    np.testing.assert_allclose(np.concatenate(Xt.to_list()), expected, rtol=1e-5, atol=1e-6)
    back = scaler.inverse_transform(Xt)  # (lists of arrays are float32 sequences)
    np.testing.assert_allclose(np.concatenate(back.to_list()), steps, rtol=1e-5)
    assert scaler.n_features_in_ == 2
    with pytest.raises(ValueError, match="3 features per step.*fitted with 2"):
        scaler.transform([rng.randn(2, 3)])


def test_arrays_keep_their_shape_and_dtype():
    rng = np.random.RandomState(0)
    X3 = (rng.randn(5, 6, 2) * 10 + 3).astype(np.float32)
    out = SequenceScaler().fit_transform(X3)
    assert out.shape == X3.shape and out.dtype == np.float32
    flat = X3.reshape(-1, 2)
    np.testing.assert_allclose(out.reshape(-1, 2), (flat - flat.mean(0)) / flat.std(0), rtol=1e-4)
    # a 2D array (or DataFrame) holds univariate sequences: one scale for every cell,
    # where StandardScaler would scale each time step apart
    X2 = pd.DataFrame(rng.randn(4, 5) * 7 + 40, columns=list("abcde"))
    scaler = SequenceScaler().fit(X2)
    out = scaler.transform(X2)
    assert out.shape == (4, 5) and list(scaler.feature_names_in_) == list("abcde")
    values = X2.to_numpy()
    np.testing.assert_allclose(out, (values - values.mean()) / values.std())
    assert scaler.mean_.shape == scaler.scale_.shape == (1,)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no "X does not have valid feature names")
        np.testing.assert_allclose(scaler.inverse_transform(out), values)


def test_options_constant_features_and_token_ids():
    X = [np.array([[1.0, 7.0], [3.0, 7.0]])]
    assert SequenceScaler().fit(X).scale_.tolist() == [1.0, 1.0]  # std 0 -> 1
    only_std = SequenceScaler(with_mean=False).fit(X)
    assert only_std.mean_ is None
    assert only_std.transform(X).to_list()[0].tolist() == [[1, 7], [3, 7]]
    none = SequenceScaler(with_mean=False, with_std=False).fit(X)
    assert none.transform(X) == SequenceArray.from_sequences(X)
    ids = SequenceVectorizer().fit_transform(["a b", "b c"])
    for text, advice in (
        (["a b", "c"], "to_numeric"),
        ([np.array([[1.0, "in"]], dtype=object)], "one-hot"),
    ):
        # not the estimators' advice (a transformer before the scaler fails)
        with pytest.raises(
            TypeError,
            match=rf"scales numeric sequences, but X holds strings.*{advice}.*Text needs no scal",
        ):
            SequenceScaler().fit(text)
    with pytest.raises(TypeError, match="scales numeric sequences; X holds token ids"):
        SequenceScaler().fit(ids)


def test_in_a_pipeline_it_rescues_an_offset_series():
    # a signal of +-1 around 50: raw, the network trains worse than the mean
    rng = np.random.RandomState(0)
    X = rng.randn(300, 8)
    y = X[:, -3:].sum(axis=1)
    params = dict(hidden_size=16, max_iter=30, random_state=0, device="cpu")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = cross_val_score(GRURegressor(**params), X + 50, y, cv=3).mean()
        scaled = cross_val_score(
            make_pipeline(SequenceScaler(), GRURegressor(**params)), X + 50, y, cv=3
        ).mean()
    assert scaled > 0.8 and scaled > raw + 0.3


def test_constant_features_keep_unit_scale_despite_rounding():
    # 0.1 repeated has a rounding-sized variance (~1e-32): a scale of 1e-16 turned
    # any other value at transform into ~1e14
    rng = np.random.RandomState(0)
    X = np.stack([rng.randn(7, 5), np.full((7, 5), 0.1)], axis=2)
    scaler = SequenceScaler().fit(X)
    assert scaler.scale_[1] == 1.0
    other = X.copy()
    other[..., 1] = 0.2
    np.testing.assert_allclose(scaler.transform(other)[..., 1], 0.1)


def test_a_refused_fit_leaves_the_scaler_as_it_was():
    X = [np.array([[1.0, 2.0], [3.0, 5.0]])]
    scaler = SequenceScaler().fit(X)
    before = scaler.transform(X)
    ids = SequenceVectorizer().fit_transform(["a b", "b c"])
    for bad, error in [(ids, TypeError), ([np.zeros((0, 1))], ValueError)]:
        with pytest.raises(error):
            scaler.fit(bad)
        assert scaler.n_features_in_ == 2 and scaler.transform(X) == before
    with pytest.raises(ValueError, match="no steps at all"):
        SequenceScaler().fit([np.zeros((0, 2)), np.zeros((0, 2))])


def test_tensors_and_lists_of_frames_keep_the_form_they_came_in():
    import torch

    rng = np.random.RandomState(0)
    X = torch.tensor(rng.randn(4, 3, 2), requires_grad=True)
    out = SequenceScaler().fit(X).transform(X)  # numpy() of a tensor needing grad failed
    assert out.shape == (4, 3, 2)
    frames = [pd.DataFrame(rng.randn(3, 2), columns=["u", "v"]) for _ in range(3)]
    assert isinstance(SequenceScaler().fit_transform(frames), SequenceArray)
    pl = pytest.importorskip("polars")
    mixed = [frames[0].to_numpy(), pl.from_pandas(frames[1])]  # failed: only X[0] was read
    assert isinstance(SequenceScaler().fit_transform(mixed), SequenceArray)
    polars_frames = [pl.from_pandas(f) for f in frames]  # as the pandas ones, not 3D
    assert SequenceScaler().fit_transform(polars_frames) == SequenceScaler().fit_transform(frames)
