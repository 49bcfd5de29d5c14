#include "engine/jobs/executors/processexecutor.h"

#include "engine/jobs/executors/workerprotocol.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <cerrno>
#include <csignal>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcWorkers, "docray.workers")

namespace DocRay {

// One child process and the parse it is running, if any (by run key).
struct ProcessExecutor::Worker {
    std::unique_ptr<QProcess> process;
    std::unique_ptr<QTimer> deadline; // the parent's backstop behind the child's own alarm
    QString jobId;
    int firstPage = 0; // of a batch: its pages are counted from there
    int pagesDone = 0;
    bool cancelled = false;
    bool timedOut = false;
    // Killed: never handed another job, even if its last report (read after
    // the kill) made it look idle before its exit arrives.
    bool retiring = false;
    QByteArray buffer;
    qint64 session = 0; // the child leads a session of its own: LibreOffice and whatever else it starts
    // The child's TMPDIR: what a killed child leaves (LibreOffice's copy of
    // the document) goes with this folder.
    std::unique_ptr<QTemporaryDir> scratch;
};

namespace {

// Kills every process left in a worker's session. A worker killed for a
// cancel or a time limit cannot stop the LibreOffice it started (in a
// process group of its own, for its own time limit); the session holds
// them all. Linux's /proc lists each process's session.
void killSession(qint64 session)
{
    if (session <= 1)
        return;
    const QStringList entries = QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool numeric = false;
        const qint64 pid = entry.toLongLong(&numeric);
        if (!numeric)
            continue;
        QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        // "pid (comm) state ppid pgrp session ...": comm may hold anything but the last ')'.
        const QList<QByteArray> fields = line.mid(line.lastIndexOf(')') + 2).split(' ');
        if (fields.size() > 3 && fields[3].toLongLong() == session)
            ::kill(static_cast<pid_t>(pid), SIGKILL);
    }
}

constexpr int kSweepIntervalMs = 60 * 60 * 1000;

QString scratchPrefix()
{
    return QDir::tempPath() + QStringLiteral("/doc-ray-worker-%1-").arg(QCoreApplication::applicationPid());
}

// Scratch folders of services that died without removing them: their
// name carries the service's pid, and that process is gone.
void sweepScratch()
{
    const QDir temp(QDir::tempPath());
    for (const QString &name : temp.entryList({QStringLiteral("doc-ray-worker-*")}, QDir::Dirs | QDir::NoDotAndDotDot)) {
        const qint64 owner = name.section(QLatin1Char('-'), 3, 3).toLongLong();
        if (owner > 1 && ::kill(static_cast<pid_t>(owner), 0) != 0 && errno == ESRCH)
            QDir(temp.filePath(name)).removeRecursively();
    }
}

} // namespace

ProcessExecutor::ProcessExecutor(const WorkerProcessSettings &settings, QObject *parent)
    : ParseExecutor(parent)
    , m_settings(settings)
{
    sweepScratch();
    auto *sweeper = new QTimer(this);
    connect(sweeper, &QTimer::timeout, this, &sweepScratch);
    sweeper->start(kSweepIntervalMs);
}

ProcessExecutor::~ProcessExecutor()
{
    shutdown();
}

int ProcessExecutor::capacity() const
{
    return qMax(1, m_settings.workers);
}

void ProcessExecutor::prepare()
{
    if (m_shutDown)
        return;
    dropDeadWorkers();
    while (m_workers.size() < capacity())
        startWorker();
}

void ProcessExecutor::dropDeadWorkers()
{
    // Their process objects may still be delivering the signal that brought us here.
    for (qsizetype i = m_workers.size() - 1; i >= 0; --i) {
        Worker &dead = *m_workers[i];
        if (dead.retiring && dead.jobId.isEmpty())
            dead.process->waitForFinished(5000); // SIGKILLed: gone in moments
        if (!dead.jobId.isEmpty() || dead.process->state() != QProcess::NotRunning)
            continue;
        dead.process->disconnect(this);
        dead.process.release()->deleteLater();
        dead.deadline.release()->deleteLater();
        m_workers.removeAt(i);
    }
}

ProcessExecutor::Worker *ProcessExecutor::idleWorker()
{
    for (const auto &worker : std::as_const(m_workers))
        if (worker->jobId.isEmpty() && !worker->retiring && worker->process
            && worker->process->state() != QProcess::NotRunning)
            return worker.get();
    if (m_workers.size() >= capacity()) {
        dropDeadWorkers(); // to make room for a fresh one
        if (m_workers.size() >= capacity())
            return nullptr;
    }
    return startWorker();
}

ProcessExecutor::Worker *ProcessExecutor::startWorker()
{
    auto worker = std::make_shared<Worker>();
    Worker *raw = worker.get();
    worker->process = std::make_unique<QProcess>();
    worker->scratch = std::make_unique<QTemporaryDir>(scratchPrefix() + QStringLiteral("XXXXXX"));
    QProcessEnvironment env = m_settings.environment.isEmpty() ? QProcessEnvironment::systemEnvironment() : m_settings.environment;
    if (worker->scratch->isValid())
        env.insert(QStringLiteral("TMPDIR"), worker->scratch->path());
    worker->process->setProcessEnvironment(env);
    worker->process->setProcessChannelMode(QProcess::ForwardedErrorChannel);
    connect(worker->process.get(), &QProcess::readyReadStandardOutput, this, [this, raw] { readMessages(raw); });
    connect(worker->process.get(), &QProcess::finished, this,
            [this, raw](int exitCode, QProcess::ExitStatus status) {
                killSession(raw->session); // what the worker left running, and left on disk
                if (raw->scratch)
                    raw->scratch->remove();
                onWorkerExited(raw, exitCode, status == QProcess::CrashExit);
            });
    // A program that cannot start never sends `finished`: its job must not wait for it.
    connect(worker->process.get(), &QProcess::errorOccurred, this, [this, raw](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart && !raw->jobId.isEmpty())
            failToStart(raw);
    });
    worker->deadline = std::make_unique<QTimer>();
    worker->deadline->setSingleShot(true);
    connect(worker->deadline.get(), &QTimer::timeout, this, [raw] {
        raw->timedOut = true;
        raw->retiring = true;
        raw->process->kill();
        killSession(raw->session);
    });
    worker->process->setChildProcessModifier([] { ::setsid(); });
    worker->process->start(m_settings.program, m_settings.arguments);
    worker->session = worker->process->processId();
    m_workers.append(worker);
    return raw;
}

