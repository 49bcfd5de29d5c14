#pragma once

#include "engine/documentformat.h"
#include "engine/jobs/jobstore.h"
#include "engine/parsetypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QQueue>
#include <QSet>
#include <QThreadPool>
#include <QTimer>

#include <atomic>
#include <memory>
#include <optional>

namespace DocRay {

struct JobManagerSettings {
    int workers = 1;
    int jobTtlSeconds = 1800;          // <= 0: jobs never expire
    int cleanupIntervalSeconds = 300;
};

// Owns every job: its state in memory, its durable copy in the JobStore, and
// the worker pool that parses it (FIFO, `workers` at a time). Lives on the
// main thread, where its signals are emitted; its methods may be called from
// any thread. The HTTP API and the desktop window both observe it.
class JobStateManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobStateManager)

public:
    JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                    QObject *parent = nullptr);
    ~JobStateManager() override;

    // Opens the store and picks up jobs that were queued or running when the
    // process last stopped.
    bool start(QString *error);

    // Stores the upload durably, then queues the parse. Returns the job id,
    // or an empty string with `error` set.
    QString submit(const QString &fileName, const QByteArray &data, DocumentFormat format,
                   const ParserParams &params, QString *error);

    // Reading a job counts as touching it for the TTL, as in the original.
    std::optional<JobRecord> job(const QString &id, bool touch = true);
    std::optional<JobResult> result(const QString &id, bool withPdf = true, bool withImages = true);
    int queuePosition(const QString &id) const; // 0 = next; -1 = not queued

    // Cancels a queued or running parse and deletes the job with its data.
    // Returns whether the job existed.
    bool remove(const QString &id);
    // Stops a queued or running parse but keeps the job, failed with
    // "Cancelled.", so it can be retried. Returns whether it was unfinished.
    bool cancel(const QString &id);
    // Queues a finished job again; false while a cancelled parse still winds down.
    bool retry(const QString &id);

    QList<JobRecord> jobs() const;
    struct Counts {
        int queued = 0;
        int running = 0;
        int completed = 0;
        int failed = 0;
    };
    Counts counts() const;
    int workerCount() const;

    // The TTL sweep the cleanup timer runs; public so hosts can force one.
    void removeExpiredJobs();

Q_SIGNALS:
    void jobAdded(const QString &id);
    void jobUpdated(const QString &id); // state or progress changed
    void jobRemoved(const QString &id);

private:
    struct Outcome {
        bool ok = false;
        bool cancelled = false;
        QString error;
        int pageCount = 0;
    };

    void dispatch();
    void runJob(const JobRecord &job, std::shared_ptr<std::atomic_bool> cancel);
    void onProgress(const QString &id, int done, int total);
    void onFinished(const QString &id, const Outcome &outcome);

    std::unique_ptr<JobStore> m_store;
    JobManagerSettings m_settings;
    QThreadPool m_pool;
    QTimer m_cleanupTimer;

    mutable QMutex m_mutex; // guards everything below
    QHash<QString, JobRecord> m_jobs;
    QQueue<QString> m_queue;
    QHash<QString, std::shared_ptr<std::atomic_bool>> m_running; // id -> cancel flag
    QSet<QString> m_accessed; // last_access changed since the last sweep
};

} // namespace DocRay
