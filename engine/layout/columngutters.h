#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// The whitespace that runs down between columns of text: tall empty
// rectangles along an edge many words start (or end) at, with lines of
// text facing each other across them. Found from the words themselves,
// before any line is built, so a gutter narrower than a justified word gap
// still keeps its columns apart; the word gaps of justified prose never
// line up for long, and the columns code aligns its comments in are as
// short as the listing.
QList<QRectF> findColumnGutters(const QList<TextSpan> &words);

// Whether a gutter runs between two boxes side by side on one row.
bool gutterBetween(const QList<QRectF> &gutters, const QRectF &left, const QRectF &right);

} // namespace DocRay
