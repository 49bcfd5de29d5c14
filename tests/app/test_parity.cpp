// One document, every way in: `doc-ray convert`, the headless server with its
// worker processes, and the desktop window with files given on its command
// line (real worker processes, offscreen platform) give the same markdown,
// middle JSON and images.
#include "tests/support/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-parity-boundary";

struct Output {
    QString markdown;
    QJsonDocument middleJson;
    QMap<QString, QByteArray> images; // "images/<name>" -> PNG
};

QString writeFixture(const QTemporaryDir &dir, const QString &name, const QByteArray &data)
{
    const QString path = dir.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

Output convertFile(const QString &input, const QString &outDir)
{
    QDir().mkpath(outDir);
    QProcess process;
    process.start(Test::docRayBinary(), {QStringLiteral("convert"), input, QStringLiteral("-o"), outDir + QStringLiteral("/out.md"),
                                         QStringLiteral("--json"), outDir + QStringLiteral("/out.json")});
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        qWarning() << "convert failed:" << process.readAllStandardError();
    Output output;
    output.markdown = QString::fromUtf8(readAll(outDir + QStringLiteral("/out.md")));
    output.middleJson = QJsonDocument::fromJson(readAll(outDir + QStringLiteral("/out.json")));
    const QDir images(outDir + QStringLiteral("/images"));
    for (const QString &name : images.entryList(QDir::Files))
        output.images.insert(QStringLiteral("images/") + name, readAll(images.filePath(name)));
    return output;
}

Output resultOf(QNetworkAccessManager &network, const QUrl &base, const QString &id)
{
    const QJsonObject result = httpRequest(network, "GET", base.resolved(QUrl(QStringLiteral("/result/") + id)))
                                   .json().value(QStringLiteral("result")).toObject();
    Output output;
    output.markdown = result.value(QStringLiteral("markdown")).toString();
    output.middleJson = QJsonDocument::fromJson(result.value(QStringLiteral("middle_json")).toString().toUtf8());
    const QJsonObject images = result.value(QStringLiteral("images")).toObject();
    for (auto it = images.constBegin(); it != images.constEnd(); ++it)
        output.images.insert(it.key(), QByteArray::fromBase64(it.value().toString().toLatin1()));
    return output;
}

int freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

// Waits until every listed job has finished; returns the jobs by file name.
QHash<QString, QJsonObject> finishedJobs(QNetworkAccessManager &network, const QUrl &base, int expected, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QHash<QString, QJsonObject> byName;
    while (!deadline.hasExpired()) {
        byName.clear();
        const QJsonArray jobs = httpRequest(network, "GET", base.resolved(QUrl(QStringLiteral("/jobs"))))
                                    .json().value(QStringLiteral("jobs")).toArray();
        int finished = 0;
        for (const QJsonValue &value : jobs) {
            const QJsonObject job = value.toObject();
            byName.insert(job.value(QStringLiteral("filename")).toString(), job);
            finished += job.value(QStringLiteral("status")).toString() != QLatin1String("processing");
        }
        if (jobs.size() == expected && finished == expected)
            break;
        QTest::qWait(250);
    }
    return byName;
}

void compareOutputs(const Output &actual, const Output &expected)
{
    QVERIFY(!expected.markdown.isEmpty());
    QCOMPARE(actual.markdown, expected.markdown);
    QCOMPARE(actual.middleJson, expected.middleJson);
    QCOMPARE(actual.images.keys(), expected.images.keys());
    QCOMPARE(actual.images, expected.images);
}

} // namespace

class TestParity : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    QTemporaryDir m_dir;
    QString m_richPdf;
    Output m_converted;

private Q_SLOTS:
    void initTestCase()
    {
        m_richPdf = writeFixture(m_dir, QStringLiteral("rich.pdf"), Test::richDocumentPdf(3));
        m_converted = convertFile(m_richPdf, m_dir.filePath(QStringLiteral("convert")));
        // The fixture is worth comparing: a table, figures and Chinese came out.
        QVERIFY2(m_converted.markdown.contains(QStringLiteral("| alpha |")), qPrintable(m_converted.markdown));
        QVERIFY2(m_converted.markdown.contains(QStringLiteral("第2次实验")), qPrintable(m_converted.markdown));
        QCOMPARE(m_converted.images.size(), 3);
    }

    void serverMatchesConvert()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const Test::HttpReply reply = httpRequest(m_network, "POST", server.url().resolved(QUrl(QStringLiteral("/submit"))),
                                                  Test::multipartBody({{"file", "rich.pdf", readAll(m_richPdf)}}, kBoundary),
                                                  Test::multipartContentType(kBoundary));
        QCOMPARE(reply.status, 202);
        const QString id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, server.url(), id, 120000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        compareOutputs(resultOf(m_network, server.url(), id), m_converted);
    }

    // Files named on the desktop's command line go through the window's own
    // submit path (a pool thread) to the real worker processes.
    void desktopWindowMatchesConvert()
    {
        QTemporaryDir home;
        const QString plain = writeFixture(home, QStringLiteral("plain.pdf"), Test::multiPagePdf(2));
        const QString more = writeFixture(home, QStringLiteral("more.pdf"), Test::multiPagePdf(3));
        const int port = freePort();
        QProcess desktop;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home.filePath(QStringLiteral("config")));
        env.remove(QStringLiteral("DOCRAY_SERVER"));
        desktop.setProcessEnvironment(env);
        desktop.setProcessChannelMode(QProcess::ForwardedChannels);
        desktop.start(Test::docRayBinary(), {QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"),
                                             home.filePath(QStringLiteral("data")), m_richPdf, plain, more});
        QVERIFY(desktop.waitForStarted(10000));
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const QHash<QString, QJsonObject> jobs = finishedJobs(m_network, base, 3, 120000);
        for (const QString &name : {QStringLiteral("rich.pdf"), QStringLiteral("plain.pdf"), QStringLiteral("more.pdf")})
            QCOMPARE(jobs.value(name).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        compareOutputs(resultOf(m_network, base, jobs.value(QStringLiteral("rich.pdf")).value(QStringLiteral("job_id")).toString()),
                       m_converted);
        desktop.terminate();
        QVERIFY(desktop.waitForFinished(20000));
    }
};

QTEST_MAIN(TestParity)
#include "test_parity.moc"
