#!/usr/bin/env python3
"""Large documents in the cluster: wall time and peak memory of the parser
processes (page batches and the merge) for one big PDF on two replicas,
against `doc-ray convert` of the same file in the same run.

    eval "$(bash tools/test-postgres.sh start)"
    python3 bench/cluster_memory.py [--binary build/bin/doc-ray] [--pdf BIG.pdf | --pages 2000]
        [--replicas 2] [--batch-pages 8]

Without --pdf a PDF of --pages pages is generated (PyMuPDF): a heading, thirty
lines of text and a ruled table on every page. The database is
DOCRAY_DATABASE_URL, else DOCRAY_TEST_DATABASE_URL; its doc-ray tables are
dropped first. Peak RSS is sampled from /proc every 0.1 s: the largest of any
`doc-ray worker` process (which is the merge for a batched job) and of the
convert process.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time

import fitz
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cluster_bench import reset, start_replica  # noqa: E402


def make_pdf(pages):
    doc = fitz.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 60), f"Chapter {i + 1}", fontsize=18)
        y = 90
        for line in range(30):
            page.insert_text((72, y), f"Line {line} of page {i + 1}: body text that a reader would read.", fontsize=10)
            y += 16
        for r in range(4):
            page.draw_line((72, 600 + r * 20), (472, 600 + r * 20))
        for c in range(5):
            page.draw_line((72 + c * 100, 600), (72 + c * 100, 660))
        for r in range(3):
            for c in range(4):
                page.insert_text((78 + c * 100, 615 + r * 20), f"r{r}c{c} {i}", fontsize=9)
    return doc.tobytes()


def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class PeakSampler(threading.Thread):
    """Peak RSS of processes whose command line matches, sampled until stopped."""

    def __init__(self, match):
        super().__init__(daemon=True)
        self.match = match
        self.peak_kb = 0
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.is_set():
            for pid in os.listdir("/proc"):
                if not pid.isdigit():
                    continue
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmdline = f.read().replace(b"\0", b" ").decode(errors="replace")
                except OSError:
                    continue
                if self.match(cmdline):
                    self.peak_kb = max(self.peak_kb, rss_kb(pid))
            time.sleep(0.1)


def convert(binary, pdf_path, workdir):
    sampler = PeakSampler(lambda cmd: " convert " in cmd and pdf_path in cmd)
    sampler.start()
    t0 = time.monotonic()
    done = subprocess.run([binary, "convert", pdf_path, "-o", os.path.join(workdir, "out.md")],
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1"),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.monotonic() - t0
    sampler.stopped.set()
    sampler.join()
    if done.returncode != 0:
        raise RuntimeError(f"convert failed: {done.stderr.decode(errors='replace')[-500:]}")
    with open(os.path.join(workdir, "out.md"), encoding="utf-8") as f:
        return elapsed, sampler.peak_kb, f.read()


def cluster(binary, url, pdf, replicas, batch_pages, workdir):
    reset(url)
    started = [start_replica(binary, url, batch_pages, workdir) for _ in range(replicas)]
    sampler = PeakSampler(lambda cmd: " worker " in cmd and "doc-ray" in cmd)
    sampler.start()
    try:
        t0 = time.monotonic()
        job = requests.post(f"{started[0][1]}/submit", files={"file": ("big.pdf", pdf)}).json()["job_id"]
        while True:
            status = requests.get(f"{started[-1][1]}/status/{job}").json()
            if status["status"] != "processing":
                break
            time.sleep(0.2)
        elapsed = time.monotonic() - t0
        markdown = None
        if status["status"] == "completed":
            result = requests.get(f"{started[0][1]}/result/{job}?exclude=pdf_data,images").json()
            markdown = result["result"]["markdown"]
        if status["status"] == "failed":
            for _, _, log in started:  # what the replicas said about the job, to see why
                log.seek(0)
                for line in log:
                    if "docray.http" not in line and "claimed: pages" not in line and not line.rstrip().endswith("read"):
                        sys.stderr.write(line)
        return elapsed, sampler.peak_kb, status, markdown
    finally:
        sampler.stopped.set()
        for proc, _, log in started:
            proc.terminate()
            proc.wait(30)
            log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="build/bin/doc-ray")
    parser.add_argument("--pdf")
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--batch-pages", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("DOCRAY_DATABASE_URL") or os.environ.get("DOCRAY_TEST_DATABASE_URL")
    if not url:
        sys.exit("set DOCRAY_DATABASE_URL (or eval \"$(bash tools/test-postgres.sh start)\")")
    binary = os.path.abspath(args.binary)
    with tempfile.TemporaryDirectory() as workdir:
        if args.pdf:
            pdf_path = os.path.abspath(args.pdf)
            with open(pdf_path, "rb") as f:
                pdf = f.read()
        else:
            pdf = make_pdf(args.pages)
            pdf_path = os.path.join(workdir, "big.pdf")
            with open(pdf_path, "wb") as f:
                f.write(pdf)
        pages = fitz.open(pdf_path).page_count
        print(f"{pages} pages, {len(pdf) / 1e6:.1f} MB; {args.replicas} replicas, batches of {args.batch_pages}, "
              f"{os.cpu_count()} cores")
        c_time, c_peak, c_markdown = convert(binary, pdf_path, workdir)
        print(f"convert          : {c_time:7.1f} s  {pages / c_time:6.1f} pages/s  peak RSS {c_peak / 1024:6.0f} MB")
        t, peak, status, markdown = cluster(binary, url, pdf, args.replicas, args.batch_pages, workdir)
        line = f"cluster          : {t:7.1f} s  {pages / t:6.1f} pages/s  peak worker RSS {peak / 1024:6.0f} MB"
        print(line + f"  ({status['status']}{': ' + status.get('error', '') if status['status'] == 'failed' else ''})")
        print(f"ratio cluster/convert: time x{t / c_time:.2f}, peak RSS x{peak / max(c_peak, 1):.2f}; "
              f"markdown {'identical' if markdown == c_markdown else 'DIFFERENT'}")


if __name__ == "__main__":
    main()
