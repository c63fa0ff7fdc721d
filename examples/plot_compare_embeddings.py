"""
===========================================================
Comparing Word2Vec, FastText, GloVe and a learned embedding
===========================================================

Four ways to turn words into vectors, all with the same scikit-learn
interface:

* :class:`~sklearn_seq.W2VTransformer` (gensim's Word2Vec);
* :class:`~sklearn_seq.FastTextTransformer` (gensim's FastText, whose vectors
  are built from character n-grams, so unseen words get one too);
* :class:`~sklearn_seq.GloVeTransformer` (GloVe, trained by this package on
  the co-occurrence counts);
* :class:`~sklearn_seq.SequenceVectorizer`, which only maps words to ids: the
  recurrent network learns the embedding for the task.

We score the three pretrained ones intrinsically (do synonyms get similar
vectors?) through their ``wv_`` attribute, and all four downstream, on the
verb classification task of the text-classification example. Corpora and
networks are kept small so the example runs in about a minute on a laptop; the
numbers say more about the method than about the embeddings' best quality.
"""

# %%
# A shared unlabelled corpus
# --------------------------
# The three pretrained embeddings learn from 30,000 glosses of nouns,
# adjectives and adverbs. Same corpus, tokeniser, size and ``min_count`` for
# all three.
import numpy as np

from sklearn_seq import FastTextTransformer, GloVeTransformer, W2VTransformer
from sklearn_seq.datasets import load_wordnet_glosses

full = load_wordnet_glosses()
rng = np.random.RandomState(0)
not_verb = np.flatnonzero(full.pos != "verb")
corpus = [full.data[i] for i in rng.choice(not_verb, 30_000, replace=False)]

common = dict(vector_size=50, min_count=3, random_state=0)
embeddings = {
    "Word2Vec": W2VTransformer(epochs=5, workers=2, **common),
    "FastText": FastTextTransformer(epochs=5, workers=2, bucket=50_000, **common),
    "GloVe": GloVeTransformer(epochs=15, **common),
}
for name, embedding in embeddings.items():
    embedding.fit(corpus)
    print(f"{name:9s} {len(embedding.wv_)} words")

# %%
# Nearest neighbours
# ------------------
# ``wv_`` is a gensim ``KeyedVectors``, so all of gensim's queries work on it.
# The nearest neighbours of a few words:
import pandas as pd

words = ["dog", "red", "river", "happy", "music"]
neighbours = pd.DataFrame(
    {
        name: [", ".join(w for w, _ in embedding.wv_.most_similar(word, topn=4)) for word in words]
        for name, embedding in embeddings.items()
    },
    index=words,
)
neighbours  # noqa: B018

# %%
# FastText's neighbours often share spelling rather than meaning (its vectors
# sum character n-grams, which dominate on a small corpus); Word2Vec and GloVe
# group colours with colours.
#
# Intrinsic score: synonyms from WordNet
# --------------------------------------
# WordNet itself says which words are synonyms: the lemmas of one synset.
# A good embedding gives synonym pairs a higher cosine similarity than random
# pairs of words. We measure that with the area under the ROC curve (0.5 is
# chance, 1.0 perfect), on single-word synonym pairs known to all three
# embeddings. gensim's ``evaluate_word_pairs`` does the same job for a word
# similarity benchmark file, if you have one.
from sklearn.metrics import roc_auc_score

vocabulary = set.intersection(*(set(e.wv_.index_to_key) for e in embeddings.values()))
synonyms = set()
for lemmas in full.lemmas:
    names = sorted({w.lower() for w in lemmas.split("; ") if w.isalpha()} & vocabulary)
    synonyms.update((a, b) for i, a in enumerate(names) for b in names[i + 1 :])
synonyms = sorted(synonyms)
synonyms = [synonyms[i] for i in rng.choice(len(synonyms), 2000, replace=False)]
vocab_list = sorted(vocabulary)
random_pairs = [tuple(rng.choice(vocab_list, 2, replace=False)) for _ in range(2000)]
pairs = synonyms + random_pairs
is_synonym = np.r_[np.ones(len(synonyms)), np.zeros(len(random_pairs))]

