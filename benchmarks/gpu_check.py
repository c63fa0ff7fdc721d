"""GPU checks for the recurrent estimators (one short run, under five minutes).

1. CPU and CUDA fits with one seed agree (probabilities and predicted labels).
2. Predictions on the GPU do not depend on the batch (alone vs. with others).
3. A CUDA-fitted model pickled with joblib loads and predicts on a machine with
   no GPU (simulated with CUDA_VISIBLE_DEVICES="" in a subprocess).
4. The paths no test reaches on a GPU: seeded fits with dropout and early
   stopping repeat and leave the caller's CUDA and CPU generators as they were;
   a warm-start pickle continues training on the GPU (Adam's step counters on
   the device); a regressor's partial_fit rescales its head on the device.

Run by benchmarks/gpu_check.sh, which also runs the conformance checks with
device="cuda" and the training benchmark on the GPU.
"""

import os
import pickle
import subprocess
import sys
import tempfile
import warnings

import joblib
import numpy as np
import torch

from sklearn_seq import GRUClassifier, LSTMRegressor, SequenceArray


def main():
    assert torch.cuda.is_available(), "no CUDA device visible to torch"
    print("device:", torch.cuda.get_device_name(0), "torch", torch.__version__)
    warnings.simplefilter("ignore")
    rng = np.random.RandomState(0)
    vectors = rng.randn(500, 16).astype(np.float32)
    seqs = [rng.randint(0, 500, size=n) for n in rng.randint(0, 60, size=600)]
    X = SequenceArray.from_sequences(seqs, vectors=vectors)
    y = np.array([int((s < 250).mean() > 0.5) if len(s) else 0 for s in seqs])
    params = dict(hidden_size=32, max_iter=5, bidirectional=True, random_state=0)
    cpu = GRUClassifier(**params, device="cpu").fit(X, y)
    gpu = GRUClassifier(**params, device="cuda").fit(X, y)
    p_cpu, p_gpu = cpu.predict_proba(X), gpu.predict_proba(X)
    diff = np.abs(p_cpu - p_gpu).max()
    agree = (p_cpu.argmax(1) == p_gpu.argmax(1)).mean()
    print(f"CPU vs CUDA fit: max |proba diff| {diff:.2e}, label agreement {agree:.4f}")
    failures = []
    if not (diff < 1e-3 and agree > 0.99):
        failures.append("CPU and CUDA fits disagree")

    alone = np.vstack([gpu.predict_proba(X[i]) for i in range(50)])
    batch_diff = np.abs(alone - p_gpu[:50]).max()
    print(f"CUDA batch independence: max |alone - in batch| {batch_diff:.2e}")
    if not batch_diff < 1e-7:
        failures.append("CUDA predictions depend on the batch")

    reg = LSTMRegressor(hidden_size=16, max_iter=3, device="cuda", random_state=0)
    reg.fit(X, rng.randn(len(X), 2))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "model.joblib")
        joblib.dump((gpu, reg, X), path)
        expected = np.concatenate([gpu.predict_proba(X).ravel(), reg.predict(X).ravel()])
        np.save(os.path.join(tmp, "expected.npy"), expected)
        code = (
            "import joblib, numpy as np, torch; assert not torch.cuda.is_available();"
            f"gpu, reg, X = joblib.load({path!r});"
            "assert gpu.device_ == 'cpu' and reg.device_ == 'cpu';"
            "got = np.concatenate([gpu.predict_proba(X).ravel(), reg.predict(X).ravel()]);"
            f"exp = np.load({os.path.join(tmp, 'expected.npy')!r});"
            "print(f'CUDA pickle loaded without a GPU: max |diff| {np.abs(got - exp).max():.2e}');"
            "assert np.abs(got - exp).max() < 1e-5"
        )
        env = dict(os.environ, CUDA_VISIBLE_DEVICES="")
        if subprocess.run([sys.executable, "-c", code], env=env).returncode:
            failures.append("the CUDA pickle did not load or predict on a machine with no GPU")
    failures += continued_training(X, y, rng)
    if failures:
        sys.exit("GPU checks FAILED: " + "; ".join(failures))
    print("GPU checks passed")


def continued_training(X, y, rng, device="cuda"):
    """Step 4 of the module docstring; returns the failures."""
    failures = []
    cuda_before, cpu_before = torch.cuda.get_rng_state(), torch.get_rng_state()
    params = dict(hidden_size=16, num_layers=2, dropout=0.3, early_stopping=True, max_iter=4)
    a, b = (GRUClassifier(**params, random_state=0, device=device).fit(X, y) for _ in "ab")
    diff = np.abs(a.predict_proba(X) - b.predict_proba(X)).max()
    print(f"seeded CUDA fits with dropout and early stopping: max |diff| {diff:.2e}")
    if not diff < 1e-4:
        failures.append("seeded CUDA fits differ")
    if not torch.equal(torch.cuda.get_rng_state(), cuda_before):
        failures.append("a fit changed the caller's CUDA generator")
    if not torch.equal(torch.get_rng_state(), cpu_before):
        failures.append("a fit changed the caller's CPU generator")
    warm = GRUClassifier(hidden_size=16, max_iter=2, warm_start=True, random_state=0)
    warm = pickle.loads(pickle.dumps(warm.set_params(device=device).fit(X, y))).fit(X, y)
    steps = {s["step"].device.type for s in warm._optimizer_state["state"].values()}
    print(f"warm-start pickle continued on {warm.device_}, Adam's steps on {steps}")
    if warm.device_ == "cpu" or warm.n_iter_ != 4 or steps != {"cuda"}:
        failures.append("a warm-start pickle did not continue on the GPU")
    reg = LSTMRegressor(hidden_size=8, random_state=0, device=device)
    Y = rng.randn(len(X), 2)
    reg.partial_fit(X, Y).partial_fit(X, 10 * Y + 5)  # the target's scale changes
    if not np.isfinite(reg.predict(X)).all():
        failures.append("a regressor's partial_fit rescale on the GPU gave non-finite output")
    return failures


if __name__ == "__main__":
    main()
