#include "engine/jobs/sqlitejobstore.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QVariant>

Q_LOGGING_CATEGORY(lcStore, "docray.store")

namespace DocRay {

namespace {

constexpr int kSchemaVersion = 1;

const char *const kSchema = R"(
CREATE TABLE IF NOT EXISTS jobs (
    id            TEXT PRIMARY KEY,
    file_name     TEXT NOT NULL,
    format        TEXT NOT NULL,
    parser_params TEXT NOT NULL,
    state         INTEGER NOT NULL,
    error         TEXT,
    pages_done    INTEGER NOT NULL DEFAULT 0,
    pages_total   INTEGER NOT NULL DEFAULT 0,
    upload_size   INTEGER NOT NULL,
    created_at    INTEGER NOT NULL,
    started_at    INTEGER,
    finished_at   INTEGER,
    last_access   INTEGER NOT NULL,
    markdown      TEXT,
    middle_json   BLOB,
    images_json   BLOB,
    pdf_data      BLOB,      -- NULL when the upload itself is the parsed PDF
    upload        BLOB NOT NULL
))";

QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime fromMsecs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

bool exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcStore) << "query failed:" << query.lastError().text() << query.lastQuery();
    return false;
}

} // namespace

SqliteJobStore::SqliteJobStore(const QString &databasePath)
    : m_path(databasePath)
    , m_connectionPrefix(QStringLiteral("docray-sqlite-%1-").arg(reinterpret_cast<quintptr>(this)))
{
}

SqliteJobStore::~SqliteJobStore()
{
    QMutexLocker locker(&m_connectionsMutex);
    for (const QString &name : std::as_const(m_connectionNames))
        QSqlDatabase::removeDatabase(name);
}

QSqlDatabase SqliteJobStore::connection()
{
    const QString name = m_connectionPrefix
        + QString::number(reinterpret_cast<quintptr>(QThread::currentThread()));
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=30000"));
    if (!db.open()) {
        qCWarning(lcStore) << "cannot open" << m_path << db.lastError().text();
    } else {
        QSqlQuery pragma(db);
        // WAL lets readers (status, results) run beside the writing workers;
        // FULL sync makes a 202 survive a power cut, not only a crash.
        pragma.exec(QStringLiteral("PRAGMA journal_mode=WAL"));
        pragma.exec(QStringLiteral("PRAGMA synchronous=FULL"));
    }
    QMutexLocker locker(&m_connectionsMutex);
    m_connectionNames.append(name);
    return db;
}

bool SqliteJobStore::open(QString *error)
{
    const QFileInfo file(m_path);
    if (!QDir().mkpath(file.absolutePath())) {
        *error = QStringLiteral("cannot create the data directory %1").arg(file.absolutePath());
        return false;
    }
    QSqlDatabase db = connection();
    if (!db.isOpen()) {
        *error = QStringLiteral("cannot open the job database %1: %2").arg(m_path, db.lastError().text());
        return false;
    }
    QSqlQuery query(db);
    if (!query.exec(QString::fromLatin1(kSchema))
        || !query.exec(QStringLiteral("CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at)"))
        || !query.exec(QStringLiteral("PRAGMA user_version=%1").arg(kSchemaVersion))) {
        *error = QStringLiteral("cannot create the job tables in %1: %2").arg(m_path, query.lastError().text());
        return false;
    }
    return true;
}

bool SqliteJobStore::insertJob(const JobRecord &job, const QByteArray &upload)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral(
        "INSERT INTO jobs (id, file_name, format, parser_params, state, upload_size, created_at, "
        "last_access, upload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    query.addBindValue(job.id);
    query.addBindValue(job.fileName);
    query.addBindValue(job.format);
    query.addBindValue(QString::fromUtf8(QJsonDocument(job.parserParams).toJson(QJsonDocument::Compact)));
    query.addBindValue(static_cast<int>(job.state));
    query.addBindValue(upload.size());
    query.addBindValue(msecs(job.createdAt));
    query.addBindValue(msecs(job.lastAccess));
    query.addBindValue(upload);
    return exec(query);
}

QByteArray SqliteJobStore::upload(const QString &id)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral("SELECT upload FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    if (!exec(query) || !query.next())
        return {};
    return query.value(0).toByteArray();
}

bool SqliteJobStore::markRunning(const QString &id, const QDateTime &startedAt)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral("UPDATE jobs SET state = ?, started_at = ? WHERE id = ?"));
    query.addBindValue(static_cast<int>(JobState::Running));
    query.addBindValue(msecs(startedAt));
    query.addBindValue(id);
    return exec(query);
}