void ProcessExecutor::start(const JobRecord &job)
{
    Q_ASSERT(QThread::currentThread() == thread());
    Worker *worker = idleWorker();
    if (!worker) {
        ParseOutcome outcome;
        outcome.error = QStringLiteral("No parser worker process is available.");
        Q_EMIT finished(job.runKey(), outcome);
        return;
    }
    worker->jobId = job.runKey();
    worker->firstPage = job.task.kind == TaskKind::Pages ? job.task.firstPage : 0;
    worker->pagesDone = 0;
    worker->cancelled = worker->timedOut = false;
    if (worker->process->state() == QProcess::NotRunning) {
        failToStart(worker);
        return;
    }
    // The child stops itself at the limit; this catches a child that cannot.
    worker->deadline->start((m_settings.jobTimeoutSeconds + 10) * 1000);
    worker->process->write(WorkerProtocol::jobMessage(job));
}

void ProcessExecutor::cancel(const QString &jobId)
{
    Q_ASSERT(QThread::currentThread() == thread());
    for (const auto &worker : std::as_const(m_workers))
        if (isRunOf(worker->jobId, jobId)) {
            worker->cancelled = true;
            worker->retiring = true;
            worker->process->kill(); // the fastest way to stop any parser; a new child takes its place
            killSession(worker->session);
        }
}

void ProcessExecutor::shutdown()
{
    m_shutDown = true;
    for (const auto &worker : std::as_const(m_workers)) {
        worker->process->disconnect(this);
        worker->deadline->stop();
        worker->process->kill();
        worker->process->waitForFinished(5000);
        killSession(worker->session);
    }
    m_workers.clear();
}

void ProcessExecutor::readMessages(Worker *worker)
{
    worker->buffer += worker->process->readAllStandardOutput();
    qsizetype end;
    while ((end = worker->buffer.indexOf('\n')) >= 0) {
        const QJsonObject message = QJsonDocument::fromJson(worker->buffer.left(end)).object();
        worker->buffer.remove(0, end + 1);
        if (worker->jobId.isEmpty())
            continue;
        if (message.contains(QStringLiteral("progress"))) {
            const QJsonArray values = message.value(QStringLiteral("progress")).toArray();
            worker->pagesDone = values.at(0).toInt();
            Q_EMIT progress(worker->jobId, worker->pagesDone, values.at(1).toInt());
        } else if (message.contains(QStringLiteral("done"))) {
            const ParseOutcome outcome
                = WorkerProtocol::outcomeFromMessage(message.value(QStringLiteral("done")).toObject());
            finishJob(worker, outcome);
        }
    }
}

void ProcessExecutor::onWorkerExited(Worker *worker, int exitCode, bool crashed)
{
    if (worker->jobId.isEmpty()) {
        qCWarning(lcWorkers) << "idle parser worker exited with" << exitCode;
        return;
    }
    ParseOutcome outcome;
    if (worker->cancelled) {
        outcome.cancelled = true;
    } else if (worker->timedOut || (crashed && exitCode == SIGALRM)) {
        outcome.error = QStringLiteral("Parsing timed out after %1 s.").arg(m_settings.jobTimeoutSeconds);
    } else if (crashed) {
        // On a crash QProcess reports the signal as the exit code.
        outcome.error = QStringLiteral("The parser crashed on page %1 (signal %2).").arg(worker->firstPage + worker->pagesDone + 1).arg(exitCode);
    } else {
        outcome.error = QStringLiteral("The parser stopped on page %1 (exit code %2).").arg(worker->firstPage + worker->pagesDone + 1).arg(exitCode);
    }
    qCWarning(lcWorkers).noquote() << "parser worker for job" << worker->jobId << "ended:"
                                   << (outcome.cancelled ? QStringLiteral("cancelled") : outcome.error);
    finishJob(worker, outcome);
    // A child ended by its job (a crash, a limit, a cancel) is replaced at
    // once, to load its parsers before the next job; one that ends idle is
    // not, or a child that cannot start would be started again and again.
    QTimer::singleShot(0, this, &ProcessExecutor::prepare);
}

void ProcessExecutor::failToStart(Worker *worker)
{
    ParseOutcome outcome;
    outcome.error = QStringLiteral("The parser worker process could not be started (%1): %2")
                        .arg(m_settings.program, worker->process->errorString());
    qCWarning(lcWorkers).noquote() << "parser worker for job" << worker->jobId << "did not start:" << outcome.error;
    finishJob(worker, outcome);
}

void ProcessExecutor::finishJob(Worker *worker, const ParseOutcome &outcome)
{
    const QString jobId = worker->jobId;
    worker->jobId.clear();
    worker->deadline->stop();
    Q_EMIT finished(jobId, outcome);
}

} // namespace DocRay
