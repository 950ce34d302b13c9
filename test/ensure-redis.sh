#!/usr/bin/env sh
# The bridge's state-store tests run Debian's redis-server on a free loopback port (no data kept
# outside a temp folder). Install it when it is missing and we may (root); otherwise say what to do.
set -eu
BIN="${REDIS_SERVER_PATH:-/usr/bin/redis-server}"
[ -x "$BIN" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's redis-server for the bridge's state-store tests..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
  exit 0
fi
echo "redis-server not found at $BIN. Install Debian's package (sudo apt-get install redis-server) or set REDIS_SERVER_PATH." >&2
exit 1
