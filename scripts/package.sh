#!/usr/bin/env bash
# Builds the Debian packages ttroute, libtthost0 and ttroute-dev into build/release/ (see
# README "Installing"): the Release build for the prefix /usr, then CPack's DEB generator.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/deps.sh
scripts/build.sh release
cd build/release
cpack -G DEB
ls -1 "$PWD"/*.deb
