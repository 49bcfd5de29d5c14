#pragma once

#include <QStringList>

namespace DocRay {

// `doc-ray worker --data-dir D [--job-timeout S] [--worker-memory-mb M]`:
// the child process a server parses in. Reads jobs from stdin, parses them
// from the job store into the job store, reports on stdout (see
// engine/jobs/executors/workerprotocol.h). Not meant to be started by hand.
int runWorkerCommand(const QStringList &arguments);

} // namespace DocRay
