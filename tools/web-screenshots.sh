#!/usr/bin/env bash
# Screenshots of the browser UI in Debian's Chromium, light and dark, with a
# real report parsed by the real server, into docs/screenshots/:
#   web-jobs-light.png, web-jobs-dark.png      the job list after an upload
#   web-result-light.png, web-result-dark.png  the report open, its table picked
# Needs the packages and npm modules from packaging/install-deps.sh and a
# build in build/.
# Usage: tools/web-screenshots.sh [path/to/doc-ray]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/bin/doc-ray}"
work="$(mktemp -d)"
server=""
cleanup() {
    [ -n "$server" ] && kill "$server" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

/usr/bin/python3 "$root/tools/sample_document.py" "$work/river-report.pdf"
OMP_THREAD_LIMIT=1 "$bin" --server --host 127.0.0.1 --port 0 --data-dir "$work/data" >"$work/server.log" 2>&1 &
server=$!
url=""
for _ in $(seq 100); do
    url="$(grep -o 'listening on http://[^ ]*' "$work/server.log" | head -n1 | cut -d' ' -f3 || true)"
    [ -n "$url" ] && break
    sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.log" >&2; exit 1; }

node "$root/tests/browser/ui_check.mjs" --url "$url" --rich "$work/river-report.pdf" \
    --screenshots "$root/docs/screenshots"
ls -l "$root"/docs/screenshots/web-*.png
