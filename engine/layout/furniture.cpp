#include "engine/layout/furniture.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QSet>

namespace DocRay {

namespace {

constexpr double kMarginBand = 0.13;    // fraction of the page height holding headers/footers

bool inMarginBand(const QRectF &box, const QSizeF &page)
{
    const double band = page.height() * kMarginBand;
    return page.height() > 0 && (box.bottom() < band || box.top() > page.height() - band);
}

} // namespace

void markFurniture(QList<PageLayout> &pages, double bodySize)
{
    QHash<QString, int> pagesWithKey;
    for (const PageLayout &page : std::as_const(pages)) {
        QSet<QString> seen;
        for (const TextBlock &block : page.blocks)
            if (block.type == BlockType::Text && inMarginBand(block.bbox, page.size))
                seen.insert(furnitureKey(block));
        for (const QString &key : std::as_const(seen))
            ++pagesWithKey[key];
    }
    const int repeatThreshold = qMax(2, static_cast<int>(pages.size() + 2) / 3);
    for (PageLayout &page : pages) {
        QList<QRectF> pageNumbers;
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Text || !inMarginBand(block.bbox, page.size))
                continue;
            if (isPageNumber(block)) {
                block.type = BlockType::Discarded;
                pageNumbers.append(block.bbox);
            } else if (pages.size() >= 2 && block.fontSize() <= bodySize + 0.5
                       && pagesWithKey.value(furnitureKey(block)) >= repeatThreshold) {
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
}

} // namespace DocRay
