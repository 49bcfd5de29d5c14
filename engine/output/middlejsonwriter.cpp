#include "engine/output/middlejsonwriter.h"

#include "engine/layout/textblocks.h"
#include "engine/output/markdownwriter.h"

#include "engine/output/jsontext.h"


#include <algorithm>
#include <vector>

namespace DocRay {

namespace {

QByteArray bboxJson(const QRectF &r)
{
    auto round2 = [](double v) { return JsonText::number(qRound(v * 100) / 100.0); };
    return JsonText::array({round2(r.left()), round2(r.top()), round2(r.right()), round2(r.bottom())});
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

// The font most of a line's characters are set in; of two with as many,
// the first by name.
QString lineFont(const TextLine &line)
{
    const QString &first = line.spans.isEmpty() ? QString() : line.spans.first().fontName;
    if (std::all_of(line.spans.cbegin(), line.spans.cend(), [&first](const TextSpan &span) { return span.fontName == first; }))
        return first;
    std::vector<std::pair<QString, qsizetype>> characters; // by name
    for (const TextSpan &span : line.spans)
        characters.emplace_back(span.fontName, span.text.size());
    std::sort(characters.begin(), characters.end(), [](const auto &a, const auto &b) { return a.first < b.first; });
    QString font;
    qsizetype most = -1;
    for (size_t i = 0; i < characters.size();) {
        qsizetype count = 0;
        size_t end = i;
        for (; end < characters.size() && characters[end].first == characters[i].first; ++end)
            count += characters[end].second;
        if (count > most) {
            most = count;
            font = characters[i].first;
        }
        i = end;
    }
    return font;
}

// One span per line, its text spaced as doc-ray reads it, as MinerU writes
// its own: consumers join a line's spans with spaces, which would space
// Chinese and Japanese apart character by character and put a space before
// every punctuation mark that had a span of its own. A list's lines carry
// whether they open or close an item.
enum class ListFlags { None, Item };

// A line as JsonText::Object would write it (members sorted by key),
// written straight into one buffer: a page holds hundreds.
QByteArray lineJson(const TextLine &line, const QString &content, ListFlags flags, bool first, bool last)
{
    const QByteArray bbox = bboxJson(line.bbox);
    const QByteArray text = JsonText::string(content);
    QByteArray json;
    json.reserve(2 * bbox.size() + text.size() + 160);
    json += "{\"bbox\":";
    json += bbox;
    if (flags == ListFlags::Item) {
        json += ",\"is_list_end_line\":";
        json += JsonText::boolean(last);
        json += ",\"is_list_start_line\":";
        json += JsonText::boolean(first);
    }
    json += ",\"spans\":[{\"bbox\":";
    json += bbox;
    json += ",\"content\":";
    json += text;
    json += ",\"font_name\":";
    json += JsonText::string(lineFont(line));
    json += ",\"font_size\":";
    json += JsonText::number(qRound(line.fontSize() * 100) / 100.0);
    json += ",\"score\":";
    json += JsonText::number(1.0);
    json += ",\"type\":\"text\"}]}";
    return json;
}

QList<QByteArray> lineObjects(const QList<TextLine> &lines, ListFlags flags = ListFlags::None)
{
    QList<const TextLine *> written;
    QStringList contents;
    for (const TextLine &line : lines) {
        const QString content = MarkdownWriter::readableText(line.text()).trimmed();
        if (content.isEmpty())
            continue;
        written.append(&line);
        contents.append(content);
    }
    QList<QByteArray> result;
    result.reserve(written.size());
    for (qsizetype i = 0; i < written.size(); ++i)
        result.append(lineJson(*written[i], contents[i], flags, i == 0, i == written.size() - 1));
    return result;
}

JsonText::Object textBlockJson(const TextBlock &block, QStringView type, int index)
{
    JsonText::Object json;
    json.set("type", type)
        .set("bbox", bboxJson(block.bbox))
        .set("lines", JsonText::array(lineObjects(block.lines)))
        .set("merged_text", MarkdownWriter::joinLines(block.lines))
        .set("index", index);
    return json;
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
            html += QLatin1Char('>') + MarkdownWriter::readableText(cell.text).toHtmlEscaped() + QStringLiteral("</td>");
        }
        html += QStringLiteral("</tr>");
    }
    return html + QStringLiteral("</table>");
}

// MinerU's shape for tables and images: an outer block holding a body block
// whose one line has one span carrying the table's html or the image's path.
QByteArray bodyBlock(const QString &type, const QRectF &bbox, const QByteArray &span, int index)
{
    const QByteArray line = JsonText::Object().set("bbox", bboxJson(bbox)).set("spans", JsonText::array({span})).text();
    return JsonText::Object()
        .set("type", type)
        .set("bbox", bboxJson(bbox))
        .set("lines", JsonText::array({line}))
        .set("index", index)
        .text();
}

TextBlock linesBlock(const QList<TextLine> &lines)
{
    TextBlock block;
    block.lines = lines;
    for (const TextLine &line : lines)
        block.bbox = block.bbox.isNull() ? line.bbox : block.bbox.united(line.bbox);
    return block;
}

// MinerU's figures and tables: the body, then the caption and the note
// under it. The body comes first wherever the caption sits: MinerU's own
// generators place each part by its type, while ApeRAG's reader sets a
// table's text at its body and so dropped every caption read before it.
QByteArray regionJson(const TextBlock &region, const QString &kind, const QByteArray &bodySpan, int index)
{
    QList<QByteArray> parts{bodyBlock(kind + QStringLiteral("_body"), region.bbox, bodySpan, index)};
    if (!region.caption.isEmpty())
        parts.append(textBlockJson(linesBlock(region.caption), QString(kind + QStringLiteral("_caption")), index).text());
    if (!region.footnote.isEmpty())
        parts.append(textBlockJson(linesBlock(region.footnote), QString(kind + QStringLiteral("_footnote")), index).text());
    return JsonText::Object()
        .set("type", kind)
        .set("bbox", bboxJson(region.bbox))
        .set("blocks", JsonText::array(parts))
        .set("index", index)
        .text();
}

QByteArray tableJson(const TextBlock &table, int index)
{
    JsonText::Object span;
    span.set("bbox", bboxJson(table.bbox)).set("type", QStringView(u"table")).set("html", tableHtml(table)).set("score", 1.0);
    if (!table.imageName.isEmpty())
        span.set("image_path", table.imageName);
    return regionJson(table, QStringLiteral("table"), span.text(), index);
}

QByteArray imageJson(const TextBlock &figure, int index)
{
    JsonText::Object span;
    span.set("bbox", bboxJson(figure.bbox))
        .set("type", QStringView(u"image"))
        .set("image_path", figure.imageName)
        .set("score", 1.0);
    return regionJson(figure, QStringLiteral("image"), span.text(), index);
}

// MinerU's display math: one span whose content is the formula (here the
// text layer's Unicode, not LaTeX).
QByteArray equationJson(const TextBlock &block, int index)
{
    QStringList lines;
    for (const TextLine &line : block.lines)
        lines.append(MarkdownWriter::readableText(line.text()).trimmed());
    JsonText::Object span;
    span.set("bbox", bboxJson(block.bbox))
        .set("type", QStringView(u"interline_equation"))
        .set("content", lines.join(QLatin1Char('\n')));
    if (!block.imageName.isEmpty())
        span.set("image_path", block.imageName);
    return bodyBlock(QStringLiteral("interline_equation"), block.bbox, span.text(), index);
}

QByteArray blockJson(const TextBlock &block, int index)
{
    switch (block.type) {
    case BlockType::Table: return tableJson(block, index);
    case BlockType::Figure: return imageJson(block, index);
    case BlockType::Title: return textBlockJson(block, u"title", index).set("level", block.headingLevel).text();
    case BlockType::List: {
        // MinerU's generator breaks a list's text before each line flagged
        // as an item's first; without the flags a list is one paragraph.
        QList<QByteArray> items;
        QList<QByteArray> flaggedLines;
        for (const TextBlock &item : listItems(block)) {
            items.append(textBlockJson(item, u"text", index).text());
            flaggedLines += lineObjects(item.lines, ListFlags::Item);
        }
        return textBlockJson(block, u"list", index)
            .set("lines", JsonText::array(flaggedLines))
            .set("blocks", JsonText::array(items))
            .set("sub_type", QStringView(u"text"))
            .text();
    }
    case BlockType::Discarded: return textBlockJson(block, u"discarded", index).text();
    case BlockType::Index: return textBlockJson(block, u"index", index).text();
    case BlockType::Code:
        // A text block, one line per line: MinerU 2.x's own generator and
        // ApeRAG (the original service's client) drop "code" blocks, text
        // and all. sub_type says what it is to readers that look.
        return textBlockJson(block, u"text", index).set("sub_type", QStringView(u"code")).text();
    case BlockType::Formula: return equationJson(block, index);
    case BlockType::Text: break;
    }
    return textBlockJson(block, u"text", index).text();
}

} // namespace

