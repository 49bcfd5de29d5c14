#!/usr/bin/env python3
"""Cluster throughput: pages/s of one, two and three `doc-ray --server`
replicas on one PostgreSQL, parsing a set of many-page PDFs in page batches,
and what a batch costs in claims and bookkeeping.

    eval "$(bash tools/test-postgres.sh start)"
    python3 bench/cluster_bench.py [--binary build/bin/doc-ray] [--pdfs 6] [--pages 48]

The database is DOCRAY_DATABASE_URL, else DOCRAY_TEST_DATABASE_URL; its doc-ray
tables are dropped between runs. Every replica runs one parser (--workers 1),
so on a 2-core machine the third replica competes for a core: the curve says
how the work spreads, not what more machines would give.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import fitz
import requests


def make_pdf(pages, seed):
    doc = fitz.open()
    for i in range(pages):
        page = doc.new_page()
        page.insert_text((72, 72), f"Chapter {seed}.{i + 1}", fontsize=20)
        y = 110
        for line in range(30):
            page.insert_text((72, y), f"Line {line} of page {i + 1} in document {seed}: some body text to read.",
                             fontsize=10)
            y += 20
    return doc.tobytes()


def reset(url):
    subprocess.run(["psql", url, "-q", "-c", "SET client_min_messages = warning; "
                    "DROP TABLE IF EXISTS result_pieces, tasks, jobs, docray_meta"], check=True)


def start_replica(binary, url, batch_pages, workdir):
    log = open(os.path.join(workdir, f"replica-{time.monotonic_ns()}.log"), "w+")
    proc = subprocess.Popen([binary, "--server", "--host", "127.0.0.1", "--port", "0", "--data-dir", workdir,
                             "--database", url, "--workers", "1", "--batch-pages", str(batch_pages)],
                            stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, QT_QPA_PLATFORM="offscreen",
                                                                          OMP_THREAD_LIMIT="1"))
    for _ in range(200):
        time.sleep(0.05)
        log.seek(0)
        match = re.search(r"listening on (http://\S+)", log.read())
        if match:
            return proc, match.group(1).rstrip("/"), log
    raise RuntimeError("replica did not start")


def run(binary, url, replicas, pdfs, pages, batch_pages):
    reset(url)
    with tempfile.TemporaryDirectory() as workdir:
        started = [start_replica(binary, url, batch_pages, workdir) for _ in range(replicas)]
        try:
            t0 = time.monotonic()
            ids = []
            for i, pdf in enumerate(pdfs):
                base = started[i % replicas][1]
                ids.append(requests.post(f"{base}/submit", files={"file": (f"doc{i}.pdf", pdf)}).json()["job_id"])
            pending = set(ids)
            while pending:
                for job in list(pending):
                    status = requests.get(f"{started[0][1]}/status/{job}").json()["status"]
                    if status == "failed":
                        raise RuntimeError(f"job {job} failed: {requests.get(f'{started[0][1]}/status/{job}').json()['error']}")
                    if status == "completed":
                        pending.discard(job)
                time.sleep(0.05)
            elapsed = time.monotonic() - t0
            claims = []
            for _, _, log in started:
                log.seek(0)
                claims += [float(m) for m in re.findall(r"claim ([0-9.]+) ms", log.read())]
            return elapsed, len(pdfs) * pages / elapsed, claims
        finally:
            if os.environ.get("DOCRAY_BENCH_KEEP_LOGS"):
                for _, _, log in started:
                    log.seek(0)
                    sys.stderr.write(log.read())
            for proc, _, log in started:
                proc.terminate()
                proc.wait(20)
                log.close()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--binary", default="build/bin/doc-ray")
    parser.add_argument("--pdfs", type=int, default=6)
    parser.add_argument("--pages", type=int, default=48)
    parser.add_argument("--batch-pages", type=int, default=8)
    args = parser.parse_args()
    url = os.environ.get("DOCRAY_DATABASE_URL") or os.environ.get("DOCRAY_TEST_DATABASE_URL")
    if not url:
        sys.exit("set DOCRAY_DATABASE_URL (or eval \"$(bash tools/test-postgres.sh start)\")")
    pdfs = [make_pdf(args.pages, seed) for seed in range(args.pdfs)]
    total = args.pdfs * args.pages
    print(f"{args.pdfs} PDFs x {args.pages} pages, batches of {args.batch_pages}, {os.cpu_count()} cores")

    whole, _, _ = run(args.binary, url, 1, pdfs, args.pages, 0)
    print(f"1 replica, no batches : {whole:6.2f} s  {total / whole:7.1f} pages/s")
    base = None
    for replicas in (1, 2, 3):
        elapsed, rate, claims = run(args.binary, url, replicas, pdfs, args.pages, args.batch_pages)
        base = base or rate
        claims.sort()
        p95 = claims[int(len(claims) * 0.95) - 1] if claims else 0
        print(f"{replicas} replica(s), batched: {elapsed:6.2f} s  {rate:7.1f} pages/s  x{rate / base:4.2f}  "
              f"claim mean {statistics.mean(claims):.2f} ms p95 {p95:.2f} ms over {len(claims)} claims")
        if replicas == 1:
            batches = args.pdfs * (-(-args.pages // args.batch_pages))
            print(f"  batching overhead on one replica: {(elapsed - whole) * 1000 / batches:.2f} ms per batch "
                  f"(claims, layouts stored and merged, upload read per batch)")


if __name__ == "__main__":
    main()
