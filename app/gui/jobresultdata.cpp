#include "app/gui/jobresultdata.h"

#include "engine/jobs/jobstatemanager.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace DocRay {

namespace {

QRectF bboxOf(const QJsonValue &value)
{
    const QJsonArray box = value.toArray();
    if (box.size() != 4)
        return {};
    return QRectF(QPointF(box.at(0).toDouble(), box.at(1).toDouble()),
        QPointF(box.at(2).toDouble(), box.at(3).toDouble()));
}

QString blockMarkdown(const QJsonObject &block)
{
    const QString type = block.value(QLatin1String("type")).toString();
    const QString text = block.value(QLatin1String("merged_text")).toString();
    if (type == QLatin1String("title"))
        return QString(qBound(1, block.value(QLatin1String("level")).toInt(1), 6), QLatin1Char('#'))
            + QLatin1Char(' ') + text;
    if (type == QLatin1String("list")) {
        QStringList items;
        for (const QJsonValue &item : block.value(QLatin1String("blocks")).toArray())
            items.append(
                QStringLiteral("- ") + item.toObject().value(QLatin1String("merged_text")).toString());
        if (!items.isEmpty())
            return items.join(QLatin1Char('\n'));
    }
    return text;
}

QList<PreviewPage> pagesFromMiddleJson(const QJsonObject &root)
{
    QList<PreviewPage> pages;
    for (const QJsonValue &pageValue : root.value(QLatin1String("pdf_info")).toArray()) {
        const QJsonObject page = pageValue.toObject();
        const QJsonArray size = page.value(QLatin1String("page_size")).toArray();
        PreviewPage preview;
        preview.pageIndex = page.value(QLatin1String("page_idx")).toInt(static_cast<int>(pages.size()));
        preview.size = QSizeF(size.at(0).toDouble(), size.at(1).toDouble());
        for (const char *key : { "para_blocks", "discarded_blocks" }) {
            for (const QJsonValue &blockValue : page.value(QLatin1String(key)).toArray()) {
                const QJsonObject block = blockValue.toObject();
                preview.blocks.append({ block.value(QLatin1String("type")).toString(),
                    bboxOf(block.value(QLatin1String("bbox"))), blockMarkdown(block) });
            }
        }
        pages.append(preview);
    }
    return pages;
}

// Keys come from the job's result; refuse any that would escape the folder.
bool isSafeRelativePath(const QString &path)
{
    return !path.isEmpty() && !QDir::isAbsolutePath(path)
        && !path.split(QLatin1Char('/')).contains(QStringLiteral(".."));
}

} // namespace

JobResultData JobResultData::load(JobStateManager *jobs, const QString &id, const QString &fileName)
{
    JobResultData data;
    const std::optional<JobResult> result = jobs->result(id, true, true);
    if (!result)
        return data;
    data.jobId = id;
    data.fileName = fileName;
    data.markdown = QString::fromUtf8(result->markdown);
    data.pdfData = result->pdfData;
    const QJsonDocument middle = QJsonDocument::fromJson(result->middleJson);
    data.prettyJson = QString::fromUtf8(middle.toJson(QJsonDocument::Indented));
    data.pages = pagesFromMiddleJson(middle.object());
    data.imageFiles = result->images();
    for (auto it = data.imageFiles.cbegin(); it != data.imageFiles.cend(); ++it)
        data.images.insert(it.key(), QImage::fromData(it.value()));
    return data;
}

bool JobResultData::save(const QString &markdownPath, QString *error) const
{
    const QDir folder = QFileInfo(markdownPath).absoluteDir();
    auto write = [error](const QString &path, const QByteArray &bytes) {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit()) {
            *error = QStringLiteral("%1: %2").arg(path, file.errorString());
            return false;
        }
        return true;
    };
    for (auto it = imageFiles.constBegin(); it != imageFiles.constEnd(); ++it) {
        if (!isSafeRelativePath(it.key()))
            continue;
        const QString path = folder.filePath(it.key());
        if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
            *error = QStringLiteral("%1: cannot create the folder").arg(QFileInfo(path).absolutePath());
            return false;
        }
        if (!write(path, it.value()))
            return false;
    }
    return write(markdownPath, markdown.toUtf8());
}

} // namespace DocRay
