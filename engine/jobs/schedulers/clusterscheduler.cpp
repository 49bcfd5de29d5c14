#include "engine/jobs/schedulers/clusterscheduler.h"

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/jobs/stores/sharedjobstore.h"

#include <QElapsedTimer>
#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcJobs)

namespace DocRay {

namespace {

// A task claimed this often was on replicas that died with it each time:
// most likely the document kills its parser, so the job fails instead.
constexpr int kMaxTaskAttempts = 3;
// Reads write a job's last access at most this often.
constexpr int kTouchThrottleSeconds = 30;

QString taskName(const JobTask &task)
{
    switch (task.kind) {
    case TaskKind::Pages: return QStringLiteral("pages %1-%2").arg(task.firstPage + 1).arg(task.lastPage + 1);
    case TaskKind::Merge: return QStringLiteral("merge");
    case TaskKind::Whole: break;
    }
    return QStringLiteral("whole");
}

} // namespace

ClusterScheduler::ClusterScheduler(SharedJobStore *store, ParseExecutor *executor, const ClusterSettings &settings,
                                   QObject *parent)
    : JobScheduler(executor, parent)
    , m_store(store)
    , m_settings(settings)
{
    // Renewing at a third of the lease leaves two chances before it runs out;
    // the same beat picks up leases that other replicas let expire.
    m_heartbeatTimer.setInterval(qBound(1, settings.leaseSeconds / 3, 10) * 1000);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &ClusterScheduler::heartbeat);
    m_cleanupTimer.setInterval(qMax(1, settings.cleanupIntervalSeconds) * 1000);
    connect(&m_cleanupTimer, &QTimer::timeout, this, &ClusterScheduler::removeExpiredJobs);
}

ClusterScheduler::~ClusterScheduler()
{
    m_store->releaseLeases(m_settings.replicaId, heldTaskIds());
}

Result<void> ClusterScheduler::start()
{
    const bool listening = m_store->listen(this, [this](SharedJobStore::Channel channel, const QString &payload) {
        onNotification(channel, payload);
    });
    if (!listening)
        return Error{ErrorCode::Unavailable, QStringLiteral("cannot listen for notifications on the job database")};
    m_heartbeatTimer.start();
    if (m_settings.jobTtlSeconds > 0)
        m_cleanupTimer.start();
    claimWork();
    return {};
}

bool ClusterScheduler::submit(const JobRecord &job, const QByteArray &data)
{
    // Claimed by whichever replica is free; the store's NOTIFY wakes them.
    // One task for the whole document: the worker that takes it opens the
    // document and, for a PDF worth it, splits it into page batches.
    if (!m_store->insertJob(job, data, {JobTask()}))
        return false;
    qCInfo(lcJobs).noquote() << "job" << job.id << "queued:" << job.fileName << data.size() << "bytes";
    Q_EMIT jobAdded(job.id);
    return true;
}

std::optional<JobRecord> ClusterScheduler::job(const QString &id, bool touch)
{
    std::optional<JobRecord> record = m_store->job(id);
    // Written through, but not on every poll: the TTL needs minutes, not milliseconds.
    if (record && touch && record->lastAccess.secsTo(now()) >= kTouchThrottleSeconds) {
        record->lastAccess = now();
        m_store->touch(id, record->lastAccess);
    }
    return record;
}

int ClusterScheduler::queuePosition(const QString &id) const
{
    return m_store->queuePosition(id);
}

bool ClusterScheduler::remove(const QString &id)
{
    // The replica parsing it hears of it through the store's notification.
    if (!m_store->remove(id))
        return false;
    qCInfo(lcJobs).noquote() << "job" << id << "deleted";
    return true;
}

bool ClusterScheduler::cancel(const QString &id)
{
    const std::optional<JobRecord> record = m_store->job(id);
    if (!record || isFinished(record->state) || !m_store->markFailed(id, QStringLiteral("Cancelled."), now()))
        return false;
    onOwnerThread([this, id] { m_executor->cancel(id); });
    Q_EMIT jobUpdated(id);
    return true;
}

bool ClusterScheduler::retry(const QString &id)
{
    const std::optional<JobRecord> record = m_store->job(id);
    if (!record || !isFinished(record->state))
        return false;
    return m_store->requeue(id, {JobTask()});
}

QList<JobRecord> ClusterScheduler::jobs() const
{
    return m_store->allJobs();
}

JobCounts ClusterScheduler::counts() const
{
    return m_store->counts().value_or(JobCounts());
}

bool ClusterScheduler::storeReachable() const
{
    return m_store->reachable();
}

void ClusterScheduler::removeExpiredJobs()
{
    if (m_settings.jobTtlSeconds <= 0)
        return;
    // Reads write last_access up to kTouchThrottleSeconds late: allow for it.
    const QDateTime cutoff = now().addSecs(-m_settings.jobTtlSeconds - kTouchThrottleSeconds);
    const QStringList expired = m_store->removeExpired(cutoff, qMax(1, m_settings.cleanupIntervalSeconds));
    for (const QString &id : expired)
        qCInfo(lcJobs).noquote() << "job" << id << "expired";
}

