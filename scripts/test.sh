#!/usr/bin/env bash
# Builds everything with warnings as errors (Release, and Debug with AddressSanitizer and
# UndefinedBehaviorSanitizer), then runs every test suite of the Debug build with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
jobs="$(nproc)"

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTTROUTE_WERROR=ON
cmake --build build/release -j "$jobs"

cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug -DTTROUTE_WERROR=ON
cmake --build build/debug -j "$jobs"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
ctest --test-dir build/debug --output-on-failure -j "$jobs"
