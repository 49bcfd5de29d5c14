#include "app/options.h"

#include "engine/jobs/stores/postgresjobstore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QStandardPaths>
#include <QThread>

#include <cstring>

namespace DocRay {

namespace {

QString environment(const char *name)
{
    return qEnvironmentVariable(name);
}

bool readNumber(const QString &text, const QString &what, int minimum, int maximum, int *out, QString *error)
{
    bool ok = false;
    const int value = text.toInt(&ok);
    if (!ok || value < minimum || value > maximum) {
        *error = QStringLiteral("%1 must be a whole number from %2 to %3, got '%4'.")
                     .arg(what)
                     .arg(minimum)
                     .arg(maximum)
                     .arg(text);
        return false;
    }
    *out = value;
    return true;
}

} // namespace

QString ServiceOptions::effectiveHost() const
{
    if (!host.isEmpty())
        return host;
    return server ? QStringLiteral("0.0.0.0") : QStringLiteral("127.0.0.1");
}

RunMode runModeFromArguments(int argc, char **argv)
{
    if (argc > 1 && std::strcmp(argv[1], "convert") == 0)
        return RunMode::Convert;
    if (argc > 1 && std::strcmp(argv[1], "worker") == 0)
        return RunMode::Worker;
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--server") == 0 || std::strcmp(argv[i], "--help") == 0
            || std::strcmp(argv[i], "-h") == 0 || std::strcmp(argv[i], "--version") == 0
            || std::strcmp(argv[i], "-v") == 0)
            return RunMode::Server;
    const QString serverEnv = qEnvironmentVariable("DOCRAY_SERVER").toLower();
    if (serverEnv == QLatin1String("1") || serverEnv == QLatin1String("true"))
        return RunMode::Server;
    return RunMode::Desktop;
}

