#include "engine/jobs/schedulers/localscheduler.h"

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/jobs/stores/jobstore.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcJobs)

namespace DocRay {

namespace {

constexpr int kMaxStarts = 3;

} // namespace

LocalScheduler::LocalScheduler(JobStore *store, ParseExecutor *executor, int jobTtlSeconds,
                               int cleanupIntervalSeconds, QObject *parent)
    : JobScheduler(executor, parent)
    , m_store(store)
    , m_jobTtlSeconds(jobTtlSeconds)
{
    m_cleanupTimer.setInterval(qMax(1, cleanupIntervalSeconds) * 1000);
    connect(&m_cleanupTimer, &QTimer::timeout, this, &LocalScheduler::removeExpiredJobs);
}

LocalScheduler::~LocalScheduler()
{
    QMutexLocker locker(&m_mutex);
    m_store->releaseRunning(QStringList(m_running.cbegin(), m_running.cend()));
}

Result<void> LocalScheduler::start()
{
    resume(m_store->allJobs());
    if (m_jobTtlSeconds > 0)
        m_cleanupTimer.start();
    dispatch();
    return {};
}

bool LocalScheduler::giveUpOn(JobRecord &job)
{
    if (job.state != JobState::Running || job.task.attempts < kMaxStarts)
        return false;
    job.state = JobState::Failed;
    job.error = QStringLiteral("The service stopped %1 times while parsing this document; giving up.").arg(kMaxStarts);
    job.finishedAt = now();
    return true;
}

void LocalScheduler::resume(const QList<JobRecord> &stored)
{
    int resumed = 0;
    QList<JobRecord> givenUp;
    {
        QMutexLocker locker(&m_mutex);
        for (JobRecord job : stored) {
            if (!isFinished(job.state) && giveUpOn(job)) {
                givenUp.append(job);
            } else if (!isFinished(job.state)) {
                job.state = JobState::Queued;
                job.pagesDone = 0;
                job.startedAt = QDateTime();
                // The time the service was down does not count against the job.
                job.lastAccess = now();
                m_queue.enqueue(job.id);
                ++resumed;
            }
            m_jobs.insert(job.id, job);
        }
    }
    for (const JobRecord &job : std::as_const(givenUp)) {
        m_store->markFailed(job.id, job.error, job.finishedAt);
        qCWarning(lcJobs).noquote() << "job" << job.id << "failed:" << job.error;
    }
    if (resumed > 0)
        qCInfo(lcJobs) << "resuming" << resumed << "unfinished job(s)";
}

bool LocalScheduler::submit(const JobRecord &job, const QByteArray &data)
{
    if (!m_store->insertJob(job, data))
        return false;
    {
        QMutexLocker locker(&m_mutex);
        m_jobs.insert(job.id, job);
        m_queue.enqueue(job.id);
    }
    qCInfo(lcJobs).noquote() << "job" << job.id << "queued:" << job.fileName << data.size() << "bytes";
    Q_EMIT jobAdded(job.id);
    onOwnerThread([this] { dispatch(); });
    return true;
}

std::optional<JobRecord> LocalScheduler::job(const QString &id, bool touch)
{
    QMutexLocker locker(&m_mutex);
    auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return std::nullopt;
    if (touch) {
        it->lastAccess = now();
        m_accessed.insert(id);
    }
    return *it;
}

int LocalScheduler::queuePosition(const QString &id) const
{
    QMutexLocker locker(&m_mutex);
    return static_cast<int>(m_queue.indexOf(id));
}

bool LocalScheduler::remove(const QString &id)
{
    {
        QMutexLocker locker(&m_mutex);
        if (!m_jobs.remove(id))
            return false;
        m_queue.removeOne(id);
        m_accessed.remove(id);
    }
    // The executor's slot frees when the parse notices; onFinished follows.
    onOwnerThread([this, id] { m_executor->cancel(id); });
    m_store->remove(id);
    qCInfo(lcJobs).noquote() << "job" << id << "deleted";
    Q_EMIT jobRemoved(id);
    return true;
}

bool LocalScheduler::cancel(const QString &id)
{
    const QString message = QStringLiteral("Cancelled.");
    const QDateTime finishedAt = now();
    {
        QMutexLocker locker(&m_mutex);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end() || isFinished(it->state))
            return false;
        m_queue.removeOne(id);
        it->state = JobState::Failed;
        it->error = message;
        it->finishedAt = finishedAt;
    }
    onOwnerThread([this, id] { m_executor->cancel(id); });
    m_store->markFailed(id, message, finishedAt);
    qCInfo(lcJobs).noquote() << "job" << id << "cancelled";
    Q_EMIT jobUpdated(id);
    return true;
}

