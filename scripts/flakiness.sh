#!/usr/bin/env bash
# Shows whether the test suite is flaky: runs every suite over and over, in the Release build,
# the AddressSanitizer+UBSan build and (the concurrency suites) the ThreadSanitizer build,
# first on a quiet machine and then with every core kept busy by `stress`. Stops at the first
# failure, with its output. The fuzzer (fuzz_router, a time-boxed search) is left out.
#
#   scripts/flakiness.sh [--runs=N] [--slow-runs=M] [--builds="release debug tsan"] [--load=only|no|both]
#
# Fast suites run N times (default 20), the slow ones (SLOW below) M times (default 5).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
slow_runs=5
builds="release debug tsan"
load=both
for arg in "$@"; do
  case "$arg" in
    --runs=*) runs="${arg#*=}" ;;
    --slow-runs=*) slow_runs="${arg#*=}" ;;
    --builds=*) builds="${arg#*=}" ;;
    --load=*) load="${arg#*=}" ;;
    *) echo "usage: scripts/flakiness.sh [--runs=N] [--slow-runs=M] [--builds=\"release debug tsan\"] [--load=only|no|both]" >&2; exit 2 ;;
  esac
done

# Suites that take ten seconds or more a run in the sanitizer build.
SLOW='^(e2e_operations|e2e_admin|e2e_status_page|bench_smoke|e2e_embedding|e2e_package)$'

scripts/deps.sh stress
for build in $builds; do scripts/build.sh "$build"; done

stress_pid=
# stress runs in a process group of its own, so that all of its workers stop with it.
stop_stress() { [ -z "$stress_pid" ] || kill -- "-$stress_pid" 2>/dev/null || true; wait 2>/dev/null || true; stress_pid=; }
trap stop_stress EXIT

pass() {
  local build="$1" what="$2"
  echo "== $build, $what: fast suites x$runs, slow suites x$slow_runs"
  scripts/ctest.sh "$build" -E "$SLOW|^fuzz_router$" --repeat "until-fail:$runs"
  scripts/ctest.sh "$build" -R "$SLOW" --repeat "until-fail:$slow_runs"
}

for build in $builds; do
  if [ "$load" != only ]; then pass "$build" "quiet machine"; fi
  if [ "$load" != no ]; then
    setsid stress --cpu "$(nproc)" --io 1 >/dev/null 2>&1 &
    stress_pid=$!
    pass "$build" "every core loaded by stress"
    stop_stress
  fi
done
echo "== no test failed"
