#pragma once

#include "engine/jobs/schedulers/jobscheduler.h"

#include <QHash>
#include <QMutex>
#include <QQueue>
#include <QSet>
#include <QTimer>

namespace DocRay {

class JobStore;

// One process, one store of its own: every job lives in memory with a
// durable copy in the store, and runs FIFO, as many at a time as the
// executor takes. A large PDF its worker split into page batches has them
// run on every free worker ahead of the jobs queued after it, then their
// merge. Jobs found unfinished at start are queued again whole.
class LocalScheduler final : public JobScheduler
{
    Q_OBJECT

public:
    LocalScheduler(JobStore *store, ParseExecutor *executor, int jobTtlSeconds, int cleanupIntervalSeconds,
                   QObject *parent = nullptr);
    // The parses stopped by a clean shutdown do not count as their jobs' starts.
    ~LocalScheduler() override;

    Result<void> start() override;
    bool submit(const JobRecord &job, const QByteArray &data) override;
    std::optional<JobRecord> job(const QString &id, bool touch) override;
    int queuePosition(const QString &id) const override;
    bool remove(const QString &id) override;
    bool cancel(const QString &id) override;
    bool retry(const QString &id) override;
    QList<JobRecord> jobs() const override;
    JobCounts counts() const override;
    void removeExpiredJobs() override;

private:
    void resume(const QList<JobRecord> &stored);
    // A job whose parse was under way each of the last starts of the service
    // most likely takes the service down: it fails (in memory; the caller
    // stores it) instead of a fourth try.
    static bool giveUpOn(JobRecord &job);
    // Starts queued jobs while the executor has room; owner thread only.
    void dispatch();
    void onProgress(const QString &runKey, int done, int total) override;
    void onFinished(const QString &runKey, const ParseOutcome &outcome) override;
    void onSplit(const JobRecord &run, const ParseOutcome &outcome);
    void onBatchDone(const JobRecord &run, const ParseOutcome &outcome);
    void onJobDone(const QString &id, const ParseOutcome &outcome);
    bool recordOutcome(const QString &id, const ParseOutcome &outcome);
    // Forgets a job's batches still queued and its split's bookkeeping; under m_mutex.
    void dropBatches(const QString &id);
    bool hasRuns(const QString &id) const; // under m_mutex

    // A job parsed in batches: what its batches have done so far.
    struct Split {
        QHash<qint64, int> pagesDone; // by task id
        int batchesLeft = 0;
        JobRecord merge;              // queued once the last batch is in
        double parseSeconds = 0;
    };

    JobStore *const m_store; // thread-safe; owned by JobStateManager
    const int m_jobTtlSeconds;
    QTimer m_cleanupTimer; // owner thread

    mutable QMutex m_mutex; // guards everything below
    QHash<QString, JobRecord> m_jobs;
    QQueue<QString> m_queue;          // whole jobs waiting
    QQueue<JobRecord> m_batches;      // batches (and merges) of running jobs waiting, with their task
    QHash<QString, JobRecord> m_running; // parses the executor holds by run key, cancelled ones included
    QHash<QString, Split> m_splits;   // running jobs parsed in batches
    QSet<QString> m_accessed; // last_access changed since the last sweep
};

} // namespace DocRay
