#include "engine/jobs/jobstatemanager.h"

#include "engine/jobs/processexecutor.h"
#include "engine/jobs/threadexecutor.h"
#include "engine/pdftextreader.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcJobs, "docray.jobs")

namespace DocRay {

namespace {

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

// A task claimed this often was on replicas that died with it each time:
// most likely the document kills its parser, so the job fails instead.
constexpr int kMaxTaskAttempts = 3;
// Reads in cluster mode write a job's last access at most this often.
constexpr int kTouchThrottleSeconds = 30;

} // namespace

JobStateManager::JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                                 QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_shared(dynamic_cast<SharedJobStore *>(m_store.get()))
    , m_settings(settings)
{
    qRegisterMetaType<DocRay::ParseOutcome>();
    if (settings.workerProgram.isEmpty()) {
        m_executor = std::make_unique<ThreadExecutor>(m_store.get(), settings.workers, settings.limits);
    } else {
        WorkerProcessSettings workers;
        workers.program = settings.workerProgram;
        workers.arguments = settings.workerArguments;
        workers.workers = settings.workers;
        workers.jobTimeoutSeconds = settings.jobTimeoutSeconds;
        workers.environment = settings.workerEnvironment;
        m_executor = std::make_unique<ProcessExecutor>(workers);
    }
    // Queued: an executor may report from inside its own signal handlers.
    connect(m_executor.get(), &ParseExecutor::progress, this, &JobStateManager::onProgress, Qt::QueuedConnection);
    connect(m_executor.get(), &ParseExecutor::finished, this, &JobStateManager::onFinished, Qt::QueuedConnection);
    m_cleanupTimer.setInterval(qMax(1, settings.cleanupIntervalSeconds) * 1000);
    connect(&m_cleanupTimer, &QTimer::timeout, this, &JobStateManager::removeExpiredJobs);
    // Renewing at a third of the lease leaves two chances before it runs out;
    // the same beat picks up leases that other replicas let expire.
    m_heartbeatTimer.setInterval(qBound(1, settings.leaseSeconds / 3, 10) * 1000);
    connect(&m_heartbeatTimer, &QTimer::timeout, this, &JobStateManager::heartbeat);
}

JobStateManager::~JobStateManager()
{
    // Interrupted jobs stay "running" in the store and are parsed again on the next start.
    m_executor->shutdown();
    if (m_shared) {
        // Other replicas need not wait for the leases to run out.
        QList<qint64> held;
        for (const JobRecord &task : std::as_const(m_held))
            held.append(task.task.id);
        m_shared->releaseLeases(m_settings.replicaId, held);
    }
}

bool JobStateManager::start(QString *error)
{
    if (!m_store->open(error))
        return false;
    if (m_shared) {
        if (!m_shared->listen(this, [this](const QString &channel, const QString &payload) {
                onNotification(channel, payload);
            })) {
            *error = QStringLiteral("cannot listen for notifications on the job database");
            return false;
        }
        m_heartbeatTimer.start();
        if (m_settings.jobTtlSeconds > 0)
            m_cleanupTimer.start();
        claimWork();
        return true;
    }
    const QList<JobRecord> stored = m_store->allJobs();
    int resumed = 0;
    {
        QMutexLocker locker(&m_mutex);
        for (JobRecord job : stored) {
            if (!isFinished(job.state)) {
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
    if (resumed > 0)
        qCInfo(lcJobs) << "resuming" << resumed << "unfinished job(s)";
    if (m_settings.jobTtlSeconds > 0)
        m_cleanupTimer.start();
    dispatch();
    return true;
}

QString JobStateManager::submit(const QString &fileName, const QByteArray &data, DocumentFormat format,
                                const ParserParams &params, QString *error)
{
    JobRecord job;
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job.fileName = fileName;
    job.format = formatName(format);
    job.parserParams = params.toJson();
    job.uploadSize = data.size();
    job.createdAt = now();
    job.lastAccess = job.createdAt;
    if (m_shared) {
        // Claimed by whichever replica is free; the store's NOTIFY wakes them.
        const QList<JobTask> tasks = planTasks(format, data, params, &job.pagesTotal);
        if (!m_shared->insertJob(job, data, tasks)) {
            *error = QStringLiteral("The document could not be stored; see the server log.");
            return {};
        }
        qCInfo(lcJobs).noquote() << "job" << job.id << "queued:" << fileName << data.size() << "bytes,"
                                 << tasks.size() << "task(s)";
        Q_EMIT jobAdded(job.id);
        return job.id;
    }
    if (!m_store->insertJob(job, data)) {
        *error = QStringLiteral("The document could not be stored; see the server log.");
        return {};
    }
    {
        QMutexLocker locker(&m_mutex);
        m_jobs.insert(job.id, job);
        m_queue.enqueue(job.id);
    }
    qCInfo(lcJobs).noquote() << "job" << job.id << "queued:" << fileName << data.size() << "bytes";
    Q_EMIT jobAdded(job.id);
    dispatch();
    return job.id;
}

std::optional<JobRecord> JobStateManager::job(const QString &id, bool touch)
{
    if (m_shared) {
        std::optional<JobRecord> record = m_shared->job(id);
        // Written through, but not on every poll: the TTL needs minutes, not milliseconds.
        if (record && touch && record->lastAccess.secsTo(now()) >= kTouchThrottleSeconds) {
            record->lastAccess = now();
            m_shared->touch(id, record->lastAccess);
        }
        return record;
    }
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

std::optional<JobResult> JobStateManager::result(const QString &id, bool withPdf, bool withImages)
{
    const std::optional<JobRecord> record = job(id);
    if (!record || record->state != JobState::Completed)
        return std::nullopt;
    return m_store->result(id, withPdf, withImages);
}

int JobStateManager::queuePosition(const QString &id) const
{
    if (m_shared)
        return m_shared->queuePosition(id);
    QMutexLocker locker(&m_mutex);
    return static_cast<int>(m_queue.indexOf(id));
}

bool JobStateManager::remove(const QString &id)
{
    if (m_shared) {
        // The replica parsing it hears of it through the store's notification.
        if (!m_shared->remove(id))
            return false;
        qCInfo(lcJobs).noquote() << "job" << id << "deleted";
        return true;
    }
    {
        QMutexLocker locker(&m_mutex);
        if (!m_jobs.remove(id))
            return false;
        m_queue.removeOne(id);
        m_accessed.remove(id);
    }
    // The executor's slot frees when the parse notices; onFinished follows.
    m_executor->cancel(id);
    m_store->remove(id);
    qCInfo(lcJobs).noquote() << "job" << id << "deleted";
    Q_EMIT jobRemoved(id);
    return true;
}

bool JobStateManager::cancel(const QString &id)
{
    const QString message = QStringLiteral("Cancelled.");
    const QDateTime finishedAt = now();
    if (m_shared) {
        const std::optional<JobRecord> record = m_shared->job(id);
        if (!record || isFinished(record->state) || !m_shared->markFailed(id, message, finishedAt))
            return false;
        m_executor->cancel(id);
        Q_EMIT jobUpdated(id);
        return true;
    }
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
    m_executor->cancel(id);
    m_store->markFailed(id, message, finishedAt);
    qCInfo(lcJobs).noquote() << "job" << id << "cancelled";
    Q_EMIT jobUpdated(id);
    return true;
}

bool JobStateManager::retry(const QString &id)
{
    if (m_shared) {
        const std::optional<JobRecord> record = m_shared->job(id);
        if (!record || !isFinished(record->state))
            return false;
        ParserParams params;
        ParserParams::fromJson(record->parserParams, &params);
        const QList<JobTask> tasks = planTasks(DocumentFormat::Unknown, {}, params, nullptr);
        return m_shared->requeue(id, tasks);
    }
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
    dispatch();
    return true;
}

QList<JobRecord> JobStateManager::jobs() const
{
    if (m_shared)
        return m_shared->allJobs();
    QMutexLocker locker(&m_mutex);
    QList<JobRecord> list = m_jobs.values();
    std::sort(list.begin(), list.end(),
              [](const JobRecord &a, const JobRecord &b) { return a.createdAt < b.createdAt; });
    return list;
}

JobStateManager::Counts JobStateManager::counts() const
{
    Counts counts;
    if (m_shared) {
        if (const std::optional<SharedJobStore::Counts> shared = m_shared->counts()) {
            counts.queued = shared->queued;
            counts.running = shared->running;
            counts.completed = shared->completed;
            counts.failed = shared->failed;
        }
        return counts;
    }
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

int JobStateManager::workerCount() const
{
    return m_executor->capacity();
}

bool JobStateManager::storeReachable() const
{
    return !m_shared || m_shared->reachable();
}

void JobStateManager::removeExpiredJobs()
{
    if (m_shared) {
        if (m_settings.jobTtlSeconds <= 0)
            return;
        // Reads write last_access up to kTouchThrottleSeconds late: allow for it.
        const QDateTime cutoff = now().addSecs(-m_settings.jobTtlSeconds - kTouchThrottleSeconds);
        const QStringList expired = m_shared->removeExpired(cutoff, qMax(1, m_settings.cleanupIntervalSeconds));
        for (const QString &id : expired)
            qCInfo(lcJobs).noquote() << "job" << id << "expired";
        return;
    }
    QStringList expired;
    QList<QPair<QString, QDateTime>> accesses;
    if (m_settings.jobTtlSeconds > 0) {
        const QDateTime cutoff = now().addSecs(-m_settings.jobTtlSeconds);
        QMutexLocker locker(&m_mutex);
        for (const JobRecord &job : std::as_const(m_jobs))
            if (job.lastAccess < cutoff)
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

void JobStateManager::dispatch()
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

void JobStateManager::onProgress(const QString &id, int done, int total)
{
    if (m_shared)
        return; // progress is counted per batch, in the store
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

void JobStateManager::onFinished(const QString &id, const ParseOutcome &outcome)
{
    if (m_shared) {
        onSharedFinished(id, outcome);
        return;
    }
    bool known = false;
    bool cancelledAfterSave = false;
    {
        QMutexLocker locker(&m_mutex);
        m_running.remove(id);
        auto it = m_jobs.find(id);
        // A job cancelled while its parse finished stays cancelled, in memory and in the store.
        cancelledAfterSave = it != m_jobs.end() && it->state != JobState::Running && outcome.ok;
        if (it != m_jobs.end() && it->state == JobState::Running && !outcome.cancelled) {
            known = true;
            it->state = outcome.ok ? JobState::Completed : JobState::Failed;
            it->error = outcome.ok ? QString() : outcome.error;
            it->finishedAt = now();
            if (outcome.ok)
                it->pagesDone = it->pagesTotal = outcome.pageCount;
        }
    }
    if (known) {
        if (outcome.ok) {
            qCInfo(lcJobs).noquote() << "job" << id << "completed:" << outcome.pageCount << "page(s)";
        } else {
            m_store->markFailed(id, outcome.error, now());
            qCInfo(lcJobs).noquote() << "job" << id << "failed:" << outcome.error;
        }
        Q_EMIT jobUpdated(id);
        JobSummary summary;
        summary.id = id;
        summary.ok = outcome.ok;
        summary.pages = outcome.ok ? outcome.pageCount : 0;
        summary.textLayerPages = outcome.ok ? outcome.textLayerPages : 0;
        summary.ocrPages = outcome.ok ? outcome.ocrPages : 0;
        summary.parseSeconds = outcome.parseSeconds;
        Q_EMIT jobFinished(summary);
    }
    if (cancelledAfterSave) {
        const std::optional<JobRecord> record = job(id, false);
        if (record)
            m_store->markFailed(id, record->error, record->finishedAt);
    }
    dispatch();
}

// ---- cluster mode -----------------------------------------------------------

QList<JobTask> JobStateManager::planTasks(DocumentFormat format, const QByteArray &data,
                                          const ParserParams &params, int *pagesTotal) const
{
    // Only PDFs have pages to split before parsing; everything else is one task.
    if (format != DocumentFormat::Pdf || m_settings.batchPages <= 0)
        return {JobTask()};
    const int pageCount = PdfTextReader::pageCount(data);
    const int first = qMax(0, params.startPage);
    const int last = params.endPage < 0 ? pageCount - 1 : qMin(params.endPage, pageCount - 1);
    const int pages = last - first + 1;
    // Damaged, encrypted or over the limit: the whole parse reports it best.
    if (pageCount <= 0 || pages <= m_settings.batchPages || pages > m_settings.limits.maxPages)
        return {JobTask()};
    QList<JobTask> tasks;
    for (int start = first; start <= last; start += m_settings.batchPages) {
        JobTask batch;
        batch.kind = TaskKind::Pages;
        batch.firstPage = start;
        batch.lastPage = qMin(last, start + m_settings.batchPages - 1);
        tasks.append(batch);
    }
    JobTask merge;
    merge.kind = TaskKind::Merge;
    tasks.append(merge);
    if (pagesTotal)
        *pagesTotal = pages;
    return tasks;
}

void JobStateManager::claimWork()
{
    while (m_running.size() < m_executor->capacity()) {
        QElapsedTimer clock;
        clock.start();
        const std::optional<JobRecord> claimed = m_shared->claim(m_settings.replicaId, m_settings.leaseSeconds);
        if (!claimed)
            return;
        const double ms = clock.nsecsElapsed() / 1e6;
        const JobRecord &job = *claimed;
        if (job.task.attempts > kMaxTaskAttempts) {
            const QString message = QStringLiteral("The parse was interrupted %1 times (its replicas stopped); "
                                                   "giving up.")
                                        .arg(kMaxTaskAttempts);
            m_shared->markFailed(job.id, message, now());
            qCWarning(lcJobs).noquote() << "job" << job.id << "failed:" << message;
            continue;
        }
        m_running.insert(job.runKey());
        m_held.insert(job.runKey(), job);
        const QString what = job.task.kind == TaskKind::Pages
            ? QStringLiteral("pages %1-%2").arg(job.task.firstPage + 1).arg(job.task.lastPage + 1)
            : job.task.kind == TaskKind::Merge ? QStringLiteral("merge") : QStringLiteral("whole");
        qCInfo(lcJobs).noquote() << "job" << job.id << "claimed:" << what
                                 << QStringLiteral("(attempt %1, claim %2 ms)").arg(job.task.attempts).arg(ms, 0, 'f', 2);
        Q_EMIT jobUpdated(job.id);
        m_executor->start(job);
    }
}

void JobStateManager::heartbeat()
{
    QList<qint64> held;
    for (const JobRecord &task : std::as_const(m_held))
        held.append(task.task.id);
    m_shared->renewLeases(m_settings.replicaId, held, m_settings.leaseSeconds);
    // A database restart drops the listening connection; work queued
    // meanwhile is found by the claim below.
    m_shared->checkListener();
    claimWork();
}

void JobStateManager::onNotification(const QString &channel, const QString &payload)
{
    if (channel == QLatin1String("work")) {
        claimWork();
    } else if (channel == QLatin1String("job")) {
        Q_EMIT jobUpdated(payload);
    } else if (channel == QLatin1String("cancel")) {
        m_executor->cancel(payload);
        Q_EMIT jobRemoved(payload);
    }
}

void JobStateManager::onSharedFinished(const QString &runKey, const ParseOutcome &outcome)
{
    m_running.remove(runKey);
    const JobRecord job = m_held.take(runKey);
    if (job.id.isEmpty()) {
        claimWork();
        return;
    }
    if (outcome.cancelled) {
        // Deleted (the store has nothing left of it) or cancelled (already failed).
    } else if (!outcome.ok) {
        // One failed batch fails the job, as one bad page fails a single parse.
        m_shared->markFailed(job.id, outcome.error, now());
        qCInfo(lcJobs).noquote() << "job" << job.id << "failed:" << outcome.error;
    } else if (job.task.kind == TaskKind::Pages) {
        qCInfo(lcJobs).noquote() << "job" << job.id << "pages" << job.task.firstPage + 1 << "to"
                                 << job.task.lastPage + 1 << "read";
    } else {
        qCInfo(lcJobs).noquote() << "job" << job.id << "completed:" << outcome.pageCount << "page(s)";
    }
    const bool final = !outcome.cancelled && (!outcome.ok || job.task.kind != TaskKind::Pages);
    if (final) {
        Q_EMIT jobUpdated(job.id);
        JobSummary summary;
        summary.id = job.id;
        summary.ok = outcome.ok;
        summary.pages = outcome.ok ? outcome.pageCount : 0;
        summary.textLayerPages = outcome.ok ? outcome.textLayerPages : 0;
        summary.ocrPages = outcome.ok ? outcome.ocrPages : 0;
        summary.parseSeconds = outcome.parseSeconds;
        Q_EMIT jobFinished(summary);
    }
    claimWork();
}

} // namespace DocRay
