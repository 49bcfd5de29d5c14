#include "engine/jobs/postgresjobstore.h"

#include <QDeadlineTimer>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QVariant>

Q_LOGGING_CATEGORY(lcPostgres, "docray.store.postgres")

namespace DocRay {

namespace {

// Task states in the tasks table. Waiting: a merge whose batches are not all in.
enum TaskState { TaskQueued = 0, TaskRunning = 1, TaskDone = 2, TaskWaiting = 3 };

// pg_advisory locks: schema creation and the cluster-wide TTL sweep.
constexpr qint64 kSchemaLock = 0x646f6372617901;
constexpr qint64 kSweepLock = 0x646f6372617902;

const char *const kChannels[] = {"docray_work", "docray_job", "docray_cancel"};

// The same tables as the SQLite store, in PostgreSQL's types, plus the work
// queue. Times are milliseconds since the epoch as there, except leases,
// which use the database's clock so that replicas' clocks never have to agree.
const char *const kSchema[] = {
    R"(CREATE TABLE IF NOT EXISTS jobs (
    id            TEXT PRIMARY KEY,
    file_name     TEXT NOT NULL,
    format        TEXT NOT NULL,
    parser_params TEXT NOT NULL,
    state         INTEGER NOT NULL,
    error         TEXT,
    pages_done    INTEGER NOT NULL DEFAULT 0,
    pages_total   INTEGER NOT NULL DEFAULT 0,
    upload_size   BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    started_at    BIGINT,
    finished_at   BIGINT,
    last_access   BIGINT NOT NULL,
    markdown      TEXT,
    middle_json   BYTEA,
    images_json   BYTEA,
    pdf_data      BYTEA,
    upload        BYTEA NOT NULL,
    seq           BIGSERIAL
))",
    R"(CREATE TABLE IF NOT EXISTS tasks (
    id          BIGSERIAL PRIMARY KEY,
    job_id      TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    kind        INTEGER NOT NULL,
    first_page  INTEGER NOT NULL,
    last_page   INTEGER NOT NULL,
    state       INTEGER NOT NULL,
    owner       TEXT,
    lease_until TIMESTAMPTZ,
    attempts    INTEGER NOT NULL DEFAULT 0,
    layouts     BYTEA
))",
    "CREATE TABLE IF NOT EXISTS docray_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)",
    "INSERT INTO docray_meta (name, value) VALUES ('last_sweep', 0) ON CONFLICT DO NOTHING",
    "CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at)",
    "CREATE INDEX IF NOT EXISTS jobs_queued ON jobs(seq) WHERE state = 0",
    "CREATE INDEX IF NOT EXISTS tasks_claimable ON tasks(id) WHERE state IN (0, 1)",
    "CREATE INDEX IF NOT EXISTS tasks_job ON tasks(job_id)",
};

const QString kJobColumns = QStringLiteral(
    "id, file_name, format, parser_params, state, error, pages_done, pages_total, upload_size, "
    "created_at, started_at, finished_at, last_access");

// Whether the last call on this thread reached the database.
thread_local bool t_reachable = true;

QVariant msecs(const QDateTime &time)
{
    return time.isValid() ? QVariant(time.toMSecsSinceEpoch()) : QVariant(QMetaType::fromType<qint64>());
}

QDateTime fromMsecs(const QVariant &value)
{
    return value.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QVariant nullableBytes(const QByteArray &bytes)
{
    return bytes.isNull() ? QVariant(QMetaType::fromType<QByteArray>()) : QVariant(bytes);
}

bool exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    qCWarning(lcPostgres) << "query failed:" << query.lastError().text() << query.lastQuery().left(120);
    return false;
}

bool exec(QSqlDatabase &db, const QString &sql, const QVariantList &values = {})
{
    QSqlQuery query(db);
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    return exec(query);
}

JobRecord jobFromRow(const QSqlQuery &query, int offset = 0)
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

QString idArray(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

bool notify(QSqlDatabase &db, const char *channel, const QString &payload)
{
    return exec(db, QStringLiteral("SELECT pg_notify(?, ?)"), {QString::fromLatin1(channel), payload});
}

} // namespace

PostgresJobStore::PostgresJobStore(const QString &url, int retrySeconds)
    : m_url(url)
    , m_retrySeconds(retrySeconds)
    , m_connectionPrefix(QStringLiteral("docray-pg-%1-").arg(reinterpret_cast<quintptr>(this)))
{
}

