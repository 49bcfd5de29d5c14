#pragma once

#include "engine/core/documentformat.h"
#include "engine/core/parsetypes.h"
#include "engine/core/result.h"
#include "engine/jobs/jobtypes.h"
#include "engine/jobs/schedulers/jobscheduler.h"

#include <QObject>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>
#include <optional>

namespace DocRay {

class JobStore;
class ParseExecutor;

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
    QProcessEnvironment workerEnvironment; // child processes; empty: the service's own (tests)

    int batchPages = 0;                // PDFs with more pages are parsed in batches of this many; 0: whole

    // With a SharedJobStore (a cluster of replicas on one database):
    int leaseSeconds = 30;             // a claim not renewed for this long is claimed again
    QString replicaId;                 // who holds a lease; unique per process
};

// The job layer's one front: the HTTP API and the desktop window submit,
// read and control jobs here, whatever the mode. It owns the store, the
// executor that runs parses (worker threads or child processes) and the
// scheduler for the mode: a LocalScheduler over a plain JobStore, a
// ClusterScheduler over a SharedJobStore. Lives on the main thread, where
// its signals are emitted; its methods may be called from any thread (the
// scheduler says how it keeps its state, see schedulers/).
class JobStateManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobStateManager)

public:
    using Counts = JobCounts;

    JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                    QObject *parent = nullptr);
    ~JobStateManager() override;

    // Opens the store and picks up jobs that were queued or running when the
    // process last stopped.
    Result<void> start();

    // Stores the upload durably, then queues the parse. Returns the job id.
    // `callbackUrl` is stored with the job for whoever finishes it.
    Result<QString> submit(const QString &fileName, const QByteArray &data, DocumentFormat format,
                           const ParserParams &params, const QUrl &callbackUrl = {});

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
    // Destroyed in reverse: the scheduler (which hands back cluster leases)
    // before the executor it drives, both before the store they write to.
    std::unique_ptr<JobStore> m_store;        // thread-safe
    std::unique_ptr<ParseExecutor> m_executor; // main thread
    std::unique_ptr<JobScheduler> m_scheduler; // see its header
};

} // namespace DocRay