MiddleJsonWriter::MiddleJsonWriter()
{
    m_json.append("{\"pdf_info\":[");
}

void MiddleJsonWriter::addPage(const PageLayout &read)
{
    const PageLayout page = cutToPage(read);
    QList<QByteArray> paraBlocks, discarded, images, tables, equations;
    int index = 0;
    for (const TextBlock &block : page.blocks) {
        if (block.type == BlockType::Discarded) {
            discarded.append(blockJson(block, -1));
            continue;
        }
        const QByteArray blockText = blockJson(block, index++);
        paraBlocks.append(blockText);
        if (block.type == BlockType::Table)
            tables.append(blockText);
        else if (block.type == BlockType::Figure)
            images.append(blockText);
        else if (block.type == BlockType::Formula)
            equations.append(blockText);
    }
    // The page's blocks are written once for both of the lists that hold them.
    const QByteArray blocks = JsonText::array(paraBlocks);
    if (m_pages++ > 0)
        m_json.append(",");
    m_json.append(JsonText::Object()
                  .set("page_idx", page.pageIndex)
                  .set("page_size", JsonText::array({JsonText::number(page.size.width()), JsonText::number(page.size.height())}))
                  .set("extraction_method", page.method == ExtractionMethod::Ocr ? QStringView(u"ocr") : QStringView(u"text_layer"))
                  .set("preproc_blocks", blocks)
                  .set("para_blocks", blocks)
                  .set("discarded_blocks", JsonText::array(discarded))
                  .set("images", JsonText::array(images))
                  .set("tables", JsonText::array(tables))
                  .set("interline_equations", JsonText::array(equations))
                  .text());
}

QByteArray MiddleJsonWriter::finish()
{
    m_json.append("],\"_backend\":\"pipeline\",\"_parse_type\":\"auto\",\"_version_name\":\"doc-ray " DOCRAY_VERSION "\"}");
    QByteArray packed = m_json.finish();
    m_pages = 0;
    m_json.append("{\"pdf_info\":[");
    return packed;
}

QByteArray MiddleJsonWriter::write(const QList<PageLayout> &pages)
{
    MiddleJsonWriter writer;
    for (const PageLayout &page : pages)
        writer.addPage(page);
    return unpack(writer.finish());
}

} // namespace DocRay
