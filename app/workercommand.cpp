#include "app/workercommand.h"
#include "app/processlimits.h"

#include "engine/documentparser.h"
#include "engine/jobs/executors/jobrunner.h"
#include "engine/jobs/stores/postgresjobstore.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "engine/jobs/executors/workerprotocol.h"
#include "engine/layout/pageregions.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <poll.h>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

namespace DocRay {

namespace {

// DOCRAY_INJECT_FAULT=crash:NAME|hang:NAME|oom:NAME makes the worker fail in
// that way while parsing a file whose name contains NAME: how the tests and
// the load script prove that one bad file fails one job and nothing else.
// slow:NAME only makes every page take longer.
void injectFault(const QString &fileName)
{
    const QString spec = qEnvironmentVariable("DOCRAY_INJECT_FAULT");
    const qsizetype colon = spec.indexOf(QLatin1Char(':'));
    if (colon <= 0 || !fileName.contains(spec.mid(colon + 1)))
        return;
    const QString kind = spec.left(colon);
    if (kind == QLatin1String("crash")) {
        std::raise(SIGSEGV);
    } else if (kind == QLatin1String("hang")) {
        for (;;)
            QThread::sleep(60);
    } else if (kind == QLatin1String("slow")) {
        // Slow enough that a test can stop the replica in the middle.
        QThread::msleep(3000);
    } else if (kind == QLatin1String("oom")) {
        std::vector<std::unique_ptr<char[]>> hog;
        for (;;) {
            hog.emplace_back(new char[64 << 20]);
            std::memset(hog.back().get(), 1, 64 << 20);
        }
    }
}

// How long a worker waits for a job before it loads what the next one may
// need: past the start of a service given work at once.
constexpr int kIdleBeforePrepareMs = 250;

// Whether the service writes to the worker within `ms` (EOF included).
bool messageWithin(int ms)
{
    pollfd input{STDIN_FILENO, POLLIN, 0};
    return ::poll(&input, 1, ms) != 0;
}

} // namespace

int runWorkerCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QString(), QStringLiteral("D"));
    const QCommandLineOption timeout(QStringLiteral("job-timeout"), QString(), QStringLiteral("S"), QStringLiteral("300"));
    const QCommandLineOption memory(QStringLiteral("worker-memory-mb"), QString(), QStringLiteral("M"), QStringLiteral("2048"));
    const QCommandLineOption maxPages(QStringLiteral("max-pages"), QString(), QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption database(QStringLiteral("database"), QString(), QStringLiteral("URL"));
    const QCommandLineOption device(QStringLiteral("device"), QString(), QStringLiteral("DEVICE"), QStringLiteral("auto"));
    const QCommandLineOption batchPages(QStringLiteral("batch-pages"), QString(), QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption probeDevice(QStringLiteral("probe-device"));
    parser.addOptions({dataDir, timeout, memory, maxPages, database, device, batchPages, probeDevice});
    QStringList args = arguments;
    args.removeAt(1); // the "worker" verb
    // The store: --data-dir's SQLite file, or the cluster's PostgreSQL
    // database (--database, or DOCRAY_DATABASE_URL as the service passes it).
    const bool parsed = parser.parse(args);
    const QString databaseUrl = parser.isSet(database) ? parser.value(database)
                                                       : qEnvironmentVariable("DOCRAY_DATABASE_URL");
    // Read once; LibreOffice and anything else this process starts never see it.
    qunsetenv("DOCRAY_DATABASE_URL");
    if (parsed && parser.isSet(probeDevice)) {
        // The service asks which device its parsers will use, and loads no LibTorch itself.
        const QString chosen = resolveComputeDevice(parser.value(device));
        std::printf("%s\n", qPrintable(chosen));
        return chosen.isEmpty() ? 1 : 0;
    }
    if (!parsed || (!parser.isSet(dataDir) && databaseUrl.isEmpty())) {
        std::fprintf(stderr, "doc-ray worker: %s\n",
                     parsed ? "--data-dir or --database is required" : qPrintable(parser.errorText()));
        return 2;
    }
    // A worker outlives a killed service otherwise, holding work nobody renews.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    const unsigned timeoutSeconds = parser.value(timeout).toUInt();
    ParseLimits limits;
    limits.maxPages = qMax(1, parser.value(maxPages).toInt());
    limits.device = parser.value(device);

    // The protocol owns the real stdout; anything a library prints goes to stderr.
    FILE *protocol = fdopen(dup(STDOUT_FILENO), "w");
    dup2(STDERR_FILENO, STDOUT_FILENO);
    limitAddressSpace(parser.value(memory).toULongLong());

    // A database restart while a parse runs is ridden out: the result is
    // written once the database is back (within a minute).
    std::unique_ptr<JobStore> storage;
    if (parser.isSet(dataDir)) {
        // The service made the database before it started its workers. A
        // worker that finds none has outlived its service and the folder
        // it worked in, and must not make them again.
        const QString database = QDir(parser.value(dataDir)).filePath(QStringLiteral("jobs.sqlite"));
        if (!QFileInfo::exists(database)) {
            std::fprintf(stderr, "doc-ray worker: no job database at %s\n", qPrintable(database));
            return 1;
        }
        storage = std::make_unique<SqliteJobStore>(database);
    } else
        storage = std::make_unique<PostgresJobStore>(databaseUrl, 60);
    JobStore &store = *storage;
    const Result<void> opened = protocol ? store.open() : Result<void>(Error{ErrorCode::Internal, QString()});
    if (!opened) {
        std::fprintf(stderr, "doc-ray worker: %s\n", qPrintable(opened.errorMessage()));
        return 1;
    }
    auto send = [protocol](const QByteArray &message) {
        std::fwrite(message.constData(), 1, static_cast<size_t>(message.size()), protocol);
        std::fflush(protocol);
    };

    // The service starts its workers before any job: an idle one readies
    // its OCR and LibTorch, so that a first job finds them loaded.
    bool prepared = false;
    std::string line;
    for (;;) {
        if (!prepared && !messageWithin(kIdleBeforePrepareMs)) {
            DocumentParser::prepareThread(limits.device);
            prepared = true;
        }
        if (!std::getline(std::cin, line))
            break;
        const QJsonDocument message = QJsonDocument::fromJson(QByteArray::fromStdString(line));
        if (!message.isObject())
            continue;
        const JobRecord job = WorkerProtocol::jobFromMessage(message.object());
        ParseControl control;
        control.progress = [&send, &job](int done, int total) {
            send(WorkerProtocol::progressMessage(done, total));
            if (done == 1)
                injectFault(job.fileName);
        };
        // Past the limit SIGALRM ends this process; the parent reports the timeout.
        alarm(timeoutSeconds);
        const ParseOutcome outcome = parseStoredJob(store, job, control, limits, parser.value(batchPages).toInt());
        alarm(0);
        send(WorkerProtocol::doneMessage(outcome));
    }
    return 0;
}

} // namespace DocRay
