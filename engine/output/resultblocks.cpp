#include "engine/output/resultblocks.h"

#include "engine/core/pagelayout.h"
#include "engine/layout/textpatterns.h"
#include "engine/output/markdownescape.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTransform>

#include <algorithm>

namespace DocRay {

namespace {

QRectF boxOf(const QJsonValue &bbox)
{
    const QJsonArray corners = bbox.toArray();
    if (corners.size() != 4)
        return {};
    return QRectF(QPointF(corners[0].toDouble(), corners[1].toDouble()), QPointF(corners[2].toDouble(), corners[3].toDouble()));
}

QString lineText(const QJsonObject &line)
{
    QString text;
    for (const QJsonValue &span : line.value(QStringLiteral("spans")).toArray()) {
        const QString content = span.toObject().value(QStringLiteral("content")).toString();
        if (!text.isEmpty() && !content.isEmpty() && !joinsWithoutSpace(text.back(), content.front()))
            text += QLatin1Char(' ');
        text += content;
    }
    return text;
}

// The block's text as doc-ray joined it (merged_text), else its lines'.
QString blockText(const QJsonObject &block)
{
    const QString merged = block.value(QStringLiteral("merged_text")).toString();
    if (!merged.isEmpty())
        return merged;
    QStringList lines;
    for (const QJsonValue &line : block.value(QStringLiteral("lines")).toArray())
        lines.append(lineText(line.toObject()));
    return lines.join(QLatin1Char(' '));
}

// The page turned so that its lines read across, left to right: the
// middle JSON keeps a turned page in its own frame (a scan read sideways).
// Lines follow one another down the page as it reads: apart along that
// axis, side by side across it.
QTransform readingFrame(const QJsonArray &lines)
{
    double across = 0, along = 0; // how far the lines run on from one another, sideways and down the page
    int sideways = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QRectF a = boxOf(lines[i - 1][QStringLiteral("bbox")]), b = boxOf(lines[i][QStringLiteral("bbox")]);
        const double overlapX = qMin(a.right(), b.right()) - qMax(a.left(), b.left());
        const double overlapY = qMin(a.bottom(), b.bottom()) - qMax(a.top(), b.top());
        sideways += overlapY > overlapX ? 1 : -1;
        across += b.center().x() - a.center().x();
        along += b.center().y() - a.center().y();
    }
    if (sideways <= 0)
        return QTransform().rotate(along >= 0 ? 0 : 180);
    return QTransform().rotate(across > 0 ? 90 : -90); // reads upwards : downwards
}

// A listing's lines with their indentation, from where each line starts.
QString codeText(const QJsonObject &block)
{
    const QJsonArray lines = block.value(QStringLiteral("lines")).toArray();
    const QTransform toReading = readingFrame(lines);
    const auto startOf = [&toReading](const QJsonValue &line) { return toReading.mapRect(boxOf(line[QStringLiteral("bbox")])).left(); };
    double first = 1e9;
    double charWidth = 0;
    for (const QJsonValue &line : lines) {
        first = qMin(first, startOf(line));
        charWidth = qMax(charWidth, 0.6 * line[QStringLiteral("spans")][0][QStringLiteral("font_size")].toDouble());
    }
    QStringList text;
    for (const QJsonValue &line : lines) {
        const int indent = charWidth > 0 ? qRound((startOf(line) - first) / charWidth) : 0;
        text.append(QString(qBound(0, indent, 40), QLatin1Char(' ')) + lineText(line.toObject()));
    }
    return text.join(QLatin1Char('\n'));
}

// The one span of a figure's, table's or formula's body.
QJsonObject bodySpan(const QJsonObject &body)
{
    return body.value(QStringLiteral("lines")).toArray().at(0).toObject().value(QStringLiteral("spans")).toArray().at(0).toObject();
}

QString imagePathOf(const QJsonObject &span)
{
    const QString path = span.value(QStringLiteral("image_path")).toString();
    return path.isEmpty() ? QString() : QStringLiteral("images/") + path;
}

void readRegion(const QJsonObject &block, const QString &kind, ResultBlock &out)
{
    QRectF body;
    QRectF firstCaption;
    for (const QJsonValue &partValue : block.value(QStringLiteral("blocks")).toArray()) {
        const QJsonObject part = partValue.toObject();
        const QString type = part.value(QStringLiteral("type")).toString();
        if (type == kind + QStringLiteral("_body")) {
            body = boxOf(part.value(QStringLiteral("bbox")));
            const QJsonObject span = bodySpan(part);
            out.imagePath = imagePathOf(span);
            out.html = span.value(QStringLiteral("html")).toString();
        } else if (type == kind + QStringLiteral("_caption")) {
            if (out.captions.isEmpty())
                firstCaption = boxOf(part.value(QStringLiteral("bbox")));
            out.captions.append(blockText(part));
        } else if (type == kind + QStringLiteral("_footnote")) {
            out.footnotes.append(blockText(part));
        }
    }
    // Where the page has it, as the parts' order does not say.
    out.captionAbove = !out.captions.isEmpty() && firstCaption.bottom() <= body.top() + 1;
}

ResultBlock readBlock(const QJsonObject &block)
{
    ResultBlock out;
    out.bbox = boxOf(block.value(QStringLiteral("bbox")));
    const QString type = block.value(QStringLiteral("type")).toString();
    if (type == QLatin1String("title")) {
        out.kind = ResultBlock::Kind::Heading;
        out.level = qBound(1, block.value(QStringLiteral("level")).toInt(1), 6);
        out.text = blockText(block);
    } else if (type == QLatin1String("list") || type == QLatin1String("index")) {
        out.kind = type == QLatin1String("list") ? ResultBlock::Kind::List : ResultBlock::Kind::Index;
        const QJsonArray parts = block.value(QStringLiteral("blocks")).toArray();
        for (const QJsonValue &part : parts)
            out.items.append(blockText(part.toObject()));
        if (parts.isEmpty())
            for (const QJsonValue &line : block.value(QStringLiteral("lines")).toArray())
                out.items.append(lineText(line.toObject()));
    } else if (type == QLatin1String("table") || type == QLatin1String("image")) {
        out.kind = type == QLatin1String("table") ? ResultBlock::Kind::Table : ResultBlock::Kind::Image;
        readRegion(block, type, out);
    } else if (type == QLatin1String("interline_equation")) {
        out.kind = ResultBlock::Kind::Equation;
        const QJsonObject span = bodySpan(block);
        out.text = span.value(QStringLiteral("content")).toString();
        out.imagePath = imagePathOf(span);
    } else if (block.value(QStringLiteral("sub_type")).toString() == QLatin1String("code")) {
        out.kind = ResultBlock::Kind::Code;
        out.text = codeText(block);
    } else {
        out.text = blockText(block);
    }
    return out;
}

} // namespace