PostgresJobStore::~PostgresJobStore()
{
    QMutexLocker locker(&m_connectionsMutex);
    for (const QString &name : std::as_const(m_connectionNames))
        QSqlDatabase::removeDatabase(name);
}

QString PostgresJobStore::checkUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return QStringLiteral("the database URL must look like postgresql://user:password@host:port/database");
    if (url.host().isEmpty() || url.path().size() <= 1)
        return QStringLiteral("the database URL names no host or no database");
    return {};
}

QSqlDatabase PostgresJobStore::connection(const QString &suffix)
{
    const QString name = m_connectionPrefix
        + (suffix.isEmpty() ? QString::number(reinterpret_cast<quintptr>(QThread::currentThread())) : suffix);
    if (QSqlDatabase::contains(name))
        return QSqlDatabase::database(name, false);
    const QUrl url(m_url);
    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), name);
    db.setHostName(url.host());
    db.setPort(url.port(5432));
    db.setDatabaseName(url.path().mid(1));
    db.setUserName(url.userName(QUrl::FullyDecoded));
    db.setPassword(url.password(QUrl::FullyDecoded));
    // A database that does not answer fails the call in seconds, not minutes.
    QString options = QStringLiteral("connect_timeout=5");
    const QString sslMode = QUrlQuery(url).queryItemValue(QStringLiteral("sslmode"));
    if (!sslMode.isEmpty())
        options += QStringLiteral(";sslmode=") + sslMode;
    db.setConnectOptions(options);
    QMutexLocker locker(&m_connectionsMutex);
    m_connectionNames.append(name);
    return db;
}

bool PostgresJobStore::run(const Work &work, bool transaction)
{
    const QDeadlineTimer deadline(qMax(0, m_retrySeconds) * 1000);
    for (int attempt = 0;; ++attempt) {
        QSqlDatabase db = connection();
        if (db.isOpen() || db.open()) {
            bool ok = !transaction || db.transaction();
            if (ok)
                ok = work(db);
            if (ok && transaction)
                ok = db.commit();
            if (ok) {
                t_reachable = true;
                return true;
            }
            if (transaction)
                db.rollback();
            // A statement that failed on a live connection is an answer, not an outage.
            if (QSqlQuery(db).exec(QStringLiteral("SELECT 1"))) {
                t_reachable = true;
                return false;
            }
            db.close();
        } else if (attempt == 0) {
            qCWarning(lcPostgres) << "cannot connect:" << db.lastError().text();
        }
        t_reachable = false;
        // One immediate reconnect always; further tries only within the window.
        if (attempt > 0 && deadline.hasExpired())
            return false;
        if (attempt > 0)
            QThread::msleep(500);
    }
}

bool PostgresJobStore::reachable() const
{
    return t_reachable;
}

bool PostgresJobStore::open(QString *error)
{
    if (const QString problem = checkUrl(m_url); !problem.isEmpty()) {
        *error = problem;
        return false;
    }
    QString failure;
    const bool ok = run(
        [&failure](QSqlDatabase &db) {
            QSqlQuery query(db);
            // Once the schema exists, leave it alone: DDL takes table locks
            // that deadlock against running claims (every parser process
            // opens the store as it starts).
            if (!query.exec(QStringLiteral("SELECT to_regclass('tasks_job') IS NOT NULL"))) {
                failure = query.lastError().text();
                return false;
            }
            if (query.next() && query.value(0).toBool())
                return true;
            // Replicas starting together must not race each other's CREATE TABLE.
            if (!query.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(kSchemaLock))) {
                failure = query.lastError().text();
                return false;
            }
            // "already exists, skipping" notices on every start are noise.
            query.exec(QStringLiteral("SET LOCAL client_min_messages = warning"));
            for (const char *statement : kSchema)
                if (!query.exec(QString::fromLatin1(statement))) {
                    failure = query.lastError().text();
                    return false;
                }
            return true;
        },
        true);
    if (!ok) {
        const QUrl url(m_url);
        *error = QStringLiteral("cannot open the job database at %1:%2/%3: %4")
                     .arg(url.host())
                     .arg(url.port(5432))
                     .arg(url.path().mid(1),
                          failure.isEmpty() ? connection().lastError().text() : failure);
        return false;
    }
    return true;
}

