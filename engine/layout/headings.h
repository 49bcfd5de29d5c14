#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// The size most of the document's characters are set in: the body.
double bodyFontSize(const QList<PageLayout> &pages);

// Text blocks typed as headings (Title, with a level) or lists: headings
// the PDF's outline names first; then short blocks set larger than the
// body, or set apart in bold (or italic Title Case); numbered headings take
// their level from the numbering, others from their size among all
// headings of the document; run-in headings are split off their paragraph.
void typeHeadings(QList<PageLayout> &pages, const QList<OutlineEntry> &outline, double bodySize);

} // namespace DocRay
