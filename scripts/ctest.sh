#!/usr/bin/env bash
# Runs ctest on one of the builds scripts/build.sh makes, with the sanitizer options that
# build needs: the debug build runs every suite but those labelled package (which install,
# package and build against the product: the release build's business), the tsan build the
# suites labelled concurrency. Further arguments go to ctest, e.g.
# scripts/ctest.sh debug -R unit_ --repeat until-fail:20
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:?usage: scripts/ctest.sh release|debug|tsan [ctest arguments]}"
shift
args=(--test-dir "build/$kind" --output-on-failure -j "$(nproc)")
case "$kind" in
  release) ;;
  debug)
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    args+=(-LE package) ;;
  tsan)
    export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$PWD/tests/tsan.supp"
    args+=(-L concurrency) ;;
  *)
    echo "scripts/ctest.sh: unknown build '$kind' (release, debug or tsan)" >&2
    exit 2 ;;
esac
exec ctest "${args[@]}" "$@"
