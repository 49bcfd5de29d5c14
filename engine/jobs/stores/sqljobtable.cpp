#include "engine/jobs/stores/sqljobtable.h"

#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>

#include <sqlite3.h>

Q_LOGGING_CATEGORY(lcStore, "docray.store")

namespace DocRay {

namespace SqlJobTable {

namespace {

QDateTime fromMsecs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant state(JobState state)
{
    return static_cast<int>(state);
}

} // namespace

QString definition(Dialect dialect)
{
    const bool postgres = dialect == Dialect::Postgres;
    // Times are milliseconds since the epoch; pdf_data is NULL when the
    // upload itself is the parsed PDF. PostgreSQL's seq orders the queue.
    // SQLite keeps the upload in a table of its own (uploadsDefinition):
    // it rewrites a whole row on every update, upload and all.
    return QStringLiteral(R"(CREATE TABLE IF NOT EXISTS jobs (
    id            TEXT PRIMARY KEY,
    file_name     TEXT NOT NULL,
    format        TEXT NOT NULL,
    parser_params TEXT NOT NULL,
    state         INTEGER NOT NULL,
    error         TEXT,
    pages_done    INTEGER NOT NULL DEFAULT 0,
    pages_total   INTEGER NOT NULL DEFAULT 0,
    upload_size   %1 NOT NULL,
    created_at    %1 NOT NULL,
    started_at    %1,
    finished_at   %1,
    last_access   %1 NOT NULL,
    markdown      TEXT,
    middle_json   %2,
    images_json   %2,
    pdf_data      %2,
    %3
))")
        .arg(postgres ? QStringLiteral("BIGINT") : QStringLiteral("INTEGER"),
             postgres ? QStringLiteral("BYTEA") : QStringLiteral("BLOB"),
             postgres ? QStringLiteral("upload        BYTEA NOT NULL,\n    seq           BIGSERIAL") : attemptsColumn());
}

QString resultPiecesDefinition(Dialect dialect)
{
    // A result's large values (the packed JSONs, pdf_data) in rows of at
    // most a few MB, in order: neither database builds a whole value's row
    // in memory, and PostgreSQL's driver does not escape and copy one.
    const bool postgres = dialect == Dialect::Postgres;
    return QStringLiteral(R"(CREATE TABLE IF NOT EXISTS result_pieces (
    job_id TEXT NOT NULL%1,
    part   TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    data   %2 NOT NULL,
    PRIMARY KEY (job_id, part, seq)
))")
        .arg(postgres ? QStringLiteral(" REFERENCES jobs(id) ON DELETE CASCADE") : QString(),
             postgres ? QStringLiteral("BYTEA") : QStringLiteral("BLOB"));
}

QString uploadsDefinition()
{
    return QStringLiteral("CREATE TABLE IF NOT EXISTS uploads (job_id TEXT PRIMARY KEY, data BLOB NOT NULL)");
}

QString attemptsColumn()
{
    return QStringLiteral("attempts INTEGER NOT NULL DEFAULT 0");
}

QString columns()
{
    return QStringLiteral("id, file_name, format, parser_params, state, error, pages_done, pages_total, "
                          "upload_size, created_at, started_at, finished_at, last_access");
}

JobRecord jobFromRow(const QSqlQuery &query, int offset)
{
    JobRecord job;
    job.id = query.value(offset + 0).toString();
    job.fileName = query.value(offset + 1).toString();
    job.format = query.value(offset + 2).toString();
    job.parserParams = QJsonDocument::fromJson(query.value(offset + 3).toByteArray()).object();
    job.state = static_cast<JobState>(query.value(offset + 4).toInt());
    job.error = query.value(offset + 5).toString();
    job.pagesDone = query.value(offset + 6).toInt();
    job.pagesTotal = query.value(offset + 7).toInt();
    job.uploadSize = query.value(offset + 8).toLongLong();
    job.createdAt = fromMsecs(query.value(offset + 9));
    job.startedAt = fromMsecs(query.value(offset + 10));
    job.finishedAt = fromMsecs(query.value(offset + 11));
    job.lastAccess = fromMsecs(query.value(offset + 12));
    return job;
}

QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

bool exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcStore) << "query failed:" << query.lastError().text() << query.lastQuery().left(120);
    return false;
}

bool exec(QSqlDatabase &db, const QString &sql, const QVariantList &values)
{
    QSqlQuery query(db);
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    return exec(query);
}

bool insert(QSqlDatabase &db, Dialect dialect, const JobRecord &job, const QByteArray &upload)
{
    const bool inRow = dialect == Dialect::Postgres;
    // ON CONFLICT: a retry after a connection lost at commit may find its own row.
    QVariantList values{job.id, job.fileName, job.format,
                        QString::fromUtf8(QJsonDocument(job.parserParams).toJson(QJsonDocument::Compact)),
                        state(job.state), job.pagesTotal, qint64(upload.size()), msecs(job.createdAt),
                        msecs(job.lastAccess)};
    if (inRow)
        values.append(upload);
    return exec(db,
                QStringLiteral("INSERT INTO jobs (id, file_name, format, parser_params, state, pages_total, "
                               "upload_size, created_at, last_access%1) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?%2) "
                               "ON CONFLICT (id) DO NOTHING")
                    .arg(inRow ? QStringLiteral(", upload") : QString(), inRow ? QStringLiteral(", ?") : QString()),
                values)
        && (inRow
            || exec(db, QStringLiteral("INSERT INTO uploads (job_id, data) VALUES (?, ?) ON CONFLICT (job_id) DO NOTHING"),
                    {job.id, upload}));
}

namespace {

constexpr qint64 kUploadSliceBytes = 1 << 20;

// The first column of the query's one row, or null where there is none.
bool selectValue(QSqlDatabase &db, const QString &sql, const QVariantList &values, QVariant *value)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(sql);
    for (const QVariant &bound : values)
        query.addBindValue(bound);
    if (!exec(query))
        return false;
    *value = query.next() ? query.value(0) : QVariant();
    return true;
}

// Read through SQLite's incremental blob I/O: a query's row would hold a
// copy of the whole upload. Qt's driver is built on the system's SQLite,
// the library linked here.
bool selectSqliteUpload(QSqlDatabase &db, const QString &id, const UploadSlices &take, bool *found)
{
    QVariant rowid;
    if (!selectValue(db, QStringLiteral("SELECT rowid FROM uploads WHERE job_id = ?"), {id}, &rowid))
        return false;
    *found = !rowid.isNull();
    if (!*found)
        return true;
    sqlite3 *connection = sqliteHandle(db);
    sqlite3_blob *blob = nullptr;
    int status = connection ? sqlite3_blob_open(connection, "main", "uploads", "data", rowid.toLongLong(), 0, &blob)
                            : SQLITE_MISUSE;
    bool taken = true;
    if (status == SQLITE_OK) {
        const int size = sqlite3_blob_bytes(blob);
        QByteArray slice;
        for (int at = 0; status == SQLITE_OK && taken && at < size; at += kUploadSliceBytes) {
            slice.resize(qMin<qint64>(kUploadSliceBytes, size - at));
            status = sqlite3_blob_read(blob, slice.data(), static_cast<int>(slice.size()), at);
            taken = status != SQLITE_OK || take(slice, size);
        }
    }
    sqlite3_blob_close(blob);
    if (status != SQLITE_OK)
        qCWarning(lcStore, "reading the upload of %s failed: %s", qPrintable(id),
                  connection ? sqlite3_errmsg(connection) : "not an SQLite connection");
    return status == SQLITE_OK && taken;
}

