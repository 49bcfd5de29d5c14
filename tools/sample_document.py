#!/usr/bin/python3
"""Writes a small two-page report PDF with a real text layer (headings,
paragraphs, a list, a ruled table, running footers) for tools/screenshots.sh
and tools/web-screenshots.sh.
Usage: sample_document.py OUT.pdf"""
import sys

import fitz  # Debian's python3-fitz (PyMuPDF)

PAGES = [
    [
        ("title", "Quarterly Field Report"),
        ("text", "This report summarises the measurements taken at the three river stations "
                 "between April and June. All readings were logged every fifteen minutes and "
                 "checked against the calibration sheets before they were entered."),
        ("heading", "Key findings"),
        ("item", "Water levels at the northern station stayed within the seasonal band."),
        ("item", "Turbidity rose after the storm on 14 May and settled within a week."),
        ("item", "Two sensors were replaced; their gaps are marked in the appendix."),
        ("heading", "Method"),
        ("text", "Each station carries a pressure sensor, a turbidity probe and a logger. The "
                 "loggers were read out on site, and the raw files were merged into one table "
                 "per station. Outliers beyond four standard deviations were reviewed by hand."),
    ],
    [
        ("text", "Table 1: Mean readings per station over the quarter."),
        ("table", [["Station", "Level (m)", "Turbidity (NTU)", "Readings"],
                   ["North", "2.41", "12", "8,736"],
                   ["Centre", "1.97", "18", "8,702"],
                   ["South", "1.52", "25", "8,650"]]),
        ("heading", "Discussion"),
        ("text", "The spring melt arrived two weeks earlier than last year, which shifted the "
                 "peak flow into April. The storm in May was the only event that pushed "
                 "turbidity above the warning threshold, and only for two days."),
        ("heading", "Next steps"),
        ("item", "Install a second logger at the southern station for redundancy."),
        ("item", "Move the quarterly read-out to the first week of the month."),
        ("text", "Questions about this report go to the monitoring team."),
    ],
]

STYLE = {
    "title": ("hebo", 22, 14),
    "heading": ("hebo", 15, 8),
    "text": ("tiro", 11, 10),
    "item": ("tiro", 11, 4),
}


def draw_table(page, top, rows):
    """A grid of rules with the cells' text; returns the table's bottom."""
    left, width, height = 72, 112, 20
    right = left + width * len(rows[0])
    for r, row in enumerate(rows):
        y = top + r * height
        page.draw_line((left, y), (right, y), width=0.6)
        for c, cell in enumerate(row):
            font = "hebo" if r == 0 else "tiro"
            page.insert_text((left + c * width + 5, y + 14), cell, fontname=font, fontsize=10)
    bottom = top + len(rows) * height
    page.draw_line((left, bottom), (right, bottom), width=0.6)
    for c in range(len(rows[0]) + 1):
        page.draw_line((left + c * width, top), (left + c * width, bottom), width=0.6)
    return bottom


def main(out):
    doc = fitz.open()
    for number, blocks in enumerate(PAGES, start=1):
        page = doc.new_page(width=595, height=842)
        y = 72
        for kind, text in blocks:
            if kind == "table":
                y = draw_table(page, y, text) + 16
                continue
            font, size, gap = STYLE[kind]
            left = 90 if kind == "item" else 72
            if kind == "item":
                page.insert_text((76, y + size), "\u2022", fontname="tiro", fontsize=size)
            box = fitz.Rect(left, y, 523, y + 400)
            rest = page.insert_textbox(box, text, fontname=font, fontsize=size, lineheight=1.35)
            used = 400 - rest
            y += used + gap + (6 if kind != "item" else 0)
        page.insert_text((72, 800), "River monitoring \u2014 Q2", fontname="tiro", fontsize=9)
        page.insert_text((500, 800), "Page %d" % number, fontname="tiro", fontsize=9)
    doc.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
