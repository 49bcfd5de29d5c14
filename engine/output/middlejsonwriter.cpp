#include "engine/output/middlejsonwriter.h"

#include "engine/layout/textblocks.h"
#include "engine/output/markdownwriter.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace DocRay {

namespace {

QJsonArray bboxJson(const QRectF &r)
{
    auto round2 = [](double v) { return qRound(v * 100) / 100.0; };
    return {round2(r.left()), round2(r.top()), round2(r.right()), round2(r.bottom())};
}

// A page's geometry with every box cut to the page: text a slide or a
// drawing places partly off the page (a title box at y = -12) must not send
// consumers outside the page they render.
QRectF withinPage(const QRectF &box, const QSizeF &page)
{
    if (page.isEmpty() || box.isNull())
        return box;
    const double left = qBound(0.0, box.left(), page.width()), top = qBound(0.0, box.top(), page.height());
    const double right = qBound(left, box.right(), page.width()), bottom = qBound(top, box.bottom(), page.height());
    return QRectF(QPointF(left, top), QPointF(right, bottom));
}

void cutToPage(QList<TextLine> &lines, const QSizeF &page)
{
    for (TextLine &line : lines) {
        line.bbox = withinPage(line.bbox, page);
        for (TextSpan &span : line.spans)
            span.bbox = withinPage(span.bbox, page);
    }
}

PageLayout cutToPage(PageLayout page)
{
    for (TextBlock &block : page.blocks) {
        block.bbox = withinPage(block.bbox, page.size);
        cutToPage(block.lines, page.size);
        cutToPage(block.caption, page.size);
        cutToPage(block.footnote, page.size);
        for (TableCell &cell : block.cells)
            cell.bbox = withinPage(cell.bbox, page.size);
    }
    return page;
}

// The font most of a line's characters are set in.
QString lineFont(const TextLine &line)
{
    QHash<QString, qsizetype> characters;
    for (const TextSpan &span : line.spans)
        characters[span.fontName] += span.text.size();
    QString font;
    for (auto it = characters.cbegin(); it != characters.cend(); ++it)
        if (font.isNull() || it.value() > characters.value(font) || (it.value() == characters.value(font) && it.key() < font))
            font = it.key();
    return font;
}

// One span per line, its text spaced as doc-ray reads it, as MinerU writes
// its own: consumers join a line's spans with spaces, which would space
// Chinese and Japanese apart character by character and put a space before
// every punctuation mark that had a span of its own.
QJsonArray linesJson(const QList<TextLine> &lines)
{
    QJsonArray result;
    for (const TextLine &line : lines) {
        const QString content = line.text().trimmed();
        if (content.isEmpty())
            continue;
        const QJsonObject span{{QStringLiteral("bbox"), bboxJson(line.bbox)},
                               {QStringLiteral("content"), content},
                               {QStringLiteral("type"), QStringLiteral("text")},
                               {QStringLiteral("score"), 1.0},
                               {QStringLiteral("font_size"), qRound(line.fontSize() * 100) / 100.0},
                               {QStringLiteral("font_name"), lineFont(line)}};
        result.append(QJsonObject{{QStringLiteral("bbox"), bboxJson(line.bbox)}, {QStringLiteral("spans"), QJsonArray{span}}});
    }
    return result;
}

QJsonObject textBlockJson(const TextBlock &block, const QString &type, int index)
{
    return QJsonObject{{QStringLiteral("type"), type},
                       {QStringLiteral("bbox"), bboxJson(block.bbox)},
                       {QStringLiteral("lines"), linesJson(block.lines)},
                       {QStringLiteral("merged_text"), MarkdownWriter::joinLines(block.lines)},
                       {QStringLiteral("index"), index}};
}

QString tableHtml(const TextBlock &table)
{
    QString html = QStringLiteral("<table>");
    for (int row = 0; row < table.rows; ++row) {
        html += QStringLiteral("<tr>");
        for (const TableCell &cell : table.cells) {
            if (cell.row != row)
                continue;
            html += QStringLiteral("<td");
            if (cell.rowSpan > 1)
                html += QStringLiteral(" rowspan=\"%1\"").arg(cell.rowSpan);
            if (cell.columnSpan > 1)
                html += QStringLiteral(" colspan=\"%1\"").arg(cell.columnSpan);
            html += QLatin1Char('>') + cell.text.toHtmlEscaped() + QStringLiteral("</td>");
        }
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

// MinerU's shape for tables and images: an outer block holding a body block
// whose one line has one span carrying the table's html or the image's path.
QJsonObject bodyBlock(const QString &type, const QRectF &bbox, const QJsonObject &span, int index)
{
    return QJsonObject{{QStringLiteral("type"), type},
                       {QStringLiteral("bbox"), bboxJson(bbox)},
                       {QStringLiteral("lines"),
                        QJsonArray{QJsonObject{{QStringLiteral("bbox"), bboxJson(bbox)},
                                               {QStringLiteral("spans"), QJsonArray{span}}}}},
                       {QStringLiteral("index"), index}};
}

TextBlock linesBlock(const QList<TextLine> &lines)
{
    TextBlock block;
    block.lines = lines;
    for (const TextLine &line : lines)
        block.bbox = block.bbox.isNull() ? line.bbox : block.bbox.united(line.bbox);
    return block;
}

// MinerU's figures and tables: the body, the caption where the page has it
// (before the body when above it: consumers read the parts in order) and
// the note under them.
QJsonObject regionJson(const TextBlock &region, const QString &kind, const QJsonObject &bodySpan, int index)
{
    QJsonArray parts{bodyBlock(kind + QStringLiteral("_body"), region.bbox, bodySpan, index)};
    if (!region.caption.isEmpty()) {
        const QJsonObject caption = textBlockJson(linesBlock(region.caption), kind + QStringLiteral("_caption"), index);
        if (region.captionAbove())
            parts.prepend(caption);
        else
            parts.append(caption);
    }
    if (!region.footnote.isEmpty())
        parts.append(textBlockJson(linesBlock(region.footnote), kind + QStringLiteral("_footnote"), index));
    return QJsonObject{{QStringLiteral("type"), kind},
                       {QStringLiteral("bbox"), bboxJson(region.bbox)},
                       {QStringLiteral("blocks"), parts},
                       {QStringLiteral("index"), index}};
}

QJsonObject tableJson(const TextBlock &table, int index)
{
    QJsonObject span{{QStringLiteral("bbox"), bboxJson(table.bbox)},
                     {QStringLiteral("type"), QStringLiteral("table")},
                     {QStringLiteral("html"), tableHtml(table)},
                     {QStringLiteral("score"), 1.0}};
    if (!table.imageName.isEmpty())
        span.insert(QStringLiteral("image_path"), table.imageName);
    return regionJson(table, QStringLiteral("table"), span, index);
}

QJsonObject imageJson(const TextBlock &figure, int index)
{
    const QJsonObject span{{QStringLiteral("bbox"), bboxJson(figure.bbox)},
                           {QStringLiteral("type"), QStringLiteral("image")},
                           {QStringLiteral("image_path"), figure.imageName},
                           {QStringLiteral("score"), 1.0}};
    return regionJson(figure, QStringLiteral("image"), span, index);
}

// MinerU's display math: one span whose content is the formula (here the
// text layer's Unicode, not LaTeX).
QJsonObject equationJson(const TextBlock &block, int index)
{
    QStringList lines;
    for (const TextLine &line : block.lines)
        lines.append(line.text().trimmed());
    QJsonObject span{{QStringLiteral("bbox"), bboxJson(block.bbox)},
                     {QStringLiteral("type"), QStringLiteral("interline_equation")},
                     {QStringLiteral("content"), lines.join(QLatin1Char('\n'))}};
    if (!block.imageName.isEmpty())
        span.insert(QStringLiteral("image_path"), block.imageName);
    return bodyBlock(QStringLiteral("interline_equation"), block.bbox, span, index);
}

QJsonObject blockJson(const TextBlock &block, int index)
{
    switch (block.type) {
    case BlockType::Table: return tableJson(block, index);
    case BlockType::Figure: return imageJson(block, index);
    case BlockType::Title: {
        QJsonObject json = textBlockJson(block, QStringLiteral("title"), index);
        json.insert(QStringLiteral("level"), block.headingLevel);
        return json;
    }
    case BlockType::List: {
        // MinerU's generator breaks a list's text before each line flagged
        // as an item's first; without the flags a list is one paragraph.
        QJsonArray items;
        QJsonArray flaggedLines;
        for (const TextBlock &item : listItems(block)) {
            items.append(textBlockJson(item, QStringLiteral("text"), index));
            const QJsonArray lines = linesJson(item.lines);
            for (qsizetype i = 0; i < lines.size(); ++i) {
                QJsonObject line = lines[i].toObject();
                line.insert(QStringLiteral("is_list_start_line"), i == 0);
                line.insert(QStringLiteral("is_list_end_line"), i == lines.size() - 1);
                flaggedLines.append(line);
            }
        }
        QJsonObject json = textBlockJson(block, QStringLiteral("list"), index);
        json.insert(QStringLiteral("lines"), flaggedLines);
        json.insert(QStringLiteral("blocks"), items);
        json.insert(QStringLiteral("sub_type"), QStringLiteral("text"));
        return json;
    }
    case BlockType::Discarded: return textBlockJson(block, QStringLiteral("discarded"), index);
    case BlockType::Index: return textBlockJson(block, QStringLiteral("index"), index);
    case BlockType::Code: {
        // A text block, one line per line: MinerU 2.x's own generator and
        // ApeRAG (the original service's client) drop "code" blocks, text
        // and all. sub_type says what it is to readers that look.
        QJsonObject json = textBlockJson(block, QStringLiteral("text"), index);
        json.insert(QStringLiteral("sub_type"), QStringLiteral("code"));
        return json;
    }
    case BlockType::Formula: return equationJson(block, index);
    case BlockType::Text: break;
    }
    return textBlockJson(block, QStringLiteral("text"), index);
}

QByteArray compact(const QJsonArray &array)
{
    return QJsonDocument(array).toJson(QJsonDocument::Compact);
}

} // namespace

QByteArray MiddleJsonWriter::write(const QList<PageLayout> &pages) const
{
    // Page by page into one buffer: a JSON tree of a whole long document
    // would cost several times the document's own size.
    QByteArray json = "{\"pdf_info\":[";
    for (qsizetype p = 0; p < pages.size(); ++p) {
        const PageLayout page = cutToPage(pages[p]);
        QJsonArray paraBlocks;
        QJsonArray discarded;
        QJsonArray images;
        QJsonArray tables;
        QJsonArray equations;
        int index = 0;
        for (const TextBlock &block : page.blocks) {
            if (block.type == BlockType::Discarded) {
                discarded.append(blockJson(block, -1));
                continue;
            }
            const QJsonObject json = blockJson(block, index++);
            paraBlocks.append(json);
            if (block.type == BlockType::Table)
                tables.append(json);
            else if (block.type == BlockType::Figure)
                images.append(json);
            else if (block.type == BlockType::Formula)
                equations.append(json);
        }
        // The keys in QJsonObject's (sorted) order; the page's blocks are
        // written once for both of the lists that hold them.
        const QByteArray blocks = compact(paraBlocks);
        if (p > 0)
            json += ',';
        json += "{\"discarded_blocks\":" + compact(discarded) + ",\"extraction_method\":"
            + (page.method == ExtractionMethod::Ocr ? "\"ocr\"" : "\"text_layer\"") + ",\"images\":" + compact(images)
            + ",\"interline_equations\":" + compact(equations) + ",\"page_idx\":" + QByteArray::number(page.pageIndex)
            + ",\"page_size\":" + compact(QJsonArray{page.size.width(), page.size.height()}) + ",\"para_blocks\":" + blocks
            + ",\"preproc_blocks\":" + blocks + ",\"tables\":" + compact(tables) + '}';
    }
    json += "],\"_backend\":\"pipeline\",\"_parse_type\":\"auto\",\"_version_name\":\"doc-ray " DOCRAY_VERSION "\"}";
    return json;
}

} // namespace DocRay
