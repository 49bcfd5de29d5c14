// Parsing in child worker processes, through the real executable: a parser
// that crashes, hangs or runs out of memory fails its own job with a clear
// message, the server keeps serving, and other jobs finish.
#include "tests/support/testsupport.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-isolation";

QString submit(QNetworkAccessManager &network, const QUrl &base, const QByteArray &pdf, const QByteArray &name)
{
    return httpRequest(network, "POST", base.resolved(QUrl(QStringLiteral("/submit"))),
                       Test::multipartBody({{"file", name, pdf}}, kBoundary), Test::multipartContentType(kBoundary))
        .json()
        .value(QStringLiteral("job_id"))
        .toString();
}

// A server whose parser workers misbehave on files named like `fault`.
struct FaultyServer {
    QTemporaryDir dir;
    std::unique_ptr<Test::ServerProcess> server;

    FaultyServer(const QByteArray &fault, const QStringList &arguments)
    {
        qputenv("DOCRAY_INJECT_FAULT", fault);
        server = std::make_unique<Test::ServerProcess>(dir.path(), arguments);
        QString error;
        const bool started = server->start(&error);
        qunsetenv("DOCRAY_INJECT_FAULT");
        if (!started)
            qFatal("server did not start: %s", qPrintable(error));
    }
    QUrl url() const { return server->url(); }

    // The server's children: its parser workers.
    QStringList workers() const
    {
        QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(server->pid()));
        if (!children.open(QIODevice::ReadOnly))
            return {};
        return QString::fromLatin1(children.readAll()).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    }
};

} // namespace

