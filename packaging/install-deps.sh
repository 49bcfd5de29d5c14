#!/usr/bin/env bash
# Installs the Debian 12 packages doc-ray needs to build, run, test and
# benchmark. Idempotent; run as root (or through sudo).
#
#   bash packaging/install-deps.sh              every group (the README, CI)
#   bash packaging/install-deps.sh build        only the named groups
#   bash packaging/install-deps.sh run          (the Dockerfiles' runtime stage)
#   bash packaging/install-deps.sh --help
#
# Groups:
#   build  compilers, CMake and the -dev packages
#   run    what the installed server needs at run time: shared libraries,
#          plugins, OCR languages, LibreOffice, fonts, curl (HEALTHCHECK)
#   test   the test suite's and the benchmarks' tools, PostgreSQL, and the
#          browser UI's test: Chromium, Node.js and tests/browser's npm packages
#   dev    screenshots (tools/screenshots.sh) and fuzzing (tools/fuzz.sh)
set -euo pipefail

build_packages=(
    build-essential cmake pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql
    # engine/jobs/stores/sqljobtable.cpp reads uploads through SQLite's blob I/O.
    libsqlite3-dev
    libpoppler-cpp-dev
    # engine/pdf/paintprobe.cpp walks a page's drawing operators through Poppler's own classes.
    libpoppler-private-dev
    libtesseract-dev libleptonica-dev libzip-dev zlib1g-dev
    # engine/pdf/ccittimage.cpp: scanned CCITT Group 4 masks decoded by libtiff.
    libtiff-dev
    # app/CMakeLists.txt: doc-ray's malloc is TCMalloc (libtcmalloc_minimal).
    libgoogle-perftools-dev
    libgl-dev
    # engine/layout/tensor: Debian's CPU LibTorch (the official CUDA build works
    # too, given through CMAKE_PREFIX_PATH).
    libtorch-dev
)
run_packages=(
    # The shared libraries the binary and libdocray_tensor.so load: the
    # runtime packages the -dev packages above depend on (apt-cache depends).
    # Widgets: linked unless built with -DDOCRAY_BUILD_GUI=OFF.
    libqt6core6 libqt6gui6 libqt6network6 libqt6sql6 libqt6sql6-sqlite libqt6sql6-psql
    libqt6httpserver6 libqt6websockets6 libqt6widgets6 libqt6concurrent6
    libpoppler-cpp0v5 libpoppler126
    libtesseract5 liblept5 libzip4 zlib1g libtiff6 libsqlite3-0 libtcmalloc-minimal4
    # Debian 12's CPU LibTorch (what libtorch-dev depends on).
    libtorch1.13
    # the images' HEALTHCHECK
    curl
    qt6-qpa-plugins qt6-image-formats-plugins libqt6svg6 fonts-dejavu-core poppler-data
    tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa
    tesseract-ocr-ita tesseract-ocr-por tesseract-ocr-rus tesseract-ocr-ara tesseract-ocr-fas
    tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-jpn tesseract-ocr-kor
    libreoffice-writer-nogui libreoffice-calc-nogui libreoffice-impress-nogui
)
test_packages=(
    curl poppler-utils qpdf wrk python3 python3-requests python3-fitz
    # a Chinese font, for the test that OCRs a page of Chinese
    fonts-wqy-microhei
    postgresql postgresql-client
    # tests/browser: the web page driven in Chromium by playwright-core (npm)
    chromium nodejs
)
# tools/screenshots.sh: a virtual X display, a window grabber and a PNG writer.
dev_packages=(
    xvfb x11-apps netpbm
    clang-14 libfuzzer-14-dev
)
# tools/fuzz.sh: clang's libFuzzer and AddressSanitizer (clang-14 above).

all_groups=(build run test dev)

usage() {
    echo "usage: bash packaging/install-deps.sh [GROUP...]"
    echo "  GROUP: ${all_groups[*]} (none given: all of them)"
}

groups=()
for arg in "$@"; do
    case "$arg" in
        -h|--help) usage; exit 0 ;;
        build|run|test|dev) groups+=("$arg") ;;
        *)
            echo "install-deps: unknown group '$arg' (groups: ${all_groups[*]})" >&2
            usage >&2
            exit 2
            ;;
    esac
done
[ ${#groups[@]} -gt 0 ] || groups=("${all_groups[@]}")

# The named groups' packages, each once, in order.
packages=()
declare -A seen=()
for group in "${groups[@]}"; do
    declare -n list="${group}_packages"
    for p in "${list[@]}"; do
        if [ -z "${seen[$p]:-}" ]; then
            seen[$p]=1
            packages+=("$p")
        fi
    done
    unset -n list
done

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm: Debian's package, unless the installed Node.js brings its own.
if [ -n "${seen[nodejs]:-}" ] && ! command -v npm >/dev/null; then
    missing+=(npm)
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present (${groups[*]})"
else
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -q
    $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The browser test's driver, at the version its lock file pins.
if [ -n "${seen[chromium]:-}" ]; then
    browser_tests="$(cd "$(dirname "$0")/../tests/browser" && pwd)"
    version_of() { node -p "require('$browser_tests/$1')$2" 2>/dev/null || true; }
    pinned=$(version_of package-lock.json ".packages['node_modules/playwright-core'].version")
    if [ "$pinned" != "$(version_of node_modules/playwright-core/package.json .version)" ]; then
        (cd "$browser_tests" && npm ci --no-audit --no-fund --loglevel=error)
    fi
fi
