"""The small synthetic corpus shared by the embedding tests."""

import numpy as np

WORDS = "the cat dog sat on mat log ran fast slow big small red blue house tree".split()


def make_docs(n=40, seed=0):
    rng = np.random.RandomState(seed)
    return [" ".join(rng.choice(WORDS, size=rng.randint(3, 9))) for _ in range(n)]


DOCS = make_docs()