std::optional<ServiceOptions> parseServiceOptions(const QStringList &arguments, QString *error,
                                                  const ServiceOptions &defaults)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "doc-ray turns documents (PDF, scans, images, text) into markdown and a structured JSON model.\n"
        "Without --server it opens the desktop window; the REST API runs in both modes.\n"
        "One-shot conversion: doc-ray convert INPUT [-o OUT.md] [--json OUT.json]"));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption server(QStringLiteral("server"), QStringLiteral("Run headless: the REST API only (DOCRAY_SERVER=1)."));
    const QCommandLineOption host(QStringLiteral("host"), QStringLiteral("Address to bind (DOCRAY_HOST); default 127.0.0.1, or 0.0.0.0 with --server."), QStringLiteral("H"));
    const QCommandLineOption port(QStringLiteral("port"), QStringLiteral("API port (DOCRAY_PORT); default 8639, 0 picks a free one."), QStringLiteral("P"));
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QStringLiteral("Where jobs, uploads and results are kept (DOCRAY_DATA_DIR)."), QStringLiteral("D"));
    const QCommandLineOption workers(QStringLiteral("workers"), QStringLiteral("Parallel parses (DOCRAY_WORKERS); default one per core."), QStringLiteral("N"));
    const QCommandLineOption ttl(QStringLiteral("job-ttl"), QStringLiteral("Seconds an untouched job is kept (DOCRAY_JOB_TTL); default 1800, 0 keeps jobs forever."), QStringLiteral("S"));
    const QCommandLineOption cleanup(QStringLiteral("cleanup-interval"), QStringLiteral("Seconds between expiry sweeps (DOCRAY_CLEANUP_INTERVAL); default 300."), QStringLiteral("S"));
    const QCommandLineOption maxUpload(QStringLiteral("max-upload-mb"), QStringLiteral("Largest accepted upload in MB (DOCRAY_MAX_UPLOAD_MB); default 200."), QStringLiteral("M"));
    const QCommandLineOption jobTimeout(QStringLiteral("job-timeout"), QStringLiteral("Seconds one parse may take before it fails (DOCRAY_JOB_TIMEOUT); default 300."), QStringLiteral("S"));
    const QCommandLineOption workerMemory(QStringLiteral("worker-memory-mb"), QStringLiteral("Memory limit of each parser process in MB (DOCRAY_WORKER_MEMORY_MB); default 2048."), QStringLiteral("M"));
    const QCommandLineOption maxPages(QStringLiteral("max-pages"), QStringLiteral("Most pages one job may parse (DOCRAY_MAX_PAGES); default 2000."), QStringLiteral("N"));
    const QCommandLineOption maxQueue(QStringLiteral("max-queue"), QStringLiteral("Most jobs waiting to be parsed; past it /submit answers 429 (DOCRAY_MAX_QUEUE); default 1000."), QStringLiteral("N"));
    const QCommandLineOption apiKey(QStringLiteral("api-key"), QStringLiteral("Require this key on every API route but /health and the docs, as 'Authorization: Bearer KEY' or 'X-API-Key: KEY' (DOCRAY_API_KEY; prefer the variable: command lines are visible to other users)."), QStringLiteral("KEY"));
    const QCommandLineOption logFormat(QStringLiteral("log-format"), QStringLiteral("Log lines as 'text' or 'json', one object per line (DOCRAY_LOG_FORMAT); default text."), QStringLiteral("F"));
    const QCommandLineOption callbackHosts(QStringLiteral("callback-allow-host"), QStringLiteral("A host that parser_params.callback_url may name: HOST (its scheme's default port), HOST:PORT or HOST:* (any port), optionally https:// in front; repeat or separate with commas (DOCRAY_CALLBACK_ALLOW_HOSTS). Without it callbacks are refused."), QStringLiteral("HOST"));
    const QCommandLineOption database(QStringLiteral("database"), QStringLiteral("Keep jobs in this PostgreSQL database, shared with other replicas: postgresql://user:password@host:port/db (DOCRAY_DATABASE_URL; prefer the variable for the password). Default: SQLite in the data directory."), QStringLiteral("URL"));
    const QCommandLineOption batchPages(QStringLiteral("batch-pages"), QStringLiteral("PDFs with more pages are parsed in batches of this many, spread over the workers and, with --database, the replicas (DOCRAY_BATCH_PAGES); default 32, 0 never splits. Each batch has --job-timeout to itself."), QStringLiteral("N"));
    const QCommandLineOption lease(QStringLiteral("lease-seconds"), QStringLiteral("With --database: how long a claimed parse stays with a replica that stops renewing it (DOCRAY_LEASE_SECONDS); default 30."), QStringLiteral("S"));
    const QCommandLineOption device(QStringLiteral("device"), QStringLiteral("Where tables and figures are computed: auto (CUDA when LibTorch sees a GPU), cpu or cuda (DOCRAY_DEVICE)."), QStringLiteral("DEVICE"));
    parser.addOptions({server, host, port, dataDir, workers, ttl, cleanup, maxUpload, jobTimeout, workerMemory,
                       maxPages, maxQueue, apiKey, logFormat, callbackHosts, database, batchPages, lease, device});
    parser.addPositionalArgument(QStringLiteral("files"), QStringLiteral("Documents to add (desktop only)."),
                                 QStringLiteral("[files...]"));

    if (!parser.parse(arguments)) {
        *error = parser.errorText();
        return std::nullopt;
    }
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();

    auto value = [&parser](const QCommandLineOption &option, const char *env) {
        return parser.isSet(option) ? parser.value(option) : environment(env);
    };

    ServiceOptions options = defaults;
    const QString serverEnv = environment("DOCRAY_SERVER").toLower();
    options.server = defaults.server || parser.isSet(server) || serverEnv == QLatin1String("1")
        || serverEnv == QLatin1String("true");
    if (!parser.positionalArguments().isEmpty() && options.server) {
        *error = QStringLiteral("unexpected argument '%1' (see --help)").arg(parser.positionalArguments().first());
        return std::nullopt;
    }
    options.files = parser.positionalArguments();
    options.apiKey = value(apiKey, "DOCRAY_API_KEY");
    const QString deviceText = value(device, "DOCRAY_DEVICE").trimmed().toLower();
    if (!deviceText.isEmpty()) {
        if (deviceText != QLatin1String("auto") && deviceText != QLatin1String("cpu") && deviceText != QLatin1String("cuda")) {
            *error = QStringLiteral("--device must be auto, cpu or cuda");
            return std::nullopt;
        }
        options.device = deviceText;
    }
    const QString hostText = value(host, "DOCRAY_HOST");
    if (!hostText.isEmpty())
        options.host = hostText;
    const QString dataDirText = value(dataDir, "DOCRAY_DATA_DIR");
    if (!dataDirText.isEmpty())
        options.dataDir = dataDirText;
    if (options.dataDir.isEmpty())
        options.dataDir = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation)
            + QStringLiteral("/doc-ray");

    int number = 0;
    const QString portText = value(port, "DOCRAY_PORT");
    if (!portText.isEmpty()) {
        if (!readNumber(portText, QStringLiteral("--port"), 0, 65535, &number, error))
            return std::nullopt;
        options.port = static_cast<quint16>(number);
    }
    struct IntOption {
        const QCommandLineOption &option;
        const char *env;
        const char *name;
        int minimum;
        int maximum;
        int *target;
    };
    const IntOption intOptions[] = {
        {workers, "DOCRAY_WORKERS", "--workers", 1, 256, &options.workers},
        {ttl, "DOCRAY_JOB_TTL", "--job-ttl", 0, 365 * 24 * 3600, &options.jobTtlSeconds},
        {cleanup, "DOCRAY_CLEANUP_INTERVAL", "--cleanup-interval", 1, 24 * 3600, &options.cleanupIntervalSeconds},
        {maxUpload, "DOCRAY_MAX_UPLOAD_MB", "--max-upload-mb", 1, 64 * 1024, &options.maxUploadMb},
        {jobTimeout, "DOCRAY_JOB_TIMEOUT", "--job-timeout", 1, 24 * 3600, &options.jobTimeoutSeconds},
        {workerMemory, "DOCRAY_WORKER_MEMORY_MB", "--worker-memory-mb", 64, 1024 * 1024, &options.workerMemoryMb},
        {maxPages, "DOCRAY_MAX_PAGES", "--max-pages", 1, 1000000, &options.maxPages},
        {maxQueue, "DOCRAY_MAX_QUEUE", "--max-queue", 1, 10000000, &options.maxQueuedJobs},
        {batchPages, "DOCRAY_BATCH_PAGES", "--batch-pages", 0, 100000, &options.batchPages},
        {lease, "DOCRAY_LEASE_SECONDS", "--lease-seconds", 2, 3600, &options.leaseSeconds},
    };
    for (const IntOption &option : intOptions) {
        const QString text = value(option.option, option.env);
        if (!text.isEmpty()
            && !readNumber(text, QLatin1String(option.name), option.minimum, option.maximum, option.target, error))
            return std::nullopt;
    }
    const QString format = value(logFormat, "DOCRAY_LOG_FORMAT").toLower();
    if (!format.isEmpty() && format != QLatin1String("text") && format != QLatin1String("json")) {
        *error = QStringLiteral("--log-format must be 'text' or 'json', got '%1'.").arg(format);
        return std::nullopt;
    }
    options.jsonLogs = format == QLatin1String("json");
    options.databaseUrl = value(database, "DOCRAY_DATABASE_URL");
    if (!options.databaseUrl.isEmpty()) {
        if (const QString problem = PostgresJobStore::checkUrl(options.databaseUrl); !problem.isEmpty()) {
            *error = QStringLiteral("--database: %1.").arg(problem);
            return std::nullopt;
        }
    }
    const QStringList hostValues = parser.isSet(callbackHosts) ? parser.values(callbackHosts)
                                                               : QStringList{environment("DOCRAY_CALLBACK_ALLOW_HOSTS")};
    for (const QString &value : hostValues)
        for (const QString &hostName : value.split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!hostName.trimmed().isEmpty())
                options.callbackAllowHosts.append(hostName.trimmed().toLower());

    if (options.workers == 0)
        options.workers = qMax(1, QThread::idealThreadCount());
    return options;
}

} // namespace DocRay
