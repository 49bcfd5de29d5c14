#pragma once

#include "engine/jobs/executors/parseexecutor.h"

#include <QByteArray>
#include <QJsonObject>

namespace DocRay::WorkerProtocol {

// One JSON object per line. The parent sends a job; the child answers with
// progress lines and one final "done" line after it has stored the result.

QByteArray jobMessage(const JobRecord &job);
JobRecord jobFromMessage(const QJsonObject &message);

QByteArray progressMessage(int pagesDone, int pagesTotal);
QByteArray doneMessage(const ParseOutcome &outcome);
ParseOutcome outcomeFromMessage(const QJsonObject &done); // the "done" line's object

} // namespace DocRay::WorkerProtocol
