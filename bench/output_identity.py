#!/usr/bin/env python3
"""Output identity: does a change leave doc-ray's output byte for byte as it was?

Usage:
    python3 bench/output_identity.py --binary build/bin/doc-ray --out /tmp/after
        [--corpus ../shared/corpus] [--jobs 2] [--timeout 300] [--compare /tmp/before]

Every input of every corpus set (ground-truth files and the corpus' own scripts
left out) is converted with `doc-ray convert INPUT -o OUT/<set>/<name>/<name>.md
--json OUT/<set>/<name>/<name>.json` (QT_QPA_PLATFORM=offscreen,
OMP_THREAD_LIMIT=1); the images land beside the markdown. The exit code of
each run is written to OUT/<set>/<name>/exit_code, so a failure that stays a
failure compares equal and one that changes does not.

With --compare, every file under the two trees is compared byte for byte:
the script lists files that differ or exist on one side only, and exits 1 when
there are any. Run it once with the binary from before the change and once
with the one after.
"""
import argparse
import concurrent.futures
import filecmp
import os
import subprocess
import sys

GT_SUFFIXES = (".md", ".txt", ".tests.jsonl")
SKIPPED = {"score.py", "README.md", "INDEX.md"}


def inputs(corpus):
    for root, _dirs, files in os.walk(corpus):
        for name in sorted(files):
            if name in SKIPPED or name.endswith(GT_SUFFIXES) or name.startswith("."):
                continue
            yield os.path.join(root, name)


def convert(binary, corpus, out, path, timeout):
    relative = os.path.relpath(path, corpus)
    stem = os.path.splitext(os.path.basename(relative))[0]
    target = os.path.join(out, os.path.dirname(relative), stem)
    os.makedirs(target, exist_ok=True)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1")
    command = [binary, "convert", path, "-o", os.path.join(target, stem + ".md"),
               "--json", os.path.join(target, stem + ".json")]
    try:
        code = subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode
    except subprocess.TimeoutExpired:
        code = "timeout"
    with open(os.path.join(target, "exit_code"), "w") as f:
        f.write(f"{code}\n")
    return relative, code


def tree(root):
    found = set()
    for base, _dirs, files in os.walk(root):
        for name in files:
            found.add(os.path.relpath(os.path.join(base, name), root))
    return found


def compare(before, after):
    left, right = tree(before), tree(after)
    only_before = sorted(left - right)
    only_after = sorted(right - left)
    differing = sorted(p for p in left & right
                       if not filecmp.cmp(os.path.join(before, p), os.path.join(after, p), shallow=False))
    for p in only_before:
        print(f"only in {before}: {p}")
    for p in only_after:
        print(f"only in {after}: {p}")
    for p in differing:
        print(f"differs: {p}")
    print(f"{len(left & right)} files compared: {len(differing)} differ, "
          f"{len(only_before)} only before, {len(only_after)} only after")
    return not (only_before or only_after or differing)


def main():
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--binary", default=os.path.join(repo, "build/bin/doc-ray"))
    parser.add_argument("--corpus", default=os.path.join(repo, "../shared/corpus"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--compare", help="an earlier --out tree to compare against")
    args = parser.parse_args()

    files = list(inputs(args.corpus))
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        jobs = [pool.submit(convert, os.path.abspath(args.binary), args.corpus, args.out, f, args.timeout)
                for f in files]
        for job in concurrent.futures.as_completed(jobs):
            relative, code = job.result()
            print(f"{code!s:>7}  {relative}", flush=True)
    print(f"{len(files)} inputs converted into {args.out}")
    if args.compare:
        sys.exit(0 if compare(args.compare, args.out) else 1)


if __name__ == "__main__":
    main()
