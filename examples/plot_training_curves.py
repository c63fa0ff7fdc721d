"""
========================================
Training curves and early stopping
========================================

Every recurrent estimator records its training loss per epoch in
``loss_curve_`` and, with ``early_stopping=True``, the score on a held-out
share of the training data in ``validation_scores_``.
:class:`~sklearn_seq.inspection.TrainingCurveDisplay` draws both, in the style
of scikit-learn's ``*Display`` classes, from a fitted estimator or pipeline.
"""

# %%
# A network that can overfit
# --------------------------
# A :class:`~sklearn_seq.SequenceVectorizer` turns each WordNet verb gloss (of
# five classes) into token ids, and the :class:`~sklearn_seq.GRUClassifier` learns the word
# embedding itself (``embedding_dim``). With a few thousand glosses, such a
# network soon starts memorising them: the training loss keeps falling while
# the validation accuracy levels off.
import numpy as np
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline

from sklearn_seq import GRUClassifier, SequenceVectorizer
from sklearn_seq.datasets import load_wordnet_glosses

verbs = load_wordnet_glosses(pos="verb")
labels = verbs.target_names[verbs.target]
keep = np.isin(
    labels, ["verb.change", "verb.contact", "verb.communication", "verb.motion", "verb.social"]
)
X_train, X_test, y_train, y_test = train_test_split(
    [g for g, k in zip(verbs.data, keep, strict=True) if k],
    labels[keep],
    train_size=4000,
    test_size=2000,
    stratify=labels[keep],
    random_state=0,
)


def make_model(**params):
    return make_pipeline(
        SequenceVectorizer(min_count=2),
        GRUClassifier(
            embedding_dim=64,
            hidden_size=64,
            batch_size=64,
            device="auto",
            random_state=0,
            **params,
        ),
    )


# %%
# Without early stopping the network trains for ``max_iter`` epochs; with it,
# 10% of the training glosses are held out (stratified), training stops once
# the validation accuracy has not improved for ``n_iter_no_change`` epochs,
# and the weights of the best epoch are restored.
import warnings

from sklearn.exceptions import ConvergenceWarning

warnings.filterwarnings("ignore", message=".*have no known tokens")  # a few glosses

with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # max_iter is reached on purpose
    full_run = make_model(max_iter=15).fit(X_train, y_train)
stopped = make_model(max_iter=50, early_stopping=True, n_iter_no_change=4).fit(X_train, y_train)

gru = stopped[-1]
print(
    f"without early stopping: {full_run[-1].n_iter_} epochs, test accuracy "
    f"{full_run.score(X_test, y_test):.3f}"
)
print(
    f"with early stopping:    {gru.n_iter_} epochs, best validation accuracy "
    f"{gru.best_validation_score_:.3f}, test accuracy {stopped.score(X_test, y_test):.3f}"
)

# %%
# The display
# -----------
# :meth:`~sklearn_seq.inspection.TrainingCurveDisplay.from_estimator` takes the
# pipeline (or a fitted search) and reads its last step. The validation score
# has its own scale on the right; the dotted line marks the best epoch, whose
# weights the model kept.
import matplotlib.pyplot as plt

from sklearn_seq.inspection import TrainingCurveDisplay

display = TrainingCurveDisplay.from_estimator(stopped, name="GRU")
display.ax_.set_title("Early stopping keeps the best epoch")
plt.show()

# %%
# Comparing runs on one figure
# ----------------------------
# ``plot`` and ``from_estimator`` accept the axes to draw on. Passing the
# first display's ``ax_validation_`` as ``validation_ax`` puts every
# validation curve on the same right-hand scale. Here a smaller learning rate
# is compared with the default one.
slow = make_model(
    max_iter=50, early_stopping=True, n_iter_no_change=4, learning_rate_init=0.001
).fit(X_train, y_train)

fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
first = TrainingCurveDisplay.from_estimator(stopped, ax=ax, name="lr=0.005")
second = TrainingCurveDisplay.from_estimator(
    slow, ax=ax, validation_ax=first.ax_validation_, name="lr=0.001"
)
ax.set_title("Two learning rates")
plt.show()

# %%
# The curves are plain lists, so other tools work too; for example, the
# epoch at which the validation accuracy peaked:
print(f"lr=0.005: best epoch {first.best_epoch_} of {len(stopped[-1].loss_curve_)}")
print(f"lr=0.001: best epoch {second.best_epoch_} of {len(slow[-1].loss_curve_)}")
