#include "engine/layoutanalyzer.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace DocRay {

namespace {

constexpr double kHeadingSizeRatio = 1.15;
constexpr int kMaxHeadingCharacters = 200;
constexpr int kMaxHeadingLines = 3;
constexpr double kFurnitureMargin = 0.08; // fraction of the page height

int sizeKey(double size)
{
    return qRound(size * 2); // half-point buckets
}

double bodyFontSize(const QList<PageLayout> &pages)
{
    QHash<int, int> charactersBySize;
    for (const PageLayout &page : pages)
        for (const TextLine &line : page.lines)
            charactersBySize[sizeKey(line.fontSize())] += static_cast<int>(line.text().size());
    int best = 0, bestCount = -1;
    for (auto it = charactersBySize.cbegin(); it != charactersBySize.cend(); ++it)
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    return best / 2.0;
}

bool isBoldFont(const QString &fontName)
{
    static const QRegularExpression bold(QStringLiteral("bold|black|heavy|semibold|demi"),
                                         QRegularExpression::CaseInsensitiveOption);
    return bold.match(fontName).hasMatch();
}

bool allBold(const TextBlock &block)
{
    for (const TextLine &line : block.lines)
        for (const TextSpan &span : line.spans)
            if (!isBoldFont(span.fontName))
                return false;
    return true;
}

bool startsNewBlock(const TextLine &previous, const TextLine &line)
{
    const double height = qMax(previous.bbox.height(), 1.0);
    const double gap = line.bbox.top() - previous.bbox.bottom();
    if (gap > 0.7 * height || gap < -0.5 * height)
        return true;
    if (qAbs(line.fontSize() - previous.fontSize()) > 0.6)
        return true;
    // No horizontal overlap: another column or a side note.
    return line.bbox.left() > previous.bbox.right() || line.bbox.right() < previous.bbox.left();
}

bool isPageFurniture(const TextBlock &block, const QSizeF &pageSize)
{
    static const QRegularExpression pageNumber(
        QStringLiteral("^(page\\s*)?[-–]?\\s*\\d{1,4}\\s*[-–]?(\\s*(of|/)\\s*\\d{1,4})?$"),
        QRegularExpression::CaseInsensitiveOption);
    if (pageSize.height() <= 0 || block.lines.size() != 1)
        return false;
    const double margin = pageSize.height() * kFurnitureMargin;
    const bool inMargin = block.bbox.bottom() < margin || block.bbox.top() > pageSize.height() - margin;
    return inMargin && pageNumber.match(block.lines.first().text().trimmed()).hasMatch();
}

QList<TextBlock> groupLines(const QList<TextLine> &lines)
{
    QList<TextBlock> blocks;
    for (const TextLine &line : lines) {
        if (blocks.isEmpty() || startsNewBlock(blocks.last().lines.last(), line)) {
            TextBlock block;
            block.bbox = line.bbox;
            blocks.append(block);
        }
        blocks.last().lines.append(line);
        blocks.last().bbox = blocks.last().bbox.united(line.bbox);
    }
    return blocks;
}

} // namespace

void LayoutAnalyzer::analyze(QList<PageLayout> &pages) const
{
    const double bodySize = bodyFontSize(pages);

    // First pass: blocks and heading candidates; levels need every page's sizes.
    QList<int> headingSizes;
    for (PageLayout &page : pages) {
        page.blocks = groupLines(page.lines);
        for (TextBlock &block : page.blocks) {
            if (isPageFurniture(block, page.size)) {
                block.type = BlockType::Discarded;
                continue;
            }
            const bool shortBlock = block.lines.size() <= kMaxHeadingLines
                && block.characterCount() <= kMaxHeadingCharacters;
            if (!shortBlock || bodySize <= 0)
                continue;
            const double size = block.fontSize();
            if (size >= bodySize * kHeadingSizeRatio) {
                block.type = BlockType::Title;
                if (!headingSizes.contains(sizeKey(size)))
                    headingSizes.append(sizeKey(size));
            } else if (block.lines.size() == 1 && qAbs(size - bodySize) < 0.6 && allBold(block)
                       && !block.lines.first().text().trimmed().endsWith(QLatin1Char('.'))) {
                block.type = BlockType::Title;
            }
        }
    }

    std::sort(headingSizes.begin(), headingSizes.end(), std::greater<int>());
    const int boldLevel = qMin(6, static_cast<int>(headingSizes.size()) + 1);
    for (PageLayout &page : pages)
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Title)
                continue;
            const int rank = static_cast<int>(headingSizes.indexOf(sizeKey(block.fontSize())));
            block.headingLevel = rank >= 0 ? qMin(6, rank + 1) : boldLevel;
        }
}

} // namespace DocRay
