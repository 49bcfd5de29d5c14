#include "engine/layout/furniture.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <optional>

namespace DocRay {

namespace {

constexpr double kMarginBand = 0.13; // fraction of the page height holding headers/footers
// Nearer the page's edge than any typesetter's margin: where a library or
// archive stamps its pages ("Downloaded from ... on July 12, 2017").
constexpr double kEdgeBand = 0.04;

bool inBand(const QRectF &box, const QSizeF &page, double fraction)
{
    const double band = page.height() * fraction;
    return page.height() > 0 && (box.bottom() < band || box.top() > page.height() - band);
}

bool inMarginBand(const QRectF &box, const QSizeF &page)
{
    return inBand(box, page, kMarginBand);
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

// Whether every other block of the page lies above `block` (`below`) or
// under it, `apart` or more away (a line's height by default).
bool standsApart(const TextBlock &block, const PageLayout &page, bool below, std::optional<double> apart = std::nullopt)
{
    const double distance = apart.value_or(block.bbox.height());
    for (const TextBlock &other : page.blocks) {
        if (&other == &block || other.type == BlockType::Discarded)
            continue;
        const double gap = below ? block.bbox.top() - other.bbox.bottom() : other.bbox.top() - block.bbox.bottom();
        if (gap < distance)
            return false;
    }
    return true;
}

// The block nearest the page's top or bottom edge, standing apart from
// every other: where running heads and feet stand.
bool standsApartAtEdge(const TextBlock &block, const PageLayout &page, std::optional<double> apart = std::nullopt)
{
    return standsApart(block, page, block.bbox.center().y() > page.size.height() / 2, apart);
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
        if (block.type != BlockType::Text)
            continue;
        const bool bodyType = block.fontSize() <= bodySize + 0.5;
        if (!inMarginBand(block.bbox, page.size)) {
            // A page whose text ends early (a chapter's last page, a
            // filing's short page) has its number right under that text.
            if (isPageNumber(block) && bodyType && standsApart(block, page, true)) {
                block.type = BlockType::Discarded;
                pageNumbers.append(block.bbox);
            }
            continue;
        }
        if (isPageNumber(block)) {
            block.type = BlockType::Discarded;
            pageNumbers.append(block.bbox);
        } else if (endsWithSetApartNumber(block) && bodyType && standsApartAtEdge(block, page)) {
            block.type = BlockType::Discarded;
        } else if (inBand(block.bbox, page.size, kEdgeBand) && block.lines.size() == 1 && bodyType
                   && !block.lines.first().isBold() && standsApartAtEdge(block, page, 0.0)) {
            block.type = BlockType::Discarded; // a stamp at the edge, on one page as on many
        } else if (bodyType && counts.repeats(block)) {
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
