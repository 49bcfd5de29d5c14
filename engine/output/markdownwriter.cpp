#include "engine/output/markdownwriter.h"

#include "engine/core/packedbytes.h"
#include "engine/layout/textblocks.h"
#include "engine/layout/textpatterns.h"
#include "engine/output/markdownescape.h"
#include "engine/output/markdowntable.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace DocRay {

namespace {

constexpr double kMaxListingIndent = 5.0; // sizes: eight characters of code

QString listItem(const TextBlock &item)
{
    static const QRegularExpression number(QStringLiteral("^\\s*\\(?(\\d{1,3})[.)]\\s+"));
    static const QRegularExpression bullet(QStringLiteral("^\\s*") + bulletClass() + QStringLiteral("\\s+"));
    const QString text = MarkdownWriter::joinLines(item.lines);
    const QRegularExpressionMatch numbered = number.match(text);
    if (numbered.hasMatch())
        return numbered.captured(1) + QStringLiteral(". ") + escapeInline(text.mid(numbered.capturedEnd()));
    const QRegularExpressionMatch bulleted = bullet.match(text);
    // Lettered items ("a) ...") keep their letter inside a bullet item.
    return QStringLiteral("- ") + escapeInline(bulleted.hasMatch() ? text.mid(bulleted.capturedEnd()) : text);
}

// A paragraph cut by a column or page break: the first part stops mid-
// sentence and the second goes on in lower case.
bool continues(const QString &paragraph, const QString &next)
{
    return !paragraph.isEmpty() && !next.isEmpty() && !endsSentence(paragraph) && next.at(0).isLower();
}

QString joined(const QString &first, const QString &second)
{
    if (first.endsWith(QLatin1Char('-')) && first.size() > 1 && first.at(first.size() - 2).isLetter())
        return first.chopped(1) + second;
    return first + QLatin1Char(' ') + second;
}

// GFM has no spanning cells. A header cell over a few columns repeats its
// text across them, as docling writes it, so each column is labelled; any
// other spanning cell keeps its text in its first grid cell only, so a big
// merged region (or a diagram taken for a grid) does not copy text around.
QString tableMarkdown(const TextBlock &table)
{
    QList<QStringList> rows(table.rows, QStringList(table.columns));
    for (const TableCell &cell : table.cells) {
        const bool repeatAcross = cell.rowSpan == 1 && cell.columnSpan <= 3;
        const int lastColumn = repeatAcross ? qMin(table.columns, cell.column + cell.columnSpan) : cell.column + 1;
        if (cell.row < table.rows)
            for (int c = cell.column; c < qMin(table.columns, lastColumn); ++c)
                rows[cell.row][c] = MarkdownWriter::readableText(cell.text);
    }
    return MarkdownTable::render(rows).trimmed();
}

// Contents entries as a list: each entry's title and page, the leaders
// dropped; a line that is no entry (an entry's title broken over two
// lines) joins the entry it opens.
QString indexMarkdown(const TextBlock &block)
{
    static const QRegularExpression leaders(QStringLiteral("\\s*(?:(?:\\.\\s?){3,}|(?:·\\s?){3,}|…+|_{3,})\\s*\\.?\\s*(\\S+)$"));
    QStringList entries;
    QString pending;
    for (const TextLine &line : block.lines) {
        const QString text = MarkdownWriter::readableText(line.text()).trimmed();
        const QRegularExpressionMatch match = leaders.match(text);
        if (!match.hasMatch()) {
            pending = pending.isEmpty() ? text : pending + QLatin1Char(' ') + text;
            continue;
        }
        const QString title = (pending.isEmpty() ? QString() : pending + QLatin1Char(' ')) + text.left(match.capturedStart());
        entries.append(QStringLiteral("- ") + escapeInline(title) + QLatin1Char(' ') + match.captured(1));
        pending.clear();
    }
    if (!pending.isEmpty())
        entries.append(QStringLiteral("- ") + escapeInline(pending));
    return entries.join(QLatin1Char('\n'));
}

// A listing's lines as they stand, indented by their offset from the
// listing's left edge in characters of its font.
QStringList codeLines(const TextBlock &block, double left)
{
    double charWidth = 0;
    qsizetype chars = 0;
    for (const TextLine &line : block.lines)
        for (const TextSpan &span : line.spans) {
            charWidth += span.bbox.width();
            chars += span.text.size();
        }
    charWidth = chars > 0 ? charWidth / chars : 0;
    QStringList lines;
    for (const TextLine &line : block.lines) {
        const int indent = charWidth > 0 ? qRound((line.bbox.left() - left) / charWidth) : 0;
        lines.append(QString(qBound(0, indent, 40), QLatin1Char(' ')) + MarkdownWriter::readableText(line.text()).trimmed());
    }
    return lines;
}

QString codeMarkdown(const QStringList &lines)
{
    const QString body = lines.join(QLatin1Char('\n'));
    const QString fence = body.contains(QStringLiteral("```")) ? QStringLiteral("~~~") : QStringLiteral("```");
    return fence + QLatin1Char('\n') + body + QLatin1Char('\n') + fence;
}

QString figureMarkdown(const TextBlock &figure)
{
    return QStringLiteral("![](images/%1)").arg(figure.imageName);
}

// A figure or table with its caption where the page has it (above or
// below) and its note under both.
QString regionMarkdown(const TextBlock &region)
{
    QStringList parts{region.type == BlockType::Table ? tableMarkdown(region) : figureMarkdown(region)};
    const QString caption = MarkdownWriter::joinLines(region.caption);
    if (!caption.isEmpty())
        parts.insert(region.captionAbove() ? 0 : 1, escapeParagraph(caption));
    const QString footnote = MarkdownWriter::joinLines(region.footnote);
    if (!footnote.isEmpty())
        parts.append(escapeParagraph(footnote));
    return parts.join(QStringLiteral("\n\n"));
}

} // namespace

