#include "engine/layout/readingorder.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <algorithm>

namespace DocRay {

namespace {

constexpr double kMinColumnGap = 4.0;   // points between columns (lines never cross a gutter)

using Region = QList<int>; // indices into the page's blocks
struct Gap {
    double from;
    double to;
};

// Gaps in the projection of the region's blocks onto one axis.
QList<Gap> projectionGaps(const QList<TextBlock> &blocks, const Region &region, bool horizontalAxis, double minGap)
{
    QList<Gap> spans;
    for (int index : region) {
        const QRectF &box = blocks[index].bbox;
        spans.append(horizontalAxis ? Gap{box.left(), box.right()} : Gap{box.top(), box.bottom()});
    }
    std::sort(spans.begin(), spans.end(), [](const Gap &a, const Gap &b) { return a.from < b.from; });
    QList<Gap> gaps;
    double reach = spans.isEmpty() ? 0 : spans.first().to;
    for (const Gap &span : std::as_const(spans)) {
        if (span.from - reach >= minGap)
            gaps.append({reach, span.from});
        reach = qMax(reach, span.to);
    }
    return gaps;
}

bool shareAColumnGap(const QList<Gap> &a, const QList<Gap> &b)
{
    for (const Gap &x : a)
        for (const Gap &y : b)
            if (qMin(x.to, y.to) - qMax(x.from, y.from) >= kMinColumnGap)
                return true;
    return false;
}

Region sortedTopDown(const QList<TextBlock> &blocks, Region region)
{
    std::sort(region.begin(), region.end(), [&blocks](int a, int b) {
        return blocks[a].bbox.top() != blocks[b].bbox.top() ? blocks[a].bbox.top() < blocks[b].bbox.top()
                                                            : blocks[a].bbox.left() < blocks[b].bbox.left();
    });
    return region;
}

// Forms and tables put short blocks side by side row after row; columns of
// prose rarely start and end their paragraphs at the same heights (set on
// one baseline grid, they often start at the same height).
bool rowAligned(const QList<TextBlock> &blocks, const Region &left, const Region &right)
{
    if (left.size() < 2 || right.size() < 2)
        return false;
    // Tables and figures have no lines of their own: their box stands in.
    auto firstLineHeight = [&blocks](int i) {
        return blocks[i].lines.isEmpty() ? blocks[i].bbox.height() : blocks[i].lines.first().bbox.height();
    };
    auto alignedShare = [&blocks, &firstLineHeight](const Region &side, const Region &other) {
        int aligned = 0;
        for (int a : side)
            for (int b : other) {
                const double tolerance = 0.5 * qMin(firstLineHeight(a), firstLineHeight(b));
                if (qAbs(blocks[a].bbox.top() - blocks[b].bbox.top()) < tolerance
                    && qAbs(blocks[a].bbox.bottom() - blocks[b].bbox.bottom()) < tolerance) {
                    ++aligned;
                    break;
                }
            }
        return double(aligned) / side.size();
    };
    return alignedShare(left, right) >= 0.6 && alignedShare(right, left) >= 0.6;
}

// The part of the page a block's column gives it: lines of code too long
// to break run on into the next column (a paragraph of four can have two
// such), and the block they belong to still stands in its own, where most
// of its lines end.
QRectF columnBox(const TextBlock &block)
{
    if (block.lines.size() < 2)
        return block.bbox;
    QList<double> lefts, rights;
    for (const TextLine &line : block.lines) {
        lefts.append(line.bbox.left());
        rights.append(line.bbox.right());
    }
    std::sort(lefts.begin(), lefts.end());
    std::sort(rights.begin(), rights.end());
    const qsizetype last = rights.size() - 1;
    const QRectF box(QPointF(lefts.at((last + 1) / 2), block.bbox.top()), QPointF(rights.at(last / 2), block.bbox.bottom()));
    return box.width() > 0 ? box : block.bbox; // lines side by side, not under each other: no column of their own
}

// Whether the blocks stand in the columns apart at `columns`, none across
// their gaps.
bool withinColumns(const QList<TextBlock> &blocks, const Region &band, const QList<Gap> &columns)
{
    return shareAColumnGap(columns, projectionGaps(blocks, band, true, kMinColumnGap))
        || std::any_of(columns.cbegin(), columns.cend(), [&](const Gap &gap) {
               return std::all_of(band.cbegin(), band.cend(), [&](int index) {
                   const QRectF &box = blocks[index].bbox;
                   return box.right() <= gap.to - kMinColumnGap || box.left() >= gap.from + kMinColumnGap;
               });
           });
}

// Whether band `at` goes on with the columns above it: it has the same
// gaps, or its blocks stand in one column (the end of a paragraph, a
// listing's last lines, a heading in a column) and the columns go on
// below it.
bool continuesColumns(const QList<TextBlock> &blocks, const QList<Region> &bands, qsizetype at,
                      const QList<Gap> &columns)
{
    for (qsizetype i = at; i < bands.size(); ++i) {
        if (bands[i].isEmpty())
            continue;
        const QList<Gap> bandColumns = projectionGaps(blocks, bands[i], true, kMinColumnGap);
        if (!bandColumns.isEmpty())
            return shareAColumnGap(columns, bandColumns);
        if (!withinColumns(blocks, bands[i], columns))
            return false;
    }
    return false;
}

// A line too long for its column (an identifier that cannot break) runs
// over the gutter beside a block of the next column: the block it belongs
// to stands in its own column, a gutter's width before where the column
// it runs into starts (the leftmost block its right half runs into or
// over, on the whole page: the block beside it may be indented).
void keepOutOfColumnsBeside(QList<TextBlock> &placed)
{
    for (TextBlock &block : placed) {
        const QRectF box = block.bbox;
        double columnLeft = box.right();
        for (const TextBlock &other : std::as_const(placed))
            if (other.bbox.left() > box.center().x() && other.bbox.left() < box.right() && other.bbox.right() > box.right())
                columnLeft = qMin(columnLeft, other.bbox.left());
        const bool besideOne = std::any_of(placed.cbegin(), placed.cend(), [&](const TextBlock &other) {
            return other.bbox.left() >= columnLeft && verticalOverlap(box, other.bbox) > 0.5 * qMin(box.height(), other.bbox.height());
        });
        if (columnLeft < box.right() && besideOne && columnLeft - 2 * kMinColumnGap > box.left())
            block.bbox.setRight(columnLeft - 2 * kMinColumnGap);
    }
}

Region orderRegion(const QList<TextBlock> &blocks, const Region &region, bool rightToLeft)
{
    if (region.size() <= 1)
        return region;

    // Columns first: a gap no block crosses, top to bottom of the region.
    const QList<Gap> columns = projectionGaps(blocks, region, true, kMinColumnGap);
    bool tableLike = false;
    if (!columns.isEmpty()) {
        const Gap widest = *std::max_element(columns.begin(), columns.end(),
                                             [](const Gap &a, const Gap &b) { return a.to - a.from < b.to - b.from; });
        Region left, right;
        for (int index : region)
            (blocks[index].bbox.center().x() < widest.from ? left : right).append(index);
        tableLike = rowAligned(blocks, left, right);
        // Columns run the way the script does; forms and tables read row by
        // row. A cut with nothing on one side (a block without a box at the
        // gap's edge) cuts nothing: the bands below still do.
        if (!tableLike && !left.isEmpty() && !right.isEmpty())
            return rightToLeft ? orderRegion(blocks, right, true) + orderRegion(blocks, left, true)
                               : orderRegion(blocks, left, false) + orderRegion(blocks, right, false);
    }

    // Then bands: cut where no block crosses horizontally...
    const QList<Gap> rows = projectionGaps(blocks, region, false, 0.01);
    if (rows.isEmpty())
        return sortedTopDown(blocks, region);
    QList<Region> bands(rows.size() + 1);
    for (int index : region) {
        const double y = blocks[index].bbox.center().y();
        int band = 0;
        while (band < rows.size() && y > rows[band].from)
            ++band;
        bands[band].append(index);
    }
    // ...but bands that continue the same columns (paragraph breaks that happen
    // to line up across columns) are one region, read column by column.
    QList<Region> merged;
    QList<QList<Gap>> mergedColumns;
    for (qsizetype i = 0; i < bands.size(); ++i) {
        const Region &band = bands[i];
        if (band.isEmpty())
            continue;
        if (!tableLike && !merged.isEmpty() && continuesColumns(blocks, bands, i, mergedColumns.last())) {
            merged.last() += band;
            mergedColumns.last() = projectionGaps(blocks, merged.last(), true, kMinColumnGap);
        } else {
            merged.append(band);
            mergedColumns.append(projectionGaps(blocks, band, true, kMinColumnGap));
        }
    }
    Region ordered;
    for (const Region &part : std::as_const(merged))
        ordered += part.size() == region.size() ? sortedTopDown(blocks, part) : orderRegion(blocks, part, rightToLeft);
    return ordered;
}

} // namespace

QList<TextBlock> inReadingOrder(const QList<TextBlock> &blocks)
{
    Region all;
    QString text;
    QList<TextBlock> placed; // shares the blocks' lines
    for (int i = 0; i < blocks.size(); ++i) {
        all.append(i);
        text += blocks[i].text();
        placed.append(blocks[i]);
        placed.last().bbox = columnBox(blocks[i]);
    }
    keepOutOfColumnsBeside(placed);
    // A page number centred over or under two columns would close the
    // gap between them: it is read first or last.
    Region above, body, below;
    for (int index : std::as_const(all)) {
        const QRectF &box = placed[index].bbox;
        const bool alone = isPageNumber(placed[index]);
        const bool underAll = alone && std::all_of(all.cbegin(), all.cend(), [&](int other) {
            return other == index || placed[other].bbox.bottom() <= box.top();
        });
        const bool overAll = alone && std::all_of(all.cbegin(), all.cend(), [&](int other) {
            return other == index || placed[other].bbox.top() >= box.bottom();
        });
        (underAll ? below : overAll ? above : body).append(index);
    }
    QList<TextBlock> ordered;
    for (int index : above + orderRegion(placed, body, isRightToLeft(text)) + below)
        ordered.append(blocks[index]);
    return ordered;
}

QList<TextBlock> withRegions(QList<TextBlock> blocks, const QList<TextBlock> &regions)
{
    for (const TextBlock &region : regions) {
        auto sameColumn = [&region](const TextBlock &block) {
            return block.bbox.left() < region.bbox.right() && region.bbox.left() < block.bbox.right();
        };
        qsizetype at = -1, lastAbove = -1;
        for (qsizetype i = 0; i < blocks.size() && at < 0; ++i) {
            if (!sameColumn(blocks[i]))
                continue;
            if (blocks[i].bbox.top() >= region.bbox.top())
                at = i;
            else
                lastAbove = i;
        }
        blocks.insert(at >= 0 ? at : lastAbove >= 0 ? lastAbove + 1 : blocks.size(), region);
    }
    return blocks;
}

} // namespace DocRay
