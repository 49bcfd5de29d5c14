#!/usr/bin/env python3
"""Robustness check: every file of the corpus's robustness set, submitted to
a real doc-ray server (parsing in child worker processes), must end
`completed` or `failed` with a message, within the job time limit, with the
server alive throughout. Encrypted files are also sent with their password.

Prints a table and exits non-zero if any job is lost, stuck, or fails
without a message, or if the server dies.

Usage: bench/robustness.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus] [--job-timeout 60]
"""
import argparse
import json
import os
import sys
import tempfile
import time

import requests

from docray_server import start_server

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PASSWORDS = {  # from the corpus README
    "empty_protected.pdf": "",
    "issue6010_1.pdf": "abc",
    "saslprep-r6.pdf": "S\u00aaSL\u00adprep",
    "docling_2206.01062_pg3_pw1234.pdf": "1234",
}



def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(ROOT, "build/bin/doc-ray"))
    parser.add_argument("--corpus", default=os.path.join(ROOT, "../shared/corpus"))
    parser.add_argument("--job-timeout", type=int, default=60)
    args = parser.parse_args()
    folder = os.path.join(os.path.abspath(args.corpus), "robustness")
    if not os.path.isdir(folder):
        sys.exit(f"corpus not found at {folder}; this check needs the dev corpus")

    submissions = []  # (label, file, params)
    for name in sorted(os.listdir(folder)):
        if name.endswith(".pdf"):
            submissions.append((name, name, {}))
            if name in PASSWORDS:
                submissions.append((f"{name} + password", name, {"password": PASSWORDS[name]}))

    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        proc, base = start_server(os.path.abspath(args.binary), tmp, "--workers", "2", "--job-timeout", str(args.job_timeout))
        try:
            jobs = {}
            for label, name, params in submissions:
                with open(os.path.join(folder, name), "rb") as f:
                    reply = requests.post(f"{base}/submit", files={"file": (name, f)},
                                          data={"parser_params": json.dumps(params)})
                if reply.status_code != 202:
                    jobs[label] = (None, f"submit answered {reply.status_code}: {reply.text}")
                    continue
                jobs[label] = (reply.json()["job_id"], None)

            deadline = time.time() + args.job_timeout * len(submissions) / 2 + 60
            results = {}
            start = time.time()
            pending = {label for label, (job, _) in jobs.items() if job}
            while pending and time.time() < deadline:
                for label in sorted(pending):
                    status = requests.get(f"{base}/status/{jobs[label][0]}").json()
                    if status["status"] != "processing":
                        results[label] = (status, time.time() - start)
                        pending.discard(label)
                time.sleep(0.2)
                if proc.poll() is not None:
                    problems.append("the server died")
                    break

            print("| file | status | markdown chars | message |\n|---|---|---|---|")
            for label, _, _ in submissions:
                job, submit_error = jobs[label]
                if submit_error:
                    print(f"| {label} | refused | | {submit_error} |")
                    continue
                if label not in results:
                    print(f"| {label} | STUCK | | |")
                    problems.append(f"{label}: no terminal state")
                    continue
                status, _ = results[label]
                chars = ""
                if status["status"] == "completed":
                    result = requests.get(f"{base}/result/{job}?exclude=pdf_data,images").json()["result"]
                    chars = str(len(result["markdown"]))
                elif not status.get("error"):
                    problems.append(f"{label}: failed without a message")
                print(f"| {label} | {status['status']} | {chars} | {(status.get('error') or '').replace('|', '/')} |")
            if proc.poll() is None and requests.get(f"{base}/health").status_code != 200:
                problems.append("the server stopped answering")
        finally:
            proc.terminate()
            proc.wait(timeout=30)

    completed = sum(1 for s, _ in results.values() if s["status"] == "completed")
    print(f"\n{len(submissions)} submissions: {completed} completed, {len(results) - completed} failed with a message, "
          f"{len(problems)} problem(s)")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