class TestIsolation : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void crashFailsOnlyItsJob()
    {
        FaultyServer faulty("crash:evil", {QStringLiteral("--workers"), QStringLiteral("2")});
        const QByteArray pdf = Test::multiPagePdf(5);
        const QString evil = submit(m_network, faulty.url(), pdf, "evil.pdf");
        QStringList good;
        for (int i = 0; i < 4; ++i)
            good.append(submit(m_network, faulty.url(), pdf, "good.pdf"));

        const QJsonObject failed = Test::waitForJob(m_network, faulty.url(), evil);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QCOMPARE(failed.value(QStringLiteral("error")).toString(), QStringLiteral("The parser crashed on page 2 (signal 11)."));
        for (const QString &id : std::as_const(good))
            QCOMPARE(Test::waitForJob(m_network, faulty.url(), id).value(QStringLiteral("status")).toString(),
                     QStringLiteral("completed"));
        QCOMPARE(httpRequest(m_network, "GET", faulty.url().resolved(QUrl(QStringLiteral("/health")))).status, 200);
        // The crashed worker was replaced: parsing goes on.
        const QString after = submit(m_network, faulty.url(), pdf, "after.pdf");
        QCOMPARE(Test::waitForJob(m_network, faulty.url(), after).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
    }

    // A batch's worker crashes: the job fails with the page it crashed on
    // (counted in the document), its other batches stop, and the service
    // goes on parsing with fresh workers.
    void crashInABatchFailsItsJob()
    {
        FaultyServer faulty("crash:evil", {QStringLiteral("--workers"), QStringLiteral("2"),
                                           QStringLiteral("--batch-pages"), QStringLiteral("3")});
        const QString evil = submit(m_network, faulty.url(), Test::multiPagePdf(9), "evil.pdf");
        const QJsonObject failed = Test::waitForJob(m_network, faulty.url(), evil, 60000);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        // The fault strikes after a batch's first page: the second of 1-3, 4-6 or 7-9.
        const QString message = failed.value(QStringLiteral("error")).toString();
        QVERIFY2(QRegularExpression(QStringLiteral("^The parser crashed on page [258] \\(signal 11\\)\\.$")).match(message).hasMatch(),
                 qPrintable(message));
        QVERIFY2(faulty.server->output().contains(QStringLiteral("job %1 split into 3 batches of its 9 page(s)").arg(evil)),
                 qPrintable(faulty.server->output()));
        const QString after = submit(m_network, faulty.url(), Test::multiPagePdf(9), "after.pdf");
        const QJsonObject done = Test::waitForJob(m_network, faulty.url(), after, 60000);
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QCOMPARE(done.value(QStringLiteral("progress")).toObject().value(QStringLiteral("pages_done")).toInt(), 9);
    }

    // The worker counts a PDF's pages before deciding on batches: an
    // encrypted one is counted with its password, and without it fails as
    // a parse does, never crashing its worker.
    void encryptedPdfIsCountedWithItsPassword()
    {
        const QByteArray pdf = Test::encryptedPdf(Test::multiPagePdf(4), QStringLiteral("s3cret"));
        QVERIFY(!pdf.isEmpty());
        FaultyServer server("", {QStringLiteral("--workers"), QStringLiteral("2"), QStringLiteral("--batch-pages"),
                                 QStringLiteral("2")});
        auto submitWith = [&](const QByteArray &params) {
            return httpRequest(m_network, "POST", server.url().resolved(QUrl(QStringLiteral("/submit"))),
                               Test::multipartBody({{"file", "locked.pdf", pdf}, {"parser_params", {}, params}}, kBoundary),
                               Test::multipartContentType(kBoundary))
                .json().value(QStringLiteral("job_id")).toString();
        };
        const QJsonObject without = Test::waitForJob(m_network, server.url(), submitWith("{}"));
        QCOMPARE(without.value(QStringLiteral("error")).toString(),
                 QStringLiteral("The PDF is encrypted: password required (parser_params.password)."));
        const QString opened = submitWith("{\"password\": \"s3cret\"}");
        const QJsonObject done = Test::waitForJob(m_network, server.url(), opened);
        QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY2(server.server->output().contains(QStringLiteral("job %1 split into 2 batches of its 4 page(s)").arg(opened)),
                 qPrintable(server.server->output()));
    }

    void hangTimesOut()
    {
        FaultyServer faulty("hang:stuck", {QStringLiteral("--workers"), QStringLiteral("1"),
                                           QStringLiteral("--job-timeout"), QStringLiteral("2")});
        QElapsedTimer clock;
        clock.start();
        const QString stuck = submit(m_network, faulty.url(), Test::multiPagePdf(3), "stuck.pdf");
        const QString next = submit(m_network, faulty.url(), Test::multiPagePdf(1), "next.pdf");
        const QJsonObject failed = Test::waitForJob(m_network, faulty.url(), stuck, 30000);
        QCOMPARE(failed.value(QStringLiteral("error")).toString(), QStringLiteral("Parsing timed out after 2 s."));
        QVERIFY2(clock.elapsed() < 10000, "the time limit was not enforced");
        QCOMPARE(Test::waitForJob(m_network, faulty.url(), next).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
    }

    void memoryLimitFailsTheJob()
    {
        // 768 MB: the limit is on address space, and where a GPU is used
        // LibTorch's libraries alone map more than 512 MB before the first page.
        FaultyServer faulty("oom:greedy", {QStringLiteral("--workers"), QStringLiteral("1"),
                                           QStringLiteral("--worker-memory-mb"), QStringLiteral("768")});
        const QString greedy = submit(m_network, faulty.url(), Test::multiPagePdf(3), "greedy.pdf");
        const QJsonObject failed = Test::waitForJob(m_network, faulty.url(), greedy, 30000);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY2(failed.value(QStringLiteral("error")).toString().contains(QStringLiteral("memory")),
                 qPrintable(failed.value(QStringLiteral("error")).toString()));
        const QString next = submit(m_network, faulty.url(), Test::multiPagePdf(1), "next.pdf");
        QCOMPARE(Test::waitForJob(m_network, faulty.url(), next).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
    }

    void deleteKillsARunningParse()
    {
        FaultyServer faulty("hang:stuck", {QStringLiteral("--workers"), QStringLiteral("1")});
        const QString stuck = submit(m_network, faulty.url(), Test::multiPagePdf(3), "stuck.pdf");
        QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_network, "GET", faulty.url().resolved(QUrl(QStringLiteral("/status/") + stuck)))
                                      .json().value(QStringLiteral("state")).toString(),
                                  QStringLiteral("running"), 10000);
        const QStringList before = faulty.workers();
        QCOMPARE(before.size(), 1);
        QCOMPARE(httpRequest(m_network, "DELETE", faulty.url().resolved(QUrl(QStringLiteral("/result/") + stuck))).status, 200);
        // Its place is taken at once, by a worker that loads its parsers
        // before the next job. The workers are listed once a try: between
        // two listings the old one can be gone and the new one not yet there.
        const QString device = httpRequest(m_network, "GET", faulty.url().resolved(QUrl(QStringLiteral("/health"))))
                                   .json().value(QStringLiteral("device")).toString();
        const auto replacedAndLoaded = [&faulty, &before, &device] {
            const QStringList workers = faulty.workers();
            return workers.size() == 1 && workers != before && Test::workerPrepared(workers.constFirst(), device);
        };
        QTRY_VERIFY_WITH_TIMEOUT(replacedAndLoaded(), 20000);
        const QString next = submit(m_network, faulty.url(), Test::multiPagePdf(1), "next.pdf");
        QCOMPARE(Test::waitForJob(m_network, faulty.url(), next, 10000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
    }
};

QTEST_MAIN(TestIsolation)
#include "test_isolation.moc"
