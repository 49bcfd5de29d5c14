#!/usr/bin/env python3
"""API benchmark: /status throughput and p99 under wrk at 50 connections
while the workers are idle, and submit->completed latency of a 1-page PDF
beside `pdftotext` on the same file.

Usage: bench/api_bench.py [build/bin/doc-ray]
"""
import base64
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import requests

from docray_server import start_server

ROUNDS = 30



def wait_completed(base, job_id):
    while True:
        status = requests.get(f"{base}/status/{job_id}").json()["status"]
        if status != "processing":
            return status
        time.sleep(0.002)


def one_page_pdf(base):
    """A real one-page PDF with a text layer, rendered by doc-ray from markdown."""
    text = "# Benchmark page\n\n" + "A paragraph of ordinary prose for the benchmark. " * 40
    job = requests.post(f"{base}/submit", json={"document_data": text, "filename": "bench.md"}).json()
    wait_completed(base, job["job_id"])
    result = requests.get(f"{base}/result/{job['job_id']}").json()["result"]
    requests.delete(f"{base}/result/{job['job_id']}")
    return base64.b64decode(result["pdf_data"])


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else "build/bin/doc-ray"
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(binary, tmp)
        try:
            pdf = one_page_pdf(base)
            pdf_path = os.path.join(tmp, "one-page.pdf")
            open(pdf_path, "wb").write(pdf)

            latencies = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                job = requests.post(f"{base}/submit",
                                    files={"file": ("one-page.pdf", pdf)}).json()["job_id"]
                assert wait_completed(base, job) == "completed"
                latencies.append((time.perf_counter() - start) * 1000)
                requests.delete(f"{base}/result/{job}")

            peer = []
            if shutil.which("pdftotext"):
                for _ in range(ROUNDS):
                    start = time.perf_counter()
                    subprocess.run(["pdftotext", pdf_path, "-"], check=True, capture_output=True)
                    peer.append((time.perf_counter() - start) * 1000)

            job = requests.post(f"{base}/submit", files={"file": ("one-page.pdf", pdf)}).json()["job_id"]
            wait_completed(base, job)
            wrk = subprocess.run(["wrk", "-t2", "-c50", "-d10s", "--latency", f"{base}/status/{job}"],
                                 check=True, capture_output=True, text=True).stdout
            rps = float(re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1))
            p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", wrk)
            p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)]
            errors = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)

            print("doc-ray API benchmark")
            print(f"  GET /status, wrk 2 threads x 50 connections, 10 s, workers idle:")
            print(f"    {rps:,.0f} requests/s   p99 {p99_ms:.2f} ms   non-2xx {errors.group(1) if errors else 0}"
                  f"   (goal >= 20,000 req/s, p99 < 5 ms)")
            print(f"  submit -> completed, 1-page PDF, {ROUNDS} rounds (multipart upload, status polled every 2 ms):")
            print(f"    doc-ray   median {statistics.median(latencies):7.1f} ms   p95 {percentile(latencies, 0.95):7.1f} ms")
            if peer:
                print(f"    pdftotext median {statistics.median(peer):7.1f} ms   p95 {percentile(peer, 0.95):7.1f} ms"
                      f"   (process per file)")
                print(f"    ratio doc-ray / pdftotext (median): {statistics.median(latencies) / statistics.median(peer):.2f}x")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
