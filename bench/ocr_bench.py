#!/usr/bin/env python3
"""OCR time per page beside the `tesseract` CLI, set by set, in one run.

For each scanned set of the corpus (layouts/scan, docling_scanned, images):
doc-ray through a fresh server with one worker (Tesseract loads
once, as in real use; the files are submitted as the server starts, so its
worker loads it inside the timed window, and then once more through the
same server) and `doc-ray convert` one process per file, against
`tesseract FILE - -l eng` on the same pages at the same resolution (PDF
pages rendered at 300 dpi by pdftoppm beforehand, untimed: tesseract cannot
read a PDF). One process at a time throughout. doc-ray also detects the
orientation, levels the page, finds tables and figures and writes the
middle JSON; the re-reads it made (another script, twice the size) are
counted from its log.

    python3 bench/ocr_bench.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus]
                               [--sets layouts/scan,docling_scanned,images]
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_bench import ENV, page_count, service_seconds  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = {
    "layouts/scan": "*.pdf",
    "docling_scanned": "*.pdf",
    "images": "*.[tpw][ine][fgb]*",  # .tif, .png, .webp
}


def tesseract_inputs(files, tmp):
    """One image per page: PDFs rendered at 300 dpi, images as they are."""
    images = []
    for i, path in enumerate(files):
        if path.endswith(".pdf"):
            prefix = os.path.join(tmp, f"page{i}")
            subprocess.run(["pdftoppm", "-r", "300", "-png", path, prefix], check=True)
            images += sorted(glob.glob(prefix + "*.png"))
        else:
            images.append(path)
    return images


def timed(commands, env=ENV):
    """Wall seconds of the commands run one after the other, and their stderr."""
    start = time.perf_counter()
    logs = []
    for command in commands:
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        logs.append(done.stderr.decode(errors="replace"))
    return time.perf_counter() - start, "".join(logs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    parser.add_argument("--sets", default=",".join(SETS))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    corpus = os.path.abspath(args.corpus)
    debug_env = dict(ENV, QT_LOGGING_RULES="docray.ocr.debug=true")
    print("| set | pages | doc-ray service s/page | again, same server | doc-ray convert s/page | tesseract s/page "
          "| service / tesseract | again / tesseract | convert / tesseract | re-reads |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = [0, 0.0, 0.0, 0.0, 0.0]
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            pattern = SETS[name]
            files = sorted(glob.glob(os.path.join(corpus, name, pattern)))
            if not files:
                continue
            pages = sum(page_count(f) if f.endswith(".pdf") else 1 for f in files)
            renders = os.path.join(tmp, "renders-" + name.replace("/", "-"))
            os.makedirs(renders)
            images = tesseract_inputs(files, renders)
            data_dir = os.path.join(tmp, "server-" + name.replace("/", "-"))
            os.makedirs(data_dir)
            served, warm = service_seconds(binary, files, {}, 1, data_dir, passes=2)
            converted, log = timed([[binary, "convert", f, "-o", os.path.join(tmp, "out.md")] for f in files], debug_env)
            rereads = log.count(" read as ")
            peer, _ = timed([["tesseract", image, "-", "-l", "eng"] for image in images])
            print(f"| {name} | {pages} | {served / pages:.2f} | {warm / pages:.2f} | {converted / pages:.2f} "
                  f"| {peer / pages:.2f} | {served / peer:.2f} | {warm / peer:.2f} | {converted / peer:.2f} | {rereads} |")
            totals = [totals[0] + pages, totals[1] + served, totals[2] + warm, totals[3] + converted, totals[4] + peer]
    pages, served, warm, converted, peer = totals
    if pages:
        print(f"| all | {pages} | {served / pages:.2f} | {warm / pages:.2f} | {converted / pages:.2f} | {peer / pages:.2f} "
              f"| {served / peer:.2f} | {warm / peer:.2f} | {converted / peer:.2f} | |")


if __name__ == "__main__":
    main()
