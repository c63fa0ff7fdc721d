"""Word embeddings and recurrent networks as scikit-learn estimators."""

from ._sequences import SequenceArray
from .rnn import (
    GRUClassifier,
    GRURegressor,
    LSTMClassifier,
    LSTMRegressor,
    RNNClassifier,
    RNNRegressor,
)

__version__ = "0.1.0.dev0"

__all__ = [
    "GRUClassifier",
    "GRURegressor",
    "LSTMClassifier",
    "LSTMRegressor",
    "RNNClassifier",
    "RNNRegressor",
    "SequenceArray",
    "__version__",
]

from .embeddings import (  # noqa: E402
    FastTextTransformer,
    GloVeTransformer,
    SequenceVectorizer,
    W2VTransformer,
)

__all__ += ["FastTextTransformer", "GloVeTransformer", "SequenceVectorizer", "W2VTransformer"]

from ._scaler import SequenceScaler  # noqa: E402

__all__ += ["SequenceScaler"]
