// One document, every way in: `doc-ray convert`, the headless server with its
// worker processes, the desktop window with files given on its command line
// (real worker processes, offscreen platform) and a cluster of three
// replicas reading one-page batches, one of them killed mid-job, give the
// same markdown, middle JSON and images, content list, chunks and archive,
// for PDFs (born-digital and a 600 ppi scan), a DOCX and scanned images.
#include "engine/core/ziparchive.h"
#include "engine/pdf/pdfcomposer.h"
#include "tests/support/testdatabase.h"
#include "tests/support/testsupport.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTransform>
#include <QtTest>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-parity-boundary";

struct Output {
    QString markdown;
    QJsonDocument middleJson;
    QMap<QString, QByteArray> images; // "images/<name>" -> PNG
    QJsonDocument contentList;
    QJsonDocument chunks;             // at kChunkQuery's sizes
    QMap<QString, QByteArray> archive; // member -> bytes
    QByteArray pdf;                    // result.pdf_data as bytes
};

const QString kChunkChars = QStringLiteral("300");
const QString kChunkOverlap = QStringLiteral("100");

QMap<QString, QByteArray> unzipped(const QByteArray &zip)
{
    QMap<QString, QByteArray> members;
    const ZipArchive archive(zip);
    for (const QString &name : archive.entryNames())
        members.insert(name, archive.read(name));
    return members;
}

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
                                         QStringLiteral("--json"), outDir + QStringLiteral("/out.json"),
                                         QStringLiteral("--content-list"), outDir + QStringLiteral("/content_list.json"),
                                         QStringLiteral("--chunks"), outDir + QStringLiteral("/chunks.json"),
                                         QStringLiteral("--chunk-chars"), kChunkChars, QStringLiteral("--chunk-overlap"), kChunkOverlap,
                                         QStringLiteral("--archive"), outDir + QStringLiteral("/out.zip"),
                                         QStringLiteral("--pdf"), outDir + QStringLiteral("/out.pdf")});
    if (!process.waitForFinished(120000) || process.exitCode() != 0)
        qWarning() << "convert failed:" << process.readAllStandardError();
    Output output;
    output.markdown = QString::fromUtf8(readAll(outDir + QStringLiteral("/out.md")));
    output.middleJson = QJsonDocument::fromJson(readAll(outDir + QStringLiteral("/out.json")));
    const QDir images(outDir + QStringLiteral("/images"));
    for (const QString &name : images.entryList(QDir::Files))
        output.images.insert(QStringLiteral("images/") + name, readAll(images.filePath(name)));
    output.contentList = QJsonDocument::fromJson(readAll(outDir + QStringLiteral("/content_list.json")));
    output.chunks = QJsonDocument::fromJson(readAll(outDir + QStringLiteral("/chunks.json")));
    output.archive = unzipped(readAll(outDir + QStringLiteral("/out.zip")));
    output.pdf = readAll(outDir + QStringLiteral("/out.pdf"));
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
    auto get = [&](const QString &path) { return httpRequest(network, "GET", base.resolved(QUrl(path.arg(id)))); };
    output.contentList = QJsonDocument::fromJson(get(QStringLiteral("/result/%1/content_list")).body);
    output.chunks = QJsonDocument::fromJson(
        get(QStringLiteral("/result/%1/chunks?max_chars=%2&overlap=%3").replace(QStringLiteral("%2"), kChunkChars)
                .replace(QStringLiteral("%3"), kChunkOverlap)).body);
    const Test::HttpReply archive = get(QStringLiteral("/result/%1/archive"));
    if (archive.header("Content-Type") == "application/zip")
        output.archive = unzipped(archive.body);
    output.pdf = get(QStringLiteral("/result/%1/pdf")).body;
    return output;
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
    QVERIFY(!expected.contentList.array().isEmpty());
    QCOMPARE(actual.contentList, expected.contentList);
    QVERIFY(!expected.chunks.object().value(QStringLiteral("chunks")).toArray().isEmpty());
    QCOMPARE(actual.chunks, expected.chunks);
    QCOMPARE(actual.archive.keys(), expected.archive.keys());
    // The PDF a DOCX is laid out in carries the time it was written: each
    // archive holds its own mode's pdf_data, everything else is the same.
    for (auto it = expected.archive.cbegin(); it != expected.archive.cend(); ++it)
        QVERIFY2(actual.archive.value(it.key()) == (it.key().endsWith(QLatin1String(".pdf")) ? actual.pdf : it.value()),
                 qPrintable(it.key()));
}

} // namespace

