"""Tests for the bundled datasets: WordNet glosses and yearly sunspots."""

import numpy as np
import pandas as pd
import pytest

from sklearn_seq.datasets import load_sunspots, load_wordnet_glosses


@pytest.fixture(scope="module")
def glosses():
    return load_wordnet_glosses()


@pytest.fixture(scope="module")
def glosses_frame():
    return load_wordnet_glosses(as_frame=True)


# --- WordNet glosses --------------------------------------------------------------------------


def test_wordnet_shapes_and_classes(glosses):
    assert len(glosses.data) == 117_659
    assert glosses.target.shape == (117_659,)
    assert glosses.target.dtype == np.int64
    assert len(glosses.lemmas) == len(glosses.pos) == 117_659
    assert len(glosses.target_names) == 45
    assert list(glosses.target_names) == sorted(glosses.target_names)
    assert np.array_equal(np.unique(glosses.target), np.arange(45))
    assert {"noun.animal", "verb.motion", "adj.ppl", "adv.all", "noun.Tops"} <= set(
        glosses.target_names
    )
    assert all(isinstance(g, str) and g for g in glosses.data)
    assert glosses.frame is None
    assert "WordNet 3.0 Copyright 2006 by Princeton University" in glosses.DESCR


def test_wordnet_counts(glosses):
    pos, counts = np.unique(glosses.pos, return_counts=True)
    assert dict(zip(pos, counts, strict=True)) == {
        "noun": 82_115,
        "verb": 13_767,
        "adj": 18_156,
        "adv": 3_621,
    }
    per_class = np.bincount(glosses.target)
    names = list(glosses.target_names)
    assert per_class[names.index("adj.all")] == 14_435
    assert per_class[names.index("noun.motive")] == 42


def test_wordnet_known_synsets(glosses_frame):
    frame = glosses_frame.frame
    assert list(frame.columns) == ["offset", "pos", "lemmas", "gloss", "lexname", "target"]
    assert not frame.duplicated(["offset", "pos"]).any()
    by_key = frame.set_index(["pos", "offset"])

    dog = by_key.loc[("noun", 2084071)]
    assert dog["lemmas"] == "dog; domestic dog; Canis familiaris"
    assert dog["lexname"] == "noun.animal"
    assert dog["gloss"].startswith("a member of the genus Canis")

    entity = by_key.loc[("noun", 1740)]
    assert (entity["lemmas"], entity["lexname"]) == ("entity", "noun.Tops")

    a_cappella = by_key.loc[("adv", 1740)]
    assert a_cappella["lemmas"] == "a cappella"
    assert a_cappella["gloss"] == 'without musical accompaniment; "they performed a cappella"'
    assert a_cappella["lexname"] == "adv.all"

    names = glosses_frame.target_names
    assert (names[frame["target"]] == frame["lexname"]).all()


def test_wordnet_as_frame(glosses_frame, glosses):
    assert isinstance(glosses_frame.data, pd.Series)
    assert isinstance(glosses_frame.target, pd.Series)
    assert glosses_frame.frame.shape == (117_659, 6)
    assert glosses_frame.data.tolist() == glosses.data
    assert np.array_equal(glosses_frame.target.to_numpy(), glosses.target)


def test_wordnet_return_X_y(glosses):
    X, y = load_wordnet_glosses(return_X_y=True)
    assert X == glosses.data
    assert np.array_equal(y, glosses.target)
    X, y = load_wordnet_glosses(return_X_y=True, as_frame=True)
    assert isinstance(X, pd.Series) and isinstance(y, pd.Series)


@pytest.mark.parametrize(
    "pos, n_samples, n_classes",
    [("noun", 82_115, 26), ("verb", 13_767, 15), ("adj", 18_156, 3), ("adv", 3_621, 1)],
)
def test_wordnet_pos(pos, n_samples, n_classes):
    bunch = load_wordnet_glosses(pos=pos)
    assert len(bunch.data) == n_samples
    assert len(bunch.target_names) == n_classes
    assert np.array_equal(np.unique(bunch.target), np.arange(n_classes))
    assert set(bunch.pos) == {pos}
    assert all(name.startswith(pos) for name in bunch.target_names)


