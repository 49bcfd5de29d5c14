#include "app/workercommand.h"

#include "engine/jobs/jobrunner.h"
#include "engine/jobs/sqlitejobstore.h"
#include "engine/jobs/workerprotocol.h"

#include <QCommandLineParser>
#include <QDir>
#include <QJsonDocument>
#include <QThread>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <sys/resource.h>
#include <unistd.h>
#include <vector>

namespace DocRay {

namespace {

// DOCRAY_INJECT_FAULT=crash:NAME|hang:NAME|oom:NAME makes the worker fail in
// that way while parsing a file whose name contains NAME: how the tests and
// the load script prove that one bad file fails one job and nothing else.
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
    } else if (kind == QLatin1String("oom")) {
        std::vector<std::unique_ptr<char[]>> hog;
        for (;;) {
            hog.emplace_back(new char[64 << 20]);
            std::memset(hog.back().get(), 1, 64 << 20);
        }
    }
}

} // namespace

int runWorkerCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    const QCommandLineOption dataDir(QStringLiteral("data-dir"), QString(), QStringLiteral("D"));
    const QCommandLineOption timeout(QStringLiteral("job-timeout"), QString(), QStringLiteral("S"), QStringLiteral("300"));
    const QCommandLineOption memory(QStringLiteral("worker-memory-mb"), QString(), QStringLiteral("M"), QStringLiteral("2048"));
    const QCommandLineOption maxPages(QStringLiteral("max-pages"), QString(), QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption device(QStringLiteral("device"), QString(), QStringLiteral("DEVICE"), QStringLiteral("auto"));
    parser.addOptions({dataDir, timeout, memory, maxPages, device});
    QStringList args = arguments;
    args.removeAt(1); // the "worker" verb
    if (!parser.parse(args) || !parser.isSet(dataDir)) {
        std::fprintf(stderr, "doc-ray worker: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    const unsigned timeoutSeconds = parser.value(timeout).toUInt();
    const rlim_t memoryBytes = rlim_t(parser.value(memory).toULongLong()) << 20;
    ParseLimits limits;
    limits.maxPages = qMax(1, parser.value(maxPages).toInt());
    limits.device = parser.value(device);

    // The protocol owns the real stdout; anything a library prints goes to stderr.
    FILE *protocol = fdopen(dup(STDOUT_FILENO), "w");
    dup2(STDERR_FILENO, STDOUT_FILENO);
    if (memoryBytes > 0) {
        const rlimit limit{memoryBytes, memoryBytes};
        setrlimit(RLIMIT_AS, &limit);
    }

    SqliteJobStore store(QDir(parser.value(dataDir)).filePath(QStringLiteral("jobs.sqlite")));
    QString error;
    if (!protocol || !store.open(&error)) {
        std::fprintf(stderr, "doc-ray worker: %s\n", qPrintable(error));
        return 1;
    }
    auto send = [protocol](const QByteArray &message) {
        std::fwrite(message.constData(), 1, static_cast<size_t>(message.size()), protocol);
        std::fflush(protocol);
    };

    std::string line;
    while (std::getline(std::cin, line)) {
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
        const ParseOutcome outcome = parseStoredJob(store, job, control, limits);
        alarm(0);
        send(WorkerProtocol::doneMessage(outcome));
    }
    return 0;
}

} // namespace DocRay
