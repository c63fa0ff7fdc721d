"""
===============================================
Time series: forecasting and classification
===============================================

The recurrent estimators take numeric sequences as well as text. This example
forecasts the yearly sunspot numbers with a :class:`~sklearn_seq.GRURegressor`
against a ridge regression on the same lagged values, then classifies
synthetic waveforms of different lengths, passed as a plain ragged list, with
a :class:`~sklearn_seq.GRUClassifier`.
"""

# %%
# Sunspots as a supervised problem
# --------------------------------
# ``load_sunspots(window=20)`` cuts the 309 yearly values (1700-2008) into
# sliding windows: each sample holds 20 consecutive years and its target is
# the next year. The split is chronological: we train on the years up to 1948
# and forecast the last 60 years one step ahead.
import numpy as np

from sklearn_seq.datasets import load_sunspots

window = 20
sunspots = load_sunspots(window=window)
X, y, years = sunspots.data, sunspots.target, sunspots.years
train = years <= 1948
X_train, X_test, y_train, y_test = X[train], X[~train], y[train], y[~train]
print(f"windows of shape {X.shape}: {train.sum()} for training, {(~train).sum()} for testing")

# %%
# Ridge regression reads each window as 20 independent features. The GRU reads
# it as a sequence: ``X[:, :, None]`` has shape ``(n_samples, 20, 1)``, twenty
# steps of one feature each (a 2D array would be read the same way; the
# explicit 3D shape makes room for more features per year). Recurrent networks
# train best on inputs of order one, so the windows are divided by the
# training maximum; the regressor standardises the target itself.
from sklearn.linear_model import RidgeCV
from sklearn.metrics import mean_absolute_error

from sklearn_seq import GRURegressor

ridge = RidgeCV(alphas=np.logspace(-2, 4, 13)).fit(X_train, y_train)

scale = X_train.max()
gru = GRURegressor(
    hidden_size=32,
    learning_rate_init=0.01,
    batch_size=32,
    max_iter=150,
    early_stopping=True,
    validation_fraction=0.15,
    n_iter_no_change=20,
    device="auto",
    random_state=0,
)
gru.fit(X_train[:, :, None] / scale, y_train)

predictions = {
    "Ridge on 20 lags": ridge.predict(X_test),
    "GRURegressor": gru.predict(X_test[:, :, None] / scale),
}
print(f"{'persistence (next = last)':28s} MAE {mean_absolute_error(y_test, X_test[:, -1]):5.1f}")
for name, pred in predictions.items():
    print(f"{name:28s} MAE {mean_absolute_error(y_test, pred):5.1f}")
print(f"the GRU stopped after {gru.n_iter_} epochs")

# %%
# Both models clearly beat the naive persistence forecast and end up close to
# each other: with only 229 training windows of a nearly periodic series, a
# linear autoregression is a strong baseline, and the small network's result
# moves by a few points with its seed. The GRU, unlike ridge, would
# also take windows of any length, or several series per step.
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(9, 4), layout="constrained")
ax.plot(years[~train], y_test, color="black", label="observed")
for (name, pred), style in zip(predictions.items(), ["--", "-"], strict=True):
    ax.plot(years[~train], pred, style, label=name)
ax.set_xlabel("Year")
ax.set_ylabel("Yearly mean sunspot number")
ax.set_title("One-year-ahead forecasts, 1949-2008")
ax.legend()
plt.show()

# %%
# Classifying waveforms of different lengths
# ------------------------------------------
# Sequences need not share a length. We generate noisy sine, square and
# sawtooth waves of 20 to 120 steps with random frequency and phase, and pass
# them as a list of 1D arrays. The classifier batches equal lengths together
# and reads each output at the sequence's own last step, so there is no
# padding to tune.
import warnings

from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import train_test_split

from sklearn_seq import GRUClassifier

rng = np.random.RandomState(0)
shapes = {
    "sine": lambda t: np.sin(2 * np.pi * t),
    "square": lambda t: np.sign(np.sin(2 * np.pi * t)),
    "sawtooth": lambda t: 2 * (t - np.floor(t + 0.5)),
}
names = list(shapes)
series, kinds = [], []
for _ in range(600):
    kind = rng.randint(len(names))
    n_steps = rng.randint(20, 121)
    t = rng.uniform(0.03, 0.12) * np.arange(n_steps) + rng.uniform()
    series.append(shapes[names[kind]](t) + 0.3 * rng.randn(n_steps))
    kinds.append(names[kind])
kinds = np.array(kinds)

S_train, S_test, k_train, k_test = train_test_split(
    series, kinds, test_size=0.3, stratify=kinds, random_state=0
)
clf = GRUClassifier(
    hidden_size=32,
    learning_rate_init=0.01,
    max_iter=30,
    device="auto",
    random_state=0,
)
with warnings.catch_warnings():
    warnings.simplefilter("ignore", ConvergenceWarning)  # 30 epochs are enough here
    clf.fit(S_train, k_train)
print(f"held-out accuracy {clf.score(S_test, k_test):.3f} on {len(S_test)} waveforms")

# %%
# Some test waveforms with their predicted class:
fig, axes = plt.subplots(2, 3, figsize=(10, 4.5), sharey=True, layout="constrained")
for ax, s, true, pred in zip(
    axes.ravel(), S_test[:6], k_test[:6], clf.predict(S_test[:6]), strict=True
):
    ax.plot(s)
    ax.set_title(f"{true}, predicted {pred}", color="black" if true == pred else "red")
plt.show()
