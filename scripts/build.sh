#!/usr/bin/env bash
# Configures and builds one of the test builds, warnings as errors, into build/<kind>, for
# the prefix /usr (so that `cpack -G DEB` there makes Debian packages):
#   release  Release
#   debug    Debug with AddressSanitizer and UndefinedBehaviorSanitizer
#   tsan     Debug with ThreadSanitizer, only what the concurrency suites need
set -euo pipefail
cd "$(dirname "$0")/.."

kind="${1:?usage: scripts/build.sh release|debug|tsan}"
jobs="$(nproc)"
case "$kind" in
  release)
    cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr -DTTROUTE_WERROR=ON
    cmake --build build/release -j "$jobs" ;;
  debug)
    cmake -S . -B build/debug -DCMAKE_BUILD_TYPE=Debug -DCMAKE_INSTALL_PREFIX=/usr -DTTROUTE_WERROR=ON
    cmake --build build/debug -j "$jobs" ;;
  tsan)
    cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=Debug -DTTROUTE_SANITIZERS=thread -DTTROUTE_WERROR=ON
    cmake --build build/tsan -j "$jobs" --target tthost ttroute ttbench unit_router integration_plugin integration_faults integration_peer_loss e2e_operations bench_smoke ;;
  *)
    echo "scripts/build.sh: unknown build '$kind' (release, debug or tsan)" >&2
    exit 2 ;;
esac
