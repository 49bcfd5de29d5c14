#!/usr/bin/env bash
# Renders screenshots of the real doc-ray window under a virtual X display
# (Xvfb), with real documents parsed, into docs/screenshots/:
#   main-window.png  light palette, a two-page report parsed, page beside markdown
#   dark-batch.png   dark palette after a restart (the store kept the report),
#                    more documents submitted over the REST API, one still running
# Needs the packages from packaging/install-deps.sh and a build in build/.
# Usage: tools/screenshots.sh [path/to/doc-ray]
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$root/build/bin/doc-ray}"
out="$root/docs/screenshots"
width=1280
height=860
port=18639

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$out" "$work/config/doc-ray" "$work/runtime"
chmod 700 "$work/runtime"
/usr/bin/python3 "$root/tools/sample_document.py" "$work/river-report.pdf"

# A free display number, chosen by Xvfb itself.
exec 3<> "$work/display"
Xvfb -displayfd 3 -screen 0 "${width}x${height}x24" -nolisten tcp >"$work/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -s "$work/display" ] && break; sleep 0.1; done
display=":$(head -n1 "$work/display")"

export DISPLAY="$display" XDG_CONFIG_HOME="$work/config" XDG_RUNTIME_DIR="$work/runtime"
export QT_QPA_PLATFORM=xcb QT_SCALE_FACTOR=1 OMP_THREAD_LIMIT=1
unset WAYLAND_DISPLAY

settings() { # theme
    cat >"$work/config/doc-ray/doc-ray.conf" <<CONF
[api]
port=$port
start=true

[appearance]
theme=$1

[window]
geometry=
CONF
}

wait_for() { # description, command...
    local what="$1"; shift
    for _ in $(seq 300); do "$@" && return 0; sleep 0.2; done
    echo "screenshots: timed out waiting for $what" >&2
    exit 1
}

health() { curl -fsS "http://127.0.0.1:$port/health" 2>/dev/null; }
listening() { health >/dev/null; }
completed_at_least() { health | grep -q "\"completed\":\($1\|[$(($1 + 1))-9]\)"; }
running() { health | grep -q '"running":[1-9]'; }

shoot() { # name
    sleep 1.5 # let the page render and the elapsed column tick
    xwd -root -silent -display "$display" | xwdtopnm 2>/dev/null | pnmtopng >"$out/$1.png"
    echo "screenshots: wrote docs/screenshots/$1.png"
}

start_app() { # extra arguments
    "$bin" --data-dir "$work/data" --workers 1 --job-ttl 0 "$@" >"$work/app.log" 2>&1 &
    app=$!
    pids+=("$app")
    wait_for "the API" listening
}

stop_app() {
    kill "$app"
    wait "$app" 2>/dev/null || true
}

# 1. Light: a report dropped on the window (here: given on the command line).
settings light
start_app "$work/river-report.pdf"
wait_for "the report" completed_at_least 1
shoot main-window
stop_app

# 2. Dark: restart (the job is still there), then a batch arrives over the API.
settings dark
start_app
for name in notes.md summary.txt; do
    case "$name" in
        notes.md) printf '# Station notes\n\n- North: sensor swapped on 2 May\n- South: logger battery low\n' >"$work/$name" ;;
        summary.txt) printf 'Summary\n\nAll stations reported through the quarter.\n' >"$work/$name" ;;
    esac
    curl -fsS -F "file=@$work/$name" "http://127.0.0.1:$port/submit" >/dev/null
done
wait_for "the batch" completed_at_least 3
/usr/bin/python3 - "$work/long.pdf" <<'PY'
import sys
import fitz
doc = fitz.open()
for n in range(1, 1201):
    page = doc.new_page(width=595, height=842)
    page.insert_text((72, 90), "Appendix %d" % n, fontname="hebo", fontsize=16)
    page.insert_textbox(fitz.Rect(72, 110, 523, 700), ("Logged readings for day %d. " % n) * 40,
                        fontname="tiro", fontsize=10)
doc.save(sys.argv[1])
PY
curl -fsS -F "file=@$work/long.pdf;filename=appendix-readings.pdf" "http://127.0.0.1:$port/submit" >/dev/null
curl -fsS -F "file=@$work/river-report.pdf;filename=river-report-copy.pdf" "http://127.0.0.1:$port/submit" >/dev/null
wait_for "a running parse" running
shoot dark-batch
stop_app
