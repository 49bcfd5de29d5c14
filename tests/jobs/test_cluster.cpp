// Cluster mode through the real executable: three replicas on one
// PostgreSQL database (DOCRAY_TEST_DATABASE_URL, started by
// tools/test-postgres.sh), submitting to one and reading from another,
// losing a replica and the database mid-parse, batched PDFs, and a burst.
#include "engine/core/packedbytes.h"
#include "engine/jobs/stores/postgresjobstore.h"
#include "tests/support/testdatabase.h"
#include "tests/jobs/largeresult.h"
#include "tests/support/testsupport.h"

#include <QDeadlineTimer>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-cluster";

QUrl route(const QUrl &base, const QString &path)
{
    return base.resolved(QUrl(path));
}

QString submit(QNetworkAccessManager &network, const QUrl &base, const QByteArray &data, const QByteArray &name)
{
    return httpRequest(network, "POST", route(base, QStringLiteral("/submit")),
                       Test::multipartBody({{"file", name, data}}, kBoundary), Test::multipartContentType(kBoundary))
        .json()
        .value(QStringLiteral("job_id"))
        .toString();
}

// Polls until the job is finished; answers other than 200 (a database that
// is restarting says 503) are waited out, not taken for the job's end.
QJsonObject waitFinished(QNetworkAccessManager &network, const QUrl &base, const QString &id, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject status;
    while (!deadline.hasExpired()) {
        const Test::HttpReply reply = httpRequest(network, "GET", route(base, QStringLiteral("/status/") + id), {}, {}, 5000);
        if (reply.status == 200) {
            status = reply.json();
            if (status.value(QStringLiteral("status")).toString() != QLatin1String("processing"))
                return status;
        }
        QTest::qWait(100);
    }
    return status;
}

QString markdownOf(QNetworkAccessManager &network, const QUrl &base, const QString &id)
{
    return httpRequest(network, "GET", route(base, QStringLiteral("/result/%1?exclude=pdf_data").arg(id)))
        .json()
        .value(QStringLiteral("result"))
        .toObject()
        .value(QStringLiteral("markdown"))
        .toString();
}

} // namespace

class TestCluster : public QObject
{
    Q_OBJECT

private:
    QString m_url;
    QNetworkAccessManager m_network;
    QList<std::shared_ptr<QTemporaryDir>> m_dirs;
    QList<std::shared_ptr<Test::ServerProcess>> m_replicas;

    std::shared_ptr<Test::ServerProcess> startReplica()
    {
        auto dir = std::make_shared<QTemporaryDir>();
        // Leases of 6 s: short enough that a killed or stalled replica's work
        // moves on within the tests, long enough that a replica merely slowed
        // by the others on a 2-core machine keeps its claims.
        auto replica = std::make_shared<Test::ServerProcess>(
            dir->path(), QStringList{QStringLiteral("--database"), m_url, QStringLiteral("--workers"),
                                     QStringLiteral("1"), QStringLiteral("--lease-seconds"), QStringLiteral("6"),
                                     QStringLiteral("--batch-pages"), QStringLiteral("8"),
                                     QStringLiteral("--callback-allow-host"), QStringLiteral("127.0.0.1:*")});
        QString error;
        if (!replica->start(&error))
            qFatal("replica did not start: %s", qPrintable(error));
        m_dirs.append(dir);
        return replica;
    }

    QSqlDatabase database()
    {
        if (QSqlDatabase::contains(QStringLiteral("test")))
            return QSqlDatabase::database(QStringLiteral("test"));
        return Test::openTestDatabase(m_url, QStringLiteral("test"));
    }

    // Which replica's log says it claimed work of this job.
    int holderOf(const QString &id) const
    {
        for (int i = 0; i < m_replicas.size(); ++i)
            if (m_replicas[i] && m_replicas[i]->output().contains(QStringLiteral("job %1 claimed").arg(id)))
                return i;
        return -1;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_url = qEnvironmentVariable("DOCRAY_TEST_DATABASE_URL");
        // Never skipped: the test command always starts a database.
        if (m_url.isEmpty())
            QFAIL("DOCRAY_TEST_DATABASE_URL is not set: start PostgreSQL with "
                  "eval \"$(bash tools/test-postgres.sh start)\" first");
        QSqlQuery drop(database());
        QVERIFY2(drop.exec(QStringLiteral("DROP TABLE IF EXISTS result_pieces, tasks, jobs, docray_meta")),
                 qPrintable(drop.lastError().text()));
        for (int i = 0; i < 3; ++i)
            m_replicas.append(startReplica());
    }

