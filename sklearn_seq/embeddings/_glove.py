"""GloVe: our own co-occurrence counter and AdaGrad trainer (numpy + torch)."""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from gensim.models import KeyedVectors
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions

from .._device import may_use_gpu, resolve_device
from .._text import check_passes
from .._warnings import warn
from ._base import BaseEmbeddingTransformer
from ._docstrings import fill_doc

__all__ = ["GloVeTransformer", "cooccurrence_matrix", "train_glove"]


def _small_int(n):
    """The numpy integer type for values below ``n``: int32 where they fit (half
    the memory of int64), int64 otherwise."""
    return np.int32 if n <= 2**31 else np.int64


def _small_index(n):
    """``_small_int`` as a torch dtype."""
    return torch.int32 if _small_int(n) is np.int32 else torch.int64


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
    ids = np.asarray(ids)
    if ids.dtype.kind not in "iu":
        ids = ids.astype(np.int64)
    n = len(ids)
    lengths = np.diff(offsets)
    doc_of = np.repeat(np.arange(len(lengths), dtype=_small_int(len(lengths))), lengths)
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


_ALIGN = 8  # floats; rows of 2 * 104 floats are whole 64-byte cache lines
_CHUNK = 1024  # pairs per CPU task: its scratch rows stay in cache
_BLOCK = 864  # words per tile side: a tile's rows (2 * 864 * 832 bytes, 1.4 MB) stay in cache
_MIN_PER_TILE = 64  # entries per non-empty tile, on average, for tiling to pay


def _glove_chunk(P, i, j, logx, fx, lr, grad_clip, dim, upd_w, upd_c, aw, ac):
    """Updates of one chunk of a batch, written into ``upd_w`` / ``upd_c``.

    Reads ``P`` only (through the scratch buffers ``aw`` / ``ac``, at least
    ``len(i)`` rows). Returns the chunk's weighted squared error: a float on
    the CPU, a 0-d tensor elsewhere (no synchronisation per batch).
    ``upd_*[:, :K]`` receive the parameter steps, ``upd_*[:, K:]`` the
    accumulator increments.
    """
    K = upd_w.shape[1] // 2
    aw, ac = aw[: len(i)], ac[: len(i)]
    torch.index_select(P, 0, i, out=aw)  # [w, b, 1 | acc]
    torch.index_select(P, 0, j, out=ac)  # [w~, 1, b~ | acc]
    ww, wc = aw[:, :K], ac[:, :K]
    diff = torch.linalg.vecdot(ww, wc)
    diff -= logx
    fdiff = diff * fx
    loss = torch.dot(fdiff, diff)
    if loss.device.type == "cpu":
        loss = float(loss)
    fdiff = fdiff.mul_(-lr).unsqueeze(1)  # minus lr * error
    for a, w_other, upd in ((aw, wc, upd_w), (ac, ww, upd_c)):
        g = upd[:, K:]
        torch.mul(w_other, fdiff, out=g)
        g[:, :dim].clamp_(-grad_clip, grad_clip)  # the vector part, as the C code
        torch.mul(g, a[:, K:].rsqrt_(), out=upd[:, :K])
        g.square_()
    return loss


def _index_add(P, index, source, *_):
    P.index_add_(0, index, source)


def _drain(tasks, results, scratch):
    """Run tasks ``(k, fn, args)`` from the shared iterator ``tasks`` until none is left."""
    for k, fn, args in tasks:
        results[k] = fn(*args, *scratch)


_threads_lock = threading.Lock()


def _single_threaded_pool(n_threads):
    """A pool of ``n_threads`` started threads whose torch ops run single-threaded.

    ``torch.set_num_threads`` sets the calling thread's intra-op thread count
    and the process-wide default that a thread takes on its first torch op.
    Each pool thread sets its own count to 1, then the caller puts the default
    back, under a lock so that concurrent fits cannot interleave and leave 1
    behind: the caller and the other threads keep their setting (only a thread
    making its first torch op during the pool's start would take 1).
    """
    pool = ThreadPoolExecutor(n_threads)
    started = threading.Barrier(n_threads + 1)

    def single_threaded():
        torch.get_num_threads()  # torch's lazy per-thread set-up first: it would undo the 1
        torch.set_num_threads(1)
        started.wait()  # holds its thread until all have started: n_threads threads

    with _threads_lock:
        default = torch.get_num_threads()
        try:
            for _ in range(n_threads):
                pool.submit(single_threaded)
            started.wait()
        except BaseException:
            started.abort()
            pool.shutdown()
            raise
        finally:
            torch.set_num_threads(default)
    return pool


