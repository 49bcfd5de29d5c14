#pragma once

#include "engine/core/result.h"
#include "engine/jobs/jobtypes.h"

#include <QFileDevice>
#include <QSqlDatabase>
#include <QMutex>
#include <QStringList>
#include <QVariant>

#include <functional>
#include <optional>

class QSqlQuery;

struct sqlite3;

namespace DocRay {

// The jobs table both SQL stores keep: its definition, its statements and
// its row mapping, written once. Each function runs on the connection it is
// given and returns whether the database answered; the stores decide about
// connections, transactions and retries.
namespace SqlJobTable {

enum class Dialect { Sqlite, Postgres };

QString definition(Dialect dialect);
QString resultPiecesDefinition(Dialect dialect);
QString uploadsDefinition(); // SQLite's uploads, one row per job
// The SQLite table's count of a job's starts (the cluster counts per task).
QString attemptsColumn();
// The columns jobFromRow reads, in its order.
QString columns();
JobRecord jobFromRow(const QSqlQuery &query, int offset = 0);

QVariant msecs(const QDateTime &time); // NULL for an invalid time
bool exec(QSqlQuery &query);           // logs a failure
bool exec(QSqlDatabase &db, const QString &sql, const QVariantList &values = {});

// SQLite: with the upload's row in its table, in the caller's transaction.
bool insert(QSqlDatabase &db, Dialect dialect, const JobRecord &job, const QByteArray &upload);
// The job's upload handed to `take` a slice at a time, with its whole size;
// false where a query or `take` failed. `*found` says whether there was one.
using UploadSlices = std::function<bool(QByteArrayView slice, qint64 size)>;
bool selectUpload(QSqlDatabase &db, Dialect dialect, const QString &id, const UploadSlices &take, bool *found);
// Slices written to a file, and what came of it as JobStore::writeUpload says.
UploadSlices uploadTo(QFileDevice &file);
Result<void> uploadWritten(const QString &id, const QFileDevice &file, bool written, bool found);
// The whole upload; empty where there is none.
bool selectUpload(QSqlDatabase &db, Dialect dialect, const QString &id, QByteArray *upload);
bool markRunning(QSqlDatabase &db, const QString &id, const QDateTime &startedAt);
bool requeue(QSqlDatabase &db, const QString &id);
// The large values (the markdown, the packed JSONs, pdf_data) go in
// result_pieces, in rows of at most `pieceBytes`; in the caller's
// transaction. A megabyte: PostgreSQL's driver writes a value as hex text
// in a query string, several times its size in memory while it is sent.
constexpr qsizetype kResultPieceBytes = 1 << 20;
bool saveResult(QSqlDatabase &db, const QString &id, JobResult result, int pageCount, const QDateTime &finishedAt,
                qsizetype pieceBytes = kResultPieceBytes);
bool markFailed(QSqlDatabase &db, const QString &id, const QString &error, const QDateTime &finishedAt);
bool selectResult(QSqlDatabase &db, Dialect dialect, const QString &id, bool withPdf, bool withImages,
                  std::optional<JobResult> *result);
bool selectJob(QSqlDatabase &db, const QString &id, std::optional<JobRecord> *job);
bool selectAll(QSqlDatabase &db, Dialect dialect, QList<JobRecord> *jobs);
bool remove(QSqlDatabase &db, const QString &id, bool *existed);
bool touch(QSqlDatabase &db, const QString &id, const QDateTime &lastAccess);
// The SQLite connection under `db`; null when `db` is not an open SQLite one.
sqlite3 *sqliteHandle(const QSqlDatabase &db);

} // namespace SqlJobTable

// Qt SQL connections of one store, one per calling thread (a connection
// must stay on the thread that opened it), named apart from every other
// store's and removed with the pool. Thread-safe.
class SqlConnectionPool final
{
public:
    // `setUp` configures a connection once, when this thread first asks.
    SqlConnectionPool(const QString &driver, const QString &prefix, std::function<void(QSqlDatabase &)> setUp);
    ~SqlConnectionPool();
    SqlConnectionPool(const SqlConnectionPool &) = delete;
    SqlConnectionPool &operator=(const SqlConnectionPool &) = delete;

    // This thread's connection, or the one named by `purpose` (e.g. a
    // listening connection) whatever the thread.
    QSqlDatabase connection(const QString &purpose = {});

private:
    const QString m_driver;
    const QString m_prefix;
    const std::function<void(QSqlDatabase &)> m_setUp;
    QMutex m_mutex; // guards m_names
    QStringList m_names;
};

} // namespace DocRay
