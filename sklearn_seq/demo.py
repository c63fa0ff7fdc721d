"""Demonstration: classify WordNet glosses into their 45 lexicographer files.

Run ``python -m sklearn_seq.demo``. Trains ``W2VTransformer`` + ``GRUClassifier``
on a subset of the bundled WordNet 3.0 glosses and prints held-out accuracy
beside two baselines: TF-IDF + ``LogisticRegression`` and mean-pooled Word2Vec
vectors + ``LogisticRegression``. ``device="auto"`` trains on a GPU when one is
present. Options: ``--n-train``, ``--n-test``, ``--max-iter``, ``--seed``.
"""

import argparse
import sys
import time
import warnings


def _require(module, extra):
    try:
        return __import__(module)
    except ImportError:
        sys.exit(
            f"The demo needs the optional package '{module}', which is not installed. "
            f"Install it with: pip install {extra}"
        )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n-train", type=int, default=30000, help="training glosses")
    parser.add_argument("--n-test", type=int, default=10000, help="held-out glosses")
    parser.add_argument("--max-iter", type=int, default=15, help="GRU epochs at most")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    # a few glosses consist only of words rarer than min_count: they are kept as
    # empty documents (predicted from the bias); the per-call warning is noise here
    warnings.filterwarnings("ignore", message=".*documents have no known tokens")
    for module, extra in [("torch", "torch"), ("gensim", "gensim"), ("sklearn", "scikit-learn")]:
        _require(module, extra)

    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline

    from sklearn_seq import GRUClassifier, W2VTransformer
    from sklearn_seq.datasets import load_wordnet_glosses

    data = load_wordnet_glosses()
    n_total, n_classes = len(data.data), len(data.target_names)
    if min(args.n_train, args.n_test) < n_classes or args.n_train + args.n_test > n_total:
        sys.exit(
            f"--n-train and --n-test must each be at least {n_classes} (one gloss per "
            f"class) and together at most {n_total}."
        )
    if args.max_iter < 1:
        sys.exit("--max-iter must be at least 1.")
    X_train, X_test, y_train, y_test = train_test_split(
        np.asarray(data.data, dtype=object),
        data.target,
        train_size=args.n_train,
        test_size=args.n_test,
        random_state=args.seed,
        stratify=data.target,
    )
    print(
        f"WordNet 3.0 glosses: {len(X_train)} training and {len(X_test)} held-out of "
        f"{n_total}, {len(data.target_names)} classes (noun.animal, verb.motion, ...)"
    )
    results = []

    def run(name, model):
        print(f"\n== {name}", flush=True)
        t = time.perf_counter()
        model.fit(list(X_train), y_train)
        acc = model.score(list(X_test), y_test)
        results.append((name, acc, time.perf_counter() - t))
        print(f"   held-out accuracy {acc:.3f} ({results[-1][2]:.0f} s)", flush=True)

    run(
        "TF-IDF + LogisticRegression",
        make_pipeline(TfidfVectorizer(sublinear_tf=True), LogisticRegression(max_iter=300)),
    )
    w2v = dict(vector_size=100, window=5, min_count=2, epochs=10, workers=2, random_state=0)
    run(
        "Word2Vec mean + LogisticRegression",
        make_pipeline(W2VTransformer(output="mean", **w2v), LogisticRegression(max_iter=300)),
    )
    gru = GRUClassifier(
        hidden_size=128,
        bidirectional=True,
        pooling="max",
        batch_size=64,
        learning_rate_init=0.003,
        max_iter=args.max_iter,
        early_stopping=True,
        n_iter_no_change=3,
        device="auto",
        random_state=args.seed,
        verbose=1,
    )
    run("Word2Vec + GRUClassifier", make_pipeline(W2VTransformer(**w2v), gru))

    print("\nmodel                                  accuracy   time")
    for name, acc, seconds in results:
        print(f"{name:38s} {acc:8.3f} {seconds:6.0f} s")


if __name__ == "__main__":
    main()
