#include "engine/jobs/schedulers/localscheduler.h"

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/jobs/stores/jobstore.h"

#include <QLoggingCategory>

#include <algorithm>
#include <numeric>

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
    QSet<QString> jobs;
    for (const JobRecord &run : std::as_const(m_running))
        jobs.insert(run.id);
    m_store->releaseRunning(QStringList(jobs.cbegin(), jobs.cend()));
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
        dropBatches(id);
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
        dropBatches(id);
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
        if (it == m_jobs.end() || !isFinished(it->state) || hasRuns(id))
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

void LocalScheduler::dropBatches(const QString &id)
{
    m_batches.removeIf([&id](const JobRecord &run) { return run.id == id; });
    m_splits.remove(id);
}

bool LocalScheduler::hasRuns(const QString &id) const
{
    return std::any_of(m_running.cbegin(), m_running.cend(), [&id](const JobRecord &run) { return run.id == id; });
}

void LocalScheduler::dispatch()
{
    QList<JobRecord> toStart;
    {
        QMutexLocker locker(&m_mutex);
        while (m_running.size() < m_executor->capacity()) {
            JobRecord run;
            if (!m_batches.isEmpty()) {
                run = m_batches.dequeue(); // its job is running already
            } else if (!m_queue.isEmpty()) {
                auto it = m_jobs.find(m_queue.dequeue());
                if (it == m_jobs.end())
                    continue;
                it->state = JobState::Running;
                it->startedAt = now();
                run = *it;
            } else {
                break;
            }
            m_running.insert(run.runKey(), run);
            toStart.append(run);
        }
    }
    for (const JobRecord &run : std::as_const(toStart)) {
        if (run.task.kind == TaskKind::Whole) {
            m_store->markRunning(run.id, run.startedAt);
            qCInfo(lcJobs).noquote() << "job" << run.id << "running";
            Q_EMIT jobUpdated(run.id);
        }
        m_executor->start(run);
    }
}

void LocalScheduler::onProgress(const QString &runKey, int done, int total)
{
    QString id;
    {
        QMutexLocker locker(&m_mutex);
        const JobRecord run = m_running.value(runKey);
        auto it = m_jobs.find(run.id);
        if (it == m_jobs.end() || it->state != JobState::Running)
            return;
        id = run.id;
        auto split = m_splits.find(id);
        if (split == m_splits.end()) {
            it->pagesDone = done;
            it->pagesTotal = total;
        } else if (run.task.kind == TaskKind::Pages) {
            split->pagesDone.insert(run.task.id, done);
            it->pagesDone = std::accumulate(split->pagesDone.cbegin(), split->pagesDone.cend(), 0);
        }
    }
    Q_EMIT jobUpdated(id);
}

void LocalScheduler::onFinished(const QString &runKey, const ParseOutcome &outcome)
{
    JobRecord run;
    {
        QMutexLocker locker(&m_mutex);
        run = m_running.take(runKey);
    }
    if (run.task.kind == TaskKind::Whole && outcome.split)
        onSplit(run, outcome);
    else if (run.task.kind == TaskKind::Pages)
        onBatchDone(run, outcome);
    else
        onJobDone(run.id, outcome);
    dispatch();
}

// The worker found the PDF worth spreading over the workers: its batches
// are queued ahead of the jobs after it, the merge waits for them.
void LocalScheduler::onSplit(const JobRecord &run, const ParseOutcome &outcome)
{
    Split split;
    qint64 taskId = 0;
    QList<JobRecord> batches;
    for (const JobTask &task : outcome.batches) {
        JobRecord part = run;
        part.task = task;
        part.task.id = ++taskId;
        if (task.kind == TaskKind::Merge)
            split.merge = part;
        else
            batches.append(part);
    }
    if (batches.isEmpty() || split.merge.task.kind != TaskKind::Merge) {
        ParseOutcome failed;
        failed.error = QStringLiteral("The document's page batches could not be planned.");
        onJobDone(run.id, failed);
        return;
    }
    {
        QMutexLocker locker(&m_mutex);
        auto it = m_jobs.find(run.id);
        if (it == m_jobs.end() || it->state != JobState::Running)
            return; // cancelled or deleted meanwhile
        it->pagesDone = 0;
        it->pagesTotal = outcome.pageCount;
        split.batchesLeft = static_cast<int>(batches.size());
        m_splits.insert(run.id, split);
        m_batches.append(batches);
    }
    qCInfo(lcJobs).noquote() << "job" << run.id << "split into" << batches.size() << "batches of its"
                             << outcome.pageCount << "page(s)";
    Q_EMIT jobUpdated(run.id);
}

// A batch in: the merge is queued after the last one; a failed batch
// fails the job and stops its other batches.
void LocalScheduler::onBatchDone(const JobRecord &run, const ParseOutcome &outcome)
{
    if (outcome.cancelled)
        return; // the job was cancelled or deleted: its state says so already
    if (!outcome.ok) {
        {
            QMutexLocker locker(&m_mutex);
            dropBatches(run.id);
        }
        m_executor->cancel(run.id);
        onJobDone(run.id, outcome);
        return;
    }
    QMutexLocker locker(&m_mutex);
    auto split = m_splits.find(run.id);
    if (split == m_splits.end())
        return;
    split->pagesDone.insert(run.task.id, outcome.pageCount);
    split->parseSeconds += outcome.parseSeconds;
    if (--split->batchesLeft == 0)
        m_batches.prepend(split->merge);
}

// A whole parse or a merge ended: the job's final state.
void LocalScheduler::onJobDone(const QString &id, const ParseOutcome &outcome)
{
    ParseOutcome final = outcome;
    {
        QMutexLocker locker(&m_mutex);
        final.parseSeconds += m_splits.value(id).parseSeconds;
        m_splits.remove(id);
    }
    if (!recordOutcome(id, final))
        return;
    if (final.ok) {
        qCInfo(lcJobs).noquote() << "job" << id << "completed:" << final.pageCount << "page(s)";
    } else {
        m_store->markFailed(id, final.error, now());
        qCInfo(lcJobs).noquote() << "job" << id << "failed:" << final.error;
    }
    Q_EMIT jobUpdated(id);
    Q_EMIT jobFinished(JobSummary::of(id, final));
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
