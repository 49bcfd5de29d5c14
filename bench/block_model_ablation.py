#!/usr/bin/env python3
"""Ablation of the block-role model: the layout rules alone against rules + model.

Usage:
    python3 bench/block_model_ablation.py [--binary build/bin/doc-ray] [--corpus ../shared/corpus]
        [--sets docling_pdf,omnidocbench_demo,olmocr_bench] [--out /tmp/ablation] [--jobs 2]

Every input of each set is converted twice, with `--params '{"block_model": false}'` (rules)
and `--params '{"block_model": true}'` (model), scored with the corpus' score.py, and the
means are printed side by side with the model's delta (positive = better for every metric,
so a lower-is-better metric's delta has its sign flipped). The report goes to OUT/ablation.md.
"""
import argparse
import concurrent.futures
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import quality_bench as qb  # noqa: E402

VARIANTS = [("rules", '{"block_model": false}'), ("model", '{"block_model": true}')]
METRICS = [
    ("heading_f1", "heading F1", False),
    ("heading_f1_level", "heading F1 with level", False),
    ("text_edit", "text edit distance", True),
    ("paragraph_recall", "paragraph recall", False),
    ("reading_order_edit", "reading order edit", True),
    ("list_item_recall", "list item recall", False),
    ("table_count_match", "table count match", False),
    ("table_cell_f1", "table cell F1", False),
    ("olmocr_pass_rate", "olmOCR pass rate", False),
]


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default="build/bin/doc-ray")
    ap.add_argument("--corpus", default="../shared/corpus")
    ap.add_argument("--sets", default="docling_pdf,omnidocbench_demo,olmocr_bench")
    ap.add_argument("--out")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args(argv)
    binary, corpus = qb.resolve(args.binary), qb.resolve(args.corpus)
    score_py = os.path.join(corpus, "score.py")
    out = args.out or tempfile.mkdtemp(prefix="block-ablation-")
    lines = ["# Block-role model ablation", "",
             "| set | metric | rules | model | delta (+ = model better) |", "|---|---|---|---|---|"]
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        for set_name in args.sets.split(","):
            gt_dir = os.path.join(corpus, set_name)
            inputs, _ = qb.list_set(gt_dir)
            scores = {}
            for variant, params in VARIANTS:
                print("%-6s %-18s converting %d files ..." % (variant, set_name, len(inputs)), flush=True)
                pred_dir = os.path.join(out, variant, set_name)

                def convert(src, dst, params=params):
                    return qb.convert_docray(binary, src, dst, args.timeout, params)

                _, failures, _ = qb.convert_set("doc-ray", convert, inputs, pred_dir, pool)
                for name, error in failures:
                    print("  failed: %s: %s" % (name, error))
                json_dir = os.path.join(out, "scores", variant)
                os.makedirs(json_dir, exist_ok=True)
                scores[variant] = qb.score_set(score_py, pred_dir, gt_dir, os.path.join(json_dir, set_name + ".json"))
            for key, label, lower_better in METRICS:
                rules, model = qb.metric_value(scores["rules"], key), qb.metric_value(scores["model"], key)
                if rules is None and model is None:
                    continue
                delta = None if rules is None or model is None else (rules - model if lower_better else model - rules)
                lines.append("| %s | %s | %s | %s | %s |" % (set_name, label, qb.fmt(rules), qb.fmt(model),
                                                             "-" if delta is None else "%+.3f" % delta))
    report = "\n".join(lines) + "\n"
    print(report)
    with open(os.path.join(out, "ablation.md"), "w", encoding="utf-8") as f:
        f.write(report)
    print("written to %s" % os.path.join(out, "ablation.md"))


if __name__ == "__main__":
    main()
