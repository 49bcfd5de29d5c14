#include "engine/jobs/stores/postgresjobstore.h"

#include "engine/jobs/stores/sqljobtable.h"

#include <QDeadlineTimer>
#include <QLoggingCategory>
#include <QScopeGuard>
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

using SqlJobTable::exec;
using SqlJobTable::msecs;

// Task states in the tasks table. Waiting: a merge whose batches are not all in.
enum class TaskState { Queued = 0, Running = 1, Done = 2, Waiting = 3 };

QVariant value(TaskState state)
{
    return static_cast<int>(state);
}

QVariant value(TaskKind kind)
{
    return static_cast<int>(kind);
}

QVariant value(JobState state)
{
    return static_cast<int>(state);
}

// pg_advisory locks: schema creation and the cluster-wide TTL sweep.
constexpr qint64 kSchemaLock = 0x646f6372617901;
constexpr qint64 kSweepLock = 0x646f6372617902;

using Channel = SharedJobStore::Channel;
constexpr Channel kChannels[] = {Channel::Work, Channel::Job, Channel::Cancel};

QString channelName(Channel channel)
{
    switch (channel) {
    case Channel::Work: return QStringLiteral("docray_work");
    case Channel::Job: return QStringLiteral("docray_job");
    case Channel::Cancel: break;
    }
    return QStringLiteral("docray_cancel");
}

// The jobs table (shared with the SQLite store) plus the work queue. Leases
// use the database's clock so that replicas' clocks never have to agree.
// Index predicates cannot take parameters: the enum values are spelt out.
QStringList schema()
{
    const auto number = [](auto e) { return QString::number(static_cast<int>(e)); };
    return {
        SqlJobTable::definition(SqlJobTable::Dialect::Postgres),
        // Uploads uncompressed: every page batch reads its document in
        // slices, and a slice of a compressed value is decompressed from
        // the value's start.
        QStringLiteral("ALTER TABLE jobs ALTER COLUMN upload SET STORAGE EXTERNAL"),
        SqlJobTable::resultPiecesDefinition(SqlJobTable::Dialect::Postgres),
        QStringLiteral(R"(CREATE TABLE IF NOT EXISTS tasks (
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
))"),
        QStringLiteral("CREATE TABLE IF NOT EXISTS docray_meta (name TEXT PRIMARY KEY, value BIGINT NOT NULL)"),
        QStringLiteral("INSERT INTO docray_meta (name, value) VALUES ('last_sweep', 0) ON CONFLICT DO NOTHING"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS jobs_created ON jobs(created_at)"),
        QStringLiteral("CREATE INDEX IF NOT EXISTS jobs_queued ON jobs(seq) WHERE state = %1").arg(number(JobState::Queued)),
        QStringLiteral("CREATE INDEX IF NOT EXISTS tasks_claimable ON tasks(id) WHERE state IN (%1, %2)")
            .arg(number(TaskState::Queued), number(TaskState::Running)),
        QStringLiteral("CREATE INDEX IF NOT EXISTS tasks_job ON tasks(job_id)"),
    };
}

// Whether the last call on this thread reached the database.
thread_local bool t_reachable = true;

QString idArray(const QList<qint64> &ids)
{
    QStringList parts;
    for (qint64 id : ids)
        parts.append(QString::number(id));
    return QLatin1Char('{') + parts.join(QLatin1Char(',')) + QLatin1Char('}');
}

bool notify(QSqlDatabase &db, Channel channel, const QString &payload)
{
    return exec(db, QStringLiteral("SELECT pg_notify(?, ?)"), {channelName(channel), payload});
}

QVariant initialState(const JobTask &task)
{
    return value(task.kind == TaskKind::Merge ? TaskState::Waiting : TaskState::Queued);
}

} // namespace

