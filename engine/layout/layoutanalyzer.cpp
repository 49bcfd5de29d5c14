#include "engine/layout/layoutanalyzer.h"

#include "engine/layout/captions.h"
#include "engine/layout/code.h"
#include "engine/layout/contents.h"
#include "engine/layout/furniture.h"
#include "engine/layout/headings.h"
#include "engine/layout/readingorder.h"
#include "engine/layout/textblocks.h"
#include "engine/layout/textpatterns.h"

#include <algorithm>

namespace DocRay {

namespace {

// A table found on the page has its columns numbered left to right; one in
// a right-to-left script is read from its right column, and so written.
void numberColumnsInReadingOrder(TextBlock &table)
{
    QString text;
    for (const TableCell &cell : std::as_const(table.cells))
        text += cell.text;
    if (!isRightToLeft(text))
        return;
    for (TableCell &cell : table.cells)
        cell.column = table.columns - cell.column - cell.columnSpan;
    std::stable_sort(table.cells.begin(), table.cells.end(), [](const TableCell &a, const TableCell &b) {
        return a.row != b.row ? a.row < b.row : a.column < b.column;
    });
}

} // namespace

void LayoutAnalyzer::analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline) const
{
    const double bodySize = bodyFontSize(pages);
    for (PageLayout &page : pages) {
        for (TextBlock &region : page.regions)
            if (region.type == BlockType::Table)
                numberColumnsInReadingOrder(region);
        // Tesseract's own page analysis orders scanned pages better than
        // geometry can from its noisier boxes.
        if (page.method != ExtractionMethod::Ocr)
            page.blocks = inReadingOrder(groupLines(page.lines) + page.regions);
        else
            page.blocks = withRegions(splitScannedParagraphs(splitAtColumnGutters(page.blocks)), page.regions);
        page.regions.clear();
    }
    markFurniture(pages, bodySize);
    markCodeBlocks(pages, bodySize); // before anything reads a listing's lines as headings or lists
    for (PageLayout &page : pages)
        attachCaptions(page);
    markContentsEntries(pages); // before headings: a contents line is never one
    typeHeadings(pages, outline, bodySize);
    // The blocks hold every line now; keep one copy of a long document.
    for (PageLayout &page : pages)
        page.lines.clear();
}

} // namespace DocRay
