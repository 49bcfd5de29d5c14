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
// Words within `flush` points of one another's edge are set flush: a
// text layer's to a point, a scan's as far as its boxes are true.
QList<QRectF> findColumnGutters(const QList<TextSpan> &words, double flush = 1.0);

// Whether a gutter runs between two boxes side by side on one row.
bool gutterBetween(const QList<QRectF> &gutters, const QRectF &left, const QRectF &right);

} // namespace DocRay
