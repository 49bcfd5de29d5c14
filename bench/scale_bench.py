#!/usr/bin/env python3
"""Speed and memory at scale, each figure beside a peer run in the same script:

  service     born-digital pages/s through a fresh server (as many workers as
              cores, every file submitted at once) on the corpus's perf/ and
              layouts/pdf/, default parameters and text only, against two
              pdftotext processes at a time; then the same files once more
              through the same server (its workers started and loaded, as a
              service that has run a while); and one worker against two,
              beside what the machine gives pdftotext for the same step
              (the same pages in doc-ray's 32-page batches, one process at a
              time against as many as cores); each figure the median of
              --rounds rounds run in turns; and where the cores' time went
              in each run (busy, idle, stolen by the hypervisor)
  cold        wall seconds of `doc-ray convert` on a one-page text PDF, cold
              process, against pdftotext on the same page
  memory      peak RSS of `doc-ray convert` and of a server's worker process on
              generated PDFs of 500, 1,000 and 2,000 pages (text, a ruled
              table and a figure on every page), against pdftotext

Usage: bench/scale_bench.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus]
                            [--parts service,cold,memory] [--pages 500,1000,2000] [--rounds 3]
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import fitz

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_memory import PeakSampler  # noqa: E402
from docray_server import start_server  # noqa: E402
from speed_bench import ENV, TEXT_ONLY, page_count, parse_all, run_all  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CoreTime:
    """Where the machine's cores spent a stretch of wall time, from /proc/stat:
    shares of cores x wall that were busy, idle (waiting for the disk
    included) and stolen (the hypervisor ran something else on them)."""

    def __init__(self):
        self.start = self.ticks()

    @staticmethod
    def ticks():
        with open("/proc/stat") as stat:
            user, nice, system, idle, iowait, irq, softirq, steal = map(int, stat.readline().split()[1:9])
        return {"busy": user + nice + system + irq + softirq, "idle": idle + iowait, "steal": steal}

    def shares(self):
        end = self.ticks()
        spent = {key: end[key] - self.start[key] for key in end}
        total = sum(spent.values()) or 1
        return {key: value / total for key, value in spent.items()}


def through_service(binary, files, params, workers, data_dir, sample_memory=False, passes=1):
    """Seconds from the first submit until every job is done on a fresh server
    with `workers` parsing processes, one entry per pass of the files through
    it, each with the cores' shares in it (CoreTime), and the peak RSS (MiB)
    of its workers when `sample_memory` (the sampler reads /proc ten times a
    second, which would slow the timed runs)."""
    proc, base = start_server(binary, tempfile.mkdtemp(dir=data_dir), "--workers", str(workers), env=ENV)
    sampler = PeakSampler(lambda cmd: "doc-ray" in cmd and " worker" in cmd)
    if sample_memory:
        # Idle workers load their OCR (Tesseract's packs) as a running
        # server's have: each document is measured from that state, not
        # from whether its worker had a quarter second to spare before it.
        time.sleep(3)
        sampler.start()
    try:
        seconds = []
        for _ in range(passes):
            start, cores = time.perf_counter(), CoreTime()
            failed = parse_all(base, files, params)
            if failed:
                print(f"  ({failed} of {len(files)} jobs failed)")
            seconds.append((time.perf_counter() - start, cores.shares()))
        return seconds, sampler.peak_kb / 1024
    finally:
        sampler.stopped.set()
        proc.terminate()
        proc.wait()


def service_part(binary, corpus, tmp, rounds):
    """Each figure the median of `rounds` rounds; in each round every server
    (default parameters and text only, as many workers as cores and one) is
    run once, in turn, beside that round's `pdftotext`: the machine's speed
    drifts by a tenth from minute to minute, and a ratio of two runs made a
    minute apart measured the drift as much as the workers."""
    cores = os.cpu_count() or 1
    files = [os.path.join(corpus, s, f) for s in ("perf", "layouts/pdf")
             for f in sorted(os.listdir(os.path.join(corpus, s))) if f.endswith(".pdf")]
    counts = [page_count(f) for f in files]
    pages = sum(counts)
    runs = [(name, params, workers) for name, params in (("default parameters", {}), ("text only", TEXT_ONLY))
            for workers in sorted({1, cores}, reverse=True)]
    whole_files = [["pdftotext", f, os.path.join(tmp, f"{i}.txt")] for i, f in enumerate(files)]
    batched = [["pdftotext", "-f", str(first), "-l", str(min(first + 31, count)), f, os.path.join(tmp, f"{i}-{first}.txt")]
               for i, (f, count) in enumerate(zip(files, counts)) for first in range(1, count + 1, 32)]
    peers, peer_scaling, peer_cores = [], [], []
    seconds, cores_in = {run[::2]: [] for run in runs}, {run[::2]: [] for run in runs}
    def fastest(commands, at_once):
        # pdftotext's own time swings by a fifth from run to run here: its
        # fastest of three, with the cores' shares in it.
        timed = []
        for _ in range(3):
            core_time = CoreTime()
            timed.append((run_all(commands, at_once), core_time.shares()))
        return min(timed, key=lambda t: t[0])

    for _ in range(rounds):
        peers.append(fastest(whole_files, cores)[0])
        one_at_a_time = fastest(batched, 1)[0]
        at_once, shares = fastest(batched, cores)
        peer_scaling.append(one_at_a_time / at_once)
        peer_cores.append(shares)
        for name, params, workers in runs:
            ((first, first_cores), (again, again_cores)), _ = through_service(binary, files, params, workers, tmp,
                                                                             passes=2)
            seconds[(name, workers)].append((first, again, peers[-1]))
            cores_in[(name, workers)] += [first_cores, again_cores]
    median = statistics.median
    peer = median(peers)
    print(f"## Born-digital through the service: {len(files)} files, {pages} pages, {cores} cores, "
          f"median of {rounds} rounds\n")
    print("| run | workers | seconds | pages/s | ratio to pdftotext | again, same server: seconds | pages/s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    print(f"| pdftotext, {cores} at a time | {cores} | {peer:.2f} | {pages / peer:.0f} | 1 | | | |")
    for name, _, workers in runs:
        timed = seconds[(name, workers)]
        first, again = median(t[0] for t in timed), median(t[1] for t in timed)
        print(f"| doc-ray, {name} | {workers} | {first:.2f} | {pages / first:.0f} "
              f"| {median(t[2] / t[0] for t in timed):.3f} | {again:.2f} | {pages / again:.0f} "
              f"| {median(t[2] / t[1] for t in timed):.3f} |")
    if cores > 1:
        # Two processes on this machine's two cores do not make 2x of one:
        # the peer's scaling, measured in the same rounds, is the ceiling
        # doc-ray's workers are held against.
        print(f"\npdftotext in 32-page batches: {cores} at a time {median(peer_scaling):.2f}x one at a time "
              "(each round: " + ", ".join(f"{s:.2f}" for s in peer_scaling) + ")", end="")
        for name in ("default parameters", "text only"):
            scaling = [(one[0] / many[0], one[1] / many[1])
                       for one, many in zip(seconds[(name, 1)], seconds[(name, cores)])]
            print(f"\n{name}: {cores} workers {median(s[0] for s in scaling):.2f}x one worker "
                  f"(again, same server: {median(s[1] for s in scaling):.2f}x; each round: "
                  + ", ".join(f"{first:.2f}/{again:.2f}" for first, again in scaling) + "); "
                  f"over pdftotext's in the same round: {median(s[0] / p for s, p in zip(scaling, peer_scaling)):.2f} "
                  f"(again {median(s[1] / p for s, p in zip(scaling, peer_scaling)):.2f})", end="")
        print("\n")
        # Where the cores' time went: a pass can only scale as far as the
        # machine gives it the cores (steal: the hypervisor ran another
        # guest on them), and what stood idle is the service's to win back.
        print("| cores' time (median share of cores x wall) | busy | idle | stolen by the hypervisor |")
        print("|---|---|---|---|")
        rows = [(f"pdftotext in 32-page batches, {cores} at a time", peer_cores)]
        rows += [(f"doc-ray, {name}, {workers} worker(s), both passes", cores_in[(name, workers)])
                 for name, _, workers in runs]
        for label, shares in rows:
            print(f"| {label} | " + " | ".join(f"{100 * median(s[key] for s in shares):.1f} %"
                                                for key in ("busy", "idle", "steal")) + " |")
        print()


def cold_part(binary, tmp):
    doc = fitz.open()
    page = doc.new_page()
    page.insert_text((72, 72), "A one-page document", fontsize=18)
    for line in range(30):
        page.insert_text((72, 110 + line * 16), f"Line {line}: plain running text of a short letter.", fontsize=10)
    path = os.path.join(tmp, "one.pdf")
    doc.save(path)

    def median_wall(command, runs=7):
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(command, env=ENV, capture_output=True, check=True)
            walls.append(time.perf_counter() - start)
        return statistics.median(walls)

    ours = median_wall([binary, "convert", path, "-o", os.path.join(tmp, "one.md")])
    peer = median_wall(["pdftotext", path, os.path.join(tmp, "one.txt")])
    print("## Cold convert of a one-page text PDF (median of 7)\n")
    print(f"doc-ray convert {ours:.3f} s, pdftotext {peer:.3f} s, ratio {ours / peer:.1f}\n")
    # Pages with tables and figures: analysed on the CPU by the engine's own
    # loops (on a GPU, LibTorch loads while the pages after the first such
    # page are read).
    figures = os.path.join(tmp, "figures.pdf")
    with open(figures, "wb") as f:
        f.write(make_pdf(8))
    ours = median_wall([binary, "convert", figures, "-o", os.path.join(tmp, "figures.md")], runs=5)
    peer = median_wall(["pdftotext", figures, os.path.join(tmp, "figures.txt")], runs=5)
    print("## Cold convert of an 8-page PDF with a table and a figure on every page (median of 5)\n")
    print(f"doc-ray convert {ours:.3f} s, pdftotext {peer:.3f} s, ratio {ours / peer:.1f}\n")


def make_pdf(pages):
    """Text, a ruled table and a figure (a raster image) on every page."""
    picture = fitz.Pixmap(fitz.csRGB, fitz.IRect(0, 0, 120, 80), False)
    picture.set_rect(picture.irect, (40, 90, 160))
    picture.set_rect(fitz.IRect(10, 10, 60, 50), (230, 180, 40))
    picture_bytes = picture.tobytes("png")
    doc = fitz.open()
    picture_xref = 0  # one image object that every page shows
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"Chapter {i + 1}", fontsize=18)
        for line in range(24):
            page.insert_text((72, 90 + line * 16), f"Line {line} of page {i + 1}: body text that a reader would read.",
                             fontsize=10)
        for r in range(4):
            page.draw_line((72, 500 + r * 20), (472, 500 + r * 20))
        for c in range(5):
            page.draw_line((72 + c * 100, 500), (72 + c * 100, 560))
        for r in range(3):
            for c in range(4):
                page.insert_text((78 + c * 100, 515 + r * 20), f"r{r}c{c} {i}", fontsize=9)
        if picture_xref:
            page.insert_image(fitz.Rect(72, 590, 252, 710), xref=picture_xref)
        else:
            picture_xref = page.insert_image(fitz.Rect(72, 590, 252, 710), stream=picture_bytes)
        page.insert_text((72, 725), f"Figure {i + 1}: a picture.", fontsize=9)
    return doc.tobytes(deflate=True)


def memory_part(binary, tmp, page_counts):
    print("## Peak RSS on generated PDFs (text, a ruled table and a figure per page)\n")
    print("| pages | convert MiB | convert s | server worker MiB | server s | pdftotext MiB |\n|---|---|---|---|---|---|")
    for pages in page_counts:
        path = os.path.join(tmp, f"gen{pages}.pdf")
        with open(path, "wb") as f:
            f.write(make_pdf(pages))
        sampler = PeakSampler(lambda cmd: " convert " in cmd and path in cmd)
        sampler.start()
        start = time.perf_counter()
        done = subprocess.run([binary, "convert", path, "-o", os.path.join(tmp, "gen.md")], env=ENV,
                              capture_output=True)
        convert_seconds = time.perf_counter() - start
        sampler.stopped.set()
        if done.returncode:
            print(f"  (convert failed: {done.stderr.decode(errors='replace')[-300:]})")
        ((server_seconds, _),), worker_mib = through_service(binary, [path], {}, 1, tmp, sample_memory=True)
        peer = PeakSampler(lambda cmd: cmd.startswith("pdftotext") and path in cmd)
        peer.start()
        subprocess.run(["pdftotext", path, os.path.join(tmp, "gen.txt")], env=ENV, capture_output=True)
        time.sleep(0.2)
        peer.stopped.set()
        print(f"| {pages} | {sampler.peak_kb / 1024:.0f} | {convert_seconds:.1f} | {worker_mib:.0f} | "
              f"{server_seconds:.1f} | {peer.peak_kb / 1024:.0f} |")
    print()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    parser.add_argument("--parts", default="service,cold,memory")
    parser.add_argument("--pages", default="500,1000,2000")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the service part, each figure their median")
    args = parser.parse_args()
    binary = os.path.abspath(args.binary)
    parts = args.parts.split(",")
    with tempfile.TemporaryDirectory() as tmp:
        if "service" in parts:
            corpus = os.path.abspath(args.corpus)
            if not os.path.isdir(corpus):
                sys.exit(f"corpus not found at {corpus}; the service part needs the dev corpus")
            service_part(binary, corpus, tmp, args.rounds)
        if "cold" in parts:
            cold_part(binary, tmp)
        if "memory" in parts:
            memory_part(binary, tmp, [int(p) for p in args.pages.split(",")])


if __name__ == "__main__":
    main()
