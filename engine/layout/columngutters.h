#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// The whitespace that runs down between columns of text: tall empty
// rectangles among a page's words with text lines standing on both sides.
// Found from the words themselves, before any line is built, so a gutter
// narrower than a justified word gap still keeps its columns apart; the
// word gaps of justified prose never line up for long.
QList<QRectF> findColumnGutters(const QList<TextSpan> &words);

// Whether a gutter runs between two boxes side by side on one row.
bool gutterBetween(const QList<QRectF> &gutters, const QRectF &left, const QRectF &right);

} // namespace DocRay
