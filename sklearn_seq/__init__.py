"""Word embeddings and recurrent networks as scikit-learn estimators."""

from ._sequences import SequenceArray

__version__ = "0.1.0.dev0"

__all__ = ["SequenceArray", "__version__"]
