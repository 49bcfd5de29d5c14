#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// A page's blocks in reading order, by recursive XY cuts: columns first
// (read the way the script runs), then bands across the page, bands that
// continue the same columns read as one region; forms and tables, whose
// blocks line up row by row, are read row by row.
QList<TextBlock> inReadingOrder(const QList<TextBlock> &blocks);

// Scanned pages keep Tesseract's paragraph order: a table or figure goes
// before the first paragraph of its column that starts below it.
QList<TextBlock> withRegions(QList<TextBlock> blocks, const QList<TextBlock> &regions);

} // namespace DocRay
