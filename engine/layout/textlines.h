#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// One page's words, in any order, as lines of text in reading direction:
// words gather into the line they continue nearest, never across a column
// gutter (engine/layout/columngutters); right-to-left lines
// are put in logical order; spaces come from the gaps between words.
QList<TextLine> buildLines(QList<TextSpan> words);

// A line another reader built (Tesseract's, on a scan) cut where a column
// gutter runs through it, left to right.
QList<TextLine> cutAtGutters(const TextLine &line, const QList<QRectF> &gutters);

} // namespace DocRay
