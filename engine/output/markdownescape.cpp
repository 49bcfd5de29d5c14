#include "engine/output/markdownescape.h"

#include <QRegularExpression>

namespace DocRay {

namespace {

bool isWordChar(QChar c)
{
    return c.isLetterOrNumber();
}

} // namespace

QString escapeInline(const QString &text)
{
    QString out;
    out.reserve(text.size() + 8);
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar before = i > 0 ? text.at(i - 1) : QChar();
        const QChar after = i + 1 < text.size() ? text.at(i + 1) : QChar();
        bool escape = false;
        switch (c.unicode()) {
        case '*':
        case '`': escape = true; break;
        case '_': escape = !(isWordChar(before) && isWordChar(after)); break;
        case '<': escape = after.isLetter() || after == QLatin1Char('/') || after == QLatin1Char('!') || after == QLatin1Char('?'); break;
        // "[a](b)" is a link; "[a][b]" only with a definition of b, and no
        // text can make one (escapeBlockStart).
        case '[': escape = text.indexOf(QStringLiteral("]("), i) > i; break;
        case '\\': escape = after.unicode() < 128 && after.isPunct(); break;
        default: break;
        }
        if (escape)
            out += QLatin1Char('\\');
        out += c;
    }
    return out;
}

QString escapeParagraph(const QString &text)
{
    return escapeBlockStart(escapeInline(text));
}

QString escapeBlockStart(const QString &inlineEscaped)
{
    static const QRegularExpression blockStart(
        QStringLiteral("^(?:(#{1,6})(?:\\s|$)|(>)|([-+])(?:\\s|$)|\\d{1,9}([.)])(?:\\s|$)|(=+|-{2,})\\s*$|(\\[)[^\\]]+\\]:)"));
    QString escaped = inlineEscaped;
    const QRegularExpressionMatch match = blockStart.match(escaped);
    if (match.hasMatch()) {
        for (int group = 1; group <= 6; ++group)
            if (match.capturedStart(group) >= 0) {
                escaped.insert(match.capturedStart(group), QLatin1Char('\\'));
                break;
            }
    }
    return escaped;
}

} // namespace DocRay
