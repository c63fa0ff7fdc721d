"""GloVe: our own co-occurrence counter and AdaGrad trainer (numpy + torch)."""

import warnings
from collections import Counter
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from gensim.models import KeyedVectors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from ._base import BaseEmbeddingTransformer
from ._docstrings import fill_doc

__all__ = ["GloVeTransformer", "cooccurrence_matrix", "train_glove"]


def cooccurrence_matrix(ids, offsets, n_vocab, window, *, symmetric=True, chunk_size=4_000_000):
    """Count weighted co-occurrences without a Python loop per token.

    For each distance ``d`` in ``1..window`` one vectorised pass pairs every
    token with the token ``d`` positions later in the same document and adds
    ``1 / d``. Out-of-vocabulary tokens must already be removed (like the C
    reference, they do not take up window positions).

    Parameters
    ----------
    ids : ndarray of shape (n_tokens,)
        Token ids of all documents, concatenated.
    offsets : ndarray of shape (n_docs + 1,)
        Document boundaries in ``ids``.
    n_vocab : int
        Vocabulary size.
    window : int
        Context window on each side.
    symmetric : bool, default=True
        Count left and right contexts (``X`` symmetric); otherwise only the
        left context of each word (``X[word, context]``).
    chunk_size : int, default=4_000_000
        Pairs per accumulation step (bounds memory).

    Returns
    -------
    X : scipy.sparse.csr_matrix of shape (n_vocab, n_vocab), float64
    """
    ids = np.asarray(ids, dtype=np.int64)
    n = len(ids)
    lengths = np.diff(offsets)
    doc_of = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    total = sp.csr_matrix((n_vocab, n_vocab), dtype=np.float64)
    for d in range(1, window + 1):
        if d >= n:
            break
        same = doc_of[:-d] == doc_of[d:]
        for start in range(0, n - d, chunk_size):
            stop = min(n - d, start + chunk_size)
            m = same[start:stop]
            left = ids[start:stop][m]  # the context word (earlier)
            right = ids[start + d : stop + d][m]  # the centre word (later)
            w = np.full(len(left), 1.0 / d)
            if symmetric:
                # canonical upper triangle; the diagonal counts twice, as in the C code
                rows, cols = np.minimum(left, right), np.maximum(left, right)
            else:
                rows, cols = right, left
            total = total + sp.csr_matrix((w, (rows, cols)), shape=(n_vocab, n_vocab))
    if symmetric:
        total = total + total.T
    total = total.tocsr()
    total.sum_duplicates()
    return total


def _resolve_device(device):
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError("device='cuda' was requested but torch finds no CUDA device.")
    return torch.device(device)


