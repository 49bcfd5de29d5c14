#include "app/service.h"

#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/postgresjobstore.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "engine/layout/pageregions.h"
#include "httpserver/apiserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QUuid>

namespace DocRay {

Service::Service(const ServiceOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
{
    JobManagerSettings settings;
    settings.workers = options.workers;
    settings.jobTtlSeconds = options.jobTtlSeconds;
    settings.cleanupIntervalSeconds = options.cleanupIntervalSeconds;
    // Parses run in child processes of this same executable: a parser that
    // crashes, hangs or eats memory fails its job, never the service.
    settings.workerProgram = QCoreApplication::applicationFilePath();
    settings.workerArguments = {QStringLiteral("worker"),
                                QStringLiteral("--job-timeout"), QString::number(options.jobTimeoutSeconds),
                                QStringLiteral("--worker-memory-mb"), QString::number(options.workerMemoryMb),
                                QStringLiteral("--max-pages"), QString::number(options.maxPages),
                                QStringLiteral("--device"), options.device};
    settings.limits.maxPages = options.maxPages;
    settings.limits.device = options.device;
    settings.jobTimeoutSeconds = options.jobTimeoutSeconds;
    std::unique_ptr<JobStore> store;
    if (options.databaseUrl.isEmpty()) {
        settings.workerArguments << QStringLiteral("--data-dir") << options.dataDir;
        store = std::make_unique<SqliteJobStore>(QDir(options.dataDir).filePath(QStringLiteral("jobs.sqlite")));
    } else {
        // The URL reaches the parser processes in their environment, where
        // other users cannot read the password as they could on a command line.
        settings.workerEnvironment = QProcessEnvironment::systemEnvironment();
        settings.workerEnvironment.insert(QStringLiteral("DOCRAY_DATABASE_URL"), options.databaseUrl);
        settings.batchPages = options.batchPages;
        settings.leaseSeconds = options.leaseSeconds;
        settings.replicaId = QStringLiteral("%1:%2:%3")
                                 .arg(QHostInfo::localHostName())
                                 .arg(QCoreApplication::applicationPid())
                                 .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
        store = std::make_unique<PostgresJobStore>(options.databaseUrl);
    }
    m_jobs = std::make_unique<JobStateManager>(std::move(store), settings);
}

Service::~Service()
{
    // The API goes first so no request reaches a manager being torn down.
    m_api.reset();
    m_jobs.reset();
}

Result<void> Service::startJobs()
{
    return m_jobs->start();
}

Result<void> Service::startApi()
{
    ApiSettings settings;
    settings.maxUploadBytes = static_cast<qint64>(m_options.maxUploadMb) * 1024 * 1024;
    settings.device = device();
    settings.jsonLogs = m_options.jsonLogs;
    settings.callbacks.allowedHosts = m_options.callbackAllowHosts;
    settings.admission.apiKey = m_options.apiKey.toUtf8();
    settings.maxQueuedJobs = m_options.maxQueuedJobs;
    settings.dataDirectory = m_options.dataDir;
    // The desktop's API is for programs on this machine only.
    settings.admission.localClientsOnly = !m_options.server && QHostAddress(m_options.effectiveHost()).isLoopback();
    if (m_options.server && !QHostAddress(m_options.effectiveHost()).isLoopback() && m_options.apiKey.isEmpty()) {
        settings.warnings.append(QStringLiteral(
            "The API is open to the network without a key: anyone who reaches port %1 can submit documents and read "
            "results. Set --api-key (DOCRAY_API_KEY) or listen on 127.0.0.1.").arg(m_options.port));
        qWarning("WARNING: %s", qPrintable(settings.warnings.last()));
    }
    auto api = std::make_unique<ApiServer>(m_jobs.get(), settings);
    if (const Result<void> listening = api->listen(QHostAddress(m_options.effectiveHost()), m_options.port); !listening)
        return listening;
    m_api = std::move(api);
    return {};
}

QUrl Service::apiUrl() const
{
    if (!m_api)
        return {};
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    url.setHost(m_options.effectiveHost());
    url.setPort(m_api->port());
    return url;
}

QString Service::device() const
{
    // What the parsers will really use; a CUDA request on a machine without
    // a GPU shows as the error it is.
    QString error;
    const QString device = resolveComputeDevice(m_options.device, &error);
    return device.isEmpty() ? QStringLiteral("%1 (unavailable)").arg(m_options.device) : device;
}

} // namespace DocRay
