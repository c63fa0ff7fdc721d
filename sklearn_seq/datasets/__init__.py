"""Real datasets bundled with sklearn_seq: short texts and a numeric time series."""

from ._sunspots import load_sunspots
from ._wordnet import load_wordnet_glosses

__all__ = ["load_sunspots", "load_wordnet_glosses"]
