#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// One page's words, in any order, as lines of text in reading direction:
// words gather into the line they continue nearest, never across a column
// gutter (engine/layout/columngutters); right-to-left lines
// are put in logical order; spaces come from the gaps between words.
QList<TextLine> buildLines(QList<TextSpan> words);

} // namespace DocRay
