#include "engine/core/pagelayout.h"

#include <QVarLengthArray>

#include <algorithm>

namespace DocRay {

bool isCjk(QChar c)
{
    const char16_t u = c.unicode();
    return (u >= 0x3040 && u <= 0x30FF) || (u >= 0x3400 && u <= 0x9FFF) || (u >= 0xF900 && u <= 0xFAFF)
        || (u >= 0xFF00 && u <= 0xFFEF) || (u >= 0x3000 && u <= 0x303F);
}

bool joinsWithoutSpace(QChar before, QChar after)
{
    const auto setTight = [](QChar c) { return isCjk(c) || c.isPunct() || c.isDigit(); };
    return (isCjk(before) && setTight(after)) || (isCjk(after) && setTight(before));
}

QString TextLine::text() const
{
    if (spans.size() == 1)
        return spans.first().text;
    qsizetype length = 0;
    for (const TextSpan &span : spans)
        length += span.text.size() + 1;
    QString result;
    result.reserve(length);
    for (qsizetype i = 0; i < spans.size(); ++i) {
        result += spans[i].text;
        if (i + 1 < spans.size() && spans[i].spaceAfter)
            result += QLatin1Char(' ');
    }
    return result;
}

QRectF TextLine::wordsBox() const
{
    QRectF box;
    for (const TextSpan &span : spans)
        box = box.isNull() ? span.bbox : box.united(span.bbox);
    return box;
}

double TextLine::fontSize() const
{
    // Characters by size in tenths of a point: a line has a size or two.
    QVarLengthArray<std::pair<int, int>, 4> charactersBySize;
    for (const TextSpan &span : spans) {
        const int size = qRound(span.fontSize * 10);
        auto it = std::find_if(charactersBySize.begin(), charactersBySize.end(),
                               [size](const std::pair<int, int> &entry) { return entry.first == size; });
        const int characters = static_cast<int>(span.text.size());
        if (it == charactersBySize.end())
            charactersBySize.append({size, characters});
        else
            it->second += characters;
    }
    int bestSize = 0, bestCount = -1;
    for (const auto &[size, count] : charactersBySize)
        if (count > bestCount || (count == bestCount && size > bestSize)) {
            bestSize = size;
            bestCount = count;
        }
    return bestSize / 10.0;
}

bool TextLine::isBold() const
{
    for (const TextSpan &span : spans)
        if (!span.bold)
            return false;
    return !spans.isEmpty();
}

bool TextLine::isMonospace() const
{
    for (const TextSpan &span : spans)
        if (!span.monospace)
            return false;
    return !spans.isEmpty();
}

bool TextLine::isItalic() const
{
    for (const TextSpan &span : spans)
        if (!span.italic)
            return false;
    return !spans.isEmpty();
}

QString TextBlock::text() const
{
    QStringList parts;
    for (const TextLine &line : lines)
        parts.append(line.text());
    return parts.join(QLatin1Char(' '));
}

double TextBlock::fontSize() const
{
    return lines.isEmpty() ? 0.0 : lines.first().fontSize();
}

int TextBlock::characterCount() const
{
    int count = 0;
    for (const TextLine &line : lines)
        for (const TextSpan &span : line.spans)
            count += static_cast<int>(span.text.size());
    return count;
}

void PageLayout::setOcrBlocks(const QList<TextBlock> &ocrBlocks)
{
    method = ExtractionMethod::Ocr;
    blocks = ocrBlocks;
    lines.clear();
    for (const TextBlock &block : ocrBlocks)
        lines += block.lines;
}

namespace {

// A box of a page read `quarterTurns` clockwise, `turned` its size in that
// frame, as it lies on the page unturned.
QRectF unturned(const QRectF &box, const QSizeF &turned, int quarterTurns)
{
    switch (quarterTurns) {
    case 1: return QRectF(box.top(), turned.width() - box.right(), box.height(), box.width());
    case 2: return QRectF(turned.width() - box.right(), turned.height() - box.bottom(), box.width(), box.height());
    case 3: return QRectF(turned.height() - box.bottom(), box.left(), box.height(), box.width());
    default: return box;
    }
}

void turnLines(QList<TextLine> &lines, const QSizeF &turned, int quarterTurns)
{
    for (TextLine &line : lines) {
        line.bbox = unturned(line.bbox, turned, quarterTurns);
        for (TextSpan &span : line.spans)
            span.bbox = unturned(span.bbox, turned, quarterTurns);
    }
}

void turnBlocks(QList<TextBlock> &blocks, const QSizeF &turned, int quarterTurns)
{
    for (TextBlock &block : blocks) {
        block.bbox = unturned(block.bbox, turned, quarterTurns);
        turnLines(block.lines, turned, quarterTurns);
        turnLines(block.caption, turned, quarterTurns);
        turnLines(block.footnote, turned, quarterTurns);
        for (TableCell &cell : block.cells)
            cell.bbox = unturned(cell.bbox, turned, quarterTurns);
    }
}

} // namespace

void PageLayout::turnBack()
{
    const int turns = quarterTurns & 3;
    quarterTurns = 0;
    if (turns == 0)
        return;
    turnLines(lines, size, turns);
    turnBlocks(blocks, size, turns);
    turnBlocks(regions, size, turns);
    if (turns % 2)
        size.transpose();
}

QRectF PageLayout::boxOnPage(const QRectF &box) const
{
    return unturned(box, size, quarterTurns & 3);
}

bool TextBlock::captionAbove() const
{
    return !caption.isEmpty() && caption.first().bbox.bottom() <= bbox.top() + 1;
}

} // namespace DocRay
