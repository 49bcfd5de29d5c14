#include "engine/layout/contents.h"

#include <QRegularExpression>

namespace DocRay {

bool isContentsEntry(const QString &line)
{
    static const QRegularExpression entry(
        QStringLiteral("^\\S.*?\\S\\s*(?:(?:\\.\\s?){3,}|(?:·\\s?){3,}|…+|_{3,})\\s*\\.?\\s*(?:\\d{1,4}|[ivxlcdm]{1,7})$"),
        QRegularExpression::CaseInsensitiveOption);
    const QString trimmed = line.trimmed();
    // Every entry ends in its page number: most lines fail here, cheaply
    // (a digit beyond the BMP is left to the pattern).
    static const QString kRomanDigits = QStringLiteral("ivxlcdm");
    const QChar last = trimmed.isEmpty() ? QChar() : trimmed.back();
    if (!last.isDigit() && !last.isLowSurrogate() && !kRomanDigits.contains(last, Qt::CaseInsensitive))
        return false;
    return entry.match(trimmed).hasMatch();
}

void markContentsEntries(PageLayout &page)
{
    for (TextBlock &block : page.blocks) {
        if (block.type != BlockType::Text && block.type != BlockType::Title)
            continue;
        qsizetype entries = 0;
        for (const TextLine &line : block.lines)
            entries += isContentsEntry(line.text());
        if (entries > 0 && entries * 2 >= block.lines.size()) {
            block.type = BlockType::Index;
            block.headingLevel = 0;
        }
    }
}

} // namespace DocRay
