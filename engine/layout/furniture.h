#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Page numbers and running headers and footers: text blocks in the top or
// bottom margin band that read as page numbers, repeat on many pages (in
// type no larger than the body), or share a row with a page number. They
// are kept, as Discarded blocks.
void markFurniture(QList<PageLayout> &pages, double bodySize);

} // namespace DocRay
