#include "engine/output/contentlist.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace DocRay {

namespace {

QJsonArray thousandths(const QRectF &box, const QSizeF &page)
{
    if (page.isEmpty())
        return {};
    return {int(box.left() * 1000 / page.width()), int(box.top() * 1000 / page.height()),
            int(box.right() * 1000 / page.width()), int(box.bottom() * 1000 / page.height())};
}

QJsonObject entry(const ResultBlock &block)
{
    using Kind = ResultBlock::Kind;
    QJsonObject json;
    switch (block.kind) {
    case Kind::Heading:
        json = {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), block.text},
                {QStringLiteral("text_level"), block.level}};
        break;
    case Kind::Text:
    case Kind::List:
    case Kind::Index:
        json = {{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("text"), blockMarkdown(block)}};
        break;
    case Kind::Code:
        json = {{QStringLiteral("type"), QStringLiteral("code")}, {QStringLiteral("sub_type"), QStringLiteral("code")},
                {QStringLiteral("code_body"), blockMarkdown(block)}, {QStringLiteral("code_caption"), QJsonArray{}},
                {QStringLiteral("code_footnote"), QJsonArray{}}};
        break;
    case Kind::Equation:
        // The text layer's Unicode, not LaTeX: text_format says so.
        json = {{QStringLiteral("type"), QStringLiteral("equation")}, {QStringLiteral("img_path"), block.imagePath},
                {QStringLiteral("text"), blockMarkdown(block)}, {QStringLiteral("text_format"), QStringLiteral("text")}};
        break;
    case Kind::Table:
        json = {{QStringLiteral("type"), QStringLiteral("table")}, {QStringLiteral("img_path"), block.imagePath},
                {QStringLiteral("table_body"), block.html},
                {QStringLiteral("table_caption"), QJsonArray::fromStringList(block.captions)},
                {QStringLiteral("table_footnote"), QJsonArray::fromStringList(block.footnotes)}};
        break;
    case Kind::Image:
        json = {{QStringLiteral("type"), QStringLiteral("image")}, {QStringLiteral("img_path"), block.imagePath},
                {QStringLiteral("image_caption"), QJsonArray::fromStringList(block.captions)},
                {QStringLiteral("image_footnote"), QJsonArray::fromStringList(block.footnotes)}};
        break;
    }
    const QJsonArray bbox = thousandths(block.bbox, block.pageSize);
    if (!bbox.isEmpty())
        json.insert(QStringLiteral("bbox"), bbox);
    json.insert(QStringLiteral("page_idx"), block.pageIndex);
    return json;
}

} // namespace

QByteArray contentListJson(const QList<ResultBlock> &blocks)
{
    QJsonArray list;
    for (const ResultBlock &block : blocks)
        list.append(entry(block));
    return QJsonDocument(list).toJson(QJsonDocument::Indented);
}

} // namespace DocRay