    // A result larger than the store's pieces is written piece by piece and
    // read back whole: the packed JSONs and a PDF of its own. (The job has
    // no task, so no replica claims it.)
    void largeResultIsStoredInPieces()
    {
        PostgresJobStore store(m_url, 0, 1000);
        QVERIFY2(store.open().ok(), "cannot open the store");
        const Test::LargeResult large = Test::largeResult();
        const QByteArray upload = Test::largeUpload();
        QVERIFY(store.insertJob(large.job, upload, {}));
        QVERIFY(Test::storedUpload(store, large.job.id) == upload); // read in slices
        QVERIFY(large.result.middleJson.size() > 1000);
        QVERIFY(store.saveResult(large.job, large.result, 3, QDateTime::currentDateTimeUtc()).ok());
        QVERIFY(large.cameBack(store.result(large.job.id, true, true)));
        QVERIFY(store.remove(large.job.id));
    }

    // The schema keeps uploads uncompressed and they are read in slices; a
    // value compressed in a table made before is read whole, and both read
    // back exactly.
    void uploadsReadBackStoredEitherWay()
    {
        PostgresJobStore store(m_url, 0, 1000);
        QVERIFY2(store.open().ok(), "cannot open the store");
        QSqlQuery query(database());
        const auto storedSize = [&query](const QString &id) {
            query.prepare(QStringLiteral("SELECT pg_column_size(upload) FROM jobs WHERE id = ?"));
            query.addBindValue(id);
            return query.exec() && query.next() ? query.value(0).toLongLong() : -1;
        };
        QByteArray compressible;
        for (int i = 0; compressible.size() < (6 << 20); ++i)
            compressible += "1 0 obj << /Type /Page /Contents " + QByteArray::number(i) + " 0 R >> endobj\n";
        Test::LargeResult kept = Test::largeResult();
        kept.job.id = QStringLiteral("upload-kept");
        QVERIFY(store.insertJob(kept.job, compressible, {}));
        QVERIFY(storedSize(kept.job.id) >= compressible.size());
        QVERIFY(Test::storedUpload(store, kept.job.id) == compressible);

        QVERIFY2(query.exec(QStringLiteral("ALTER TABLE jobs ALTER COLUMN upload SET STORAGE EXTENDED")),
                 qPrintable(query.lastError().text()));
        Test::LargeResult packed = Test::largeResult();
        packed.job.id = QStringLiteral("upload-compressed");
        QVERIFY(store.insertJob(packed.job, compressible, {}));
        QVERIFY(query.exec(QStringLiteral("ALTER TABLE jobs ALTER COLUMN upload SET STORAGE EXTERNAL")));
        QVERIFY(storedSize(packed.job.id) < compressible.size() / 4);
        QVERIFY(Test::storedUpload(store, packed.job.id) == compressible);
        QVERIFY(store.remove(kept.job.id) && store.remove(packed.job.id));
        QVERIFY(Test::storedUpload(store, kept.job.id).isEmpty());
    }

