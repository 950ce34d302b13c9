#!/usr/bin/env sh
# The end-to-end tests drive Debian's Chromium (no browser download works here). Install it
# when it is missing and we may (root); otherwise say what to do.
set -eu
BIN="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$BIN" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the end-to-end tests..." >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found at $BIN. Install Debian's package (sudo apt-get install chromium) or set CHROMIUM_PATH." >&2
exit 1
