#include "engine/html/htmlreader.h"

#include "engine/output/markdownescape.h"

#include <QRegularExpression>
#include <QStringDecoder>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>

namespace DocRay {

namespace {

QString decodeHtml(const QByteArray &data)
{
    // The page's own <meta charset> (or BOM) wins; the web's default is UTF-8.
    const std::optional<QStringConverter::Encoding> encoding = QStringConverter::encodingForHtml(data);
    QStringDecoder decoder(encoding.value_or(QStringConverter::Utf8));
    return decoder.decode(data);
}

// Tidies what QTextMarkdownWriter writes: it puts a blank line after every
// line of a <pre> block, glues a numbered list onto a bulleted one and
// leaves no blank line after a closing fence.
QString tidyMarkdown(const QString &markdown)
{
    static const QRegularExpression orderedItem(QStringLiteral("^(\\s*\\d+[.)])\\s{2,}"));
    static const QRegularExpression bulletItem(QStringLiteral("^\\s*[-*+] "));
    static const QRegularExpression numberedItem(QStringLiteral("^\\s*\\d+[.)] "));
    const QStringList lines = markdown.split(QLatin1Char('\n'));
    QStringList out;
    bool inFence = false;
    for (qsizetype i = 0; i < lines.size(); ++i) {
        QString line = lines[i];
        if (line.startsWith(QLatin1String("```"))) {
            if (inFence) {
                while (!out.isEmpty() && out.last().isEmpty())
                    out.removeLast();
                out.append(line);
                out.append(QString());
            } else {
                out.append(line);
            }
            inFence = !inFence;
            continue;
        }
        if (inFence) {
            // Qt separates the lines of one code block by an empty line each.
            out.append(line);
            if (i + 1 < lines.size() && lines[i + 1].isEmpty())
                ++i;
            continue;
        }
        line.replace(orderedItem, QStringLiteral("\\1 "));
        if (!out.isEmpty() && !out.last().isEmpty()) {
            const QString &previous = out.last();
            const bool switchesKind
                = (bulletItem.match(previous).hasMatch() && numberedItem.match(line).hasMatch())
                || (numberedItem.match(previous).hasMatch() && bulletItem.match(line).hasMatch());
            const int indentPrevious = int(previous.size() - previous.trimmed().size());
            const int indentLine = int(line.size() - QString(line).trimmed().size());
            if (switchesKind && indentPrevious == indentLine)
                out.append(QString());
        }
        out.append(line);
    }
    return out.join(QLatin1Char('\n'));
}

// Qt's markdown writer prints text as it is: "<component>" became an HTML
// tag (and swallowed the rest of the typeset page), a paragraph opening
// with "#" a heading. Text outside code is escaped in place first, as the
// other readers escape theirs.
void escapeText(QTextDocument &document)
{
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        if (block.blockFormat().nonBreakableLines()) // <pre>: written as a fenced block
            continue;
        QList<QTextFragment> fragments;
        for (auto it = block.begin(); !it.atEnd(); ++it)
            fragments.append(it.fragment());
        for (qsizetype i = fragments.size() - 1; i >= 0; --i) {
            const QTextFragment &fragment = fragments[i];
            const QTextCharFormat format = fragment.charFormat();
            if (!fragment.isValid() || format.isImageFormat() || format.fontFixedPitch()) // pictures; code spans
                continue;
            const QString escaped = i == 0 ? escapeParagraph(fragment.text()) : escapeInline(fragment.text());
            if (escaped == fragment.text())
                continue;
            QTextCursor cursor(&document);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.insertText(escaped, format);
        }
    }
}

} // namespace

MarkdownResult HtmlReader::read(const QByteArray &data) const
{
    QString html = decodeHtml(data);
    // Qt's importer would print script and style bodies as text; navigation
    // chrome has no place in a document either.
    static const QRegularExpression dropped(
        QStringLiteral("<(script|style|noscript|template|nav)\\b[^>]*>.*?</\\1\\s*>"),
        QRegularExpression::CaseInsensitiveOption | QRegularExpression::DotMatchesEverythingOption);
    html.remove(dropped);

    QTextDocument document;
    document.setHtml(html);
    escapeText(document);
    QString markdown = tidyMarkdown(document.toMarkdown(QTextDocument::MarkdownDialectGitHub));
    // Qt wraps long lines at 80 columns and leaves runs of blank lines; neither
    // changes the rendering, both make the text harder to diff and score.
    static const QRegularExpression blankRuns(QStringLiteral("\\n{3,}"));
    markdown.replace(blankRuns, QStringLiteral("\n\n"));
    markdown = markdown.trimmed();
    if (markdown.isEmpty())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The HTML page has no text.")};
    return MarkdownDocument{markdown + QLatin1Char('\n'), {}};
}

} // namespace DocRay
