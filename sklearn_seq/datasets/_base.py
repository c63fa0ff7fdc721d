"""Shared helpers for the bundled-dataset loaders."""

from importlib import resources


def _data_file(name):
    """Return a traversable for the bundled file ``data/<name>``."""
    return resources.files("sklearn_seq.datasets").joinpath("data", name)


def _load_descr(name):
    """Return the text of the bundled description ``descr/<name>``."""
    descr = resources.files("sklearn_seq.datasets").joinpath("descr", name)
    return descr.read_text(encoding="utf-8")