// Read in slices: libpq holds a value's text (two hex digits a byte) and its
// decoding at once, four times the upload for the whole of it. The schema
// keeps uploads uncompressed, where a slice is read on its own; a value
// compressed in a table made before is read whole, as each slice of it would
// be decompressed from its start.
bool selectPostgresUpload(QSqlDatabase &db, const QString &id, const UploadSlices &take, bool *found)
{
    QVariant size;
    if (!selectValue(db,
                     QStringLiteral("SELECT length(upload) FROM jobs "
                                    "WHERE id = ? AND pg_column_size(upload) >= length(upload)"),
                     {id}, &size))
        return false;
    if (size.isNull()) { // compressed, or none
        QVariant whole;
        if (!selectValue(db, QStringLiteral("SELECT upload FROM jobs WHERE id = ?"), {id}, &whole))
            return false;
        *found = !whole.isNull();
        const QByteArray bytes = whole.toByteArray();
        return !*found || take(bytes, bytes.size());
    }
    *found = true;
    for (qint64 at = 0; at < size.toLongLong(); at += kUploadSliceBytes) {
        QVariant slice;
        if (!selectValue(db, QStringLiteral("SELECT substring(upload FROM ? FOR ?) FROM jobs WHERE id = ?"),
                         {static_cast<int>(at + 1), static_cast<int>(kUploadSliceBytes), id}, &slice))
            return false;
        if (slice.isNull()) { // deleted meanwhile
            *found = false;
            return true;
        }
        if (!take(slice.toByteArray(), size.toLongLong()))
            return false;
    }
    return true;
}

} // namespace

bool selectUpload(QSqlDatabase &db, Dialect dialect, const QString &id, const UploadSlices &take, bool *found)
{
    *found = false;
    return dialect == Dialect::Postgres ? selectPostgresUpload(db, id, take, found)
                                        : selectSqliteUpload(db, id, take, found);
}

UploadSlices uploadTo(QFileDevice &file)
{
    return [&file](QByteArrayView slice, qint64) { return file.write(slice.data(), slice.size()) == slice.size(); };
}

Result<void> uploadWritten(const QString &id, const QFileDevice &file, bool written, bool found)
{
    if (written && !found)
        return Error{ErrorCode::NotFound, QStringLiteral("The job %1 has no upload.").arg(id)};
    if (written)
        return {};
    if (file.error() != QFileDevice::NoError)
        return Error{ErrorCode::StorageFull,
                     QStringLiteral("The upload could not be written to a file: %1").arg(file.errorString())};
    return Error{ErrorCode::Unavailable, QStringLiteral("The upload could not be read from the store.")};
}

bool selectUpload(QSqlDatabase &db, Dialect dialect, const QString &id, QByteArray *upload)
{
    QByteArray bytes;
    bool found = false;
    const bool read = selectUpload(db, dialect, id,
                                   [&bytes](QByteArrayView slice, qint64 size) {
                                       if (bytes.isEmpty())
                                           bytes.reserve(size);
                                       bytes.append(slice);
                                       return true;
                                   },
                                   &found);
    *upload = read && found ? std::move(bytes) : QByteArray();
    return read;
}

bool markRunning(QSqlDatabase &db, const QString &id, const QDateTime &startedAt)
{
    return exec(db, QStringLiteral("UPDATE jobs SET state = ?, started_at = ? WHERE id = ?"),
                {state(JobState::Running), msecs(startedAt), id});
}

namespace {

// The job's result pieces, whatever they hold.
bool dropPieces(QSqlDatabase &db, const QString &id)
{
    return exec(db, QStringLiteral("DELETE FROM result_pieces WHERE job_id = ?"), {id});
}

} // namespace

bool requeue(QSqlDatabase &db, const QString &id)
{
    return exec(db,
                QStringLiteral("UPDATE jobs SET state = ?, error = NULL, started_at = NULL, finished_at = NULL, "
                               "pages_done = 0, markdown = NULL, middle_json = NULL, images_json = NULL, "
                               "pdf_data = NULL WHERE id = ?"),
                {state(JobState::Queued), id})
        && dropPieces(db, id);
}

