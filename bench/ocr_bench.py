#!/usr/bin/env python3
"""OCR time per page beside the `tesseract` CLI, set by set, in one run.

For each scanned set of the corpus (layouts/scan, docling_scanned, images),
on a fresh server with one worker:

- cold: every file submitted at once as the server starts, so its worker
  loads Tesseract inside the timed window;
- then, file by file and in turns (so the machine's drift between phases
  falls on all three alike): one job through the same server, `doc-ray
  convert` of the file (a process of its own), and `tesseract FILE - -l eng`
  on the same pages at the same resolution (PDF pages rendered at 300 dpi by
  pdftoppm beforehand, untimed: tesseract cannot read a PDF). Each file's
  best of --rounds is summed per tool.

One process at a time throughout. doc-ray also detects the orientation,
levels the page, finds tables and figures and writes the middle JSON; the
re-reads it made (another script, twice the size) are counted from its log.

    python3 bench/ocr_bench.py [--binary build/bin/doc-ray] [--baseline OTHER/doc-ray]
                               [--corpus ../shared/corpus]
                               [--sets layouts/scan,docling_scanned,images] [--rounds 3]

With --baseline, a second binary (the code before a change) runs beside the
first, each its own server, in the same turns file by file, so the machine's
drift falls on both alike.
"""
import argparse
import glob
import os
import subprocess
import sys
import tempfile
import time

import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from speed_bench import ENV, page_count, parse_all, start_server  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = {
    "layouts/scan": "*.pdf",
    "docling_scanned": "*.pdf",
    "images": "*.[tpw][ine][fgb]*",  # .tif, .png, .webp
}


def tesseract_inputs(path, prefix):
    """The file's pages as images: a PDF's rendered at 300 dpi, an image as it is."""
    if not path.endswith(".pdf"):
        return [path]
    subprocess.run(["pdftoppm", "-r", "300", "-png", path, prefix], check=True)
    return sorted(glob.glob(prefix + "*.png"))


def timed(commands, env=ENV):
    """Wall seconds of the commands run one after the other, and their stderr."""
    start = time.perf_counter()
    logs = []
    for command in commands:
        done = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        logs.append(done.stderr.decode(errors="replace"))
    return time.perf_counter() - start, "".join(logs)


def one_job(base, path):
    """Seconds from submitting `path` until its job is done."""
    start = time.perf_counter()
    with open(path, "rb") as f:
        reply = requests.post(f"{base}/submit", files={"file": (os.path.basename(path), f)})
    reply.raise_for_status()
    job = reply.json()["job_id"]
    while requests.get(f"{base}/status/{job}?wait=30").json()["status"] == "processing":
        pass
    return time.perf_counter() - start


def measure_set(binaries, files, images_of, rounds, tmp, data_dir):
    """Seconds for the set per binary: cold service, then the best of
    `rounds` per file for the warm service and `convert`, with `tesseract`'s
    best, all taken in turns; and the re-reads each `convert` logged."""
    debug_env = dict(ENV, QT_LOGGING_RULES="docray.ocr.debug=true")
    servers = []
    try:
        results = []
        for i, binary in enumerate(binaries):
            server_dir = os.path.join(data_dir, str(i))
            os.makedirs(server_dir)
            proc, base = start_server(binary, server_dir, "--workers", "1", env=ENV)
            servers.append(proc)
            start = time.perf_counter()
            parse_all(base, files, {})
            results.append({"base": base, "cold": time.perf_counter() - start, "warm": 0.0, "convert": 0.0,
                            "rereads": 0})
        peer = 0.0
        for path in files:
            best = [[float("inf")] * 2 for _ in binaries]
            best_peer = float("inf")
            logs = [""] * len(binaries)
            for _ in range(rounds):
                for i, binary in enumerate(binaries):
                    best[i][0] = min(best[i][0], one_job(results[i]["base"], path))
                    seconds, logs[i] = timed([[binary, "convert", path, "-o", os.path.join(tmp, "out.md")]], debug_env)
                    best[i][1] = min(best[i][1], seconds)
                best_peer = min(best_peer, timed([["tesseract", image, "-", "-l", "eng"] for image in images_of[path]])[0])
            for i, result in enumerate(results):
                result["warm"] += best[i][0]
                result["convert"] += best[i][1]
                result["rereads"] += logs[i].count(" read as ")
            peer += best_peer
        for result in results:
            result["peer"] = peer
        return results
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait()


def row(label, pages, result):
    cold, warm, converted, peer = (result[key] for key in ("cold", "warm", "convert", "peer"))
    rereads = result.get("rereads", "")
    return (f"| {label} | {pages} | {cold / pages:.2f} | {warm / pages:.2f} | {converted / pages:.2f} "
            f"| {peer / pages:.2f} | {cold / peer:.2f} | {warm / peer:.2f} | {converted / peer:.2f} | {rereads} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--baseline", help="another doc-ray binary, measured in the same turns (a row of its own)")
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    binaries = [os.path.abspath(args.binary)] + ([os.path.abspath(args.baseline)] if args.baseline else [])
    labels = ["", " (baseline)"][:len(binaries)]
    corpus = os.path.abspath(args.corpus)
    print(f"Best of {args.rounds} per file for the warm service, convert and tesseract; cold: one pass.\n")
    print("| set | pages | service cold s/page | service warm s/page | convert s/page | tesseract s/page "
          "| cold / tesseract | warm / tesseract | convert / tesseract | re-reads |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    totals = [dict(cold=0.0, warm=0.0, convert=0.0, peer=0.0) for _ in binaries]
    all_pages = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.sets.split(","):
            files = sorted(glob.glob(os.path.join(corpus, name, SETS[name])))
            if not files:
                continue
            pages = sum(page_count(f) if f.endswith(".pdf") else 1 for f in files)
            renders = os.path.join(tmp, "renders-" + name.replace("/", "-"))
            os.makedirs(renders)
            images_of = {f: tesseract_inputs(f, os.path.join(renders, f"{i}-page")) for i, f in enumerate(files)}
            data_dir = os.path.join(tmp, "server-" + name.replace("/", "-"))
            os.makedirs(data_dir)
            results = measure_set(binaries, files, images_of, args.rounds, tmp, data_dir)
            all_pages += pages
            for label, result, total in zip(labels, results, totals):
                print(row(name + label, pages, result), flush=True)
                for key in total:
                    total[key] += result[key]
    if all_pages:
        for label, total in zip(labels, totals):
            print(row("all" + label, all_pages, total))


if __name__ == "__main__":
    main()
