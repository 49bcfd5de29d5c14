#pragma once

#include "engine/core/result.h"
#include "engine/jobs/jobtypes.h"

#include <QFileDevice>
#include <QList>
#include <QStringList>

#include <functional>
#include <optional>

namespace DocRay {

// Durable storage of jobs, their uploads and results. Implementations must
// be callable from any thread (the main thread reads and writes state,
// worker threads read uploads and write results).
class JobStore
{
public:
    virtual ~JobStore() = default;

    // Creates what is missing (directory, tables); Unavailable when it cannot.
    virtual Result<void> open() = 0;

    virtual bool insertJob(const JobRecord &job, const QByteArray &upload) = 0;
    // The job's upload written to `to` (over what it held) a slice at a
    // time: a long upload is never whole in memory. NotFound where the job
    // is gone; StorageFull where `to` cannot take it; Unavailable where the
    // store fails.
    virtual Result<void> writeUpload(const QString &id, QFileDevice &to) = 0;
    // Counts a start of the job's parse (JobRecord::task.attempts).
    virtual bool markRunning(const QString &id, const QDateTime &startedAt) = 0;
    // Parses this process stopped on a clean shutdown: those starts do not count.
    virtual void releaseRunning(const QStringList &ids) = 0;
    virtual bool requeue(const QString &id) = 0;
    // Both only touch a job that still exists: a deleted job stays deleted.
    // With the claim `job.task` carries where a store fences its writes:
    // Conflict when another claim has taken the job's task over.
    virtual Result<void> saveResult(const JobRecord &job, JobResult result, int pageCount,
                                    const QDateTime &finishedAt) = 0;
    virtual bool markFailed(const QString &id, const QString &error, const QDateTime &finishedAt) = 0;

    virtual std::optional<JobResult> result(const QString &id, bool withPdf, bool withImages) = 0;

    // A batch of a large PDF's pages, read as layouts for the job's merge
    // (JobRecord::task says which); fenced like saveResult.
    virtual Result<void> saveBatch(const JobRecord &job, const QByteArray &layouts, int pages) = 0;
    // Every batch's page layouts, in page order, handed to `take` one at a
    // time, each fetched on its own so that a document's layouts never sit
    // in memory twice. NotFound when the job is gone or a batch is missing;
    // InvalidInput when `take` refuses one.
    virtual Result<void> readBatches(const QString &jobId, const std::function<bool(const QByteArray &)> &take) = 0;

    // Returns whether the job existed.
    virtual bool remove(const QString &id) = 0;
    virtual QList<JobRecord> allJobs() = 0;
    virtual void saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses) = 0;
};

} // namespace DocRay