bool PostgresJobStore::insertJob(const JobRecord &job, const QByteArray &upload)
{
    return insertJob(job, upload, {JobTask()});
}

bool PostgresJobStore::insertJob(const JobRecord &job, const QByteArray &upload, const QList<JobTask> &tasks)
{
    return run(
        [&](QSqlDatabase &db) {
            // ON CONFLICT: a retry after a connection lost at commit may find its own row.
            if (!exec(db,
                      QStringLiteral("INSERT INTO jobs (id, file_name, format, parser_params, state, pages_total, "
                                     "upload_size, created_at, last_access, upload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
                                     "?, ?) ON CONFLICT (id) DO NOTHING"),
                      {job.id, job.fileName, job.format,
                       QString::fromUtf8(QJsonDocument(job.parserParams).toJson(QJsonDocument::Compact)),
                       static_cast<int>(job.state), job.pagesTotal, qint64(upload.size()), msecs(job.createdAt),
                       msecs(job.lastAccess), upload}))
                return false;
            QSqlQuery insert(db);
            insert.prepare(QStringLiteral("INSERT INTO tasks (job_id, kind, first_page, last_page, state) "
                                          "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                                          "(SELECT 1 FROM tasks WHERE job_id = ? AND kind = ? AND first_page = ?)"));
            for (const JobTask &task : tasks) {
                insert.addBindValue(job.id);
                insert.addBindValue(static_cast<int>(task.kind));
                insert.addBindValue(task.firstPage);
                insert.addBindValue(task.lastPage);
                insert.addBindValue(task.kind == TaskKind::Merge ? TaskWaiting : TaskQueued);
                insert.addBindValue(job.id);
                insert.addBindValue(static_cast<int>(task.kind));
                insert.addBindValue(task.firstPage);
                if (!exec(insert))
                    return false;
            }
            return notify(db, "docray_work", QString());
        },
        true);
}

QByteArray PostgresJobStore::upload(const QString &id)
{
    QByteArray data;
    run([&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT upload FROM jobs WHERE id = ?"));
        query.addBindValue(id);
        if (!exec(query))
            return false;
        if (query.next())
            data = query.value(0).toByteArray();
        return true;
    });
    return data;
}

bool PostgresJobStore::markRunning(const QString &id, const QDateTime &startedAt)
{
    return run([&](QSqlDatabase &db) {
        return exec(db, QStringLiteral("UPDATE jobs SET state = ?, started_at = ? WHERE id = ?"),
                    {static_cast<int>(JobState::Running), msecs(startedAt), id});
    });
}

bool PostgresJobStore::requeue(const QString &id)
{
    return requeue(id, {JobTask()});
}

bool PostgresJobStore::requeue(const QString &id, const QList<JobTask> &tasks)
{
    return run(
        [&](QSqlDatabase &db) {
            if (!exec(db,
                      QStringLiteral("UPDATE jobs SET state = ?, error = NULL, started_at = NULL, finished_at = NULL, "
                                     "pages_done = 0, markdown = NULL, middle_json = NULL, images_json = NULL, "
                                     "pdf_data = NULL WHERE id = ?"),
                      {static_cast<int>(JobState::Queued), id})
                || !exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {id}))
                return false;
            for (const JobTask &task : tasks)
                if (!exec(db,
                          QStringLiteral("INSERT INTO tasks (job_id, kind, first_page, last_page, state) "
                                         "VALUES (?, ?, ?, ?, ?)"),
                          {id, static_cast<int>(task.kind), task.firstPage, task.lastPage,
                           task.kind == TaskKind::Merge ? TaskWaiting : TaskQueued}))
                    return false;
            return notify(db, "docray_work", QString()) && notify(db, "docray_job", id);
        },
        true);
}

bool PostgresJobStore::saveResult(const QString &id, const JobResult &result, int pageCount,
                                  const QDateTime &finishedAt)
{
    return run(
        [&](QSqlDatabase &db) {
            // The job's tasks go with its result: nothing of it is claimable any more.
            return exec(db,
                        QStringLiteral("UPDATE jobs SET state = ?, error = NULL, pages_done = ?, pages_total = ?, "
                                       "finished_at = ?, markdown = ?, middle_json = ?, images_json = ?, "
                                       "pdf_data = ? WHERE id = ?"),
                        {static_cast<int>(JobState::Completed), pageCount, pageCount, msecs(finishedAt),
                         result.markdown, result.middleJson, result.imagesJson, nullableBytes(result.pdfData), id})
                && exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {id})
                && notify(db, "docray_job", id);
        },
        true);
}

