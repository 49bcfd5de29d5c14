#include "engine/markdownwriter.h"

#include <QRegularExpression>

namespace DocRay {

namespace {

const QRegularExpression &bulletPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*[•●▪■◦○‣∙·\\-–*]\\s+"));
    return pattern;
}

const QRegularExpression &numberPattern()
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,3})[.)]\\s+"));
    return pattern;
}

bool isListItemStart(const TextLine &line)
{
    const QString text = line.text();
    return bulletPattern().match(text).hasMatch() || numberPattern().match(text).hasMatch();
}

QString normalized(QString text)
{
    // Ligatures and odd spaces that PDF text layers carry.
    static const QList<QPair<QString, QString>> replacements = {
        {QStringLiteral("\uFB00"), QStringLiteral("ff")}, {QStringLiteral("\uFB01"), QStringLiteral("fi")},
        {QStringLiteral("\uFB02"), QStringLiteral("fl")}, {QStringLiteral("\uFB03"), QStringLiteral("ffi")},
        {QStringLiteral("\uFB04"), QStringLiteral("ffl")}, {QStringLiteral("\u00A0"), QStringLiteral(" ")},
        {QStringLiteral("\u00AD"), QString()},
    };
    for (const auto &[from, to] : replacements)
        text.replace(from, to);
    return text;
}

QString listItem(const QList<TextLine> &lines)
{
    QString text = MarkdownWriter::joinLines(lines);
    const QRegularExpressionMatch number = numberPattern().match(text);
    if (number.hasMatch())
        return number.captured(1) + QStringLiteral(". ") + text.mid(number.capturedEnd());
    const QRegularExpressionMatch bullet = bulletPattern().match(text);
    return QStringLiteral("- ") + text.mid(bullet.capturedEnd());
}

QString writeBlock(const TextBlock &block)
{
    if (block.type == BlockType::Title)
        return QString(block.headingLevel, QLatin1Char('#')) + QLatin1Char(' ')
            + MarkdownWriter::joinLines(block.lines);

    if (!isListItemStart(block.lines.first()))
        return MarkdownWriter::joinLines(block.lines);

    // A list: every line that starts with a marker opens an item, the lines
    // after it continue that item.
    QStringList items;
    QList<TextLine> current;
    for (const TextLine &line : block.lines) {
        if (isListItemStart(line) && !current.isEmpty()) {
            items.append(listItem(current));
            current.clear();
        }
        current.append(line);
    }
    items.append(listItem(current));
    return items.join(QLatin1Char('\n'));
}

} // namespace

QString MarkdownWriter::joinLines(const QList<TextLine> &lines)
{
    QString text;
    for (const TextLine &line : lines) {
        const QString part = normalized(line.text()).trimmed();
        if (part.isEmpty())
            continue;
        if (text.isEmpty()) {
            text = part;
        } else if (text.endsWith(QLatin1Char('-')) && text.size() > 1 && text.at(text.size() - 2).isLetter()
                   && part.at(0).isLower()) {
            text.chop(1); // "ex-" + "ample": a word broken at the line end
            text += part;
        } else {
            text += QLatin1Char(' ') + part;
        }
    }
    return text;
}

QString MarkdownWriter::write(const QList<PageLayout> &pages) const
{
    QStringList blocks;
    for (const PageLayout &page : pages)
        for (const TextBlock &block : page.blocks)
            if (block.type != BlockType::Discarded && !block.lines.isEmpty())
                blocks.append(writeBlock(block));
    QString markdown = blocks.join(QStringLiteral("\n\n"));
    if (!markdown.isEmpty())
        markdown += QLatin1Char('\n');
    return markdown;
}

} // namespace DocRay
