// The doc-ray executable itself: the headless server killed and restarted on
// the same data directory, graceful shutdown, the command line and `convert`.
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QDirIterator>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpSocket>
#include <QScopeGuard>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

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
    // A chunked upload has no length to refuse up front: it is counted as
    // it arrives and refused once past --max-upload-mb, never buffered
    // beyond it, whatever the client goes on sending.
    void chunkedFloodIsRefusedEarly()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path(), {QStringLiteral("--max-upload-mb"), QStringLiteral("20")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(server.url().port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n");
        const QByteArray chunk = QByteArray::number(1024 * 1024, 16) + "\r\n" + QByteArray(1024 * 1024, '\0') + "\r\n";
        qint64 sent = 0;
        QByteArray answer;
        while (sent < 3LL * 1024 * 1024 * 1024 && !answer.contains("}") && socket.state() == QAbstractSocket::ConnectedState) {
            socket.write(chunk);
            sent += chunk.size();
            socket.waitForBytesWritten(1000);
            answer += socket.readAll();
        }
        QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(200).constData());
        QVERIFY2(sent < 64LL * 1024 * 1024, qPrintable(QStringLiteral("%1 MB sent before the answer").arg(sent >> 20)));
        QVERIFY2(server.peakRssMb() < 300, qPrintable(QStringLiteral("server peak RSS %1 MB").arg(server.peakRssMb())));
        QCOMPARE(httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/health")))).status, 200);
    }

    // Clients that ask for a large result and never read it hold a file and
    // a socket each, not the result in memory.
    void unreadResultsDoNotHoldMemory()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        // A PDF of 8 MB (a picture that does not compress), its result about 11 MB.
        QImage noise(3200, 2400, QImage::Format_RGB32);
        quint32 seed = 7;
        for (int y = 0; y < noise.height(); ++y)
            for (int x = 0; x < noise.width(); ++x)
                noise.setPixel(x, y, (seed = seed * 1664525u + 1013904223u) >> 8);
        const QByteArray pdf = Test::paintedPdf([&noise](QPainter &painter) {
            painter.drawText(QPointF(60, 60), QStringLiteral("A page with a large picture."));
            painter.drawImage(QRectF(60, 80, 400, 280), noise);
        });
        QVERIFY2(pdf.size() > 6 * 1024 * 1024, qPrintable(QString::number(pdf.size())));
        const QString id = submitPdf(m_network, server.url(), pdf, "large.pdf");
        QCOMPARE(Test::waitForJob(m_network, server.url(), id, 120000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        const double before = server.rssMb();
        std::vector<std::unique_ptr<QTcpSocket>> readers;
        for (int i = 0; i < 40; ++i) {
            auto socket = std::make_unique<QTcpSocket>();
            socket->setReadBufferSize(1); // never takes more than the kernel holds
            socket->connectToHost(QHostAddress::LocalHost, quint16(server.url().port()));
            QVERIFY(socket->waitForConnected(5000));
            socket->write(QStringLiteral("GET /result/%1 HTTP/1.1\r\nHost: localhost\r\n\r\n").arg(id).toLatin1());
            socket->flush();
            readers.push_back(std::move(socket));
        }
        QTest::qWait(8000); // every answer written as far as the kernel takes it
        const double during = server.rssMb();
        QVERIFY2(during - before < 150, qPrintable(QStringLiteral("RSS %1 MB -> %2 MB with 40 unread results of %3 MB")
                                                       .arg(before).arg(during).arg(pdf.size() >> 20)));
        // The server still answers everyone else, and a reader that reads gets it all.
        const Test::HttpReply whole = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/result/") + id)));
        QCOMPARE(whole.status, 200);
        QCOMPARE(QByteArray::fromBase64(whole.json().value(QStringLiteral("result")).toObject()
                                            .value(QStringLiteral("pdf_data")).toString().toLatin1()),
                 pdf);
        const Test::HttpReply raw = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/result/%1/pdf").arg(id))));
        QCOMPARE(raw.header("Content-Type"), QByteArray("application/pdf"));
        QCOMPARE(raw.body, pdf);
    }

    // Whatever a client puts in its path, the access log keeps one line
    // per request: nobody can forge a line from outside.
    void logLinesCannotBeForged()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, quint16(server.url().port()));
        QVERIFY(socket.waitForConnected(5000));
        socket.write("GET /x%0A2026-01-01T00:00:00.000Z%20info%20docray.http%20forged%0D%E2%80%A8tail HTTP/1.1\r\n"
                     "Host: localhost\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(server.output().contains(QStringLiteral("tail")), 5000);
        const QStringList lines = server.output().split(QLatin1Char('\n'));
        for (const QString &line : lines)
            QVERIFY2(!line.startsWith(QStringLiteral("2026-01-01")) && !line.startsWith(QStringLiteral("tail")), qPrintable(line));
        QVERIFY(std::any_of(lines.cbegin(), lines.cend(), [](const QString &line) {
            return line.contains(QStringLiteral("GET /x%0A2026")) && line.contains(QStringLiteral(" 404 "));
        }));
    }

    // A --server open to the network without a key says so, loudly, and
    // keeps the job list to clients on this machine.
    void openServerWarns()
    {
        QTemporaryDir data;
        QProcess process;
        process.setProcessChannelMode(QProcess::MergedChannels);
        process.start(Test::docRayBinary(), {QStringLiteral("--server"), QStringLiteral("--host"), QStringLiteral("0.0.0.0"),
                                             QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--data-dir"), data.path()});
        QByteArray log;
        QTRY_VERIFY_WITH_TIMEOUT((log += process.readAll()).contains("listening on"), 20000);
        QVERIFY2(log.contains("WARNING: The API is open to the network without a key"), log.constData());
        const QRegularExpressionMatch port = QRegularExpression(QStringLiteral(":(\\d+) ")).match(QString::fromUtf8(log.mid(log.indexOf("listening on"))));
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port.captured(1)));
        const QJsonObject health = httpRequest(m_network, "GET", base.resolved(QUrl(QStringLiteral("/health")))).json();
        QVERIFY(health.value(QStringLiteral("warnings")).toArray().first().toString().contains(QStringLiteral("--api-key")));
        QCOMPARE(httpRequest(m_network, "GET", base.resolved(QUrl(QStringLiteral("/jobs")))).status, 200); // loopback
        process.terminate();
        QVERIFY(process.waitForFinished(20000));
    }

    // LibreOffice runs under a parser worker. Deleting the job kills the
    // worker and everything it started; nothing is left on disk; neither
    // sees the service's secrets.
    void officeChildrenDieWithTheirJob()
    {
        QTemporaryDir data, temp, spy;
        const QString fake = spy.filePath(QStringLiteral("soffice"));
        QFile script(fake);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nenv > '" + spy.filePath(QStringLiteral("env.txt")).toUtf8() + "'\necho $$ > '"
                     + spy.filePath(QStringLiteral("pid.tmp")).toUtf8() + "'\nmv '" + spy.filePath(QStringLiteral("pid.tmp")).toUtf8()
                     + "' '" + spy.filePath(QStringLiteral("pid")).toUtf8() + "'\nexec sleep 120\n");
        script.close();
        QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        Test::ServerProcess server(data.path(), {QStringLiteral("--api-key"), QStringLiteral("key-topsecret-1")});
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TMPDIR"), temp.path());
        env.insert(QStringLiteral("DOCRAY_SOFFICE"), fake);
        env.insert(QStringLiteral("CLOUD_SECRET"), QStringLiteral("cloud-topsecret-2"));
        server.setEnvironment(env);
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));

        const QByteArray odt = Test::zipArchive({{QStringLiteral("mimetype"), "application/vnd.oasis.opendocument.text"},
                                                 {QStringLiteral("content.xml"), "<office:document-content/>"}});
        QNetworkRequest submit(server.url().resolved(QUrl(QStringLiteral("/submit"))));
        submit.setRawHeader("X-API-Key", "key-topsecret-1");
        submit.setHeader(QNetworkRequest::ContentTypeHeader, Test::multipartContentType(kBoundary));
        QScopedPointer<QNetworkReply> submitted(m_network.post(submit, Test::multipartBody({{"file", "notes.odt", odt}}, kBoundary)));
        QTRY_VERIFY(submitted->isFinished());
        const QString id = QJsonDocument::fromJson(submitted->readAll()).object().value(QStringLiteral("job_id")).toString();
        QVERIFY(!id.isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(spy.filePath(QStringLiteral("pid"))), 30000);

        QFile seen(spy.filePath(QStringLiteral("env.txt")));
        QVERIFY(seen.open(QIODevice::ReadOnly));
        const QByteArray officeEnv = seen.readAll();
        QVERIFY2(!officeEnv.contains("topsecret"), officeEnv.constData());
        QFile workers(QStringLiteral("/proc/%1/task/%1/children").arg(server.pid()));
        QVERIFY(workers.open(QIODevice::ReadOnly));
        for (const QByteArray &pid : workers.readAll().split(' ')) {
            QFile environ(QStringLiteral("/proc/%1/environ").arg(QString::fromLatin1(pid.trimmed())));
            if (!pid.trimmed().isEmpty() && environ.open(QIODevice::ReadOnly))
                QVERIFY2(!environ.readAll().contains("topsecret"), "a worker sees the service's secrets");
        }

        QFile pidFile(spy.filePath(QStringLiteral("pid")));
        QVERIFY(pidFile.open(QIODevice::ReadOnly));
        const pid_t office = static_cast<pid_t>(pidFile.readAll().trimmed().toLongLong());
        QVERIFY(office > 1 && ::kill(office, 0) == 0);
        QNetworkRequest remove(server.url().resolved(QUrl(QStringLiteral("/result/") + id)));
        remove.setRawHeader("X-API-Key", "key-topsecret-1");
        QScopedPointer<QNetworkReply> removed(m_network.deleteResource(remove));
        QTRY_VERIFY(removed->isFinished());
        QCOMPARE(removed->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
        // Gone, not a zombie: its parent (the worker) is gone too, so init reaps it.
        QTRY_VERIFY_WITH_TIMEOUT(::kill(office, 0) != 0, 10000);
        QDirIterator left(temp.path(), {QStringLiteral("doc-ray-office-*")}, QDir::Dirs, QDirIterator::Subdirectories);
        QVERIFY2(!left.hasNext(), qPrintable(left.hasNext() ? left.next() : QString()));
    }

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

    // The device is the one a worker process resolves; the service's own
    // process never maps LibTorch. A device the machine lacks says so.
    void serviceAsksAWorkerForTheDevice()
    {
        QTemporaryDir dir;
        Test::ServerProcess server(dir.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString device = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/health"))))
                                   .json().value(QStringLiteral("device")).toString();
        QVERIFY2(device == QLatin1String("cpu") || device == QLatin1String("cuda"), qPrintable(device));
        QFile maps(QStringLiteral("/proc/%1/maps").arg(server.pid()));
        QVERIFY(maps.open(QIODevice::ReadOnly));
        const QByteArray mapped = maps.readAll();
        QVERIFY(mapped.contains("libQt6Core"));
        QVERIFY2(!mapped.contains("libtorch"), "the service process loaded LibTorch");
        QVERIFY(server.output().contains(QStringLiteral("(device %1,").arg(device)));

        QTemporaryDir other;
        Test::ServerProcess missing(other.path(), {QStringLiteral("--device"), QStringLiteral("cuda")});
        QVERIFY2(missing.start(&error), qPrintable(error));
        const QString asked = httpRequest(m_network, "GET", missing.url().resolved(QUrl(QStringLiteral("/health"))))
                                  .json().value(QStringLiteral("device")).toString();
        QVERIFY2(asked == (device == QLatin1String("cuda") ? QStringLiteral("cuda") : QStringLiteral("cuda (unavailable)")),
                 qPrintable(asked));
    }

    // Every worker starts with the service and, idle, loads its OCR before
    // any job (and LibTorch where the device is a GPU; on the CPU never): the
    // first document waits for neither.
    void idleWorkersLoadTheirParsersBeforeTheFirstJob()
    {
        QTemporaryDir dir;
        Test::ServerProcess server(dir.path(), {QStringLiteral("--workers"), QStringLiteral("2")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QJsonObject health = httpRequest(m_network, "GET", server.url().resolved(QUrl(QStringLiteral("/health")))).json();
        QCOMPARE(health.value(QStringLiteral("workers")).toInt(), 2);
        const QString device = health.value(QStringLiteral("device")).toString();
        const auto readyWorkers = [&server, &device] {
            QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(server.pid()));
            if (!children.open(QIODevice::ReadOnly))
                return -1;
            int ready = 0;
            for (const QByteArray &pid : children.readAll().split(' '))
                ready += !pid.trimmed().isEmpty() && Test::workerPrepared(QString::fromLatin1(pid.trimmed()), device);
            return ready;
        };
        QTRY_COMPARE_WITH_TIMEOUT(readyWorkers(), 2, 20000);
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

        // Folders that are not there yet are made.
        const QString markdownPath = dir.filePath(QStringLiteral("out/three.md"));
        const QString jsonPath = dir.filePath(QStringLiteral("json/nested/three.json"));
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

        // An output that cannot be written is refused before the parse.
        const ProcessResult intoFile = runDocRay({QStringLiteral("convert"), input, QStringLiteral("-o"),
                                                  input + QStringLiteral("/three.md")});
        QCOMPARE(intoFile.exitCode, 1);
        QVERIFY2(intoFile.err.contains("cannot make the folder " + input.toUtf8()), intoFile.err.constData());
        const ProcessResult ontoFolder = runDocRay({QStringLiteral("convert"), input, QStringLiteral("--json"), dir.path()});
        QCOMPARE(ontoFolder.exitCode, 1);
        QVERIFY2(ontoFolder.err.contains("it is a directory"), ontoFolder.err.constData());
        QVERIFY(ontoFolder.out.isEmpty()); // refused before the parse: no markdown on stdout either

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

    // convert writes a PDF's pictures beside the markdown as they are cut,
    // read from the file (not held in memory): the same files, the same
    // markdown, as when they are kept for an archive; --pdf copies the input.
    void convertWritesPicturesAsTheyAreCut()
    {
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("rich.pdf"));
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        const QByteArray pdf = Test::richDocumentPdf(2);
        file.write(pdf);
        file.close();
        const ProcessResult streamed = runDocRay({QStringLiteral("convert"), input, QStringLiteral("-o"),
                                                  dir.filePath(QStringLiteral("streamed/rich.md"))});
        QVERIFY2(streamed.exitCode == 0, streamed.err.constData());
        const ProcessResult kept = runDocRay({QStringLiteral("convert"), input, QStringLiteral("-o"),
                                              dir.filePath(QStringLiteral("kept/rich.md")), QStringLiteral("--archive"),
                                              dir.filePath(QStringLiteral("kept/rich.zip")), QStringLiteral("--pdf"),
                                              dir.filePath(QStringLiteral("kept/rich.pdf"))});
        QVERIFY2(kept.exitCode == 0, kept.err.constData());
        auto folder = [&dir](const QString &name) {
            QMap<QString, QByteArray> files;
            const QDir images(dir.filePath(name + QStringLiteral("/images")));
            for (const QString &image : images.entryList(QDir::Files)) {
                QFile picture(images.filePath(image));
                if (picture.open(QIODevice::ReadOnly))
                    files.insert(image, picture.readAll());
            }
            QFile markdown(dir.filePath(name + QStringLiteral("/rich.md")));
            if (markdown.open(QIODevice::ReadOnly))
                files.insert(QStringLiteral("rich.md"), markdown.readAll());
            return files;
        };
        const QMap<QString, QByteArray> streamedFiles = folder(QStringLiteral("streamed"));
        QCOMPARE(streamedFiles.size(), 9); // the markdown and four pictures a page
        QVERIFY2(streamedFiles.value(QStringLiteral("rich.md")).contains("](images/2_1.png)"),
                 streamedFiles.value(QStringLiteral("rich.md")).constData());
        QCOMPARE(streamedFiles, folder(QStringLiteral("kept")));
        QFile copied(dir.filePath(QStringLiteral("kept/rich.pdf")));
        QVERIFY(copied.open(QIODevice::ReadOnly));
        QVERIFY(copied.readAll() == pdf);
    }

    // A page that is one picture with an alpha channel (a photo cover, a
    // PNG pasted whole) is read by OCR from its picture through the real
    // binary: its words come out, blended over the paper, not over the
    // black its clear pixels hold.
    void convertReadsAPictureWithAlphaPage()
    {
        const QImage text = Test::textImage({QStringLiteral("Picture covers read well"),
                                             QStringLiteral("through their alpha channel")},
                                            200, 16);
        QImage picture(text.size(), QImage::Format_ARGB32);
        for (int y = 0; y < text.height(); ++y) {
            auto *row = reinterpret_cast<QRgb *>(picture.scanLine(y));
            for (int x = 0; x < text.width(); ++x) {
                const int ink = 255 - qGray(text.pixel(x, y));
                row[x] = ink > 0 ? qRgba(20, 40, 160, ink) : qRgba(0, 0, 0, 0);
            }
        }
        const QSizeF page(picture.width() * 72.0 / 200, picture.height() * 72.0 / 200);
        const QByteArray pdf = Test::imagePagePdf(page, picture, "q " + QByteArray::number(page.width()) + " 0 0 "
                                                      + QByteArray::number(page.height()) + " 0 0 cm /Im0 Do Q");
        QVERIFY(pdf.contains("/SMask"));
        QTemporaryDir dir;
        const QString input = dir.filePath(QStringLiteral("cover.pdf"));
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(pdf);
        file.close();
        const ProcessResult converted = runDocRay({QStringLiteral("convert"), input});
        QVERIFY2(converted.exitCode == 0, converted.err.constData());
        for (const char *word : {"Picture", "covers", "alpha", "channel"})
            QVERIFY2(converted.out.contains(word), converted.out.constData());
    }

    // convert stops a document at a time and an address space, as a
    // server's worker does, with a message: a hostile file neither runs on
    // for hours nor takes the machine's memory.
    void convertStopsAtItsLimits()
    {
        QTemporaryDir dir;
        // Twenty scanned pages to read: many seconds of OCR.
        QList<QImage> frames;
        for (int n = 1; n <= 20; ++n)
            frames.append(Test::textImage({QStringLiteral("Scanned page %1 of a long report").arg(n),
                                           QStringLiteral("with a second line of text to read")}));
        const QString input = dir.filePath(QStringLiteral("long.tif"));
        QFile file(input);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(Test::multiPageTiff(frames));
        file.close();
        QElapsedTimer clock;
        clock.start();
        const ProcessResult stopped = runDocRay({QStringLiteral("convert"), input, QStringLiteral("--timeout"), QStringLiteral("1"),
                                                 QStringLiteral("-o"), dir.filePath(QStringLiteral("long.md"))});
        QCOMPARE(stopped.exitCode, 1);
        QVERIFY2(stopped.err.contains("gave up on the document after 1 s (--timeout)"), stopped.err.constData());
        QVERIFY2(clock.elapsed() < 20000, qPrintable(QString::number(clock.elapsed())));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("long.md"))));

        const ProcessResult refused = runDocRay({QStringLiteral("convert"), input, QStringLiteral("--max-memory-mb"), QStringLiteral("12")});
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains("--max-memory-mb 0 or at least 256"), refused.err.constData());
    }
};

QTEST_MAIN(TestServer)
#include "test_server.moc"
