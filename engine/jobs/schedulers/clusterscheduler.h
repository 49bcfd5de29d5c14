#pragma once

#include "engine/jobs/schedulers/jobscheduler.h"
#include "engine/jobs/stores/sharedjobstore.h"

#include <QHash>
#include <QTimer>

namespace DocRay {

struct ClusterSettings {
    QString replicaId;    // who holds a lease; unique per process
    int leaseSeconds = 30; // a claim not renewed for this long is claimed again
    int jobTtlSeconds = 1800;
    int cleanupIntervalSeconds = 300;
};

// Replicas sharing one store: the store, not any replica's memory, is the
// truth about jobs. A submit stores one task for the whole document (the
// worker that takes a long PDF splits it into page batches and their
// merge: the server never opens a document); each replica claims tasks
// under a lease while its executor has
// room, renews the leases it holds, and hears of new work, state changes
// and deletions through the store's notifications. Lives on the main thread;
// m_held is touched there only.
class ClusterScheduler final : public JobScheduler
{
    Q_OBJECT

public:
    ClusterScheduler(SharedJobStore *store, ParseExecutor *executor, const ClusterSettings &settings,
                     QObject *parent = nullptr);
    // Hands the leases still held back: other replicas need not wait for them to run out.
    ~ClusterScheduler() override;

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
    bool storeReachable() const override;

private:
    // Claims tasks while the executor has room.
    void claimWork();
    bool startClaimed(const JobRecord &job, double claimMs);
    // Renews the held leases and picks up leases that other replicas let expire.
    void heartbeat();
    void onNotification(SharedJobStore::Channel channel, const QString &payload);
    void onProgress(const QString &runKey, int done, int total) override;
    void onFinished(const QString &runKey, const ParseOutcome &outcome) override;
    QList<qint64> heldTaskIds() const;

    SharedJobStore *const m_store; // thread-safe, except its listener (main thread)
    const ClusterSettings m_settings;
    QTimer m_heartbeatTimer; // main thread
    QTimer m_cleanupTimer;   // main thread
    QHash<QString, JobRecord> m_held; // main thread: claimed tasks the executor runs, by run key
};

} // namespace DocRay
