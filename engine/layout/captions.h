#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// A figure's or a table's caption: a block that opens with "Figure 3:",
// "Fig. 2.", "图 1", "Table 2", "表 1" and the like, right below or right
// above it and overlapping it sideways, moves into the figure or table block
// (figures prefer the caption below, tables the one above). A short note
// right under either ("Note: …", "Source: …", "注：…") moves in as its
// footnote.
void attachCaptions(PageLayout &page);

} // namespace DocRay
