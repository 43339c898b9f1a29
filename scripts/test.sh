#!/usr/bin/env bash
# Builds everything with warnings as errors (Release, and Debug with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs every test suite of the Debug build with ctest; then
# builds the concurrency suites with ThreadSanitizer and runs them again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
jobs="$(nproc)"

cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DTTROUTE_WERROR=ON
cmake --build build/release -j "$jobs"

cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug -DTTROUTE_WERROR=ON
cmake --build build/debug -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build/debug --output-on-failure -j "$jobs"

cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DTTROUTE_SANITIZERS=thread -DTTROUTE_WERROR=ON
cmake --build build/tsan -j "$jobs" --target tthost ttroute ttbench unit_router integration_plugin integration_faults e2e_operations bench_smoke
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp" \
  ctest --test-dir build/tsan --output-on-failure -j "$jobs" -L concurrency
