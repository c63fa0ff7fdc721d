"""Training and prediction speed of GRUClassifier beside hand-written anchors.

The workload is the synthetic IMDB-like corpus of the project's reference
benchmark (log-normal lengths, median ~175 tokens, Zipf vocabulary of 30k,
frozen 100-d embeddings), GRU(128), Adam(1e-3), batch 64, one epoch. Every
number is real (unpadded) tokens per second, measured in this run:

* bucket_gather  - the fastest hand-written recipe: length-bucketed batches,
                   padded fused kernel, output read at each true last step;
* skorch_padded  - skorch NeuralNetClassifier on fixed-length (400) padded ids;
* GRUClassifier  - this library, ``fit`` from a SequenceArray (setup included).
* no_clipping    - (on a GPU) the same with max_grad_norm=None, the anchor's work a step.

Usage: python benchmarks/bench_rnn.py [N_DOCS] [cpu|cuda] [REPEATS]
"""

import sys
import time
import warnings

import numpy as np
import torch
from torch import nn

from sklearn_seq import GRUClassifier, SequenceArray

N = int(sys.argv[1]) if len(sys.argv) > 1 else 300
DEV = sys.argv[2] if len(sys.argv) > 2 else "cpu"
REPEATS = int(sys.argv[3]) if len(sys.argv) > 3 else 3
V, E, H, MAXLEN, B = 30000, 100, 128, 400, 64

rng = np.random.default_rng(0)
lengths = np.clip(rng.lognormal(np.log(175), 0.7, N).astype(int), 5, 2500)
tokens = rng.zipf(1.3, lengths.sum()) % (V - 1) + 1
offsets = np.concatenate([[0], np.cumsum(lengths)])
docs = [tokens[offsets[i] : offsets[i + 1]] for i in range(N)]
y = rng.integers(0, 2, N)
emb_matrix = torch.randn(V, E)
total_tokens = int(lengths.sum())
X = SequenceArray(tokens, offsets, vectors=emb_matrix.numpy())


def sync():
    if DEV.startswith("cuda"):
        torch.cuda.synchronize()


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding.from_pretrained(emb_matrix.clone(), freeze=True, padding_idx=0)
        self.rnn = nn.GRU(E, H, batch_first=True)
        self.fc = nn.Linear(H, 2)

    def forward(self, ids, lens=None):
        out, h = self.rnn(self.emb(ids))
        if lens is None:
            return self.fc(h[-1])
        return self.fc(out[torch.arange(len(lens), device=out.device), lens.to(out.device) - 1])


def pad(batch_docs, maxlen=None):
    L = maxlen or max(len(d) for d in batch_docs)
    out = np.zeros((len(batch_docs), L), dtype=np.int64)
    lens = np.empty(len(batch_docs), dtype=np.int64)
    for i, d in enumerate(batch_docs):
        d = d[:L]
        out[i, : len(d)] = d
        lens[i] = len(d)
    return torch.from_numpy(out), torch.from_numpy(lens)


def bucket_gather(n_batches=None):
    p = np.argsort(lengths, kind="stable")
    batches = [p[i : i + B] for i in range(0, N, B)]
    np.random.default_rng(1).shuffle(batches)
    torch.manual_seed(0)
    net = Net().to(DEV)
    opt = torch.optim.Adam([q for q in net.parameters() if q.requires_grad], 1e-3)
    lossf = nn.CrossEntropyLoss()
    sync()
    t = time.perf_counter()
    for idx in batches[:n_batches]:
        ids, lens = pad([docs[i] for i in idx])
        out = net(ids.to(DEV, non_blocking=True), lens)
        loss = lossf(out, torch.as_tensor(y[idx]).to(DEV))
        opt.zero_grad()
        loss.backward()
        opt.step()
    sync()
    return time.perf_counter() - t


def skorch_padded():
    from skorch import NeuralNetClassifier

    class SkNet(Net):
        def forward(self, X):
            return super().forward(X)

    Xfix, _ = pad(docs, MAXLEN)
    torch.manual_seed(0)
    net = NeuralNetClassifier(
        SkNet,
        max_epochs=1,
        batch_size=B,
        lr=1e-3,
        optimizer=torch.optim.Adam,
        criterion=nn.CrossEntropyLoss,
        train_split=None,
        device=DEV,
        verbose=0,
    )
    t = time.perf_counter()
    net.fit(Xfix.numpy(), y.astype(np.int64))
    return time.perf_counter() - t


def ours(**params):
    clf = GRUClassifier(
        hidden_size=H,
        batch_size=B,
        max_iter=1,
        learning_rate_init=1e-3,
        device=DEV,
        random_state=0,
        **params,
    )
    sync()
    t = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        clf.fit(X, y)
    sync()
    return time.perf_counter() - t, clf


def main():
    recipes = {"bucket_gather": bucket_gather, "GRUClassifier": lambda: ours()[0]}
    if DEV.startswith("cuda"):  # the anchor clips no gradients: the same work per step
        recipes["no_clipping"] = lambda: ours(max_grad_norm=None)[0]
    try:
        import skorch  # noqa: F401

        recipes["skorch_padded"] = skorch_padded
    except ImportError:
        print("skorch not installed: pip install -e '.[benchmark]' for the skorch row")
    bucket_gather(3)  # warm-up: library load, kernels, allocator
    ours()
    times = {k: [] for k in recipes}
    for _ in range(REPEATS):  # interleaved so drift hits every recipe alike
        for name, fn in recipes.items():
            times[name].append(fn())
    print(
        f"device={DEV} docs={N} real_tokens={total_tokens} mean_len={lengths.mean():.0f} "
        f"max_len={lengths.max()} threads={torch.get_num_threads()} repeats={REPEATS}"
    )
    med = {k: float(np.median(v)) for k, v in times.items()}
    for name, t in med.items():
        print(
            f"train {name:14s} {t:8.2f}s {total_tokens / t / 1e3:10.1f} k tok/s "
            f"x{med['bucket_gather'] / t:5.2f} of bucket_gather"
        )
    if "skorch_padded" in med:
        print(
            f"GRUClassifier / skorch_padded speed ratio: "
            f"x{med['skorch_padded'] / med['GRUClassifier']:.2f}"
        )
    _, clf = ours()
    for _ in range(2):
        clf.predict(X)
    sync()
    t = time.perf_counter()
    clf.predict(X)
    sync()
    t = time.perf_counter() - t
    print(f"predict throughput   {total_tokens / t / 1e3:10.1f} k tok/s ({N / t:.0f} docs/s)")
    short = SequenceArray(X.data[:20], [0, 20], vectors=X.vectors)
    lat = []
    for _ in range(50):
        t = time.perf_counter()
        clf.predict(short)
        lat.append(time.perf_counter() - t)
    print(f"predict latency, one 20-token document: median {np.median(lat) * 1e3:.2f} ms")


if __name__ == "__main__":
    main()
