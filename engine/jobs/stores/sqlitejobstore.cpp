#include "engine/jobs/stores/sqlitejobstore.h"

#include <QDir>
#include <QFileInfo>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>

Q_DECLARE_LOGGING_CATEGORY(lcStore)

namespace DocRay {

namespace {

constexpr int kSchemaVersion = 3; // 2: jobs.attempts; 3: uploads and batches in tables of their own

// The page layouts of a large PDF's batches until the job's merge has
// written its result.
const char *const kBatchesTable = R"(CREATE TABLE IF NOT EXISTS batches (
    job_id     TEXT NOT NULL,
    first_page INTEGER NOT NULL,
    pages      INTEGER NOT NULL,
    layouts    BLOB NOT NULL,
    PRIMARY KEY (job_id, first_page)))";

// A database of an earlier version brought up to this one in one
// transaction: jobs gain their count of starts (version 1), the uploads
// move out of the jobs' rows (versions 1 and 2).
bool migrate(QSqlDatabase &db, int version)
{
    if (!db.transaction())
        return false;
    const bool done = (version >= 2
                       || SqlJobTable::exec(db, QStringLiteral("ALTER TABLE jobs ADD COLUMN ") + SqlJobTable::attemptsColumn()))
        && SqlJobTable::exec(db, QStringLiteral("INSERT OR IGNORE INTO uploads (job_id, data) SELECT id, upload FROM jobs"))
        && SqlJobTable::exec(db, QStringLiteral("ALTER TABLE jobs DROP COLUMN upload"));
    return done ? db.commit() : (db.rollback(), false);
}

// Another process's write holds the database for a millisecond or two (a
// commit and its sync). SQLite's own busy timeout sleeps 1, 2, 5, 10 ... up
// to 100 ms between tries, so a worker waiting on a 3 ms commit slept 8 ms,
// and one behind a longer commit overslept by up to 100 ms: a waiter tries
// again every half millisecond instead, for up to 30 s.
int tryAgainSoon(void *, int triesSoFar)
{
    constexpr int kTryEveryUs = 500;
    constexpr int kGiveUpAfterTries = 30'000'000 / kTryEveryUs;
    if (triesSoFar >= kGiveUpAfterTries)
        return 0;
    ::usleep(kTryEveryUs);
    return 1;
}

bool dropBatches(QSqlDatabase &db, const QString &id)
{
    return SqlJobTable::exec(db, QStringLiteral("DELETE FROM batches WHERE job_id = ?"), {id});
}

} // namespace

SqliteJobStore::SqliteJobStore(const QString &databasePath, qsizetype resultPieceBytes)
    : m_path(databasePath)
    , m_resultPieceBytes(resultPieceBytes)
    , m_connections(QStringLiteral("QSQLITE"), QStringLiteral("docray-sqlite"), [databasePath](QSqlDatabase &db) {
        db.setDatabaseName(databasePath);
        if (!db.open()) {
            qCWarning(lcStore) << "cannot open" << databasePath << db.lastError().text();
            return;
        }
        if (sqlite3 *handle = SqlJobTable::sqliteHandle(db))
            sqlite3_busy_handler(handle, tryAgainSoon, nullptr);
        QSqlQuery pragma(db);
        // WAL lets readers (status, results) run beside the writing workers;
        // FULL sync makes a 202 survive a power cut, not only a crash.
        pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        pragma.exec(QStringLiteral("PRAGMA synchronous=FULL"));
    })
{
}

SqliteJobStore::~SqliteJobStore() = default;

QSqlDatabase SqliteJobStore::connection()
{
    return m_connections.connection();
}

