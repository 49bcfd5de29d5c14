#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Page geometry to document structure, in the steps the files beside this
// one hold: words into lines (textlines), lines into blocks (textblocks),
// blocks into reading order (readingorder), page furniture (furniture),
// figure captions (captions), then headings with levels consistent across
// the whole document (headings).
class LayoutAnalyzer final
{
public:
    void analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline = {}) const;
};

} // namespace DocRay
