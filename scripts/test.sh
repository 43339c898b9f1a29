#!/usr/bin/env bash
# Builds everything with warnings as errors (Release, and Debug with AddressSanitizer and
# UndefinedBehaviorSanitizer) and runs every test suite of the Debug build with ctest; then
# the package suites on the Release build (install, embed, make and check the Debian
# packages); then builds the concurrency suites with ThreadSanitizer and runs them again.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh release
scripts/build.sh debug
scripts/ctest.sh debug
scripts/ctest.sh release -L package
scripts/build.sh tsan
scripts/ctest.sh tsan
