#!/usr/bin/env bash
# Build the HTML documentation, running every example, with warnings as errors.
# Needs the docs extra: pip install -e ".[docs]"
set -euo pipefail
cd "$(dirname "$0")"
export MPLBACKEND=Agg
# small networks: one torch thread per process is faster than competing threads
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
rm -rf _build generated auto_examples
python -m sphinx -W --keep-going -b html . _build/html "$@"
