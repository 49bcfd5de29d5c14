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
#include <deque>
#include <utility>

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

void LayoutAnalyzer::addPage(PageLayout page)
{
    m_bodySize.count(page);
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
    // The blocks hold every line now; keep one copy.
    page.lines.clear();
    m_furniture.count(page);
    m_pages.append(page);
}

void LayoutAnalyzer::finish(const QList<OutlineEntry> &outline,
                            const std::function<void(const PageLayout &)> &structured,
                            const std::function<void(PageLayout &)> &take)
{
    const double bodySize = m_bodySize.size();
    HeadingTyper headings(outline, bodySize);
    structure(bodySize, headings, structured);
    for (qsizetype index = 0; index < m_pages.size(); ++index) {
        PageLayout page = m_pages.take(index);
        headings.levelPage(page);
        take(page);
    }
    m_pages = PageSpill(0);
}

// Furniture and code first, each page with the pages around it in a window
// (a page of code alone borrows its column's edge from them), then
// captions, contents entries and heading candidates, page by page.
void LayoutAnalyzer::structure(double bodySize, HeadingTyper &headings,
                               const std::function<void(const PageLayout &)> &structured)
{
    std::deque<PageLayout> window; // pages [first, first + size) as markCodeBlocks left them
    qsizetype first = 0;
    const qsizetype count = m_pages.size();
    for (qsizetype index = 0; index < count; ++index) {
        while (first + qsizetype(window.size()) < qMin(count, index + kCodeEdgePages + 1)) {
            PageLayout page = m_pages.at(first + qsizetype(window.size()));
            markFurniture(page, m_furniture, bodySize);
            markCodeBlocks(page, bodySize); // before anything reads a listing's lines as headings or lists
            window.push_back(std::move(page));
        }
        while (first < index - kCodeEdgePages) {
            window.pop_front();
            ++first;
        }
        PageLayout page = window[size_t(index - first)];
        joinWrappedCodeLines(page, [&](qsizetype offset) -> const PageLayout * {
            const qsizetype near = index + offset - first;
            return near >= 0 && near < qsizetype(window.size()) ? &window[size_t(near)] : nullptr;
        });
        attachCaptions(page);
        markContentsEntries(page); // before headings: a contents line is never one
        headings.typePage(page);
        if (structured)
            structured(page);
        m_pages.replace(index, page);
    }
}

void LayoutAnalyzer::analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline)
{
    LayoutAnalyzer analyzer;
    for (PageLayout &page : pages)
        analyzer.addPage(std::exchange(page, PageLayout()));
    qsizetype index = 0;
    analyzer.finish(outline, {}, [&pages, &index](PageLayout &page) { pages[index++] = std::move(page); });
}

} // namespace DocRay
