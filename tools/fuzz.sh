#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan and UBSan on) and runs each
# for SECONDS (default 60), seeded from tests/fuzz-regressions and, when it is
# beside this checkout, the dev corpus. Crashing inputs land in
# tests/fuzz-regressions/<target>/, where the normal test suite replays them.
# Usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}

CC=clang-14 CXX=clang++-14 cmake -S . -B build-fuzz -DDOCRAY_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build-fuzz -j2

seeds=build-fuzz/seeds
targets="fuzz_multipart fuzz_submit_json fuzz_http_framer fuzz_document fuzz_office fuzz_html"
for target in $targets; do mkdir -p "$seeds/$target"; done
if [ -d ../shared/corpus ]; then
    # Not the known decompression bomb: Poppler runs minutes and gigabytes on
    # it by design; the service's worker limits handle it (bench/robustness.py).
    find ../shared/corpus -type f \( -name '*.pdf' -o -name '*.png' -o -name '*.md' -o -name '*.docx' \) -size -300k \
        ! -name 'bomb*' \
        -exec cp -n {} "$seeds"/fuzz_document/ \;
    find ../shared/corpus -type f \( -name '*.docx' -o -name '*.xlsx' -o -name '*.ods' -o -name '*.pptx' -o -name '*.odt' \) -size -300k \
        -exec cp -n {} "$seeds"/fuzz_office/ \;
    find ../shared/corpus -type f \( -name '*.html' -o -name '*.htm' -o -name '*.md' \) -size -100k \
        -exec cp -n {} "$seeds"/fuzz_html/ \;
fi

export QT_QPA_PLATFORM=offscreen OMP_THREAD_LIMIT=1
for target in $targets; do
    regressions=tests/fuzz-regressions/$target
    mkdir -p "$regressions" "$seeds/$target-work"
    log=build-fuzz/$target.log
    set +e
    # Fontconfig keeps its caches for the life of the process, which the
    # leak checker reports after every run of the document target.
    leaks=1
    case $target in fuzz_document | fuzz_html) leaks=0 ;; esac
    ASAN_OPTIONS=detect_leaks=$leaks build-fuzz/fuzz/$target -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=30 \
        -artifact_prefix="$regressions/" "$seeds/$target-work" "$seeds/$target" "$regressions" >"$log" 2>&1
    status=$?
    set -e
    runs=$(grep -oE 'Done [0-9]+ runs' "$log" | grep -oE '[0-9]+' || echo "?")
    echo "$target: exit $status, $runs executions in ${seconds} s, $(ls "$regressions" | wc -l) saved inputs"
done
