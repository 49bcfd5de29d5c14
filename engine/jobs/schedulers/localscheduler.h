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
// executor takes. Jobs found unfinished at start are queued again.
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
    void onProgress(const QString &id, int done, int total) override;
    void onFinished(const QString &id, const ParseOutcome &outcome) override;
    bool recordOutcome(const QString &id, const ParseOutcome &outcome);

    JobStore *const m_store; // thread-safe; owned by JobStateManager
    const int m_jobTtlSeconds;
    QTimer m_cleanupTimer; // owner thread

    mutable QMutex m_mutex; // guards everything below
    QHash<QString, JobRecord> m_jobs;
    QQueue<QString> m_queue;
    QSet<QString> m_running;  // parses the executor holds, cancelled ones included
    QSet<QString> m_accessed; // last_access changed since the last sweep
};

} // namespace DocRay