PostgresJobStore::PostgresJobStore(const QString &url, int retrySeconds, qsizetype resultPieceBytes)
    : m_url(url)
    , m_retrySeconds(retrySeconds)
    , m_resultPieceBytes(resultPieceBytes)
    , m_connections(QStringLiteral("QPSQL"), QStringLiteral("docray-pg"), [url](QSqlDatabase &db) {
        const QUrl parsed(url);
        db.setHostName(parsed.host());
        db.setPort(parsed.port(5432));
        db.setDatabaseName(parsed.path().mid(1));
        db.setUserName(parsed.userName(QUrl::FullyDecoded));
        db.setPassword(parsed.password(QUrl::FullyDecoded));
        // A database that does not answer fails the call in seconds, not minutes.
        QString options = QStringLiteral("connect_timeout=5");
        const QString sslMode = QUrlQuery(parsed).queryItemValue(QStringLiteral("sslmode"));
        if (!sslMode.isEmpty())
            options += QStringLiteral(";sslmode=") + sslMode;
        db.setConnectOptions(options);
    })
{
}

PostgresJobStore::~PostgresJobStore() = default;

QString PostgresJobStore::checkUrl(const QString &text)
{
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid() || (url.scheme() != QLatin1String("postgresql") && url.scheme() != QLatin1String("postgres")))
        return QStringLiteral("the database URL must look like postgresql://user:password@host:port/database");
    if (url.host().isEmpty() || url.path().size() <= 1)
        return QStringLiteral("the database URL names no host or no database");
    return {};
}

bool PostgresJobStore::run(const Work &work, bool transaction)
{
    const QDeadlineTimer deadline(qMax(0, m_retrySeconds) * 1000);
    for (int attempt = 0;; ++attempt) {
        QSqlDatabase db = m_connections.connection();
        if (db.isOpen() || db.open()) {
            bool ok = !transaction || db.transaction();
            // A transaction left open (out of memory half way) would hold its
            // row locks for as long as this process lives.
            auto rollback = qScopeGuard([&db, transaction] {
                if (transaction)
                    db.rollback();
            });
            if (ok)
                ok = work(db);
            rollback.dismiss();
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

Result<void> PostgresJobStore::open()
{
    if (const QString problem = checkUrl(m_url); !problem.isEmpty())
        return Error{ErrorCode::InvalidInput, problem};
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
            for (const QString &statement : schema())
                if (!query.exec(statement)) {
                    failure = query.lastError().text();
                    return false;
                }
            return true;
        },
        true);
    if (!ok) {
        const QUrl url(m_url);
        return Error{ErrorCode::Unavailable,
                     QStringLiteral("cannot open the job database at %1:%2/%3: %4")
                         .arg(url.host())
                         .arg(url.port(5432))
                         .arg(url.path().mid(1),
                              failure.isEmpty() ? m_connections.connection().lastError().text() : failure)};
    }
    return {};
}

bool PostgresJobStore::insertJob(const JobRecord &job, const QByteArray &upload)
{
    return insertJob(job, upload, {JobTask()});
}

bool PostgresJobStore::insertJob(const JobRecord &job, const QByteArray &upload, const QList<JobTask> &tasks)
{
    return run(
        [&](QSqlDatabase &db) {
            if (!SqlJobTable::insert(db, SqlJobTable::Dialect::Postgres, job, upload))
                return false;
            QSqlQuery insert(db);
            insert.prepare(QStringLiteral("INSERT INTO tasks (job_id, kind, first_page, last_page, state) "
                                          "SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS "
                                          "(SELECT 1 FROM tasks WHERE job_id = ? AND kind = ? AND first_page = ?)"));
            for (const JobTask &task : tasks) {
                insert.addBindValue(job.id);
                insert.addBindValue(value(task.kind));
                insert.addBindValue(task.firstPage);
                insert.addBindValue(task.lastPage);
                insert.addBindValue(initialState(task));
                insert.addBindValue(job.id);
                insert.addBindValue(value(task.kind));
                insert.addBindValue(task.firstPage);
                if (!exec(insert))
                    return false;
            }
            return notify(db, Channel::Work, QString());
        },
        true);
}

Result<void> PostgresJobStore::writeUpload(const QString &id, QFileDevice &to)
{
    bool found = false;
    const bool written = run([&](QSqlDatabase &db) {
        // Each try from the start: a lost connection is tried again.
        return to.resize(0) && to.seek(0)
            && SqlJobTable::selectUpload(db, SqlJobTable::Dialect::Postgres, id, SqlJobTable::uploadTo(to), &found);
    });
    return SqlJobTable::uploadWritten(id, to, written, found);
}

bool PostgresJobStore::markRunning(const QString &id, const QDateTime &startedAt)
{
    return run([&](QSqlDatabase &db) { return SqlJobTable::markRunning(db, id, startedAt); });
}

void PostgresJobStore::releaseRunning(const QStringList &)
{
    // Replicas hand back their tasks with releaseLeases, which counts per task.
}

bool PostgresJobStore::requeue(const QString &id)
{
    return requeue(id, {JobTask()});
}

bool PostgresJobStore::requeue(const QString &id, const QList<JobTask> &tasks)
{
    return run(
        [&](QSqlDatabase &db) {
            if (!SqlJobTable::requeue(db, id) || !exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {id}))
                return false;
            for (const JobTask &task : tasks)
                if (!exec(db,
                          QStringLiteral("INSERT INTO tasks (job_id, kind, first_page, last_page, state) "
                                         "VALUES (?, ?, ?, ?, ?)"),
                          {id, value(task.kind), task.firstPage, task.lastPage, initialState(task)}))
                    return false;
            return notify(db, Channel::Work, QString()) && notify(db, Channel::Job, id);
        },
        true);
}

