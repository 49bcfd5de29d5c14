#include "engine/jobs/executors/workerprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace DocRay::WorkerProtocol {

namespace {

QByteArray line(const QJsonObject &object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact) + '\n';
}

} // namespace

QByteArray jobMessage(const JobRecord &job)
{
    return line({{QStringLiteral("job"),
                  QJsonObject{{QStringLiteral("id"), job.id},
                              {QStringLiteral("file_name"), job.fileName},
                              {QStringLiteral("parser_params"), job.parserParams},
                              {QStringLiteral("task"),
                               QJsonArray{QString::number(job.task.id), static_cast<int>(job.task.kind),
                                          job.task.firstPage, job.task.lastPage, job.task.attempts,
                                          job.task.owner}}}}});
}

JobRecord jobFromMessage(const QJsonObject &message)
{
    const QJsonObject json = message.value(QStringLiteral("job")).toObject();
    JobRecord job;
    job.id = json.value(QStringLiteral("id")).toString();
    job.fileName = json.value(QStringLiteral("file_name")).toString();
    job.parserParams = json.value(QStringLiteral("parser_params")).toObject();
    const QJsonArray task = json.value(QStringLiteral("task")).toArray();
    job.task.id = task.at(0).toString().toLongLong();
    job.task.kind = static_cast<TaskKind>(task.at(1).toInt());
    job.task.firstPage = task.at(2).toInt();
    job.task.lastPage = task.at(3).toInt(-1);
    job.task.attempts = task.at(4).toInt();
    job.task.owner = task.at(5).toString();
    return job;
}

QByteArray progressMessage(int pagesDone, int pagesTotal)
{
    return line({{QStringLiteral("progress"), QJsonArray{pagesDone, pagesTotal}}});
}

QByteArray doneMessage(const ParseOutcome &outcome)
{
    // Batches as [kind, first page, last page].
    QJsonArray batches;
    for (const JobTask &task : outcome.batches)
        batches.append(QJsonArray{static_cast<int>(task.kind), task.firstPage, task.lastPage});
    return line({{QStringLiteral("done"), QJsonObject{{QStringLiteral("ok"), outcome.ok},
                                                       {QStringLiteral("cancelled"), outcome.cancelled},
                                                       {QStringLiteral("split"), outcome.split},
                                                       {QStringLiteral("batches"), batches},
                                                       {QStringLiteral("error"), outcome.error},
                                                       {QStringLiteral("pages"), outcome.pageCount},
                                                       {QStringLiteral("text_layer_pages"), outcome.textLayerPages},
                                                       {QStringLiteral("ocr_pages"), outcome.ocrPages},
                                                       {QStringLiteral("parse_seconds"), outcome.parseSeconds}}}});
}

ParseOutcome outcomeFromMessage(const QJsonObject &done)
{
    ParseOutcome outcome;
    outcome.ok = done.value(QStringLiteral("ok")).toBool();
    outcome.cancelled = done.value(QStringLiteral("cancelled")).toBool();
    outcome.split = done.value(QStringLiteral("split")).toBool();
    for (const QJsonValue &value : done.value(QStringLiteral("batches")).toArray()) {
        const QJsonArray fields = value.toArray();
        JobTask task;
        task.kind = fields.at(0).toInt() == static_cast<int>(TaskKind::Merge) ? TaskKind::Merge : TaskKind::Pages;
        task.firstPage = fields.at(1).toInt();
        task.lastPage = fields.at(2).toInt(-1);
        outcome.batches.append(task);
    }
    outcome.error = done.value(QStringLiteral("error")).toString();
    outcome.pageCount = done.value(QStringLiteral("pages")).toInt();
    outcome.textLayerPages = done.value(QStringLiteral("text_layer_pages")).toInt();
    outcome.ocrPages = done.value(QStringLiteral("ocr_pages")).toInt();
    outcome.parseSeconds = done.value(QStringLiteral("parse_seconds")).toDouble();
    return outcome;
}

} // namespace DocRay::WorkerProtocol
