#!/usr/bin/env python3
"""What the real consumers of MinerU's middle JSON make of doc-ray's, set by set.

Runs the corpus's consumer harness (../shared/tools/middle-json-check: MinerU's
own union_make at two releases and two versions of ApeRAG's reader, their
sources read from git mirrors named by MINERU_GIT, APERAG_GIT and
APERAG_PROVENANCE_GIT) on every middle JSON of a tree written by
bench/output_identity.py, and compares each consumer's markdown with
doc-ray's own in words (CJK counted per character), both ways:

  raw      the consumers' markdown as it is
  text     what is not text taken from both sides first: HTML table tags
           (MinerU and ApeRAG write tables as the middle JSON's HTML,
           doc-ray's markdown as pipe tables, so every <td> would count as
           a word doc-ray lacks), pictures' references and paths (ApeRAG
           writes asset URLs and leaves out pictures without a caption),
           links' targets (the middle JSON has no links) and markdown's
           backslash escapes

Prints per set and consumer: files, crashes, files under 0.98 either way,
the lowest precision and recall, and CJK characters spaced apart; then the
files under 0.98 with tags removed.

    python3 bench/middle_json_consumers.py --tree /tmp/after [--sets docling_pdf,...]
"""
import argparse
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORD = re.compile(r"\w+")
NOT_TEXT = [
    re.compile(r"</?(?:table|thead|tbody|tr|td|th)\b[^<>]*>"),
    re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)"),  # a picture
    re.compile(r"(?<=\])\((?:https?|mailto):[^)\s]*\)"),  # a link's target
    re.compile(r"\[[^\]\n]*\]\(asset://[^)\n]*\)"),  # ApeRAG's picture
]
ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|<>~])")


def text_only(markdown):
    for pattern in NOT_TEXT:
        markdown = pattern.sub(" ", markdown)
    return ESCAPE.sub(r"\1", markdown)
SPACED_CJK = re.compile(r"[\u3040-\u9fff] (?=[\u3040-\u9fff])")
THRESHOLD = 0.98


def is_cjk(ch):
    code = ord(ch)
    return 0x3040 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF


def words(text):
    counted = collections.Counter()
    for word in WORD.findall(text):
        if any(is_cjk(c) for c in word):
            counted.update(word)
        else:
            counted[word.lower()] += 1
    return counted


def overlap(theirs, ours):
    a, b = words(theirs), words(ours)
    if not a and not b:
        return 1.0, 1.0  # both empty: a page with nothing read
    common = sum((a & b).values())
    return common / max(1, sum(a.values())), common / max(1, sum(b.values()))


def consumer_outputs(folder):
    """{consumer: markdown} for the MM markdown each consumer wrote."""
    found = {}
    for path in sorted(glob.glob(os.path.join(folder, "*.md"))):
        name = os.path.basename(path)[:-3]
        if name.endswith(".nlp"):
            continue
        found[name] = open(path, encoding="utf-8", errors="replace").read()
    return found


def run_set(harness, tree, set_name, out):
    inputs = sorted(glob.glob(os.path.join(tree, set_name, "*", "*.json")))
    if not inputs:
        return []
    subprocess.run([sys.executable, harness, *inputs, "--mineru-tag", "mineru-2.0.6-released",
                    "--mineru-tag", "mineru-2.7.6-released", "--out", out],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    rows = []
    for path in inputs:
        stem = os.path.splitext(os.path.basename(path))[0]
        ours_path = os.path.splitext(path)[0] + ".md"
        folder = os.path.join(out, stem)
        report = os.path.join(folder, "report.txt")
        if not os.path.exists(ours_path) or not os.path.exists(report):
            rows.append((stem, "harness", None))
            continue
        ours = open(ours_path, encoding="utf-8", errors="replace").read()
        crashed = {line.split(None, 1)[1].strip() for line in open(report, encoding="utf-8")
                   if line.startswith("CRASH")}
        for consumer, theirs in consumer_outputs(folder).items():
            raw = overlap(theirs, ours)
            stripped = overlap(text_only(theirs), text_only(ours))
            rows.append((stem, consumer, (raw, stripped, len(SPACED_CJK.findall(theirs)))))
        for consumer in crashed:
            rows.append((stem, consumer, None))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", required=True, help="an output tree of bench/output_identity.py")
    parser.add_argument("--harness", default=os.path.join(ROOT, "../shared/tools/middle-json-check/harness.py"))
    parser.add_argument("--sets", default="docling_pdf,docling_scanned,docling_office,images,layouts/pdf,"
                                          "layouts/scan,layouts/docx,omnidocbench_demo,olmocr_bench,perf")
    args = parser.parse_args()
    if not os.path.exists(args.harness):
        sys.exit(f"no harness at {args.harness}")
    for variable in ("MINERU_GIT", "APERAG_GIT", "APERAG_PROVENANCE_GIT"):
        if not os.environ.get(variable):
            sys.exit(f"{variable} is not set: the harness reads the consumers' sources from it")
    print("| set | consumer | files | crashes | < 0.98 raw | < 0.98 text | min precision / recall (text) | spaced CJK |")
    print("|---|---|---:|---:|---:|---:|---|---:|")
    below = []
    with tempfile.TemporaryDirectory() as tmp:
        for set_name in args.sets.split(","):
            rows = run_set(os.path.abspath(args.harness), os.path.abspath(args.tree), set_name,
                           os.path.join(tmp, set_name.replace("/", "_")))
            by_consumer = collections.defaultdict(list)
            for stem, consumer, figures in rows:
                by_consumer[consumer].append((stem, figures))
            for consumer, entries in sorted(by_consumer.items()):
                ran = [(stem, f) for stem, f in entries if f]
                raw_low = sum(1 for _, f in ran if min(f[0]) < THRESHOLD)
                stripped_low = [(stem, f[1]) for stem, f in ran if min(f[1]) < THRESHOLD]
                below += [(set_name, consumer, stem, f) for stem, f in stripped_low]
                low_p = min((f[1][0] for _, f in ran), default=0)
                low_r = min((f[1][1] for _, f in ran), default=0)
                spaced = sum(f[2] for _, f in ran)
                print(f"| {set_name} | {consumer} | {len(entries)} | {len(entries) - len(ran)} | {raw_low} | "
                      f"{len(stripped_low)} | {low_p:.3f} / {low_r:.3f} | {spaced} |")
    if below:
        print("\nUnder 0.98 in text (precision, recall):")
        for set_name, consumer, stem, (p, r) in below:
            print(f"- {set_name}/{stem} {consumer}: {p:.3f} {r:.3f}")


if __name__ == "__main__":
    main()
