#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// One page's words, in any order, as lines of text in reading direction:
// words gather into the line they continue nearest; a gap that several rows
// share is a gutter between columns and splits them; right-to-left lines
// are put in logical order; spaces come from the gaps between words.
QList<TextLine> buildLines(QList<TextSpan> words);

} // namespace DocRay