void ClusterScheduler::claimWork()
{
    while (m_held.size() < m_executor->capacity()) {
        QElapsedTimer clock;
        clock.start();
        const std::optional<JobRecord> claimed = m_store->claim(m_settings.replicaId, m_settings.leaseSeconds);
        if (!claimed)
            return;
        startClaimed(*claimed, clock.nsecsElapsed() / 1e6);
    }
}

// Runs a claimed task, or fails its job when the task was claimed too often.
bool ClusterScheduler::startClaimed(const JobRecord &job, double claimMs)
{
    if (job.task.attempts > kMaxTaskAttempts) {
        const QString message = QStringLiteral("The parse was interrupted %1 times (its replicas stopped); "
                                               "giving up.")
                                    .arg(kMaxTaskAttempts);
        m_store->markFailed(job.id, message, now());
        qCWarning(lcJobs).noquote() << "job" << job.id << "failed:" << message;
        return false;
    }
    m_held.insert(job.runKey(), job);
    qCInfo(lcJobs).noquote() << "job" << job.id << "claimed:" << taskName(job.task)
                             << QStringLiteral("(attempt %1, claim %2 ms)").arg(job.task.attempts).arg(claimMs, 0, 'f', 2);
    Q_EMIT jobUpdated(job.id);
    m_executor->start(job);
    return true;
}

QList<qint64> ClusterScheduler::heldTaskIds() const
{
    QList<qint64> ids;
    for (const JobRecord &task : m_held)
        ids.append(task.task.id);
    return ids;
}

void ClusterScheduler::heartbeat()
{
    // A lease that could not be renewed was claimed again elsewhere (this
    // replica stalled past it): its parse stops here; the writes it might
    // still make are fenced off anyway.
    if (const std::optional<QList<qint64>> renewed
        = m_store->renewLeases(m_settings.replicaId, heldTaskIds(), m_settings.leaseSeconds)) {
        for (const JobRecord &task : std::as_const(m_held))
            if (!renewed->contains(task.task.id)) {
                qCWarning(lcJobs).noquote() << "job" << task.id << "lost its claim on" << taskName(task.task);
                m_executor->cancel(task.runKey()); // this task's parse only, not the job's others here
            }
    }
    // A database restart drops the listening connection; work queued
    // meanwhile is found by the claim below.
    m_store->checkListener();
    claimWork();
}

void ClusterScheduler::onNotification(SharedJobStore::Channel channel, const QString &payload)
{
    switch (channel) {
    case SharedJobStore::Channel::Work:
        claimWork();
        break;
    case SharedJobStore::Channel::Job:
        Q_EMIT jobUpdated(payload);
        break;
    case SharedJobStore::Channel::Cancel:
        m_executor->cancel(payload);
        Q_EMIT jobRemoved(payload);
        break;
    }
}

void ClusterScheduler::onProgress(const QString &, int, int)
{
    // Progress is counted per batch, in the store.
}

void ClusterScheduler::onFinished(const QString &runKey, const ParseOutcome &outcome)
{
    const JobRecord job = m_held.take(runKey);
    if (job.id.isEmpty()) {
        claimWork();
        return;
    }
    if (outcome.cancelled) {
        // Deleted (the store has nothing left of it) or cancelled (already failed).
    } else if (!outcome.ok) {
        // One failed batch fails the job, as one bad page fails a single parse;
        // unless the task was claimed again meanwhile (this replica stalled).
        const Result<void> failed = m_store->failTask(job, outcome.error, now());
        if (!failed && failed.error().code == ErrorCode::Conflict) {
            qCInfo(lcJobs).noquote() << "job" << job.id << "was taken over; its failure here is not recorded";
            claimWork();
            return;
        }
        qCInfo(lcJobs).noquote() << "job" << job.id << "failed:" << outcome.error;
    } else if (outcome.split) {
        qCInfo(lcJobs).noquote() << "job" << job.id << "split into batches of its" << outcome.pageCount << "page(s)";
    } else if (job.task.kind == TaskKind::Pages) {
        qCInfo(lcJobs).noquote() << "job" << job.id << "pages" << job.task.firstPage + 1 << "to"
                                 << job.task.lastPage + 1 << "read";
    } else {
        qCInfo(lcJobs).noquote() << "job" << job.id << "completed:" << outcome.pageCount << "page(s)";
    }
    const bool final = !outcome.cancelled && (!outcome.ok || (job.task.kind != TaskKind::Pages && !outcome.split));
    if (final) {
        Q_EMIT jobUpdated(job.id);
        Q_EMIT jobFinished(JobSummary::of(job.id, outcome));
    }
    claimWork();
}

} // namespace DocRay
