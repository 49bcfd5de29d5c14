// The server's own guard in front of Qt 6.4's QHttpServer, over raw sockets
// and real HTTP on loopback: header caps, slow clients, connection cap, API
// keys, Host checks, back-pressure and a full disk.
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "httpserver/admission.h"
#include "httpserver/apiserver.h"
#include "tests/support/testsupport.h"

#include <QNetworkAccessManager>
#include <QPainter>
#include <QNetworkReply>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----guard";

struct GuardedServer {
    QTemporaryDir dir;
    std::unique_ptr<JobStateManager> jobs;
    std::unique_ptr<ApiServer> api;
    QUrl base;

    explicit GuardedServer(ApiSettings settings, int workers = 1)
    {
        JobManagerSettings jobSettings;
        jobSettings.workers = workers;
        jobs = std::make_unique<JobStateManager>(
            std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), jobSettings);
        if (const Result<void> started = jobs->start(); !started)
            qFatal("%s", qPrintable(started.errorMessage()));
        settings.dataDirectory = dir.path();
        api = std::make_unique<ApiServer>(jobs.get(), settings);
        if (const Result<void> listening = api->listen(QHostAddress::LocalHost, 0); !listening)
            qFatal("%s", qPrintable(listening.errorMessage()));
        base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api->port()));
    }
};

QByteArray readAnswer(QTcpSocket &socket, int timeoutMs)
{
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs && !received.contains("}")) {
        QTest::qWait(20);
        received += socket.readAll();
    }
    return received;
}

std::unique_ptr<QTcpSocket> connectTo(const GuardedServer &server)
{
    auto socket = std::make_unique<QTcpSocket>();
    socket->connectToHost(QHostAddress::LocalHost, server.api->port());
    socket->waitForConnected(5000);
    return socket;
}

} // namespace

