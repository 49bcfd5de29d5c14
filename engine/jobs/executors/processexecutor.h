#pragma once

#include "engine/jobs/executors/parseexecutor.h"

#include <QList>
#include <QProcessEnvironment>
#include <QStringList>

#include <memory>

class QProcess;
class QTimer;

namespace DocRay {

struct WorkerProcessSettings {
    QString program;          // the doc-ray executable
    QStringList arguments;    // e.g. {"worker", "--data-dir", ...}
    int workers = 1;
    int jobTimeoutSeconds = 300;
    QProcessEnvironment environment; // empty: the service's own
};

// Parses in long-lived child worker processes, one job at a time each, so a
// parser that crashes, hangs or runs out of memory fails its job and not the
// service. Speaks the line protocol of workerprotocol.h over the child's
// stdin/stdout. Every child starts in prepare(), to load its parsers before
// the first job; a child ended by its job is replaced at once, one that
// died idle on the next job. Main thread.
class ProcessExecutor final : public ParseExecutor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProcessExecutor)

public:
    explicit ProcessExecutor(const WorkerProcessSettings &settings, QObject *parent = nullptr);
    ~ProcessExecutor() override;

    int capacity() const override;
    void prepare() override;
    void start(const JobRecord &job) override;
    void cancel(const QString &jobId) override;
    void shutdown() override;

private:
    struct Worker;
    Worker *idleWorker();
    Worker *startWorker();
    void dropDeadWorkers();
    void readMessages(Worker *worker);
    void onWorkerExited(Worker *worker, int exitCode, bool crashed);
    void failToStart(Worker *worker);
    void finishJob(Worker *worker, const ParseOutcome &outcome);

    WorkerProcessSettings m_settings;
    QList<std::shared_ptr<Worker>> m_workers;
    bool m_shutDown = false; // no child is started after shutdown()
};

} // namespace DocRay