bool PostgresJobStore::markFailed(const QString &id, const QString &error, const QDateTime &finishedAt)
{
    return run(
        [&](QSqlDatabase &db) {
            return exec(db, QStringLiteral("UPDATE jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?"),
                        {static_cast<int>(JobState::Failed), error, msecs(finishedAt), id})
                && exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {id})
                && notify(db, "docray_job", id);
        },
        true);
}

std::optional<JobResult> PostgresJobStore::result(const QString &id, bool withPdf, bool withImages)
{
    std::optional<JobResult> found;
    run([&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT markdown, middle_json, %1, %2 FROM jobs WHERE id = ? AND state = ?")
                          .arg(withImages ? QStringLiteral("images_json") : QStringLiteral("NULL"),
                               withPdf ? QStringLiteral("COALESCE(pdf_data, upload)") : QStringLiteral("NULL")));
        query.addBindValue(id);
        query.addBindValue(static_cast<int>(JobState::Completed));
        if (!exec(query))
            return false;
        if (query.next()) {
            JobResult result;
            result.markdown = query.value(0).toString();
            result.middleJson = query.value(1).toByteArray();
            result.imagesJson = query.value(2).toByteArray();
            result.pdfData = query.value(3).toByteArray();
            found = result;
        }
        return true;
    });
    return found;
}

bool PostgresJobStore::remove(const QString &id)
{
    bool existed = false;
    run(
        [&](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("DELETE FROM jobs WHERE id = ?"));
            query.addBindValue(id);
            if (!exec(query))
                return false;
            existed = query.numRowsAffected() > 0;
            // The replica parsing it stops when it hears this.
            return !existed || notify(db, "docray_cancel", id);
        },
        true);
    return existed;
}

QList<JobRecord> PostgresJobStore::allJobs()
{
    QList<JobRecord> jobs;
    run([&](QSqlDatabase &db) {
        jobs.clear();
        QSqlQuery query(db);
        query.setForwardOnly(true);
        if (!query.exec(QStringLiteral("SELECT %1 FROM jobs ORDER BY created_at, seq").arg(kJobColumns)))
            return false;
        while (query.next())
            jobs.append(jobFromRow(query));
        return true;
    });
    return jobs;
}

void PostgresJobStore::saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses)
{
    run(
        [&](QSqlDatabase &db) {
            for (const auto &[id, time] : accesses)
                if (!exec(db, QStringLiteral("UPDATE jobs SET last_access = ? WHERE id = ?"), {msecs(time), id}))
                    return false;
            return true;
        },
        true);
}

std::optional<JobRecord> PostgresJobStore::job(const QString &id)
{
    std::optional<JobRecord> found;
    run([&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT %1 FROM jobs WHERE id = ?").arg(kJobColumns));
        query.addBindValue(id);
        if (!exec(query))
            return false;
        if (query.next())
            found = jobFromRow(query);
        return true;
    });
    return found;
}

bool PostgresJobStore::touch(const QString &id, const QDateTime &lastAccess)
{
    return run([&](QSqlDatabase &db) {
        return exec(db, QStringLiteral("UPDATE jobs SET last_access = ? WHERE id = ?"), {msecs(lastAccess), id});
    });
}

std::optional<SharedJobStore::Counts> PostgresJobStore::counts()
{
    Counts counts;
    const bool ok = run([&](QSqlDatabase &db) {
        counts = Counts();
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("SELECT state, count(*) FROM jobs GROUP BY state")))
            return false;
        while (query.next()) {
            const int n = query.value(1).toInt();
            switch (static_cast<JobState>(query.value(0).toInt())) {
            case JobState::Queued: counts.queued = n; break;
            case JobState::Running: counts.running = n; break;
            case JobState::Completed: counts.completed = n; break;
            case JobState::Failed: counts.failed = n; break;
            }
        }
        return true;
    });
    return ok ? std::optional<Counts>(counts) : std::nullopt;
}

