#!/usr/bin/env python3
"""Load and fault script: 200 concurrent submits of mixed real documents
while wrk polls /status at 50 connections, one crafted file that crashes
its parser worker, then kill -9 of the whole server mid-run and a restart.

Checks and prints: every 202'd job reaches a terminal state, none is lost,
no job id is handed out twice, only the crafted file fails, p99 status
latency under load.

Usage: bench/load_faults.py [--binary build/bin/doc-ray] [--jobs 200]
"""
import argparse
import base64
import concurrent.futures
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

import requests

from docray_server import start_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))



def documents(base):
    """Real documents of several kinds: a PDF doc-ray renders from markdown,
    the markdown itself, plain text, and an image of text."""
    text = "# Load test\n\n" + ("A paragraph of ordinary prose for the load test. " * 30 + "\n\n") * 40
    job = requests.post(f"{base}/submit", json={"document_data": text, "filename": "seed.md"}).json()["job_id"]
    while requests.get(f"{base}/status/{job}").json()["status"] == "processing":
        time.sleep(0.05)
    pdf = base64.b64decode(requests.get(f"{base}/result/{job}").json()["result"]["pdf_data"])
    requests.delete(f"{base}/result/{job}")
    return [("report.pdf", pdf), ("notes.md", text.encode()), ("plain.txt", b"Just some plain text.\n" * 50)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", DOCRAY_INJECT_FAULT="crash:poison")
    problems = []

    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(os.path.abspath(args.binary), tmp, "--workers", "2", "--max-queue", "100000", env=env)
        docs = documents(base)
        uploads = [docs[i % len(docs)] for i in range(args.jobs - 1)] + [("poison.pdf", docs[0][1])]

        def submit(upload):
            name, data = upload
            reply = requests.post(f"{base}/submit", files={"file": (name, data)})
            return name, reply.status_code, reply.json().get("job_id")

        probe = requests.post(f"{base}/submit", files={"file": ("probe.pdf", docs[0][1])}).json()["job_id"]
        wrk = subprocess.Popen(["wrk", "-t1", "-c50", "-d5s", "--latency", f"{base}/status/{probe}"],
                               stdout=subprocess.PIPE, text=True)
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(32) as pool:
            submitted = list(pool.map(submit, uploads))
        submit_seconds = time.time() - start
        refused = [s for s in submitted if s[1] != 202]
        if refused:
            problems.append(f"{len(refused)} submits refused: {refused[:3]}")
        ids = [job for _, status, job in submitted if status == 202]
        if len(set(ids)) != len(ids):
            problems.append("a job id was handed out twice")

        # Kill the whole server mid-run, then start it again on the same data.
        wrk_out = wrk.communicate()[0]
        states = [requests.get(f"{base}/status/{job}").json()["status"] for job in ids]
        unfinished_at_kill = states.count("processing")
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        proc, base = start_server(os.path.abspath(args.binary), tmp, "--workers", "2", "--max-queue", "100000", env=env)

        deadline = time.time() + 600
        final = {}
        while len(final) < len(ids) and time.time() < deadline:
            for job in ids:
                if job in final:
                    continue
                reply = requests.get(f"{base}/status/{job}")
                if reply.status_code == 404:
                    final[job] = ("lost", None)
                elif reply.json()["status"] != "processing":
                    final[job] = (reply.json()["status"], reply.json()["error"])
            time.sleep(0.5)
        proc.terminate()
        proc.wait(timeout=30)

    names = {job: name for name, status, job in submitted if status == 202}
    lost = [job for job in ids if final.get(job, ("stuck",))[0] in ("lost", "stuck")]
    failed = [(names[job], final[job][1]) for job in ids if final.get(job, ("",))[0] == "failed"]
    unexpected = [f for f in failed if f[0] != "poison.pdf"]
    poison = [f for f in failed if f[0] == "poison.pdf"]
    if lost:
        problems.append(f"{len(lost)} jobs lost or stuck")
    if unexpected:
        problems.append(f"unexpected failures: {unexpected[:3]}")
    if len(poison) != 1:
        problems.append("the crafted file did not fail exactly once")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk_out)
    p99 = re.search(r"99%\s+([\d.]+\w+)", wrk_out)
    print("doc-ray load and faults")
    print(f"  submits: {len(uploads)} concurrent (32 clients), {len(ids)} accepted in {submit_seconds:.1f} s")
    print(f"  /status under load (wrk, 50 connections): {float(rps.group(1)) if rps else 0:,.0f} req/s, p99 {p99.group(1) if p99 else '?'}")
    print(f"  kill -9 of the server with {unfinished_at_kill} jobs unfinished, then a restart")
    print(f"  outcome: {sum(1 for v in final.values() if v[0] == 'completed')} completed, {len(failed)} failed "
          f"({poison[0][1] if poison else 'no crash seen'}), {len(lost)} lost")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
