#!/usr/bin/env bash
# Screenshot a web edition in headless Chromium, to look at it as a reader would.
# Usage: bench/web_screenshot.sh build/releases/national-strategy-1.0/national-strategy.html [out.png]
# Needs Debian's chromium (apt-get install chromium); not part of `make test`.
set -euo pipefail
page=$(realpath "$1")
out=${2:-/tmp/nsp-web.png}
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size=1280,1600 --screenshot="$out" "file://$page" 2>/dev/null
echo "wrote $out"
