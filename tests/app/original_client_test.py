#!/usr/bin/env python3
"""Drives doc-ray exactly as the original doc-ray service's real client does.

That client (a RAG system's document loader) posts the document as multipart
`file` with `parser_params` as a JSON string form field, polls /status every
5 seconds with no timeout, reads result.middle_json (a JSON string),
result.images and result.pdf_data, and always sends DELETE at the end.

Usage: original_client_test.py PATH/TO/doc-ray
"""
import base64
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import requests

POLL_INTERVAL_S = 5  # the client's own interval


def start_server(binary, data_dir):
    log_path = os.path.join(data_dir, "server.log")
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [binary, "--server", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 20
    while time.time() < deadline:
        with open(log_path, "rb") as f:
            match = re.search(rb"listening on (http://[^ ]+)", f.read())
        if match:
            return proc, match.group(1).decode()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    raise SystemExit("server did not start:\n" + open(log_path).read())


def write_memo(directory):
    source = os.path.join(directory, "memo.md")
    with open(source, "w") as f:
        f.write("# Quarterly memo\n\nThe quarterly numbers are in. Revenue is up.\n")
    return source


def parse_like_the_client(base_url, path, params):
    with open(path, "rb") as f:
        files = {"file": (os.path.basename(path), f)}
        data = {"parser_params": json.dumps(params)}
        resp = requests.post(f"{base_url}/submit", files=files, data=data)
    assert resp.status_code == 202, (resp.status_code, resp.text)
    job_id = resp.json()["job_id"]
    try:
        while True:
            status = requests.get(f"{base_url}/status/{job_id}").json()
            assert status["status"] in ("processing", "completed", "failed"), status
            if status["status"] == "completed":
                break
            if status["status"] == "failed":
                raise AssertionError(f"job failed: {status['error']}")
            time.sleep(POLL_INTERVAL_S)
        result = requests.get(f"{base_url}/result/{job_id}").json()["result"]
        markdown = result["markdown"]
        middle = json.loads(result["middle_json"])
        images = {name: base64.b64decode(data) for name, data in result["images"].items()}
        pdf = base64.b64decode(result["pdf_data"])
        return job_id, markdown, middle, images, pdf
    finally:
        resp = requests.delete(f"{base_url}/result/{job_id}")
        assert resp.status_code == 200, resp.text


def main():
    binary = sys.argv[1]
    with tempfile.TemporaryDirectory() as tmp:
        proc, base_url = start_server(binary, tmp)
        try:
            source = write_memo(tmp)
            params = {"formula_enable": False, "table_enable": True, "start_page": 0, "end_page": 9}
            job_id, markdown, middle, images, pdf = parse_like_the_client(base_url, source, params)
            assert markdown.startswith("# Quarterly memo"), markdown
            assert pdf.startswith(b"%PDF"), pdf[:20]
            assert isinstance(images, dict)
            pages = middle["pdf_info"]
            assert len(pages) == 1 and pages[0]["page_idx"] == 0, pages
            texts = [span["content"] for block in pages[0]["para_blocks"]
                     for line in block["lines"] for span in line["spans"]]
            words = " ".join(texts).split()
            assert "Quarterly" in words and "Revenue" in words, texts

            # The PDF doc-ray rendered from the memo goes through the same loop again, as a PDF upload.
            pdf_path = os.path.join(tmp, "memo.pdf")
            with open(pdf_path, "wb") as f:
                f.write(pdf)
            _, markdown2, middle2, _, pdf2 = parse_like_the_client(base_url, pdf_path, params)
            assert "# Quarterly memo" in markdown2, markdown2
            assert "Revenue is up." in markdown2, markdown2
            assert pdf2 == pdf
            assert middle2["_backend"] == "pipeline"

            # The client deleted both jobs: they are gone.
            assert requests.get(f"{base_url}/status/{job_id}").status_code == 404
            print("original client flow: OK")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
