// The doc-ray executable itself: the headless server killed and restarted on
// the same data directory, graceful shutdown, the command line and `convert`.
#include "tests/support/testsupport.h"

#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-server-boundary";

QString submitPdf(QNetworkAccessManager &network, const QUrl &base, const QByteArray &pdf, const QByteArray &name)
{
    const Test::HttpReply reply = httpRequest(network, "POST", base.resolved(QUrl(QStringLiteral("/submit"))),
                                              Test::multipartBody({{"file", name, pdf}}, kBoundary),
                                              Test::multipartContentType(kBoundary));
    if (reply.status != 202)
        qWarning() << "submit answered" << reply.status << reply.body << reply.networkError;
    return reply.json().value(QStringLiteral("job_id")).toString();
}

struct ProcessResult {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

ProcessResult runDocRay(const QStringList &arguments, const QProcessEnvironment &env = QProcessEnvironment::systemEnvironment())
{
    QProcess process;
    process.setProcessEnvironment(env);
    process.start(Test::docRayBinary(), arguments);
    process.waitForFinished(60000);
    return {process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1, process.readAllStandardOutput(),
            process.readAllStandardError()};
}

} // namespace

class TestServer : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void jobsSurviveKillNine()
    {
        QTemporaryDir dir;
        QStringList ids;
        {
            Test::ServerProcess server(dir.path(), {QStringLiteral("--workers"), QStringLiteral("1")});
            QString error;
            QVERIFY2(server.start(&error), qPrintable(error));
            const QByteArray pdf = Test::multiPagePdf(150);
            for (int i = 0; i < 4; ++i) {
                ids.append(submitPdf(m_network, server.url(), pdf, "long.pdf"));
                QVERIFY(!ids.last().isEmpty());
            }
            const QJsonObject last = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/status/") + ids.last()))).json();
            QCOMPARE(last.value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
            server.kill(); // SIGKILL: nothing is flushed on the way out
        }
        Test::ServerProcess restarted(dir.path(), {QStringLiteral("--workers"), QStringLiteral("2")});
        QString error;
        QVERIFY2(restarted.start(&error), qPrintable(error));
        for (const QString &id : std::as_const(ids)) {
            const QJsonObject status = Test::waitForJob(m_network, restarted.url(), id, 120000);
            QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
            const QJsonObject result = httpRequest(m_network, "GET", restarted.url().resolved(QUrl(QStringLiteral("/result/%1?exclude=pdf_data").arg(id)))).json();
            QVERIFY(result[QStringLiteral("result")][QStringLiteral("markdown")].toString().contains(QStringLiteral("page-150-marker")));
        }
        QVERIFY(restarted.terminate());
    }

    // A document whose parse was under way each of three times the whole
    // service died is not tried a fourth time; a clean stop does not count.
    void jobThatKeepsTakingTheServiceDownFails()
    {
        QTemporaryDir dir;
        qputenv("DOCRAY_INJECT_FAULT", "hang:hangjob"); // the worker parsing it never finishes
        const auto restore = qScopeGuard([] { qunsetenv("DOCRAY_INJECT_FAULT"); });
        QString id;
        for (int start = 1; start <= 4; ++start) {
            Test::ServerProcess server(dir.path(), {QStringLiteral("--workers"), QStringLiteral("1")});
            QString error;
            QVERIFY2(server.start(&error), qPrintable(error));
            if (id.isEmpty())
                id = submitPdf(m_network, server.url(), Test::multiPagePdf(1), "hangjob.pdf");
            const QUrl status = server.url().resolved(QUrl(QStringLiteral("/status/") + id));
            if (start == 1) {
                // A clean stop while it runs: this start does not count.
                QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_network, "GET", status).json().value(QStringLiteral("state")).toString(),
                                          QStringLiteral("running"), 10000);
                QVERIFY(server.terminate());
                continue;
            }
            if (start < 4) {
                QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_network, "GET", status).json().value(QStringLiteral("state")).toString(),
                                          QStringLiteral("running"), 10000);
                server.kill();
                continue;
            }
            // The third start since the clean stop, killed too: no fourth.
            QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_network, "GET", status).json().value(QStringLiteral("state")).toString(),
                                      QStringLiteral("running"), 10000);
            server.kill();
            Test::ServerProcess last(dir.path(), {QStringLiteral("--workers"), QStringLiteral("1")});
            QVERIFY2(last.start(&error), qPrintable(error));
            const QJsonObject final = httpRequest(m_network, "GET", last.url().resolved(QUrl(QStringLiteral("/status/") + id))).json();
            QCOMPARE(final.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
            QVERIFY2(final.value(QStringLiteral("error")).toString().contains(QStringLiteral("stopped 3 times")),
                     qPrintable(final.value(QStringLiteral("error")).toString()));
            QVERIFY(last.terminate());
        }
    }

    void terminateIsGraceful()
    {
        QTemporaryDir dir;
        Test::ServerProcess server(dir.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QCOMPARE(httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/health")))).status, 200);
        QVERIFY2(server.terminate(), qPrintable(server.output()));
    }

    void environmentConfiguresTheServer()
    {
        QTemporaryDir dir;
        qputenv("DOCRAY_MAX_UPLOAD_MB", "3");
        qputenv("DOCRAY_WORKERS", "3");
        Test::ServerProcess server(dir.path());
        QString error;
        const bool started = server.start(&error);
        qunsetenv("DOCRAY_MAX_UPLOAD_MB");
        qunsetenv("DOCRAY_WORKERS");
        QVERIFY2(started, qPrintable(error));
        const QJsonObject health = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/health")))).json();
        QCOMPARE(health.value(QStringLiteral("max_upload_mb")).toInt(), 3);
        QCOMPARE(health.value(QStringLiteral("workers")).toInt(), 3);
    }

    void busyPortFailsWithAMessage()
    {
        QTemporaryDir dir;
        Test::ServerProcess first(dir.path() + QStringLiteral("/a"));
        QString error;
        QVERIFY2(first.start(&error), qPrintable(error));
        const ProcessResult second = runDocRay({QStringLiteral("--server"), QStringLiteral("--host"), QStringLiteral("127.0.0.1"),
                                                QStringLiteral("--port"), QString::number(first.url().port()),
                                                QStringLiteral("--data-dir"), dir.path() + QStringLiteral("/b")});
        QCOMPARE(second.exitCode, 1);
        QVERIFY2(second.err.contains("cannot listen"), second.err.constData());
    }

    void commandLine()
    {
        const ProcessResult help = runDocRay({QStringLiteral("--help")});
        QCOMPARE(help.exitCode, 0);
        for (const char *option : {"--server", "--host", "--port", "--data-dir", "--workers", "--job-ttl", "--cleanup-interval", "--max-upload-mb", "convert"})
            QVERIFY2(help.out.contains(option), option);
        const ProcessResult version = runDocRay({QStringLiteral("--version")});
        QCOMPARE(version.exitCode, 0);
        QVERIFY(version.out.contains(DOCRAY_VERSION));
        const ProcessResult badPort = runDocRay({QStringLiteral("--server"), QStringLiteral("--port"), QStringLiteral("99999")});
        QCOMPARE(badPort.exitCode, 2);
        QVERIFY2(badPort.err.contains("--port must be"), badPort.err.constData());
        const ProcessResult unknown = runDocRay({QStringLiteral("--server"), QStringLiteral("--frobnicate")});
        QCOMPARE(unknown.exitCode, 2);
        QVERIFY(unknown.err.contains("frobnicate"));
    }

    void convertOneFile()
    {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("three.pdf"));
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Test::multiPagePdf(3));
        file.close();

        const QString markdownPath = dir.filePath(QStringLiteral("out/three.md"));
        QDir().mkpath(dir.filePath(QStringLiteral("out")));
        const QString jsonPath = dir.filePath(QStringLiteral("out/three.json"));
        const ProcessResult converted = runDocRay({QStringLiteral("convert"), input, QStringLiteral("-o"), markdownPath,
                                                   QStringLiteral("--json"), jsonPath});
        QVERIFY2(converted.exitCode == 0, converted.err.constData());
        QFile markdown(markdownPath);
        QVERIFY(markdown.open(QIODevice::ReadOnly));
        const QByteArray md = markdown.readAll();
        QVERIFY(md.contains("# Section 1") && md.contains("page-3-marker"));
        QFile json(jsonPath);
        QVERIFY(json.open(QIODevice::ReadOnly));
        QCOMPARE(QJsonDocument::fromJson(json.readAll()).object().value(QStringLiteral("pdf_info")).toArray().size(), 3);

        const ProcessResult toStdout = runDocRay({QStringLiteral("convert"), input});
        QCOMPARE(toStdout.exitCode, 0);
        QCOMPARE(toStdout.out, md);

        const ProcessResult missing = runDocRay({QStringLiteral("convert"), dir.filePath(QStringLiteral("nope.pdf"))});
        QCOMPARE(missing.exitCode, 1);
        QVERIFY2(missing.err.contains("cannot read"), missing.err.constData());

        const QString broken = dir.filePath(QStringLiteral("broken.pdf"));
        QFile brokenFile(broken);
        QVERIFY(brokenFile.open(QIODevice::WriteOnly));
        brokenFile.write("%PDF-1.4 truncated");
        brokenFile.close();
        const ProcessResult failed = runDocRay({QStringLiteral("convert"), broken});
        QCOMPARE(failed.exitCode, 1);
        QVERIFY2(failed.err.contains("not a readable PDF"), failed.err.constData());

        const QString unsupported = dir.filePath(QStringLiteral("data.xyz"));
        QFile unsupportedFile(unsupported);
        QVERIFY(unsupportedFile.open(QIODevice::WriteOnly));
        unsupportedFile.write("\x01\x02\x03");
        unsupportedFile.close();
        const ProcessResult refused = runDocRay({QStringLiteral("convert"), unsupported});
        QCOMPARE(refused.exitCode, 1);
        QVERIFY2(refused.err.contains("unsupported file format: .xyz"), refused.err.constData());
    }
};

QTEST_MAIN(TestServer)
#include "test_server.moc"
