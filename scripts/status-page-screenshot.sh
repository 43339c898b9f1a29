#!/usr/bin/env bash
# Regenerates docs/status-page.png: builds Release, starts tthost on ephemeral loopback ports
# with the shipped configuration, plays a realistic scene against it (scripts/status-page-scene.py:
# seven minutes of 12 msg servers, about 4,000 users, relay and query traffic, a link blip, an idle
# probe closed, a drain, a reload) and takes the screenshot of the whole page with headless Chromium
# while the traffic goes on. Everything it starts is stopped at the end.
#   scripts/status-page-screenshot.sh [OUTPUT.png] [scene options, e.g. --duration=60 --size=1280x1600]
#   scripts/status-page-screenshot.sh --measure --servers=1000 --users=100000 --duration=20
#     prints how fast the page shows 1,000 msg servers instead (no picture unless --screenshot=...)
set -euo pipefail
cd "$(dirname "$0")/.."

output=docs/status-page.png
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then
  output="$1"
  shift
fi
scene=("$@")
case " ${scene[*]} " in
  *" --measure "*) ;;
  *) scene+=("--screenshot=$output") ;;
esac

scripts/deps.sh python3
scripts/build.sh release >/dev/null

work="$(mktemp -d /tmp/ttroute-screenshot-XXXXXX)"
host_pid=""
cleanup() {
  if [ -n "$host_pid" ]; then
    kill -TERM "$host_pid" 2>/dev/null || true
    wait "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

sed -e 's/^host\.route\.listen = .*/host.route.listen = 127.0.0.1:0/' \
    -e 's/^host\.admin\.listen = .*/host.admin.listen = 127.0.0.1:0/' \
    conf/tthost.properties > "$work/tthost.properties"
(cd "$work" && exec "$OLDPWD/build/release/bin/tthost" --config-file=tthost.properties > tthost.log 2>&1) &
host_pid=$!

# The ports tthost chose, from its start-up lines.
for _ in $(seq 1 200); do
  route_port="$(grep -o 'listening on 127\.0\.0\.1:[0-9]*' "$work/tthost.log" | head -1 | grep -o '[0-9]*$' || true)"
  admin_port="$(grep -o 'admin endpoint at http://127\.0\.0\.1:[0-9]*' "$work/tthost.log" | head -1 | grep -o '[0-9]*$' || true)"
  [ -n "$route_port" ] && [ -n "$admin_port" ] && break
  kill -0 "$host_pid" 2>/dev/null || { cat "$work/tthost.log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$route_port" ] && [ -n "$admin_port" ] || { echo "tthost did not start:" >&2; cat "$work/tthost.log" >&2; exit 1; }
echo "tthost: route port $route_port, admin endpoint http://127.0.0.1:$admin_port/"

python3 scripts/status-page-scene.py --port="$route_port" --admin="$admin_port" --config="$work/tthost.properties" "${scene[@]}"
