#!/usr/bin/env bash
# Builds tthost and the route plugin (Release) and starts it on conf/tthost.properties.
# Extra arguments go to tthost, e.g. scripts/run.sh --config-file=/etc/tthost.properties
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
cmake -S . -B build/release -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
cmake --build build/release -j "$(nproc)"
exec build/release/bin/tthost --config-file=conf/tthost.properties "$@"
