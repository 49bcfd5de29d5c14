#pragma once

#include "engine/core/parsetypes.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QUrl>

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

// A unit of work a replica claims from a shared store: a whole job, one
// batch of a large PDF's pages, or the merge of those batches into the
// result. A single process always parses Whole jobs (task id 0).
enum class TaskKind { Whole = 0, Pages = 1, Merge = 2 };

struct JobTask {
    qint64 id = 0;
    TaskKind kind = TaskKind::Whole;
    int firstPage = 0;   // Pages: the batch's 0-based, inclusive range
    int lastPage = -1;
    int attempts = 0;    // claims (a single node: starts) so far, this one included
    QString owner;       // the replica holding the claim; with `attempts`, what fences its writes
};

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
    JobTask task;            // the part of the job being parsed; set by a claim

    // What an executor knows one parse by: the job id, or with several
    // batches of one job in flight, the id and the task.
    QString runKey() const
    {
        return task.id == 0 ? id : id + QLatin1Char('/') + QString::number(task.id);
    }
};

// The parser_params a job was accepted with: checked at submit, so they read
// back whole; defaults if the stored copy cannot be read.
ParserParams storedParams(const JobRecord &job);

// A PDF of `pageCount` pages cut into batches of `batchPages` (and the merge
// after them) for a cluster; empty when it is read whole: small enough,
// damaged, or over `maxPages` (so the whole parse reports that).
QList<JobTask> pageBatches(int pageCount, const ParserParams &params, int batchPages, int maxPages);

// Where the job's client asked to be called back; empty: nowhere.
QUrl callbackUrl(const JobRecord &job);

// Whether `runKey` names a parse of job `jobId`.
inline bool isRunOf(const QString &runKey, const QString &jobId)
{
    return runKey.startsWith(jobId) && (runKey.size() == jobId.size() || runKey.at(jobId.size()) == QLatin1Char('/'));
}

// The parse result as stored; images are kept as the JSON object the API
// returns ({"images/x.png": "<base64>"}) so reading never re-encodes them.
// How many jobs are in each state.
struct JobCounts {
    int queued = 0;
    int running = 0;
    int completed = 0;
    int failed = 0;
};

// The markdown and the two JSONs are as sent (the markdown as UTF-8), or
// packed (packedbytes.h) on their way into a store, which keeps them packed
// and hands them out unpacked.
struct JobResult {
    QByteArray markdown;
    QByteArray middleJson;
    QByteArray imagesJson; // {"images/<name>.png": base64 PNG}, as result.images is sent
    QByteArray pdfData;

    // result.images as sent, packed as it is written (packedbytes.h), each
    // picture released once packed; encodeImages() unpacked.
    static QByteArray packImages(QMap<QString, QByteArray> images);
    // The same of the pictures `names` in order, each had from `picture` as
    // it is packed.
    static QByteArray packImages(const QStringList &names, const std::function<QByteArray(const QString &)> &picture);
    static QByteArray encodeImages(const QMap<QString, QByteArray> &images);
    QMap<QString, QByteArray> images() const; // imagesJson decoded
};

} // namespace DocRay
