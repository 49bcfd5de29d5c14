#pragma once

#include "engine/jobs/stores/sharedjobstore.h"
#include "engine/jobs/stores/sqljobtable.h"

#include <functional>

namespace DocRay {

// The cluster store: jobs, uploads, results and the work queue in one
// PostgreSQL database that every replica shares, through Qt SQL's QPSQL
// driver. Work is claimed with SELECT ... FOR UPDATE SKIP LOCKED under a
// lease; replicas wake each other with LISTEN/NOTIFY. Each calling thread
// gets its own connection; a dropped connection is reopened and the call
// retried (for up to `retrySeconds`, so a parser process rides out a
// database restart while the service's main thread never waits long).
class PostgresJobStore final : public SharedJobStore
{
public:
    // `url`: postgresql://user:password@host:port/database. A result's large
    // values are stored in rows of `resultPieceBytes` (sqljobtable.h).
    explicit PostgresJobStore(const QString &url, int retrySeconds = 0,
                              qsizetype resultPieceBytes = SqlJobTable::kResultPieceBytes);
    ~PostgresJobStore() override;

    // Checks a URL without connecting; empty when it is usable.
    static QString checkUrl(const QString &url);

    Result<void> open() override;

    bool insertJob(const JobRecord &job, const QByteArray &upload) override;
    bool insertJob(const JobRecord &job, const QByteArray &upload, const QList<JobTask> &tasks) override;
    Result<void> writeUpload(const QString &id, QFileDevice &to) override;
    bool markRunning(const QString &id, const QDateTime &startedAt) override;
    void releaseRunning(const QStringList &ids) override;
    bool requeue(const QString &id) override;
    bool requeue(const QString &id, const QList<JobTask> &tasks) override;
    Result<void> saveResult(const JobRecord &job, JobResult result, int pageCount,
                            const QDateTime &finishedAt) override;
    bool markFailed(const QString &id, const QString &error, const QDateTime &finishedAt) override;
    std::optional<JobResult> result(const QString &id, bool withPdf, bool withImages) override;
    bool remove(const QString &id) override;
    QList<JobRecord> allJobs() override;
    void saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses) override;

    std::optional<JobRecord> job(const QString &id) override;
    bool touch(const QString &id, const QDateTime &lastAccess) override;
    std::optional<JobCounts> counts() override;
    int queuePosition(const QString &id) override;
    bool reachable() const override;

    std::optional<JobRecord> claim(const QString &owner, int leaseSeconds) override;
    std::optional<QList<qint64>> renewLeases(const QString &owner, const QList<qint64> &taskIds,
                                             int leaseSeconds) override;
    void releaseLeases(const QString &owner, const QList<qint64> &taskIds) override;
    Result<void> splitTask(const JobRecord &job, const QList<JobTask> &tasks, int pagesTotal) override;
    // Queues the job's merge once every batch is in.
    Result<void> saveBatch(const JobRecord &job, const QByteArray &layouts, int pages) override;
    Result<void> failTask(const JobRecord &job, const QString &error, const QDateTime &finishedAt) override;
    Result<void> readBatches(const QString &jobId, const std::function<bool(const QByteArray &)> &take) override;
    QStringList removeExpired(const QDateTime &cutoff, int intervalSeconds) override;

    bool listen(QObject *context, const Listener &listener) override;
    bool checkListener() override;

private:
    using Work = std::function<bool(QSqlDatabase &db)>;
    // Runs `work` (in a transaction when asked), reconnecting and retrying
    // when the connection turns out to be gone. False: a statement failed,
    // or the database stayed unreachable.
    bool run(const Work &work, bool transaction = false);
    // run() for a write fenced by the claim in `job.task` (none for a job
    // without tasks): Conflict when the claim was taken over.
    Result<void> runFenced(const JobRecord &job, const Work &work);
    bool subscribe();

    const QString m_url;
    const int m_retrySeconds;
    const qsizetype m_resultPieceBytes;
    SqlConnectionPool m_connections; // thread-safe
    // The listening connection's, set by listen() on the main thread.
    QObject *m_listenContext = nullptr;
    Listener m_listener;
    bool m_listenerConnected = false;
};

} // namespace DocRay
