#!/usr/bin/env python3
"""Speed and memory benchmark of the engine beside the tools a user could
run instead, on the same files in the same run:

  born-digital PDFs   doc-ray convert vs. pdftotext, pages per second, one
                      process per file on every core
  scans               doc-ray convert vs. tesseract at 300 dpi (pdftoppm for
                      PDF pages), seconds per page on one worker and on all
  memory              peak RSS of doc-ray convert and pdftotext on a
                      generated 500-page PDF

Usage: bench/speed_bench.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus]
"""
import argparse
import concurrent.futures
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

import requests

from docray_server import start_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1")
# doc-ray's text-only engine: no page renders, no tensors, no model.
TEXT_ONLY = {"table_enable": False, "figure_enable": False, "scan_cleanup": False, "block_model": False}


def page_count(path):
    out = subprocess.run(["pdfinfo", path], capture_output=True, text=True).stdout
    match = re.search(r"^Pages:\s+(\d+)", out, re.M)
    return int(match.group(1)) if match else 1


def run_all(commands, workers):
    """Runs the commands on `workers` processes; returns wall seconds."""
    start = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        list(pool.map(lambda cmd: subprocess.run(cmd, env=ENV, capture_output=True, shell=isinstance(cmd, str)), commands))
    return time.perf_counter() - start


def peak_rss_mb(command):
    """Peak resident memory of one child process, in MiB (ru_maxrss of a fresh fork)."""
    code = ("import resource,subprocess,sys,os;"
            "subprocess.run(sys.argv[1:],stdout=subprocess.DEVNULL,stderr=subprocess.DEVNULL,env=dict(os.environ));"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", code] + command, capture_output=True, text=True, env=ENV).stdout
    return int(out.strip()) / 1024


def write_long_pdf(path, pages):
    """A plain PDF of `pages` pages of running text (Helvetica), written by hand."""
    objects = []
    page_ids = []
    font_id = 3
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(None)  # pages, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    for number in range(1, pages + 1):
        lines = [f"BT /F1 16 Tf 72 740 Td (Chapter {number}) Tj ET"]
        for row in range(40):
            text = f"Line {row + 1} of page {number}: the quick brown fox jumps over the lazy dog again."
            lines.append(f"BT /F1 10 Tf 72 {710 - row * 15} Td ({text}) Tj ET")
        stream = "\n".join(lines).encode()
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content_id = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_id, font_id))
        page_ids.append(len(objects))
    kids = b" ".join(b"%d 0 R" % i for i in page_ids)
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for index, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % index + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    with open(path, "wb") as f:
        f.write(out)


def parse_all(base, files, params):
    """Submits every file to the server at `base`, waits until each job is
    done; returns how many failed."""
    jobs = []
    for path in files:
        with open(path, "rb") as f:
            reply = requests.post(f"{base}/submit", files={"file": (os.path.basename(path), f)},
                                  data={"parser_params": json.dumps(params)})
        reply.raise_for_status()
        jobs.append(reply.json()["job_id"])
    failed = 0
    for job in jobs:
        while True:
            status = requests.get(f"{base}/status/{job}?wait=30").json()["status"]
            if status != "processing":
                failed += status != "completed"
                break
    return failed