def train_glove(
    X,
    vector_size,
    *,
    x_max=100.0,
    alpha=0.75,
    learning_rate=0.05,
    epochs=25,
    batch_size=8192,
    seed=0,
    device="cpu",
    grad_clip=100.0,
):
    """Fit GloVe vectors to a co-occurrence matrix with AdaGrad.

    Minimises ``sum f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2`` with
    ``f(x) = min(1, (x / x_max) ** alpha)``, in mini-batches of shuffled
    non-zero entries. The AdaGrad scaling follows the Stanford C code: each
    accumulator starts at 1, the step is ``lr * g / sqrt(acc)`` and then
    ``acc += (lr * g) ** 2`` (gradients clipped at ``grad_clip``).

    Parameters
    ----------
    X : scipy.sparse matrix of shape (n_vocab, n_vocab)
        Co-occurrence counts.
    vector_size : int
        Dimension of the vectors.
    x_max, alpha, learning_rate : float
        Weighting cut-off, weighting exponent, AdaGrad learning rate.
    epochs : int
        Passes over the non-zero entries.
    batch_size : int
        Entries per update.
    seed : int
        Seed of the local generator (initialisation and shuffling).
    device : torch.device or str
        Where to train.
    grad_clip : float
        Clip value of each gradient component.

    Returns
    -------
    vectors : ndarray of shape (n_vocab, vector_size), float32
        ``W + W~``.
    losses : list of float
        Mean weighted loss of each epoch.
    """
    device = torch.device(device)
    X = sp.coo_matrix(X)
    V = X.shape[0]
    gen = torch.Generator(device="cpu").manual_seed(int(seed))
    rows = torch.from_numpy(X.row.astype(np.int64)).to(device)
    cols = torch.from_numpy(X.col.astype(np.int64)).to(device)
    vals = torch.from_numpy(X.data.astype(np.float32)).to(device)
    logx = torch.log(vals)
    fx = torch.clamp(vals / x_max, max=1.0) ** alpha
    n_pairs = len(vals)
    # like the C code: uniform in [-0.5, 0.5) / vector_size, biases too
    init = (torch.rand((2, V, vector_size + 1), generator=gen) - 0.5) / vector_size
    W = init[0, :, :vector_size].contiguous().to(device)
    Wc = init[1, :, :vector_size].contiguous().to(device)
    b = init[0, :, vector_size].contiguous().to(device)
    bc = init[1, :, vector_size].contiguous().to(device)
    GW, GWc = torch.ones_like(W), torch.ones_like(Wc)
    Gb, Gbc = torch.ones_like(b), torch.ones_like(bc)
    lr = float(learning_rate)
    losses = []
    for epoch in range(epochs):
        perm = torch.randperm(n_pairs, generator=gen).to(device)
        total = torch.zeros((), dtype=torch.float64, device=device)
        for start in range(0, n_pairs, batch_size):
            idx = perm[start : start + batch_size]
            i = torch.index_select(rows, 0, idx)
            j = torch.index_select(cols, 0, idx)
            wi = torch.index_select(W, 0, i)
            wj = torch.index_select(Wc, 0, j)
            diff = (wi * wj).sum(1)
            diff += torch.index_select(b, 0, i)
            diff += torch.index_select(bc, 0, j)
            diff -= torch.index_select(logx, 0, idx)
            fdiff = torch.index_select(fx, 0, idx) * diff
            total += (fdiff * diff).sum(dtype=torch.float64)
            fdiff = (fdiff * lr).unsqueeze(1)
            gi = torch.clamp(fdiff * wj, -grad_clip, grad_clip)
            gj = torch.clamp(fdiff * wi, -grad_clip, grad_clip)
            W.index_add_(0, i, gi / torch.index_select(GW, 0, i).sqrt_(), alpha=-1.0)
            Wc.index_add_(0, j, gj / torch.index_select(GWc, 0, j).sqrt_(), alpha=-1.0)
            GW.index_add_(0, i, gi.square_())
            GWc.index_add_(0, j, gj.square_())
            fdiff = fdiff.squeeze(1)
            b.index_add_(0, i, fdiff / torch.index_select(Gb, 0, i).sqrt_(), alpha=-1.0)
            bc.index_add_(0, j, fdiff / torch.index_select(Gbc, 0, j).sqrt_(), alpha=-1.0)
            fdiff = fdiff.square_()
            Gb.index_add_(0, i, fdiff)
            Gbc.index_add_(0, j, fdiff)
        loss = float(total) / max(n_pairs, 1) / 2
        if not np.isfinite(loss):
            raise ValueError(
                f"GloVe training diverged (loss is {loss} at epoch {epoch + 1}): lower "
                f"learning_rate (now {learning_rate}); a smaller x_max or a larger "
                "min_count can help too."
            )
        losses.append(loss)
    vectors = (W + Wc).cpu().numpy().astype(np.float32)
    return vectors, losses


