// The REST API over real HTTP on loopback, in process with the real job
// layer and engine: the original service's contract, its errors, and the
// connection guard's answers to Expect and oversized uploads.
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/sqlitejobstore.h"
#include "httpserver/apiserver.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-test-boundary";

struct ApiFixture {
    QTemporaryDir dir;
    std::unique_ptr<JobStateManager> jobs;
    std::unique_ptr<ApiServer> api;
    QUrl base;

    explicit ApiFixture(int workers = 2, int maxUploadMb = 200)
    {
        JobManagerSettings settings;
        settings.workers = workers;
        jobs = std::make_unique<JobStateManager>(
            std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        QString error;
        if (!jobs->start(&error))
            qFatal("cannot start jobs: %s", qPrintable(error));
        ApiSettings apiSettings;
        apiSettings.maxUploadBytes = qint64(maxUploadMb) * 1024 * 1024;
        api = std::make_unique<ApiServer>(jobs.get(), apiSettings);
        if (!api->listen(QHostAddress::LocalHost, 0, &error))
            qFatal("cannot listen: %s", qPrintable(error));
        base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api->port()));
    }
    QUrl url(const QString &path) const { return base.resolved(QUrl(path)); }
};

Test::HttpReply submitFile(QNetworkAccessManager &network, const ApiFixture &api, const QByteArray &data,
                           const QByteArray &fileName, const QByteArray &parserParams = {})
{
    QList<Test::FormPart> parts{{"file", fileName, data}};
    if (!parserParams.isNull())
        parts.append({"parser_params", {}, parserParams});
    return httpRequest(network, "POST", api.url(QStringLiteral("/submit")),
                       Test::multipartBody(parts, kBoundary), Test::multipartContentType(kBoundary));
}

// Raw HTTP on a socket, for what QNetworkAccessManager will not send.
QByteArray readUntil(QTcpSocket &socket, const QByteArray &marker, int timeoutMs)
{
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (!received.contains(marker) && clock.elapsed() < timeoutMs) {
        QTest::qWait(10);
        received += socket.readAll();
    }
    return received;
}

} // namespace

