#include "engine/jobs/jobtypes.h"

#include "engine/core/packedbytes.h"

#include "engine/output/jsontext.h"

#include <QJsonDocument>

namespace DocRay {

QString wireStatus(JobState state)
{
    switch (state) {
    case JobState::Completed: return QStringLiteral("completed");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Queued:
    case JobState::Running: break;
    }
    return QStringLiteral("processing");
}

ParserParams storedParams(const JobRecord &job)
{
    const Result<ParserParams> params = ParserParams::fromJson(job.parserParams);
    return params ? *params : ParserParams();
}

QUrl callbackUrl(const JobRecord &job)
{
    return QUrl(job.parserParams.value(QStringLiteral("callback_url")).toString(), QUrl::StrictMode);
}

QString stateName(JobState state)
{
    switch (state) {
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Completed: return QStringLiteral("completed");
    case JobState::Failed: return QStringLiteral("failed");
    }
    return {};
}

QList<JobTask> pageBatches(int pageCount, const ParserParams &params, int batchPages, int maxPages)
{
    const int first = qMax(0, params.startPage);
    const int last = params.endPage < 0 ? pageCount - 1 : qMin(params.endPage, pageCount - 1);
    const int pages = last - first + 1;
    if (batchPages <= 0 || pageCount <= 0 || pages <= batchPages || (maxPages > 0 && pages > maxPages))
        return {};
    QList<JobTask> tasks;
    for (int start = first; start <= last; start += batchPages) {
        JobTask batch;
        batch.kind = TaskKind::Pages;
        batch.firstPage = start;
        batch.lastPage = qMin(last, start + batchPages - 1);
        tasks.append(batch);
    }
    JobTask merge;
    merge.kind = TaskKind::Merge;
    tasks.append(merge);
    return tasks;
}

// Written straight out, picture by picture: a JSON object of a thousand
// pages' pictures, built as a QJsonObject of UTF-16 strings first, took
// three to four times the pictures' size at once. Keys come out sorted, as
// a QJsonObject writes them; base64 needs no escaping.
QByteArray JobResult::packImages(QMap<QString, QByteArray> images)
{
    // Each picture goes once packed.
    return packImages(images.keys(), [&images](const QString &name) { return images.take(name); });
}

QByteArray JobResult::packImages(const QStringList &names, const std::function<QByteArray(const QString &)> &picture)
{
    PackingStream packed;
    packed.append("{");
    for (qsizetype i = 0; i < names.size(); ++i) {
        if (i > 0)
            packed.append(",");
        packed.append(JsonText::string(names[i]));
        packed.append(":\"");
        packed.append(picture(names[i]).toBase64());
        packed.append("\"");
    }
    packed.append("}");
    return packed.finish();
}

QByteArray JobResult::encodeImages(const QMap<QString, QByteArray> &images)
{
    return unpack(packImages(images));
}

QMap<QString, QByteArray> JobResult::images() const
{
    QMap<QString, QByteArray> decoded;
    const QJsonObject json = QJsonDocument::fromJson(imagesJson).object();
    for (auto it = json.constBegin(); it != json.constEnd(); ++it)
        decoded.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return decoded;
}

} // namespace DocRay