namespace {

// `bytes` as rows of `part`, `pieceBytes` each; none for a null value.
bool insertPieces(QSqlDatabase &db, const QString &id, QLatin1String part, const QByteArray &bytes, qsizetype pieceBytes)
{
    QSqlQuery insert(db);
    insert.prepare(QStringLiteral("INSERT INTO result_pieces (job_id, part, seq, data) VALUES (?, ?, ?, ?)"));
    pieceBytes = pieceBytes > 0 ? pieceBytes : bytes.size() + 1;
    int seq = 0;
    for (qsizetype at = 0; !bytes.isNull() && (at < bytes.size() || seq == 0); at += pieceBytes, ++seq) {
        insert.bindValue(0, id);
        insert.bindValue(1, QString(part));
        insert.bindValue(2, seq);
        // A view of the piece, not a copy: the value stays alive meanwhile.
        insert.bindValue(3, QByteArray::fromRawData(bytes.constData() + at, qMin(pieceBytes, bytes.size() - at)));
        if (!exec(insert))
            return false;
    }
    return true;
}

// The rows of `part` in order, joined; null when there are none.
bool selectPieces(QSqlDatabase &db, const QString &id, QLatin1String part, QByteArray *bytes)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT data FROM result_pieces WHERE job_id = ? AND part = ? ORDER BY seq"));
    query.addBindValue(id);
    query.addBindValue(QString(part));
    if (!exec(query))
        return false;
    while (query.next()) {
        const QByteArray piece = query.value(0).toByteArray();
        if (bytes->isNull())
            *bytes = piece.isNull() ? QByteArray("") : piece;
        else
            bytes->append(piece);
    }
    return true;
}

} // namespace

bool saveResult(QSqlDatabase &db, const QString &id, JobResult result, int pageCount, const QDateTime &finishedAt,
                qsizetype pieceBytes)
{
    // The markdown, the middle JSON and the images' JSON are stored packed
    // from a megabyte on (packedbytes.h): a thousand-page document's middle
    // JSON is ~100 MB of repetitive text.
    // The parser's come packed already; others are packed one at a time,
    // each released once packed. Rows written before packing carry no
    // marker and read as they are; rows written before the pieces keep
    // their values (the markdown as text) in the jobs table's columns.
    const QByteArray markdown = pack(std::exchange(result.markdown, QByteArray()));
    const QByteArray middleJson = pack(std::exchange(result.middleJson, QByteArray()));
    const QByteArray imagesJson = pack(std::exchange(result.imagesJson, QByteArray()));
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE jobs SET state = ?, error = NULL, pages_done = ?, pages_total = ?, "
                                  "finished_at = ?, markdown = NULL, middle_json = NULL, images_json = NULL, "
                                  "pdf_data = NULL WHERE id = ?"));
    for (const QVariant &value : {state(JobState::Completed), QVariant(pageCount), QVariant(pageCount),
                                  msecs(finishedAt), QVariant(id)})
        update.addBindValue(value);
    if (!exec(update))
        return false;
    if (update.numRowsAffected() == 0)
        return true; // the job was deleted meanwhile: nothing of it is kept
    return dropPieces(db, id) && insertPieces(db, id, QLatin1String("markdown"), markdown, pieceBytes)
        && insertPieces(db, id, QLatin1String("middle_json"), middleJson, pieceBytes)
        && insertPieces(db, id, QLatin1String("images_json"), imagesJson, pieceBytes)
        && insertPieces(db, id, QLatin1String("pdf_data"), result.pdfData, pieceBytes);
}

bool markFailed(QSqlDatabase &db, const QString &id, const QString &error, const QDateTime &finishedAt)
{
    return exec(db, QStringLiteral("UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?"),
                {state(JobState::Failed), error, msecs(finishedAt), id});
}

