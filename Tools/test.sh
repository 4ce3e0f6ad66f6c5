#!/usr/bin/env bash
# Runs the whole test suite (debug build). BLAS single-threaded: tests run in parallel inside
# one process, OpenBLAS's reduction order may depend on its thread count (STYLE.md §4), and
# OpenBLAS 0.3.21's thread pool can hang (exec_blas_async) when several threads call a
# multi-threaded BLAS at once, as parallel tests do.
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
swift format lint --strict --recursive Sources Tests Tools
swift build --build-tests
swift test --skip-build "$@"