Result<QList<ResultBlock>> readResultBlocks(const QByteArray &middleJson)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(middleJson, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return Error{ErrorCode::Internal, QStringLiteral("The stored middle JSON cannot be read: %1.").arg(error.errorString())};
    QList<ResultBlock> blocks;
    for (const QJsonValue &pageValue : document.object().value(QStringLiteral("pdf_info")).toArray()) {
        const QJsonObject page = pageValue.toObject();
        const QJsonArray size = page.value(QStringLiteral("page_size")).toArray();
        const QSizeF pageSize(size.at(0).toDouble(), size.at(1).toDouble());
        const int pageIndex = page.value(QStringLiteral("page_idx")).toInt();
        for (const QJsonValue &blockValue : page.value(QStringLiteral("para_blocks")).toArray()) {
            ResultBlock block = readBlock(blockValue.toObject());
            block.pageIndex = pageIndex;
            block.pageSize = pageSize;
            blocks.append(std::move(block));
        }
    }
    return blocks;
}

QString blockMarkdown(const ResultBlock &block)
{
    switch (block.kind) {
    case ResultBlock::Kind::Heading: return QString(block.level, QLatin1Char('#')) + QLatin1Char(' ') + escapeInline(block.text);
    case ResultBlock::Kind::List:
    case ResultBlock::Kind::Index: {
        // Numbered items keep their numbers; bullets become markdown's.
        static const QRegularExpression numbered(QStringLiteral("^\\(?\\d{1,3}[.)]\\s"));
        static const QRegularExpression bullet(QStringLiteral("^") + bulletClass() + QStringLiteral("\\s*"));
        QStringList items;
        for (const QString &item : block.items) {
            const QRegularExpressionMatch number = numbered.match(item);
            items.append(number.hasMatch() ? item.left(number.capturedEnd()) + escapeInline(item.mid(number.capturedEnd()))
                                           : QStringLiteral("- ") + escapeInline(QString(item).remove(bullet)));
        }
        return items.join(QLatin1Char('\n'));
    }
    case ResultBlock::Kind::Code: {
        const QString fence = block.text.contains(QLatin1String("```")) ? QStringLiteral("~~~") : QStringLiteral("```");
        return fence + QLatin1Char('\n') + block.text + QLatin1Char('\n') + fence;
    }
    case ResultBlock::Kind::Equation: return QStringLiteral("$$\n") + block.text + QStringLiteral("\n$$");
    case ResultBlock::Kind::Table:
    case ResultBlock::Kind::Image: {
        QStringList parts{block.kind == ResultBlock::Kind::Table ? block.html : QStringLiteral("![](%1)").arg(block.imagePath)};
        QStringList captions;
        for (const QString &caption : block.captions)
            captions.append(escapeParagraph(caption));
        parts = block.captionAbove ? captions + parts : parts + captions;
        for (const QString &footnote : block.footnotes)
            parts.append(escapeParagraph(footnote));
        return parts.join(QStringLiteral("\n\n"));
    }
    case ResultBlock::Kind::Text: break;
    }
    return escapeParagraph(block.text);
}

