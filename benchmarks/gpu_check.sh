#!/usr/bin/env bash
# The project's GPU check, in one short call on a machine with one NVIDIA GPU
# (assumes the package and torch with CUDA are installed; under five minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader || true
# 1. scikit-learn's conformance checks with device="cuda" (fast configuration;
#    the default configuration's device="auto" also resolves to the GPU here)
SKLEARN_SEQ_TEST_DEVICE=cuda python -m pytest tests/test_common.py -q -x -n 4 \
    -W ignore::sklearn.exceptions.ConvergenceWarning -p no:cacheprovider
# 2. CPU/GPU agreement, batch independence on the GPU, CUDA pickle -> CPU
python benchmarks/gpu_check.py
# 3. training speed on the GPU beside the hand-written anchor (25k docs, batch 64)
python benchmarks/bench_rnn.py 25000 cuda 1
