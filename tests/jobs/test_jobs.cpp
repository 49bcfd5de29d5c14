// The job layer on a real SQLite file: storage, the worker pool, durability
// across restarts, TTL expiry and cancellation.
#include "engine/core/packedbytes.h"
#include "engine/jobs/executors/jobrunner.h"
#include "engine/jobs/executors/picturespool.h"
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "tests/jobs/largeresult.h"
#include "tests/support/testsupport.h"

#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <future>
#include <thread>

using namespace DocRay;

namespace {

std::unique_ptr<JobStateManager> makeManager(const QString &dir, int workers = 1, int ttl = 1800,
                                             int cleanup = 300)
{
    JobManagerSettings settings;
    settings.workers = workers;
    settings.jobTtlSeconds = ttl;
    settings.cleanupIntervalSeconds = cleanup;
    return std::make_unique<JobStateManager>(
        std::make_unique<SqliteJobStore>(dir + QStringLiteral("/jobs.sqlite")), settings);
}

QString submitPdf(JobStateManager &jobs, const QByteArray &pdf, const QString &name = QStringLiteral("doc.pdf"))
{
    const Result<QString> id = jobs.submit(name, pdf, DocumentFormat::Pdf, ParserParams());
    if (!id)
        qWarning() << "submit failed:" << id.errorMessage();
    return id.ok() ? *id : QString();
}

// A PDF job as submitted, for a store's own tests.
JobRecord pdfJob(const QString &id, const QString &fileName)
{
    JobRecord job;
    job.id = id;
    job.fileName = fileName;
    job.format = QStringLiteral("pdf");
    job.createdAt = job.lastAccess = QDateTime::currentDateTimeUtc();
    return job;
}

bool finished(JobStateManager &jobs, const QString &id)
{
    const auto job = jobs.job(id, false);
    return job && isFinished(job->state);
}

} // namespace

