#pragma once

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/core/parsetypes.h"

namespace DocRay {

class JobStore;

// One job's parse from its stored upload to its stored result: what a
// worker thread or a child worker process does with a job. Synchronous.
ParseOutcome parseStoredJob(JobStore &store, const JobRecord &job, const ParseControl &control,
                            const ParseLimits &limits);

} // namespace DocRay
