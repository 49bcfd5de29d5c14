#pragma once

#include "engine/documentformat.h"
#include "engine/jobs/jobstore.h"
#include "engine/jobs/parseexecutor.h"
#include "engine/jobs/sharedjobstore.h"
#include "engine/parsetypes.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QProcessEnvironment>
#include <QQueue>
#include <QSet>
#include <QStringList>
#include <QTimer>

#include <memory>
#include <optional>

namespace DocRay {

// What a finished parse amounted to, for observers that keep statistics
// (metrics, callbacks). Emitted once per job that ends completed or failed;
// cancelled and deleted jobs have no summary.
struct JobSummary {
    QString id;
    bool ok = false;
    int pages = 0;
    int textLayerPages = 0;   // pages read from the PDF's text layer
    int ocrPages = 0;         // pages recognised by OCR
    double parseSeconds = 0;  // time in the parser, without queueing and storing
};

struct JobManagerSettings {
    int workers = 1;
    int jobTtlSeconds = 1800;          // <= 0: jobs never expire
    int cleanupIntervalSeconds = 300;
    // Parse in child processes running this program with these arguments;
    // empty: parse on worker threads in this process.
    QString workerProgram;
    QStringList workerArguments;
    int jobTimeoutSeconds = 300;       // child processes only
    ParseLimits limits;                // worker threads; child processes get theirs as arguments
    QProcessEnvironment workerEnvironment; // child processes; empty: the service's own

    // With a SharedJobStore (a cluster of replicas on one database):
    int batchPages = 8;                // PDFs with more pages are parsed in batches of this many
    int leaseSeconds = 30;             // a claim not renewed for this long is claimed again
    QString replicaId;                 // who holds a lease; unique per process
};

// Owns every job: its state in memory, its durable copy in the JobStore, and
// the worker pool that parses it (FIFO, `workers` at a time). With a
// SharedJobStore the store is the truth instead: reads go through to it and
// work is claimed from it under leases, so replicas share one queue. Lives
// on the main thread, where its signals are emitted; its methods may be
// called from any thread. The HTTP API and the desktop window observe it.
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

    // False while a shared store cannot be reached: a job not found may
    // exist all the same.
    bool storeReachable() const;

Q_SIGNALS:
    void jobAdded(const QString &id);
    void jobUpdated(const QString &id); // state or progress changed
    void jobRemoved(const QString &id);
    // After the jobUpdated that reports the final state.
    void jobFinished(const DocRay::JobSummary &summary);

private:
    void dispatch();
    // Cluster mode: claims tasks while workers are free, renews leases, and
    // reacts to other replicas' notifications.
    void claimWork();
    void heartbeat();
    void onNotification(const QString &channel, const QString &payload);
    void onSharedFinished(const QString &runKey, const ParseOutcome &outcome);
    QList<JobTask> planTasks(DocumentFormat format, const QByteArray &data, const ParserParams &params,
                             int *pagesTotal) const;
    void onProgress(const QString &id, int done, int total);
    void onFinished(const QString &id, const ParseOutcome &outcome);

    std::unique_ptr<JobStore> m_store;
    SharedJobStore *m_shared = nullptr; // m_store, when replicas share it
    QTimer m_heartbeatTimer;
    JobManagerSettings m_settings;
    std::unique_ptr<ParseExecutor> m_executor;
    QTimer m_cleanupTimer;

    mutable QMutex m_mutex; // guards everything below
    QHash<QString, JobRecord> m_jobs;
    QQueue<QString> m_queue;
    QSet<QString> m_running;  // parses the executor holds, cancelled ones included
    QSet<QString> m_accessed; // last_access changed since the last sweep
    QHash<QString, JobRecord> m_held; // cluster mode: claimed tasks by run key
};

} // namespace DocRay
