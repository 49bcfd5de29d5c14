// The browser UI in a real browser: Debian's Chromium, driven by
// tests/browser/ui_check.mjs (playwright-core, installed by
// packaging/install-deps.sh), against the real server with its parser
// processes, with and without an API key.
#include "tests/support/testsupport.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

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
    void pageConvertsOpensAndDeletes();
    void pageAsksForTheApiKey();

private:
    // Runs the page checks against a server started with `arguments` and
    // `environment`; fails with what the browser script printed.
    void runPageChecks(const QStringList &serverArguments, const QProcessEnvironment &environment, const QString &key);

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

void TestBrowser::runPageChecks(const QStringList &serverArguments, const QProcessEnvironment &environment,
                                const QString &key)
{
    const QString dataDir = m_dir.filePath(key.isEmpty() ? QStringLiteral("open") : QStringLiteral("keyed"));
    Test::ServerProcess server(dataDir, serverArguments);
    server.setEnvironment(environment);
    QString error;
    QVERIFY2(server.start(&error), qPrintable(error));

    QProcess browser;
    browser.setProcessChannelMode(QProcess::MergedChannels);
    QStringList arguments{QStringLiteral(DOCRAY_BROWSER_TESTS "/ui_check.mjs"),
                          QStringLiteral("--url"), server.url().toString(),
                          QStringLiteral("--rich"), m_rich,
                          QStringLiteral("--hostile"), m_hostile,
                          QStringLiteral("--out"), dataDir + QStringLiteral("/downloads")};
    if (!key.isEmpty())
        arguments << QStringLiteral("--key") << key;
    QProcessEnvironment browserEnvironment = QProcessEnvironment::systemEnvironment();
    browserEnvironment.insert(QStringLiteral("DOCRAY_CHROMIUM"), QStringLiteral(DOCRAY_CHROMIUM));
    browser.setProcessEnvironment(browserEnvironment);
    browser.start(QStringLiteral(DOCRAY_NODE), arguments);
    QVERIFY2(browser.waitForStarted(10000), qPrintable(browser.errorString()));
    const bool finished = browser.waitForFinished(400000);
    const QByteArray output = browser.readAll();
    qInfo().noquote() << output;
    if (!finished)
        browser.kill();
    QVERIFY2(finished, "the browser checks did not finish in time");
    QVERIFY2(browser.exitStatus() == QProcess::NormalExit && browser.exitCode() == 0,
             qPrintable(QStringLiteral("the browser checks failed; the server said:\n") + server.output().right(3000)));
}

// Two parser processes, as a server runs by default on two cores.
void TestBrowser::pageConvertsOpensAndDeletes()
{
    runPageChecks({QStringLiteral("--workers"), QStringLiteral("2")}, QProcessEnvironment::systemEnvironment(), {});
}

void TestBrowser::pageAsksForTheApiKey()
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    const QString key = QStringLiteral("browser-test-key-7f3a");
    environment.insert(QStringLiteral("DOCRAY_API_KEY"), key);
    runPageChecks({QStringLiteral("--workers"), QStringLiteral("2")}, environment, key);
}

QTEST_MAIN(TestBrowser)
#include "test_browser.moc"
