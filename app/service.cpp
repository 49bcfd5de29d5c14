#include "app/service.h"

#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/postgresjobstore.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "httpserver/apiserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QHostInfo>
#include <QProcess>
#include <QUuid>

namespace DocRay {

namespace {

// What a parser worker may see of the service's environment: what the
// parsers and the libraries under them read, never the API key, the
// database URL or anything else an operator exported.
QProcessEnvironment workerEnvironment()
{
    static const QStringList names{QStringLiteral("PATH"), QStringLiteral("HOME"), QStringLiteral("USER"),
                                   QStringLiteral("LANG"), QStringLiteral("LANGUAGE"), QStringLiteral("TZ"),
                                   QStringLiteral("TMPDIR"), QStringLiteral("TESSDATA_PREFIX"), QStringLiteral("LD_LIBRARY_PATH"),
                                   QStringLiteral("XDG_RUNTIME_DIR"), QStringLiteral("XDG_DATA_DIRS"),
                                   QStringLiteral("FONTCONFIG_PATH"), QStringLiteral("FONTCONFIG_FILE"),
                                   QStringLiteral("OMP_NUM_THREADS"), QStringLiteral("OMP_THREAD_LIMIT"),
                                   QStringLiteral("DOCRAY_SOFFICE"), QStringLiteral("DOCRAY_OFFICE_TIMEOUT"),
                                   QStringLiteral("DOCRAY_BLOCK_MODEL"), QStringLiteral("DOCRAY_TENSOR_MODULE"),
                                   QStringLiteral("DOCRAY_INJECT_FAULT")};
    static const QStringList prefixes{QStringLiteral("LC_"), QStringLiteral("QT_"), QStringLiteral("CUDA_"),
                                      QStringLiteral("NVIDIA_"), QStringLiteral("GLOG_")};
    const QProcessEnvironment inherited = QProcessEnvironment::systemEnvironment();
    QProcessEnvironment env;
    for (const QString &name : inherited.keys())
        if (names.contains(name)
            || std::any_of(prefixes.cbegin(), prefixes.cend(), [&name](const QString &prefix) { return name.startsWith(prefix); }))
            env.insert(name, inherited.value(name));
    return env;
}

// The device a worker process resolves for `requested`. Asked of a child
// so that this process never loads LibTorch (a second of start-up and
// about 100 MB it would keep for nothing); a CUDA request on a machine
// without a GPU shows as the error it is.
QString probeDevice(const QString &requested)
{
    QProcess probe;
    probe.setProcessEnvironment(workerEnvironment());
    probe.start(QCoreApplication::applicationFilePath(),
                {QStringLiteral("worker"), QStringLiteral("--probe-device"), QStringLiteral("--device"), requested});
    const bool answered = probe.waitForFinished(60000) && probe.exitStatus() == QProcess::NormalExit
        && probe.exitCode() == 0;
    const QString device = answered ? QString::fromUtf8(probe.readAllStandardOutput()).trimmed() : QString();
    return device.isEmpty() ? QStringLiteral("%1 (unavailable)").arg(requested) : device;
}

} // namespace

Service::Service(const ServiceOptions &options, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_device(probeDevice(options.device))
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
    settings.workerEnvironment = workerEnvironment();
    settings.limits.maxPages = options.maxPages;
    settings.limits.device = options.device;
    settings.jobTimeoutSeconds = options.jobTimeoutSeconds;
    // Batches spread a large PDF over the parsers (the other replicas', and
    // this service's other workers) and give each part of it the time limit
    // of a parse: a 2,000-page book is not one five-minute parse.
    settings.batchPages = options.batchPages;
    settings.workerArguments << QStringLiteral("--batch-pages") << QString::number(options.batchPages);
    std::unique_ptr<JobStore> store;
    if (options.databaseUrl.isEmpty()) {
        settings.workerArguments << QStringLiteral("--data-dir") << options.dataDir;
        store = std::make_unique<SqliteJobStore>(QDir(options.dataDir).filePath(QStringLiteral("jobs.sqlite")));
    } else {
        // The URL reaches the parser processes in their environment, where
        // other users cannot read the password as they could on a command line.
        settings.workerEnvironment.insert(QStringLiteral("DOCRAY_DATABASE_URL"), options.databaseUrl);
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

} // namespace DocRay
