#!/usr/bin/env bash
# The end-to-end tests drive Debian's Chromium (a browser download is not
# possible here). Install it when it is missing, as root or through sudo.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
echo "Chromium is missing at $CHROMIUM; installing Debian's chromium package for the end-to-end tests…"
if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "Cannot install Chromium without root. Install the 'chromium' package, or set CHROMIUM_PATH." >&2
  exit 1
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
echo "Chromium installed: $("$CHROMIUM" --version)"