@pytest.mark.parametrize("pos", ["nouns", "n", "Noun", "", 1, ["noun"]])
def test_wordnet_bad_pos(pos):
    with pytest.raises(ValueError, match=r"pos must be one of \['adj', 'adv', 'noun', 'verb'\]"):
        load_wordnet_glosses(pos=pos)


# --- Sunspots ---------------------------------------------------------------------------------


def test_sunspots_series():
    bunch = load_sunspots()
    assert bunch.data.shape == (309,)
    assert bunch.data.dtype == np.float64
    assert bunch.target is None
    assert np.array_equal(bunch.years, np.arange(1700, 2009))
    assert bunch.feature_names == ["sunspots"]
    assert bunch.data[:4].tolist() == [5.0, 11.0, 16.0, 23.0]
    assert bunch.data[bunch.years == 2008][0] == 2.9
    assert bunch.data.min() == 0.0 and bunch.data.max() == 190.2
    assert "public domain" in bunch.DESCR
    assert bunch.frame is None


@pytest.mark.parametrize("window", [1, 3, 11, 308])
def test_sunspots_window(window):
    series = load_sunspots().data
    X, y = load_sunspots(window=window, return_X_y=True)
    assert X.shape == (309 - window, window)
    assert y.shape == (309 - window,)
    assert X.flags.writeable
    for i in (0, len(y) - 1):
        assert np.array_equal(X[i], series[i : i + window])
        assert y[i] == series[i + window]
    bunch = load_sunspots(window=window)
    assert bunch.feature_names == [f"lag_{lag}" for lag in range(window, 0, -1)]
    assert bunch.years[0] == 1700 + window and bunch.years[-1] == 2008


def test_sunspots_as_frame():
    bunch = load_sunspots(as_frame=True)
    assert isinstance(bunch.data, pd.Series)
    assert bunch.frame.index.name == "year"
    assert bunch.frame.loc[1700, "sunspots"] == 5.0

    bunch = load_sunspots(window=2, as_frame=True)
    assert isinstance(bunch.data, pd.DataFrame) and isinstance(bunch.target, pd.Series)
    assert list(bunch.frame.columns) == ["lag_2", "lag_1", "target"]
    assert bunch.frame.loc[1702].tolist() == [5.0, 11.0, 16.0]
    X, y = load_sunspots(window=2, as_frame=True, return_X_y=True)
    assert X.shape == (307, 2) and y.index[0] == 1702


@pytest.mark.parametrize("window", [0, -1, 309, 2.0, "3", True])
def test_sunspots_bad_window(window):
    with pytest.raises(ValueError, match="window must be None or an integer from 1 to 308"):
        load_sunspots(window=window)


def test_sunspots_return_X_y_needs_window():
    with pytest.raises(ValueError, match="return_X_y=True needs window"):
        load_sunspots(return_X_y=True)


def test_sunspots_fits_a_regressor():
    from sklearn.linear_model import Ridge
    from sklearn.model_selection import train_test_split

    X, y = load_sunspots(window=11, return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X, y, shuffle=False, test_size=0.2)
    assert Ridge().fit(X_train, y_train).score(X_test, y_test) > 0.5


@pytest.mark.parametrize("load", [load_sunspots, load_wordnet_glosses])
@pytest.mark.parametrize("flag", ["return_X_y", "as_frame"])
def test_flags_must_be_booleans(load, flag):
    # as scikit-learn's loaders: "no" is not taken for True
    with pytest.raises(ValueError, match=f"'{flag}' parameter of {load.__name__} must be"):
        load(**{flag: "no"})
