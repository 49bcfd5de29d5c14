#pragma once

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/core/parsetypes.h"

#include <QHash>
#include <QMutex>
#include <QThreadPool>

#include <atomic>
#include <memory>

namespace DocRay {

class JobStore;

// Parses on a pool of worker threads in this process: the light setup for
// tests and embedding. A crash in a parser takes the process with it; the
// service uses ProcessExecutor instead. Lives on the main thread.
class ThreadExecutor final : public ParseExecutor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ThreadExecutor)

public:
    // `batchPages`: see parseStoredJob().
    ThreadExecutor(JobStore *store, int workers, const ParseLimits &limits, int batchPages = 0, QObject *parent = nullptr);
    ~ThreadExecutor() override;

    int capacity() const override;
    void start(const JobRecord &job) override;
    void cancel(const QString &jobId) override;
    void shutdown() override;

private:
    JobStore *m_store;
    ParseLimits m_limits;
    int m_batchPages = 0;
    QThreadPool m_pool;
    QMutex m_mutex;
    QHash<QString, std::shared_ptr<std::atomic_bool>> m_cancelFlags;
};

} // namespace DocRay
