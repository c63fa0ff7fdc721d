"""GloVeTransformer on the reference corpus of ../shared/bench/embed_corpus.py.

Usage::

    python benchmarks/bench_glove.py [--epochs 25] [--x-max 100] [--device cpu]
        [--batch-size auto] [--seed 0] [--work /tmp/emb] [--bench-dir ../shared/bench]
        [--c-loop SEED ...]

Prepares the corpus once (needs ``apt-get install wordnet-base``), then reports
co-occurrence time, seconds per epoch, total fit time and the
wordsim353 / SimLex-999 Spearman and analogy accuracy of ``wv_``.
Settings as the reference rows: 100 dimensions, window 10, min_count 5.

``--c-loop SEED ...`` also trains, for each seed, the Stanford C code's own
per-pair update loop (``glove_c_loop.c``, compiled with ``cc``) on the same
co-occurrence matrix and scores it the same way: an anchor for the trainer
alone, measured in the same run.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch

from sklearn_seq.embeddings import GloVeTransformer
from sklearn_seq.embeddings._glove import cooccurrence_matrix

ap = argparse.ArgumentParser()
ap.add_argument("--epochs", type=int, default=25)
ap.add_argument("--x-max", type=float, default=100.0)
ap.add_argument("--device", default="cpu")
ap.add_argument("--batch-size", default="auto", type=lambda s: s if s == "auto" else int(s))
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--c-loop", type=int, nargs="*", default=[], metavar="SEED")
ap.add_argument("--work", default="/tmp/emb")
ap.add_argument("--bench-dir", default=str(ROOT.parent / "shared" / "bench"))
args = ap.parse_args()

sys.path.insert(0, args.bench_dir)
import embed_corpus  # noqa: E402

corpus = Path(args.work) / "corpus.txt"
if not corpus.exists():
    embed_corpus.prep(args.work)

est = GloVeTransformer(
    vector_size=100,
    window=10,
    min_count=5,
    epochs=args.epochs,
    x_max=args.x_max,
    device=args.device,
    batch_size=args.batch_size,
    random_state=args.seed,
    tokenizer=str.split,
    lowercase=False,
)
if args.device != "cpu":  # the GPU's start-up (context, kernels) is not an epoch's time
    (torch.ones(1024, device=args.device) @ torch.ones(1024, device=args.device)).item()
t0, c0 = time.perf_counter(), time.process_time()
est.fit(corpus)
total = time.perf_counter() - t0
cpu = time.process_time() - c0
load = os.getloadavg()[0]

# phase timings, same steps as fit: the training time per epoch is what remains
t = time.perf_counter()
docs = list(est._analyzer()(line) for line in open(corpus, encoding="utf-8"))
words, _ = est._build_vocab(docs)
ids, offsets = est._corpus_ids(docs, {w: i for i, w in enumerate(words)})
t_read = time.perf_counter() - t
t = time.perf_counter()
X = cooccurrence_matrix(ids, offsets, len(words), 10)
t_cooc = time.perf_counter() - t
t_epoch = (total - t_read - t_cooc) / args.epochs

scores = embed_corpus.evaluate(est.wv_)
print(
    f"device={args.device} epochs={args.epochs} x_max={args.x_max} cpus={os.cpu_count()} "
    f"torch threads={torch.get_num_threads()} batch_size={est.batch_size}"
)
print(f"vocab {len(words):,}, tokens {len(ids):,}, non-zero co-occurrences {X.nnz:,}")
print(
    f"fit total {total:.1f} s | read+vocab {t_read:.1f} s | co-occurrence {t_cooc:.1f} s "
    f"| {t_epoch:.2f} s per epoch | fit CPU time {cpu:.1f} s | load average {load:.1f}"
)
print(
    f"wordsim353 {scores['ws353']['spearman']:.3f} | SimLex-999 "
    f"{scores['simlex']['spearman']:.3f} | analogy {scores['analogy']['acc']:.3f}"
)
print(f"final loss {est.loss_curve_[-1]:.4f}")


def c_loop(X, words, seed, epochs, x_max, n_threads=2, dim=100):
    """Train with the C code's loop on X (one fixed shuffle, as the C tools)."""
    import ctypes
    import subprocess
    import tempfile

    import numpy as np
    from gensim.models import KeyedVectors

    tmp = tempfile.mkdtemp()
    lib_path = os.path.join(tmp, "libglove_c_loop.so")
    src = str(ROOT / "benchmarks" / "glove_c_loop.c")
    subprocess.run(
        ["cc", "-O3", "-shared", "-fPIC", "-o", lib_path, src, "-lpthread", "-lm"], check=True
    )
    lib = ctypes.CDLL(lib_path)
    lib.glove_epoch.restype = ctypes.c_double
    X = X.tocoo()
    V = X.shape[0]
    rng = np.random.default_rng(seed)
    perm = rng.permutation(X.nnz)
    w1 = np.ascontiguousarray(X.row[perm], dtype=np.int32)
    w2 = np.ascontiguousarray(X.col[perm], dtype=np.int32)
    val = np.ascontiguousarray(X.data[perm], dtype=np.float64)
    W = (rng.random((2 * V, dim + 1)) - 0.5) / dim  # uniform(-0.5, 0.5) / dim, biases too
    gradsq = np.ones_like(W)
    ptr = ctypes.c_void_p
    t = time.perf_counter()
    for _ in range(epochs):
        cost = lib.glove_epoch(
            w1.ctypes.data_as(ptr), w2.ctypes.data_as(ptr), val.ctypes.data_as(ptr),
            ctypes.c_longlong(X.nnz), W.ctypes.data_as(ptr), gradsq.ctypes.data_as(ptr),
            dim, ctypes.c_longlong(V), ctypes.c_double(0.05), ctypes.c_double(0.75),
            ctypes.c_double(x_max), ctypes.c_double(100.0), n_threads,
        )  # fmt: skip
    elapsed = time.perf_counter() - t
    kv = KeyedVectors(dim)
    kv.add_vectors(words, (W[:V, :dim] + W[V:, :dim]).astype(np.float32))
    return kv, elapsed, cost


for seed in args.c_loop:
    kv, elapsed, cost = c_loop(X, words, seed, args.epochs, args.x_max)
    scores = embed_corpus.evaluate(kv)
    print(
        f"C loop seed {seed}: {elapsed:.1f} s ({elapsed / args.epochs:.2f} s per epoch), "
        f"final loss {cost:.4f} | wordsim353 {scores['ws353']['spearman']:.3f} | SimLex-999 "
        f"{scores['simlex']['spearman']:.3f} | analogy {scores['analogy']['acc']:.3f}"
    )