Result<void> SqliteJobStore::open()
{
    const QFileInfo file(m_path);
    if (!QDir().mkpath(file.absolutePath()))
        return Error{ErrorCode::Unavailable, QStringLiteral("cannot create the data directory %1").arg(file.absolutePath())};
    QSqlDatabase db = connection();
    if (!db.isOpen())
        return Error{ErrorCode::Unavailable,
                     QStringLiteral("cannot open the job database %1: %2").arg(m_path, db.lastError().text())};
    QSqlQuery query(db);
    if (!query.exec(QStringLiteral("PRAGMA user_version")) || !query.next())
        return Error{ErrorCode::Unavailable,
                     QStringLiteral("cannot read the job database %1: %2").arg(m_path, query.lastError().text())};
    const int version = query.value(0).toInt();
    query.finish();
    const bool created = query.exec(SqlJobTable::definition(SqlJobTable::Dialect::Sqlite))
        && query.exec(SqlJobTable::uploadsDefinition()) && query.exec(QString::fromLatin1(kBatchesTable))
        && query.exec(SqlJobTable::resultPiecesDefinition(SqlJobTable::Dialect::Sqlite))
        && query.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at)"));
    if (!created || (version > 0 && version < kSchemaVersion && !migrate(db, version))
        || !query.exec(QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion)))
        return Error{ErrorCode::Unavailable,
                     QStringLiteral("cannot create the job tables in %1: %2").arg(m_path, query.lastError().text())};
    return {};
}

// Each commit waits for the disk (synchronous=FULL), and the next job's
// dispatch, or the worker's next job, waits for the commit: a change of
// several statements is one transaction, one wait, and all or nothing.
bool SqliteJobStore::inTransaction(const std::function<bool(QSqlDatabase &)> &work)
{
    QSqlDatabase db = connection();
    if (!db.transaction())
        return false;
    if (work(db) && db.commit())
        return true;
    db.rollback();
    return false;
}

bool SqliteJobStore::insertJob(const JobRecord &job, const QByteArray &upload)
{
    return inTransaction(
        [&](QSqlDatabase &db) { return SqlJobTable::insert(db, SqlJobTable::Dialect::Sqlite, job, upload); });
}

Result<void> SqliteJobStore::writeUpload(const QString &id, QFileDevice &to)
{
    QSqlDatabase db = connection();
    bool found = false;
    const bool written = to.resize(0) && to.seek(0)
        && SqlJobTable::selectUpload(db, SqlJobTable::Dialect::Sqlite, id, SqlJobTable::uploadTo(to), &found);
    return SqlJobTable::uploadWritten(id, to, written, found);
}

bool SqliteJobStore::markRunning(const QString &id, const QDateTime &startedAt)
{
    // A fresh start forgets the batches of a run the service did not finish.
    return inTransaction([&](QSqlDatabase &db) {
        return dropBatches(db, id) && SqlJobTable::markRunning(db, id, startedAt)
            && SqlJobTable::exec(db, QStringLiteral("UPDATE jobs SET attempts = attempts + 1 WHERE id = ?"), {id});
    });
}

void SqliteJobStore::releaseRunning(const QStringList &ids)
{
    inTransaction([&](QSqlDatabase &db) {
        return std::all_of(ids.cbegin(), ids.cend(), [&db](const QString &id) {
            return SqlJobTable::exec(db, QStringLiteral("UPDATE jobs SET attempts = max(0, attempts - 1) WHERE id = ?"),
                                     {id});
        });
    });
}

bool SqliteJobStore::requeue(const QString &id)
{
    return inTransaction([&](QSqlDatabase &db) {
        return dropBatches(db, id) && SqlJobTable::requeue(db, id)
            && SqlJobTable::exec(db, QStringLiteral("UPDATE jobs SET attempts = 0 WHERE id = ?"), {id});
    });
}

Result<void> SqliteJobStore::saveResult(const JobRecord &job, JobResult result, int pageCount,
                                        const QDateTime &finishedAt)
{
    const bool saved = inTransaction([&](QSqlDatabase &db) {
        return SqlJobTable::saveResult(db, job.id, std::move(result), pageCount, finishedAt, m_resultPieceBytes)
            && dropBatches(db, job.id);
    });
    if (!saved)
        return Error{ErrorCode::Unavailable, QStringLiteral("The result could not be stored; see the server log.")};
    return {};
}

