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

namespace {

// Written straight out, picture by picture: a JSON object of a thousand
// pages' pictures, built as a QJsonObject of UTF-16 strings first, took
// three to four times the pictures' size at once. Keys come out sorted, as
// a QJsonObject writes them; base64 needs no escaping.
template <typename Write>
void writeImage(const QString &name, const QByteArray &png, bool first, const Write &write)
{
    if (!first)
        write(",");
    write(JsonText::string(name));
    write(":\"");
    write(png.toBase64());
    write("\"");
}

} // namespace

QByteArray JobResult::encodeImages(const QMap<QString, QByteArray> &images)
{
    qsizetype size = 2;
    for (auto it = images.cbegin(); it != images.cend(); ++it)
        size += it.key().size() * 6 + (it.value().size() + 2) / 3 * 4 + 6;
    QByteArray json;
    json.reserve(size);
    const auto write = [&json](QByteArrayView bytes) { json += bytes; };
    write("{");
    for (auto it = images.cbegin(); it != images.cend(); ++it)
        writeImage(it.key(), it.value(), it == images.cbegin(), write);
    write("}");
    return json;
}

QByteArray JobResult::packImages(QMap<QString, QByteArray> images)
{
    PackingStream packed;
    const auto write = [&packed](QByteArrayView bytes) { packed.append(bytes); };
    write("{");
    for (bool first = true; !images.isEmpty(); first = false) {
        const auto it = images.begin();
        writeImage(it.key(), it.value(), first, write);
        images.erase(it); // the picture goes once packed
    }
    write("}");
    return packed.finish();
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
