#pragma once

#include "engine/jobs/jobstore.h"

#include <QMutex>
#include <QSqlDatabase>
#include <QStringList>

namespace DocRay {

// The embedded default store: one SQLite file (WAL mode) holding jobs, their
// uploads and their results. Each calling thread gets its own connection,
// since Qt SQL connections must stay on the thread that opened them.
class SqliteJobStore final : public JobStore
{
public:
    explicit SqliteJobStore(const QString &databasePath);
    ~SqliteJobStore() override;

    bool open(QString *error) override;

    bool insertJob(const JobRecord &job, const QByteArray &upload) override;
    QByteArray upload(const QString &id) override;
    bool markRunning(const QString &id, const QDateTime &startedAt) override;
    bool requeue(const QString &id) override;
    bool saveResult(const QString &id, const JobResult &result, int pageCount,
                    const QDateTime &finishedAt) override;
    bool markFailed(const QString &id, const QString &error, const QDateTime &finishedAt) override;
    std::optional<JobResult> result(const QString &id, bool withPdf, bool withImages) override;
    bool remove(const QString &id) override;
    QList<JobRecord> allJobs() override;
    void saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses) override;

private:
    QSqlDatabase connection();

    QString m_path;
    QString m_connectionPrefix;
    QMutex m_connectionsMutex;
    QStringList m_connectionNames;
};

} // namespace DocRay