QString MarkdownWriter::joinLines(const QList<TextLine> &lines)
{
    QString text;
    for (const TextLine &line : lines) {
        const QString part = MarkdownWriter::readableText(line.text()).trimmed();
        if (part.isEmpty())
            continue;
        if (text.isEmpty())
            text = part;
        else if (text.endsWith(QLatin1Char('-')) && text.size() > 1 && text.at(text.size() - 2).isLetter()
                 && part.at(0).isLower())
            text = text.chopped(1) + part; // "ex-" + "ample": a word broken at the line end
        else if (joinsWithoutSpace(text.back(), part.front()))
            text += part; // no spaces in Chinese or Japanese, at line ends either
        else
            text += QLatin1Char(' ') + part;
    }
    return text;
}

namespace {

// Display math as the text layer spells it (Unicode, not LaTeX: there is
// no formula recognizer), one line per line, with the characters that mean
// something to TeX escaped so a math renderer shows them as they are.
QString formulaMarkdown(const TextBlock &block)
{
    static const QHash<QChar, QString> escapes{
        {QLatin1Char('\\'), QStringLiteral("\\backslash ")}, {QLatin1Char('{'), QStringLiteral("\\{")},
        {QLatin1Char('}'), QStringLiteral("\\}")},            {QLatin1Char('_'), QStringLiteral("\\_")},
        {QLatin1Char('^'), QStringLiteral("\\wedge ")},       {QLatin1Char('#'), QStringLiteral("\\#")},
        {QLatin1Char('%'), QStringLiteral("\\%")},            {QLatin1Char('&'), QStringLiteral("\\&")},
        {QLatin1Char('$'), QStringLiteral("\\$")},            {QLatin1Char('~'), QStringLiteral("\\sim ")}};
    QStringList lines;
    for (const TextLine &line : block.lines) {
        QString escaped;
        for (const QChar c : line.text().trimmed())
            escaped += escapes.value(c, QString(c));
        lines.append(escaped);
    }
    return QStringLiteral("$$\n") + lines.join(QLatin1Char('\n')) + QStringLiteral("\n$$");
}

// A listing the layout cut at its blank lines, at a column break or at a
// page break is one listing: nothing but page furniture comes between
// the pieces. Pieces one under another in a column (the body of an object
// set deeper than its opening brace, or a closing brace shallower) share
// the column's left edge for their indent; a piece at the top of the next
// column or page starts from its own.
class Listing
{
public:
    explicit Listing(const TextBlock &first) { m_column.append(&first); m_columnBox = first.bbox; }

