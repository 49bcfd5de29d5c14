#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// A page's lines as blocks (paragraphs, list runs, headings to be): each
// line joins the block whose last line sits right above it, in the same
// size and weight, unless it leaves a list.
QList<TextBlock> groupLines(QList<TextLine> lines);

// Tesseract's paragraphs that run lines of code across a column gutter
// (columns of code, whose ragged edges hide the gutter from it): one
// block per column, left to right, each line cut where the gutter runs.
QList<TextBlock> splitAtColumnGutters(const QList<TextBlock> &blocks);

// Tesseract's paragraphs run list items, headings and listings into the
// text before them: a line that opens with a marker, or changes between
// bold and not or between code and prose, starts a block of its own.
QList<TextBlock> splitScannedParagraphs(const QList<TextBlock> &blocks);

// A list block's items: each starts at a line that opens with a bullet or
// a number; the lines after it continue that item.
QList<TextBlock> listItems(const TextBlock &list);

} // namespace DocRay
