#pragma once

#include "engine/jobs/stores/jobstore.h"
#include "engine/jobs/stores/sqljobtable.h"

namespace DocRay {

// The embedded default store: one SQLite file (WAL mode) holding jobs, their
// uploads, their results and the page batches of large PDFs. Each calling thread gets its own connection,
// since Qt SQL connections must stay on the thread that opened them.
// Callable from any thread.
class SqliteJobStore final : public JobStore
{
public:
    // A result's large values are stored in rows of `resultPieceBytes`
    // (sqljobtable.h).
    explicit SqliteJobStore(const QString &databasePath,
                            qsizetype resultPieceBytes = SqlJobTable::kResultPieceBytes);
    ~SqliteJobStore() override;

    Result<void> open() override;

    bool insertJob(const JobRecord &job, const QByteArray &upload) override;
    Result<void> writeUpload(const QString &id, QFileDevice &to) override;
    bool markRunning(const QString &id, const QDateTime &startedAt) override;
    void releaseRunning(const QStringList &ids) override;
    bool requeue(const QString &id) override;
    Result<void> saveResult(const JobRecord &job, JobResult result, int pageCount,
                            const QDateTime &finishedAt) override;
    bool markFailed(const QString &id, const QString &error, const QDateTime &finishedAt) override;
    std::optional<JobResult> result(const QString &id, bool withPdf, bool withImages) override;
    // The scheduler queues the merge; a batch stored again replaces the last copy.
    Result<void> saveBatch(const JobRecord &job, const QByteArray &layouts, int pages) override;
    Result<void> readBatches(const QString &jobId, const std::function<bool(const QByteArray &)> &take) override;
    bool remove(const QString &id) override;
    QList<JobRecord> allJobs() override;
    void saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses) override;

private:
    QSqlDatabase connection();
    // `work` on this thread's connection in one transaction, committed when it returns true.
    bool inTransaction(const std::function<bool(QSqlDatabase &)> &work);

    const QString m_path;
    const qsizetype m_resultPieceBytes;
    SqlConnectionPool m_connections; // thread-safe
};

} // namespace DocRay