bool LocalScheduler::retry(const QString &id)
{
    {
        QMutexLocker locker(&m_mutex);
        auto it = m_jobs.find(id);
        // A cancelled worker that has not returned yet still owns the id's slot.
        if (it == m_jobs.end() || !isFinished(it->state) || m_running.contains(id))
            return false;
        it->state = JobState::Queued;
        it->error.clear();
        it->pagesDone = 0;
        it->startedAt = it->finishedAt = QDateTime();
        it->lastAccess = now();
        m_queue.enqueue(id);
    }
    m_store->requeue(id);
    Q_EMIT jobUpdated(id);
    onOwnerThread([this] { dispatch(); });
    return true;
}

QList<JobRecord> LocalScheduler::jobs() const
{
    QMutexLocker locker(&m_mutex);
    QList<JobRecord> list = m_jobs.values();
    std::sort(list.begin(), list.end(),
              [](const JobRecord &a, const JobRecord &b) { return a.createdAt < b.createdAt; });
    return list;
}

JobCounts LocalScheduler::counts() const
{
    JobCounts counts;
    QMutexLocker locker(&m_mutex);
    for (const JobRecord &job : m_jobs) {
        switch (job.state) {
        case JobState::Queued: ++counts.queued; break;
        case JobState::Running: ++counts.running; break;
        case JobState::Completed: ++counts.completed; break;
        case JobState::Failed: ++counts.failed; break;
        }
    }
    return counts;
}

void LocalScheduler::removeExpiredJobs()
{
    QStringList expired;
    QList<QPair<QString, QDateTime>> accesses;
    if (m_jobTtlSeconds > 0) {
        const QDateTime cutoff = now().addSecs(-m_jobTtlSeconds);
        QMutexLocker locker(&m_mutex);
        // Only finished jobs expire: one waiting in a long queue, or parsing,
        // has not been left behind by its client.
        for (const JobRecord &job : std::as_const(m_jobs))
            if (isFinished(job.state) && job.lastAccess < cutoff)
                expired.append(job.id);
        for (const QString &id : std::as_const(m_accessed))
            if (!expired.contains(id))
                accesses.append({id, m_jobs.value(id).lastAccess});
        m_accessed.clear();
    }
    if (!accesses.isEmpty())
        m_store->saveLastAccess(accesses);
    for (const QString &id : std::as_const(expired)) {
        qCInfo(lcJobs).noquote() << "job" << id << "expired";
        remove(id);
    }
}

void LocalScheduler::dispatch()
{
    QList<JobRecord> toStart;
    {
        QMutexLocker locker(&m_mutex);
        while (m_running.size() < m_executor->capacity() && !m_queue.isEmpty()) {
            const QString id = m_queue.dequeue();
            auto it = m_jobs.find(id);
            if (it == m_jobs.end())
                continue;
            it->state = JobState::Running;
            it->startedAt = now();
            m_running.insert(id);
            toStart.append(*it);
        }
    }
    for (const JobRecord &job : std::as_const(toStart)) {
        m_store->markRunning(job.id, job.startedAt);
        qCInfo(lcJobs).noquote() << "job" << job.id << "running";
        Q_EMIT jobUpdated(job.id);
        m_executor->start(job);
    }
}

void LocalScheduler::onProgress(const QString &id, int done, int total)
{
    {
        QMutexLocker locker(&m_mutex);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end() || it->state != JobState::Running)
            return;
        it->pagesDone = done;
        it->pagesTotal = total;
    }
    Q_EMIT jobUpdated(id);
}

void LocalScheduler::onFinished(const QString &id, const ParseOutcome &outcome)
{
    if (recordOutcome(id, outcome)) {
        if (outcome.ok) {
            qCInfo(lcJobs).noquote() << "job" << id << "completed:" << outcome.pageCount << "page(s)";
        } else {
            m_store->markFailed(id, outcome.error, now());
            qCInfo(lcJobs).noquote() << "job" << id << "failed:" << outcome.error;
        }
        Q_EMIT jobUpdated(id);
        Q_EMIT jobFinished(JobSummary::of(id, outcome));
    }
    dispatch();
}

// Applies a parse's end to the job in memory; true when the job was still
// running it (and so has a new final state to report). A job cancelled
// while its parse finished stays cancelled, in memory and in the store.
bool LocalScheduler::recordOutcome(const QString &id, const ParseOutcome &outcome)
{
    QString cancelledError;
    QDateTime cancelledAt;
    {
        QMutexLocker locker(&m_mutex);
        m_running.remove(id);
        auto it = m_jobs.find(id);
        if (it == m_jobs.end())
            return false;
        if (it->state == JobState::Running && !outcome.cancelled) {
            it->state = outcome.ok ? JobState::Completed : JobState::Failed;
            it->error = outcome.ok ? QString() : outcome.error;
            it->finishedAt = now();
            if (outcome.ok)
                it->pagesDone = it->pagesTotal = outcome.pageCount;
            return true;
        }
        if (it->state == JobState::Running || !outcome.ok)
            return false;
        cancelledError = it->error;
        cancelledAt = it->finishedAt;
    }
    // The parse stored its result after the cancel: the store says failed again.
    m_store->markFailed(id, cancelledError, cancelledAt);
    return false;
}

} // namespace DocRay