QString blockTypeName(ResultBlock::Kind kind)
{
    switch (kind) {
    case ResultBlock::Kind::Heading: return QStringLiteral("title");
    case ResultBlock::Kind::List: return QStringLiteral("list");
    case ResultBlock::Kind::Index: return QStringLiteral("index");
    case ResultBlock::Kind::Code: return QStringLiteral("code");
    case ResultBlock::Kind::Table: return QStringLiteral("table");
    case ResultBlock::Kind::Image: return QStringLiteral("image");
    case ResultBlock::Kind::Equation: return QStringLiteral("interline_equation");
    case ResultBlock::Kind::Text: break;
    }
    return QStringLiteral("text");
}

QByteArray blocksJson(const QList<ResultBlock> &blocks)
{
    auto round2 = [](double v) { return qRound(v * 100) / 100.0; };
    QJsonArray list;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const ResultBlock &block = blocks[i];
        list.append(QJsonObject{
            {QStringLiteral("index"), int(i)},
            {QStringLiteral("page_idx"), block.pageIndex},
            {QStringLiteral("page_size"), QJsonArray{round2(block.pageSize.width()), round2(block.pageSize.height())}},
            {QStringLiteral("type"), blockTypeName(block.kind)},
            {QStringLiteral("level"), block.level},
            {QStringLiteral("bbox"), QJsonArray{round2(block.bbox.left()), round2(block.bbox.top()),
                                                round2(block.bbox.right()), round2(block.bbox.bottom())}},
            {QStringLiteral("markdown"), blockMarkdown(block)}});
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("blocks"), list}}).toJson(QJsonDocument::Compact);
}

} // namespace DocRay