Result<void> PostgresJobStore::saveResult(const JobRecord &job, JobResult result, int pageCount,
                                          const QDateTime &finishedAt)
{
    return runFenced(job, [&](QSqlDatabase &db) {
        // The job's tasks go with its result: nothing of it is claimable any
        // more. A copy per attempt: a retry writes the result again.
        return SqlJobTable::saveResult(db, job.id, JobResult(result), pageCount, finishedAt, m_resultPieceBytes)
            && exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {job.id})
            && notify(db, Channel::Job, job.id);
    });
}

Result<void> PostgresJobStore::failTask(const JobRecord &job, const QString &error, const QDateTime &finishedAt)
{
    return runFenced(job, [&](QSqlDatabase &db) {
        return SqlJobTable::markFailed(db, job.id, error, finishedAt)
            && exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {job.id})
            && notify(db, Channel::Job, job.id);
    });
}

Result<void> PostgresJobStore::runFenced(const JobRecord &job, const Work &work)
{
    bool held = true;
    const bool ok = run(
        [&](QSqlDatabase &db) {
            held = true;
            if (job.task.id != 0) {
                // The claim's row, locked until the commit: no new claim slips
                // in between. Never waited on for long: callers include the
                // main thread.
                if (!QSqlQuery(db).exec(QStringLiteral("SET LOCAL lock_timeout = '10s'")))
                    return false; // SET takes no parameters: not a prepared statement
                QSqlQuery claim(db);
                claim.prepare(QStringLiteral("SELECT 1 FROM tasks WHERE id = ? AND owner = ? AND attempts = ? "
                                             "AND state = ? FOR UPDATE"));
                claim.addBindValue(job.task.id);
                claim.addBindValue(job.task.owner);
                claim.addBindValue(job.task.attempts);
                claim.addBindValue(value(TaskState::Running));
                if (!exec(claim))
                    return false;
                held = claim.next();
                if (!held)
                    return true; // nothing to write: another claim has the task
            }
            return work(db);
        },
        true);
    if (!held)
        return Error{ErrorCode::Conflict, QStringLiteral("Another replica took this part of the job over.")};
    if (!ok)
        return Error{ErrorCode::Unavailable, QStringLiteral("The job database could not store this; see the server log.")};
    return {};
}

bool PostgresJobStore::markFailed(const QString &id, const QString &error, const QDateTime &finishedAt)
{
    return run(
        [&](QSqlDatabase &db) {
            return SqlJobTable::markFailed(db, id, error, finishedAt)
                && exec(db, QStringLiteral("DELETE FROM tasks WHERE job_id = ?"), {id})
                && notify(db, Channel::Job, id);
        },
        true);
}

