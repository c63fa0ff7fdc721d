"""FastText as a scikit-learn transformer."""

from numbers import Integral

from gensim.models import FastText
from gensim.models.fasttext import FastTextKeyedVectors
from sklearn.utils._param_validation import Interval, StrOptions

from ._docstrings import fill_doc
from ._gensim import GensimEmbeddingTransformer

__all__ = ["FastTextTransformer"]


# the {placeholders} at column 0 are filled by fill_doc: keep ruff format off them
@fill_doc
class FastTextTransformer(GensimEmbeddingTransformer):
    # fmt: off
    """FastText subword embeddings (gensim) as a scikit-learn transformer.

    Words unseen in ``fit`` get a vector composed from their character
    n-grams. With ``output="sequence"`` those vectors are appended to the
    returned table after the fitted vocabulary (ids ``>= len(wv_)``, one row
    per distinct unknown word of that call), so the fitted ids never change.

    Parameters
    ----------
    vector_size : int, default=None
        Dimension of the vectors: 100 when training, the pretrained vectors'
        dimension otherwise (a different explicit value is an error).
    window : int, default=5
        Maximum distance between the current and the predicted word.
    min_count : int, default=5
        Words occurring fewer times are left out of the vocabulary (they
        still get subword vectors at transform time).
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
        Seeds gensim (the ``seed`` parameter).
    min_n : int, default=3
        Shortest character n-gram. gensim takes the n-grams of the word
        wrapped in ``<`` and ``>``, so with ``min_n=3`` even a one-letter
        word has one (``"<a>"``).
    max_n : int, default=6
        Longest character n-gram (``max_n < min_n`` disables n-grams).
    bucket : int, default=100_000
        Number of hash buckets for n-gram vectors. gensim's default of two
        million makes every model about 800 MB; 100k keeps a model fitted on
        100k documents (100-d vectors) well under 100 MB when pickled.
{shared}    handle_unknown : {"subword", "ignore", "use_unknown_vector"}, default="subword"
        ``"subword"``: unknown words get their n-gram vectors (extra rows,
        see above). The n-grams are taken from the word wrapped in ``<``
        and ``>``, so only an unknown word shorter than ``min_n - 2``
        characters has none (or every unknown word when ``bucket=0`` or
        ``max_n < min_n``); such words are dropped, with a warning.
        ``"ignore"`` drops them; ``"use_unknown_vector"`` maps them all to
        one zero vector with id ``len(wv_)`` (see ``W2VTransformer``).
{pretrained}
    Attributes
    ----------
{attrs}
    See Also
    --------
    W2VTransformer : Word2Vec vectors; unknown words dropped.

    Notes
    -----
{notes}
    A pickled transformer holds the vocabulary vectors and the n-gram
    buckets; the combined word vectors are recomputed when it is loaded.

    Examples
    --------
    >>> from sklearn_seq.embeddings import FastTextTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> emb = FastTextTransformer(vector_size=8, min_count=1, bucket=1000,
    ...                           random_state=0).fit(docs)
    >>> X = emb.transform(["the cats sat"])
    >>> X.data, len(emb.wv_)
    (array([0, 7, 2]), 7)
    >>> X.vocabulary[7]
    'cats'
    """
    # fmt: on

    _gensim_class = FastText
    _parameter_constraints: dict = {
        **GensimEmbeddingTransformer._parameter_constraints,
        "min_n": [Interval(Integral, 1, None, closed="left")],
        "max_n": [Interval(Integral, 0, None, closed="left")],
        "bucket": [Interval(Integral, 0, None, closed="left")],
        "handle_unknown": [StrOptions({"subword", "ignore", "use_unknown_vector"})],
    }

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
        min_n=3,
        max_n=6,
        bucket=100_000,
        tokenizer=None,
        lowercase=True,
        strip_accents=None,
        output="sequence",
        max_length=None,
        handle_unknown="subword",
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
        self.min_n = min_n
        self.max_n = max_n
        self.bucket = bucket
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.output = output
        self.max_length = max_length
        self.handle_unknown = handle_unknown
        self.pretrained = pretrained

    @staticmethod
    def _check_document(doc, index):
        """Refuse a token that UTF-8 cannot encode, whose n-grams gensim cannot
        hash (it fails deep inside training otherwise)."""
        try:
            "".join(doc).encode("utf-8")
        except UnicodeEncodeError:
            word = next(w for w in doc if not _encodes(w))
            raise ValueError(
                f"Document {index} has the token {word!r}, with a character UTF-8 cannot "
                "encode (a lone surrogate, as text decoded with errors='surrogateescape' "
                "leaves). FastText hashes the UTF-8 bytes of the words it trains on: "
                "decode the text with errors='replace' or clean the tokens, or use "
                "W2VTransformer."
            ) from None

    def _gensim_params(self):
        return {"min_n": self.min_n, "max_n": self.max_n, "bucket": self.bucket}

    def _shape_params(self):
        params = self._gensim_params()
        if self.max_n < self.min_n:  # gensim turns the n-grams off with bucket=0
            params["bucket"] = 0
        return params

    def _unknown_mode(self):
        if self.handle_unknown == "subword" and not isinstance(self.wv_, FastTextKeyedVectors):
            return "ignore"  # plain pretrained vectors have no subwords
        return self.handle_unknown


def _encodes(word):
    try:
        word.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
