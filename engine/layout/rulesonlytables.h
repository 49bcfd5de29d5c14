#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Tables set between horizontal rules alone (LaTeX's booktabs, pandoc's):
// a rule over the table, often one under its header, one under the table,
// all as wide as each other, and no rule down it. Columns are the blank
// that runs down every line between the rules; a row of the body starts
// where its first column does, so cells set over several lines stay whole;
// the lines over the header's rule are one header row. `paint` is what the
// page draws besides its words, in points. Returns Table blocks with their
// grid and cell boxes; the caller fills the cells from the lines.
QList<TextBlock> findRulesOnlyTables(const QList<TextLine> &lines, const QList<QRectF> &paint);

} // namespace DocRay
