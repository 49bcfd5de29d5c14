#include "engine/jobs/schedulers/jobscheduler.h"

#include "engine/jobs/executors/parseexecutor.h"

#include <QThread>

namespace DocRay {

JobSummary JobSummary::of(const QString &id, const ParseOutcome &outcome)
{
    JobSummary summary;
    summary.id = id;
    summary.ok = outcome.ok;
    summary.pages = outcome.ok ? outcome.pageCount : 0;
    summary.textLayerPages = outcome.ok ? outcome.textLayerPages : 0;
    summary.ocrPages = outcome.ok ? outcome.ocrPages : 0;
    summary.parseSeconds = outcome.parseSeconds;
    return summary;
}

JobScheduler::JobScheduler(ParseExecutor *executor, QObject *parent)
    : QObject(parent)
    , m_executor(executor)
{
    connect(m_executor, &ParseExecutor::progress, this, &JobScheduler::onProgress, Qt::QueuedConnection);
    connect(m_executor, &ParseExecutor::finished, this, &JobScheduler::onFinished, Qt::QueuedConnection);
}

void JobScheduler::onOwnerThread(const std::function<void()> &work)
{
    if (QThread::currentThread() == thread())
        work();
    else
        QMetaObject::invokeMethod(this, work, Qt::QueuedConnection);
}

} // namespace DocRay