class TestJobs : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A worker reads a PDF upload from a file of its own, unlinked as soon
    // as it is made: nothing is left in the temporary folder, whatever
    // becomes of the worker. Where no file can be made the job fails with
    // the reason; it is not taken for cancelled.
    void workersReadUploadsFromFilesTheyLeaveNothingOf()
    {
        QTemporaryDir dir, temp;
        SqliteJobStore store(dir.filePath(QStringLiteral("jobs.sqlite")));
        QVERIFY(store.open().ok());
        const JobRecord job = pdfJob(QStringLiteral("spooled"), QStringLiteral("three.pdf"));
        const QByteArray pdf = Test::multiPagePdf(3);
        QVERIFY(store.insertJob(job, pdf));
        // A thread of its own each: a worker thread keeps its file for its next job.
        const QByteArray tmpdir = qgetenv("TMPDIR");
        auto parseWithTemp = [&](const QString &folder) {
            ParseOutcome outcome;
            std::thread worker([&] {
                qputenv("TMPDIR", QFile::encodeName(folder));
                outcome = parseStoredJob(store, job, ParseControl(), ParseLimits());
            });
            worker.join();
            qputenv("TMPDIR", tmpdir);
            return outcome;
        };

        const ParseOutcome parsed = parseWithTemp(temp.path());
        QVERIFY2(parsed.ok, qPrintable(parsed.error));
        QCOMPARE(parsed.pageCount, 3);
        const std::optional<JobResult> result = store.result(job.id, true, false);
        QVERIFY(result);
        QVERIFY2(result->markdown.contains("page-3-marker"), result->markdown.constData());
        QVERIFY(result->pdfData == pdf); // the upload itself, not stored twice
        QCOMPARE(QDir(temp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());

        // A "folder" that is a file: no file can be made in it, as root either.
        const QString notAFolder = temp.filePath(QStringLiteral("file"));
        QFile blocker(notAFolder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const ParseOutcome refused = parseWithTemp(notAFolder);
        QVERIFY(!refused.ok && !refused.cancelled);
        QVERIFY2(refused.error.contains(QStringLiteral("No scratch file could be made")), qPrintable(refused.error));
    }

    // A parse's pictures wait in a scratch file with no name until the
    // result is stored: the images' JSON is the one the pictures in memory
    // give, with the result's own pictures among them (a name in both: the
    // result's), and nothing is left in the temporary folder.
    void picturesWaitInAScratchFile()
    {
        QTemporaryDir temp;
        const QByteArray tmpdir = qgetenv("TMPDIR");
        qputenv("TMPDIR", QFile::encodeName(temp.path()));
        QMap<QString, QByteArray> all;
        for (int i = 0; i < 40; ++i)
            all.insert(QStringLiteral("images/%1_figure_1.png").arg(i), QByteArray(1000 + 97 * i, char(i)));
        QMap<QString, QByteArray> own{{QStringLiteral("images/b.png"), "own"}, {QStringLiteral("images/3_figure_1.png"), "own 3"}};
        QByteArray packed;
        {
            PictureSpool spool;
            const PictureSink sink = spool.sink();
            for (auto it = all.cbegin(); it != all.cend(); ++it)
                sink(it.key(), it.value());
            const Result<QByteArray> json = spool.packedJson(own);
            QVERIFY2(json.ok(), qPrintable(json.errorMessage()));
            packed = *json;
            QCOMPARE(QDir(temp.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden), QStringList());
        }
        qputenv("TMPDIR", tmpdir);
        all.insert(own);
        QCOMPARE(unpack(packed), JobResult::encodeImages(all));
    }

    // The images' JSON is written by hand: it must be the JSON object a
    // client reads, keys sorted, names escaped, and decode to the bytes.
    void imagesJsonIsTheObjectClientsRead()
    {
        QMap<QString, QByteArray> images;
        images.insert(QStringLiteral("images/2_table_1.png"), QByteArray("\x89PNG\r\n\x1a\n\0\xff binary", 18));
        images.insert(QStringLiteral("images/10_figure_1.png"), QByteArray(70000, '\x7f'));
        images.insert(QStringLiteral("images/\"odd\\name\u00e9\n.png"), QByteArray("x"));
        images.insert(QStringLiteral("images/empty.png"), QByteArray());
        QJsonObject expected;
        for (auto it = images.cbegin(); it != images.cend(); ++it)
            expected.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
        const QByteArray json = JobResult::encodeImages(images);
        QCOMPARE(json, QJsonDocument(expected).toJson(QJsonDocument::Compact));
        JobResult result;
        result.imagesJson = json;
        QCOMPARE(result.images(), images);
        QCOMPARE(JobResult::encodeImages({}), QByteArray("{}"));
        // As a parse hands them to the store: the same JSON, as it is while
        // short, packed once it is long.
        QCOMPARE(JobResult::packImages(images), json);
        QCOMPARE(JobResult::packImages({}), QByteArray("{}"));
        images.insert(QStringLiteral("images/11_figure_1.png"), QByteArray(kPackFromBytes, '\x3c'));
        const QByteArray packed = JobResult::packImages(images);
        QVERIFY(isPacked(packed));
        QCOMPARE(unpack(packed), JobResult::encodeImages(images));
    }

    void storeRoundTrip()
    {
        QTemporaryDir dir;
        SqliteJobStore store(dir.filePath(QStringLiteral("jobs.sqlite")));
        const Result<void> opened = store.open();
        QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));

        JobRecord job;
        job.id = QStringLiteral("job-1");
        job.fileName = QStringLiteral("a.pdf");
        job.format = QStringLiteral("pdf");
        job.createdAt = job.lastAccess = QDateTime::currentDateTimeUtc();
        job.parserParams = QJsonObject{{QStringLiteral("lang"), QStringLiteral("deu")}};
        QVERIFY(store.insertJob(job, "%PDF-upload"));
        QCOMPARE(Test::storedUpload(store, job.id), QByteArray("%PDF-upload"));
        QVERIFY(!store.result(job.id, true, true)); // not completed yet

        JobResult result;
        result.markdown = "# Hello";
        result.middleJson = "{\"pdf_info\":[]}";
        result.imagesJson = "{}";
        QVERIFY(store.saveResult(job, result, 3, QDateTime::currentDateTimeUtc()).ok());
        const auto stored = store.result(job.id, true, true);
        QVERIFY(stored);
        QCOMPARE(stored->markdown, QByteArray("# Hello"));
        QCOMPARE(stored->pdfData, QByteArray("%PDF-upload")); // the upload is the PDF
        QVERIFY(store.result(job.id, false, false)->pdfData.isEmpty());

        const QList<JobRecord> all = store.allJobs();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().state, JobState::Completed);
        QCOMPARE(all.first().pagesTotal, 3);
        QCOMPARE(all.first().parserParams.value(QStringLiteral("lang")).toString(), QStringLiteral("deu"));

        store.remove(job.id);
        QVERIFY(store.allJobs().isEmpty());
        // A result for a deleted job must not bring it back.
        QVERIFY(store.saveResult(job, result, 1, QDateTime::currentDateTimeUtc()).ok());
        QVERIFY(store.allJobs().isEmpty());
    }

    // A worker's write finds another process in the middle of a commit now
    // and then: it waits the other out and then lands, all its statements.
    void writeWaitsOutAnotherConnectionsTransaction()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jobs.sqlite"));
        SqliteJobStore store(path);
        QVERIFY(store.open().ok());
        QVERIFY(store.insertJob(pdfJob(QStringLiteral("job-1"), QStringLiteral("a.pdf")), "%PDF-upload"));

        std::promise<void> holding;
        std::thread holder([&path, &holding] {
            {
                QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("holder"));
                db.setDatabaseName(path);
                QSqlQuery query(db.open() ? db : QSqlDatabase());
                query.exec(QStringLiteral("BEGIN IMMEDIATE"));
                query.exec(QStringLiteral("UPDATE jobs SET file_name = 'renamed.pdf' WHERE id = 'job-1'"));
                holding.set_value();
                std::this_thread::sleep_for(std::chrono::milliseconds(300));
                query.exec(QStringLiteral("COMMIT"));
            }
            QSqlDatabase::removeDatabase(QStringLiteral("holder"));
        });
        holding.get_future().wait();
        const bool marked = store.markRunning(QStringLiteral("job-1"), QDateTime::currentDateTimeUtc());
        holder.join();
        QVERIFY(marked);
        const QList<JobRecord> all = store.allJobs();
        QCOMPARE(all.size(), 1);
        QCOMPARE(all.first().fileName, QStringLiteral("renamed.pdf"));
        QCOMPARE(all.first().state, JobState::Running);
        QCOMPARE(all.first().task.attempts, 1);
    }

    // A result's large values go in rows of their own, a few MB each (here
    // 1,000 bytes): SQLite never builds the whole result as one row. They
    // come back whole, and go with a retry and with the job.
    void largeResultIsStoredInPieces()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jobs.sqlite"));
        SqliteJobStore store(path, 1000);
        QVERIFY(store.open().ok());
        const Test::LargeResult large = Test::largeResult();
        const QByteArray upload = Test::largeUpload();
        QVERIFY(store.insertJob(large.job, upload));
        QVERIFY(Test::storedUpload(store, large.job.id) == upload); // read through SQLite's blob I/O
        QVERIFY(large.result.middleJson.size() > 1000);
        QVERIFY(store.saveResult(large.job, large.result, 3, QDateTime::currentDateTimeUtc()).ok());

        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("pieces"));
        db.setDatabaseName(path);
        QVERIFY(db.open());
        const auto pieces = [&db](const QString &part) {
            QSqlQuery query(db);
            query.prepare(QStringLiteral("SELECT count(*), max(length(data)) FROM result_pieces WHERE part = ?"));
            query.addBindValue(part);
            return query.exec() && query.next() ? QPair<int, int>(query.value(0).toInt(), query.value(1).toInt())
                                                : QPair<int, int>(-1, -1);
        };
        QCOMPARE(pieces(QStringLiteral("pdf_data")), (QPair<int, int>(4, 1000)));
        QVERIFY(pieces(QStringLiteral("images_json")).first >= 2);
        QVERIFY(pieces(QStringLiteral("middle_json")).first >= 2);
        QVERIFY(pieces(QStringLiteral("markdown")).first >= 10);
        QVERIFY(store.result(large.job.id, false, false)->markdown.contains("第399段：实验结果与预期一致。"));

        QVERIFY(large.cameBack(store.result(large.job.id, true, true)));
        QCOMPARE(store.result(large.job.id, false, false)->middleJson, large.middleJson);
        QVERIFY(store.result(large.job.id, false, false)->pdfData.isNull());

        // Written again (a retry), the pieces are replaced, not added to.
        QVERIFY(store.saveResult(large.job, large.result, 3, QDateTime::currentDateTimeUtc()).ok());
        QCOMPARE(store.result(large.job.id, true, true)->pdfData, large.pdf);
        QCOMPARE(pieces(QStringLiteral("pdf_data")).first, 4);
        QVERIFY(store.requeue(large.job.id));
        QCOMPARE(pieces(QStringLiteral("pdf_data")).first, 0);
        QVERIFY(store.saveResult(large.job, large.result, 3, QDateTime::currentDateTimeUtc()).ok());
        QVERIFY(store.remove(large.job.id));
        QCOMPARE(pieces(QStringLiteral("middle_json")).first, 0);
        // A result for a deleted job keeps nothing of it.
        QVERIFY(store.saveResult(large.job, large.result, 3, QDateTime::currentDateTimeUtc()).ok());
        QCOMPARE(pieces(QStringLiteral("middle_json")).first, 0);
        QCOMPARE(pieces(QStringLiteral("pdf_data")).first, 0);
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("pieces"));
    }

    // A large PDF's batches wait in the store in page order until the job's
    // result is in; a missing batch is not a whole document.
    void batchesAreKeptInPageOrderUntilTheResult()
    {
        QTemporaryDir dir;
        SqliteJobStore store(dir.filePath(QStringLiteral("jobs.sqlite")));
        QVERIFY(store.open().ok());
        const JobRecord job = pdfJob(QStringLiteral("job-b"), QStringLiteral("big.pdf"));
        QVERIFY(store.insertJob(job, "%PDF-big"));
        auto batch = [&job](int first) {
            JobRecord part = job;
            part.task.kind = TaskKind::Pages;
            part.task.firstPage = first;
            part.task.lastPage = first + 1;
            return part;
        };
        QVERIFY(store.saveBatch(batch(4), "pages 5-6", 2).ok());
        QVERIFY(store.saveBatch(batch(0), "pages 1-2", 2).ok());
        QStringList read;
        auto take = [&read](const QByteArray &layouts) {
            read.append(QString::fromLatin1(layouts));
            return true;
        };
        QCOMPARE(store.readBatches(job.id, take).error().code, ErrorCode::NotFound); // pages 3-4 are missing
        QVERIFY(store.saveBatch(batch(2), "pages 3-4", 2).ok());
        read.clear();
        QVERIFY(store.readBatches(job.id, take).ok());
        QCOMPARE(read, (QStringList{QStringLiteral("pages 1-2"), QStringLiteral("pages 3-4"), QStringLiteral("pages 5-6")}));
        QVERIFY(store.saveResult(job, JobResult{"# Big", "{}", "{}", {}}, 6, QDateTime::currentDateTimeUtc()).ok());
        QCOMPARE(store.readBatches(job.id, take).error().code, ErrorCode::NotFound);
        // A deleted job keeps no batch stored after its deletion.
        QVERIFY(store.remove(job.id));
        QVERIFY(store.saveBatch(batch(0), "late", 2).ok());
        QCOMPARE(store.readBatches(job.id, take).error().code, ErrorCode::NotFound);
    }

    // A database written by the version before uploads had a table of
    // their own opens with its jobs, uploads and results whole.
    void earlierDatabaseIsBroughtUp()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("jobs.sqlite"));
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("earlier"));
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral(
                "CREATE TABLE jobs (id TEXT PRIMARY KEY, file_name TEXT NOT NULL, format TEXT NOT NULL, "
                "parser_params TEXT NOT NULL, state INTEGER NOT NULL, error TEXT, pages_done INTEGER NOT NULL DEFAULT 0, "
                "pages_total INTEGER NOT NULL DEFAULT 0, upload_size INTEGER NOT NULL, created_at INTEGER NOT NULL, "
                "started_at INTEGER, finished_at INTEGER, last_access INTEGER NOT NULL, markdown TEXT, middle_json BLOB, "
                "images_json BLOB, pdf_data BLOB, upload BLOB NOT NULL, attempts INTEGER NOT NULL DEFAULT 0)")));
            const qint64 now = QDateTime::currentMSecsSinceEpoch();
            QVERIFY(query.exec(QStringLiteral("INSERT INTO jobs (id, file_name, format, parser_params, state, upload_size, "
                                              "created_at, last_access, markdown, middle_json, images_json, upload) VALUES "
                                              "('done', 'a.pdf', 'pdf', '{}', 2, 8, %1, %1, '# A', '{}', '{}', x'255044462d41')")
                                   .arg(now)));
            QVERIFY(query.exec(QStringLiteral("INSERT INTO jobs (id, file_name, format, parser_params, state, upload_size, "
                                              "created_at, last_access, upload) VALUES "
                                              "('waiting', 'b.pdf', 'pdf', '{}', 0, 6, %1, %1, x'255044462d42')")
                                   .arg(now + 1)));
            QVERIFY(query.exec(QStringLiteral("PRAGMA user_version=2")));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("earlier"));
        SqliteJobStore store(path);
        const Result<void> opened = store.open();
        QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));
        QCOMPARE(store.allJobs().size(), 2);
        QCOMPARE(Test::storedUpload(store, QStringLiteral("waiting")), QByteArray("%PDF-B"));
        const auto done = store.result(QStringLiteral("done"), true, true);
        QVERIFY(done);
        QCOMPARE(done->markdown, QByteArray("# A"));
        QCOMPARE(done->pdfData, QByteArray("%PDF-A"));
        QVERIFY(store.remove(QStringLiteral("done")));
        QVERIFY(Test::storedUpload(store, QStringLiteral("done")).isEmpty());
        // Opened again: nothing left to bring up.
        SqliteJobStore again(path);
        QVERIFY(again.open().ok());
        QCOMPARE(Test::storedUpload(again, QStringLiteral("waiting")), QByteArray("%PDF-B"));
    }

    void jobRunsToCompletionWithSignals()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path());
        QString error;
        const Result<void> started = jobs->start();
        QVERIFY2(started.ok(), qPrintable(started.errorMessage()));
        QSignalSpy added(jobs.get(), &JobStateManager::jobAdded);
        QSignalSpy updated(jobs.get(), &JobStateManager::jobUpdated);

        const QString id = submitPdf(*jobs, Test::multiPagePdf(4));
        QVERIFY(!id.isEmpty());
        QCOMPARE(added.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 30000);
        const auto job = jobs->job(id);
        QCOMPARE(job->state, JobState::Completed);
        QCOMPARE(job->pagesDone, 4);
        QCOMPARE(job->pagesTotal, 4);
        QVERIFY(updated.count() >= 5); // running + per-page progress + completed
        const auto result = jobs->result(id);
        QVERIFY(result);
        QVERIFY(result->markdown.contains("page-4-marker"));
        QVERIFY(result->pdfData.startsWith("%PDF"));
    }

    void failedParseFailsTheJobWithItsMessage()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path());
        QVERIFY(jobs->start().ok());
        const QString id = submitPdf(*jobs, "%PDF-1.4 nothing else", QStringLiteral("broken.pdf"));
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 30000);
        QCOMPARE(jobs->job(id)->state, JobState::Failed);
        QVERIFY(jobs->job(id)->error.contains(QStringLiteral("not a readable PDF")));
        QVERIFY(!jobs->result(id));
    }

    void queueIsFifo()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path(), 1);
        QVERIFY(jobs->start().ok());
        QStringList order;
        connect(jobs.get(), &JobStateManager::jobUpdated, this, [&](const QString &id) {
            if (jobs->job(id, false)->state == JobState::Completed)
                order.append(id);
        });
        QStringList ids;
        for (int i = 0; i < 5; ++i)
            ids.append(submitPdf(*jobs, Test::multiPagePdf(2)));
        QCOMPARE(jobs->queuePosition(ids.last()), 3); // one running, three ahead of it
        QTRY_COMPARE_WITH_TIMEOUT(order.size(), 5, 30000);
        QCOMPARE(order, ids);
    }

    void unfinishedJobsSurviveARestart()
    {
        QTemporaryDir dir;
        QStringList ids;
        {
            auto jobs = makeManager(dir.path(), 1);
            QVERIFY(jobs->start().ok());
            for (int i = 0; i < 3; ++i)
                ids.append(submitPdf(*jobs, Test::multiPagePdf(30)));
            QVERIFY(!finished(*jobs, ids.last()));
            // Destroyed with one job running and two queued.
        }
        auto jobs = makeManager(dir.path(), 2);
        QVERIFY(jobs->start().ok());
        QCOMPARE(jobs->jobs().size(), 3);
        for (const QString &id : std::as_const(ids)) {
            QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 60000);
            QCOMPARE(jobs->job(id)->state, JobState::Completed);
            QVERIFY(jobs->result(id)->markdown.contains("page-30-marker"));
        }
    }

    void untouchedJobsExpire()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path(), 1, /*ttl*/ 1, /*cleanup*/ 1);
        QVERIFY(jobs->start().ok());
        QSignalSpy removed(jobs.get(), &JobStateManager::jobRemoved);
        const QString id = submitPdf(*jobs, Test::multiPagePdf(1));
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 30000);
        QTRY_COMPARE_WITH_TIMEOUT(removed.count(), 1, 5000);
        QCOMPARE(removed.first().first().toString(), id);
        QVERIFY(!jobs->job(id));
        QVERIFY(SqliteJobStore(dir.path() + QStringLiteral("/jobs.sqlite")).allJobs().isEmpty());
    }

    void touchedJobsDoNotExpire()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path(), 1, /*ttl*/ 2, /*cleanup*/ 1);
        QVERIFY(jobs->start().ok());
        const QString id = submitPdf(*jobs, Test::multiPagePdf(1));
        QElapsedTimer clock;
        clock.start();
        while (clock.elapsed() < 3500) { // longer than the TTL, reading all along
            QVERIFY(jobs->job(id));
            QTest::qWait(300);
        }
        QTRY_VERIFY_WITH_TIMEOUT(!jobs->job(id, false), 5000); // and gone once left alone
    }

    // A worker started just as its service went away (its data folder
    // removed with it) finds no job database: it says so and exits, and
    // makes neither the folder nor the database again.
    void workerWithoutItsDatabaseLeavesNothingBehind()
    {
        QTemporaryDir parent;
        const QString gone = parent.filePath(QStringLiteral("data"));
        QProcess worker;
        worker.start(Test::docRayBinary(), {QStringLiteral("worker"), QStringLiteral("--data-dir"), gone});
        QVERIFY(worker.waitForFinished(30000));
        QCOMPARE(worker.exitCode(), 1);
        QVERIFY2(worker.readAllStandardError().contains("no job database"), "the worker says why it stopped");
        QVERIFY(!QFileInfo::exists(gone));
    }

    // A client that never polls (it waits for its callback) must not lose a
    // job that waits in a long queue or parses for longer than the TTL.
    void queuedAndRunningJobsDoNotExpire()
    {
        QTemporaryDir dir;
        JobManagerSettings settings;
        settings.jobTtlSeconds = 1;
        settings.cleanupIntervalSeconds = 1;
        settings.workerProgram = Test::docRayBinary();
        settings.workerArguments = {QStringLiteral("worker"), QStringLiteral("--data-dir"), dir.path()};
        // The worker parsing "hangjob.pdf" never finishes on its own.
        settings.workerEnvironment = QProcessEnvironment::systemEnvironment();
        settings.workerEnvironment.insert(QStringLiteral("DOCRAY_INJECT_FAULT"), QStringLiteral("hang:hangjob"));
        JobStateManager jobs(std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        QVERIFY(jobs.start().ok());
        const QString running = submitPdf(jobs, Test::multiPagePdf(1), QStringLiteral("hangjob.pdf"));
        const QString queued = submitPdf(jobs, Test::multiPagePdf(1));
        QCOMPARE(jobs.job(running, false)->state, JobState::Running);
        QTest::qWait(2500); // two sweeps past the TTL, nobody reading
        QCOMPARE(jobs.job(running, false)->state, JobState::Running);
        QCOMPARE(jobs.job(queued, false)->state, JobState::Queued);
        QVERIFY(jobs.remove(running));
        QTRY_VERIFY_WITH_TIMEOUT(finished(jobs, queued), 30000);
        QTRY_VERIFY_WITH_TIMEOUT(!jobs.job(queued, false), 5000); // finished and untouched: now it expires
    }

    void workerThatCannotStartFailsItsJob()
    {
        QTemporaryDir dir;
        JobManagerSettings settings;
        settings.workerProgram = dir.filePath(QStringLiteral("no-such-worker"));
        JobStateManager jobs(std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        QVERIFY(jobs.start().ok());
        const QString id = submitPdf(jobs, Test::multiPagePdf(1));
        QTRY_VERIFY_WITH_TIMEOUT(finished(jobs, id), 10000);
        QCOMPARE(jobs.job(id)->state, JobState::Failed);
        QVERIFY2(jobs.job(id)->error.contains(QStringLiteral("could not be started")), qPrintable(jobs.job(id)->error));
    }

    void removingARunningJobCancelsIt()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path(), 1);
        QVERIFY(jobs->start().ok());
        const QString big = submitPdf(*jobs, Test::multiPagePdf(400));
        const QString next = submitPdf(*jobs, Test::multiPagePdf(1));
        QTRY_VERIFY_WITH_TIMEOUT(jobs->job(big, false)->pagesDone > 0, 30000);
        QVERIFY(jobs->remove(big));
        QVERIFY(!jobs->job(big));
        QVERIFY(!jobs->remove(big));
        // The slot frees long before 400 pages could have been parsed.
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, next), 30000);
        QCOMPARE(jobs->job(next)->state, JobState::Completed);
        QCOMPARE(jobs->jobs().size(), 1);
    }

    void retryRequeuesAFailedJob()
    {
        QTemporaryDir dir;
        auto jobs = makeManager(dir.path(), 1);
        QVERIFY(jobs->start().ok());
        const QString id = submitPdf(*jobs, "%PDF-1.4 broken", QStringLiteral("broken.pdf"));
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 30000);
        QVERIFY(jobs->retry(id));
        QVERIFY(!jobs->retry(id)); // already queued again
        QTRY_VERIFY_WITH_TIMEOUT(finished(*jobs, id), 30000);
        QCOMPARE(jobs->job(id)->state, JobState::Failed);
    }
};

QTEST_MAIN(TestJobs)
#include "test_jobs.moc"
