#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace DocRay {

// Queued and Running both answer "processing" on the wire: the original
// service's clients know exactly three statuses.
enum class JobState { Queued = 0, Running = 1, Completed = 2, Failed = 3 };

QString wireStatus(JobState state);
QString stateName(JobState state);
inline bool isFinished(JobState state)
{
    return state == JobState::Completed || state == JobState::Failed;
}

// What is known about a job without its payloads; cheap to copy.
struct JobRecord {
    QString id;
    QString fileName;
    QString format;          // engine format name, e.g. "pdf"
    QJsonObject parserParams;
    JobState state = JobState::Queued;
    QString error;
    int pagesDone = 0;
    int pagesTotal = 0;
    qint64 uploadSize = 0;
    QDateTime createdAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    QDateTime lastAccess;    // drives the TTL sweep
};

// The parse result as stored; images are kept as the JSON object the API
// returns ({"images/x.png": "<base64>"}) so reading never re-encodes them.
struct JobResult {
    QString markdown;
    QByteArray middleJson;
    QByteArray imagesJson;
    QByteArray pdfData;
};

} // namespace DocRay
