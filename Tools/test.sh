#!/usr/bin/env bash
# Runs the whole test suite (debug build). BLAS single-threaded: tests run in parallel inside
# one process, and OpenBLAS's reduction order may depend on its thread count (STYLE.md §4).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
swift format lint --strict --recursive Sources Tests Tools
swift build --build-tests
swift test --skip-build "$@"
