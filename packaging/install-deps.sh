#!/usr/bin/env bash
# Installs every Debian 12 package doc-ray needs to build, run, test and
# benchmark. Idempotent; run as root (or through sudo).
set -euo pipefail

build_packages=(
    build-essential cmake pkg-config git
    qt6-base-dev qt6-base-dev-tools qt6-httpserver-dev qt6-websockets-dev
    libqt6sql6-sqlite libqt6sql6-psql
    libpoppler-qt6-dev libpoppler-cpp-dev
    # engine/paintprobe.cpp walks a page's drawing operators through Poppler's own classes.
    libpoppler-private-dev
    libtesseract-dev libleptonica-dev libzip-dev
    libgl-dev
    # engine/tensor: Debian's CPU LibTorch (the official CUDA build works
    # too, given through CMAKE_PREFIX_PATH).
    libtorch-dev
)
run_packages=(
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
)
# tools/screenshots.sh: a virtual X display, a window grabber and a PNG writer.
dev_packages=(
    xvfb x11-apps netpbm
    clang-14 libfuzzer-14-dev
)
# tools/fuzz.sh: clang's libFuzzer and AddressSanitizer (clang-14 above).

packages=("${build_packages[@]}" "${run_packages[@]}" "${test_packages[@]}" "${dev_packages[@]}")

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
    exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
