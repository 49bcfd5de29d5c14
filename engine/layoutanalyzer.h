#pragma once

#include "engine/pagelayout.h"

namespace DocRay {

// Turns each page's lines into typed blocks in reading order: paragraphs,
// headings (levels consistent across the whole document), and page furniture
// such as page numbers, which is kept but marked discarded.
class LayoutAnalyzer final
{
public:
    void analyze(QList<PageLayout> &pages) const;
};

} // namespace DocRay
