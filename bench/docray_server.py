"""Starts a real `doc-ray --server` on a free loopback port for the bench
scripts and returns it with its base URL (read from the line it prints)."""
import os
import re
import subprocess
import sys
import time


def start_server(binary, data_dir, *arguments, env=None):
    log_path = os.path.join(data_dir, f"server-{time.time_ns()}.log")
    command = [binary, "--server", "--host", "127.0.0.1", "--port", "0", "--data-dir", data_dir, *arguments]
    proc = subprocess.Popen(command, stdout=open(log_path, "wb"), stderr=subprocess.STDOUT,
                            env=dict(env or os.environ, QT_QPA_PLATFORM="offscreen"))
    for _ in range(400):
        match = re.search(rb"listening on (http://[^ ]+)", open(log_path, "rb").read())
        if match:
            return proc, match.group(1).decode()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    proc.kill()
    sys.exit("doc-ray did not start:\n" + open(log_path, errors="replace").read())
