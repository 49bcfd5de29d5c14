#pragma once

#include "engine/core/pagelayout.h"
#include "engine/layout/furniture.h"
#include "engine/layout/headings.h"
#include "engine/layout/pagespill.h"

#include <functional>

namespace DocRay {

// Page geometry to document structure, in the steps the files beside this
// one hold: words into lines (textlines), lines into blocks (textblocks),
// blocks into reading order (readingorder), page furniture (furniture),
// code (code), figure captions (captions), contents entries (contents),
// then headings with levels consistent across the whole document
// (headings).
//
// A document streams through: each page is grouped as it is added and kept
// deflated (PageSpill) until every page is known; finish() then runs the
// document-wide passes page by page and hands each page out, so a long
// document never has all its pages in memory. Owned by one thread.
class LayoutAnalyzer final
{
public:
    // Pages past the first `heldPages` are kept deflated (PageSpill).
    explicit LayoutAnalyzer(qsizetype heldPages = PageSpill::kHeldPages)
        : m_pages(heldPages)
    {
    }

    // The pages in document order, as read.
    void addPage(PageLayout page);

    // `structured` sees every page once its blocks are final (heading
    // levels aside), in order; then `take` gets every page, analysed, in
    // order, to keep or write and release. The analyzer is spent after.
    void finish(const QList<OutlineEntry> &outline, const std::function<void(const PageLayout &)> &structured,
                const std::function<void(PageLayout &)> &take);

    // A whole document at once, in place.
    static void analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline = {});

private:
    void structure(double bodySize, HeadingTyper &headings, const std::function<void(const PageLayout &)> &structured);

    PageSpill m_pages;
    BodySize m_bodySize;
    FurnitureCounts m_furniture;
};

} // namespace DocRay
