#include "engine/jobs/jobstatemanager.h"

#include "engine/documentparser.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QUuid>

#include <exception>

Q_LOGGING_CATEGORY(lcJobs, "docray.jobs")

namespace DocRay {

namespace {

QDateTime now()
{
    return QDateTime::currentDateTimeUtc();
}

QByteArray imagesAsJson(const QMap<QString, QByteArray> &images)
{
    QJsonObject json;
    for (auto it = images.cbegin(); it != images.cend(); ++it)
        json.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

} // namespace

JobStateManager::JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                                 QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
    , m_settings(settings)
{
    m_pool.setObjectName(QStringLiteral("docray-parse"));
    m_pool.setMaxThreadCount(qMax(1, settings.workers));
    // Worker threads keep their OCR engine and store connection: never expire them.
    m_pool.setExpiryTimeout(-1);
    m_cleanupTimer.setInterval(qMax(1, settings.cleanupIntervalSeconds) * 1000);
    connect(&m_cleanupTimer, &QTimer::timeout, this, &JobStateManager::removeExpiredJobs);
}

JobStateManager::~JobStateManager()
{
    {
        QMutexLocker locker(&m_mutex);
        for (const auto &cancel : std::as_const(m_running))
            cancel->store(true);
    }
    // Interrupted jobs stay "running" in the store and are parsed again on the next start.
    m_pool.waitForDone();
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
        if (const auto cancel = m_running.value(id))
            cancel->store(true); // the worker's slot frees when it notices
    }
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
        if (const auto flag = m_running.value(id))
            flag->store(true);
        it->state = JobState::Failed;
        it->error = message;
        it->finishedAt = finishedAt;
    }
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
    return m_pool.maxThreadCount();
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
    QList<QPair<JobRecord, std::shared_ptr<std::atomic_bool>>> toStart;
    {
        QMutexLocker locker(&m_mutex);
        while (m_running.size() < m_pool.maxThreadCount() && !m_queue.isEmpty()) {
            const QString id = m_queue.dequeue();
            auto it = m_jobs.find(id);
            if (it == m_jobs.end())
                continue;
            it->state = JobState::Running;
            it->startedAt = now();
            auto cancel = std::make_shared<std::atomic_bool>(false);
            m_running.insert(id, cancel);
            toStart.append({*it, cancel});
        }
    }
    for (const auto &[job, cancel] : toStart) {
        m_store->markRunning(job.id, job.startedAt);
        Q_EMIT jobUpdated(job.id);
        m_pool.start([this, job = job, cancel = cancel] { runJob(job, cancel); });
    }
}

// Runs on a worker thread: reads the upload, parses, stores the outcome, and
// reports back to the main thread. Never touches m_jobs directly.
void JobStateManager::runJob(const JobRecord &job, std::shared_ptr<std::atomic_bool> cancel)
{
    Outcome outcome;
    try {
        ParseRequest request;
        request.data = m_store->upload(job.id);
        request.fileName = job.fileName;
        request.format = detectFormat(request.data, job.fileName).format;
        ParserParams::fromJson(job.parserParams, &request.params);

        ParseControl control;
        control.isCancelled = [cancel] { return cancel->load(); };
        control.progress = [this, id = job.id](int done, int total) {
            QMetaObject::invokeMethod(this, [this, id, done, total] { onProgress(id, done, total); },
                                      Qt::QueuedConnection);
        };
        const ParseResult parsed = DocumentParser().parse(request, control);
        outcome.pageCount = parsed.document.pageCount;
        if (cancel->load() || parsed.code == ParseErrorCode::Cancelled) {
            outcome.cancelled = true;
        } else if (parsed.ok()) {
            JobResult result;
            result.markdown = parsed.document.markdown;
            result.middleJson = parsed.document.middleJson;
            result.imagesJson = imagesAsJson(parsed.document.images);
            // A PDF upload is its own pdf_data: do not store it twice.
            if (parsed.document.pdfData != request.data)
                result.pdfData = parsed.document.pdfData;
            outcome.ok = m_store->saveResult(job.id, result, outcome.pageCount, now());
            if (!outcome.ok)
                outcome.error = QStringLiteral("The result could not be stored; see the server log.");
        } else {
            outcome.error = parsed.error;
        }
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("Internal parser error: %1").arg(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        outcome.error = QStringLiteral("Internal parser error.");
    }
    if (!outcome.ok && !outcome.cancelled)
        m_store->markFailed(job.id, outcome.error, now());
    QMetaObject::invokeMethod(this, [this, id = job.id, outcome] { onFinished(id, outcome); },
                              Qt::QueuedConnection);
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

void JobStateManager::onFinished(const QString &id, const Outcome &outcome)
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
            it->error = outcome.error;
            it->finishedAt = now();
            if (outcome.ok)
                it->pagesDone = it->pagesTotal = outcome.pageCount;
        }
    }
    if (known) {
        if (outcome.ok)
            qCInfo(lcJobs).noquote() << "job" << id << "completed:" << outcome.pageCount << "page(s)";
        else
            qCInfo(lcJobs).noquote() << "job" << id << "failed:" << outcome.error;
        Q_EMIT jobUpdated(id);
    }
    if (cancelledAfterSave) {
        const std::optional<JobRecord> record = job(id, false);
        if (record)
            m_store->markFailed(id, record->error, record->finishedAt);
    }
    dispatch();
}

} // namespace DocRay