bool SqliteJobStore::requeue(const QString &id)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral(
        "UPDATE jobs SET state = ?, error = NULL, started_at = NULL, finished_at = NULL, "
        "pages_done = 0, markdown = NULL, middle_json = NULL, images_json = NULL, pdf_data = NULL "
        "WHERE id = ?"));
    query.addBindValue(static_cast<int>(JobState::Queued));
    query.addBindValue(id);
    return exec(query);
}

bool SqliteJobStore::saveResult(const QString &id, const JobResult &result, int pageCount,
                                const QDateTime &finishedAt)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral(
        "UPDATE jobs SET state = ?, error = NULL, pages_done = ?, pages_total = ?, finished_at = ?, "
        "markdown = ?, middle_json = ?, images_json = ?, pdf_data = ? WHERE id = ?"));
    query.addBindValue(static_cast<int>(JobState::Completed));
    query.addBindValue(pageCount);
    query.addBindValue(pageCount);
    query.addBindValue(msecs(finishedAt));
    query.addBindValue(result.markdown);
    query.addBindValue(result.middleJson);
    query.addBindValue(result.imagesJson);
    query.addBindValue(result.pdfData.isNull() ? QVariant(QMetaType::fromType<QByteArray>())
                                               : QVariant(result.pdfData));
    query.addBindValue(id);
    return exec(query);
}

bool SqliteJobStore::markFailed(const QString &id, const QString &error, const QDateTime &finishedAt)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral("UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?"));
    query.addBindValue(static_cast<int>(JobState::Failed));
    query.addBindValue(error);
    query.addBindValue(msecs(finishedAt));
    query.addBindValue(id);
    return exec(query);
}

std::optional<JobResult> SqliteJobStore::result(const QString &id, bool withPdf, bool withImages)
{
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT markdown, middle_json, %1, %2 FROM jobs WHERE id = ? AND state = ?")
                      .arg(withImages ? QStringLiteral("images_json") : QStringLiteral("NULL"),
                           withPdf ? QStringLiteral("COALESCE(pdf_data, upload)") : QStringLiteral("NULL")));
    query.addBindValue(id);
    query.addBindValue(static_cast<int>(JobState::Completed));
    if (!exec(query) || !query.next())
        return std::nullopt;
    JobResult result;
    result.markdown = query.value(0).toString();
    result.middleJson = query.value(1).toByteArray();
    result.imagesJson = query.value(2).toByteArray();
    result.pdfData = query.value(3).toByteArray();
    return result;
}

bool SqliteJobStore::remove(const QString &id)
{
    QSqlQuery query(connection());
    query.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    return exec(query) && query.numRowsAffected() > 0;
}

QList<JobRecord> SqliteJobStore::allJobs()
{
    QList<JobRecord> jobs;
    QSqlQuery query(connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral(
        "SELECT id, file_name, format, parser_params, state, error, pages_done, pages_total, "
        "upload_size, created_at, started_at, finished_at, last_access FROM jobs "
        "ORDER BY created_at, rowid"));
    if (!exec(query))
        return jobs;
    while (query.next()) {
        JobRecord job;
        job.id = query.value(0).toString();
        job.fileName = query.value(1).toString();
        job.format = query.value(2).toString();
        job.parserParams = QJsonDocument::fromJson(query.value(3).toByteArray()).object();
        job.state = static_cast<JobState>(query.value(4).toInt());
        job.error = query.value(5).toString();
        job.pagesDone = query.value(6).toInt();
        job.pagesTotal = query.value(7).toInt();
        job.uploadSize = query.value(8).toLongLong();
        job.createdAt = fromMsecs(query.value(9));
        job.startedAt = fromMsecs(query.value(10));
        job.finishedAt = fromMsecs(query.value(11));
        job.lastAccess = fromMsecs(query.value(12));
        jobs.append(job);
    }
    return jobs;
}

void SqliteJobStore::saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses)
{
    QSqlDatabase db = connection();
    db.transaction();
    QSqlQuery query(db);
    query.prepare(QStringLiteral("UPDATE jobs SET last_access = ? WHERE id = ?"));
    for (const auto &[id, time] : accesses) {
        query.addBindValue(msecs(time));
        query.addBindValue(id);
        exec(query);
    }
    db.commit();
}

} // namespace DocRay