intrinsic = {
    name: roc_auc_score(is_synonym, [e.wv_.similarity(a, b) for a, b in pairs])
    for name, e in embeddings.items()
}
print({name: round(auc, 3) for name, auc in intrinsic.items()})

# %%
# Downstream accuracy
# -------------------
# The task: the lexicographer file of a verb gloss, five classes. Each
# pretrained embedding feeds two classifiers: logistic regression on the mean
# vector (``output="mean"``) and a :class:`~sklearn_seq.GRUClassifier` over
# the sequence, with the vectors frozen so that the embedding alone makes the
# difference. The learned embedding goes through the same GRU, trained from
# scratch together with its embedding.
from sklearn.base import clone
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_seq import GRUClassifier, SequenceVectorizer

verbs = load_wordnet_glosses(pos="verb")
labels = verbs.target_names[verbs.target]
keep = np.isin(
    labels,
    ["verb.change", "verb.contact", "verb.communication", "verb.motion", "verb.social"],
)
X_train, X_test, y_train, y_test = train_test_split(
    [g for g, k in zip(verbs.data, keep, strict=True) if k],
    labels[keep],
    train_size=3000,
    test_size=1000,
    stratify=labels[keep],
    random_state=0,
)
gru = GRUClassifier(
    hidden_size=32,
    learning_rate_init=0.01,
    max_iter=12,
    early_stopping=True,
    n_iter_no_change=3,
    device="auto",
    random_state=0,
)

rows = []
for name, embedding in embeddings.items():
    vectors = embedding.wv_
    cls = type(embedding)
    for model_name, model in [
        (
            "mean + LogisticRegression",
            make_pipeline(cls(pretrained=vectors, output="mean"), LogisticRegression(max_iter=500)),
        ),
        ("GRUClassifier", make_pipeline(cls(pretrained=vectors), clone(gru))),
    ]:
        model.fit(X_train, y_train)
        rows.append((name, model_name, model.score(X_test, y_test)))

learned = make_pipeline(  # the network learns a 50-dimensional embedding
    SequenceVectorizer(min_count=2), clone(gru).set_params(embedding_dim=50)
).fit(X_train, y_train)
rows.append(("learned (SequenceVectorizer)", "GRUClassifier", learned.score(X_test, y_test)))
downstream = pd.DataFrame(rows, columns=["embedding", "model", "accuracy"])
table = downstream.pivot(index="embedding", columns="model", values="accuracy")
table.round(3)

# %%
# The two views side by side:
import matplotlib.pyplot as plt

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
ax1.bar(list(intrinsic), list(intrinsic.values()), color=["C0", "C1", "C2"])
ax1.set_ylim(0.5, 1.0)
ax1.set_ylabel("ROC AUC, synonyms vs random pairs")
ax1.set_title("Intrinsic: synonym similarity")
table.plot.barh(ax=ax2)
ax2.set_xlabel("Test accuracy (5 verb classes)")
ax2.set_title("Downstream: verb classification")
plt.show()

# %%
# What to take away
# -----------------
# * On a corpus this small, the methods differ more than they would at scale:
#   GloVe, which fits global co-occurrence counts, needs more text and epochs
#   than the two window-based methods before its vectors settle.
# * Intrinsic scores and downstream accuracy need not agree; measure on your
#   task, for example with :class:`~sklearn.model_selection.GridSearchCV`
#   over the embedding step of a pipeline.
# * A learned embedding needs labelled data to learn word meaning; pretrained
#   vectors bring knowledge from unlabelled text, which helps most when the
#   labelled set is small.
# * FastText gives vectors to unseen and misspelled words; Word2Vec and GloVe
#   drop them (or map them to one unknown vector with
#   ``handle_unknown="use_unknown_vector"``).
