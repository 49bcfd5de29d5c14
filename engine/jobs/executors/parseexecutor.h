#pragma once

#include "engine/jobs/jobtypes.h"

#include <QObject>

namespace DocRay {

// How a parse ended, as the job layer needs to know it.
struct ParseOutcome {
    bool ok = false;        // parsed, and the result is in the store
    bool cancelled = false; // stopped on request; nothing to record
    bool split = false;     // a whole-PDF task became page batches: the job goes on
    QList<JobTask> batches; // split without a shared store: the batches and merge to queue
    QString error;          // why it failed, for the user
    int pageCount = 0;
    int textLayerPages = 0; // pages read from the PDF's text layer
    int ocrPages = 0;       // pages recognised by OCR
    double parseSeconds = 0;
};

// Runs parses somewhere else than the main thread: worker threads in this
// process, or child worker processes. Lives on the main thread; its signals
// arrive there. A parse that succeeds has stored its result before
// `finished` is emitted; failures are recorded by the caller.
class ParseExecutor : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    virtual int capacity() const = 0;
    // Readies the parsers before the first job, once the store is open.
    virtual void prepare() {}
    // Parses are known by JobRecord::runKey() in the signals; cancel()
    // stops every parse of the job.
    virtual void start(const JobRecord &job) = 0;
    virtual void cancel(const QString &jobId) = 0;
    // Stops every parse; unfinished jobs stay "running" in the store.
    virtual void shutdown() = 0;

Q_SIGNALS:
    void progress(const QString &jobId, int pagesDone, int pagesTotal);
    void finished(const QString &jobId, const DocRay::ParseOutcome &outcome);
};

} // namespace DocRay

Q_DECLARE_METATYPE(DocRay::ParseOutcome)
