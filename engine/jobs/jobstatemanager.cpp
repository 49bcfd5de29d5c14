#include "engine/jobs/jobstatemanager.h"

#include "engine/jobs/processexecutor.h"
#include "engine/jobs/threadexecutor.h"

#include <QLoggingCategory>
#include <QUuid>


Q_LOGGING_CATEGORY(lcJobs, "docray.jobs")

namespace DocRay {

namespace {

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

} // namespace

JobStateManager::JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                                 QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
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
        m_executor = std::make_unique<ProcessExecutor>(workers);
    }
    // Queued: an executor may report from inside its own signal handlers.
    connect(m_executor.get(), &ParseExecutor::progress, this, &JobStateManager::onProgress, Qt::QueuedConnection);
    connect(m_executor.get(), &ParseExecutor::finished, this, &JobStateManager::onFinished, Qt::QueuedConnection);
    m_cleanupTimer.setInterval(qMax(1, settings.cleanupIntervalSeconds) * 1000);
    connect(&m_cleanupTimer, &QTimer::timeout, this, &JobStateManager::removeExpiredJobs);
}

JobStateManager::~JobStateManager()
{
    // Interrupted jobs stay "running" in the store and are parsed again on the next start.
    m_executor->shutdown();
}

bool JobStateManager::start(QString *error)
{
    if (!m_store->open(error))
        return false;
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
    QMutexLocker locker(&m_mutex);
    return static_cast<int>(m_queue.indexOf(id));
}

bool JobStateManager::remove(const QString &id)
{
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
    QMutexLocker locker(&m_mutex);
    QList<JobRecord> list = m_jobs.values();
    std::sort(list.begin(), list.end(),
              [](const JobRecord &a, const JobRecord &b) { return a.createdAt < b.createdAt; });
    return list;
}

JobStateManager::Counts JobStateManager::counts() const
{
    QMutexLocker locker(&m_mutex);
    Counts counts;
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

void JobStateManager::removeExpiredJobs()
{
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

} // namespace DocRay
