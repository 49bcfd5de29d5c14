#pragma once

#include "engine/jobs/stores/jobstore.h"

#include <QStringList>

#include <functional>

class QObject;

namespace DocRay {

// A JobStore that several service replicas share: it, not any replica's
// memory, is the truth about jobs, and work is handed out by claims that
// hold a lease. The JobStateManager reads through to it and claims from it
// when its store is one of these. Callable from any thread, except
// listen() and checkListener(), which belong to the thread running the
// event loop that delivers the notifications (the main thread).
class SharedJobStore : public JobStore
{
public:
    // The job and its tasks in one transaction, so that no replica can
    // claim work of a job whose upload is not stored yet.
    virtual bool insertJob(const JobRecord &job, const QByteArray &upload, const QList<JobTask> &tasks) = 0;
    using JobStore::insertJob;
    // Queues a finished job again with a fresh set of tasks.
    virtual bool requeue(const QString &id, const QList<JobTask> &tasks) = 0;
    using JobStore::requeue;

    virtual std::optional<JobRecord> job(const QString &id) = 0;
    virtual bool touch(const QString &id, const QDateTime &lastAccess) = 0;
    virtual std::optional<JobCounts> counts() = 0;
    virtual int queuePosition(const QString &id) = 0; // -1: not queued
    // Whether the last call on this thread reached the database: tells "no
    // such job" from "cannot tell right now".
    virtual bool reachable() const = 0;

    // The next queued task, or one whose lease ran out, leased to `owner`;
    // the returned record carries it in `task`. nullopt: nothing to do.
    virtual std::optional<JobRecord> claim(const QString &owner, int leaseSeconds) = 0;
    // The ids of the tasks still held (renewed); nullopt when the database
    // cannot be reached. A task missing from them was claimed again elsewhere.
    virtual std::optional<QList<qint64>> renewLeases(const QString &owner, const QList<qint64> &taskIds,
                                                     int leaseSeconds) = 0;
    // Hands unfinished tasks back at once (a clean shutdown), uncounted.
    virtual void releaseLeases(const QString &owner, const QList<qint64> &taskIds) = 0;
    // The claimed whole-document task replaced by `tasks` (page batches and
    // their merge), the job's page total set; fenced like the final writes.
    virtual Result<void> splitTask(const JobRecord &job, const QList<JobTask> &tasks, int pagesTotal) = 0;
    // Fails the job for a task that failed, fenced by `job.task`: a replica
    // that lost its claim cannot fail a job another one finished.
    virtual Result<void> failTask(const JobRecord &job, const QString &error, const QDateTime &finishedAt) = 0;

    // Deletes finished jobs untouched since `cutoff`, at most once per `interval`
    // across every replica; returns the ids deleted here.
    virtual QStringList removeExpired(const QDateTime &cutoff, int intervalSeconds) = 0;

    // Notifications between replicas. Payload: the job's id (none for Work).
    enum class Channel {
        Work,   // something became claimable
        Job,    // a job's state changed
        Cancel, // a job was deleted: whoever parses it stops
    };
    using Listener = std::function<void(Channel channel, const QString &payload)>;
    virtual bool listen(QObject *context, const Listener &listener) = 0;
    // Reconnects the listening connection when the database dropped it;
    // true when it had to (notifications may have been missed).
    virtual bool checkListener() = 0;
};

} // namespace DocRay
