#!/usr/bin/env python3
"""Quality benchmark: doc-ray against plain text extractors on the dev corpus.

Usage:
    python3 bench/quality_bench.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus]
        [--out /tmp/quality]
        [--sets docling_pdf,docling_scanned,docling_office,images,omnidocbench_demo,olmocr_bench]
        [--peers pdftotext,pymupdf,tesseract] [--jobs 2] [--timeout 120]
        [--params '{"scan_cleanup": false}']

Paths are relative to the repository root (the parent of bench/). Without --out a
temporary directory is used and kept, so the outputs can be inspected afterwards.

Every input of every chosen corpus set is converted by each tool into
OUT/<tool>/<set>/<name>.md (doc-ray) or <name>.txt (peers):

    doc-ray    `doc-ray convert INPUT -o OUT.md` (QT_QPA_PLATFORM=offscreen, OMP_THREAD_LIMIT=1),
               with `--params JSON` when given (e.g. to compare a parser parameter on and off)
    doc-ray-lo the same with `--params '{"docx_native": false}'`: DOCX through LibreOffice and
               the PDF reader instead of the native DOCX reader; sets with .docx inputs only
    pdftotext  poppler's pdftotext in its default reading-order mode (no -layout); PDF sets only
    pymupdf    PyMuPDF `page.get_text()` per page, run by Debian's /usr/bin/python3
               (package python3-fitz); PDF sets only
    tesseract  `tesseract INPUT stdout -l eng`; image-only PDFs are rendered with
               `pdftoppm -r 300 -png` first and the pages OCRed one by one. Applies to sets
               whose inputs are all images or image-only PDFs

A failed or timed-out conversion leaves an empty prediction; it is counted and listed.
Each (tool, set) is then scored with the corpus' score.py (batch mode, JSON rows), and the
script prints one table per metric (rows = sets, columns = tools, best cell marked `*`),
per-file text edit distance of doc-ray against the best peer of each set, the failures and
the conversion time per tool and set. The same report is written to OUT/summary.md.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_SETS = "docling_pdf,docling_scanned,docling_office,images,omnidocbench_demo,olmocr_bench"
DEFAULT_PEERS = "pdftotext,pymupdf,tesseract"
IMAGE_EXTS = {".tif", ".tiff", ".png", ".jpg", ".jpeg", ".webp", ".bmp", ".gif"}
GT_SUFFIXES = (".tests.jsonl", ".md", ".txt")
SYSTEM_PYTHON = "/usr/bin/python3"
PYMUPDF_SNIPPET = (
    "import sys, fitz\n"
    "doc = fitz.open(sys.argv[1])\n"
    "text = '\\n'.join(page.get_text() for page in doc)\n"
    "open(sys.argv[2], 'w', encoding='utf-8').write(text)\n"
)

# (score.py summary key, label, lower is better), grouped as printed.
METRIC_GROUPS = [
    ("Text", [
        ("text_edit", "text edit distance (mean per file)", True),
        ("text_edit_whole", "text edit distance over all characters of the set", True),
        ("text_edit_ws", "text edit distance, whitespace-only normalization", True),
        ("paragraph_recall", "paragraph recall", False),
        ("reading_order_edit", "reading order edit distance", True),
    ]),
    ("Structure", [
        ("heading_f1", "heading F1", False),
        ("heading_f1_level", "heading F1 with level", False),
        ("table_count_match", "table count match", False),
        ("table_cell_f1", "table cell F1", False),
        ("list_item_recall", "list item recall", False),
    ]),
    ("olmOCR-bench unit tests", [
        ("olmocr_pass_rate", "olmOCR test pass rate", False),
    ]),
]


# ----------------------------------------------------------------------------------------------
# corpus
# ----------------------------------------------------------------------------------------------
def split_gt_name(filename):
    """Return the document name of a ground-truth file, or None if it is not one."""
    if filename.lower() in ("readme.md", "index.md"):
        return None
    for suffix in GT_SUFFIXES:
        if filename.endswith(suffix):
            return filename[:-len(suffix)]
    return None


def list_set(set_dir):
    """Inputs of a set that have ground truth: [(name, path)], plus notes about unpaired files."""
    files = sorted(os.listdir(set_dir))
    gt_names = {n for n in map(split_gt_name, files) if n is not None}
    inputs, notes = [], []
    for filename in files:
        if split_gt_name(filename) is not None:
            continue
        name = filename.rsplit(".", 1)[0]
        if name in gt_names:
            inputs.append((name, os.path.join(set_dir, filename)))
        else:
            notes.append("%s has no ground truth, not converted" % filename)
    for name in sorted(gt_names - {n for n, _ in inputs}):
        notes.append("ground truth %s has no input (scored as empty)" % name)
    return inputs, notes


def is_image(path):
    return os.path.splitext(path)[1].lower() in IMAGE_EXTS


def is_pdf(path):
    return path.lower().endswith(".pdf")


def pdf_has_text(path):
    """True if pdftotext finds any letter or digit in the PDF's text layer."""
    try:
        proc = subprocess.run(["pdftotext", path, "-"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return any(ch.isalnum() for ch in proc.stdout.decode("utf-8", "replace"))


# ----------------------------------------------------------------------------------------------
# running one conversion
# ----------------------------------------------------------------------------------------------
def run_command(cmd, timeout, env=None):
    """Run cmd; return (ok, stdout bytes, error line). Retries once if the binary is busy."""
    for attempt in range(2):
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=timeout, env=env,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return False, b"", "timeout after %d s" % timeout
        except OSError as err:
            if attempt == 0:
                time.sleep(2)
                continue
            return False, b"", "cannot start: %s" % err
        stderr = proc.stderr.decode("utf-8", "replace")
        if proc.returncode != 0 and attempt == 0 and "text file busy" in stderr.lower():
            time.sleep(2)
            continue
        if proc.returncode != 0:
            return False, proc.stdout, "exit %d: %s" % (proc.returncode, last_line(stderr))
        return True, proc.stdout, ""
    return False, b"", "unreachable"


def last_line(text):
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else "(no stderr)"


def write_text(path, data):
    with open(path, "wb") as f:
        f.write(data)


def convert_docray(binary, src, dst, timeout, params=None):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", OMP_THREAD_LIMIT="1")
    cmd = [binary, "convert", src, "-o", dst] + (["--params", params] if params else [])
    ok, _, err = run_command(cmd, timeout, env)
    if not ok or not os.path.exists(dst):
        write_text(dst, b"")
        return False, err or "no output file written"
    return True, ""


def convert_pdftotext(src, dst, timeout):
    ok, _, err = run_command(["pdftotext", src, dst], timeout)
    if not ok:
        write_text(dst, b"")
    return ok, err


def convert_pymupdf(src, dst, timeout):
    ok, _, err = run_command([SYSTEM_PYTHON, "-c", PYMUPDF_SNIPPET, src, dst], timeout)
    if not ok:
        write_text(dst, b"")
    return ok, err


def convert_tesseract(src, dst, timeout):
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    if not is_pdf(src):
        ok, out, err = run_command(["tesseract", src, "stdout", "-l", "eng"], timeout, env)
        write_text(dst, out if ok else b"")
        return ok, err
    deadline = time.monotonic() + timeout
    with tempfile.TemporaryDirectory(prefix="qb-pages-") as tmp:
        ok, _, err = run_command(["pdftoppm", "-r", "300", "-png", src, os.path.join(tmp, "p")],
                                 timeout, env)
        pages = sorted(os.listdir(tmp), key=lambda f: (len(f), f)) if ok else []
        texts = []
        for page in pages:
            left = int(deadline - time.monotonic())
            if left <= 0:
                ok, err = False, "timeout after %d s" % timeout
                break
            ok, out, err = run_command(["tesseract", os.path.join(tmp, page), "stdout",
                                        "-l", "eng"], left, env)
            if not ok:
                break
            texts.append(out)
    write_text(dst, b"\n".join(texts) if ok else b"")
    return ok, err


# ----------------------------------------------------------------------------------------------
# tools
# ----------------------------------------------------------------------------------------------
def pymupdf_available():
    if not os.path.exists(SYSTEM_PYTHON):
        return False
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import fitz"], capture_output=True)
    return probe.returncode == 0


def first_output_line(cmd):
    try:
        proc = subprocess.run(cmd, capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (proc.stdout + proc.stderr).decode("utf-8", "replace").strip().splitlines()
    return lines[0] if lines else "unknown"


def tool_versions(binary, peers):
    versions = {"doc-ray": first_output_line([binary, "--version"]),
                "doc-ray-lo": "doc-ray with docx_native=false (DOCX via LibreOffice %s)"
                              % first_output_line(["soffice", "--version"])}
    if "pdftotext" in peers:
        versions["pdftotext"] = (first_output_line(["pdftotext", "-v"]) +
                                 ", default reading-order mode (no -layout)")
    if "pymupdf" in peers:
        versions["pymupdf"] = ("PyMuPDF " + first_output_line(
            [SYSTEM_PYTHON, "-c", "import fitz; print(fitz.VersionBind)"]) +
            ", page.get_text() per page")
    if "tesseract" in peers:
        versions["tesseract"] = (first_output_line(["tesseract", "--version"]) +
                                 ", -l eng, default page segmentation; PDFs via pdftoppm -r 300")
    return versions


def peer_applies(peer, inputs, image_only_pdfs):
    """Whether a peer can handle every input of a set."""
    paths = [p for _, p in inputs]
    if peer == "doc-ray-lo":
        return any(p.lower().endswith(".docx") for p in paths)
    if peer in ("pdftotext", "pymupdf"):
        return all(is_pdf(p) for p in paths)
    if peer == "tesseract":
        return all(is_image(p) or p in image_only_pdfs for p in paths)
    return False


def make_converter(tool, binary, timeout, params=None):
    if tool == "doc-ray":
        return lambda src, dst: convert_docray(binary, src, dst, timeout, params)
    if tool == "doc-ray-lo":
        return lambda src, dst: convert_docray(binary, src, dst, timeout, '{"docx_native": false}')
    return {
        "pdftotext": lambda src, dst: convert_pdftotext(src, dst, timeout),
        "pymupdf": lambda src, dst: convert_pymupdf(src, dst, timeout),
        "tesseract": lambda src, dst: convert_tesseract(src, dst, timeout),
    }[tool]


# ----------------------------------------------------------------------------------------------
# conversion and scoring of a set
# ----------------------------------------------------------------------------------------------
def timed(convert, src, dst):
    start = time.monotonic()
    ok, err = convert(src, dst)
    return ok, err, time.monotonic() - start


def convert_set(tool, convert, inputs, pred_dir, pool):
    """Convert all inputs; return (sum of per-file seconds, [(file, error)], [empty outputs])."""
    if os.path.isdir(pred_dir):
        shutil.rmtree(pred_dir)
    os.makedirs(pred_dir)
    ext = ".md" if tool.startswith("doc-ray") else ".txt"
    futures = {pool.submit(timed, convert, src, os.path.join(pred_dir, name + ext)): (name, src)
               for name, src in inputs}
    seconds, failures, empty = 0.0, [], []
    for future in concurrent.futures.as_completed(futures):
        name, src = futures[future]
        ok, err, took = future.result()
        seconds += took
        if not ok:
            failures.append((os.path.basename(src), err))
        elif is_blank(os.path.join(pred_dir, name + ext)):
            empty.append(os.path.basename(src))
    return seconds, sorted(failures), sorted(empty)


def is_blank(path):
    with open(path, "rb") as f:
        return not f.read().strip()


def score_set(score_py, pred_dir, gt_dir, json_path):
    """Run score.py in batch mode; return its JSON ({'summary': ..., 'rows': [...]}) or None."""
    cmd = [sys.executable, score_py, "--pred-dir", pred_dir, "--gt-dir", gt_dir,
           "--json", json_path, "--summary-only"]
    proc = subprocess.run(cmd, capture_output=True)
    if proc.returncode != 0 or not os.path.exists(json_path):
        print("score.py failed for %s: %s" % (pred_dir, last_line(proc.stderr.decode("utf-8",
                                                                                       "replace"))))
        return None
    with open(json_path, encoding="utf-8") as f:
        return json.load(f)


def metric_value(score, key):
    if score is None:
        return None
    if key == "text_edit_whole":
        return score["summary"].get("text_edit_whole")
    return score["summary"]["mean"].get(key)


# ----------------------------------------------------------------------------------------------
# report
# ----------------------------------------------------------------------------------------------
def fmt(value):
    return "-" if value is None else "%.3f" % value


def metric_table(key, label, lower_better, sets, tools, scores, applies):
    """Markdown table for one metric, or [] when no cell has a value."""
    rows = []
    for set_name in sets:
        values = {t: metric_value(scores.get((t, set_name)), key) for t in tools}
        present = [v for v in values.values() if v is not None]
        if not present:
            continue
        # a row where every tool ties marks nothing
        best = None if len(set(present)) == 1 else (min(present) if lower_better else max(present))
        cells = []
        for t in tools:
            if not applies.get((t, set_name)):
                cells.append("n/a")
            elif values[t] is None:
                cells.append("-")
            else:
                cells.append(fmt(values[t]) + ("*" if values[t] == best else ""))
        rows.append("| %s | %s |" % (set_name, " | ".join(cells)))
    if not rows:
        return []
    arrow = "lower is better" if lower_better else "higher is better"
    return ["#### %s, %s" % (label, arrow), "",
            "| set | %s |" % " | ".join(tools), "|---|" + "---|" * len(tools)] + rows + [""]


def per_file_key(score):
    """The per-file metric to compare: text edit distance, else olmOCR pass rate."""
    rows = score["rows"] if score else []
    if any(r.get("text_edit") is not None for r in rows):
        return "text_edit", True
    return "olmocr_pass_rate", False


def best_peer(set_name, peers, scores, applies):
    key, lower_better = per_file_key(scores.get(("doc-ray", set_name)))
    candidates = [(metric_value(scores.get((p, set_name)), key), p) for p in peers
                  if applies.get((p, set_name))]
    candidates = [(v, p) for v, p in candidates if v is not None]
    if not candidates:
        return None
    return (min(candidates) if lower_better else max(candidates))[1]


def per_file_table(set_name, peers, scores, applies):
    """doc-ray vs. the set's best peer, file by file, doc-ray's worst first."""
    ours = scores.get(("doc-ray", set_name))
    if ours is None:
        return []
    key, lower_better = per_file_key(ours)
    peer = best_peer(set_name, peers, scores, applies)
    peer_rows = {r["file"]: r.get(key) for r in scores[(peer, set_name)]["rows"]} if peer else {}
    rows = sorted(ours["rows"], key=lambda r: -1 if r.get(key) is None else r[key],
                  reverse=lower_better)
    lines = ["#### %s: %s per file (%s), doc-ray vs. %s" % (
        set_name, key, "lower is better" if lower_better else "higher is better",
        peer or "no peer"), "",
        "| file | doc-ray | %s | doc-ray - peer |" % (peer or "peer"), "|---|---|---|---|"]
    for r in rows:
        mine, theirs = r.get(key), peer_rows.get(r["file"])
        delta = "%+.3f" % (mine - theirs) if mine is not None and theirs is not None else "-"
        lines.append("| %s | %s | %s | %s |" % (r["file"], fmt(mine), fmt(theirs), delta))
    return lines + [""]


# Pictures in markdown: `![...](...)`, and docling's `<!-- image -->` placeholder.
IMAGE_MARK = re.compile(r"!\[[^\]]*\]\([^)]*\)|<!-- image -->")


def count_images(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return len(IMAGE_MARK.findall(f.read()))
    except OSError:
        return 0


def figure_table(sets, ctx):
    """Figures doc-ray wrote against the pictures the references mark, per set."""
    lines = ["#### figures: found by doc-ray / marked in the references", "",
             "| set | doc-ray | reference | files with the same count |", "|---|---|---|---|"]
    for set_name in sets:
        found = marked = same = 0
        for name, _ in ctx["inputs"][set_name]:
            gt = [f for f in os.listdir(os.path.join(ctx["corpus"], set_name)) if split_gt_name(f) == name]
            ours = count_images(os.path.join(ctx["out"], "doc-ray", set_name, name + ".md"))
            theirs = count_images(os.path.join(ctx["corpus"], set_name, gt[0])) if gt else 0
            found, marked, same = found + ours, marked + theirs, same + (ours == theirs)
        if marked:
            lines.append("| %s | %d | %d | %d of %d |" % (set_name, found, marked, same, len(ctx["inputs"][set_name])))
    return lines + [""]


def timing_table(sets, tools, timings, applies):
    lines = ["#### conversion time per set (sum of per-file wall seconds)", "",
             "| set | %s |" % " | ".join(tools), "|---|" + "---|" * len(tools)]
    for set_name in sets:
        cells = ["%.1f" % timings[(t, set_name)] if applies.get((t, set_name)) else "n/a"
                 for t in tools]
        lines.append("| %s | %s |" % (set_name, " | ".join(cells)))
    return lines + [""]


def failure_lines(tools, sets, failures, empties):
    """Every failure in full; empty doc-ray outputs by file, empty peer outputs as counts."""
    lines = ["#### failures and empty outputs", ""]
    for t in tools:
        for s in sets:
            for filename, err in failures.get((t, s), []):
                lines.append("- %s %s/%s: FAILED, %s" % (t, s, filename, err))
            empty = empties.get((t, s), [])
            if t == "doc-ray":
                lines += ["- doc-ray %s/%s: empty output" % (s, f) for f in empty]
            elif empty:
                lines.append("- %s %s: %d of the files gave empty output" % (t, s, len(empty)))
    if len(lines) == 2:
        lines.append("none")
    return lines + [""]


def build_report(ctx):
    tools, sets = ctx["tools"], ctx["sets"]
    lines = ["# doc-ray quality benchmark", ""]
    lines += ["- %s: %s" % (t, v) for t, v in ctx["versions"].items()]
    lines += ["- corpus: %s" % ctx["corpus"], "- outputs: %s" % ctx["out"],
              "- files: " + ", ".join("%s %d" % (s, ctx["counts"][s]) for s in sets)]
    lines += ["- note: " + n for n in ctx["notes"]]
    n_failed = sum(len(ctx["failures"].get(("doc-ray", s), [])) for s in sets)
    lines += ["- doc-ray failures: %d of %d files" % (n_failed, sum(ctx["counts"].values())), ""]
    for group, metrics in METRIC_GROUPS:
        tables = []
        for key, label, lower_better in metrics:
            tables += metric_table(key, label, lower_better, sets, tools, ctx["scores"],
                                   ctx["applies"])
        if tables:
            lines += ["## %s" % group, ""] + tables
    lines += ["## Figures", ""] + figure_table(sets, ctx)
    lines += ["## Per file: doc-ray vs. best peer", ""]
    for s in sets:
        lines += per_file_table(s, ["doc-ray-lo"] + ctx["peers"], ctx["scores"], ctx["applies"])
    lines += ["## Runs", ""]
    lines += timing_table(sets, tools, ctx["timings"], ctx["applies"])
    lines += failure_lines(tools, sets, ctx["failures"], ctx["empties"])
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# main
# ----------------------------------------------------------------------------------------------
def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default="build/bin/doc-ray")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--out", help="output directory (default: a new temporary directory)")
    ap.add_argument("--sets", default=DEFAULT_SETS)
    ap.add_argument("--peers", default=DEFAULT_PEERS, help="any of " + DEFAULT_PEERS)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120, help="seconds per file and tool")
    ap.add_argument("--params", help="parser_params JSON for the doc-ray column, e.g. '{\"scan_cleanup\": false}'")
    return ap.parse_args(argv)


def resolve(path):
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(REPO_ROOT, path))


def choose_peers(requested, notes):
    peers = []
    for peer in requested:
        if peer not in DEFAULT_PEERS.split(","):
            raise SystemExit("unknown peer %r (choose from %s)" % (peer, DEFAULT_PEERS))
        if peer == "pymupdf" and not pymupdf_available():
            print("pymupdf: `import fitz` fails under %s (install python3-fitz); peer unavailable"
                  % SYSTEM_PYTHON)
            notes.append("pymupdf unavailable (python3-fitz not installed)")
            continue
        if peer != "pymupdf" and shutil.which(peer) is None:
            print("%s: not on PATH; peer unavailable" % peer)
            notes.append("%s unavailable (not installed)" % peer)
            continue
        peers.append(peer)
    return peers


def main(argv=None):
    args = parse_args(argv)
    binary, corpus = resolve(args.binary), resolve(args.corpus)
    if not os.path.isdir(corpus):
        raise SystemExit("corpus not found at %s; this benchmark needs the dev corpus" % corpus)
    if not os.access(binary, os.X_OK):
        raise SystemExit("doc-ray binary not found at %s; build it first" % binary)
    score_py = os.path.join(corpus, "score.py")
    out = os.path.abspath(args.out) if args.out else tempfile.mkdtemp(prefix="quality-")
    notes = ["doc-ray parser_params: %s" % args.params] if args.params else []
    peers = choose_peers([p for p in args.peers.split(",") if p], notes)
    tools = ["doc-ray", "doc-ray-lo"] + peers
    sets = [s for s in args.sets.split(",") if s]
    for s in sets:
        if not os.path.isdir(os.path.join(corpus, s)):
            raise SystemExit("set %s not found in %s" % (s, corpus))

    ctx = {"tools": tools, "peers": peers, "sets": sets, "corpus": corpus, "out": out,
           "notes": notes, "versions": tool_versions(binary, peers), "counts": {}, "inputs": {},
           "scores": {}, "applies": {}, "timings": {}, "failures": {}, "empties": {}}
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        for s in sets:
            run_set(s, ctx, corpus, out, binary, score_py, args, pool)
    report = build_report(ctx)
    report += "\ntotal run time: %.1f s (--jobs %d)\n" % (time.monotonic() - started, args.jobs)
    with open(os.path.join(out, "summary.md"), "w", encoding="utf-8") as f:
        f.write(report)
    print(report)
    print("summary written to %s" % os.path.join(out, "summary.md"))


def run_set(set_name, ctx, corpus, out, binary, score_py, args, pool):
    gt_dir = os.path.join(corpus, set_name)
    inputs, set_notes = list_set(gt_dir)
    ctx["counts"][set_name] = len(inputs)
    ctx["inputs"][set_name] = inputs
    ctx["notes"].extend("%s: %s" % (set_name, n) for n in set_notes)
    image_only = {p for _, p in inputs if is_pdf(p) and not pdf_has_text(p)}
    mixed = image_only and not all(p in image_only for _, p in inputs if is_pdf(p))
    if mixed and "tesseract" in ctx["peers"]:
        ctx["notes"].append("%s: tesseract n/a, the set mixes text PDFs with image-only ones (%s)"
                            % (set_name, ", ".join(sorted(map(os.path.basename, image_only)))))
    for tool in ctx["tools"]:
        applies = tool == "doc-ray" or peer_applies(tool, inputs, image_only)
        ctx["applies"][(tool, set_name)] = applies
        ctx["timings"][(tool, set_name)] = 0.0
        if not applies:
            continue
        print("%-10s %-18s converting %d files ..." % (tool, set_name, len(inputs)), flush=True)
        pred_dir = os.path.join(out, tool, set_name)
        convert = make_converter(tool, binary, args.timeout, args.params)
        seconds, failures, empty = convert_set(tool, convert, inputs, pred_dir, pool)
        ctx["timings"][(tool, set_name)] = seconds
        ctx["failures"][(tool, set_name)] = failures
        ctx["empties"][(tool, set_name)] = empty
        json_dir = os.path.join(out, "scores", tool)
        os.makedirs(json_dir, exist_ok=True)
        ctx["scores"][(tool, set_name)] = score_set(
            score_py, pred_dir, gt_dir, os.path.join(json_dir, set_name + ".json"))


if __name__ == "__main__":
    main()