@fill_doc
class GloVeTransformer(BaseEmbeddingTransformer):
    """GloVe embeddings, trained by our own vectorised trainer, as a transformer.

    Co-occurrences are counted in a symmetric window with ``1 / distance``
    weighting (numpy, no loop per token); the weighted least-squares model is
    fitted with AdaGrad in torch, on the CPU or a CUDA device. The vectors are
    ``W + W~`` (word plus context vectors), as in the Stanford reference.

    Parameters
    ----------
    vector_size : int, default=None
        Dimension of the vectors: 100 when training, the pretrained vectors'
        dimension otherwise (a different explicit value is an error).
    window : int, default=10
        Context words counted on each side.
    min_count : int, default=5
        Words occurring fewer times are left out (and do not take up window
        positions).
    x_max : float, default=100.0
        Counts at or above ``x_max`` get weight 1. On small corpora ``10``
        often gives better vectors.
    alpha : float, default=0.75
        Exponent of the weighting function.
    learning_rate : float, default=0.05
        AdaGrad learning rate. Lower it if training diverges.
    epochs : int, default=25
        Passes over the non-zero co-occurrences.
    batch_size : int, default=8192
        Co-occurrence entries per AdaGrad step.
    device : {"cpu", "cuda", "auto"}, default="cpu"
        Where to train; ``"auto"`` picks CUDA when available. CPU training is
        deterministic for a given ``random_state``; CUDA's scatter-adds are
        not bit-reproducible.
    random_state : int, RandomState instance or None, default=None
        Seeds a local torch generator (initialisation and shuffling); the
        global torch state is never touched.
{shared}{unknown}
    Attributes
    ----------
{attrs}    loss_curve_ : list of float
        Mean weighted loss of each epoch.

    See Also
    --------
    W2VTransformer : Word2Vec vectors.

    Notes
    -----
{notes}
    References
    ----------
    J. Pennington, R. Socher, C. D. Manning. GloVe: Global Vectors for Word
    Representation. EMNLP 2014.

    Examples
    --------
    >>> from sklearn_seq.embeddings import GloVeTransformer
    >>> docs = ["the cat sat on the mat", "the dog sat on the log"] * 10
    >>> emb = GloVeTransformer(vector_size=8, min_count=1, epochs=5,
    ...                        random_state=0, output="mean").fit(docs)
    >>> emb.transform(["the cat", "dog"]).shape
    (2, 8)
    >>> emb.wv_.most_similar("cat", topn=1)[0][0] in emb.wv_.index_to_key
    True
    """

    _parameter_constraints: dict = {
        **BaseEmbeddingTransformer._parameter_constraints,
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "x_max": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "device": [StrOptions({"cpu", "cuda", "auto"})],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        *,
        vector_size=None,
        window=10,
        min_count=5,
        x_max=100.0,
        alpha=0.75,
        learning_rate=0.05,
        epochs=25,
        batch_size=8192,
        device="cpu",
        random_state=None,
        tokenizer=None,
        lowercase=True,
        output="sequence",
        max_length=None,
        handle_unknown="ignore",
        pretrained=None,
    ):
        self.vector_size = vector_size
        self.window = window
        self.min_count = min_count
        self.x_max = x_max
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.output = output
        self.max_length = max_length
        self.handle_unknown = handle_unknown
        self.pretrained = pretrained

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.device != "cpu"
        return tags

    def _build_vocab(self, corpus):
        counts = Counter()
        for doc in corpus:
            counts.update(doc)
        kept = [(w, c) for w, c in counts.items() if c >= self.min_count]
        if not kept:
            raise self._min_count_error(list(counts.values()), self.min_count)
        kept.sort(key=lambda wc: -wc[1])  # stable: ties keep first-seen order
        return [w for w, _ in kept], np.array([c for _, c in kept], dtype=np.int64)

    def _corpus_ids(self, corpus, k2i):
        """Known-token ids and offsets of the corpus (one streamed pass)."""
        parts, lengths = [], []
        for doc in corpus:
            ids = np.fromiter((k2i.get(t, -1) for t in doc), dtype=np.int64, count=len(doc))
            ids = ids[ids >= 0]
            parts.append(ids)
            lengths.append(len(ids))
        ids = np.concatenate(parts) if parts else np.zeros(0, np.int64)
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        return ids, offsets

    def _train(self, corpus, vector_size):
        words, counts = self._build_vocab(corpus)
        k2i = {w: i for i, w in enumerate(words)}
        ids, offsets = self._corpus_ids(corpus, k2i)
        X = cooccurrence_matrix(ids, offsets, len(words), self.window)
        if X.nnz == 0:
            warnings.warn(
                "GloVe found no co-occurring word pairs (every document has fewer than "
                "two known tokens): the vectors keep their random initialisation. Fit "
                "on longer documents or lower min_count.",
                UserWarning,
                stacklevel=3,
            )
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        vectors, losses = train_glove(
            X,
            vector_size,
            x_max=self.x_max,
            alpha=self.alpha,
            learning_rate=self.learning_rate,
            epochs=self.epochs,
            batch_size=self.batch_size,
            seed=seed,
            device=_resolve_device(self.device),
        )
        self.loss_curve_ = losses
        kv = KeyedVectors(vector_size)
        kv.add_vectors(words, vectors)
        kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        kv.expandos["count"][:] = counts
        return kv
