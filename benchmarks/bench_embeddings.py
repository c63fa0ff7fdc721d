"""Embedding transformers: transform throughput, output memory, wrapper overhead, pickle size.

Usage::

    python benchmarks/bench_embeddings.py [throughput] [memory] [overhead] [pickle]
        [mean_memory] [glove_memory]

Synthetic IMDB-length corpus: 25k documents, log-normal lengths (median 175
tokens, capped at 2500), Zipf-distributed words over a 60k-word vocabulary.
Timings are medians of 3 runs; run on the machine you report.
"""

import pickle
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from a checkout

from sklearn_seq._text import build_analyzer

N_DOCS = 25_000


def make_corpus(n_docs=N_DOCS, n_words=60_000, seed=0):
    rng = np.random.RandomState(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    wl = rng.randint(2, 10, size=n_words)
    words = np.array(["".join(rng.choice(letters, size=k)) for k in wl])
    lengths = np.minimum(np.round(rng.lognormal(np.log(175), 0.75, size=n_docs)), 2500)
    lengths = np.maximum(lengths, 1).astype(int)
    p = 1.0 / np.arange(1, n_words + 1) ** 1.07
    p /= p.sum()
    tok = words[rng.choice(n_words, size=lengths.sum(), p=p)]
    offs = np.concatenate([[0], np.cumsum(lengths)])
    return [" ".join(tok[offs[i] : offs[i + 1]]) for i in range(n_docs)]


def median_time(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return float(np.median(times)), out


def fitted_transformers(train_docs):
    from sklearn_seq.embeddings import (
        FastTextTransformer,
        GloVeTransformer,
        SequenceVectorizer,
        W2VTransformer,
    )

    common = dict(vector_size=100, min_count=5, epochs=1)
    return {
        "W2VTransformer": W2VTransformer(workers=2, random_state=0, **common).fit(train_docs),
        "FastTextTransformer": FastTextTransformer(workers=2, random_state=0, **common).fit(
            train_docs
        ),
        "GloVeTransformer": GloVeTransformer(random_state=0, **common).fit(train_docs),
        "SequenceVectorizer": SequenceVectorizer(min_count=5).fit(train_docs),
    }


def bench_throughput(docs, repeat=3):
    import warnings

    from sklearn.feature_extraction.text import CountVectorizer

    train = docs[:3000]
    cv = CountVectorizer(token_pattern=r"(?u)\b\w+\b", min_df=1).fit(train)
    n_tokens = sum(len(d.split()) for d in docs)
    print(f"\n## transform throughput, {len(docs)} docs, {n_tokens / 1e6:.2f}M tokens")
    print("CountVectorizer is timed again beside each row (interleaved runs, medians of")
    print(f"{repeat}), so each ratio compares runs made under the same machine load.")
    print("| transformer | output | time (s) | docs/s | CountVectorizer (s) | vs CountVectorizer |")
    print("|---|---|---|---|---|---|")
    for name, est in fitted_transformers(train).items():
        outputs = ["sequence"] if name == "SequenceVectorizer" else ["sequence", "mean"]
        for output in outputs:
            est.set_params(output=output)
            t_est, t_cv = [], []
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                for _ in range(repeat):
                    t_cv.append(median_time(lambda: cv.transform(docs), repeat=1)[0])
                    t_est.append(median_time(lambda est=est: est.transform(docs), repeat=1)[0])
            t, tc = float(np.median(t_est)), float(np.median(t_cv))
            print(
                f"| {name} | {output} | {t:.2f} | {len(docs) / t:,.0f} | {tc:.2f} | "
                f"{tc / t:.2f}x (higher is faster) |"
            )


def bench_memory(docs):
    from sklearn_seq.embeddings import W2VTransformer

    est = W2VTransformer(vector_size=100, min_count=5, epochs=1, workers=2, random_state=0)
    est.fit(docs[:3000])
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    out = est.transform(docs)
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    ideal = out.data.nbytes + out.offsets.nbytes + out.vectors.nbytes
    shared = np.shares_memory(out.vectors, est.wv_.vectors)
    vocab_list = sys.getsizeof(out.vocabulary)
    print("\n## memory of output='sequence' (W2V, 100-d)")
    print(f"tokens kept: {len(out.data):,}; vocab {len(out.vectors):,} x 100")
    print(f"ids + offsets + table: {ideal / 2**20:.1f} MiB")
    print(
        f"container as measured (tracemalloc, new allocations retained): "
        f"{(after - before) / 2**20:.1f} MiB (table shared with wv_: {shared}; "
        f"vocabulary list {vocab_list / 2**20:.2f} MiB)"
    )
    held = after - before + (out.vectors.nbytes if shared else 0)
    print(f"container total incl. shared table: {held / ideal:.3f}x of ideal")
    dense = len(out.data) * 100 * 4
    print(f"materialised float32 token vectors would be {dense / 2**30:.2f} GiB")


def bench_mean_memory(docs):
    """Peak of ``output="mean"`` (numpy allocations, tracemalloc) against its output."""
    import warnings

    from sklearn_seq.embeddings import FastTextTransformer, W2VTransformer

    print("\n## memory of output='mean' (100-d), tracemalloc peak of one transform call")
    for cls in (W2VTransformer, FastTextTransformer):
        est = cls(vector_size=100, min_count=5, epochs=1, workers=2, random_state=0)
        est.set_params(output="mean").fit(docs[:3000])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tracemalloc.start()
            out = est.transform(docs)
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
        print(f"{cls.__name__}: output {out.nbytes / 2**20:.1f} MiB, peak {peak / 2**20:.1f} MiB")


def bench_glove_memory(n_docs=60_000, n_words=60_000):
    """Peak RSS of a GloVe fit (2 epochs) on a streamed synthetic Zipf corpus, in a
    fresh process, beside the peak of the same process before fitting."""
    import subprocess
    import tempfile

    rng = np.random.default_rng(0)
    p = 1.0 / np.arange(1, n_words + 1)
    words = np.array([f"w{i}" for i in range(n_words)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "corpus.txt"
        with open(path, "w") as f:
            for n in rng.integers(20, 80, size=n_docs):
                f.write(" ".join(words[rng.choice(n_words, n, p=p / p.sum())]) + "\n")
        code = (
            "import pathlib, resource, time\n"
            "from sklearn_seq.embeddings import GloVeTransformer\n"
            "def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6\n"
            "before = peak(); t = time.perf_counter()\n"
            "g = GloVeTransformer(vector_size=50, min_count=1, epochs=2, random_state=0)\n"
            f"g.fit(pathlib.Path({str(path)!r}))\n"
            "print(f'fit {time.perf_counter() - t:.1f} s, peak RSS {peak():.2f} GB "
            "(after imports {before:.2f} GB), vocabulary {len(g.wv_):,}')\n"
        )
        root = str(Path(__file__).resolve().parents[1])
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True
        )
    n_tokens = n_docs * 49.5
    print(f"\n## GloVe training memory, {n_docs:,} docs, ~{n_tokens / 1e6:.1f}M tokens")
    print(out.stdout.strip())


def bench_overhead(docs):
    from gensim.models import FastText, Word2Vec

    from sklearn_seq.embeddings import FastTextTransformer, W2VTransformer

    analyze = build_analyzer()
    sub = docs[:6000]
    tokens = [analyze(d) for d in sub]
    n_tok = sum(map(len, tokens))
    kw = dict(vector_size=100, min_count=5, epochs=1, workers=2)
    print(f"\n## fit overhead vs gensim direct ({len(sub)} docs, {n_tok / 1e6:.2f}M tokens)")
    print("| model | gensim (s) | ours, token lists (s) | overhead | ours, strings (s) |")
    print("|---|---|---|---|---|")
    for name, g, ours, extra in [
        ("Word2Vec", Word2Vec, W2VTransformer, {}),
        ("FastText", FastText, FastTextTransformer, {"bucket": 100_000}),
    ]:
        tg, _ = median_time(lambda g=g, extra=extra: g(tokens, seed=1, **kw, **extra))
        to, _ = median_time(
            lambda ours=ours, extra=extra: ours(random_state=0, **kw, **extra).fit(tokens)
        )
        ts, _ = median_time(
            lambda ours=ours, extra=extra: ours(random_state=0, **kw, **extra).fit(sub)
        )
        print(f"| {name} | {tg:.2f} | {to:.2f} | {100 * (to / tg - 1):+.1f}% | {ts:.2f} |")


def bench_pickle(n_docs=100_000):
    from sklearn_seq.embeddings import FastTextTransformer

    docs = make_corpus(n_docs=n_docs, seed=1)
    t = time.perf_counter()
    est = FastTextTransformer(min_count=5, epochs=1, workers=2, random_state=0).fit(docs)
    fit_s = time.perf_counter() - t
    size = len(pickle.dumps(est))
    gensim_size = len(pickle.dumps(est._model))
    print(f"\n## FastText pickle size, {n_docs} docs (fit {fit_s:.0f} s, 1 epoch)")
    print(
        f"vocabulary {len(est.wv_):,} words, bucket {est.bucket:,}, 100-d: "
        f"transformer pickle {size / 2**20:.1f} MiB; the gensim model "
        f"(bucket {est.bucket:,}) pickles to {gensim_size / 2**20:.1f} MiB"
    )


if __name__ == "__main__":
    what = sys.argv[1:] or ["throughput", "memory", "overhead", "pickle"]
    docs = make_corpus() if set(what) - {"pickle", "glove_memory"} else None
    if "throughput" in what:
        bench_throughput(docs)
    if "memory" in what:
        bench_memory(docs)
    if "mean_memory" in what:
        bench_mean_memory(docs)
    if "glove_memory" in what:
        bench_glove_memory()
    if "overhead" in what:
        bench_overhead(docs)
    if "pickle" in what:
        bench_pickle()
