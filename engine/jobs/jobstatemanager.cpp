#include "engine/jobs/jobstatemanager.h"

#include "engine/jobs/executors/processexecutor.h"
#include "engine/jobs/executors/threadexecutor.h"
#include "engine/jobs/schedulers/clusterscheduler.h"
#include "engine/jobs/schedulers/localscheduler.h"
#include "engine/jobs/stores/sharedjobstore.h"

#include <QLoggingCategory>
#include <QUuid>

Q_LOGGING_CATEGORY(lcJobs, "docray.jobs")

namespace DocRay {

namespace {

std::unique_ptr<ParseExecutor> makeExecutor(JobStore *store, const JobManagerSettings &settings)
{
    if (settings.workerProgram.isEmpty())
        return std::make_unique<ThreadExecutor>(store, settings.workers, settings.limits, settings.batchPages);
    WorkerProcessSettings workers;
    workers.program = settings.workerProgram;
    workers.arguments = settings.workerArguments;
    workers.workers = settings.workers;
    workers.jobTimeoutSeconds = settings.jobTimeoutSeconds;
    workers.environment = settings.workerEnvironment;
    return std::make_unique<ProcessExecutor>(workers);
}

std::unique_ptr<JobScheduler> makeScheduler(JobStore *store, ParseExecutor *executor,
                                            const JobManagerSettings &settings)
{
    if (auto *shared = dynamic_cast<SharedJobStore *>(store)) {
        ClusterSettings cluster;
        cluster.replicaId = settings.replicaId;
        cluster.leaseSeconds = settings.leaseSeconds;
        cluster.jobTtlSeconds = settings.jobTtlSeconds;
        cluster.cleanupIntervalSeconds = settings.cleanupIntervalSeconds;
        return std::make_unique<ClusterScheduler>(shared, executor, cluster);
    }
    return std::make_unique<LocalScheduler>(store, executor, settings.jobTtlSeconds,
                                            settings.cleanupIntervalSeconds);
}

} // namespace

JobStateManager::JobStateManager(std::unique_ptr<JobStore> store, const JobManagerSettings &settings,
                                 QObject *parent)
    : QObject(parent)
    , m_store(std::move(store))
{
    qRegisterMetaType<DocRay::ParseOutcome>();
    m_executor = makeExecutor(m_store.get(), settings);
    m_scheduler = makeScheduler(m_store.get(), m_executor.get(), settings);
    connect(m_scheduler.get(), &JobScheduler::jobAdded, this, &JobStateManager::jobAdded);
    connect(m_scheduler.get(), &JobScheduler::jobUpdated, this, &JobStateManager::jobUpdated);
    connect(m_scheduler.get(), &JobScheduler::jobRemoved, this, &JobStateManager::jobRemoved);
    connect(m_scheduler.get(), &JobScheduler::jobFinished, this, &JobStateManager::jobFinished);
}

JobStateManager::~JobStateManager()
{
    // Interrupted jobs stay "running" in the store and are parsed again on the next start.
    m_executor->shutdown();
}

Result<void> JobStateManager::start()
{
    if (const Result<void> opened = m_store->open(); !opened)
        return opened;
    m_executor->prepare();
    return m_scheduler->start();
}

Result<QString> JobStateManager::submit(const QString &fileName, const QByteArray &data, DocumentFormat format,
                                        const ParserParams &params, const QUrl &callbackUrl)
{
    JobRecord job;
    job.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    job.fileName = fileName;
    job.format = formatName(format);
    job.parserParams = params.toJson();
    if (!callbackUrl.isEmpty())
        job.parserParams.insert(QStringLiteral("callback_url"), callbackUrl.toString(QUrl::FullyEncoded));
    job.uploadSize = data.size();
    job.createdAt = QDateTime::currentDateTimeUtc();
    job.lastAccess = job.createdAt;
    if (!m_scheduler->submit(job, data))
        return Error{ErrorCode::Unavailable, QStringLiteral("The document could not be stored; see the server log.")};
    return job.id;
}

std::optional<JobRecord> JobStateManager::job(const QString &id, bool touch)
{
    return m_scheduler->job(id, touch);
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
    return m_scheduler->queuePosition(id);
}

bool JobStateManager::remove(const QString &id)
{
    return m_scheduler->remove(id);
}

bool JobStateManager::cancel(const QString &id)
{
    return m_scheduler->cancel(id);
}

bool JobStateManager::retry(const QString &id)
{
    return m_scheduler->retry(id);
}

QList<JobRecord> JobStateManager::jobs() const
{
    return m_scheduler->jobs();
}

JobStateManager::Counts JobStateManager::counts() const
{
    return m_scheduler->counts();
}

int JobStateManager::workerCount() const
{
    return m_executor->capacity();
}

void JobStateManager::removeExpiredJobs()
{
    m_scheduler->removeExpiredJobs();
}

bool JobStateManager::storeReachable() const
{
    return m_scheduler->storeReachable();
}

} // namespace DocRay
