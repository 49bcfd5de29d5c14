#include "engine/layout/furniture.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

namespace DocRay {

namespace {

constexpr double kMarginBand = 0.13;    // fraction of the page height holding headers/footers

bool inMarginBand(const QRectF &box, const QSizeF &page)
{
    const double band = page.height() * kMarginBand;
    return page.height() > 0 && (box.bottom() < band || box.top() > page.height() - band);
}

bool isPageNumberToken(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^([0-9]{1,4}|[ivxlc]{1,6})$"),
                                           QRegularExpression::CaseInsensitiveOption);
    return number.match(text.trimmed()).hasMatch();
}

// "Chapter 3. Row and Column Access Control      15": a running head or
// foot whose page number is set an em or more apart from its words, read
// as one line.
bool endsWithSetApartNumber(const TextBlock &block)
{
    if (block.lines.size() != 1 || block.lines.first().spans.size() < 2)
        return false;
    const QList<TextSpan> &spans = block.lines.first().spans;
    const double em = qMax(block.fontSize(), 1.0);
    const TextSpan &first = spans.first(), &last = spans.last();
    return (isPageNumberToken(last.text) && last.bbox.left() - spans[spans.size() - 2].bbox.right() >= em)
        || (isPageNumberToken(first.text) && spans[1].bbox.left() - first.bbox.right() >= em);
}

// The block nearest the page's top or bottom edge, a line's height or more
// away from every other block: where running heads and feet stand.
bool standsApartAtEdge(const TextBlock &block, const PageLayout &page)
{
    const bool atBottom = block.bbox.center().y() > page.size.height() / 2;
    const double apart = block.bbox.height();
    for (const TextBlock &other : page.blocks) {
        if (&other == &block || other.type == BlockType::Discarded)
            continue;
        const double gap = atBottom ? block.bbox.top() - other.bbox.bottom() : other.bbox.top() - block.bbox.bottom();
        if (gap < apart)
            return false;
    }
    return true;
}

} // namespace

void FurnitureCounts::count(const PageLayout &page)
{
    QSet<QString> seen;
    for (const TextBlock &block : page.blocks)
        if (block.type == BlockType::Text && inMarginBand(block.bbox, page.size))
            seen.insert(furnitureKey(block));
    for (const QString &key : std::as_const(seen))
        ++m_pagesWithKey[key];
    ++m_pages;
}

bool FurnitureCounts::repeats(const TextBlock &block) const
{
    const int repeatThreshold = qMax(2, (m_pages + 2) / 3);
    return m_pages >= 2 && m_pagesWithKey.value(furnitureKey(block)) >= repeatThreshold;
}

void markFurniture(PageLayout &page, const FurnitureCounts &counts, double bodySize)
{
    QList<QRectF> pageNumbers;
    for (TextBlock &block : page.blocks) {
        if (block.type != BlockType::Text || !inMarginBand(block.bbox, page.size))
            continue;
        if (isPageNumber(block)) {
            block.type = BlockType::Discarded;
            pageNumbers.append(block.bbox);
        } else if (endsWithSetApartNumber(block) && block.fontSize() <= bodySize + 0.5
                   && standsApartAtEdge(block, page)) {
            block.type = BlockType::Discarded;
        } else if (block.fontSize() <= bodySize + 0.5 && counts.repeats(block)) {
            // Larger type that repeats is a heading ("Chapter 3"), not a running head.
            block.type = BlockType::Discarded;
        }
    }
    // A running head shares its row with the page number.
    for (TextBlock &block : page.blocks)
        for (const QRectF &number : std::as_const(pageNumbers))
            if (block.type == BlockType::Text && block.lines.size() == 1 && inMarginBand(block.bbox, page.size)
                && verticalOverlap(block.bbox, number) > 0.3 * block.bbox.height())
                block.type = BlockType::Discarded;
}

} // namespace DocRay
