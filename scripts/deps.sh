#!/usr/bin/env bash
# Installs the Debian packages ttroute builds and tests with, and any named as arguments, if
# any is missing (as root or via sudo).
set -euo pipefail

# clang and its runtime only build the fuzz target (tests/fuzz); without them that test is left
# out. dpkg-dev and lintian make and check the Debian packages (the tests labelled package).
# chromium loads the status page headless (e2e_status_page, scripts/status-page-screenshot.sh).
packages=(cmake make g++ libpoco-dev libprotobuf-dev protobuf-compiler libcppunit-dev clang libclang-rt-14-dev dpkg-dev lintian chromium "$@")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null; then
  sudo=(sudo)
else
  echo "error: need root or sudo to install: ${missing[*]}" >&2
  exit 1
fi
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
