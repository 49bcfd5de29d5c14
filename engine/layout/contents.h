#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Entries of a table of contents or an index: a title, dot leaders (or an
// ellipsis, or a rule of underscores) and a page number, "Introduction . . . 1".
bool isContentsEntry(const QString &line);

// Text blocks made mostly of contents entries become Index blocks: never
// headings (as their type and numbering would suggest), written as a list
// of entries with their page numbers.
void markContentsEntries(PageLayout &page);

} // namespace DocRay