class TestGuard : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void oversizedHeadersGet431()
    {
        GuardedServer server({});
        auto socket = connectTo(server);
        socket->write("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Filler: " + QByteArray(40000, 'a') + "\r\n\r\n");
        QByteArray answer = readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 431"), answer.left(200).constData());
        QVERIFY(answer.contains("\"detail\""));

        auto many = connectTo(server);
        QByteArray head = "GET /health HTTP/1.1\r\nHost: localhost\r\n";
        for (int i = 0; i < 150; ++i)
            head += "X-H" + QByteArray::number(i) + ": v\r\n";
        many->write(head + "\r\n");
        answer = readAnswer(*many, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 431"), answer.left(200).constData());
        QVERIFY(answer.contains("More than 100 request headers"));
    }

    void slowClientsAreDropped()
    {
        ApiSettings settings;
        settings.connections.headerTimeoutMs = 800;
        settings.connections.bodyRateWindowMs = 800;
        settings.connections.minBodyBytesPerSecond = 10'000;
        GuardedServer server(settings);

        auto slowHead = connectTo(server);
        slowHead->write("GET /health HTTP/1.1\r\nHost: loc");
        QByteArray answer = readAnswer(*slowHead, 4000);
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
        QTRY_COMPARE_WITH_TIMEOUT(slowHead->state(), QAbstractSocket::UnconnectedState, 5000);

        auto slowBody = connectTo(server);
        slowBody->write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                        "Content-Length: 100000\r\n\r\n{\"doc");
        answer = readAnswer(*slowBody, 4000);
        QVERIFY2(answer.startsWith("HTTP/1.1 408"), answer.constData());
        QVERIFY(answer.contains("slower than"));

        // A well-behaved client on the same server is unaffected.
        QCOMPARE(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/health")))).status, 200);
    }

    void connectionCap()
    {
        ApiSettings settings;
        settings.connections.maxConnections = 5;
        GuardedServer server(settings);
        std::vector<std::unique_ptr<QTcpSocket>> held;
        for (int i = 0; i < 5; ++i)
            held.push_back(connectTo(server));
        QTest::qWait(100);
        auto extra = connectTo(server);
        const QByteArray answer = readAnswer(*extra, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.constData());
        held.clear();
        QTRY_COMPARE_WITH_TIMEOUT(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/health")))).status, 200, 5000);
    }

    void apiKeyIsRequired()
    {
        ApiSettings settings;
        settings.admission.apiKey = "correct horse battery staple";
        GuardedServer server(settings);
        const QUrl status = server.base.resolved(QUrl(QStringLiteral("/status/unknown-id")));

        Test::HttpReply reply = httpRequest(m_network, "GET", status);
        QCOMPARE(reply.status, 401);
        QCOMPARE(reply.header("WWW-Authenticate"), QByteArray("Bearer"));
        QVERIFY(reply.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("API key")));

        QNetworkRequest wrong(status);
        wrong.setRawHeader("Authorization", "Bearer correct horse battery stapler");
        QScopedPointer<QNetworkReply> wrongReply(m_network.get(wrong));
        QTRY_VERIFY(wrongReply->isFinished());
        QCOMPARE(wrongReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 401);

        for (const auto &[name, value] : {std::pair<QByteArray, QByteArray>{"Authorization", "Bearer correct horse battery staple"},
                                          std::pair<QByteArray, QByteArray>{"X-API-Key", "correct horse battery staple"}}) {
            QNetworkRequest right(status);
            right.setRawHeader(name, value);
            QScopedPointer<QNetworkReply> rightReply(m_network.get(right));
            QTRY_VERIFY(rightReply->isFinished());
            QCOMPARE(rightReply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 404); // authorised, unknown job
        }
        QCOMPARE(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/health")))).status, 200);
    }

    void desktopRefusesForeignHostNames()
    {
        ApiSettings settings;
        settings.admission.localClientsOnly = true;
        GuardedServer server(settings);
        auto socket = connectTo(server);
        socket->write("GET /health HTTP/1.1\r\nHost: attacker.example:8639\r\n\r\n");
        const QByteArray answer = readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
        QCOMPARE(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/health")))).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", QUrl(QStringLiteral("http://localhost:%1/health").arg(server.api->port()))).status, 200);
    }

    // Framing that two HTTP parsers could read two ways is refused, so the
    // guard and QHttpServer never disagree on where a request ends.
    void ambiguousFramingIsRefused_data()
    {
        QTest::addColumn<QByteArray>("request");
        QTest::addColumn<QByteArray>("status");
        const QByteArray post = "POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        QTest::newRow("chunked and a length") << post + "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n" << QByteArray("400");
        QTest::newRow("two lengths") << post + "Content-Length: 5\r\nContent-Length: 500\r\n\r\n{}   " << QByteArray("400");
        QTest::newRow("length list") << post + "Content-Length: 5, 5\r\n\r\n{}   " << QByteArray("400");
        QTest::newRow("signed length") << post + "Content-Length: +5\r\n\r\n{}   " << QByteArray("400");
        QTest::newRow("folded header") << post + "X-Note: a\r\n b\r\nContent-Length: 2\r\n\r\n{}" << QByteArray("400");
        QTest::newRow("bare LF") << QByteArray("GET /health HTTP/1.1\nHost: localhost\n\n") << QByteArray("400");
        QTest::newRow("bare CR") << QByteArray("GET /health HTTP/1.1\r\nHost: local\rhost\r\n\r\n") << QByteArray("400");
        QTest::newRow("space before colon") << QByteArray("GET /health HTTP/1.1\r\nHost : localhost\r\n\r\n") << QByteArray("400");
        QTest::newRow("gzip transfer") << post + "Transfer-Encoding: gzip, chunked\r\n\r\n" << QByteArray("501");
        QTest::newRow("chunked in 1.0") << QByteArray("POST /submit HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << QByteArray("400");
        QTest::newRow("bad chunk size") << post + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" << QByteArray("400");
        QTest::newRow("chunk overruns") << post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}}\r\n" << QByteArray("400");
        QTest::newRow("trailer fields") << post + "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\nX-T: 1\r\n\r\n" << QByteArray("400");
        QTest::newRow("HTTP/2 text") << QByteArray("GET /health HTTP/2.0\r\nHost: localhost\r\n\r\n") << QByteArray("505");
    }

    void ambiguousFramingIsRefused()
    {
        QFETCH(QByteArray, request);
        QFETCH(QByteArray, status);
        GuardedServer server({});
        auto socket = connectTo(server);
        socket->write(request);
        const QByteArray answer = readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 " + status), answer.constData());
        QVERIFY(answer.contains("\"detail\""));
        QTRY_COMPARE_WITH_TIMEOUT(socket->state(), QAbstractSocket::UnconnectedState, 5000);
    }

    // A chunked body is counted as it arrives: 413 as soon as it passes the
    // limit, and the connection's next request is framed afresh.
    void chunkedBodiesAreCounted()
    {
        ApiSettings settings;
        settings.maxUploadBytes = 1024 * 1024;
        GuardedServer server(settings);
        auto socket = connectTo(server);
        socket->write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = QByteArray::number(64 * 1024, 16) + "\r\n" + QByteArray(64 * 1024, ' ') + "\r\n";
        QByteArray answer;
        qint64 sent = 0;
        while (sent < 64LL * 1024 * 1024 && !answer.contains("}")) {
            socket->write(chunk);
            sent += chunk.size();
            socket->waitForBytesWritten(100);
            QCoreApplication::processEvents();
            answer += socket->readAll();
        }
        answer += readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(300).constData());
        QVERIFY2(sent < 4 * 1024 * 1024, qPrintable(QString::number(sent)));

        // Small chunked uploads still work, one after the other on one
        // connection: the guard frames each request afresh.
        auto good = connectTo(server);
        const QByteArray body = "{\"document_data\": \"# Title\", \"filename\": \"a.md\"}";
        const QByteArray head = "POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n";
        const QByteArray chunked = head + "Transfer-Encoding: chunked\r\n\r\n" + QByteArray::number(body.size(), 16)
            + ";ext=1\r\n" + body + "\r\n0\r\n\r\n";
        const QByteArray sized = head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
        QByteArray replies;
        for (const QByteArray &request : {chunked, sized, chunked}) {
            good->write(request);
            const int expected = int(replies.count("HTTP/1.1 202")) + 1;
            QTRY_VERIFY2_WITH_TIMEOUT((replies += good->readAll()).count("HTTP/1.1 202") == expected, replies.constData(), 5000);
        }
    }

    // With a key set, a request without it is refused on its head: no
    // "100 Continue", no body read.
    void keyIsCheckedBeforeTheBody()
    {
        ApiSettings settings;
        settings.admission.apiKey = "secret";
        GuardedServer server(settings);
        auto socket = connectTo(server);
        socket->write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                      "Expect: 100-continue\r\nContent-Length: 100000000\r\n\r\n");
        const QByteArray answer = readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 401"), answer.constData());
        QVERIFY(!answer.contains("100 Continue"));
        QVERIFY(answer.contains("WWW-Authenticate: Bearer"));
    }

    // Bodies in flight are held in memory: one client cannot take the
    // server's whole budget.
    void bodiesInFlightHaveABudget()
    {
        ApiSettings settings;
        settings.maxUploadBytes = 8 * 1024 * 1024;
        settings.connections.maxBufferedBytesPerClient = 1024 * 1024;
        GuardedServer server(settings);
        const QByteArray head = "POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                                "Content-Length: 4000000\r\n\r\n";
        auto first = connectTo(server);
        first->write(head + QByteArray(700 * 1024, ' '));
        QTRY_VERIFY_WITH_TIMEOUT(first->bytesToWrite() == 0, 3000);
        QTest::qWait(200);
        auto second = connectTo(server);
        second->write(head + QByteArray(700 * 1024, ' '));
        const QByteArray answer = readAnswer(*second, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 503"), answer.left(200).constData());
        QVERIFY(answer.contains("too many uploads"));
        first.reset(); // its share comes back
        QTest::qWait(200);
        QCOMPARE(httpRequest(m_network, "POST", server.base.resolved(QUrl(QStringLiteral("/submit"))),
                             "{\"document_data\": \"# Title\", \"filename\": \"a.md\"}", "application/json").status, 202);
    }

    // The desktop's API is for programs on this machine: a web page of
    // another site cannot use it through the user's browser.
    void desktopRefusesOtherSitesPages()
    {
        ApiSettings settings;
        settings.admission.localClientsOnly = true;
        GuardedServer server(settings);
        const QUrl health = server.base.resolved(QUrl(QStringLiteral("/health")));
        for (const auto &[name, value] : {std::pair<QByteArray, QByteArray>{"Origin", "https://evil.example"},
                                          std::pair<QByteArray, QByteArray>{"Origin", "null"},
                                          std::pair<QByteArray, QByteArray>{"Sec-Fetch-Site", "cross-site"}}) {
            QNetworkRequest request(health);
            request.setRawHeader(name, value);
            QScopedPointer<QNetworkReply> reply(m_network.get(request));
            QTRY_VERIFY(reply->isFinished());
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 403);
        }
        QNetworkRequest local(health);
        local.setRawHeader("Origin", QStringLiteral("http://127.0.0.1:%1").arg(server.api->port()).toUtf8());
        QScopedPointer<QNetworkReply> reply(m_network.get(local));
        QTRY_VERIFY(reply->isFinished());
        QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    }

    void admissionRules()
    {
        auto request = [](const char *path, const char *peer, QHash<QByteArray, QByteArray> headers = {}) {
            return AdmissionRequest{path, [headers](QByteArrayView name) { return headers.value(name.toByteArray()); },
                                    QHostAddress(QString::fromLatin1(peer))};
        };
        const AdmissionPolicy open;
        // No key: the job list only to this machine's clients.
        QCOMPARE(admissionError(open, request("/jobs", "192.0.2.7"))->code, ErrorCode::Forbidden);
        QVERIFY(!admissionError(open, request("/jobs", "127.0.0.1")));
        QVERIFY(!admissionError(open, request("/jobs", "::1")));
        QVERIFY(!admissionError(open, request("/submit", "192.0.2.7")));
        AdmissionPolicy keyed;
        keyed.apiKey = "k";
        QCOMPARE(admissionError(keyed, request("/jobs", "127.0.0.1"))->code, ErrorCode::Unauthorized);
        QVERIFY(!admissionError(keyed, request("/jobs", "192.0.2.7", {{"x-api-key", "k"}})));
        QVERIFY(!admissionError(keyed, request("/health", "192.0.2.7")));
        QVERIFY(!admissionError(keyed, request("/docs/swagger-ui.css", "192.0.2.7")));
    }

    // A client that stops reading its answer loses the connection once the
    // answer has made no progress for the write timeout.
    void readersThatStopAreDropped()
    {
        ApiSettings settings;
        settings.connections.writeTimeoutMs = 1000;
        GuardedServer server(settings);
        QImage noise(3200, 2400, QImage::Format_RGB32);
        quint32 seed = 11;
        for (int y = 0; y < noise.height(); ++y)
            for (int x = 0; x < noise.width(); ++x)
                noise.setPixel(x, y, (seed = seed * 1664525u + 1013904223u) >> 8);
        const QByteArray pdf = Test::paintedPdf([&noise](QPainter &painter) { painter.drawImage(QRectF(60, 80, 400, 280), noise); });
        const Test::HttpReply submitted = httpRequest(m_network, "POST", server.base.resolved(QUrl(QStringLiteral("/submit"))),
                                                      Test::multipartBody({{"file", "noise.pdf", pdf}}, kBoundary),
                                                      Test::multipartContentType(kBoundary));
        const QString id = submitted.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, server.base, id, 60000).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QTcpSocket stalled;
        stalled.setReadBufferSize(1);
        stalled.connectToHost(QHostAddress::LocalHost, server.api->port());
        QVERIFY(stalled.waitForConnected(5000));
        stalled.write(QStringLiteral("GET /result/%1 HTTP/1.1\r\nHost: localhost\r\n\r\n").arg(id).toLatin1());
        QTest::qWait(3000); // the answer stalls, and the timeout passes
        // Reading again now finds the connection cut short of the answer.
        stalled.setReadBufferSize(0);
        QByteArray received;
        QTRY_VERIFY_WITH_TIMEOUT((received += stalled.readAll(), stalled.state() == QAbstractSocket::UnconnectedState), 10000);
        received += stalled.readAll();
        const qsizetype headEnd = received.indexOf("\r\n\r\n");
        QVERIFY(received.startsWith("HTTP/1.1 200"));
        const QByteArray lengthHeader = "Content-Length: ";
        const qsizetype at = received.indexOf(lengthHeader);
        const qint64 length = received.mid(at + lengthHeader.size(), received.indexOf("\r\n", at) - at - lengthHeader.size()).toLongLong();
        QVERIFY2(received.size() - headEnd - 4 < length, qPrintable(QStringLiteral("%1 of %2").arg(received.size()).arg(length)));
    }

    void fullQueueAnswers429()
    {
        ApiSettings settings;
        settings.maxQueuedJobs = 2;
        GuardedServer server(settings, 1);
        // A page to OCR keeps the one worker busy for a second or more, a
        // hundred times what the five submissions take (a text PDF of
        // hundreds of pages may be done before the last).
        const QImage scan = Test::scannedManualPage();
        const QByteArray body = Test::multipartBody({{"file", "scan.png", Test::encodeImage(scan, "PNG")}}, kBoundary);
        QList<int> statuses;
        Test::HttpReply last;
        for (int i = 0; i < 5; ++i) {
            last = httpRequest(m_network, "POST", server.base.resolved(QUrl(QStringLiteral("/submit"))), body,
                               Test::multipartContentType(kBoundary));
            statuses.append(last.status);
        }
        QVERIFY2(statuses.count(202) >= 2 && statuses.count(202) <= 3, qPrintable(QString::number(statuses.count(202))));
        QCOMPARE(last.status, 429);
        QVERIFY(last.header("Retry-After").toInt() >= 5);
        QVERIFY(last.json().value(QStringLiteral("detail")).toString().contains(QStringLiteral("queue is full")));
    }

    void fullDiskAnswers507()
    {
        ApiSettings settings;
        settings.minFreeDiskBytes = std::numeric_limits<qint64>::max() / 4;
        GuardedServer server(settings);
        const Test::HttpReply reply = httpRequest(m_network, "POST", server.base.resolved(QUrl(QStringLiteral("/submit"))),
                                                  Test::multipartBody({{"file", "a.pdf", Test::multiPagePdf(1)}}, kBoundary),
                                                  Test::multipartContentType(kBoundary));
        QCOMPARE(reply.status, 507);
        QVERIFY(server.jobs->jobs().isEmpty());
        // Reading stays possible.
        QCOMPARE(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/jobs")))).status, 200);
    }

    void fileNamesAreOnlyLabels()
    {
        GuardedServer server({});
        const Test::HttpReply reply = httpRequest(m_network, "POST", server.base.resolved(QUrl(QStringLiteral("/submit"))),
                                                  Test::multipartBody({{"file", "../../etc/pass\x01wd.pdf", Test::multiPagePdf(1)}}, kBoundary),
                                                  Test::multipartContentType(kBoundary));
        QCOMPARE(reply.status, 202);
        const QString id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(server.jobs->job(id)->fileName, QStringLiteral("passwd.pdf"));
    }
};

QTEST_MAIN(TestGuard)
#include "test_guard.moc"