int PostgresJobStore::queuePosition(const QString &id)
{
    int position = -1;
    run([&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT (SELECT count(*) FROM jobs j WHERE j.state = 0 AND j.seq < q.seq) "
                                     "FROM jobs q WHERE q.id = ? AND q.state = 0"));
        query.addBindValue(id);
        if (!exec(query))
            return false;
        position = query.next() ? query.value(0).toInt() : -1;
        return true;
    });
    return position;
}

std::optional<JobRecord> PostgresJobStore::claim(const QString &owner, int leaseSeconds)
{
    std::optional<JobRecord> claimed;
    run(
        [&](QSqlDatabase &db) {
            claimed.reset();
            // SKIP LOCKED: replicas claiming at the same moment each get a
            // different task instead of queueing behind one row lock.
            QSqlQuery query(db);
            query.prepare(QStringLiteral(
                "WITH next AS (SELECT id FROM tasks WHERE state = 0 OR (state = 1 AND lease_until < now()) "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                "UPDATE tasks t SET state = 1, owner = ?, "
                "lease_until = now() + make_interval(secs => ?::double precision), attempts = t.attempts + 1 "
                "FROM next WHERE t.id = next.id "
                "RETURNING t.id, t.kind, t.first_page, t.last_page, t.attempts, t.job_id"));
            query.addBindValue(owner);
            query.addBindValue(leaseSeconds);
            if (!exec(query))
                return false;
            if (!query.next())
                return true;
            JobTask task;
            task.id = query.value(0).toLongLong();
            task.kind = static_cast<TaskKind>(query.value(1).toInt());
            task.firstPage = query.value(2).toInt();
            task.lastPage = query.value(3).toInt();
            task.attempts = query.value(4).toInt();
            const QString jobId = query.value(5).toString();

            QSqlQuery job(db);
            job.prepare(QStringLiteral("UPDATE jobs SET state = 1, started_at = COALESCE(started_at, ?) "
                                       "WHERE id = ? AND state < 2 RETURNING %1")
                            .arg(kJobColumns));
            job.addBindValue(QDateTime::currentMSecsSinceEpoch());
            job.addBindValue(jobId);
            if (!exec(job))
                return false;
            if (job.next()) {
                claimed = jobFromRow(job);
                claimed->task = task;
            }
            return notify(db, "docray_job", jobId);
        },
        true);
    return claimed;
}

bool PostgresJobStore::renewLeases(const QString &owner, const QList<qint64> &taskIds, int leaseSeconds)
{
    if (taskIds.isEmpty())
        return true;
    return run([&](QSqlDatabase &db) {
        return exec(db,
                    QStringLiteral("UPDATE tasks SET lease_until = now() + make_interval(secs => ?::double precision) "
                                   "WHERE owner = ? AND state = 1 AND id = ANY(?::bigint[])"),
                    {leaseSeconds, owner, idArray(taskIds)});
    });
}

void PostgresJobStore::releaseLeases(const QString &owner, const QList<qint64> &taskIds)
{
    if (taskIds.isEmpty())
        return;
    run(
        [&](QSqlDatabase &db) {
            return exec(db,
                        QStringLiteral("UPDATE tasks SET state = 0, owner = NULL, lease_until = NULL, "
                                       "attempts = greatest(0, attempts - 1) "
                                       "WHERE owner = ? AND state = 1 AND id = ANY(?::bigint[])"),
                        {owner, idArray(taskIds)})
                && notify(db, "docray_work", QString());
        },
        true);
}

