#pragma once

#include "engine/jobs/executors/parseexecutor.h"
#include "engine/core/parsetypes.h"

namespace DocRay {

class JobStore;

// One job's parse from its stored upload to its stored result: what a
// worker thread or a child worker process does with a job. Synchronous.
// With `batchPages` > 0, a whole PDF of more pages is not parsed here but
// split into page batches and their merge (outcome.split), queued in a
// shared store or handed back in outcome.batches: the document is opened
// in the worker, never in the server.
ParseOutcome parseStoredJob(JobStore &store, const JobRecord &job, const ParseControl &control,
                            const ParseLimits &limits, int batchPages = 0);

} // namespace DocRay
