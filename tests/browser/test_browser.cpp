// The browser UI in a real browser: Debian's Chromium, driven by
// tests/browser/ui_check.mjs (playwright-core, installed by
// packaging/install-deps.sh), against the real executable in each mode a
// user runs it in: the server with its parser processes (with and without
// an API key), the desktop window, and two cluster replicas on PostgreSQL
// that parse in one-page batches.
#include "tests/support/testdatabase.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <memory>

using namespace DocRay;

namespace {

// Text that is markup: a page that rendered it as HTML would run it.
QByteArray hostilePdf()
{
    return Test::pdfFromHtml(QStringLiteral(
        "<h1>Hostile notes</h1>"
        "<p>hostile-marker &lt;script&gt;window.docrayInjected = 1; document.title = 'pwned'&lt;/script&gt;</p>"
        "<p>&lt;img src=x onerror=\"window.docrayInjected = 2\"&gt; and &lt;iframe src=\"javascript:alert(1)\"&gt;&lt;/iframe&gt;</p>"
        "<p>[click me](javascript:window.docrayInjected=3) &lt;a href=\"javascript:alert(1)\" onclick=\"alert(2)\"&gt;x&lt;/a&gt;</p>"));
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

} // namespace

class TestBrowser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void serverWithParserProcesses();
    void serverWithAnApiKey();
    void desktopWindow();
    void clusterReplicasInPageBatches();

private:
    // The page checks against the server at `url`; fails with what the
    // browser script printed and the end of `serverLog`.
    void runPageChecks(const QUrl &url, const QString &key, const QString &outDir,
                       const std::function<QString()> &serverLog);
    void runAgainstServer(const QString &name, const QStringList &arguments, const QString &key = {});

    QTemporaryDir m_dir;
    QString m_rich;
    QString m_hostile;
};

void TestBrowser::initTestCase()
{
    QVERIFY2(QFile::exists(QStringLiteral(DOCRAY_CHROMIUM)),
             "Chromium is missing: run packaging/install-deps.sh (it installs chromium and the test's npm packages)");
    QVERIFY2(QFile::exists(QStringLiteral(DOCRAY_BROWSER_TESTS "/node_modules/playwright-core/package.json")),
             "playwright-core is missing: run packaging/install-deps.sh");
    m_rich = m_dir.filePath(QStringLiteral("rich.pdf"));
    m_hostile = m_dir.filePath(QStringLiteral("hostile.pdf"));
    QVERIFY(writeFile(m_rich, Test::richDocumentPdf(2)));
    QVERIFY(writeFile(m_hostile, hostilePdf()));
}

void TestBrowser::runPageChecks(const QUrl &url, const QString &key, const QString &outDir,
                                const std::function<QString()> &serverLog)
{
    QProcess browser;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{QStringLiteral(DOCRAY_BROWSER_TESTS "/ui_check.mjs"),
                          QStringLiteral("--url"), url.toString(),
                          QStringLiteral("--rich"), m_rich,
                          QStringLiteral("--hostile"), m_hostile,
                          QStringLiteral("--out"), outDir + QStringLiteral("/downloads")};
    if (!key.isEmpty())
        arguments << QStringLiteral("--key") << key;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("DOCRAY_CHROMIUM"), QStringLiteral(DOCRAY_CHROMIUM));
    browser.setProcessEnvironment(environment);
    browser.start(QStringLiteral(DOCRAY_NODE), arguments);
    QVERIFY2(browser.waitForStarted(10000), qPrintable(browser.errorString()));
    const bool finished = browser.waitForFinished(400000);
    qInfo().noquote() << browser.readAll();
    if (!finished)
        browser.kill();
    QVERIFY2(finished, "the browser checks did not finish in time");
    QVERIFY2(browser.exitStatus() == QProcess::NormalExit && browser.exitCode() == 0,
             qPrintable(QStringLiteral("the browser checks failed; the server said:\n") + serverLog().right(3000)));
}

void TestBrowser::runAgainstServer(const QString &name, const QStringList &arguments, const QString &key)
{
    const QString dataDir = m_dir.filePath(name);
    Test::ServerProcess server(dataDir, arguments);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!key.isEmpty())
        environment.insert(QStringLiteral("DOCRAY_API_KEY"), key);
    server.setEnvironment(environment);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));
    runPageChecks(server.url(), key, dataDir, [&server] { return server.output(); });
}

// Two parser processes, as a server runs by default on two cores.
void TestBrowser::serverWithParserProcesses()
{
    runAgainstServer(QStringLiteral("server"), {QStringLiteral("--workers"), QStringLiteral("2")});
}

void TestBrowser::serverWithAnApiKey()
{
    runAgainstServer(QStringLiteral("keyed"), {QStringLiteral("--workers"), QStringLiteral("2")},
                     QStringLiteral("browser-test-key-7f3a"));
}

// The window's own API on 127.0.0.1 serves the same page.
void TestBrowser::desktopWindow()
{
    QTemporaryDir home;
    const int port = Test::freeLocalPort();
    QProcess desktop;
    desktop.setProcessEnvironment(Test::desktopEnvironment(home.path()));
    desktop.setProcessChannelMode(QProcess::MergedChannels);
    desktop.setStandardOutputFile(home.filePath(QStringLiteral("desktop.log")));
    desktop.start(Test::docRayBinary(), {QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"),
                                         home.filePath(QStringLiteral("data"))});
    QVERIFY(desktop.waitForStarted(10000));
    const QUrl url(QStringLiteral("http://127.0.0.1:%1/").arg(port));
    QNetworkAccessManager network;
    QTRY_VERIFY_WITH_TIMEOUT(Test::httpRequest(network, "GET", url.resolved(QUrl(QStringLiteral("/health"))), {}, {}, 2000).status == 200,
                             20000);
    runPageChecks(url, {}, home.path(), [&home] {
        QFile log(home.filePath(QStringLiteral("desktop.log")));
        return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
    });
    desktop.terminate();
    QVERIFY(desktop.waitForFinished(20000));
}

// The page on one replica sees the jobs the cluster parses page by page.
void TestBrowser::clusterReplicasInPageBatches()
{
    const QString database = Test::resetTestDatabase();
    if (database.isEmpty())
        QFAIL("DOCRAY_TEST_DATABASE_URL is not set: start PostgreSQL with "
              "eval \"$(bash tools/test-postgres.sh start)\" first");
    const QStringList arguments{QStringLiteral("--database"), database, QStringLiteral("--workers"), QStringLiteral("1"),
                                QStringLiteral("--batch-pages"), QStringLiteral("1")};
    Test::ServerProcess other(m_dir.filePath(QStringLiteral("replica-b")), arguments);
    QString error;
    QVERIFY2(other.start(&error), qPrintable(error));
    runAgainstServer(QStringLiteral("replica-a"), arguments);
}

QTEST_MAIN(TestBrowser)
#include "test_browser.moc"
