// The engine on real PDFs and images made here: Poppler reads them, Tesseract
// reads the scans, and the markdown and middle JSON are checked.
#include "engine/documentparser.h"
#include "engine/markdownwriter.h"
#include "engine/pdfcomposer.h"
#include "tests/support/testsupport.h"

#include <QBuffer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QtTest>

using namespace DocRay;

namespace {

ParseResult parseBytes(const QByteArray &data, const QString &name, const ParserParams &params = {},
                       const ParseControl &control = {})
{
    ParseRequest request;
    request.data = data;
    request.fileName = name;
    request.format = detectFormat(data, name).format;
    request.params = params;
    return DocumentParser().parse(request, control);
}

QJsonObject middleJson(const ParseResult &result)
{
    return QJsonDocument::fromJson(result.document.middleJson).object();
}

// A page drawn line by line, so the test controls fonts and positions.
QByteArray paintedPdf(const std::function<void(QPainter &, QPdfWriter &)> &paint)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    QPainter painter(&writer);
    paint(painter, writer);
    painter.end();
    return pdf;
}

} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detectsFormatByContent_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<bool>("parseable");
        QTest::newRow("pdf with a wrong name") << QByteArray("%PDF-1.7\n...") << "report.bin" << int(DocumentFormat::Pdf) << true;
        QTest::newRow("png named pdf") << QByteArray("\x89PNG\r\n\x1a\n....", 12) << "scan.pdf" << int(DocumentFormat::Image) << true;
        QTest::newRow("jpeg") << QByteArray("\xff\xd8\xff\xe0....", 8) << "photo.jpg" << int(DocumentFormat::Image) << true;
        QTest::newRow("markdown") << QByteArray("# Title\n\ntext") << "notes.md" << int(DocumentFormat::Markdown) << true;
        QTest::newRow("text") << QByteArray("plain words") << "notes.txt" << int(DocumentFormat::PlainText) << true;
        QTest::newRow("text without a name") << QByteArray("plain words") << "" << int(DocumentFormat::Markdown) << true;
        QTest::newRow("text with an unknown extension") << QByteArray("a,b\n1,2") << "table.xyz" << int(DocumentFormat::Unknown) << false;
        QTest::newRow("binary with an unknown extension") << QByteArray("\x01\x02\x00\x03", 4) << "blob.xyz" << int(DocumentFormat::Unknown) << false;
        QTest::newRow("zip container") << QByteArray("PK\x03\x04word/document.xml", 21) << "letter.docx" << int(DocumentFormat::Office) << false;
        QTest::newRow("damaged pdf") << QByteArray("\x01\x02garbage", 9) << "broken.pdf" << int(DocumentFormat::Pdf) << true;
    }
    void detectsFormatByContent()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(bool, parseable);
        const FormatDetection detection = detectFormat(data, name);
        QCOMPARE(int(detection.format), format);
        QCOMPARE(detection.parseable, parseable);
    }

    void pdfHeadingsAndParagraphs()
    {
        const QByteArray pdf = Test::pdfFromHtml(QStringLiteral(
            "<h1>Annual Report</h1>"
            "<p>The first paragraph explains what the company did during the year and why it matters to everyone.</p>"
            "<h2>Results</h2>"
            "<p>Revenue grew in every region, and the second paragraph says so in plain words.</p>"));
        const ParseResult result = parseBytes(pdf, QStringLiteral("report.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const QString md = result.document.markdown;
        QVERIFY2(md.contains(QStringLiteral("# Annual Report\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("## Results\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The first paragraph explains what the company did")), qPrintable(md));
        QVERIFY(md.indexOf(QStringLiteral("Annual Report")) < md.indexOf(QStringLiteral("Results")));
        QCOMPARE(result.document.pageCount, 1);
        QCOMPARE(result.document.pdfData, pdf);
    }

    void pdfListsAndHyphenation()
    {
        const QByteArray pdf = paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("Shopping needs careful con-"));
            painter.drawText(QPointF(60, 114), QStringLiteral("sideration of the list below."));
            painter.drawText(QPointF(60, 150), QStringLiteral("• apples from the market"));
            painter.drawText(QPointF(60, 164), QStringLiteral("• pears that are ripe"));
            painter.drawText(QPointF(60, 178), QStringLiteral("  and sweet"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("list.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const QString md = result.document.markdown;
        QVERIFY2(md.contains(QStringLiteral("careful consideration of the list")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- apples from the market\n- pears that are ripe and sweet")), qPrintable(md));
    }

    void joinLinesKeepsRealHyphens()
    {
        auto line = [](const QString &text) {
            TextLine l;
            TextSpan s;
            s.text = text;
            l.spans.append(s);
            return l;
        };
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("an ex-")), line(QStringLiteral("ample"))}),
                 QStringLiteral("an example"));
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("state-of-the-")), line(QStringLiteral("Art"))}),
                 QStringLiteral("state-of-the- Art"));
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("e\uFB03cient")), line(QStringLiteral("work"))}),
                 QStringLiteral("efficient work"));
    }

    void multiPageProgressAndOrder()
    {
        const QByteArray pdf = Test::multiPagePdf(5);
        QList<QPair<int, int>> progress;
        ParseControl control;
        control.progress = [&progress](int done, int total) { progress.append({done, total}); };
        const ParseResult result = parseBytes(pdf, QStringLiteral("five.pdf"), {}, control);
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.document.pageCount, 5);
        QCOMPARE(progress.size(), 6);
        QCOMPARE(progress.first(), qMakePair(0, 5));
        QCOMPARE(progress.last(), qMakePair(5, 5));
        int previous = -1;
        for (int page = 1; page <= 5; ++page) {
            const int at = static_cast<int>(result.document.markdown.indexOf(QStringLiteral("page-%1-marker").arg(page)));
            QVERIFY2(at > previous, qPrintable(result.document.markdown));
            previous = at;
        }
        QVERIFY(result.document.markdown.contains(QStringLiteral("# Section 3\n")));
    }

    void pageRangeSelectsPages()
    {
        ParserParams params;
        params.startPage = 1;
        params.endPage = 2;
        const ParseResult result = parseBytes(Test::multiPagePdf(5), QStringLiteral("five.pdf"), params);
        QVERIFY2(result.ok(), qPrintable(result.error));
        const QString md = result.document.markdown;
        QVERIFY(!md.contains(QStringLiteral("page-1-marker")));
        QVERIFY(md.contains(QStringLiteral("page-2-marker")));
        QVERIFY(md.contains(QStringLiteral("page-3-marker")));
        QVERIFY(!md.contains(QStringLiteral("page-4-marker")));
        const QJsonArray pages = middleJson(result).value(QStringLiteral("pdf_info")).toArray();
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages.at(0).toObject().value(QStringLiteral("page_idx")).toInt(), 1);

        params.startPage = 7;
        params.endPage = -1;
        const ParseResult beyond = parseBytes(Test::multiPagePdf(2), QStringLiteral("two.pdf"), params);
        QCOMPARE(beyond.code, ParseErrorCode::InvalidDocument);
        QVERIFY(beyond.error.contains(QStringLiteral("2-page")));
    }

    void cancelStopsBetweenPages()
    {
        int pagesSeen = 0;
        ParseControl control;
        control.progress = [&pagesSeen](int done, int) { pagesSeen = done; };
        control.isCancelled = [&pagesSeen] { return pagesSeen >= 2; };
        const ParseResult result = parseBytes(Test::multiPagePdf(10), QStringLiteral("ten.pdf"), {}, control);
        QCOMPARE(result.code, ParseErrorCode::Cancelled);
        QCOMPARE(pagesSeen, 2);
    }

    void damagedPdfFailsWithMessage()
    {
        const ParseResult result = parseBytes(QByteArray("%PDF-1.4\nthis is not really a pdf"), QStringLiteral("bad.pdf"));
        QCOMPARE(result.code, ParseErrorCode::InvalidDocument);
        QVERIFY2(result.error.contains(QStringLiteral("not a readable PDF")), qPrintable(result.error));
    }

    void pageNumbersAreDiscardedButKept()
    {
        const QByteArray pdf = paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const double height = writer.pageLayout().fullRectPoints().height();
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("Body text that a reader wants to keep."));
            painter.drawText(QPointF(290, height - 30), QStringLiteral("17"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("numbered.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY(result.document.markdown.contains(QStringLiteral("Body text that a reader wants to keep.")));
        QVERIFY2(!result.document.markdown.contains(QStringLiteral("17")), qPrintable(result.document.markdown));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        const QJsonArray discarded = page.value(QStringLiteral("discarded_blocks")).toArray();
        QCOMPARE(discarded.size(), 1);
        QCOMPARE(discarded.at(0)[QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("content")].toString(),
                 QStringLiteral("17"));
    }

    void middleJsonFollowsThePipelineSchema()
    {
        const ParseResult result = parseBytes(Test::multiPagePdf(2), QStringLiteral("two.pdf"));
        QVERIFY(result.ok());
        const QJsonObject root = middleJson(result);
        QCOMPARE(root.value(QStringLiteral("_backend")).toString(), QStringLiteral("pipeline"));
        const QJsonArray pages = root.value(QStringLiteral("pdf_info")).toArray();
        QCOMPARE(pages.size(), 2);
        const QJsonObject first = pages.at(0).toObject();
        QCOMPARE(first.value(QStringLiteral("page_idx")).toInt(), 0);
        QCOMPARE(qRound(first.value(QStringLiteral("page_size")).toArray().at(0).toDouble()), 595);
        QCOMPARE(first.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("text_layer"));
        const QJsonArray blocks = first.value(QStringLiteral("para_blocks")).toArray();
        QVERIFY(blocks.size() >= 2);
        const QJsonObject title = blocks.at(0).toObject();
        QCOMPARE(title.value(QStringLiteral("type")).toString(), QStringLiteral("title"));
        QCOMPARE(title.value(QStringLiteral("bbox")).toArray().size(), 4);
        const QJsonObject span = title[QStringLiteral("lines")][0][QStringLiteral("spans")][0].toObject();
        QCOMPARE(span.value(QStringLiteral("content")).toString(), QStringLiteral("Section"));
        QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    }

    void textAndMarkdownComeBackWithAPdf()
    {
        const QByteArray markdown = "# Notes\n\nSome *markdown* text.\n\n- one\n- two\n";
        const ParseResult result = parseBytes(markdown, QStringLiteral("notes.md"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QCOMPARE(result.document.markdown, QString::fromUtf8(markdown));
        QVERIFY(result.document.pdfData.startsWith("%PDF"));
        QCOMPARE(result.document.pageCount, 1);
        const QByteArray json = result.document.middleJson;
        QVERIFY2(json.contains("Notes") && json.contains("markdown"), json.constData());
    }

    void imageIsOcrd()
    {
        const QImage image = Test::textImage({QStringLiteral("The quick brown fox jumps"),
                                              QStringLiteral("over the lazy dog 2024")});
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("scan.png"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        const QString md = result.document.markdown;
        QVERIFY2(md.contains(QStringLiteral("quick brown fox")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("lazy dog")), qPrintable(md));
        QVERIFY(result.document.pdfData.startsWith("%PDF"));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(page.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("ocr"));
        // 8 inches wide at 300 dpi is 576 points.
        QCOMPARE(qRound(page.value(QStringLiteral("page_size")).toArray().at(0).toDouble()), 576);
    }

    void scannedPdfFallsBackToOcr()
    {
        const QImage image = Test::textImage({QStringLiteral("Scanned invoice number 4711")});
        const QByteArray pdf = PdfComposer::fromImages({image}, 300);
        const ParseResult result = parseBytes(pdf, QStringLiteral("scan.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.error));
        QVERIFY2(result.document.markdown.contains(QStringLiteral("invoice number 4711")),
                 qPrintable(result.document.markdown));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(page.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("ocr"));
    }

    void unknownOcrLanguageFailsClearly()
    {
        ParserParams params;
        params.language = QStringLiteral("xx_not_a_language");
        const QImage image = Test::textImage({QStringLiteral("hello")});
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("scan.png"), params);
        QVERIFY(!result.ok());
        QVERIFY2(result.error.contains(QStringLiteral("not installed")), qPrintable(result.error));
    }

    void parserParamsValidation()
    {
        ParserParams params;
        QVERIFY(ParserParams::fromJson(QJsonObject{{QStringLiteral("start_page"), 2},
                                                   {QStringLiteral("end_page"), 4},
                                                   {QStringLiteral("lang"), QStringLiteral("eng+deu")},
                                                   {QStringLiteral("some_future_key"), true}},
                                       &params).isEmpty());
        QCOMPARE(params.startPage, 2);
        QCOMPARE(params.endPage, 4);
        QCOMPARE(params.language, QStringLiteral("eng+deu"));
        QVERIFY(!ParserParams::fromJson(QJsonObject{{QStringLiteral("start_page"), QStringLiteral("two")}}, &params).isEmpty());
        QVERIFY(!ParserParams::fromJson(QJsonObject{{QStringLiteral("force_ocr"), 1}}, &params).isEmpty());
        QVERIFY(!ParserParams::fromJson(QJsonObject{{QStringLiteral("start_page"), 3}, {QStringLiteral("end_page"), 1}}, &params).isEmpty());
    }
};

QTEST_MAIN(TestEngine)
#include "test_engine.moc"
