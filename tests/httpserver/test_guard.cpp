// The server's own guard in front of Qt 6.4's QHttpServer, over raw sockets
// and real HTTP on loopback: header caps, slow clients, connection cap, API
// keys, Host checks, back-pressure and a full disk.
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "httpserver/apiserver.h"
#include "tests/support/testsupport.h"

#include <QNetworkAccessManager>
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
        settings.apiKey = "correct horse battery staple";
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
        settings.loopbackHostsOnly = true;
        GuardedServer server(settings);
        auto socket = connectTo(server);
        socket->write("GET /health HTTP/1.1\r\nHost: attacker.example:8639\r\n\r\n");
        const QByteArray answer = readAnswer(*socket, 3000);
        QVERIFY2(answer.startsWith("HTTP/1.1 403"), answer.constData());
        QCOMPARE(httpRequest(m_network, "GET", server.base.resolved(QUrl(QStringLiteral("/health")))).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", QUrl(QStringLiteral("http://localhost:%1/health").arg(server.api->port()))).status, 200);
    }

    void fullQueueAnswers429()
    {
        ApiSettings settings;
        settings.maxQueuedJobs = 2;
        GuardedServer server(settings, 1);
        const QByteArray body = Test::multipartBody({{"file", "long.pdf", Test::multiPagePdf(300)}}, kBoundary);
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
