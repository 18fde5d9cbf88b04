#!/usr/bin/env bash
# The bad-input corpus end to end: generates it into a temporary folder (make-corpus.py, fixed seed) and runs
# every case against a release build (run-corpus.py). Extra arguments go to the runner, e.g. -k 'gguf/*' or -v.
set -euo pipefail
cd "$(dirname "$0")/../.."
export QUANTBENCH="${QUANTBENCH:-.build/release/quantbench}"
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
python="${PYTHON:-python3}"   # make-corpus.py needs numpy
"$python" scripts/bad-input/make-corpus.py "$corpus/corpus" > /dev/null
TMPDIR="$corpus" "$python" scripts/bad-input/run-corpus.py "$corpus/corpus" "$@"