bool selectResult(QSqlDatabase &db, Dialect dialect, const QString &id, bool withPdf, bool withImages,
                  std::optional<JobResult> *result)
{
    JobResult found;
    {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT markdown, middle_json, %1, %2 FROM jobs WHERE id = ? AND state = ?")
                          .arg(withImages ? QStringLiteral("images_json") : QStringLiteral("NULL"),
                               withPdf ? QStringLiteral("pdf_data") : QStringLiteral("NULL")));
        query.addBindValue(id);
        query.addBindValue(state(JobState::Completed));
        if (!exec(query))
            return false;
        result->reset();
        if (!query.next())
            return true;
        found.markdown = query.value(0).toString().toUtf8();
        found.middleJson = query.value(1).toByteArray();
        found.imagesJson = query.value(2).toByteArray();
        found.pdfData = query.value(3).toByteArray();
    }
    if (!selectPieces(db, id, QLatin1String("markdown"), &found.markdown)
        || !selectPieces(db, id, QLatin1String("middle_json"), &found.middleJson)
        || (withImages && !selectPieces(db, id, QLatin1String("images_json"), &found.imagesJson))
        || (withPdf && !selectPieces(db, id, QLatin1String("pdf_data"), &found.pdfData))
        || (withPdf && found.pdfData.isNull() && !selectUpload(db, dialect, id, &found.pdfData)))
        return false;
    found.markdown = unpack(found.markdown);
    found.middleJson = unpack(found.middleJson);
    found.imagesJson = unpack(found.imagesJson);
    *result = std::move(found);
    return true;
}

bool selectJob(QSqlDatabase &db, const QString &id, std::optional<JobRecord> *job)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(columns()));
    query.addBindValue(id);
    if (!exec(query))
        return false;
    job->reset();
    if (query.next())
        *job = jobFromRow(query);
    return true;
}

bool selectAll(QSqlDatabase &db, Dialect dialect, QList<JobRecord> *jobs)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    // Jobs created in the same millisecond keep their insertion order. A
    // single node counts each job's starts; the cluster counts per task.
    const bool postgres = dialect == Dialect::Postgres;
    query.prepare(QStringLiteral("SELECT %1%2 FROM jobs ORDER BY created_at, %3")
                      .arg(columns(), postgres ? QString() : QStringLiteral(", attempts"),
                           postgres ? QStringLiteral("seq") : QStringLiteral("rowid")));
    if (!exec(query))
        return false;
    jobs->clear();
    while (query.next()) {
        jobs->append(jobFromRow(query));
        if (!postgres)
            jobs->last().task.attempts = query.value(13).toInt();
    }
    return true;
}

bool remove(QSqlDatabase &db, const QString &id, bool *existed)
{
    if (!dropPieces(db, id))
        return false;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
    query.addBindValue(id);
    if (!exec(query))
        return false;
    *existed = query.numRowsAffected() > 0;
    return true;
}

bool touch(QSqlDatabase &db, const QString &id, const QDateTime &lastAccess)
{
    return exec(db, QStringLiteral("UPDATE jobs SET last_access = ? WHERE id = ?"), {msecs(lastAccess), id});
}

sqlite3 *sqliteHandle(const QSqlDatabase &db)
{
    const QVariant handle = db.driver()->handle();
    return qstrcmp(handle.typeName(), "sqlite3*") == 0 ? *static_cast<sqlite3 *const *>(handle.constData()) : nullptr;
}

} // namespace SqlJobTable

SqlConnectionPool::SqlConnectionPool(const QString &driver, const QString &prefix,
                                     std::function<void(QSqlDatabase &)> setUp)
    : m_driver(driver)
    , m_prefix(QStringLiteral("%1-%2-").arg(prefix).arg(reinterpret_cast<quintptr>(this)))
    , m_setUp(std::move(setUp))
{
}

SqlConnectionPool::~SqlConnectionPool()
{
    QMutexLocker locker(&m_mutex);
    for (const QString &name : std::as_const(m_names))
        QSqlDatabase::removeDatabase(name);
}

QSqlDatabase SqlConnectionPool::connection(const QString &purpose)
{
    const QString name = m_prefix
        + (purpose.isEmpty() ? QString::number(reinterpret_cast<quintptr>(QThread::currentThread())) : purpose);
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    QSqlDatabase db = QSqlDatabase::addDatabase(m_driver, name);
    m_setUp(db);
    QMutexLocker locker(&m_mutex);
    m_names.append(name);
    return db;
}

} // namespace DocRay
