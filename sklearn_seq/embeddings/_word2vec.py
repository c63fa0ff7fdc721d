"""Word2Vec as a scikit-learn transformer."""

from gensim.models import Word2Vec

from ._docstrings import fill_doc
from ._gensim import GensimEmbeddingTransformer

__all__ = ["W2VTransformer"]


# the {placeholders} at column 0 are filled by fill_doc: keep ruff format off them
@fill_doc
class W2VTransformer(GensimEmbeddingTransformer):
    # fmt: off
    """Word2Vec embeddings (gensim) as a scikit-learn transformer.

    Parameters
    ----------
    vector_size : int, default=None
        Dimension of the vectors: 100 when training, the pretrained vectors'
        dimension otherwise (a different explicit value is an error).
    window : int, default=5
        Maximum distance between the current and the predicted word.
    min_count : int, default=5
        Words occurring fewer times are left out of the vocabulary.
    sg : {0, 1}, default=0
        1 for skip-gram, 0 for CBOW.
    hs : {0, 1}, default=0
        1 for hierarchical softmax.
    negative : int, default=5
        Number of negative samples (0: no negative sampling).
    cbow_mean : {0, 1}, default=1
        CBOW: 1 averages the context vectors, 0 sums them.
    sample : float, default=1e-3
        Down-sampling threshold for frequent words.
    alpha : float, default=0.025
        Initial learning rate, at most 0.25: larger rates make training
        diverge (and can crash gensim). A training that ends with NaN or
        infinite vectors raises a ``ValueError``.
    min_alpha : float, default=0.0001
        Final learning rate (linear decay), at most 0.25 and at most ``alpha``.
    epochs : int, default=5
        Passes over the corpus.
    workers : int, default=1
        Training threads. More than one is faster but not reproducible.
    random_state : int, RandomState instance or None, default=None
        Seeds gensim (the ``seed`` parameter). With ``workers=1`` and a fixed
        ``random_state`` two fits give identical vectors.
{shared}{unknown}{pretrained}
    Attributes
    ----------
{attrs}
    See Also
    --------
    FastTextTransformer : Subword vectors, so unknown words get vectors too.
    GloVeTransformer : GloVe vectors trained on the co-occurrence matrix.
    SequenceVectorizer : Token ids without vectors, for learned embeddings.

    Notes
    -----
{notes}
    Examples
    --------
    >>> from sklearn_seq.embeddings import W2VTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> emb = W2VTransformer(vector_size=8, min_count=1, random_state=0).fit(docs)
    >>> X = emb.transform(["the cat sat", "a zebra"])
    >>> X.lengths
    array([3, 0])
    >>> emb.set_params(output="mean").transform(["the cat sat"]).shape
    (1, 8)
    """
    # fmt: on

    _gensim_class = Word2Vec

    def __init__(
        self,
        *,
        vector_size=None,
        window=5,
        min_count=5,
        sg=0,
        hs=0,
        negative=5,
        cbow_mean=1,
        sample=1e-3,
        alpha=0.025,
        min_alpha=0.0001,
        epochs=5,
        workers=1,
        random_state=None,
        tokenizer=None,
        lowercase=True,
        strip_accents=None,
        output="sequence",
        max_length=None,
        handle_unknown="ignore",
        pretrained=None,
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.sg = sg
        self.hs = hs
        self.negative = negative
        self.cbow_mean = cbow_mean
        self.sample = sample
        self.alpha = alpha
        self.min_alpha = min_alpha
        self.epochs = epochs
        self.workers = workers
        self.random_state = random_state
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.output = output
        self.max_length = max_length
        self.handle_unknown = handle_unknown
        self.pretrained = pretrained