class TestParity : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;
    QTemporaryDir m_dir;
    QMap<QString, QString> m_paths;      // file name -> fixture path
    QStringList m_ledgerRows;            // ledger.pdf's rows, as printed
    QMap<QString, Output> m_converted;   // file name -> what convert made of it

    QString submitFile(const QUrl &base, const QString &name, const QString &path = QString())
    {
        const QByteArray data = readAll(path.isEmpty() ? m_paths.value(name) : path);
        const Test::HttpReply reply = httpRequest(m_network, "POST", base.resolved(QUrl(QStringLiteral("/submit"))),
                                                  Test::multipartBody({{"file", name.toUtf8(), data}}, kBoundary),
                                                  Test::multipartContentType(kBoundary));
        return reply.status == 202 ? reply.json().value(QStringLiteral("job_id")).toString() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_paths.insert(QStringLiteral("rich.pdf"), writeFixture(m_dir, QStringLiteral("rich.pdf"), Test::richDocumentPdf(3)));
        m_paths.insert(QStringLiteral("rich.docx"), writeFixture(m_dir, QStringLiteral("rich.docx"), Test::richDocumentDocx()));
        m_paths.insert(QStringLiteral("layouts.pdf"), writeFixture(m_dir, QStringLiteral("layouts.pdf"), Test::layoutsDocumentPdf()));
        m_paths.insert(QStringLiteral("scan.png"),
                       writeFixture(m_dir, QStringLiteral("scan.png"), Test::encodeImage(Test::scannedManualPage(), "PNG")));
        // The same page turned a quarter: turned upright before it is read.
        m_paths.insert(QStringLiteral("turned.png"),
                       writeFixture(m_dir, QStringLiteral("turned.png"),
                                    Test::encodeImage(Test::scannedManualPage().transformed(QTransform().rotate(90)), "PNG")));
        // The same page as a black-and-white fax: Tesseract is handed its 1-bit ink.
        QImage faxPage = Test::scannedManualPage().convertToFormat(QImage::Format_Mono, Qt::ThresholdDither);
        if (faxPage.color(0) != qRgb(255, 255, 255)) {
            faxPage.invertPixels();
            faxPage.setColorTable({qRgb(255, 255, 255), qRgb(0, 0, 0)});
        }
        m_paths.insert(QStringLiteral("fax.tif"), writeFixture(m_dir, QStringLiteral("fax.tif"), Test::encodeImage(faxPage, "tiff")));
        // The same page upside down in a scanned PDF: analysed upright, its boxes on the PDF's page.
        m_paths.insert(QStringLiteral("upside-down.pdf"),
                       writeFixture(m_dir, QStringLiteral("upside-down.pdf"),
                                    PdfComposer::fromImages({Test::scannedManualPage().transformed(QTransform().rotate(180))}, 200)));
        // A scanned procedure, "Step N:" before every row: no column of labels.
        const QStringList actions{QStringLiteral("close the outlet before the tank fills"), QStringLiteral("write the reading in the log book"),
                                  QStringLiteral("wait ten minutes for the pump to settle"), QStringLiteral("turn the main switch off at the board"),
                                  QStringLiteral("clean the filter with warm water"), QStringLiteral("replace the seal if it looks worn")};
        QStringList steps;
        for (int i = 0; i < 12; ++i)
            steps.append(QStringLiteral("Step %1: %2.").arg(i + 1).arg(actions[i % actions.size()]));
        m_paths.insert(QStringLiteral("procedure.png"),
                       writeFixture(m_dir, QStringLiteral("procedure.png"), Test::encodeImage(Test::textImage(steps, 300, 11), "PNG")));
        // A scanned ledger and log, rows worded alike but for a number: no column at their shared spaces.
        QStringList ledgerRows;
        for (int i = 1; i <= 14; ++i)
            ledgerRows.append(QStringLiteral("Line %1 of the ledger lists the grain stored by the farm in sacks.").arg(i));
        for (int i = 1; i <= 8; ++i)
            ledgerRows.append(QStringLiteral("2024-03-%1 INFO worker %2 started the nightly export.").arg(i, 2, 10, QLatin1Char('0')).arg(i));
        m_paths.insert(QStringLiteral("ledger.pdf"), writeFixture(m_dir, QStringLiteral("ledger.pdf"),
                                                                  PdfComposer::fromImages({Test::textImage(ledgerRows, 300, 10)}, 300)));
        m_ledgerRows = ledgerRows;
        // A listing set token by token on a grid, as LaTeX's listings set it.
        m_paths.insert(QStringLiteral("listing.pdf"), writeFixture(m_dir, QStringLiteral("listing.pdf"), Test::gridListingPdf()));
        // A small newspaper image: its grey body is read at twice the size.
        m_paths.insert(QStringLiteral("newspaper.png"),
                       writeFixture(m_dir, QStringLiteral("newspaper.png"), Test::encodeImage(Test::newspaperPage(), "PNG")));
        // The same with a headline in large type: read at its own size, the body at twice it.
        m_paths.insert(QStringLiteral("headline.png"),
                       writeFixture(m_dir, QStringLiteral("headline.png"), Test::encodeImage(Test::newspaperPage(60), "PNG")));
        // A scanned report whose sidebar Tesseract runs into the body.
        m_paths.insert(QStringLiteral("report.png"),
                       writeFixture(m_dir, QStringLiteral("report.png"), Test::encodeImage(Test::sidebarReportPage(), "PNG")));
        // A scanner's 600 ppi PDF: its pages are read from their pictures.
        const QList<QImage> scanPages{
            Test::textImage({QStringLiteral("Archive scans come at six hundred dots per inch")}, 600, 14),
            Test::textImage({QStringLiteral("场子设在村边低洼处一块地里"), QStringLiteral("四面土坡都是看台几张桌子一字排开")}, 600, 16)};
        m_paths.insert(QStringLiteral("scan600.pdf"),
                       writeFixture(m_dir, QStringLiteral("scan600.pdf"), PdfComposer::fromImages(scanPages, 600)));
        for (auto it = m_paths.cbegin(); it != m_paths.cend(); ++it)
            m_converted.insert(it.key(), convertFile(it.value(), m_dir.filePath(QStringLiteral("convert-") + it.key())));
        // The fixtures are worth comparing: tables, figures and Chinese came out.
        const Output &pdf = m_converted.value(QStringLiteral("rich.pdf"));
        QVERIFY2(pdf.markdown.contains(QStringLiteral("| alpha |")), qPrintable(pdf.markdown));
        QVERIFY2(pdf.markdown.contains(QStringLiteral("第2次实验")), qPrintable(pdf.markdown));
        QCOMPARE(pdf.images.size(), 12); // per page: the chart, two tables, the formula
        // The archive holds what MinerU's command line writes.
        QStringList members{QStringLiteral("rich.md"), QStringLiteral("rich_middle.json"),
                            QStringLiteral("rich_content_list.json"), QStringLiteral("rich.pdf")};
        members += pdf.images.keys();
        std::sort(members.begin(), members.end());
        QCOMPARE(pdf.archive.keys(), members);
        QCOMPARE(QString::fromUtf8(pdf.archive.value(QStringLiteral("rich.md"))), pdf.markdown);
        QCOMPARE(pdf.archive.value(QStringLiteral("rich.pdf")), readAll(m_paths.value(QStringLiteral("rich.pdf"))));
        QCOMPARE(QJsonDocument::fromJson(pdf.archive.value(QStringLiteral("rich_content_list.json"))), pdf.contentList);
        const Output &docx = m_converted.value(QStringLiteral("rich.docx"));
        QVERIFY2(docx.markdown.contains(QStringLiteral("| alpha | 1.25 | 0.01 |")), qPrintable(docx.markdown));
        QVERIFY2(docx.markdown.contains(QStringLiteral("第一次实验")), qPrintable(docx.markdown));
        QCOMPARE(docx.images.keys(), (QStringList{QStringLiteral("images/1_table_1.png"), QStringLiteral("images/chart.png")}));
        const QByteArray docxJson = docx.middleJson.toJson(QJsonDocument::Compact);
        QVERIFY(docxJson.contains("\"image_path\":\"chart.png\"") && docxJson.contains("<td>alpha</td>"));
        QVERIFY(docx.middleJson.object().value(QStringLiteral("pdf_info")).toArray().size() >= 2);
        // A table between rules alone with cells over several lines, and
        // Arabic ligatures over a right-to-left table.
        const Output &layouts = m_converted.value(QStringLiteral("layouts.pdf"));
        QVERIFY2(layouts.markdown.contains(QStringLiteral(
                     "| <= | Any version less than or equal to the specified version. | <=3.1: any version less than or equal to 3.1. |")),
                 qPrintable(layouts.markdown));
        QVERIFY2(layouts.markdown.contains(QStringLiteral("الأهداف الاستراتيجية للكالا")), qPrintable(layouts.markdown));
        QVERIFY2(layouts.markdown.contains(QStringLiteral("| تاريخ پذيرش | 1403/10/04 |")), qPrintable(layouts.markdown));
        // A listing measured by its column, and a word the page's edge cuts read whole.
        QVERIFY2(layouts.markdown.contains(QRegularExpression(QStringLiteral("\n\\{\n    \"program\": \"/usr/lib/x+\",\n\\}\n"))),
                 qPrintable(layouts.markdown));
        QVERIFY2(layouts.markdown.contains(QStringLiteral("{Buffer|TypedArray|DataView|ArrayBuffer|string}")), qPrintable(layouts.markdown));
        // A landscape page printed turned, read upright; headings set turned in a table.
        QVERIFY2(layouts.markdown.contains(QStringLiteral("| Harbour | 14 | 17 |")), qPrintable(layouts.markdown));
        QVERIFY2(layouts.markdown.contains(QStringLiteral("| Action | Read only | No Authority |")), qPrintable(layouts.markdown));
        // The scan's faces, read from its ink: a bold heading and a fenced listing.
        const Output &scan = m_converted.value(QStringLiteral("scan.png"));
        QVERIFY2(scan.markdown.contains(QRegularExpression(QStringLiteral("\\n#{1,4} Handling requests\\n"))), qPrintable(scan.markdown));
        QVERIFY2(scan.markdown.contains(QStringLiteral("```\nfunction handle(request, response) {\n")), qPrintable(scan.markdown));
        const Output &turned = m_converted.value(QStringLiteral("turned.png"));
        QVERIFY2(turned.markdown.contains(QStringLiteral("\n# Handling requests\n")), qPrintable(turned.markdown));
        const Output &fax = m_converted.value(QStringLiteral("fax.tif"));
        QVERIFY2(fax.markdown.contains(QStringLiteral("```\nfunction handle(request, response) {\n")), qPrintable(fax.markdown));
        QVERIFY(fax.pdf.contains("/BitsPerComponent 1"));
        const Output &upsideDown = m_converted.value(QStringLiteral("upside-down.pdf"));
        for (const Output *upright : {&turned, &upsideDown}) // laid out as they read: indents along the lines, bullets
            QVERIFY2(upright->markdown.contains(QStringLiteral("\n    count += 1;\n"))
                         && upright->markdown.contains(QStringLiteral("\n- port {number}")),
                     qPrintable(upright->markdown));
        const QString procedure = m_converted.value(QStringLiteral("procedure.png")).markdown.simplified();
        QVERIFY2(procedure.contains(QStringLiteral("Step 1: close the outlet before the tank fills. Step 2: write")),
                 qPrintable(procedure));
        const QString ledger = m_converted.value(QStringLiteral("ledger.pdf")).markdown.simplified();
        qsizetype lastRow = -1;
        for (const QString &row : std::as_const(m_ledgerRows)) { // whole, in order
            QVERIFY2(ledger.indexOf(row) > lastRow, qPrintable(ledger + QStringLiteral("\nrow: ") + row));
            lastRow = ledger.indexOf(row);
        }
        const Output &listing = m_converted.value(QStringLiteral("listing.pdf"));
        QVERIFY2(listing.markdown.contains(QStringLiteral("```\n") + Test::kGridListing.join(QLatin1Char('\n')) + QStringLiteral("\n```")),
                 qPrintable(listing.markdown));
        const Output &newspaper = m_converted.value(QStringLiteral("newspaper.png"));
        QVERIFY2(newspaper.markdown.count(QStringLiteral("northern pier")) >= 6, qPrintable(newspaper.markdown));
        const Output &headline = m_converted.value(QStringLiteral("headline.png"));
        QVERIFY2(headline.markdown.startsWith(QStringLiteral("# Harbour Reopens\n")), qPrintable(headline.markdown));
        QVERIFY2(headline.markdown.count(QStringLiteral("northern pier")) >= 6, qPrintable(headline.markdown));
        const Output &report = m_converted.value(QStringLiteral("report.png"));
        QVERIFY2(report.markdown.contains(QStringLiteral("Revenue grew twelve percent in the first half of the year")), qPrintable(report.markdown));
        const Output &scan600 = m_converted.value(QStringLiteral("scan600.pdf"));
        QVERIFY2(scan600.markdown.contains(QStringLiteral("six hundred dots per inch")) && scan600.markdown.contains(QStringLiteral("村边低洼处")),
                 qPrintable(scan600.markdown));
    }

    void serverMatchesConvert()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path());
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        for (const QString &name : m_paths.keys()) {
            const QString id = submitFile(server.url(), name);
            QVERIFY(!id.isEmpty());
            QCOMPARE(Test::waitForJob(m_network, server.url(), id, 120000).value(QStringLiteral("status")).toString(),
                     QStringLiteral("completed"));
            compareOutputs(resultOf(m_network, server.url(), id), m_converted.value(name));
        }
    }

    // A document longer than the analysis holds as it is: convert keeps
    // most of its pages deflated between the passes, the server reads it in
    // batches over its workers and merges them the same way; running heads,
    // heading levels and listings over a page break come out alike.
    void longDocumentMatchesConvert()
    {
        const QString path = writeFixture(m_dir, QStringLiteral("long.pdf"), Test::longDocumentPdf(300));
        const Output converted = convertFile(path, m_dir.filePath(QStringLiteral("convert-long")));
        const QString md = converted.markdown;
        QVERIFY2(md.contains(QStringLiteral("\n# Chapter 12\n")) && md.contains(QStringLiteral("\n## Section 299\n")), qPrintable(md.right(3000)));
        QVERIFY2(!md.contains(QStringLiteral("doc-ray field manual")), qPrintable(md.left(2000)));
        QVERIFY2(md.contains(QStringLiteral("```\nrun_299_0();\nrun_299_1();\nrun_299_2();\nrun_299_3();\n\n"
                                            "run_300_0();\nrun_300_1();\nrun_300_2();\n```")),
                 qPrintable(md.right(3000)));
        QCOMPARE(converted.middleJson.object().value(QStringLiteral("pdf_info")).toArray().size(), 300);

        QTemporaryDir data;
        Test::ServerProcess server(data.path(), {QStringLiteral("--workers"), QStringLiteral("2")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        const QString id = submitFile(server.url(), QStringLiteral("long.pdf"), path);
        QVERIFY(!id.isEmpty());
        QCOMPARE(Test::waitForJob(m_network, server.url(), id, 300000).value(QStringLiteral("status")).toString(),
                 QStringLiteral("completed"));
        QVERIFY2(server.output().contains(QStringLiteral("job %1 split into").arg(id)), qPrintable(server.output()));
        compareOutputs(resultOf(m_network, server.url(), id), converted);
    }

    // Two workers, one-page batches: every PDF is split over both workers
    // and merged, and comes out as one parse makes it.
    void batchesOverWorkersMatchConvert()
    {
        QTemporaryDir data;
        Test::ServerProcess server(data.path(), {QStringLiteral("--workers"), QStringLiteral("2"),
                                                 QStringLiteral("--batch-pages"), QStringLiteral("1")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QMap<QString, QString> ids;
        for (const QString &name : m_paths.keys()) {
            ids.insert(name, submitFile(server.url(), name));
            QVERIFY(!ids.value(name).isEmpty());
        }
        for (const QString &name : m_paths.keys()) {
            const QJsonObject job = Test::waitForJob(m_network, server.url(), ids.value(name), 120000);
            QCOMPARE(job.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
            compareOutputs(resultOf(m_network, server.url(), ids.value(name)), m_converted.value(name));
        }
        const QString pdfPages = QString::number(m_converted.value(QStringLiteral("rich.pdf"))
                                                     .middleJson.object().value(QStringLiteral("pdf_info")).toArray().size());
        QVERIFY2(server.output().contains(QStringLiteral("job %1 split into %2 batches of its %2 page(s)")
                                              .arg(ids.value(QStringLiteral("rich.pdf")), pdfPages)),
                 qPrintable(server.output()));
        QVERIFY2(server.output().contains(QStringLiteral("job %1 split into").arg(ids.value(QStringLiteral("layouts.pdf")))),
                 qPrintable(server.output()));
    }

    // Files named on the desktop's command line go through the window's own
    // submit path (a pool thread) to the real worker processes, which split
    // every PDF into one-page batches.
    void desktopWindowMatchesConvert()
    {
        QTemporaryDir home;
        const QString plain = writeFixture(home, QStringLiteral("plain.pdf"), Test::multiPagePdf(2));
        const QString more = writeFixture(home, QStringLiteral("more.pdf"), Test::multiPagePdf(3));
        const int port = Test::freeLocalPort();
        QProcess desktop;
        desktop.setProcessEnvironment(Test::desktopEnvironment(home.path()));
        desktop.setProcessChannelMode(QProcess::ForwardedChannels);
        desktop.start(Test::docRayBinary(), QStringList{QStringLiteral("--port"), QString::number(port), QStringLiteral("--data-dir"),
                                                        home.filePath(QStringLiteral("data")), QStringLiteral("--workers"),
                                                        QStringLiteral("2"), QStringLiteral("--batch-pages"), QStringLiteral("1"),
                                                        plain, more}
                                                + m_paths.values());
        QVERIFY(desktop.waitForStarted(10000));
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        const QHash<QString, QJsonObject> jobs = finishedJobs(m_network, base, 2 + int(m_paths.size()), 120000);
        for (const QString &name : QStringList{QStringLiteral("plain.pdf"), QStringLiteral("more.pdf")} + m_paths.keys())
            QCOMPARE(jobs.value(name).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        for (const QString &name : m_paths.keys())
            compareOutputs(resultOf(m_network, base, jobs.value(name).value(QStringLiteral("job_id")).toString()),
                           m_converted.value(name));
        desktop.terminate();
        QVERIFY(desktop.waitForFinished(20000));
    }

    // Three replicas on PostgreSQL, one-page batches; a replica that claims
    // a batch of the PDF is killed with it. The other two finish both jobs.
    void clusterMatchesConvert()
    {
        const QString database = Test::resetTestDatabase();
        if (database.isEmpty())
            QFAIL("DOCRAY_TEST_DATABASE_URL is not set: start PostgreSQL with "
                  "eval \"$(bash tools/test-postgres.sh start)\" first");
        QList<std::shared_ptr<QTemporaryDir>> dirs;
        QList<std::shared_ptr<Test::ServerProcess>> replicas;
        // Each task of the PDF takes 3 s more in the workers: the kill
        // below lands in the middle of a batch, never after it.
        QProcessEnvironment slow = QProcessEnvironment::systemEnvironment();
        slow.insert(QStringLiteral("DOCRAY_INJECT_FAULT"), QStringLiteral("slow:rich.pdf"));
        for (int i = 0; i < 3; ++i) {
            dirs.append(std::make_shared<QTemporaryDir>());
            replicas.append(std::make_shared<Test::ServerProcess>(
                dirs.last()->path(), QStringList{QStringLiteral("--database"), database, QStringLiteral("--workers"), QStringLiteral("1"),
                                                 QStringLiteral("--lease-seconds"), QStringLiteral("6"),
                                                 QStringLiteral("--batch-pages"), QStringLiteral("1")}));
            replicas.last()->setEnvironment(slow);
            QString error;
            QVERIFY2(replicas.last()->start(&error), qPrintable(error));
        }
        QMap<QString, QString> ids;
        for (const QString &name : m_paths.keys()) {
            ids.insert(name, submitFile(replicas[0]->url(), name));
            QVERIFY(!ids.value(name).isEmpty());
        }
        // The PDF's whole-document task is split by the worker that takes
        // it; the replica that then claims a page batch is the one killed.
        const QString claimed = QStringLiteral("job %1 claimed").arg(ids.value(QStringLiteral("rich.pdf")));
        auto claimer = [&replicas, &claimed] {
            for (int i = 0; i < replicas.size(); ++i)
                if (replicas[i]->output().contains(claimed + QStringLiteral(": pages")))
                    return i;
            return -1;
        };
        QTRY_VERIFY_WITH_TIMEOUT(claimer() >= 0, 20000);
        const int killed = claimer();
        replicas[killed]->kill();
        const QUrl survivor = replicas[(killed + 1) % 3]->url();
        for (const QString &name : m_paths.keys()) {
            QCOMPARE(Test::waitForJob(m_network, survivor, ids.value(name), 120000).value(QStringLiteral("status")).toString(),
                     QStringLiteral("completed"));
            compareOutputs(resultOf(m_network, survivor, ids.value(name)), m_converted.value(name));
        }
        int batchesRead = 0;
        for (const auto &replica : std::as_const(replicas))
            batchesRead += static_cast<int>(replica->output().count(claimed + QStringLiteral(": pages")));
        // Three pages, and the killed replica's page read again elsewhere.
        QVERIFY2(batchesRead >= 4, qPrintable(QStringLiteral("%1 batch(es) read").arg(batchesRead)));
    }
};

QTEST_MAIN(TestParity)
#include "test_parity.moc"