bool SqliteJobStore::markFailed(const QString &id, const QString &error, const QDateTime &finishedAt)
{
    return inTransaction([&](QSqlDatabase &db) {
        return SqlJobTable::markFailed(db, id, error, finishedAt) && dropBatches(db, id);
    });
}

std::optional<JobResult> SqliteJobStore::result(const QString &id, bool withPdf, bool withImages)
{
    QSqlDatabase db = connection();
    std::optional<JobResult> result;
    SqlJobTable::selectResult(db, SqlJobTable::Dialect::Sqlite, id, withPdf, withImages, &result);
    return result;
}

bool SqliteJobStore::remove(const QString &id)
{
    bool existed = false;
    return inTransaction([&](QSqlDatabase &db) {
        return SqlJobTable::remove(db, id, &existed) && dropBatches(db, id)
            && SqlJobTable::exec(db, QStringLiteral("DELETE FROM uploads WHERE job_id = ?"), {id});
    }) && existed;
}

Result<void> SqliteJobStore::saveBatch(const JobRecord &job, const QByteArray &layouts, int pages)
{
    QSqlDatabase db = connection();
    // A job deleted meanwhile keeps nothing.
    if (!SqlJobTable::exec(db,
                           QStringLiteral("INSERT OR REPLACE INTO batches (job_id, first_page, pages, layouts) "
                                          "SELECT ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM jobs WHERE id = ?)"),
                           {job.id, job.task.firstPage, pages, layouts, job.id}))
        return Error{ErrorCode::Unavailable, QStringLiteral("A batch of pages could not be stored; see the server log.")};
    return {};
}

Result<void> SqliteJobStore::readBatches(const QString &jobId, const std::function<bool(const QByteArray &)> &take)
{
    QSqlDatabase db = connection();
    QList<int> firstPages;
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT first_page, pages FROM batches WHERE job_id = ? ORDER BY first_page"));
        query.addBindValue(jobId);
        if (!SqlJobTable::exec(query))
            return Error{ErrorCode::Unavailable, QStringLiteral("The job database could not list the batches.")};
        int next = -1;
        while (query.next()) {
            const int first = query.value(0).toInt();
            // The batches follow each other without a gap.
            if (next >= 0 && first != next)
                return Error{ErrorCode::NotFound, QStringLiteral("The job's batches are not all in.")};
            firstPages.append(first);
            next = first + query.value(1).toInt();
        }
    }
    if (firstPages.isEmpty())
        return Error{ErrorCode::NotFound, QStringLiteral("The job's batches are gone.")};
    for (const int first : std::as_const(firstPages)) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT layouts FROM batches WHERE job_id = ? AND first_page = ?"));
        query.addBindValue(jobId);
        query.addBindValue(first);
        if (!SqlJobTable::exec(query))
            return Error{ErrorCode::Unavailable, QStringLiteral("The job database could not read a batch.")};
        if (!query.next())
            return Error{ErrorCode::NotFound, QStringLiteral("The job's batches are gone.")};
        if (!take(query.value(0).toByteArray()))
            return Error{ErrorCode::InvalidInput,
                         QStringLiteral("A batch of pages was stored in a form this version cannot read.")};
    }
    return {};
}

QList<JobRecord> SqliteJobStore::allJobs()
{
    QSqlDatabase db = connection();
    QList<JobRecord> jobs;
    SqlJobTable::selectAll(db, SqlJobTable::Dialect::Sqlite, &jobs);
    return jobs;
}

void SqliteJobStore::saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses)
{
    inTransaction([&](QSqlDatabase &db) {
        for (const auto &[id, time] : accesses)
            SqlJobTable::touch(db, id, time);
        return true;
    });
}

} // namespace DocRay
