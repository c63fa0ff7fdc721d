#!/usr/bin/env bash
# The project's GPU check, in one short call on a machine with one NVIDIA GPU
# (assumes the package and torch with CUDA are installed; a few minutes).
#
#   bash benchmarks/gpu_check.sh [GLOVE_WORK [BENCH_DIR]]
#
# Every step runs even when an earlier one fails; the exit status says whether
# all passed. Step 3 runs only when GLOVE_WORK holds the prepared reference
# corpus (corpus.txt of ../shared/bench/embed_corpus.py) and BENCH_DIR holds
# embed_corpus.py (default ../shared/bench).
set -uo pipefail
cd "$(dirname "$0")/.."
GLOVE_WORK=${1:-}
BENCH_DIR=${2:-../shared/bench}
failed=()
step() {
    local name=$1
    shift
    echo "=== $name: $*"
    local t0=$SECONDS
    "$@" || failed+=("$name")
    echo "=== $name took $((SECONDS - t0)) s"
}
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
python -c "import torch, sklearn; print('torch', torch.__version__, 'scikit-learn', sklearn.__version__)"
# 1. CPU/GPU agreement, batch independence on the GPU, CUDA pickle -> CPU
step agreement python benchmarks/gpu_check.py
# 2. training speed on the GPU beside the hand-written anchors (25k docs, batch 64)
step bench_rnn python benchmarks/bench_rnn.py 25000 cuda 3
# 3. GloVe on CUDA: seconds per epoch (target: 10x below the C reference's 7.3 s)
if [ -n "$GLOVE_WORK" ] && [ -f "$GLOVE_WORK/corpus.txt" ]; then
    step glove python benchmarks/bench_glove.py --device cuda --work "$GLOVE_WORK" \
        --bench-dir "$BENCH_DIR"
fi
# 4. scikit-learn's conformance checks with device="cuda" (fast configuration;
#    the default configuration's device="auto" also resolves to the GPU here)
step conformance env SKLEARN_SEQ_TEST_DEVICE=cuda python -m pytest tests/test_common.py -q \
    -n 8 -W ignore::sklearn.exceptions.ConvergenceWarning -p no:cacheprovider
# 5. the behaviour tests that take another path where a GPU is present (a change of
#    device between warm calls, GloVe's trainer on CUDA); seeding on CUDA, warm-start
#    pickles and partial_fit on the device are checked by step 1's script
step device-tests python -m pytest tests/test_rnn.py tests/test_embeddings.py -q \
    -k "device or cuda or random_state" -p no:cacheprovider
if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all GPU checks passed"