std::optional<JobResult> PostgresJobStore::result(const QString &id, bool withPdf, bool withImages)
{
    std::optional<JobResult> found;
    run([&](QSqlDatabase &db) { return SqlJobTable::selectResult(db, SqlJobTable::Dialect::Postgres, id, withPdf, withImages, &found); });
    return found;
}

bool PostgresJobStore::remove(const QString &id)
{
    bool existed = false;
    run(
        [&](QSqlDatabase &db) {
            // The replica parsing it stops when it hears this.
            return SqlJobTable::remove(db, id, &existed) && (!existed || notify(db, Channel::Cancel, id));
        },
        true);
    return existed;
}

QList<JobRecord> PostgresJobStore::allJobs()
{
    QList<JobRecord> jobs;
    run([&](QSqlDatabase &db) { return SqlJobTable::selectAll(db, SqlJobTable::Dialect::Postgres, &jobs); });
    return jobs;
}

void PostgresJobStore::saveLastAccess(const QList<QPair<QString, QDateTime>> &accesses)
{
    run(
        [&](QSqlDatabase &db) {
            for (const auto &[id, time] : accesses)
                if (!SqlJobTable::touch(db, id, time))
                    return false;
            return true;
        },
        true);
}

std::optional<JobRecord> PostgresJobStore::job(const QString &id)
{
    std::optional<JobRecord> found;
    run([&](QSqlDatabase &db) { return SqlJobTable::selectJob(db, id, &found); });
    return found;
}

bool PostgresJobStore::touch(const QString &id, const QDateTime &lastAccess)
{
    return run([&](QSqlDatabase &db) { return SqlJobTable::touch(db, id, lastAccess); });
}

std::optional<JobCounts> PostgresJobStore::counts()
{
    JobCounts counts;
    const bool ok = run([&](QSqlDatabase &db) {
        counts = JobCounts();
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
    return ok ? std::optional<JobCounts>(counts) : std::nullopt;
}

int PostgresJobStore::queuePosition(const QString &id)
{
    int position = -1;
    run([&](QSqlDatabase &db) {
        QSqlQuery query(db);
        query.prepare(QStringLiteral("SELECT (SELECT count(*) FROM jobs j WHERE j.state = ? AND j.seq < q.seq) "
                                     "FROM jobs q WHERE q.id = ? AND q.state = ?"));
        query.addBindValue(value(JobState::Queued));
        query.addBindValue(id);
        query.addBindValue(value(JobState::Queued));
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
                "WITH next AS (SELECT id FROM tasks WHERE state = ? OR (state = ? AND lease_until < now()) "
                "ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                "UPDATE tasks t SET state = ?, owner = ?, "
                "lease_until = now() + make_interval(secs => ?::double precision), attempts = t.attempts + 1 "
                "FROM next WHERE t.id = next.id "
                "RETURNING t.id, t.kind, t.first_page, t.last_page, t.attempts, t.job_id"));
            query.addBindValue(value(TaskState::Queued));
            query.addBindValue(value(TaskState::Running));
            query.addBindValue(value(TaskState::Running));
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
            task.owner = owner;
            const QString jobId = query.value(5).toString();

            // Only an unfinished job turns running.
            QSqlQuery job(db);
            job.prepare(QStringLiteral("UPDATE jobs SET state = ?, started_at = COALESCE(started_at, ?) "
                                       "WHERE id = ? AND state IN (?, ?) RETURNING %1")
                            .arg(SqlJobTable::columns()));
            job.addBindValue(value(JobState::Running));
            job.addBindValue(QDateTime::currentMSecsSinceEpoch());
            job.addBindValue(jobId);
            job.addBindValue(value(JobState::Queued));
            job.addBindValue(value(JobState::Running));
            if (!exec(job))
                return false;
            if (job.next()) {
                claimed = SqlJobTable::jobFromRow(job);
                claimed->task = task;
            }
            return notify(db, Channel::Job, jobId);
        },
        true);
    return claimed;
}

