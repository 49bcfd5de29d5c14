#include "engine/jobs/jobtypes.h"

namespace DocRay {

QString wireStatus(JobState state)
{
    switch (state) {
    case JobState::Completed: return QStringLiteral("completed");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Queued:
    case JobState::Running: break;
    }
    return QStringLiteral("processing");
}

ParserParams storedParams(const JobRecord &job)
{
    const Result<ParserParams> params = ParserParams::fromJson(job.parserParams);
    return params ? *params : ParserParams();
}

QUrl callbackUrl(const JobRecord &job)
{
    return QUrl(job.parserParams.value(QStringLiteral("callback_url")).toString(), QUrl::StrictMode);
}

QString stateName(JobState state)
{
    switch (state) {
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Completed: return QStringLiteral("completed");
    case JobState::Failed: return QStringLiteral("failed");
    }
    return {};
}

QList<JobTask> pageBatches(int pageCount, const ParserParams &params, int batchPages, int maxPages)
{
    const int first = qMax(0, params.startPage);
    const int last = params.endPage < 0 ? pageCount - 1 : qMin(params.endPage, pageCount - 1);
    const int pages = last - first + 1;
    if (batchPages <= 0 || pageCount <= 0 || pages <= batchPages || (maxPages > 0 && pages > maxPages))
        return {};
    QList<JobTask> tasks;
    for (int start = first; start <= last; start += batchPages) {
        JobTask batch;
        batch.kind = TaskKind::Pages;
        batch.firstPage = start;
        batch.lastPage = qMin(last, start + batchPages - 1);
        tasks.append(batch);
    }
    JobTask merge;
    merge.kind = TaskKind::Merge;
    tasks.append(merge);
    return tasks;
}

} // namespace DocRay