bool PostgresJobStore::saveBatch(const QString &jobId, qint64 taskId, const QByteArray &layouts, int pages)
{
    return run(
        [&](QSqlDatabase &db) {
            // The job's row lock orders the batches' commits, so exactly one
            // of them sees every batch done and queues the merge.
            QSqlQuery lock(db);
            lock.prepare(QStringLiteral("SELECT 1 FROM jobs WHERE id = ? FOR UPDATE"));
            lock.addBindValue(jobId);
            if (!exec(lock))
                return false;
            if (!lock.next())
                return true; // deleted meanwhile: nothing to keep
            QSqlQuery done(db);
            done.prepare(QStringLiteral("UPDATE tasks SET state = 2, layouts = ?, owner = NULL, lease_until = NULL "
                                        "WHERE id = ? AND state <> 2"));
            done.addBindValue(layouts);
            done.addBindValue(taskId);
            if (!exec(done))
                return false;
            if (done.numRowsAffected() == 0)
                return true; // another replica's copy of this batch got here first
            QSqlQuery merge(db);
            merge.prepare(QStringLiteral("UPDATE tasks SET state = 0 WHERE job_id = ? AND kind = 2 AND state = 3 "
                                         "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind = 1 "
                                         "AND state <> 2)"));
            merge.addBindValue(jobId);
            merge.addBindValue(jobId);
            if (!exec(db, QStringLiteral("UPDATE jobs SET pages_done = pages_done + ? WHERE id = ?"), {pages, jobId})
                || !exec(merge))
                return false;
            return notify(db, "docray_job", jobId)
                && (merge.numRowsAffected() == 0 || notify(db, "docray_work", QString()));
        },
        true);
}

std::optional<QList<QByteArray>> PostgresJobStore::batches(const QString &jobId)
{
    std::optional<QList<QByteArray>> found;
    run([&](QSqlDatabase &db) {
        found.reset();
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT state, layouts FROM tasks WHERE job_id = ? AND kind = 1 "
                                     "ORDER BY first_page"));
        query.addBindValue(jobId);
        if (!exec(query))
            return false;
        QList<QByteArray> parts;
        while (query.next()) {
            if (query.value(0).toInt() != TaskDone)
                return true;
            parts.append(query.value(1).toByteArray());
        }
        if (!parts.isEmpty())
            found = parts;
        return true;
    });
    return found;
}

QStringList PostgresJobStore::removeExpired(const QDateTime &cutoff, int intervalSeconds)
{
    QStringList removed;
    run(
        [&](QSqlDatabase &db) {
            removed.clear();
            QSqlQuery query(db);
            // One replica sweeps; the others skip rather than wait.
            if (!query.exec(QStringLiteral("SELECT pg_try_advisory_xact_lock(%1)").arg(kSweepLock)))
                return false;
            if (!query.next() || !query.value(0).toBool())
                return true;
            // ... and only once per interval, however many replicas there are.
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QSqlQuery claimSweep(db);
            claimSweep.prepare(QStringLiteral("UPDATE docray_meta SET value = ? WHERE name = 'last_sweep' AND value <= ?"));
            claimSweep.addBindValue(now);
            claimSweep.addBindValue(now - qint64(intervalSeconds) * 1000 + 1000);
            if (!exec(claimSweep))
                return false;
            if (claimSweep.numRowsAffected() == 0)
                return true;
            QSqlQuery expired(db);
            expired.prepare(QStringLiteral("DELETE FROM jobs WHERE last_access < ? RETURNING id"));
            expired.addBindValue(msecs(cutoff));
            if (!exec(expired))
                return false;
            while (expired.next())
                removed.append(expired.value(0).toString());
            for (const QString &id : std::as_const(removed))
                if (!notify(db, "docray_cancel", id))
                    return false;
            return true;
        },
        true);
    return removed;
}

bool PostgresJobStore::subscribe()
{
    QSqlDatabase db = connection(QStringLiteral("listen"));
    if (!db.isOpen() && !db.open())
        return false;
    QSqlDriver *driver = db.driver();
    for (const char *channel : kChannels)
        if (!driver->subscribedToNotifications().contains(QLatin1String(channel))
            && !driver->subscribeToNotification(QLatin1String(channel)))
            return false;
    if (!m_listenerConnected) {
        QObject::connect(driver, &QSqlDriver::notification, m_listenContext,
                         [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                             m_listener(name.mid(int(qstrlen("docray_"))), payload.toString());
                         });
        m_listenerConnected = true;
    }
    return true;
}

bool PostgresJobStore::listen(QObject *context, const Listener &listener)
{
    m_listenContext = context;
    m_listener = listener;
    return subscribe();
}

bool PostgresJobStore::checkListener()
{
    if (!m_listenContext)
        return false;
    QSqlDatabase db = connection(QStringLiteral("listen"));
    if (db.isOpen() && QSqlQuery(db).exec(QStringLiteral("SELECT 1")))
        return false;
    db.close();
    if (subscribe())
        qCInfo(lcPostgres) << "listening again after the database connection was lost";
    return true;
}

} // namespace DocRay
