"""
===================================================
Grid search over embedding and network parameters
===================================================

An embedding transformer and a recurrent estimator form an ordinary
:class:`~sklearn.pipeline.Pipeline`, so scikit-learn's model selection tools
tune both at once: ``<step>__<parameter>`` names reach into either step, and
every cross-validation split refits the embedding on its own training part,
so no word vector is ever learned from validation text.
"""

# %%
# Data and pipeline
# -----------------
# Five verb classes of the WordNet glosses, 2,000 for the search and 1,000
# for the final test.
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline

from sklearn_seq import GRUClassifier, W2VTransformer
from sklearn_seq.datasets import load_wordnet_glosses

verbs = load_wordnet_glosses(pos="verb")
labels = verbs.target_names[verbs.target]
keep = np.isin(
    labels, ["verb.change", "verb.contact", "verb.communication", "verb.motion", "verb.social"]
)
X_train, X_test, y_train, y_test = train_test_split(
    [g for g, k in zip(verbs.data, keep, strict=True) if k],
    labels[keep],
    train_size=2000,
    test_size=1000,
    stratify=labels[keep],
    random_state=0,
)

pipe = Pipeline(
    [
        ("emb", W2VTransformer(min_count=2, epochs=10, workers=1, random_state=0)),
        (
            "clf",
            GRUClassifier(
                hidden_size=32,
                learning_rate_init=0.01,
                max_iter=10,
                freeze_embedding=False,
                device="auto",
                random_state=0,
            ),
        ),
    ]
)

# %%
# The grid
# --------
# Two embedding parameters (vector size; CBOW or skip-gram) and one network
# parameter (how the GRU's outputs are pooled): eight candidates, each fitted
# on two cross-validation splits. ``n_jobs`` would spread the fits over
# processes; to spread them over a cluster, see "Scaling out" in the user
# guide.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV

param_grid = {
    "emb__vector_size": [32, 64],
    "emb__sg": [0, 1],
    "clf__pooling": ["last", "max"],
}
search = GridSearchCV(pipe, param_grid, cv=2, scoring="accuracy")
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # short training on purpose
    # a few glosses have only words too rare for a small fold's vocabulary
    warnings.filterwarnings("ignore", message=".*have no known tokens")
    search.fit(X_train, y_train)

print("best parameters:", search.best_params_)
print(f"best cross-validated accuracy {search.best_score_:.3f}")
print(f"test accuracy of the refitted best pipeline {search.score(X_test, y_test):.3f}")

# %%
# All candidates, best first:
import pandas as pd

results = pd.DataFrame(search.cv_results_)
columns = ["param_emb__vector_size", "param_emb__sg", "param_clf__pooling"]
results = results.sort_values("rank_test_score")[
    [*columns, "mean_test_score", "std_test_score", "mean_fit_time"]
]
results.round(3)

# %%
# Which parameter matters most? Each candidate's score, grouped by pooling:
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 4), layout="constrained")
for pooling, group in results.groupby("param_clf__pooling"):
    names = [
        f"{'skip-gram' if sg else 'CBOW'}, {size}d"
        for size, sg in zip(group["param_emb__vector_size"], group["param_emb__sg"], strict=True)
    ]
    ax.errorbar(
        group["mean_test_score"],
        names,
        xerr=group["std_test_score"],
        fmt="o",
        capsize=3,
        label=f'pooling="{pooling}"',
    )
ax.set_xlabel("Mean cross-validated accuracy")
ax.set_title("Grid search over the embedding and the network")
ax.legend()
plt.show()

# %%
# The fitted search is a model like any other: ``search.predict`` uses the
# best pipeline, refitted on all 2,000 training glosses, and the best
# embedding's vectors are at hand for inspection.
best_vectors = search.best_estimator_.named_steps["emb"].wv_
print(search.predict(["travel by boat across the sea"]))
print([w for w, _ in best_vectors.most_similar("boat", topn=5)])
