#include "engine/layout/captions.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QRegularExpression>

#include <algorithm>

namespace DocRay {

namespace {

constexpr qsizetype kMaxFootnoteLines = 4;

bool opensWith(const TextBlock &block, const QRegularExpression &pattern)
{
    return block.type == BlockType::Text && !block.lines.isEmpty()
        && pattern.match(block.text().trimmed()).hasMatch();
}

bool isCaptionOf(const TextBlock &block, BlockType kind)
{
    return block.type == BlockType::Text && !block.lines.isEmpty()
        && captionKind(block.text()) == (kind == BlockType::Table ? CaptionKind::Table : CaptionKind::Figure);
}

bool isFootnote(const TextBlock &block)
{
    static const QRegularExpression note(
        QStringLiteral("^(notes?|sources?|quelle|anmerkung|remarque|nota|注|资料来源|数据来源|来源|出典|出所)\\s*[:：.]"),
        QRegularExpression::CaseInsensitiveOption);
    return block.lines.size() <= kMaxFootnoteLines && opensWith(block, note);
}

// How far `candidate` sits from `region` in lines of its text, the side the
// region prefers counting one line less; negative where it is not beside it.
double captionDistance(const TextBlock &candidate, const TextBlock &region, bool preferAbove)
{
    if (horizontalOverlap(candidate.bbox, region.bbox) <= 0)
        return -1;
    const double lineHeight = qMax(candidate.lines.first().bbox.height(), 1.0);
    const double below = (candidate.bbox.top() - region.bbox.bottom()) / lineHeight;
    const double above = (region.bbox.top() - candidate.bbox.bottom()) / lineHeight;
    const double gap = below > -1 ? below + (preferAbove ? 1 : 0) : above + (preferAbove ? 0 : 1);
    return gap < -1 || gap > 4 ? -1 : gap + 1;
}

// The index of the block nearest `region` that `accepts`, or -1.
template<typename Accepts>
qsizetype nearestBlock(const PageLayout &page, const TextBlock &region, bool preferAbove, Accepts accepts)
{
    qsizetype best = -1;
    double bestDistance = 0;
    for (qsizetype c = 0; c < page.blocks.size(); ++c) {
        if (!accepts(page.blocks[c]))
            continue;
        const double distance = captionDistance(page.blocks[c], region, preferAbove);
        if (distance >= 0 && (best < 0 || distance < bestDistance)) {
            best = c;
            bestDistance = distance;
        }
    }
    return best;
}

// Moves block `from` out of the page into `into`; `at` (an index into the
// page's blocks) follows the removal.
void moveLines(PageLayout &page, qsizetype from, QList<TextLine> &into, qsizetype &at)
{
    into = page.blocks[from].lines;
    page.blocks.removeAt(from);
    if (from < at)
        --at;
}

// A diagram of boxes and arrows read as a grid of rules leaves most of its
// cells empty; a table of data, even one captioned as a figure, fills them.
bool isMostlyEmpty(const TextBlock &table)
{
    const qsizetype filled = std::count_if(table.cells.cbegin(), table.cells.cend(),
                                           [](const TableCell &cell) { return !cell.text.trimmed().isEmpty(); });
    return filled * 2 < table.rows * table.columns;
}

// A grid captioned as a figure ("Figure 3-1" under a diagram) is a figure:
// its cells are labels, not data.
void retypeAsFigure(TextBlock &table)
{
    table.type = BlockType::Figure;
    table.cells.clear();
    table.rows = table.columns = 0;
}

void attachCaption(PageLayout &page, qsizetype &r)
{
    const BlockType kind = page.blocks[r].type;
    if (!page.blocks[r].caption.isEmpty())
        return;
    const bool preferAbove = kind == BlockType::Table;
    qsizetype caption = nearestBlock(page, page.blocks[r], preferAbove,
                                     [kind](const TextBlock &b) { return isCaptionOf(b, kind); });
    if (caption < 0 && kind == BlockType::Table && isMostlyEmpty(page.blocks[r])) {
        caption = nearestBlock(page, page.blocks[r], false,
                               [](const TextBlock &b) { return isCaptionOf(b, BlockType::Figure); });
        if (caption >= 0)
            retypeAsFigure(page.blocks[r]);
    }
    if (caption >= 0)
        moveLines(page, caption, page.blocks[r].caption, r);
}

} // namespace

void attachCaptions(PageLayout &page)
{
    // Figures first: a figure caption left over may name a grid of rules.
    for (const BlockType kind : {BlockType::Figure, BlockType::Table})
        for (qsizetype r = 0; r < page.blocks.size(); ++r)
            if (page.blocks[r].type == kind)
                attachCaption(page, r);
    for (qsizetype r = 0; r < page.blocks.size(); ++r) {
        const BlockType kind = page.blocks[r].type;
        if (kind != BlockType::Figure && kind != BlockType::Table)
            continue;
        if (page.blocks[r].footnote.isEmpty()) {
            // Under the region, or under its caption where that is below.
            TextBlock under = page.blocks[r];
            for (const TextLine &line : std::as_const(under.caption))
                if (line.bbox.top() > under.bbox.top())
                    under.bbox = under.bbox.united(line.bbox);
            const qsizetype note = nearestBlock(page, under, false, [&under](const TextBlock &b) {
                return isFootnote(b) && b.bbox.top() >= under.bbox.bottom() - 1;
            });
            if (note >= 0)
                moveLines(page, note, page.blocks[r].footnote, r);
        }
    }
}

} // namespace DocRay