def _tiles(rows, cols, n_vocab, block):
    """Entry order grouped by tile (``block`` words x ``block`` contexts), and the
    bounds of the non-empty tiles (a large vocabulary has (V / block)^2 tiles,
    nearly all empty)."""
    n_blocks = -(-n_vocab // block)
    tile = torch.div(rows.to(_small_index(n_blocks**2)), block, rounding_mode="floor")
    tile = tile.mul_(n_blocks)
    tile = tile.add_(torch.div(cols, block, rounding_mode="floor")).numpy()
    # numpy's stable sort of 4-byte keys needed half the memory of torch's
    order = np.argsort(tile, kind="stable")
    tile = tile[order]
    starts = np.flatnonzero(tile[1:] != tile[:-1]) + 1
    bounds = [0, *starts.tolist(), len(order)] if len(order) else [0]
    return torch.from_numpy(order).to(_small_index(len(order))), bounds


def train_glove(
    X,
    vector_size,
    *,
    x_max=100.0,
    alpha=0.75,
    learning_rate=0.05,
    epochs=25,
    batch_size=4096,
    seed=0,
    device="cpu",
    grad_clip=100.0,
    n_threads=None,
):
    """Fit GloVe vectors to a co-occurrence matrix with AdaGrad.

    Minimises ``sum f(X_ij) (w_i . w~_j + b_i + b~_j - log X_ij)^2`` with
    ``f(x) = min(1, (x / x_max) ** alpha)``, in mini-batches of shuffled
    non-zero entries. The AdaGrad scaling follows the Stanford C code: each
    accumulator starts at 1, the step is ``lr * g / sqrt(acc)`` and then
    ``acc += (lr * g) ** 2``; the vector components of ``lr * g`` (not the
    biases) are clipped at ``grad_clip``.

    Layout: one table holds a row ``[w_i, b_i, 1 | accumulators]`` per word
    and a row ``[w~_j, 1, b~_j | accumulators]`` per context (after the
    words), so the biases are two more coordinates of the dot product and
    parameters and accumulators move in one ``index_select`` and one
    ``index_add_`` per side. The constant coordinates have an accumulator of
    ``1e30``, which makes their steps vanish below float32 resolution.

    Order: on the CPU, with more than 864 words, the matrix is cut into
    tiles of 864 words x 864 contexts; every epoch visits the tiles in a
    random order and the entries of each tile in a random order, so the table
    rows that consecutive batches touch stay in the CPU caches (the whole
    table does not: 2 x 832 bytes a word). Elsewhere every epoch is one
    random permutation.

    On the CPU a batch is cut into chunks of 1024 entries; ``n_threads``
    Python threads take chunks until none is left, each running
    single-threaded torch ops on its chunk (reading the table only), then the
    word rows and the context rows, which are disjoint, are updated by two
    threads. The result does not depend on ``n_threads``: training is
    deterministic for a given ``seed``. These threads are the trainer's own,
    each with torch's intra-op thread count at 1 (many small parallel ops were
    slower than one thread, and far slower on a busy machine); the calling
    thread's setting and the process-wide one are left as they are, so
    concurrent fits and other torch work are not slowed down.

    Parameters
    ----------
    X : scipy.sparse matrix of shape (n_vocab, n_vocab)
        Co-occurrence counts.
    vector_size : int
        Dimension of the vectors.
    x_max, alpha, learning_rate : float
        Weighting cut-off, weighting exponent, AdaGrad learning rate.
    epochs : int
        Passes over the non-zero entries (shuffled again every epoch).
    batch_size : int
        Entries per update; a word repeated within a batch gets the sum of its
        updates, computed from the same accumulators.
    seed : int
        Seed of the local generator (initialisation and shuffling).
    device : torch.device or str
        Where to train.
    grad_clip : float
        Clip value of each vector component of ``lr * g``.
    n_threads : int, default=None
        CPU threads; ``None`` uses ``torch.get_num_threads()``.

    Returns
    -------
    vectors : ndarray of shape (n_vocab, vector_size), float32
        ``W + W~``.
    losses : list of float
        Mean weighted loss of each epoch.
    """
    device = torch.device(device)
    cpu = device.type == "cpu"
    X = sp.coo_matrix(X)  # shares the arrays of a COO matrix
    V, D = X.shape[0], int(vector_size)
    # [w, b, 1] . [w~, 1, b~], padded with zeros to a multiple of 8 floats
    K = -(-(D + 2) // _ALIGN) * _ALIGN
    gen = torch.Generator(device="cpu").manual_seed(int(seed))
    # 4-byte table rows where the table's 2 V rows allow, 4-byte entry positions
    # (permutations) where the entries allow
    index = _small_int(2 * V)
    # read only: shared with X when it is int32 already (copied when read-only or
    # byte-swapped, which torch reads only with a warning or not at all)
    row = np.asarray(X.row, dtype=np.dtype(index).newbyteorder("="))
    rows = torch.from_numpy(row if row.flags.writeable else row.copy())
    cols = torch.from_numpy(X.col.astype(index))
    n_pairs = len(rows)
    position = _small_index(n_pairs)
    tiled = cpu and V > _BLOCK and n_pairs > 0
    if tiled:
        order, bounds = _tiles(rows, cols, V, _BLOCK)
        # tiles of a few entries (a large, sparse vocabulary) cost a Python step
        # each per epoch and save no cache misses: a plain shuffle then
        tiled = n_pairs >= _MIN_PER_TILE * (len(bounds) - 1)
        order = order if tiled else None
    cols.add_(V)  # context rows follow the words
    vals = torch.from_numpy(X.data.astype(np.float32))  # a copy: changed in place below
    logx = torch.log(vals)
    fx = vals.div_(x_max).clamp_(max=1.0).pow_(alpha)
    del vals
    if n_pairs and not bool(fx.any()):
        raise ValueError(
            f"GloVe cannot train: the weight f(x) = min(1, (x / x_max) ** alpha) of every "
            f"co-occurrence is 0 in float32 (x_max={x_max}, alpha={alpha}, largest count "
            f"{float(X.data.max()):.3g}), so the loss is 0 whatever the vectors. Lower x_max "
            "or alpha."
        )
    # the loss of all-zero vectors and biases: a trained model is below it, and a
    # diverging one (AdaGrad with too large a step) far above, even while finite
    limit = 10 * float((fx * logx * logx).sum()) / max(n_pairs, 1) / 2 + 1.0
    if not cpu:
        # the entries live on the device; each epoch's permutation is drawn there
        rows, cols, logx, fx = (t.to(device) for t in (rows, cols, logx, fx))
        dev_gen = torch.Generator(device=device)
        dev_gen.manual_seed(int(torch.randint(2**62, (1,), generator=gen)))
    # like the C code: uniform in [-0.5, 0.5) / vector_size, biases too
    init = (torch.rand((2, V, D + 1), generator=gen, dtype=torch.float32) - 0.5) / D
    P = torch.ones((2, V, 2 * K), dtype=torch.float32)  # accumulators start at 1
    P[:, :, :K] = 0.0
    P[:, :, :D] = init[:, :, :D]
    P[0, :, D + 1] = 1.0
    P[1, :, D] = 1.0
    P[0, :, D] = init[0, :, D]  # [w, b, 1]
    P[1, :, D + 1] = init[1, :, D]  # [w~, 1, b~]
    P[0, :, K + D + 1] = 1e30  # the constant coordinates never move
    P[1, :, K + D] = 1e30
    P = P.reshape(2 * V, 2 * K).to(device)
    del init
    lr, grad_clip = float(learning_rate), float(grad_clip)
    B = max(1, min(int(batch_size), n_pairs))
    upd_w = torch.empty((B, 2 * K), device=device, dtype=torch.float32)
    upd_c = torch.empty((B, 2 * K), device=device, dtype=torch.float32)
    n_threads = torch.get_num_threads() if n_threads is None else int(n_threads)
    n_threads = max(1, n_threads) if cpu else 1
    C = min(_CHUNK, B) if cpu else B
    scratch = [
        tuple(torch.empty((C, 2 * K), device=device, dtype=torch.float32) for _ in range(2))
        for _ in range(n_threads)
    ]
    results = [0.0] * max(2, -(-B // C))  # one per task

    # the caller takes tasks too where its torch ops are single-threaded already
    caller = int(not cpu or torch.get_num_threads() == 1)
    helpers = n_threads - caller

    def run(tasks):
        # each thread takes the next task until none is left: a thread that the
        # OS puts aside holds up only the task it has started
        it = iter(tasks)
        futures = [
            pool.submit(_drain, it, results, scratch[caller + t])
            for t in range(min(helpers, len(tasks) - caller))
        ]
        if caller:
            _drain(it, results, scratch[0])
        for f in futures:
            f.result()

    losses = []
    pool = _single_threaded_pool(helpers) if helpers else None
    try:
        for epoch in range(epochs):
            if tiled:
                tiles = torch.randperm(len(bounds) - 1, generator=gen).tolist()
                perm = torch.cat(
                    [
                        order[a:b][torch.randperm(b - a, generator=gen, dtype=position)]
                        for a, b in ((bounds[t], bounds[t + 1]) for t in tiles)
                    ]
                )
            elif cpu:
                perm = torch.randperm(n_pairs, generator=gen, dtype=position)
            else:
                perm = torch.randperm(n_pairs, generator=dev_gen, device=device, dtype=position)
            total = 0.0
            for start in range(0, n_pairs, B):
                # the batch's entries, gathered where they live (no permuted copy
                # of all the entries each epoch)
                p = perm[start : start + B]
                # (index_select: indexing a large 1-D tensor by a small one, t[p], took
                # ~8 ms a call on the CPU whatever len(p)); int64 table indices: the
                # CPU's index_add_ took 3x as long with int32 ones
                i, j, b_logx, b_fx = (torch.index_select(t, 0, p) for t in (rows, cols, logx, fx))
                i, j = i.long(), j.long()
                n = len(p)
                tasks = [
                    (
                        k,
                        _glove_chunk,
                        (
                            P,
                            i[a : a + C],
                            j[a : a + C],
                            b_logx[a : a + C],
                            b_fx[a : a + C],
                            lr,
                            grad_clip,
                            D,
                            upd_w[a : min(a + C, n)],
                            upd_c[a : min(a + C, n)],
                        ),
                    )
                    for k, a in enumerate(range(0, n, C))
                ]
                run(tasks)
                total += sum(results[: len(tasks)])
                # word rows and context rows are disjoint: two tasks, same result
                run([(0, _index_add, (P, i, upd_w[:n])), (1, _index_add, (P, j, upd_c[:n]))])
            loss = float(total) / max(n_pairs, 1) / 2
            if not np.isfinite(loss):
                raise ValueError(
                    f"GloVe training diverged (loss is {loss} at epoch {epoch + 1}): lower "
                    f"learning_rate (now {learning_rate}); a smaller x_max or a larger "
                    "min_count can help too."
                )
            losses.append(loss)
    finally:
        if pool is not None:
            pool.shutdown()
    if losses and losses[-1] > limit:
        raise ValueError(
            f"GloVe training diverged (mean loss {losses[-1]:.3g} at the last epoch, above "
            f"{limit:.3g}: far worse than all-zero vectors): lower learning_rate (now "
            f"{learning_rate}); a smaller x_max or a larger min_count can help too."
        )
    vectors = (P[:V, :D] + P[V:, :D]).cpu().numpy().astype(np.float32)
    return vectors, losses


# the {placeholders} at column 0 are filled by fill_doc: keep ruff format off them
@fill_doc
class GloVeTransformer(BaseEmbeddingTransformer):
    # fmt: off
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
    batch_size : int or "auto", default="auto"
        Co-occurrence entries per AdaGrad step; ``"auto"`` is 4096 on the CPU
        and 65536 on a GPU. The CPU trainer computes a batch in chunks of 1024
        entries and visits the matrix in tiles of 864 x 864 words, so the
        batch size hardly changes its speed (1024 and 4096 gave the same
        quality on the reference corpus). A GPU needs large batches to be
        busy: on an H100, 65536 ran an epoch of the reference corpus 2.3x
        faster than 4096, with the same wordsim353 score.
    device : str or torch.device, default="cpu"
        Where to train: "cpu", "cuda", "cuda:N" or "auto" (CUDA when
        available, else CPU), as for the recurrent estimators; resolved at fit
        time into ``device_``. CPU training is deterministic for a given
        ``random_state`` and uses ``torch.get_num_threads()`` threads (the
        result does not depend on how many); CUDA's scatter-adds are not
        bit-reproducible.
    random_state : int, RandomState instance or None, default=None
        Seeds a local torch generator (initialisation and shuffling); the
        global torch state is never touched.
{shared}{unknown}{pretrained}
    Attributes
    ----------
{attrs}    loss_curve_ : list of float
        Mean weighted loss of each epoch; not set for ``pretrained`` vectors.
    device_ : str
        The device the vectors were trained on (e.g. ``"cpu"``, ``"cuda:1"``);
        not set for ``pretrained`` vectors.

    See Also
    --------
    W2VTransformer : Word2Vec vectors.

    Notes
    -----
{notes}
    Streaming a corpus file bounds the memory of reading it, not of training:
    GloVe holds the ids of the known tokens (4 bytes each) while counting, and
    trains on the co-occurrence matrix in memory (about 45 bytes per non-zero
    entry at the peak, as the process grows; a wider ``window`` or a larger
    vocabulary has more entries). A synthetic 3M-token corpus of 60,000 words
    (18M entries with the default ``window=10``) peaked at 1.2 GB.

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
    # fmt: on

    _training_attributes = ("loss_curve_", "device_")
    _parameter_constraints: dict = {
        **BaseEmbeddingTransformer._parameter_constraints,
        "window": [Interval(Integral, 1, None, closed="left")],
        "min_count": [Interval(Integral, 1, None, closed="left")],
        "x_max": [Interval(Real, 0, None, closed="neither")],
        "alpha": [Interval(Real, 0, None, closed="left")],
        "learning_rate": [Interval(Real, 0, None, closed="neither")],
        "epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left"), StrOptions({"auto"})],
        "device": [str, torch.device],  # checked at fit, as the recurrent estimators
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
        batch_size="auto",
        device="cpu",
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
        self.x_max = x_max
        self.alpha = alpha
        self.learning_rate = learning_rate
        self.epochs = epochs
        self.batch_size = batch_size
        self.device = device
        self.random_state = random_state
        self.tokenizer = tokenizer
        self.lowercase = lowercase
        self.strip_accents = strip_accents
        self.output = output
        self.max_length = max_length
        self.handle_unknown = handle_unknown
        self.pretrained = pretrained

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = may_use_gpu(self.device)  # (the CPU trainer is not)
        return tags

    def _build_vocab(self, corpus):
        counts = Counter()
        for doc in corpus:
            counts.update(doc)
        check_passes(corpus)
        kept = [(w, c) for w, c in counts.items() if c >= self.min_count]
        if not kept:
            raise self._min_count_error(list(counts.values()), self.min_count)
        kept.sort(key=lambda wc: -wc[1])  # stable: ties keep first-seen order
        return [w for w, _ in kept], np.array([c for _, c in kept], dtype=np.int64)

    def _corpus_ids(self, corpus, k2i):
        """Known-token ids and offsets of the corpus (one streamed pass)."""
        parts, lengths = [], []
        dtype = _small_int(len(k2i))
        for doc in corpus:
            ids = np.fromiter((k2i.get(t, -1) for t in doc), dtype=dtype, count=len(doc))
            ids = ids[ids >= 0]
            parts.append(ids)
            lengths.append(len(ids))
        ids = np.concatenate(parts) if parts else np.zeros(0, dtype)
        offsets = np.concatenate([[0], np.cumsum(lengths, dtype=np.int64)])
        return ids, offsets

    def _check_training_params(self):
        resolve_device(self.device)  # a GPU that is not there, before the corpus passes

    def _train(self, corpus, vector_size):
        words, counts = self._build_vocab(corpus)
        k2i = {w: i for i, w in enumerate(words)}
        ids, offsets = self._corpus_ids(corpus, k2i)
        X = cooccurrence_matrix(ids, offsets, len(words), self.window).tocoo()
        del ids, offsets  # (the corpus is not needed while training)
        if X.nnz == 0:
            warn(
                "GloVe found no co-occurring word pairs (every document has fewer than "
                "two known tokens): the vectors keep their random initialisation. Fit "
                "on longer documents or lower min_count.",
                UserWarning,
            )
        seed = int(check_random_state(self.random_state).randint(np.iinfo(np.int32).max))
        device = resolve_device(self.device)
        batch_size = self.batch_size
        if batch_size == "auto":
            batch_size = 4096 if device.type == "cpu" else 65536
        with torch.inference_mode(False):  # whatever the caller's mode: updates in place
            vectors, losses = train_glove(
                X,
                vector_size,
                x_max=self.x_max,
                alpha=self.alpha,
                learning_rate=self.learning_rate,
                epochs=self.epochs,
                batch_size=batch_size,
                seed=seed,
                device=device,
            )
        self.loss_curve_ = losses
        self.device_ = str(device)
        kv = KeyedVectors(vector_size)
        kv.add_vectors(words, vectors)
        kv.allocate_vecattrs(attrs=["count"], types=[np.int64])
        kv.expandos["count"][:] = counts
        return kv
