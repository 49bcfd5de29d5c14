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

} // namespace DocRay
