#include "engine/middlejsonwriter.h"

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

QJsonObject blockJson(const TextBlock &block, int index)
{
    QJsonArray lines;
    for (const TextLine &line : block.lines) {
        QJsonArray spans;
        for (const TextSpan &span : line.spans)
            spans.append(QJsonObject{{QStringLiteral("bbox"), bboxJson(span.bbox)},
                                     {QStringLiteral("content"), span.text},
                                     {QStringLiteral("type"), QStringLiteral("text")},
                                     {QStringLiteral("score"), 1.0},
                                     {QStringLiteral("font_size"), span.fontSize},
                                     {QStringLiteral("font_name"), span.fontName}});
        lines.append(QJsonObject{{QStringLiteral("bbox"), bboxJson(line.bbox)},
                                 {QStringLiteral("spans"), spans}});
    }
    QString type = QStringLiteral("text");
    if (block.type == BlockType::Title)
        type = QStringLiteral("title");
    else if (block.type == BlockType::Discarded)
        type = QStringLiteral("discarded");
    QJsonObject json{{QStringLiteral("type"), type},
                     {QStringLiteral("bbox"), bboxJson(block.bbox)},
                     {QStringLiteral("lines"), lines},
                     {QStringLiteral("index"), index}};
    if (block.type == BlockType::Title)
        json.insert(QStringLiteral("level"), block.headingLevel);
    return json;
}

} // namespace

QByteArray MiddleJsonWriter::write(const QList<PageLayout> &pages) const
{
    QJsonArray pdfInfo;
    for (const PageLayout &page : pages) {
        QJsonArray paraBlocks;
        QJsonArray discarded;
        int index = 0;
        for (const TextBlock &block : page.blocks) {
            if (block.type == BlockType::Discarded)
                discarded.append(blockJson(block, -1));
            else
                paraBlocks.append(blockJson(block, index++));
        }
        pdfInfo.append(QJsonObject{
            {QStringLiteral("page_idx"), page.pageIndex},
            {QStringLiteral("page_size"), QJsonArray{page.size.width(), page.size.height()}},
            {QStringLiteral("extraction_method"),
             page.method == ExtractionMethod::Ocr ? QStringLiteral("ocr") : QStringLiteral("txt")},
            {QStringLiteral("preproc_blocks"), paraBlocks},
            {QStringLiteral("para_blocks"), paraBlocks},
            {QStringLiteral("discarded_blocks"), discarded},
            {QStringLiteral("images"), QJsonArray()},
            {QStringLiteral("tables"), QJsonArray()},
            {QStringLiteral("interline_equations"), QJsonArray()},
        });
    }
    const QJsonObject root{{QStringLiteral("pdf_info"), pdfInfo},
                           {QStringLiteral("_backend"), QStringLiteral("pipeline")},
                           {QStringLiteral("_parse_type"), QStringLiteral("auto")},
                           {QStringLiteral("_version_name"), QStringLiteral("doc-ray " DOCRAY_VERSION)}};
    return QJsonDocument(root).toJson(QJsonDocument::Compact);
}

} // namespace DocRay