class TestApi : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void multipartSubmitPollResultDelete()
    {
        ApiFixture api;
        const QByteArray pdf = Test::multiPagePdf(3);
        const Test::HttpReply submitted = submitFile(m_network, api, pdf, "three.pdf", R"({"table_enable": true})");
        QCOMPARE(submitted.status, 202);
        const QString id = submitted.json().value(QStringLiteral("job_id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                    .match(id).hasMatch());
        QCOMPARE(submitted.json().value(QStringLiteral("message")).toString(), QStringLiteral("Document submitted for parsing."));

        const QJsonObject status = Test::waitForJob(m_network, api.base, id);
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(status.value(QStringLiteral("error")).isNull());
        QCOMPARE(status[QStringLiteral("progress")][QStringLiteral("pages_total")].toInt(), 3);
        QCOMPARE(status.value(QStringLiteral("filename")).toString(), QStringLiteral("three.pdf"));

        const Test::HttpReply result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id));
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("Content-Type").startsWith("application/json"));
        const QJsonObject body = result.json();
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(body.value(QStringLiteral("error")).isNull());
        QVERIFY(body.contains(QStringLiteral("message")));
        const QJsonObject payload = body.value(QStringLiteral("result")).toObject();
        QVERIFY(payload.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-2-marker")));
        QVERIFY(payload.value(QStringLiteral("middle_json")).isString());
        const QJsonObject middle = QJsonDocument::fromJson(payload.value(QStringLiteral("middle_json")).toString().toUtf8()).object();
        QCOMPARE(middle.value(QStringLiteral("pdf_info")).toArray().size(), 3);
        QVERIFY(payload.value(QStringLiteral("images")).isObject());
        QCOMPARE(QByteArray::fromBase64(payload.value(QStringLiteral("pdf_data")).toString().toLatin1()), pdf);

        const Test::HttpReply light = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1?exclude=pdf_data,images").arg(id)));
        const QJsonObject lightResult = light.json().value(QStringLiteral("result")).toObject();
        QVERIFY(!lightResult.contains(QStringLiteral("pdf_data")));
        QVERIFY(!lightResult.contains(QStringLiteral("images")));
        QVERIFY(lightResult.contains(QStringLiteral("markdown")));

        const Test::HttpReply deleted = httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id));
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json().value(QStringLiteral("message")).toString(), QStringLiteral("Job and result deleted successfully."));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + id)).status, 404);
        // Idempotent, as the original.
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id)).status, 200);
    }

    void jsonSubmitForms()
    {
        ApiFixture api;
        const QJsonObject textForm{{QStringLiteral("document_data"), QStringLiteral("# Memo\n\nMeet at noon.")}};
        Test::HttpReply reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")),
                                            QJsonDocument(textForm).toJson(), "application/json");
        QCOMPARE(reply.status, 202);
        QString id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QJsonObject result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)).json()[QStringLiteral("result")].toObject();
        QCOMPARE(result.value(QStringLiteral("markdown")).toString(), QStringLiteral("# Memo\n\nMeet at noon.\n"));
        QVERIFY(QByteArray::fromBase64(result.value(QStringLiteral("pdf_data")).toString().toLatin1()).startsWith("%PDF"));

        const QJsonObject base64Form{{QStringLiteral("document_data"), QString::fromLatin1(Test::multiPagePdf(2).toBase64())},
                                     {QStringLiteral("filename"), QStringLiteral("two.pdf")},
                                     {QStringLiteral("encoding"), QStringLiteral("base64")},
                                     {QStringLiteral("parser_params"), QJsonObject{{QStringLiteral("start_page"), 1}}}};
        reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")), QJsonDocument(base64Form).toJson(), "application/json");
        QCOMPARE(reply.status, 202);
        id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)).json()[QStringLiteral("result")].toObject();
        QVERIFY(!result.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-1-marker")));
        QVERIFY(result.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-2-marker")));
    }

    void badInputGetsClearErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detail");
        const QByteArray pdf = Test::multiPagePdf(1);
        auto form = [](const QList<Test::FormPart> &parts) { return Test::multipartBody(parts, kBoundary); };
        const QByteArray multipart = Test::multipartContentType(kBoundary);

        QTest::newRow("empty file") << form({{"file", "empty.pdf", ""}}) << multipart << 400 << "File seems to be empty or invalid.";
        QTest::newRow("parser_params not JSON") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, "{oops"}}) << multipart << 400 << "Invalid JSON format for parser_params.";
        QTest::newRow("parser_params not an object") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, "[1, 2]"}}) << multipart << 400 << "parser_params must be a valid JSON object string.";
        QTest::newRow("parser_params ill-typed") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, R"({"start_page": "one"})"}}) << multipart << 400 << "parser_params.start_page must be a non-negative integer.";
        QTest::newRow("unsupported format") << form({{"file", "data.xyz", "\x01\x02\x03 binary"}}) << multipart << 415 << "Unsupported file format: .xyz. Supported formats are: .pdf";
        QTest::newRow("text named as something else") << form({{"file", "sheet.csv", "a,b\n1,2\n"}}) << multipart << 415 << "Unsupported file format: .csv.";
        QTest::newRow("no file part") << form({{"document", "a.pdf", pdf}}) << multipart << 400 << "No file in the form";
        QTest::newRow("truncated multipart") << form({{"file", "a.pdf", pdf}}).left(200) << multipart << 400 << "Malformed multipart body";
        QTest::newRow("multipart without boundary") << form({{"file", "a.pdf", pdf}}) << QByteArray("multipart/form-data") << 400 << "Malformed multipart body";
        QTest::newRow("broken JSON") << QByteArray("{\"document_data\": ") << QByteArray("application/json") << 400 << "not a valid JSON object";
        QTest::newRow("JSON without document_data") << QByteArray("{\"filename\": \"a.txt\"}") << QByteArray("application/json") << 400 << "document_data is required";
        QTest::newRow("bad base64") << QByteArray(R"({"document_data": "@@@not base64@@@", "encoding": "base64"})") << QByteArray("application/json") << 400 << "not valid base64";
        QTest::newRow("unknown encoding") << QByteArray(R"({"document_data": "x", "encoding": "rot13"})") << QByteArray("application/json") << 400 << "encoding must be";
        QTest::newRow("JSON empty document") << QByteArray(R"({"document_data": ""})") << QByteArray("application/json") << 400 << "File seems to be empty or invalid.";
        QTest::newRow("other content type") << QByteArray("hello") << QByteArray("text/plain") << 415 << "multipart/form-data";
    }
    void badInputGetsClearErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, detail);
        ApiFixture api;
        const Test::HttpReply reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")), body, contentType);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.json().value(QStringLiteral("detail")).toString().contains(detail), reply.body.constData());
        QVERIFY(api.jobs->jobs().isEmpty()); // nothing half-stored
    }

    void unknownIds()
    {
        ApiFixture api;
        Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/nope")));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(QStringLiteral("detail")).toString(), QStringLiteral("Job ID 'nope' not found."));
        reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope")));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(QStringLiteral("detail")).toString(), QStringLiteral("Job ID 'nope' not found."));
        reply = httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/nope")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("job_id")).toString(), QStringLiteral("nope"));
    }

    void processingAndFailedResults()
    {
        ApiFixture api(1);
        const QString busy = submitFile(m_network, api, Test::multiPagePdf(200), "busy.pdf").json()[QStringLiteral("job_id")].toString();
        const QString waiting = submitFile(m_network, api, Test::multiPagePdf(1), "waiting.pdf").json()[QStringLiteral("job_id")].toString();
        const QString broken = submitFile(m_network, api, "%PDF-1.4 but nothing more", "broken.pdf").json()[QStringLiteral("job_id")].toString();

        const QJsonObject waitingStatus = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + waiting)).json();
        QCOMPARE(waitingStatus.value(QStringLiteral("status")).toString(), QStringLiteral("processing")); // queued is processing on the wire
        QCOMPARE(waitingStatus.value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
        QCOMPARE(waitingStatus.value(QStringLiteral("queue_position")).toInt(), 0);

        const QJsonObject pending = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + waiting)).json();
        QCOMPARE(pending.value(QStringLiteral("status")).toString(), QStringLiteral("processing"));
        QVERIFY(pending.value(QStringLiteral("result")).isNull());
        QCOMPARE(pending.value(QStringLiteral("message")).toString(), QStringLiteral("Parsing is still in progress."));

        // Status stays quick while a parse runs.
        for (int i = 0; i < 20; ++i) {
            QElapsedTimer clock;
            clock.start();
            QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + busy)).status, 200);
            QVERIFY2(clock.elapsed() < 1000, "a status request waited for the parser");
        }

        const QJsonObject failed = Test::waitForJob(m_network, api.base, broken);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(failed.value(QStringLiteral("error")).toString().contains(QStringLiteral("not a readable PDF")));
        const QJsonObject failedResult = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + broken)).json();
        QCOMPARE(failedResult.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(failedResult.value(QStringLiteral("result")).isNull());
        QVERIFY(!failedResult.value(QStringLiteral("error")).toString().isEmpty());
    }

    void deletingARunningJobCancelsIt()
    {
        ApiFixture api(1);
        const QString big = submitFile(m_network, api, Test::multiPagePdf(400), "big.pdf").json()[QStringLiteral("job_id")].toString();
        QTRY_VERIFY_WITH_TIMEOUT(api.jobs->job(big, false)->pagesDone > 0, 30000);
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + big)).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + big)).status, 404);
        const QString next = submitFile(m_network, api, Test::multiPagePdf(1), "next.pdf").json()[QStringLiteral("job_id")].toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, next, 20000).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    }

    void fiftyConcurrentSubmitsAllComplete()
    {
        ApiFixture api(2);
        const QByteArray pdf = Test::multiPagePdf(2);
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 50; ++i) {
            QNetworkRequest request(api.url(QStringLiteral("/submit")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, Test::multipartContentType(kBoundary));
            replies.append(m_network.post(request, Test::multipartBody({{"file", QByteArray("doc-") + QByteArray::number(i) + ".pdf", pdf}}, kBoundary)));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 30000);
        QSet<QString> ids;
        for (QNetworkReply *reply : std::as_const(replies)) {
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
            ids.insert(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("job_id")).toString());
            reply->deleteLater();
        }
        QCOMPARE(ids.size(), 50);
        for (const QString &id : std::as_const(ids))
            QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    }

    void expectContinueIsAnswered()
    {
        ApiFixture api;
        const QByteArray body = Test::multipartBody({{"file", "a.pdf", Test::multiPagePdf(1)}}, kBoundary);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, api.api->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Test::multipartContentType(kBoundary)
                     + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nExpect: 100-continue\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        const QByteArray interim = readUntil(socket, "\r\n\r\n", 3000);
        QVERIFY2(interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), interim.constData());
        QVERIFY2(clock.elapsed() < 500, "100 Continue came late");
        socket.write(body);
        const QByteArray response = readUntil(socket, "job_id", 10000);
        QVERIFY2(response.startsWith("HTTP/1.1 202"), response.constData());

        // The same connection carries a second request after the body.
        socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const QByteArray health = readUntil(socket, "\"status\"", 5000);
        QVERIFY2(health.contains("HTTP/1.1 200"), health.constData());
    }

    void oversizedUploadIsRefusedBeforeTheBody()
    {
        ApiFixture api(1, /*maxUploadMb*/ 1);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, api.api->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Test::multipartContentType(kBoundary)
                     + "\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        const QByteArray response = readUntil(socket, "}", 3000);
        QVERIFY2(response.startsWith("HTTP/1.1 413"), response.constData());
        QVERIFY(!response.contains("100 Continue"));
        QVERIFY2(clock.elapsed() < 1000, "413 came late");
        QVERIFY(response.contains("\"detail\":\"File too large"));

        // A body over the limit sent without waiting is refused as well.
        const QByteArray big(2 * 1024 * 1024, 'x');
        const Test::HttpReply reply = submitFile(m_network, api, "%PDF-" + big, "big.pdf");
        QCOMPARE(reply.status, 413);
        QVERIFY(api.jobs->jobs().isEmpty());
    }

    void healthReportsTheService()
    {
        ApiFixture api(3);
        const QJsonObject health = httpRequest(m_network, "GET", api.url(QStringLiteral("/health"))).json();
        QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(health.value(QStringLiteral("version")).toString(), QStringLiteral(DOCRAY_VERSION));
        QCOMPARE(health.value(QStringLiteral("device")).toString(), QStringLiteral("cpu"));
        QCOMPARE(health.value(QStringLiteral("workers")).toInt(), 3);
        QCOMPARE(health.value(QStringLiteral("queued")).toInt(), 0);
        QCOMPARE(health.value(QStringLiteral("running")).toInt(), 0);
        QVERIFY(health.value(QStringLiteral("ocr_languages")).toArray().contains(QStringLiteral("eng")));
    }
};

QTEST_MAIN(TestApi)
#include "test_api.moc"
