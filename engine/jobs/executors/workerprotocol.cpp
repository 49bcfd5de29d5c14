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
    return line({{QStringLiteral("done"), QJsonObject{{QStringLiteral("ok"), outcome.ok},
                                                       {QStringLiteral("cancelled"), outcome.cancelled},
                                                       {QStringLiteral("split"), outcome.split},
                                                       {QStringLiteral("error"), outcome.error},
                                                       {QStringLiteral("pages"), outcome.pageCount},
                                                       {QStringLiteral("text_layer_pages"), outcome.textLayerPages},
                                                       {QStringLiteral("ocr_pages"), outcome.ocrPages},
                                                       {QStringLiteral("parse_seconds"), outcome.parseSeconds}}}});
}

} // namespace DocRay::WorkerProtocol
