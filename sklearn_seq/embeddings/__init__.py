"""Word embeddings as scikit-learn transformers."""

from ._fasttext import FastTextTransformer
from ._glove import GloVeTransformer
from ._vectorizer import SequenceVectorizer
from ._word2vec import W2VTransformer

__all__ = ["W2VTransformer", "FastTextTransformer", "GloVeTransformer", "SequenceVectorizer"]