    void submitToOneReadFromAnother()
    {
        const QUrl a = m_replicas[0]->url(), b = m_replicas[1]->url(), c = m_replicas[2]->url();
        QVERIFY(a.port() != b.port() && b.port() != c.port());
        const QString id = submit(m_network, a, "# Cross\n\nSubmitted to one replica.\n", "cross.md");
        QVERIFY(!id.isEmpty());
        const QJsonObject status = waitFinished(m_network, b, id, 30000);
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(markdownOf(m_network, c, id).contains(QStringLiteral("Submitted to one replica.")));
        // Every replica lists it.
        const QJsonArray jobs = httpRequest(m_network, "GET", route(c, QStringLiteral("/jobs"))).json()
                                    .value(QStringLiteral("jobs")).toArray();
        QVERIFY(std::any_of(jobs.begin(), jobs.end(), [&id](const QJsonValue &job) {
            return job.toObject().value(QStringLiteral("job_id")).toString() == id;
        }));
        QCOMPARE(httpRequest(m_network, "DELETE", route(b, QStringLiteral("/result/") + id)).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", route(a, QStringLiteral("/status/") + id)).status, 404);
        QCOMPARE(httpRequest(m_network, "GET", route(c, QStringLiteral("/result/") + id)).status, 404);
    }

    void batchedPdfEqualsSingleReplica_data()
    {
        QTest::addColumn<QByteArray>("pdf");
        QTest::addColumn<QString>("marker");
        QTest::addColumn<int>("batches");
        QTest::newRow("text pages") << Test::multiPagePdf(40) << QStringLiteral("page-40-marker") << 5;
        // Tables, figures, captions, Chinese and italics must survive the
        // trip through the store between the batch and the merge.
        QTest::newRow("rich pages") << Test::richDocumentPdf(10) << QStringLiteral("rich-10-marker") << 2;
    }

    void batchedPdfEqualsSingleReplica()
    {
        QFETCH(QByteArray, pdf);
        QFETCH(QString, marker);
        QFETCH(int, batches);
        const QString id = submit(m_network, m_replicas[0]->url(), pdf, "batched.pdf");
        QCOMPARE(waitFinished(m_network, m_replicas[2]->url(), id, 120000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        const QJsonObject batched = httpRequest(m_network, "GET", route(m_replicas[1]->url(), QStringLiteral("/result/") + id))
                                        .json().value(QStringLiteral("result")).toObject();

        // The reference: one process on SQLite parses the whole file.
        QTemporaryDir dir;
        Test::ServerProcess single(dir.path());
        QString error;
        QVERIFY2(single.start(&error), qPrintable(error));
        const QString singleId = submit(m_network, single.url(), pdf, "batched.pdf");
        QCOMPARE(waitFinished(m_network, single.url(), singleId, 120000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        const QJsonObject whole = httpRequest(m_network, "GET", route(single.url(), QStringLiteral("/result/") + singleId))
                                      .json().value(QStringLiteral("result")).toObject();
        QVERIFY(whole.value(QStringLiteral("markdown")).toString().contains(marker));
        QCOMPARE(batched.value(QStringLiteral("markdown")).toString(), whole.value(QStringLiteral("markdown")).toString());
        QCOMPARE(QJsonDocument::fromJson(batched.value(QStringLiteral("middle_json")).toString().toUtf8()),
                 QJsonDocument::fromJson(whole.value(QStringLiteral("middle_json")).toString().toUtf8()));
        QCOMPARE(batched.value(QStringLiteral("images")), whole.value(QStringLiteral("images")));
        QCOMPARE(batched.value(QStringLiteral("pdf_data")), whole.value(QStringLiteral("pdf_data")));

        // The batches and a merge, spread: more than one replica read pages.
        int readers = 0, batchesRead = 0;
        for (const auto &replica : std::as_const(m_replicas)) {
            const int here = static_cast<int>(replica->output().count(QStringLiteral("job %1 claimed: pages").arg(id)));
            batchesRead += here;
            readers += here > 0;
        }
        QVERIFY2(batchesRead >= batches, qPrintable(QStringLiteral("%1 batch(es) read").arg(batchesRead)));
        // The batches were planned by a worker that opened the PDF, once: the
        // servers took the upload without opening it.
        int splits = 0;
        for (const auto &replica : std::as_const(m_replicas))
            splits += static_cast<int>(replica->output().count(QStringLiteral("job %1 split into batches").arg(id)));
        QCOMPARE(splits, 1);
        QVERIFY2(readers >= 2, qPrintable(QStringLiteral("%1 replica(s) read pages").arg(readers)));
    }

    // The callback URL is stored with the job: the replica that runs the
    // job's last task calls back, once, whichever replica took the submit.
    void callbackArrivesOnceFromTheClusterAsAWhole()
    {
        Test::CallbackReceiver receiver;
        const QString hook = QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.serverPort());
        QStringList ids;
        for (int i = 0; i < 3; ++i) {
            const Test::HttpReply reply = httpRequest(
                m_network, "POST", route(m_replicas[i]->url(), QStringLiteral("/submit")),
                Test::multipartBody({{"file", "called.pdf", Test::multiPagePdf(i == 0 ? 20 : 2)},
                                     {"parser_params", {}, QStringLiteral("{\"callback_url\": \"%1\"}").arg(hook).toUtf8()}},
                                    kBoundary),
                Test::multipartContentType(kBoundary));
            QCOMPARE(reply.status, 202);
            ids.append(reply.json().value(QStringLiteral("job_id")).toString());
        }
        for (const QString &id : std::as_const(ids))
            QCOMPARE(waitFinished(m_network, m_replicas[2]->url(), id, 120000).value(QStringLiteral("status")).toString(),
                     QStringLiteral("completed"));
        QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 3, 10000);
        QTest::qWait(2000); // and no second one for any job
        QCOMPARE(receiver.received.size(), 3);
        QSet<QString> called;
        for (const auto &request : std::as_const(receiver.received)) {
            const QJsonObject status = QJsonDocument::fromJson(request.body).object();
            QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
            called.insert(status.value(QStringLiteral("job_id")).toString());
        }
        QCOMPARE(called, QSet<QString>(ids.cbegin(), ids.cend()));
    }

    // A replica that stalls (SIGSTOP, its parser workers too) past its lease
    // loses its task to another, which finishes the job. When it wakes, the
    // write its parser then makes is fenced off: the job stays completed,
    // finished once.
    void stalledReplicaCannotOverwriteTheJob()
    {
        const QString id = submit(m_network, m_replicas[0]->url(), Test::multiPagePdf(2), "slowjob-stall.pdf");
        QTRY_VERIFY_WITH_TIMEOUT(holderOf(id) >= 0, 10000);
        const int holder = holderOf(id);
        m_replicas[holder]->pause();
        const auto wake = qScopeGuard([this, holder] { m_replicas[holder]->resume(); });
        const QJsonObject finished = waitFinished(m_network, m_replicas[(holder + 1) % 3]->url(), id, 60000);
        QCOMPARE(finished.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        m_replicas[holder]->resume();
        QTest::qWait(5000); // the stalled parse ends and reports
        const QJsonObject after = httpRequest(m_network, "GET", route(m_replicas[holder]->url(), QStringLiteral("/status/") + id)).json();
        QCOMPARE(after.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        int completions = 0;
        for (const auto &replica : std::as_const(m_replicas))
            completions += static_cast<int>(replica->output().count(QStringLiteral("job %1 completed").arg(id)));
        QCOMPARE(completions, 1);
    }

    void killedReplicasJobFinishesElsewhere()
    {
        // "slowjob" parses take 3 s a page in the workers (DOCRAY_INJECT_FAULT below).
        const QString id = submit(m_network, m_replicas[0]->url(), Test::multiPagePdf(2), "slowjob.pdf");
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(holderOf(id) >= 0, 10000);
        const int holder = holderOf(id);
        QTest::qWait(500); // into the parse
        m_replicas[holder]->kill();
        QElapsedTimer clock;
        clock.start();
        const int survivor = (holder + 1) % 3;
        const QJsonObject status = waitFinished(m_network, m_replicas[survivor]->url(), id, 60000);
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        // Lease (6 s) + heartbeat (2 s) + the parse again (about 3 s).
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(markdownOf(m_network, m_replicas[survivor]->url(), id).contains(QStringLiteral("page-2-marker")));
        QSqlQuery count(database());
        QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM jobs WHERE file_name = 'slowjob.pdf'")));
        QVERIFY(count.next());
        QCOMPARE(count.value(0).toInt(), 1);
        m_replicas[holder] = startReplica();
    }

    void databaseRestartLosesNothing()
    {
        QStringList ids;
        for (int i = 0; i < 6; ++i)
            ids.append(submit(m_network, m_replicas[i % 3]->url(),
                              QStringLiteral("# Restart %1\n\nmarker-restart-%1\n").arg(i).toUtf8(), "restart.md"));
        ids.append(submit(m_network, m_replicas[0]->url(), Test::multiPagePdf(24), "restart.pdf"));
        ids.append(submit(m_network, m_replicas[1]->url(), Test::multiPagePdf(2), "slowjob-restart.pdf"));
        for (const QString &id : std::as_const(ids))
            QVERIFY(!id.isEmpty());
        QTest::qWait(300);
        QProcess restart;
        restart.start(QStringLiteral("bash"), {QStringLiteral(DOCRAY_SOURCE_DIR "/tools/test-postgres.sh"),
                                               QStringLiteral("restart")});
        QVERIFY(restart.waitForFinished(60000));
        QCOMPARE(restart.exitCode(), 0);
        QSqlDatabase::database(QStringLiteral("test")).close();

        for (const QString &id : std::as_const(ids)) {
            const QJsonObject status = waitFinished(m_network, m_replicas[2]->url(), id, 60000);
            QVERIFY2(status.value(QStringLiteral("status")).toString() == QLatin1String("completed"),
                     qPrintable(QJsonDocument(status).toJson()));
        }
        QVERIFY(markdownOf(m_network, m_replicas[1]->url(), ids[0]).contains(QStringLiteral("marker-restart-0")));
        QVERIFY(database().open());
        QSqlQuery count(database());
        QVERIFY(count.exec(QStringLiteral("SELECT count(*) FROM jobs WHERE file_name LIKE 'restart.%' OR "
                                          "file_name = 'slowjob-restart.pdf'")));
        QVERIFY(count.next());
        QCOMPARE(count.value(0).toInt(), ids.size());
        // After the restart a new job is still claimed promptly (LISTEN again).
        const QString after = submit(m_network, m_replicas[0]->url(), "after the restart", "after.txt");
        QCOMPARE(waitFinished(m_network, m_replicas[1]->url(), after, 20000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
    }

    void burstOfSubmitsSpreadOverReplicas()
    {
        constexpr int kJobs = 200;
        // All at once, round robin over the replicas.
        QList<QNetworkReply *> replies;
        for (int i = 0; i < kJobs; ++i) {
            QNetworkRequest request(route(m_replicas[i % 3]->url(), QStringLiteral("/submit")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
            const QJsonObject body{{QStringLiteral("document_data"), QStringLiteral("# Burst %1\n\nburst-marker-%1-end\n").arg(i)},
                                   {QStringLiteral("filename"), QStringLiteral("burst-%1.md").arg(i)}};
            replies.append(m_network.post(request, QJsonDocument(body).toJson(QJsonDocument::Compact)));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }),
                                 60000);
        QHash<QString, int> ids;
        for (int i = 0; i < kJobs; ++i) {
            QCOMPARE(replies[i]->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
            ids.insert(QJsonDocument::fromJson(replies[i]->readAll()).object().value(QStringLiteral("job_id")).toString(), i);
            replies[i]->deleteLater();
        }
        QCOMPARE(ids.size(), kJobs);

        QSqlQuery done(database());
        QDeadlineTimer deadline(120000);
        int completed = 0;
        while (!deadline.hasExpired()) {
            QVERIFY(done.exec(QStringLiteral("SELECT count(*) FROM jobs WHERE file_name LIKE 'burst-%' AND state = 2")));
            QVERIFY(done.next());
            completed = done.value(0).toInt();
            if (completed == kJobs)
                break;
            QTest::qWait(250);
        }
        QCOMPARE(completed, kJobs);
        // Each result is its own document, readable from any replica; no job twice.
        int checked = 0;
        for (auto it = ids.cbegin(); it != ids.cend(); ++it) {
            const QString markdown = markdownOf(m_network, m_replicas[checked % 3]->url(), it.key());
            QVERIFY2(markdown.contains(QStringLiteral("burst-marker-%1-end").arg(it.value())), qPrintable(it.key()));
            ++checked;
        }
        QSqlQuery all(database());
        QVERIFY(all.exec(QStringLiteral("SELECT count(*), count(DISTINCT file_name) FROM jobs WHERE file_name LIKE 'burst-%'")));
        QVERIFY(all.next());
        QCOMPARE(all.value(0).toInt(), kJobs);
        QCOMPARE(all.value(1).toInt(), kJobs);
        // The work was spread: every replica claimed some of it.
        for (const auto &replica : std::as_const(m_replicas))
            QVERIFY(replica->output().count(QStringLiteral("claimed: whole")) > 0);
    }

    void cleanupTestCase()
    {
        for (const auto &replica : std::as_const(m_replicas))
            if (replica)
                replica->terminate();
    }
};

int main(int argc, char **argv)
{
    // The workers of every replica this test starts parse "slowjob" files slowly.
    qputenv("DOCRAY_INJECT_FAULT", "slow:slowjob");
    QGuiApplication app(argc, argv);
    TestCluster test;
    return QTest::qExec(&test, argc, argv);
}

#include "test_cluster.moc"
