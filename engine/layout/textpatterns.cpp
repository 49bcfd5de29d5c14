#include "engine/layout/textpatterns.h"

#include <QRegularExpression>
#include <QTextBoundaryFinder>

#include <algorithm>

namespace DocRay {

bool isRightToLeft(const QString &text)
{
    int rtl = 0, ltr = 0;
    for (const QChar c : text) {
        switch (c.direction()) {
        case QChar::DirR:
        case QChar::DirAL: ++rtl; break;
        case QChar::DirL: ++ltr; break;
        default: break;
        }
    }
    return rtl > ltr;
}

QString reversedByCharacter(const QString &text)
{
    QStringList characters;
    QTextBoundaryFinder finder(QTextBoundaryFinder::Grapheme, text);
    for (qsizetype start = 0, end; (end = finder.toNextBoundary()) > 0; start = end)
        characters.prepend(text.mid(start, end - start));
    return characters.join(QString());
}

QString bulletClass()
{
    return QStringLiteral("[•●▪■◦○‣∙·∗\\-–*]");
}

bool isListMarker(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("^(") + bulletClass() + QStringLiteral("|\\(?\\d{1,3}[.)]|[a-z][.)])$"));
    return marker.match(text.trimmed()).hasMatch();
}

bool containsLetter(QStringView text)
{
    return std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isLetter(); });
}

bool isMarksOnly(QStringView text)
{
    return std::none_of(text.cbegin(), text.cend(), [](QChar c) { return c.isLetterOrNumber(); });
}

bool isSectionNumber(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^(\\d{1,2}(\\.\\d{1,2}){0,4}\\.?|[A-Z]\\.|[IVX]{1,4}\\.)$"));
    return number.match(text.trimmed()).hasMatch();
}

bool isDrawnRule(const QString &word)
{
    int characters = 0, strokes = 0;
    bool drawn = false; // a dash or box-drawing stroke no keyboard types
    for (const char32_t c : word.toUcs4()) {
        ++characters;
        const QChar::Category category = QChar::category(c);
        const bool stroke = category == QChar::Punctuation_Dash || category == QChar::Punctuation_Connector
            || (c >= 0x2500 && c <= 0x257F);
        strokes += stroke;
        drawn = drawn || (stroke && c > 0x7F);
    }
    return drawn && characters >= 3 && strokes * 5 >= characters * 4;
}

bool startsListItem(const TextLine &line)
{
    static const QRegularExpression itemStart(
        QStringLiteral("^\\s*(") + bulletClass() + QStringLiteral("|\\(?\\d{1,3}[.)]|\\(?[a-z][.)])\\s+\\S"));
    return itemStart.match(line.text()).hasMatch();
}

bool isPageNumber(const TextBlock &block)
{
    static const QRegularExpression pageNumber(
        QStringLiteral("^(page\\s*)?[-–]?\\s*([0-9]{1,4}|[ivxlc]{1,6})\\s*[-–]?(\\s*(of|/)\\s*\\d{1,4})?$"),
        QRegularExpression::CaseInsensitiveOption);
    return block.lines.size() == 1 && pageNumber.match(block.lines.first().text().trimmed()).hasMatch();
}

QString furnitureKey(const TextBlock &block)
{
    // Page numbers move from side to side on facing pages: drop them.
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    return block.text().toLower().remove(digits).simplified();
}

bool isMonospaceFont(const QString &fontName)
{
    static const QRegularExpression mono(QStringLiteral("courier|mono|consol|menlo|typewriter|cmtt|sftt|fixed|inconsolata"),
                                         QRegularExpression::CaseInsensitiveOption);
    return mono.match(fontName).hasMatch();
}

bool isMonospaced(const TextBlock &block)
{
    const QList<TextSpan> &spans = block.lines.first().spans;
    return !spans.isEmpty() && spans.first().monospace;
}

bool isTitleCase(const QList<TextSpan> &words)
{
    int counted = 0;
    for (const TextSpan &span : words) {
        const QString &word = span.text;
        if (word.isEmpty())
            continue;
        const bool minor = word.size() <= 3 && word.at(0).isLower();
        if (!(word.at(0).isUpper() || word.at(0).isDigit() || (minor && counted > 0)))
            return false;
        ++counted;
    }
    return counted > 0;
}

int numberingDepth(const QString &heading)
{
    static const QRegularExpression numbered(QStringLiteral("^(\\d{1,2}(?:\\.\\d{1,2}){0,5})\\.?\\s+\\S"));
    const QRegularExpressionMatch match = numbered.match(heading.trimmed());
    return match.hasMatch() ? static_cast<int>(match.captured(1).count(QLatin1Char('.'))) + 1 : 0;
}

QString headingKey(const QString &text)
{
    QString key;
    for (const QChar c : text)
        if (c.isLetterOrNumber())
            key += c.toLower();
    return key;
}

CaptionKind captionKind(const QString &text)
{
    static const QRegularExpression figure(
        QStringLiteral("^(figure|fig\\.|chart|image|photo|picture|graph|diagram|abbildung|abb\\.|illustration|图|圖|図)\\s*[0-9IVXivx]"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression table(
        QStringLiteral("^(table|tab\\.|tabelle|tableau|tabla|tabela|tabella|表)\\s*[0-9IVXivx]"),
        QRegularExpression::CaseInsensitiveOption);
    const QString opening = text.trimmed();
    if (figure.match(opening).hasMatch())
        return CaptionKind::Figure;
    if (table.match(opening).hasMatch())
        return CaptionKind::Table;
    return CaptionKind::None;
}

bool endsSentence(const QString &text)
{
    static const QRegularExpression end(QStringLiteral("[.!?:;。！？”\"')\\]]\\s*$"));
    return end.match(text).hasMatch();
}

bool closesSentenceWithValue(const TextLine &line)
{
    const QString text = line.text().trimmed();
    if (line.spans.isEmpty() || line.spans.size() > 3 || !text.endsWith(QLatin1Char('.')) || text.endsWith(QStringLiteral("..")))
        return false;
    // A comment ("// upon invocation.") is the listing's.
    const QChar first = text.front();
    return first.isLetterOrNumber() || QStringLiteral("'\"`").contains(first);
}

bool endsInCjkFullStop(const QString &text)
{
    const QString trimmed = text.trimmed();
    return !trimmed.isEmpty() && (trimmed.back() == QChar(0x3002) || trimmed.back() == QChar(0xFF61));
}

} // namespace DocRay
