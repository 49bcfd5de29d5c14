#pragma once

#include "engine/core/documentformat.h"
#include "engine/core/parsetypes.h"
#include "engine/jobs/jobtypes.h"

#include <QObject>

#include <functional>
#include <optional>

namespace DocRay {

class ParseExecutor;
struct ParseOutcome;

// What a finished parse amounted to, for observers that keep statistics
// (metrics, callbacks). Emitted once per job that ends completed or failed;
// cancelled and deleted jobs have no summary.
struct JobSummary {
    QString id;
    bool ok = false;
    int pages = 0;
    int textLayerPages = 0;   // pages read from the PDF's text layer
    int ocrPages = 0;         // pages recognised by OCR
    double parseSeconds = 0;  // time in the parser, without queueing and storing

    static JobSummary of(const QString &id, const ParseOutcome &outcome);
};

// Decides which job runs when, and keeps the job states a mode needs: the
// local scheduler (one process, one store of its own) or the cluster
// scheduler (replicas sharing a store and claiming work from it).
// JobStateManager owns one and forwards its public API to it. A scheduler
// belongs to the thread it was created on (the main thread): that thread
// runs the executor; its methods may be called from any thread and hand
// executor calls to the owner thread (see onOwnerThread).
class JobScheduler : public QObject
{
    Q_OBJECT

public:
    explicit JobScheduler(ParseExecutor *executor, QObject *parent = nullptr);

    // After the store is open: resumes or claims work, starts timers.
    virtual Result<void> start() = 0;
    // `job` is new, with its id and times set; stores it and queues it.
    virtual bool submit(const JobRecord &job, const QByteArray &data) = 0;
    virtual std::optional<JobRecord> job(const QString &id, bool touch) = 0;
    virtual int queuePosition(const QString &id) const = 0;
    virtual bool remove(const QString &id) = 0;
    virtual bool cancel(const QString &id) = 0;
    virtual bool retry(const QString &id) = 0;
    virtual QList<JobRecord> jobs() const = 0;
    virtual JobCounts counts() const = 0;
    virtual void removeExpiredJobs() = 0;
    virtual bool storeReachable() const { return true; }

Q_SIGNALS:
    void jobAdded(const QString &id);
    void jobUpdated(const QString &id);
    void jobRemoved(const QString &id);
    void jobFinished(const DocRay::JobSummary &summary);

protected:
    static QDateTime now() { return QDateTime::currentDateTimeUtc(); }
    // Runs `work` now when called on the owner thread, else queued to it:
    // the executor is never touched from another thread.
    void onOwnerThread(const std::function<void()> &work);
    // The executor's slots report here, queued: an executor may report from
    // inside its own signal handlers.
    virtual void onProgress(const QString &runKey, int done, int total) = 0;
    virtual void onFinished(const QString &runKey, const ParseOutcome &outcome) = 0;

    ParseExecutor *const m_executor; // owned by JobStateManager; owner thread only
};

} // namespace DocRay