std::optional<QList<qint64>> PostgresJobStore::renewLeases(const QString &owner, const QList<qint64> &taskIds,
                                                            int leaseSeconds)
{
    if (taskIds.isEmpty())
        return QList<qint64>();
    QList<qint64> renewed;
    const bool ok = run([&](QSqlDatabase &db) {
        renewed.clear();
        QSqlQuery query(db);
        query.prepare(QStringLiteral("UPDATE tasks SET lease_until = now() + make_interval(secs => ?::double precision) "
                                     "WHERE owner = ? AND state = ? AND id = ANY(?::bigint[]) RETURNING id"));
        query.addBindValue(leaseSeconds);
        query.addBindValue(owner);
        query.addBindValue(value(TaskState::Running));
        query.addBindValue(idArray(taskIds));
        if (!exec(query))
            return false;
        while (query.next())
            renewed.append(query.value(0).toLongLong());
        return true;
    });
    return ok ? std::optional<QList<qint64>>(renewed) : std::nullopt;
}

void PostgresJobStore::releaseLeases(const QString &owner, const QList<qint64> &taskIds)
{
    if (taskIds.isEmpty())
        return;
    run(
        [&](QSqlDatabase &db) {
            return exec(db,
                        QStringLiteral("UPDATE tasks SET state = ?, owner = NULL, lease_until = NULL, "
                                       "attempts = greatest(0, attempts - 1) "
                                       "WHERE owner = ? AND state = ? AND id = ANY(?::bigint[])"),
                        {value(TaskState::Queued), owner, value(TaskState::Running), idArray(taskIds)})
                && notify(db, Channel::Work, QString());
        },
        true);
}

Result<void> PostgresJobStore::splitTask(const JobRecord &job, const QList<JobTask> &tasks, int pagesTotal)
{
    return runFenced(job, [&](QSqlDatabase &db) {
        if (!exec(db, QStringLiteral("DELETE FROM tasks WHERE id = ?"), {job.task.id})
            || !exec(db, QStringLiteral("UPDATE jobs SET pages_total = ? WHERE id = ?"), {pagesTotal, job.id}))
            return false;
        for (const JobTask &task : tasks)
            if (!exec(db,
                      QStringLiteral("INSERT INTO tasks (job_id, kind, first_page, last_page, state) VALUES (?, ?, ?, ?, ?)"),
                      {job.id, value(task.kind), task.firstPage, task.lastPage, initialState(task)}))
                return false;
        return notify(db, Channel::Work, QString()) && notify(db, Channel::Job, job.id);
    });
}

Result<void> PostgresJobStore::saveBatch(const JobRecord &job, const QByteArray &layouts, int pages)
{
    const QString &jobId = job.id;
    const qint64 taskId = job.task.id;
    return runFenced(job, [&](QSqlDatabase &db) {
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
        done.prepare(QStringLiteral("UPDATE tasks SET state = ?, layouts = ?, owner = NULL, lease_until = NULL "
                                    "WHERE id = ? AND state <> ?"));
        done.addBindValue(value(TaskState::Done));
        done.addBindValue(layouts);
        done.addBindValue(taskId);
        done.addBindValue(value(TaskState::Done));
        if (!exec(done))
            return false;
        if (done.numRowsAffected() == 0)
            return true; // another replica's copy of this batch got here first
        QSqlQuery merge(db);
        merge.prepare(QStringLiteral("UPDATE tasks SET state = ? WHERE job_id = ? AND kind = ? AND state = ? "
                                     "AND NOT EXISTS (SELECT 1 FROM tasks WHERE job_id = ? AND kind = ? "
                                     "AND state <> ?)"));
        merge.addBindValue(value(TaskState::Queued));
        merge.addBindValue(jobId);
        merge.addBindValue(value(TaskKind::Merge));
        merge.addBindValue(value(TaskState::Waiting));
        merge.addBindValue(jobId);
        merge.addBindValue(value(TaskKind::Pages));
        merge.addBindValue(value(TaskState::Done));
        if (!exec(db, QStringLiteral("UPDATE jobs SET pages_done = pages_done + ? WHERE id = ?"), {pages, jobId})
            || !exec(merge))
            return false;
        return notify(db, Channel::Job, jobId)
            && (merge.numRowsAffected() == 0 || notify(db, Channel::Work, QString()));
    });
}