def service_seconds(binary, files, params, workers, data_dir, passes=1):
    """Seconds from the first submit until every job is done, on a fresh
    server with `workers` parsing processes: each worker loads its OCR once,
    as in real use, not once per file. With `passes` > 1 the files go
    through the same server again: a list of seconds, one per pass (the
    later ones on workers that have parsed before)."""
    proc, base = start_server(binary, data_dir, "--workers", str(workers), env=ENV)
    try:
        seconds = []
        for _ in range(passes):
            start = time.perf_counter()
            parse_all(base, files, params)
            seconds.append(time.perf_counter() - start)
        return seconds if passes > 1 else seconds[0]
    finally:
        proc.terminate()
        proc.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    corpus = os.path.abspath(args.corpus)
    if not os.path.isdir(corpus):
        sys.exit(f"corpus not found at {corpus}; this benchmark needs the dev corpus")
    cores = os.cpu_count() or 1

    with tempfile.TemporaryDirectory() as tmp:
        print(f"# doc-ray speed and memory ({cores} cores)\n")

        digital = [os.path.join(corpus, s, f) for s in ("perf", "docling_pdf")
                   for f in sorted(os.listdir(os.path.join(corpus, s))) if f.endswith(".pdf")]
        pages = sum(page_count(f) for f in digital)
        text_only = json.dumps(TEXT_ONLY)
        ours = run_all([[binary, "convert", f, "-o", os.path.join(tmp, f"{i}.md")] for i, f in enumerate(digital)], cores)
        ours_text = run_all([[binary, "convert", f, "-o", os.path.join(tmp, f"t{i}.md"), "--params", text_only]
                             for i, f in enumerate(digital)], cores)
        peer = run_all([["pdftotext", f, os.path.join(tmp, f"{i}.txt")] for i, f in enumerate(digital)], cores)
        print(f"## Born-digital PDFs: {len(digital)} files, {pages} pages, {cores} processes\n")
        print("| tool | seconds | pages/s |\n|---|---|---|")
        print(f"| doc-ray convert (markdown + JSON, tables and figures) | {ours:.2f} | {pages / ours:.1f} |")
        print(f"| doc-ray convert, text only (table_enable, figure_enable, scan_cleanup, block_model false) | {ours_text:.2f} | {pages / ours_text:.1f} |")
        print(f"| pdftotext (plain text) | {peer:.2f} | {pages / peer:.1f} |")
        print(f"\nratio doc-ray / pdftotext pages/s: {peer / ours:.2f}")
        print(f"ratio doc-ray with page analysis / text only, time: {ours / ours_text:.2f} "
              "(each convert process starts afresh)\n")
        analysed = service_seconds(binary, digital, {}, cores, tmp)
        text = service_seconds(binary, digital, TEXT_ONLY, cores, tmp)
        print(f"Through the service ({cores} workers, started once): "
              f"{pages / analysed:.1f} pages/s with page analysis, {pages / text:.1f} text only; "
              f"time ratio {analysed / text:.2f} (goal: under 2)\n")

        scans = [os.path.join(corpus, "docling_scanned", f) for f in sorted(os.listdir(os.path.join(corpus, "docling_scanned")))
                 if f.endswith(".pdf")]
        images = [os.path.join(corpus, "images", f) for f in sorted(os.listdir(os.path.join(corpus, "images")))
                  if f.endswith((".tif", ".png"))]
        scan_pages = sum(page_count(f) for f in scans) + len(images)

        def tesseract_commands():
            commands = []
            for i, f in enumerate(scans):
                prefix = os.path.join(tmp, f"scan{i}")
                commands.append(f"pdftoppm -r 300 -png '{f}' '{prefix}' && for p in '{prefix}'*.png; do "
                                f"tesseract \"$p\" - -l eng >/dev/null 2>&1; done")
            commands += [["tesseract", f, "-", "-l", "eng"] for f in images]
            return commands

        ours_commands = [[binary, "convert", f, "-o", os.path.join(tmp, f"s{i}.md")] for i, f in enumerate(scans + images)]
        print(f"## Scans: {len(scans)} PDFs and {len(images)} images, {scan_pages} pages, OCR at 300 dpi\n")
        print("| tool | workers | seconds | s/page |\n|---|---|---|---|")
        results = {}
        for workers in sorted({1, cores}):
            results[("doc-ray", workers)] = run_all(ours_commands, workers)
            results[("tesseract", workers)] = run_all(tesseract_commands(), workers)
            for tool in ("doc-ray", "tesseract"):
                seconds = results[(tool, workers)]
                print(f"| {tool} | {workers} | {seconds:.1f} | {seconds / scan_pages:.2f} |")
        print(f"\nratio doc-ray / tesseract s/page on 1 worker: "
              f"{results[('doc-ray', 1)] / results[('tesseract', 1)]:.2f} "
              "(doc-ray also detects orientation, levels the page and finds tables and figures; "
              "each convert process loads Tesseract itself)\n")
        served = service_seconds(binary, scans + images, {}, 1, tmp)
        plain = service_seconds(binary, scans + images, TEXT_ONLY, 1, tmp)
        print(f"Through the service (1 worker, Tesseract loaded once): {served / scan_pages:.2f} s/page, "
              f"{plain / scan_pages:.2f} without clean-up and page analysis; ratio to tesseract "
              f"{served / results[('tesseract', 1)]:.2f} and {plain / results[('tesseract', 1)]:.2f}\n")

        long_pdf = os.path.join(tmp, "long.pdf")
        write_long_pdf(long_pdf, 500)
        start = time.perf_counter()
        ours_rss = peak_rss_mb([binary, "convert", long_pdf, "-o", os.path.join(tmp, "long.md")])
        ours_seconds = time.perf_counter() - start
        start = time.perf_counter()
        peer_rss = peak_rss_mb(["pdftotext", long_pdf, os.path.join(tmp, "long.txt")])
        peer_seconds = time.perf_counter() - start
        print("## Memory: generated 500-page PDF\n")
        print("| tool | peak RSS MiB | seconds |\n|---|---|---|")
        print(f"| doc-ray convert | {ours_rss:.0f} | {ours_seconds:.1f} |")
        print(f"| pdftotext | {peer_rss:.0f} | {peer_seconds:.1f} |")
        print(f"\ngoal: doc-ray peak RSS under 500 MiB: {'met' if ours_rss < 500 else 'NOT met'}")


if __name__ == "__main__":
    main()
