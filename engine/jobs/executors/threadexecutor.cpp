#include "engine/jobs/executors/threadexecutor.h"

#include "engine/jobs/executors/jobrunner.h"

namespace DocRay {

ThreadExecutor::ThreadExecutor(JobStore *store, int workers, const ParseLimits &limits, int batchPages, QObject *parent)
    : ParseExecutor(parent)
    , m_store(store)
    , m_limits(limits)
    , m_batchPages(batchPages)
{
    m_pool.setObjectName(QStringLiteral("docray-parse"));
    m_pool.setMaxThreadCount(qMax(1, workers));
    // Worker threads keep their OCR engine and store connection: never expire them.
    m_pool.setExpiryTimeout(-1);
}

ThreadExecutor::~ThreadExecutor()
{
    shutdown();
}

int ThreadExecutor::capacity() const
{
    return m_pool.maxThreadCount();
}

void ThreadExecutor::start(const JobRecord &job)
{
    auto cancel = std::make_shared<std::atomic_bool>(false);
    {
        QMutexLocker locker(&m_mutex);
        m_cancelFlags.insert(job.runKey(), cancel);
    }
    m_pool.start([this, job, cancel] {
        ParseControl control;
        control.isCancelled = [cancel] { return cancel->load(); };
        control.progress = [this, id = job.runKey()](int done, int total) {
            QMetaObject::invokeMethod(this, [this, id, done, total] { Q_EMIT progress(id, done, total); },
                                      Qt::QueuedConnection);
        };
        const ParseOutcome outcome = parseStoredJob(*m_store, job, control, m_limits, m_batchPages);
        QMetaObject::invokeMethod(this, [this, id = job.runKey(), outcome] {
            {
                QMutexLocker locker(&m_mutex);
                m_cancelFlags.remove(id);
            }
            Q_EMIT finished(id, outcome);
        }, Qt::QueuedConnection);
    });
}

void ThreadExecutor::cancel(const QString &jobId)
{
    QMutexLocker locker(&m_mutex);
    for (auto it = m_cancelFlags.cbegin(); it != m_cancelFlags.cend(); ++it)
        if (isRunOf(it.key(), jobId))
            it.value()->store(true);
}

void ThreadExecutor::shutdown()
{
    {
        QMutexLocker locker(&m_mutex);
        for (const auto &flag : std::as_const(m_cancelFlags))
            flag->store(true);
    }
    m_pool.waitForDone();
}

} // namespace DocRay