    // Only a block on another page continues a sealed listing.
    bool continuedBy(const TextBlock &block, bool samePage) const { return !samePage || below(block) || inNextColumn(block); }

    void add(const TextBlock &block, bool samePage)
    {
        if (samePage && below(block)) {
            m_column.append(&block);
            m_columnBox = m_columnBox.united(block.bbox);
            return;
        }
        m_earlier += columnLines() + QStringList{QString()};
        m_column = {&block};
        m_sealedColumn.clear();
        m_columnBox = block.bbox;
    }

    // At the end of its page: the column's text is kept and its blocks,
    // which go with the page, are no longer read.
    void seal()
    {
        m_sealedColumn = columnLines();
        m_column.clear();
    }

    QString markdown() const { return codeMarkdown(m_earlier + columnLines()); }

private:
    bool below(const TextBlock &block) const
    {
        const double size = m_column.last()->fontSize();
        const double gap = block.bbox.top() - m_column.last()->bbox.bottom();
        return block.bbox.left() > m_columnBox.left() - kMaxListingIndent * size && block.bbox.left() < m_columnBox.right()
            && gap >= 0 && gap < 3 * size;
    }

    bool inNextColumn(const TextBlock &block) const
    {
        const TextBlock &last = *m_column.last();
        return block.bbox.top() < last.bbox.top() && block.bbox.left() > m_columnBox.right() - last.fontSize();
    }

    QStringList columnLines() const
    {
        if (m_column.isEmpty())
            return m_sealedColumn;
        QStringList lines;
        for (const TextBlock *piece : m_column) {
            if (!lines.isEmpty())
                lines += QString();
            lines += codeLines(*piece, m_columnBox.left());
        }
        return lines;
    }

    QStringList m_earlier; // the pieces in columns and pages before
    QList<const TextBlock *> m_column; // the pieces in this column, while their page is written
    QStringList m_sealedColumn;        // or their lines, once it is written
    QRectF m_columnBox;
};

} // namespace

struct MarkdownWriter::State {
    QStringList blocks; // written, but a later block may still extend the last or fill in a listing
    PackingStream written; // the blocks before, as UTF-8 joined by blank lines
    bool anyWritten = false;
    qint64 writtenBytes = 0;
    bool lastWasParagraph = false;
    bool lastWasIndex = false;
    std::optional<Listing> listing; // the one the last block continued, written when it ends
    qsizetype listingAt = -1;       // its place in `blocks`
    bool listingOnThisPage = false;

    void endListing()
    {
        if (listing)
            blocks[listingAt] = listing->markdown();
        listing.reset();
    }

    qsizetype settledBlocks() const;
    void write(qsizetype count);
    void add(const TextBlock &block);
    void addCode(const TextBlock &block);
    void addList(const TextBlock &block);
};

MarkdownWriter::MarkdownWriter()
    : m_state(std::make_unique<State>())
{
}

MarkdownWriter::~MarkdownWriter() = default;

void MarkdownWriter::addPage(const PageLayout &page)
{
    m_state->listingOnThisPage = false;
    for (const TextBlock &block : page.blocks)
        m_state->add(block);
    // The page may be released once written: a listing it ends keeps its text, not its blocks.
    if (m_state->listing)
        m_state->listing->seal();
    m_state->write(m_state->settledBlocks());
}

QByteArray MarkdownWriter::finish()
{
    m_state->endListing();
    m_state->write(m_state->blocks.size());
    if (m_state->writtenBytes > 0)
        m_state->written.append("\n");
    QByteArray markdown = m_state->written.finish();
    m_state = std::make_unique<State>();
    return markdown;
}

// Every block but the last, which a paragraph or an index on the next page
// may extend, and an open listing's, which is filled in when it ends.
qsizetype MarkdownWriter::State::settledBlocks() const
{
    return listing ? std::min(listingAt, blocks.size() - 1) : blocks.size() - 1;
}

// The first `count` blocks, joined by blank lines, out of `blocks`.
void MarkdownWriter::State::write(qsizetype count)
{
    if (count <= 0)
        return;
    for (qsizetype i = 0; i < count; ++i) {
        const QByteArray text = blocks.at(i).toUtf8();
        if (anyWritten)
            written.append("\n\n");
        written.append(text);
        writtenBytes += text.size() + (anyWritten ? 2 : 0);
        anyWritten = true;
    }
    blocks.remove(0, count);
    listingAt -= count;
}