Result<void> PostgresJobStore::readBatches(const QString &jobId,
                                          const std::function<bool(const QByteArray &)> &take)
{
    QList<qint64> ids;
    bool complete = true;
    const bool listed = run([&](QSqlDatabase &db) {
        ids.clear();
        complete = true;
        QSqlQuery query(db);
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT id, state FROM tasks WHERE job_id = ? AND kind = ? ORDER BY first_page"));
        query.addBindValue(jobId);
        query.addBindValue(value(TaskKind::Pages));
        if (!exec(query))
            return false;
        while (query.next()) {
            ids.append(query.value(0).toLongLong());
            complete = complete && query.value(1).toInt() == static_cast<int>(TaskState::Done);
        }
        return true;
    });
    if (!listed)
        return Error{ErrorCode::Unavailable, QStringLiteral("The job database could not list the batches.")};
    if (ids.isEmpty() || !complete)
        return Error{ErrorCode::NotFound, QStringLiteral("The job's batches are gone or not all in.")};
    for (const qint64 id : std::as_const(ids)) {
        QByteArray layouts;
        bool found = false;
        const bool read = run([&](QSqlDatabase &db) {
            QSqlQuery query(db);
            query.setForwardOnly(true);
            query.prepare(QStringLiteral("SELECT layouts FROM tasks WHERE id = ?"));
            query.addBindValue(id);
            if (!exec(query))
                return false;
            found = query.next();
            if (found)
                layouts = query.value(0).toByteArray();
            return true;
        });
        if (!read)
            return Error{ErrorCode::Unavailable, QStringLiteral("The job database could not read a batch.")};
        if (!found)
            return Error{ErrorCode::NotFound, QStringLiteral("The job's batches are gone.")};
        if (!take(layouts))
            return Error{ErrorCode::InvalidInput,
                         QStringLiteral("A batch of pages was stored in a form this version cannot read.")};
    }
    return {};
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
            // Only finished jobs expire: queued and running ones are still wanted.
            expired.prepare(QStringLiteral("DELETE FROM jobs WHERE last_access < ? AND state IN (?, ?) RETURNING id"));
            expired.addBindValue(msecs(cutoff));
            expired.addBindValue(value(JobState::Completed));
            expired.addBindValue(value(JobState::Failed));
            if (!exec(expired))
                return false;
            while (expired.next())
                removed.append(expired.value(0).toString());
            for (const QString &id : std::as_const(removed))
                if (!notify(db, Channel::Cancel, id))
                    return false;
            return true;
        },
        true);
    return removed;
}

bool PostgresJobStore::subscribe()
{
    QSqlDatabase db = m_connections.connection(QStringLiteral("listen"));
    if (!db.isOpen() && !db.open())
        return false;
    QSqlDriver *driver = db.driver();
    for (const Channel channel : kChannels)
        if (!driver->subscribedToNotifications().contains(channelName(channel))
            && !driver->subscribeToNotification(channelName(channel)))
            return false;
    if (!m_listenerConnected) {
        QObject::connect(driver, &QSqlDriver::notification, m_listenContext,
                         [this](const QString &name, QSqlDriver::NotificationSource, const QVariant &payload) {
                             for (const Channel channel : kChannels)
                                 if (name == channelName(channel))
                                     m_listener(channel, payload.toString());
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
    QSqlDatabase db = m_connections.connection(QStringLiteral("listen"));
    if (db.isOpen() && QSqlQuery(db).exec(QStringLiteral("SELECT 1")))
        return false;
    db.close();
    if (subscribe())
        qCInfo(lcPostgres) << "listening again after the database connection was lost";
    return true;
}

} // namespace DocRay
