#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// A figure's caption: a block that opens with "Figure 3:", "Fig. 2.", "图 1" and
// the like, right below the figure (or right above it), overlapping it
// sideways. It moves into the figure block.
void attachCaptions(PageLayout &page);

} // namespace DocRay