void MarkdownWriter::State::add(const TextBlock &block)
{
    if (block.type == BlockType::Table || block.type == BlockType::Figure) {
        endListing();
        blocks.append(regionMarkdown(block));
        lastWasParagraph = lastWasIndex = false;
        return;
    }
    if (block.lines.isEmpty())
        return;
    if (block.type != BlockType::Discarded) {
        lastWasIndex = block.type == BlockType::Index;
        if (block.type != BlockType::Code)
            endListing();
    }
    switch (block.type) {
    case BlockType::Discarded:
    case BlockType::Table:
    case BlockType::Figure: return;
    case BlockType::Code: addCode(block); return;
    case BlockType::Index:
        // Entries the layout set apart are still one list.
        if (lastWasIndex)
            blocks.last() += QLatin1Char('\n') + indexMarkdown(block);
        else
            blocks.append(indexMarkdown(block));
        lastWasParagraph = false;
        lastWasIndex = true;
        return;
    case BlockType::Formula:
        blocks.append(formulaMarkdown(block));
        lastWasParagraph = false;
        return;
    case BlockType::Title:
        blocks.append(QString(block.headingLevel, QLatin1Char('#')) + QLatin1Char(' ') + escapeInline(MarkdownWriter::joinLines(block.lines)));
        lastWasParagraph = false;
        return;
    case BlockType::List: addList(block); return;
    case BlockType::Text: {
        const QString text = MarkdownWriter::joinLines(block.lines);
        if (lastWasParagraph && continues(blocks.last(), text))
            blocks.last() = joined(blocks.last(), escapeInline(text));
        else
            blocks.append(escapeParagraph(text));
        lastWasParagraph = true;
        return;
    }
    }
}

void MarkdownWriter::State::addCode(const TextBlock &block)
{
    if (listing && listing->continuedBy(block, listingOnThisPage)) {
        listing->add(block, listingOnThisPage);
    } else {
        endListing();
        listing.emplace(block);
        listingAt = blocks.size();
        blocks.append(QString());
    }
    listingOnThisPage = true;
    lastWasParagraph = false;
}

// Nesting from indentation: each distinct left edge is a level.
void MarkdownWriter::State::addList(const TextBlock &block)
{
    const QList<TextBlock> itemBlocks = listItems(block);
    QList<double> indents;
    for (const TextBlock &item : itemBlocks) {
        const double left = item.bbox.left();
        if (std::none_of(indents.cbegin(), indents.cend(), [left](double x) { return qAbs(x - left) < 4; }))
            indents.append(left);
    }
    std::sort(indents.begin(), indents.end());
    QStringList items;
    for (const TextBlock &item : itemBlocks) {
        const auto level = std::find_if(indents.cbegin(), indents.cend(),
                                        [&item](double x) { return qAbs(x - item.bbox.left()) < 4; })
            - indents.cbegin();
        items.append(QString(4 * level, QLatin1Char(' ')) + listItem(item));
    }
    blocks.append(items.join(QLatin1Char('\n')));
    lastWasParagraph = false;
}

QString MarkdownWriter::readableText(QString text)
{
    // Ligatures and odd spaces that PDF text layers and OCR carry, in one
    // pass: the writers ask for every line, most of which carry none.
    auto replacement = [](char16_t c) -> const char * {
        switch (c) {
        case 0xFB00: return "ff";
        case 0xFB01: return "fi";
        case 0xFB02: return "fl";
        case 0xFB03: return "ffi";
        case 0xFB04: return "ffl";
        case 0xFB06: return "st";
        case 0x00A0:
        case 0x2009: return " ";
        case 0x00AD: return ""; // a soft hyphen
        default: return nullptr;
        }
    };
    const auto first = std::find_if(text.cbegin(), text.cend(), [&](QChar c) { return replacement(c.unicode()); });
    if (first == text.cend())
        return text;
    QString out;
    out.reserve(text.size() + 4);
    out.append(QStringView(text.cbegin(), first));
    for (auto it = first; it != text.cend(); ++it) {
        if (const char *with = replacement(it->unicode()))
            out.append(QLatin1String(with));
        else
            out.append(*it);
    }
    return out;
}

} // namespace DocRay
