"""GloVeTransformer on the reference corpus of ../shared/bench/embed_corpus.py.

Usage::

    python benchmarks/bench_glove.py [--epochs 25] [--x-max 100] [--device cpu]
        [--work /tmp/emb] [--bench-dir ../shared/bench]

Prepares the corpus once (needs ``apt-get install wordnet-base``), then reports
co-occurrence time, seconds per epoch, total fit time and the
wordsim353 / SimLex-999 Spearman and analogy accuracy of ``wv_``.
Settings as the reference rows: 100 dimensions, window 10, min_count 5.
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
    random_state=0,
    tokenizer=str.split,
    lowercase=False,
)
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
