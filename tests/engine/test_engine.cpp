// The engine on real PDFs and images made here: Poppler reads them, Tesseract
// reads the scans, and the markdown and middle JSON are checked.
#include "engine/core/documentformat.h"
#include "engine/core/packedbytes.h"
#include "engine/documentparser.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/layout/layoutcodec.h"
#include "engine/layout/readingorder.h"
#include "engine/layout/textpatterns.h"
#include "engine/ocr/ocrengine.h"
#include "engine/output/chunker.h"
#include "engine/output/contentlist.h"
#include "engine/output/jsontext.h"
#include "engine/output/markdownwriter.h"
#include "engine/output/middlejsonwriter.h"
#include "engine/pdf/pdfcomposer.h"
#include "engine/pdf/pdftextreader.h"
#include "tests/support/parsedocument.h"
#include "tests/support/testsupport.h"

#include <QBuffer>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QPainter>
#include <QPdfWriter>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>
#include <thread>

using namespace DocRay;

namespace {

// One line of one span of 9 pt text, as a page's reader makes it.
TextLine lineAt(const QString &text, const QRectF &box)
{
    TextSpan span;
    span.text = text;
    span.bbox = box;
    span.fontSize = 9;
    TextLine line;
    line.spans = {span};
    line.bbox = box;
    return line;
}

// `painter` writes in black DejaVu Sans `pixels` high from here on.
void writeInSans(QPainter &painter, int pixels)
{
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(pixels);
    painter.setFont(font);
    painter.setPen(Qt::black);
}

ParseResult parseBytes(const QByteArray &data, const QString &name, const ParserParams &params = {},
                       const ParseControl &control = {})
{
    return Test::parseDocument(data, name, params, {}, control);
}

// The OCR engine's debug messages logged while `run` runs.
QStringList ocrMessagesOf(const std::function<void()> &run)
{
    static QStringList messages;
    messages.clear();
    QLoggingCategory::setFilterRules(QStringLiteral("docray.ocr.debug=true"));
    const QtMessageHandler previous = qInstallMessageHandler([](QtMsgType, const QMessageLogContext &context, const QString &message) {
        if (context.category && QByteArray(context.category) == "docray.ocr")
            messages.append(message);
    });
    run();
    qInstallMessageHandler(previous);
    QLoggingCategory::setFilterRules(QString());
    return messages;
}

// A page of prose, each row worded its own way (a word starting every row
// lines the spaces after it up like a gutter's).
QStringList harvestProse()
{
    return {QStringLiteral("The harvest of the northern fields was larger than"),
            QStringLiteral("expected this year, and the farmers of the valley"),
            QStringLiteral("agreed to store the surplus grain in the old mill"),
            QStringLiteral("until the prices at the market rose again in spring."),
            QStringLiteral("Each family brought its sacks on the first Monday"),
            QStringLiteral("of October, when the miller weighed them and wrote"),
            QStringLiteral("the weight beside the name of the farm in a ledger"),
            QStringLiteral("kept on the shelf above the door of his office."),
            QStringLiteral("Rain delayed the carts from the hills by a week,"),
            QStringLiteral("so the eastern barns were opened for a few nights"),
            QStringLiteral("and the younger men slept there to guard the grain"),
            QStringLiteral("against the rats that came up from the river bank."),
            QStringLiteral("By the middle of the month every bay was full, and"),
            QStringLiteral("a second ledger had to be bought from the printer"),
            QStringLiteral("in town, who sent it with a note about his own crop"),
            QStringLiteral("of apples, which had suffered from a late frost."),
            QStringLiteral("Winter came early; snow closed the pass in November"),
            QStringLiteral("and the mill stood quiet, its wheel frozen in place,"),
            QStringLiteral("while the council argued over the price of bread"),
            QStringLiteral("and whether the bakers should pay for storage too."),
            QStringLiteral("A compromise was reached shortly after the new year:"),
            QStringLiteral("bakers would pay half the usual fee, farmers none,"),
            QStringLiteral("and the miller would be paid from the town purse"),
            QStringLiteral("for the extra work of turning the stored grain."),
            QStringLiteral("When the thaw arrived the carts returned to market"),
            QStringLiteral("loaded with flour, and the first loaves of spring"),
            QStringLiteral("sold out before noon on the square by the church."),
            QStringLiteral("Nobody could remember a better year for the valley.")};
}

QJsonObject middleJson(const ParseResult &result)
{
    return QJsonDocument::fromJson(result->middleJson()).object();
}

// One line justified between `left` and `left + width`: every word space
// alike. Words set in `code` where they hold an underscore (an identifier),
// in `prose` otherwise.
void drawJustified(QPainter &painter, double left, double width, double y, const QStringList &words, const QFont &prose,
                   const QFont &code)
{
    auto fontOf = [&](const QString &word) { return word.contains(QLatin1Char('_')) ? code : prose; };
    double inked = 0;
    for (const QString &word : words) {
        painter.setFont(fontOf(word));
        inked += painter.fontMetrics().horizontalAdvance(word);
    }
    const double space = (width - inked) / (words.size() - 1);
    double x = left;
    for (const QString &word : words) {
        painter.setFont(fontOf(word));
        painter.drawText(QPointF(x, y), word);
        x += painter.fontMetrics().horizontalAdvance(word) + space;
    }
}


} // namespace

class TestEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // A document's JSON is packed as it is written, in pieces, and comes
    // back whole: in one piece, or streamed piece by piece to a file; rows
    // stored before packing (qCompress behind the marker) read the same.
    // Under a megabyte it is kept as it is.
    void packedBytesComeBackWhole()
    {
        QByteArray text;
        for (int i = 0; i < 20000; ++i)
            text += "{\"type\":\"text\",\"bbox\":[" + QByteArray::number(i * 7919 % 600) + ",72],\"content\":\"word "
                + QByteArray::number(i) + "\"},";
        PackingStream stream;
        for (qsizetype at = 0; at < text.size(); at += 4093)
            stream.append(QByteArrayView(text.constData() + at, qMin<qsizetype>(4093, text.size() - at)));
        const QByteArray packed = stream.finish();
        QVERIFY(isPacked(packed));
        QVERIFY2(packed.size() < text.size() / 3, qPrintable(QString::number(packed.size())));
        QCOMPARE(unpack(packed), text);
        QBuffer file;
        file.open(QIODevice::WriteOnly);
        QVERIFY(unpackTo(packed, &file));
        QCOMPARE(file.data(), text);
        QCOMPARE(unpack(QByteArrayLiteral("DRZ1") + qCompress(text, 6)), text);
        QCOMPARE(pack(packed), packed);
        QCOMPARE(unpack(pack(text)), text);
        QCOMPARE(unpack(text), text); // not packed: as it is
        stream.append("{}");
        QCOMPARE(stream.finish(), QByteArray("{}")); // the stream starts over; short text stays as it is
        const QByteArray belowPacking = text.left(kPackFromBytes - 1);
        for (qsizetype at = 0; at < belowPacking.size(); at += 65521)
            stream.append(QByteArrayView(belowPacking.constData() + at, qMin<qsizetype>(65521, belowPacking.size() - at)));
        QCOMPARE(stream.finish(), belowPacking);
        QCOMPARE(pack(belowPacking), belowPacking);
        QVERIFY(isPacked(pack(text.left(kPackFromBytes))));
        QBuffer cut;
        cut.open(QIODevice::WriteOnly);
        QVERIFY(!unpackTo(packed.left(packed.size() / 2), &cut)); // a cut stream is an error
    }

    // The middle JSON is written as text; its bytes are QJsonDocument's for
    // the same values: escapes, lone surrogates, scripts, numbers, key order.
    void jsonTextIsWhatQJsonDocumentWrites()
    {
        const QList<QString> strings{
            QString(), QStringLiteral("plain"), QStringLiteral("quote \" backslash \\ slash /"),
            QStringLiteral("\b\f\n\r\t"), QString(QChar(0x01)) + QChar(0x1f) + QChar(0x7f),
            QStringLiteral("中文 العربية Ελληνικά ∑ ✓"), QString::fromUcs4(U"\U0001F600 \U0001D400"),
            QString(QChar(0xd800)), QString(QChar(0xdc00)) + QStringLiteral("x"),
            QStringLiteral("a") + QChar(0xd83d), QString(QChar(0xd83d)) + QChar(0xd83d) + QChar(0xde00),
            QString(QChar(0xfffd)) + QChar(0xe000) + QChar(0xffff)};
        for (const QString &text : strings) {
            const QByteArray expected = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
            QCOMPARE(JsonText::array({JsonText::string(text)}), expected);
        }
        const QList<double> numbers{0, 1, -1, 612, 792.0, 10.4, 0.1 + 0.2, 1e-7, 123456789.125, -0.5, 1e21, 3.14159, 54.25};
        for (const double value : numbers)
            QCOMPARE(JsonText::array({JsonText::number(value)}), QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact));
        QCOMPARE(JsonText::array({JsonText::number(-7), JsonText::boolean(true), JsonText::boolean(false)}),
                 QJsonDocument(QJsonArray{-7, true, false}).toJson(QJsonDocument::Compact));
        QCOMPARE(JsonText::array({}), QByteArray("[]"));

        JsonText::Object object;
        object.set("type", QStringLiteral("text")).set("bbox", JsonText::array({})).set("index", 3).set("sub_type", true);
        object.set("index", 4); // replaced, as QJsonObject::insert does
        QJsonObject reference{{QStringLiteral("type"), QStringLiteral("text")}, {QStringLiteral("bbox"), QJsonArray()},
                              {QStringLiteral("index"), 4}, {QStringLiteral("sub_type"), true}};
        QCOMPARE(object.text(), QJsonDocument(reference).toJson(QJsonDocument::Compact));
        QCOMPARE(JsonText::Object().text(), QByteArray("{}"));
    }

    // Text a slide places partly off its page (a title box at y = -12) is cut
    // to the page in the middle JSON: consumers draw every box on the page.
    void middleJsonBoxesStayOnThePage()
    {
        PageLayout page;
        page.size = QSizeF(960, 540);
        TextSpan span;
        span.text = QStringLiteral("Title");
        span.bbox = QRectF(40, -12, 300, 40);
        span.fontSize = 28;
        TextLine line;
        line.spans = {span};
        line.bbox = span.bbox;
        TextBlock block;
        block.type = BlockType::Title;
        block.headingLevel = 1;
        block.lines = {line};
        block.bbox = QRectF(40, -12, 1000, 40); // off the right edge as well
        page.blocks = {block};
        const QJsonObject json = QJsonDocument::fromJson(MiddleJsonWriter().write({page})).object();
        const QJsonObject written = json[QStringLiteral("pdf_info")][0][QStringLiteral("para_blocks")][0].toObject();
        QCOMPARE(written[QStringLiteral("bbox")].toArray(), (QJsonArray{40, 0, 960, 28}));
        const QJsonObject spanJson = written[QStringLiteral("lines")][0][QStringLiteral("spans")][0].toObject();
        QCOMPARE(spanJson[QStringLiteral("bbox")].toArray(), (QJsonArray{40, 0, 340, 28}));
        QCOMPARE(spanJson[QStringLiteral("content")].toString(), QStringLiteral("Title"));
    }

    // The cluster reads a PDF in page batches, stores each batch's pages as
    // bytes and analyses them together: the document must come out as one
    // parse of the whole file gives it, tables, figures and Chinese included.
    void pagesReadInBatchesComposeAsOneParse()
    {
        const QByteArray pdf = Test::richDocumentPdf(3);
        const ParseResult whole = Test::parseDocument(pdf, QStringLiteral("rich.pdf"));
        QVERIFY2(whole.ok(), qPrintable(whole.errorMessage()));
        QVERIFY2(whole->markdown().contains(QStringLiteral("| alpha |")), qPrintable(whole->markdown()));
        QVERIFY2(whole->markdown().contains(QStringLiteral("第3次实验")), qPrintable(whole->markdown()));
        // Per page: the chart, the two tables' pictures and the formula's.
        QCOMPARE(whole->images.size(), 12);
        for (int page = 1; page <= 3; ++page)
            for (const QString &name : {QStringLiteral("%1_1.png"), QStringLiteral("%1_table_1.png"),
                                        QStringLiteral("%1_table_2.png"), QStringLiteral("%1_equation_1.png")})
                QVERIFY2(whole->images.contains(QStringLiteral("images/") + name.arg(page)), qPrintable(name.arg(page)));

        DocumentComposer merge;
        DocumentComposer packedMerge(0); // every page kept deflated in a scratch file between the passes
        DocumentComposer heldMerge(0);   // the same where no scratch file can be made: in memory
        QTemporaryDir temp;
        const QString notAFolder = temp.filePath(QStringLiteral("file"));
        QFile blocker(notAFolder);
        QVERIFY(blocker.open(QIODevice::WriteOnly));
        blocker.close();
        const QByteArray tmpdir = qgetenv("TMPDIR");
        QList<OutlineEntry> outline;
        for (int page = 0; page < 3; ++page) {
            ParseRequest request;
            request.data = pdf;
            request.format = DocumentFormat::Pdf;
            request.params.startPage = request.params.endPage = page;
            const PdfReadResult read = DocumentParser().readPdfPages(request, ParseControl());
            QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
            const std::optional<PdfPages> stored = decodePdfRead(encodePdfRead(*read));
            QVERIFY(stored);
            outline = stored->outline;
            for (const PageLayout &read : stored->pages) {
                merge.addPage(read);
                packedMerge.addPage(read);
                qputenv("TMPDIR", QFile::encodeName(notAFolder));
                heldMerge.addPage(read);
                qputenv("TMPDIR", tmpdir);
            }
        }
        for (DocumentComposer *composer : {&merge, &packedMerge, &heldMerge}) {
            const ParseResult merged = composer->finish(outline, pdf);
            QVERIFY2(merged.ok(), qPrintable(merged.errorMessage()));
            QCOMPARE(merged->markdown(), whole->markdown());
            QCOMPARE(merged->middleJson(), whole->middleJson());
            QCOMPARE(merged->images, whole->images);
        }
    }

    // `convert` and the workers read a PDF from its file as its pages need
    // it: the same document comes out as from the bytes in memory, pictures
    // of its tables and formulas included, and its pdf_data is left to be
    // the file itself. A file that is gone is a clear error.
    void aPdfReadFromItsFileIsTheSameDocument()
    {
        QTemporaryDir dir;
        const QByteArray pdf = Test::richDocumentPdf(2);
        const QString path = dir.filePath(QStringLiteral("rich.pdf"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(pdf) == pdf.size());
        file.close();

        const ParseResult fromMemory = Test::parseDocument(pdf, QStringLiteral("rich.pdf"));
        QVERIFY2(fromMemory.ok(), qPrintable(fromMemory.errorMessage()));
        ParseRequest request;
        request.path = path;
        request.fileName = QStringLiteral("rich.pdf");
        request.format = DocumentFormat::Pdf;
        const ParseResult fromFile = DocumentParser().parse(request, ParseControl());
        QVERIFY2(fromFile.ok(), qPrintable(fromFile.errorMessage()));
        QVERIFY2(fromFile->markdown().contains(QStringLiteral("第2次实验")), qPrintable(fromFile->markdown()));
        QCOMPARE(fromFile->markdown(), fromMemory->markdown());
        QCOMPARE(fromFile->middleJson(), fromMemory->middleJson());
        QCOMPARE(fromFile->images.size(), 8);
        QCOMPARE(fromFile->images, fromMemory->images);
        QCOMPARE(fromMemory->pdfData, pdf);
        QVERIFY(fromFile->pdfData.isEmpty());

        // Pictures handed over as they are cut are not kept in the result.
        QMap<QString, QByteArray> handed;
        ParseControl control;
        control.pictures = [&handed](const QString &name, const QByteArray &png) {
            QVERIFY(!handed.contains(name));
            handed.insert(name, png);
        };
        const ParseResult spooled = DocumentParser().parse(request, control);
        QVERIFY2(spooled.ok(), qPrintable(spooled.errorMessage()));
        QVERIFY(spooled->images.isEmpty());
        QCOMPARE(handed, fromMemory->images);
        QCOMPARE(spooled->middleJson(), fromMemory->middleJson());

        request.params.startPage = request.params.endPage = 1;
        const PdfReadResult page = DocumentParser().readPdfPages(request, ParseControl());
        QVERIFY2(page.ok(), qPrintable(page.errorMessage()));
        QCOMPARE(page->pages.size(), 1);
        QCOMPARE(page->pages.first().pageIndex, 1);
        QCOMPARE(PdfTextReader::pageCount(PdfSource::file(path), {}), 2);

        QVERIFY(QFile::remove(path));
        const ParseResult gone = DocumentParser().parse(request, ParseControl());
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().code, ErrorCode::InvalidInput);
        QVERIFY2(gone.errorMessage().contains(QStringLiteral("not a readable PDF")), qPrintable(gone.errorMessage()));
        QCOMPARE(PdfTextReader::pageCount(PdfSource::file(path), {}), 0);
    }

    // Stored batches come back exactly, null strings and shared fonts
    // included; cut short, altered or from another version they are refused,
    // not misread, and a count past the bytes allocates nothing.
    void storedBatchesComeBackExactlyOrNotAtAll()
    {
        PdfPages read;
        PageLayout page;
        page.pageIndex = 7;
        page.size = QSizeF(595.2756, 841.8898);
        page.quarterTurns = 1;
        for (int i = 0; i < 3; ++i) {
            TextLine line;
            for (const QString &font : {QStringLiteral("Serif"), QStringLiteral("Mono"), QStringLiteral("Serif")}) {
                TextSpan span;
                span.text = QStringLiteral("词%1 word").arg(i);
                span.bbox = QRectF(0.1 * i, 1.0 / 3, 12.5, 1e-9);
                span.fontSize = 9.95;
                span.fontName = font;
                span.monospace = font == QStringLiteral("Mono");
                span.spaceAfter = i != 1;
                line.spans.append(span);
            }
            line.bbox = QRectF(1, 2, 3, 4);
            page.lines.append(line);
        }
        TextBlock table;
        table.type = BlockType::Table;
        table.rows = table.columns = 1;
        table.cells.append(TableCell{0, 0, 1, 1, QRectF(5, 6, 7, 8), QStringLiteral("cell")});
        table.imagePng = QByteArray("\x89PNG\0data", 9);
        table.caption = page.lines.mid(0, 1);
        page.regions.append(table);
        read.pages = {page, page};
        read.outline = {OutlineEntry{QStringLiteral("Intro"), 1}, OutlineEntry{QString(), 2}};

        const QByteArray bytes = encodePdfRead(read);
        const std::optional<PdfPages> back = decodePdfRead(bytes);
        QVERIFY(back);
        QCOMPARE(back->pages.size(), 2);
        QCOMPARE(encodePdfRead(*back), bytes);
        const PageLayout &first = back->pages.first();
        QCOMPARE(first.size, page.size);
        QCOMPARE(first.quarterTurns, 1);
        QCOMPARE(first.lines.at(2).spans.at(0).bbox.x(), 0.2);
        QCOMPARE(first.lines.at(1).spans.at(1).fontName, QStringLiteral("Mono"));
        QVERIFY(first.lines.at(1).spans.at(1).monospace);
        QVERIFY(!first.lines.at(1).spans.at(1).spaceAfter);
        QCOMPARE(first.regions.at(0).cells.at(0).text, QStringLiteral("cell"));
        QCOMPARE(first.regions.at(0).imagePng, table.imagePng);
        QVERIFY(first.regions.at(0).imageName.isNull());
        QVERIFY(back->outline.at(1).title.isNull());
        QCOMPARE(encodePage(decodePage(encodePage(page))), encodePage(page));

        for (const qsizetype length : {qsizetype(0), qsizetype(3), bytes.size() / 2, bytes.size() - 1})
            QVERIFY2(!decodePdfRead(bytes.left(length)), qPrintable(QString::number(length)));
        QVERIFY(!decodePdfRead(bytes + QByteArray(1, '\0')));
        QByteArray otherVersion = bytes;
        otherVersion[0] = otherVersion[0] ^ 1;
        QVERIFY(!decodePdfRead(otherVersion));
        QByteArray hugeCount = bytes.left(4);
        hugeCount.append("\xff\xff\xff\x7f", 4); // two billion pages
        QVERIFY(!decodePdfRead(hugeCount));
    }

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
        QTest::newRow("zip container") << QByteArray("PK\x03\x04word/document.xml", 21) << "letter.docx" << int(DocumentFormat::Office) << true;
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
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("# Annual Report\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("## Results\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The first paragraph explains what the company did")), qPrintable(md));
        QVERIFY(md.indexOf(QStringLiteral("Annual Report")) < md.indexOf(QStringLiteral("Results")));
        QCOMPARE(result->pageCount, 1);
        QCOMPARE(result->pdfData, pdf);
    }

    void pdfListsAndHyphenation()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("Shopping needs careful con-"));
            painter.drawText(QPointF(60, 114), QStringLiteral("sideration of the list below."));
            painter.drawText(QPointF(60, 150), QStringLiteral("• apples from the market"));
            painter.drawText(QPointF(60, 164), QStringLiteral("• pears that are ripe"));
            // A continuation line hangs under the item's text, not its bullet.
            painter.drawText(QPointF(60 + painter.fontMetrics().horizontalAdvance(QStringLiteral("• ")), 178),
                             QStringLiteral("and sweet"));
            painter.drawText(QPointF(60, 192), QStringLiteral("A paragraph after the list."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("list.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("careful consideration of the list")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- apples from the market\n- pears that are ripe and sweet\n\nA paragraph after the list.")),
                 qPrintable(md));
    }

    // LaTeX marks its four levels of items with •, –, ∗ and ·: each is an
    // item, none is run into the text above it.
    void everyLevelOfLatexBulletsIsAnItem()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 100), QStringLiteral("The options the call takes:"));
            painter.drawText(QPointF(70, 120), QStringLiteral("• options {Object}"));
            painter.drawText(QPointF(85, 134), QStringLiteral("– importModuleDynamically {Function} Called on import()."));
            painter.drawText(QPointF(100, 148), QStringLiteral("∗ specifier {string} The specifier passed to import()"));
            painter.drawText(QPointF(100, 162), QStringLiteral("∗ script {vm.Script}"));
            painter.drawText(QPointF(115, 176), QStringLiteral("· attributes {Object} The attributes given."));
            painter.drawText(QPointF(70, 190), QStringLiteral("• Returns: {any} the result of the script."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("levels.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        for (const QString &item : {QStringLiteral("- options {Object}"), QStringLiteral("- importModuleDynamically {Function}"),
                                    QStringLiteral("- specifier {string} The specifier"), QStringLiteral("- script {vm.Script}"),
                                    QStringLiteral("- attributes {Object}"), QStringLiteral("- Returns: {any}")})
            QVERIFY2(md.contains(QRegularExpression(QStringLiteral("^ *") + QRegularExpression::escape(item), QRegularExpression::MultilineOption)),
                     qPrintable(item + QStringLiteral(" in:\n") + md));
        QVERIFY2(!md.contains(QChar(0x2217)), qPrintable(md));
    }

    void enumeratedSubheadingsInLargerType()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            const QString body = QStringLiteral("The insurers paid the claims within the time the contract allows.");
            double y = 100;
            for (int section = 1; section <= 2; ++section) {
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 13));
                painter.drawText(QPointF(60, y), QStringLiteral("(%1) Changes to the contract terms").arg(section));
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
                for (int line = 0; line < 3; ++line)
                    painter.drawText(QPointF(60, y + 24 + 13 * line), body);
                y += 90;
            }
            // A numbered list in the body's own size stays a list.
            painter.drawText(QPointF(60, y), QStringLiteral("1) the first claim was paid"));
            painter.drawText(QPointF(60, y + 14), QStringLiteral("2) the second claim was refused"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("sections.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("# (1) Changes to the contract terms\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("# (2) Changes to the contract terms\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("1. the first claim was paid\n2. the second claim was refused")), qPrintable(md));
    }

    // A long document's markdown is packed as its pages are written: what
    // comes out is the blocks joined by blank lines, a paragraph that goes
    // on over a page break joined into one, whatever the writer packed.
    void manyPagesOfMarkdownArePackedAsWritten()
    {
        auto block = [](BlockType type, const QString &text) {
            TextBlock written;
            written.type = type;
            written.headingLevel = type == BlockType::Title ? 2 : 0;
            TextLine line;
            TextSpan span;
            span.text = text;
            line.spans.append(span);
            written.lines.append(line);
            return written;
        };
        const QString body = QStringLiteral("which runs long, ").repeated(30);
        MarkdownWriter writer;
        QByteArray expected;
        for (int i = 0; i < 6000; ++i) {
            PageLayout page;
            page.pageIndex = i;
            if (i % 2 == 0) {
                page.blocks = {block(BlockType::Title, QStringLiteral("Part %1").arg(i)),
                               block(BlockType::Text, QStringLiteral("Part %1 of the report, %2goes on").arg(i).arg(body))};
                expected += QStringLiteral("## Part %1\n\nPart %1 of the report, %2goes on").arg(i).arg(body).toUtf8();
            } else {
                page.blocks = {block(BlockType::Text, QStringLiteral("over the page, 第%1段实验结果。").arg(i)),
                               block(BlockType::Discarded, QStringLiteral("Page %1").arg(i + 1))};
                expected += QStringLiteral(" over the page, 第%1段实验结果。\n\n").arg(i).toUtf8();
            }
            writer.addPage(page);
        }
        expected.chop(1); // one line end after the last block
        const QByteArray packed = writer.finish();
        QVERIFY(expected.size() > kPackFromBytes);
        QVERIFY(isPacked(packed));
        QVERIFY(packed.size() < expected.size() / 2);
        QCOMPARE(unpack(packed), expected);

        PageLayout empty;
        writer.addPage(empty);
        QCOMPARE(writer.finish(), QByteArray());
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
        // Chinese runs on at a line end, into figures and stops too; Latin
        // words and figures keep their space.
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("营业收入为")), line(QStringLiteral("49.1亿元，同比"))}),
                 QStringLiteral("营业收入为49.1亿元，同比"));
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("同比增长")), line(QStringLiteral("（维持）"))}),
                 QStringLiteral("同比增长（维持）"));
        QCOMPARE(MarkdownWriter::joinLines({line(QStringLiteral("Revenue rose")), line(QStringLiteral("12% in June"))}),
                 QStringLiteral("Revenue rose 12% in June"));
    }

    // Ligatures become their letters and odd spaces plain ones, wherever
    // they stand; soft hyphens go; text without any comes back as it was.
    void readableTextSpellsOutLigaturesAndSpaces()
    {
        QCOMPARE(MarkdownWriter::readableText(QStringLiteral("\uFB00ort \uFB01ne \uFB02ow o\uFB03ce wa\uFB04e \uFB06ar")),
                 QStringLiteral("ffort fine flow office waffle star"));
        QCOMPARE(MarkdownWriter::readableText(QStringLiteral("10\u00A0km\u2009wide, hy\u00ADphen\u00AD")),
                 QStringLiteral("10 km wide, hyphen"));
        QCOMPARE(MarkdownWriter::readableText(QStringLiteral("\uFB01")), QStringLiteral("fi"));
        const QString plain = QStringLiteral("plain text, 中文 and \u00E9t\u00E9");
        QCOMPARE(MarkdownWriter::readableText(plain), plain);
        QCOMPARE(MarkdownWriter::readableText(QString()), QString());
    }

    void multiPageProgressAndOrder()
    {
        const QByteArray pdf = Test::multiPagePdf(5);
        QList<QPair<int, int>> progress;
        ParseControl control;
        control.progress = [&progress](int done, int total) { progress.append({done, total}); };
        const ParseResult result = parseBytes(pdf, QStringLiteral("five.pdf"), {}, control);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->pageCount, 5);
        QCOMPARE(progress.size(), 6);
        QCOMPARE(progress.first(), qMakePair(0, 5));
        QCOMPARE(progress.last(), qMakePair(5, 5));
        int previous = -1;
        for (int page = 1; page <= 5; ++page) {
            const int at = static_cast<int>(result->markdown().indexOf(QStringLiteral("page-%1-marker").arg(page)));
            QVERIFY2(at > previous, qPrintable(result->markdown()));
            previous = at;
        }
        QVERIFY(result->markdown().contains(QStringLiteral("# Section 3\n")));
    }

    void pageRangeSelectsPages()
    {
        ParserParams params;
        params.startPage = 1;
        params.endPage = 2;
        const ParseResult result = parseBytes(Test::multiPagePdf(5), QStringLiteral("five.pdf"), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
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
        QVERIFY(!beyond.ok());
        QCOMPARE(beyond.error().code, ErrorCode::InvalidInput);
        QVERIFY(beyond.errorMessage().contains(QStringLiteral("2-page")));
    }

    void cancelStopsBetweenPages()
    {
        int pagesSeen = 0;
        ParseControl control;
        control.progress = [&pagesSeen](int done, int) { pagesSeen = done; };
        control.isCancelled = [&pagesSeen] { return pagesSeen >= 2; };
        const ParseResult result = parseBytes(Test::multiPagePdf(10), QStringLiteral("ten.pdf"), {}, control);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::Cancelled);
        QCOMPARE(pagesSeen, 2);
    }

    void rightToLeftTextKeepsLigaturesAndReadsTablesFromTheRight()
    {
        // Arabic sets lam and alef as one glyph whose letters PDFs map in
        // their logical order; a ruled table's labels stand in its right column.
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) { Test::paintRightToLeftTable(painter, 60); });
        const ParseResult result = parseBytes(pdf, QStringLiteral("rtl.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("الأهداف الاستراتيجية للكالا")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| نام استاندارد | فولاد |")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| تاريخ پذيرش | 1403/10/04 |")), qPrintable(md));
    }
    // A landscape page printed turned on a portrait one, its text running
    // up the page or down it, or a page printed upside down: read upright,
    // as a viewer turned to it shows it (a paragraph, a ruled table), and
    // boxed where it lies on the page.
    void sidewaysPageIsReadUpright_data()
    {
        QTest::addColumn<int>("quarterTurns");
        QTest::newRow("running up") << 3;
        QTest::newRow("running down") << 1;
        QTest::newRow("upside down") << 2;
    }
    void sidewaysPageIsReadUpright()
    {
        QFETCH(int, quarterTurns);
        const QByteArray pdf
            = Test::paintedPdf([quarterTurns](QPainter &painter) { Test::paintSidewaysSurvey(painter, quarterTurns); });
        const ParseResult result = parseBytes(pdf, QStringLiteral("sideways.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("Landscape summary of the survey\n\nEvery site was visited twice, once in spring and once in autumn.")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| Site | Spring | Autumn |")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| Harbour | 14 | 17 |\n| Quarry | 9 | 11 |")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Quarry")) < md.indexOf(QStringLiteral("same two observers")), qPrintable(md));

        const QJsonObject page = middleJson(result)[QStringLiteral("pdf_info")][0].toObject();
        const QJsonArray size = page[QStringLiteral("page_size")].toArray();
        QVERIFY2(size[0].toDouble() < size[1].toDouble(), "the page stays portrait");
        bool found = false;
        for (const QJsonValue &block : page[QStringLiteral("para_blocks")].toArray())
            for (const QJsonValue &line : block[QStringLiteral("lines")].toArray()) {
                const QJsonArray spans = line[QStringLiteral("spans")].toArray();
                if (spans.isEmpty() || !spans[0][QStringLiteral("content")].toString().startsWith(QStringLiteral("Every site")))
                    continue;
                const QJsonArray box = line[QStringLiteral("bbox")].toArray();
                const QRectF lineBox(QPointF(box[0].toDouble(), box[1].toDouble()), QPointF(box[2].toDouble(), box[3].toDouble()));
                const bool upsideDown = quarterTurns == 2;
                QVERIFY2(upsideDown ? lineBox.width() > 5 * lineBox.height() : lineBox.height() > 5 * lineBox.width(),
                         "the line runs along the page's height, or upside down along its width");
                // Its baseline 100 points into the turned frame (and the
                // writer's margin): near the page's left edge when it runs
                // up, its right one when it runs down, its bottom one upside down.
                const double fromEdge = quarterTurns == 3 ? lineBox.left()
                    : upsideDown                          ? size[1].toDouble() - lineBox.bottom()
                                                          : size[0].toDouble() - lineBox.right();
                QVERIFY2(fromEdge > 85 && fromEdge < 115, qPrintable(QString::number(fromEdge)));
                found = true;
            }
        QVERIFY(found);
    }

    // A heading set turned in a table's heading row is one cell of text in
    // its reading order ("No Authority", not "Authority No").
    void turnedColumnHeadingsReadInOrder()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) { Test::paintTableWithTurnedHeadings(painter, 120); });
        const ParseResult result = parseBytes(pdf, QStringLiteral("turned-headings.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("| Action | Read only | No Authority |")), qPrintable(result->markdown()));
        QVERIFY2(result->markdown().contains(QStringLiteral("| Delete a file |  | X |")), qPrintable(result->markdown()));
    }

    void rightToLeftLigatureMappedToTwoLettersKeepsTheirOrder()
    {
        // Drawn left to right: the lam-alef glyph (mapped to lam, alef), an
        // alef, a kaf; read from the right: kaf, alef, lam, alef.
        const QByteArray pdf = Test::rawPdf(QSizeF(300, 200), "BT /F1 24 Tf 40 100 Td (ACB) Tj ET", 1, {},
                                            "<41> <06440627>\n<42> <0643>\n<43> <0627>");
        const ParseResult result = parseBytes(pdf, QStringLiteral("ligature.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->markdown().trimmed(), QStringLiteral("كالا"));
    }
    // A diagram of boxes read as a grid of rules leaves most cells empty; with
    // a figure's caption under it, it is that figure. A full grid stays a
    // table whatever its caption says.
    void gridOfLabelsCaptionedAsFigureIsAFigure()
    {
        const auto grid = [](int filled) {
            TextBlock table;
            table.type = BlockType::Table;
            table.bbox = QRectF(60, 100, 470, 240);
            table.rows = 4;
            table.columns = 3;
            for (int i = 0; i < table.rows * table.columns; ++i) {
                TableCell cell;
                cell.row = i / table.columns;
                cell.column = i % table.columns;
                cell.bbox = QRectF(60 + cell.column * 156, 100 + cell.row * 60, 156, 60);
                cell.text = i < filled ? QStringLiteral("label %1").arg(i) : QString();
                table.cells.append(cell);
            }
            return table;
        };
        for (const int filled : {3, 12}) {
            PageLayout page;
            page.size = QSizeF(595, 842);
            page.lines = {lineAt(QStringLiteral("Figure 3-1 CREATE PERMISSION SQL statement"), QRectF(60, 346, 200, 10))};
            page.regions = {grid(filled)};
            QList<PageLayout> pages{page};
            LayoutAnalyzer().analyze(pages, {});
            const QList<TextBlock> &blocks = pages.first().blocks;
            QCOMPARE(blocks.size(), filled == 12 ? 2 : 1);
            QCOMPARE(blocks.first().type, filled == 12 ? BlockType::Table : BlockType::Figure);
            QCOMPARE(blocks.first().caption.isEmpty(), filled == 12);
        }
    }
    // Chinese headings never end in a full stop: a large line that does is
    // a sentence (a caption over a photo, a paragraph's lone line), while
    // one without it is a heading.
    void chineseSentenceInLargeTypeIsNoHeading()
    {
        const auto large = [](const QString &text, double top) {
            TextLine line = lineAt(text, QRectF(60, top, 300, 16));
            line.spans.first().fontSize = 16;
            return line;
        };
        PageLayout page;
        page.size = QSizeF(595, 842);
        page.lines.append(large(QStringLiteral("第一章 傩与社火"), 60));
        for (int row = 0; row < 20; ++row)
            page.lines.append(lineAt(QStringLiteral("场子设在村边低洼处一块地里，四面土坡都是看台，第%1行。").arg(row),
                                     QRectF(60, 110 + row * 12, 300, 9)));
        page.lines.append(large(QStringLiteral("这一笔娟秀的行书，不知是出自谁人之手。"), 400));
        QList<PageLayout> pages{page};
        LayoutAnalyzer().analyze(pages, {});
        QStringList titles, texts;
        for (const TextBlock &block : std::as_const(pages.first().blocks))
            (block.type == BlockType::Title ? titles : texts).append(block.text());
        QCOMPARE(titles, QStringList{QStringLiteral("第一章 傩与社火")});
        QVERIFY2(texts.contains(QStringLiteral("这一笔娟秀的行书，不知是出自谁人之手。")), qPrintable(texts.join(QLatin1Char('\n'))));
    }

    // A running foot whose page number stands an em or more from its words
    // reads as one line; on its own at the page's foot it is furniture, even
    // where sampled pages never repeat it. A closing line whose number is
    // just a word of it stays.
    void runningFootWithItsPageNumberSetApartIsFurniture()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            for (int page = 0; page < 2; ++page) {
                if (page == 1)
                    writer.newPage();
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
                for (int row = 0; row < 20; ++row)
                    painter.drawText(QPointF(60, 80 + row * 14),
                                     QStringLiteral("Body line %1 of page %2 tells of access control.").arg(row).arg(page));
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 8));
                if (page == 0) {
                    painter.drawText(QRectF(200, 790, 300, 10), Qt::AlignRight,
                                     QStringLiteral("Chapter 3. Row and Column Access Control"));
                    painter.drawText(QRectF(512, 790, 20, 10), Qt::AlignLeft, QStringLiteral("15"));
                } else {
                    painter.drawText(QPointF(60, 798), QStringLiteral("Printed in the United States of America 2014"));
                }
            }
        });
        // The layout rules alone: the block model learnt some feet too.
        ParserParams rulesOnly;
        rulesOnly.blockModel = false;
        const ParseResult result = parseBytes(pdf, QStringLiteral("foot.pdf"), rulesOnly);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("Body line 19 of page 0")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("Chapter 3")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Printed in the United States of America 2014")), qPrintable(md));
    }
    // A note set in code ends with a full stop as prose does: the paragraph
    // under it, quoting code, is no part of the listing.
    void listingEndingInAFullStopEndsAtTheProseUnderIt()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            const QFont prose(QStringLiteral("DejaVu Sans"), 10);
            const QFont code(QStringLiteral("DejaVu Sans Mono"), 10);
            painter.setFont(prose);
            painter.drawText(QPointF(57, 190), QStringLiteral("Pinning versions protects you from bugs in new releases:"));
            painter.setFont(code);
            const QStringList listing{QStringLiteral("SomePackage == 1.2.3"), QStringLiteral("DependencyOfSomePackage == 4.5.6"),
                                      QStringLiteral("Pinning refers to using the == operator to require a"),
                                      QStringLiteral("specific version.")};
            for (int i = 0; i < listing.size(); ++i)
                painter.drawText(QPointF(57, 222 + i * 12), listing[i]);
            // One line of prose quoting code: its pieces set one after another.
            double x = 57;
            for (const auto &[font, text] : {std::pair{prose, QStringLiteral("A requirements file can be generated using ")},
                                             std::pair{code, QStringLiteral("pip freeze")},
                                             std::pair{prose, QStringLiteral(". This would pin all of the packages")}}) {
                painter.setFont(font);
                painter.drawText(QPointF(x, 272), text);
                x += QFontMetricsF(font, painter.device()).horizontalAdvance(text);
            }
            painter.setFont(prose);
            painter.drawText(QPointF(57, 286), QStringLiteral("and all of their transitive dependencies as well."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("note.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("```\nSomePackage == 1.2.3\nDependencyOfSomePackage == 4.5.6\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("specific version.\n```\n\nA requirements file")), qPrintable(md));
    }
    // A short italic line in title case set close under a paragraph's last
    // sentence heads what follows; it does not end the paragraph above.
    void italicHeadingUnderAParagraphStandsApart()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            const QFont roman(QStringLiteral("DejaVu Serif"), 10);
            QFont italic = roman;
            italic.setItalic(true);
            painter.setFont(roman);
            const QStringList above{QStringLiteral("Wing-type nuts are made of anodized aluminum alloy or"),
                                    QStringLiteral("of steel, and the bellows type is of brass only.")};
            for (int i = 0; i < above.size(); ++i)
                painter.drawText(QPointF(60, 100 + i * 12.5), above[i]);
            painter.setFont(italic);
            painter.drawText(QPointF(60, 125), QStringLiteral("Stainless Steel Self-Locking Nut"));
            painter.setFont(roman);
            painter.drawText(QPointF(60, 140), QStringLiteral("The stainless steel self-locking nut may be spun on"));
            painter.drawText(QPointF(60, 152.5), QStringLiteral("and off by hand as its locking action takes place."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("italic.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("brass only.\n\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("# Stainless Steel Self-Locking Nut\n\nThe stainless")), qPrintable(md));
    }
    // A ligature glyph mapped to "ﬃ" reads "ffi" in the middle JSON as in
    // the markdown: consumers compare and search both.
    void ligaturesReadAsTheirLettersInEveryOutput()
    {
        const QByteArray pdf = Test::rawPdf(QSizeF(300, 200), "BT /F1 14 Tf 40 100 Td (one diAcult word) Tj ET", 1, {},
                                            "<41> <FB03>");
        const ParseResult result = parseBytes(pdf, QStringLiteral("ligature.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("difficult word")), qPrintable(result->markdown()));
        const QJsonObject block = middleJson(result)[QStringLiteral("pdf_info")][0][QStringLiteral("para_blocks")][0].toObject();
        const QString content = block[QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("content")].toString();
        QVERIFY2(content.contains(QStringLiteral("difficult word")), qPrintable(content));
    }
    // A table between rules across it alone (booktabs): a rule over it, one
    // under its header, one under it, all as wide as the page's head rule.
    // Its description cells run over two or three lines; a section's name
    // is set across the columns. Rows start where the first column does.
    void tableBetweenHorizontalRulesAloneKeepsItsRows()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            const QFont prose(QStringLiteral("DejaVu Serif"), 10);
            painter.setPen(QPen(Qt::black, 0.8));
            painter.drawLine(QPointF(60, 50), QPointF(535, 50)); // the page's head rule
            painter.setFont(prose);
            painter.drawText(QPointF(60, 45), QStringLiteral("Dependency resolution"));
            painter.drawText(QPointF(60, 100), QStringLiteral("Python packaging supports several ways of specifying versions:"));
            const double y = Test::paintRulesOnlyTable(painter, 120);
            painter.setFont(prose);
            painter.drawText(QPointF(60, y + 30), QStringLiteral("The detailed specification can be found in the standard."));
            painter.drawLine(QPointF(60, 800), QPointF(535, 800)); // the page's foot rule
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("booktabs.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("| Operator | Description | Example |\n| --- | --- | --- |\n")), qPrintable(md));
        // One cell across the row; GFM has none, so its text stands in each column.
        QVERIFY2(md.contains(QStringLiteral("| Comparison operators and their examples | Comparison operators and their examples |")),
                 qPrintable(md));
        QVERIFY2(result->middleJson().contains(R"(<td colspan=\"3\">Comparison operators and their examples</td>)"),
                 result->middleJson().constData());
        QVERIFY2(md.contains(QStringLiteral("| > | Any version greater than the specified version. | >3.1: any version greater than 3.1. |\n")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| <= | Any version less than or equal to the specified version. | "
                                            "<=3.1: any version less than or equal to 3.1. |\n")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("| ~= | Any compatible version. | ~=3.1: any compatible version. |\n\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("versions:\n\n|")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\n\nThe detailed specification can be found in the standard.")), qPrintable(md));
    }
    // Two columns of prose between a page's head and foot rules share their
    // blank down the middle with a table's columns: they stay prose; so does
    // a listing with its comments lined up between rules, its caption too.
    void proseColumnsBetweenRulesAreNoTable()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setPen(QPen(Qt::black, 0.8));
            painter.drawLine(QPointF(60, 60), QPointF(535, 60));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 9));
            for (int row = 0; row < 14; ++row) {
                painter.drawText(QPointF(60, 80 + row * 12), QStringLiteral("left line %1 of prose that runs on and on").arg(row));
                painter.drawText(QPointF(310, 80 + row * 12), QStringLiteral("right line %1 of prose that runs on too").arg(row));
            }
            painter.drawLine(QPointF(60, 260), QPointF(535, 260));
            // Code with its comments lined up, framed by rules over its caption.
            painter.drawLine(QPointF(60, 400), QPointF(535, 400));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 8));
            for (int row = 0; row < 14; ++row) {
                painter.drawText(QPointF(70, 415 + row * 10), row == 0 ? QStringLiteral("mov edx, ebx(748)")
                                                                       : QStringLiteral("mov edi(%1), edx").arg(row * 8));
                painter.drawText(QPointF(260, 415 + row * 10), QStringLiteral("// store %1").arg(row));
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 9));
            painter.drawText(QPointF(60, 565), QStringLiteral("Figure 3. A snippet of the machine code the trace compiles to, with the"));
            painter.drawText(QPointF(60, 576), QStringLiteral("stores to the interpreter's stack marked and the guards that exit it."));
            painter.drawLine(QPointF(60, 584), QPointF(535, 584));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("prose.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(!result->markdown().contains(QLatin1Char('|')), qPrintable(result->markdown()));
        QVERIFY2(result->markdown().contains(QStringLiteral("```\nmov edx, ebx(748)")), qPrintable(result->markdown()));
        QVERIFY2(result->markdown().indexOf(QStringLiteral("left line 13")) < result->markdown().indexOf(QStringLiteral("right line 0 ")),
                 qPrintable(result->markdown()));
    }
    // Word processors' bullets come from symbol fonts whose glyphs map to
    // private codes (U+F0B7) or to control codes: a list, with no code in it.
    void bulletsMappedToPrivateCodesMakeAList()
    {
        const QByteArray content = "BT /F1 11 Tf 60 300 Td (A) Tj 14 0 Td (firstB item of the list) Tj ET\n"
                                   "BT /F1 11 Tf 60 284 Td (A) Tj 14 0 Td (second item of the list) Tj ET\n"
                                   "BT /F1 11 Tf 60 268 Td (A) Tj 14 0 Td (third item of the list) Tj ET\n"
                                   "BT /F1 11 Tf 60 220 Td (Only prose sits between the two lists.) Tj ET\n"
                                   "BT /F1 11 Tf 60 180 Td (C) Tj 8 0 Td (C) Tj 10 0 Td (one point made) Tj ET\n"
                                   "BT /F1 11 Tf 60 164 Td (C) Tj 8 0 Td (C) Tj 10 0 Td (another point made) Tj ET\n";
        const QByteArray pdf = Test::rawPdf(QSizeF(400, 400), content, 1, {}, "<41> <F0B7>\n<42> <0001>\n<43> <0084>");
        const ParseResult result = parseBytes(pdf, QStringLiteral("bullets.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("- first item of the list\n- second item of the list\n- third item")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- one point made\n- another point made")), qPrintable(md));
        for (const QByteArray &code : {QByteArray("\\u0001"), QByteArray("\\u0084"), QString(QChar(0xF0B7)).toUtf8(),
                                       QString(QChar(QChar::ReplacementCharacter)).toUtf8()})
            QVERIFY2(!result->middleJson().contains(code), result->middleJson().constData());
    }
    void twoColumnPageReadsColumnByColumn()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 18, QFont::Bold));
            painter.drawText(QPointF(50, 70), QStringLiteral("A Study in Two Columns"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int row = 0; row < 12; ++row) {
                painter.drawText(QPointF(50, 120 + row * 13), QStringLiteral("left%1 words in the first column").arg(row, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(320, 120 + row * 13), QStringLiteral("right%1 words in the second column").arg(row, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("columns.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("# A Study in Two Columns\n")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("left11")) < md.indexOf(QStringLiteral("right00")), qPrintable(md));
        int previous = -1;
        for (const QString &side : {QStringLiteral("left"), QStringLiteral("right")})
            for (int row = 0; row < 12; ++row) {
                const int at = static_cast<int>(md.indexOf(side + QStringLiteral("%1").arg(row, 2, 10, QLatin1Char('0'))));
                QVERIFY2(at > previous, qPrintable(md));
                previous = at;
            }
    }

    void headingLevelsFollowTheDocumentsStyles()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            auto text = [&painter](double y, int size, bool bold, const QString &line) {
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), size, bold ? QFont::Bold : QFont::Normal));
                painter.drawText(QPointF(60, y), line);
            };
            const QString body = QStringLiteral("Body text of ordinary size that runs along for a good while here.");
            text(80, 24, true, QStringLiteral("Annual Survey"));
            text(130, 16, true, QStringLiteral("Introduction"));
            text(160, 11, false, body);
            text(200, 13, true, QStringLiteral("Background"));
            text(230, 11, false, body);
            writer.newPage();
            text(80, 16, true, QStringLiteral("Methods"));
            text(110, 11, false, body);
            text(150, 13, true, QStringLiteral("Details"));
            text(180, 11, false, body);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("levels.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList lines = md.split(QLatin1Char('\n')); // "## X" holds "# X": whole lines
        for (const char *heading : {"# Annual Survey", "## Introduction", "### Background", "## Methods", "### Details"})
            QVERIFY2(lines.contains(QLatin1String(heading)), qPrintable(md));
    }

    // A heading whose name in code is set half a point smaller than its
    // words is at its words' level, not a level of its own.
    void headingSizesAHalfPointApartShareALevel()
    {
        const QByteArray body = "(Body text of ordinary size that runs along for a good while here.) Tj";
        const QByteArray content = "BT /F1 24 Tf 60 760 Td (Compression) Tj ET\n"
                                   "BT /F1 16 Tf 60 720 Td (Threadpool usage) Tj ET\n"
                                   "BT /F1 11 Tf 60 700 Td " + body + " ET\n"
                                   "BT /F1 16 Tf 60 660 Td (Class: ) Tj /F1 15.5 Tf (zlib.BrotliOptions) Tj ET\n"
                                   "BT /F1 11 Tf 60 640 Td " + body + " ET\n"
                                   "BT /F1 13 Tf 60 600 Td (Compressor options) Tj ET\n"
                                   "BT /F1 11 Tf 60 580 Td " + body + " ET\n";
        const ParseResult result = parseBytes(Test::rawPdf(QSizeF(612, 792), content), QStringLiteral("levels.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList lines = md.split(QLatin1Char('\n'));
        for (const char *heading : {"# Compression", "## Threadpool usage", "## Class: zlib.BrotliOptions", "### Compressor options"})
            QVERIFY2(lines.contains(QLatin1String(heading)), qPrintable(md));
    }

    void numberedHeadingsTakeTheirDepth()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 11, QFont::Bold));
            painter.drawText(QPointF(60, 80), QStringLiteral("3 Results"));
            painter.drawText(QPointF(60, 140), QStringLiteral("3.1 Accuracy"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("The results of the study are summarised in this section of the paper."));
            painter.drawText(QPointF(60, 160), QStringLiteral("Accuracy improved on every data set that was measured for the paper."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("numbered.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("# 3 Results\n")), qPrintable(result->markdown()));
        QVERIFY2(result->markdown().contains(QStringLiteral("## 3.1 Accuracy\n")), qPrintable(result->markdown()));
    }

    void italicAndRunInHeadings()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            QFont italic(QStringLiteral("DejaVu Serif"), 10);
            italic.setItalic(true);
            const QFont roman(QStringLiteral("DejaVu Serif"), 10);
            painter.setFont(roman);
            painter.drawText(QPointF(60, 80), QStringLiteral("An opening paragraph of plain body text that runs on for a while."));
            painter.setFont(italic);
            painter.drawText(QPointF(60, 110), QStringLiteral("Elastic Stop Nut"));
            painter.setFont(roman);
            painter.drawText(QPointF(60, 123), QStringLiteral("The elastic stop nut is a standard nut with a fibre collar in it."));
            painter.drawText(QPointF(60, 136), QStringLiteral("It holds tight under vibration and is used across the airframe."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("nuts.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(QRegularExpression(QStringLiteral("^#+ Elastic Stop Nut\n\nThe elastic stop nut"), QRegularExpression::MultilineOption)
                     .match(md).hasMatch(),
                 qPrintable(md));
    }

    void repeatedFooterIsDropped()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const double height = writer.pageLayout().fullRectPoints().height();
            for (int page = 1; page <= 3; ++page) {
                if (page > 1)
                    writer.newPage();
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
                painter.drawText(QPointF(60, 100), QStringLiteral("Chapter text on page %1 that matters to the reader.").arg(page));
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 8));
                painter.drawText(QPointF(60, height - 40), QStringLiteral("ACME Corporation confidential report %1").arg(page));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("footer.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(!result->markdown().contains(QStringLiteral("ACME")), qPrintable(result->markdown()));
        QVERIFY(result->markdown().contains(QStringLiteral("Chapter text on page 3")));
        const QJsonArray pages = middleJson(result).value(QStringLiteral("pdf_info")).toArray();
        for (const QJsonValue &page : pages)
            QCOMPARE(page[QStringLiteral("discarded_blocks")].toArray().size(), 1);
    }

    void garbledTextLayerFallsBackToOcr()
    {
        // What a broken font encoding leaves: a text layer of replacement
        // characters over a page whose glyphs a reader can see.
        const QImage image = Test::textImage({QStringLiteral("Visible invoice total 8812")});
        const QByteArray pdf = Test::paintedPdf([&image](QPainter &painter, QPdfWriter &) {
            painter.drawImage(QRectF(0, 0, image.width() * 72.0 / 300, image.height() * 72.0 / 300), image);
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 11));
            painter.setPen(Qt::white);
            painter.drawText(QPointF(40, 400), QString(30, QChar(0xFFFD)));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("garbled.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("invoice total 8812")), qPrintable(result->markdown()));
        QVERIFY(!result->markdown().contains(QChar(0xFFFD)));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(page.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("ocr"));
    }

    void everyWordAppearsExactlyOnce()
    {
        QStringList words;
        for (int i = 0; i < 120; ++i)
            words.append(QStringLiteral("w%1x").arg(i, 3, 10, QLatin1Char('0')));
        const QByteArray pdf = Test::paintedPdf([&words](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 16, QFont::Bold));
            painter.drawText(QPointF(60, 70), words.mid(0, 3).join(QLatin1Char(' ')));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int line = 0; line < 9; ++line)
                painter.drawText(QPointF(60, 110 + line * 13), words.mid(3 + line * 9, 9).join(QLatin1Char(' ')));
            for (int item = 0; item < 6; ++item)
                painter.drawText(QPointF(70, 260 + item * 13), QStringLiteral("• ") + words.mid(84 + item * 6, 6).join(QLatin1Char(' ')));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("words.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        for (const QString &word : std::as_const(words))
            QVERIFY2(md.count(word) == 1, qPrintable(word + QStringLiteral(" in:\n") + md));
    }

    void middleJsonTellsTheSameStoryAsTheMarkdown()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 18, QFont::Bold));
            painter.drawText(QPointF(60, 70), QStringLiteral("Field Report"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 110), QStringLiteral("The survey team walked the northern ridge and counted nests."));
            painter.drawText(QPointF(60, 123), QStringLiteral("Counts were higher than in any earlier year of the survey."));
            painter.drawText(QPointF(70, 160), QStringLiteral("• gulls nesting on the cliffs"));
            painter.drawText(QPointF(70, 173), QStringLiteral("• terns on the shingle beach"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("report.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        // Rebuild markdown the way the original service's client does.
        QStringList rebuilt;
        const QJsonArray pages = middleJson(result).value(QStringLiteral("pdf_info")).toArray();
        for (const QJsonValue &page : pages)
            for (const QJsonValue &value : page[QStringLiteral("para_blocks")].toArray()) {
                const QJsonObject block = value.toObject();
                const QString type = block.value(QStringLiteral("type")).toString();
                if (type == QLatin1String("title"))
                    rebuilt.append(QString(block.value(QStringLiteral("level")).toInt(), QLatin1Char('#')) + QLatin1Char(' ')
                                   + block.value(QStringLiteral("merged_text")).toString());
                else if (type == QLatin1String("list"))
                    for (const QJsonValue &item : block.value(QStringLiteral("blocks")).toArray())
                        rebuilt.append(QStringLiteral("- ") + item[QStringLiteral("merged_text")].toString().mid(2));
                else
                    rebuilt.append(block.value(QStringLiteral("merged_text")).toString());
            }
        auto words = [](const QString &text) {
            return text.split(QRegularExpression(QStringLiteral("\\s+")), Qt::SkipEmptyParts);
        };
        QCOMPARE(words(rebuilt.join(QLatin1Char('\n'))), words(result->markdown()));
    }

    void damagedPdfFailsWithMessage()
    {
        const ParseResult result = parseBytes(QByteArray("%PDF-1.4\nthis is not really a pdf"), QStringLiteral("bad.pdf"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("not a readable PDF")), qPrintable(result.errorMessage()));
    }

    void pageNumbersAreDiscardedButKept()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const double height = writer.pageLayout().fullRectPoints().height();
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("Body text that a reader wants to keep."));
            painter.drawText(QPointF(290, height - 30), QStringLiteral("17"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("numbered.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY(result->markdown().contains(QStringLiteral("Body text that a reader wants to keep.")));
        QVERIFY2(!result->markdown().contains(QStringLiteral("17")), qPrintable(result->markdown()));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        const QJsonArray discarded = page.value(QStringLiteral("discarded_blocks")).toArray();
        QCOMPARE(discarded.size(), 1);
        QCOMPARE(discarded.at(0)[QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("content")].toString(),
                 QStringLiteral("17"));
    }

    // A one-page document still has its furniture: the page number set
    // apart under text that ends mid-page, and a download stamp at the
    // page's very edge above a running head. A number in the prose, and a
    // number closing a list under its items, stay.
    void furnitureOfAPageAlone()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 7));
            painter.drawText(QPointF(140, 14), QStringLiteral("Downloaded from https://archive.example.org/ on July 12, 2017"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 8));
            painter.drawText(QPointF(60, 26), QStringLiteral("Annual filing"));
            painter.drawText(QPointF(520, 26), QStringLiteral("452"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            const QStringList prose{QStringLiteral("stakeholders were consulted on the plan before it was adopted."),
                                    QStringLiteral("The steps were counted again at the end of the year:"),
                                    QStringLiteral("1. Survey"), QStringLiteral("2. Review"), QStringLiteral("3")};
            for (int i = 0; i < prose.size(); ++i)
                painter.drawText(QPointF(60, 80 + i * 16), prose[i]);
            painter.drawText(QPointF(290, 240), QStringLiteral("62"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("filing.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("stakeholders were consulted")) || md.contains(QStringLiteral("\nstakeholders were consulted")),
                 qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("Downloaded from")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("62")), qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(QStringLiteral("Review\\s+3\\b"))), qPrintable(md));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QStringList discarded;
        for (const QJsonValue &block : page.value(QStringLiteral("discarded_blocks")).toArray())
            discarded << block[QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("content")].toString();
        QVERIFY2(discarded.contains(QStringLiteral("62")), qPrintable(discarded.join(QLatin1Char('|'))));
        QVERIFY2(discarded.filter(QStringLiteral("Downloaded")).size() == 1, qPrintable(discarded.join(QLatin1Char('|'))));
    }

    // Text that would mean something else as markdown is escaped: it reads
    // the same rendered as in the PDF.
    void markdownIsEscaped()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 80), QStringLiteral("# 1 priority is speed, said the memo."));
            painter.drawText(QPointF(60, 130), QStringLiteral("> 5 users logged in at noon."));
            painter.drawText(QPointF(60, 180), QStringLiteral("Use a*b and c*d, keep snake_case and _private_ names,"));
            painter.drawText(QPointF(60, 195), QStringLiteral("never <script>alert(1)</script> nor [link](http://example.org) or `ticks`."));
            painter.drawText(QPointF(60, 250), QStringLiteral("[1]: http://example.org/hidden"));
            painter.drawText(QPointF(60, 300), QStringLiteral("Call socket.bind([port][, address]) first."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("escape.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("\\# 1 priority is speed")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\\> 5 users logged in")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("a\\*b and c\\*d")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("snake_case and \\_private\\_ names")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\\<script>alert(1)\\</script>")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\\[link](http://example.org)")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\\`ticks\\`")), qPrintable(md));
        // A link definition would vanish; brackets that cannot be a link stay as they are.
        QVERIFY2(md.contains(QStringLiteral("\\[1]: http://example.org/hidden")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Call socket.bind([port][, address]) first.")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("\n# ")) && !md.startsWith(QStringLiteral("# ")), qPrintable(md));
    }

    // Chinese lines come out as lines, not characters spaced apart: one
    // span per line, in the line's own spacing.
    void chineseLinesAreOneSpan()
    {
        const ParseResult result = Test::parseDocument(Test::richDocumentPdf(1), QStringLiteral("rich.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QStringList contents;
        for (const QJsonValue &block : middleJson(result).value(QStringLiteral("pdf_info"))[0][QStringLiteral("para_blocks")].toArray())
            for (const QJsonValue &line : block[QStringLiteral("lines")].toArray())
                for (const QJsonValue &span : line[QStringLiteral("spans")].toArray())
                    contents.append(span[QStringLiteral("content")].toString());
        QVERIFY2(contents.contains(QStringLiteral("第1次实验的结果与预期一致。")), qPrintable(contents.join(QLatin1Char('|'))));
    }

    // A table's caption above it and its note under it stay with it, in
    // the markdown in the page's order and in the middle JSON as MinerU's
    // table_caption / table_footnote after the table_body (ApeRAG's reader
    // drops a caption before the body); its picture is under images/. List
    // lines carry MinerU's item flags, or its generator makes one paragraph
    // of the list.
    void tableCaptionFootnoteAndListFlags()
    {
        const ParseResult result = Test::parseDocument(Test::richDocumentPdf(1), QStringLiteral("rich.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const qsizetype caption = md.indexOf(QStringLiteral("\n\nTable 1: Shifts of run 1.\n\n| Batch |"));
        const qsizetype note = md.indexOf(QStringLiteral("| C1 | 17:45 | 0.1 |\n\nSource: the shift log of run 1."));
        QVERIFY2(caption > 0 && note > caption, qPrintable(md));

        const QJsonArray blocks = middleJson(result).value(QStringLiteral("pdf_info"))[0][QStringLiteral("para_blocks")].toArray();
        QJsonObject shifts, list;
        for (const QJsonValue &block : blocks) {
            if (block[QStringLiteral("type")].toString() == QLatin1String("list"))
                list = block.toObject();
            if (block[QStringLiteral("type")].toString() == QLatin1String("table")
                && QJsonDocument(block.toObject()).toJson().contains("Batch"))
                shifts = block.toObject();
        }
        QStringList parts;
        for (const QJsonValue &part : shifts[QStringLiteral("blocks")].toArray())
            parts.append(part[QStringLiteral("type")].toString());
        QCOMPARE(parts, (QStringList{QStringLiteral("table_body"), QStringLiteral("table_caption"), QStringLiteral("table_footnote")}));
        const QJsonArray partsJson = shifts[QStringLiteral("blocks")].toArray();
        QCOMPARE(partsJson[1][QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("content")].toString(),
                 QStringLiteral("Table 1: Shifts of run 1."));
        const QString picture = partsJson[0][QStringLiteral("lines")][0][QStringLiteral("spans")][0][QStringLiteral("image_path")].toString();
        QVERIFY2(picture.startsWith(QStringLiteral("1_table_")), qPrintable(picture));
        QVERIFY(!QImage::fromData(result->images.value(QStringLiteral("images/") + picture), "PNG").isNull());

        QList<bool> starts, ends;
        for (const QJsonValue &line : list[QStringLiteral("lines")].toArray()) {
            starts.append(line[QStringLiteral("is_list_start_line")].toBool());
            ends.append(line[QStringLiteral("is_list_end_line")].toBool());
        }
        QCOMPARE(starts, (QList<bool>{true, true}));
        QCOMPARE(ends, (QList<bool>{true, true}));
    }

    // A block's markdown (the chunks', the browser UI's) keeps a document's
    // markup as text, as the result's markdown does.
    void blockMarkdownKeepsMarkupAsText()
    {
        ResultBlock text;
        text.text = QStringLiteral("<script>alert(1)</script> *not bold* [x](javascript:y)");
        QCOMPARE(blockMarkdown(text), QStringLiteral("\\<script>alert(1)\\</script> \\*not bold\\* \\[x](javascript:y)"));
        ResultBlock heading;
        heading.kind = ResultBlock::Kind::Heading;
        heading.level = 2;
        heading.text = QStringLiteral("<img src=x onerror=y()> notes");
        QCOMPARE(blockMarkdown(heading), QStringLiteral("## \\<img src=x onerror=y()> notes"));
        ResultBlock list;
        list.kind = ResultBlock::Kind::List;
        list.items = {QStringLiteral("1. <b>one</b>"), QStringLiteral("\u2022 `two`")};
        QCOMPARE(blockMarkdown(list), QStringLiteral("1. \\<b>one\\</b>\n- \\`two\\`"));
        ResultBlock paragraph;
        paragraph.text = QStringLiteral("# not a heading");
        QCOMPARE(blockMarkdown(paragraph), QStringLiteral("\\# not a heading"));
    }

    // Chunks for retrieval: within max_chars unless one block is larger,
    // tables, list items, listings and formulas never cut, a new chunk at
    // every heading, and the provenance of each chunk names the pages and
    // boxes of the blocks whose text it holds.
    void chunksKeepBlocksWholeWithProvenance()
    {
        const ParseResult result = Test::parseDocument(Test::richDocumentPdf(3), QStringLiteral("rich.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const Result<QList<ResultBlock>> blocks = readResultBlocks(result->middleJson());
        QVERIFY2(blocks.ok(), qPrintable(blocks.errorMessage()));
        const QJsonArray contentList = QJsonDocument::fromJson(contentListJson(*blocks)).array();
        QJsonArray pageSizes;
        for (const QJsonValue &page : middleJson(result).value(QStringLiteral("pdf_info")).toArray())
            pageSizes.append(page[QStringLiteral("page_size")]);

        const Result<ChunkOptions> options = ChunkOptions::parse(QStringLiteral("350"), QStringLiteral("100"));
        QVERIFY(options.ok());
        const QJsonArray chunks = QJsonDocument::fromJson(chunksJson(*blocks, *options)).object()[QStringLiteral("chunks")].toArray();
        QVERIFY2(chunks.size() >= 6, qPrintable(QString::number(chunks.size()))); // three sections, each larger than a chunk
        QStringList texts;
        for (const QJsonValue &chunk : chunks) {
            const QString text = chunk[QStringLiteral("text")].toString();
            texts.append(text);
            QCOMPARE(chunk[QStringLiteral("char_count")].toInt(), text.size());
            if (text.size() > 350)
                QCOMPARE(chunk[QStringLiteral("blocks")].toArray().size(), 1);
            // A heading opens its chunk, and the chunk sits under it.
            const QJsonArray path = chunk[QStringLiteral("heading_path")].toArray();
            QCOMPARE(path.size(), 1);
            const QString section = path[0].toString();
            QVERIFY2(section.endsWith(QStringLiteral("Results of run %1").arg(chunk[QStringLiteral("pages")][0].toInt() + 1)),
                     qPrintable(section));
            QVERIFY2(!text.contains(QStringLiteral("\n# ")), qPrintable(text));
        }
        // Every block of the content list whole in some chunk, and that chunk's
        // provenance holds the block's page and box.
        int tables = 0, lists = 0;
        for (const QJsonValue &entry : contentList) {
            const QString type = entry[QStringLiteral("type")].toString();
            QString whole = type == QLatin1String("table") ? entry[QStringLiteral("table_body")].toString()
                          : type == QLatin1String("code") ? entry[QStringLiteral("code_body")].toString()
                                                          : entry[QStringLiteral("text")].toString();
            if (whole.isEmpty())
                continue;
            tables += type == QLatin1String("table");
            lists += whole.startsWith(QStringLiteral("1. Weigh"));
            const int page = entry[QStringLiteral("page_idx")].toInt();
            // A list may end one chunk and go on in the next, between items.
            const QStringList pieces = type == QLatin1String("text") ? whole.split(QLatin1Char('\n')) : QStringList{whole};
            for (const QString &piece : pieces) {
                bool found = false;
                for (const QJsonValue &chunk : chunks) {
                    if (!chunk[QStringLiteral("text")].toString().contains(piece))
                        continue;
                    for (const QJsonValue &source : chunk[QStringLiteral("blocks")].toArray()) {
                        const double height = pageSizes[page][1].toDouble();
                        const int top = int(source[QStringLiteral("bbox")][1].toDouble() * 1000 / height);
                        found |= source[QStringLiteral("page_idx")].toInt() == page
                            && qAbs(top - entry[QStringLiteral("bbox")][1].toInt()) <= 1;
                    }
                }
                QVERIFY2(found, qPrintable(piece));
            }
        }
        QCOMPARE(tables, 6);
        QCOMPARE(lists, 3);
        // The table's picture is referenced by the chunk that holds the table.
        bool pictured = false;
        for (const QJsonValue &chunk : chunks)
            pictured |= chunk[QStringLiteral("text")].toString().contains(QStringLiteral("<td>Batch</td>"))
                && chunk[QStringLiteral("images")].toArray().contains(QStringLiteral("images/1_table_2.png"));
        QVERIFY(pictured);
        // Overlap: some chunk opens with a block (a list item, a paragraph)
        // the one before it held.
        bool overlapped = false;
        for (qsizetype i = 1; i < texts.size(); ++i) {
            const QString first = texts[i].section(QLatin1Char('\n'), 0, 0);
            overlapped |= first.size() > 10 && !first.startsWith(QLatin1Char('#')) && texts[i - 1].contains(first);
        }
        QVERIFY(overlapped);

        QVERIFY(!ChunkOptions::parse(QStringLiteral("99"), {}).ok());
        QVERIFY(!ChunkOptions::parse(QStringLiteral("1000"), QStringLiteral("501")).ok());
        QVERIFY(!ChunkOptions::parse(QStringLiteral("ten"), {}).ok());
    }

    // A contents page lists entries with dot leaders and page numbers: they
    // are an index (a list in markdown, "index" blocks in the middle JSON),
    // never headings, however large or numbered.
    void contentsPageIsAnIndex()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 20, QFont::Bold));
            painter.drawText(QPointF(60, 80), QStringLiteral("Contents"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 12, QFont::Bold));
            const QStringList entries{QStringLiteral("1 Introduction . . . . . . . . . . . . . . . . . . . 1"),
                                      QStringLiteral("2 Methods . . . . . . . . . . . . . . . . . . . . . . 5"),
                                      QStringLiteral("2.1 Data sources ........................... 7"),
                                      QStringLiteral("Index ………………………………………… xii")};
            for (int i = 0; i < entries.size(); ++i)
                painter.drawText(QPointF(60, 130 + i * 28), entries[i]);
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 300), QStringLiteral("This report was written in the spring of the year."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("contents.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("- 1 Introduction 1\n- 2 Methods 5\n- 2.1 Data sources 7\n- Index xii")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("# 1 Introduction")) && !md.contains(QStringLiteral("# 2")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("This report was written")), qPrintable(md));
        int indexBlocks = 0;
        for (const QJsonValue &block : middleJson(result).value(QStringLiteral("pdf_info"))[0][QStringLiteral("para_blocks")].toArray())
            indexBlocks += block[QStringLiteral("type")].toString() == QLatin1String("index");
        QVERIFY(indexBlocks >= 1);
    }

    // A listing in a monospaced font is a fenced code block with its lines
    // and indentation: a "#" comment is not a heading, a blank line does not
    // cut it in two. A monospaced name set large stays a heading.
    // Listings set tight between paragraphs that quote code: a listing
    // opening with "{" alone, one line of code under an introduction that
    // quotes code, a sentence quoting code right under a listing. Each
    // listing is one fence, the prose stays prose.
    void listingsBesideProseThatQuotesCode()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
            auto mixed = [&painter, &serif, &mono](double y, const QList<QPair<QString, bool>> &runs) {
                double x = 60;
                for (const auto &[text, code] : runs) {
                    painter.setFont(code ? mono : serif);
                    painter.drawText(QPointF(x, y), text);
                    x += painter.fontMetrics().horizontalAdvance(text + QLatin1Char(' '));
                }
            };
            mixed(80, {{QStringLiteral("A report is written by"), false}, {QStringLiteral("writeReport()"), true}, {QStringLiteral("like this:"), false}});
            painter.setFont(mono);
            painter.drawText(QPointF(60, 94), QStringLiteral("process.report.writeReport();"));
            mixed(108, {{QStringLiteral("This call takes an optional"), false}, {QStringLiteral("filename"), true},
                        {QStringLiteral("to write the report to."), false}});
            mixed(122, {{QStringLiteral("The report it writes reads as follows, in JSON."), false}});
            painter.setFont(mono);
            const QStringList json{QStringLiteral("{"), QStringLiteral("  \"header\": {"), QStringLiteral("    \"reportVersion\": 3,"),
                                   QStringLiteral("    \"event\": \"exception\""), QStringLiteral("  }"), QStringLiteral("}")};
            for (int i = 0; i < json.size(); ++i)
                painter.drawText(QPointF(60, 136 + i * 11), json[i]);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("report.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("like this:\n\n```\nprocess.report.writeReport();\n```\n\nThis call takes")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("```\n{\n  \"header\": {\n    \"reportVersion\": 3,")), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("```")), 4);
    }

    void codeListingsAreFenced()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 16, QFont::Bold));
            painter.drawText(QPointF(60, 70), QStringLiteral("parse_config(path)"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 100), QStringLiteral("The function reads the file and returns its settings as a map."));
            painter.drawText(QPointF(60, 115), QStringLiteral("It is used like this in the service's start-up code:"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 10));
            const QStringList code{QStringLiteral("# read the settings once"), QStringLiteral("def load(path):"),
                                   QStringLiteral("    with open(path) as f:"), QStringLiteral("        return parse(f)"),
                                   QString(), QStringLiteral("settings = load('app.conf')")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(72, 140 + i * 13), code[i]);
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 240), QStringLiteral("Nothing else is needed to start the service."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("```\n# read the settings once\ndef load(path):\n    with open(path) as f:\n"
                                            "        return parse(f)\n\nsettings = load('app.conf')\n```")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("# parse_config(path)\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Nothing else is needed")), qPrintable(md));
        // In the middle JSON a text block marked as code, its lines kept:
        // consumers that know no "code" blocks keep the text.
        QStringList codeLines;
        for (const QJsonValue &block : middleJson(result).value(QStringLiteral("pdf_info"))[0][QStringLiteral("para_blocks")].toArray())
            if (block[QStringLiteral("sub_type")].toString() == QLatin1String("code")) {
                QCOMPARE(block[QStringLiteral("type")].toString(), QStringLiteral("text"));
                for (const QJsonValue &line : block[QStringLiteral("lines")].toArray())
                    codeLines.append(line[QStringLiteral("spans")][0][QStringLiteral("content")].toString());
            }
        QVERIFY2(codeLines.contains(QStringLiteral("def load(path):")) && codeLines.contains(QStringLiteral("return parse(f)")),
                 qPrintable(codeLines.join(QLatin1Char('|'))));
    }

    // Two columns with a gutter no wider than a justified word gap: the
    // lines of the two columns are not read as one, and the left column is
    // read before the right. A heading and a paragraph's last line stop
    // short of the gutter: their wide gap to the right column's line beside
    // them is the same gutter.
    void narrowGutterSeparatesColumns()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 14, QFont::Bold));
            painter.drawText(QPointF(60, 88), QStringLiteral("Columns"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QRectF(299, 78, 230, 12), Qt::AlignLeft, QStringLiteral("right column line 0 beside the heading"));
            // Two and a half ems short of the gutter: close enough to read as one line with the right's.
            painter.drawText(QRectF(60, 80 + 15 * 13, 215, 12), Qt::AlignRight, QStringLiteral("The left ends here."));
            painter.drawText(QRectF(299, 80 + 15 * 13, 230, 12), Qt::AlignLeft, QStringLiteral("right column line 15 beside the end"));
            for (int i = 1; i <= 14; ++i) {
                const double y = 80 + i * 13;
                painter.drawText(QRectF(60, y, 230, 12), Qt::AlignRight,
                                 QStringLiteral("Left column line %1 reads on and on to the gutter").arg(i));
                painter.drawText(QRectF(299, y, 230, 12), Qt::AlignLeft,
                                 QStringLiteral("right column line %1 starts at the gutter edge").arg(i));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("columns.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("gutter right column line 2 ")), qPrintable(md)); // no line read across
        QVERIFY2(md.contains(QStringLiteral("# Columns\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The left ends here.\n")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("The left ends here.")) < md.indexOf(QStringLiteral("right column line 0 ")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Left column line 14")) >= 0
                     && md.indexOf(QStringLiteral("Left column line 14")) < md.indexOf(QStringLiteral("right column line 1 ")),
                 qPrintable(md));
    }

    // A tight gutter as LaTeX sets it: the right column's baselines sit a
    // little off the left's, its lines open with check marks, the left
    // column is justified prose. No line is read across the gutter.
    void offsetBaselinesAcrossATightGutter()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 16; ++i) {
                const double y = 80 + i * 13;
                painter.drawText(QRectF(60, y, 230, 12), Qt::AlignRight,
                                 QStringLiteral("Left prose line %1 set justified to the gutter").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(298, y + 8.5), QString(QChar(0x2713)));
                painter.drawText(QPointF(308, y + 8.5), QStringLiteral("RightSetting%1=").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("tight.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("gutter ") + QChar(0x2713)), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("line 15")) < md.indexOf(QStringLiteral("RightSetting00")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("RightSetting00")) < md.indexOf(QStringLiteral("RightSetting15")), qPrintable(md));
    }

    // A page number centred under two columns closes the gap between them:
    // the columns are still read one after the other, the number last.
    void pageNumberUnderColumnsKeepsThemApart()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            auto paragraph = [&painter](double x, double y, const QString &name, int lines) {
                for (int i = 0; i < lines; ++i)
                    painter.drawText(QPointF(x, y + i * 13), QStringLiteral("%1 line %2 of this paragraph").arg(name).arg(i));
            };
            paragraph(60, 80, QStringLiteral("Apple"), 3);
            paragraph(320, 80, QStringLiteral("Cherry"), 2);
            paragraph(60, 140, QStringLiteral("Banana"), 2); // nothing beside it
            paragraph(60, 190, QStringLiteral("Date"), 2);
            paragraph(320, 190, QStringLiteral("Elder"), 3);
            painter.drawText(QPointF(295, 760), QStringLiteral("7"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("numbered.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList order{QStringLiteral("Apple"), QStringLiteral("Banana"), QStringLiteral("Date"), QStringLiteral("Cherry"),
                                QStringLiteral("Elder")};
        for (qsizetype i = 1; i < order.size(); ++i)
            QVERIFY2(md.indexOf(order[i - 1] + QStringLiteral(" line 0")) < md.indexOf(order[i] + QStringLiteral(" line 0")), qPrintable(md));
    }

    // A column of code alone on its page has no prose to show where the
    // column ends: the page before it, set in the same columns, shows it,
    // and the lines the column broke are joined again.
    // LaTeX's listings set a listing token by token on a grid wider than
    // its glyphs: an eighth of an em between tokens ("add", "(", "a", ","),
    // where proportional text would have a space. A heading in the same
    // face set tight keeps its narrow space.
    void listingSetOnAGridReadsAsWritten()
    {
        const ParseResult result = parseBytes(Test::gridListingPdf(), QStringLiteral("listing.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("```\n") + Test::kGridListing.join(QLatin1Char('\n')) + QStringLiteral("\n```")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("THEM, SOON")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The listing below adds two numbers and prints the sum.")), qPrintable(md));
    }

    void brokenCodeLinesOnAPageOfCodeAreJoined()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            auto prose = [&painter](double x, int first) {
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
                for (int i = 0; i < 8; ++i)
                    painter.drawText(QRectF(x, 60 + i * 13, 200, 12), Qt::AlignLeft | Qt::AlignTop,
                                     QStringLiteral("Prose of the narrow column line %1 runs").arg(first + i));
            };
            prose(60, 0);
            prose(310, 10);
            writer.newPage();
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList code{QStringLiteral("const vm = require('node:vm');"), QStringLiteral("init(context); // Contextify the"),
                                   QStringLiteral("object."), QStringLiteral("const code = compile(source,"),
                                   QStringLiteral("options);"), QStringLiteral("run(code);")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 70 + i * 12), code[i]);
            prose(310, 20);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code-page.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("```\nconst vm = require('node:vm');\ninit(context); // Contextify the object.\n"
                                            "const code = compile(source, options);\nrun(code);\n```")),
                 qPrintable(md));
    }

    // The pages around a page of code are looked at up to two away, after
    // it as well as before it: the document streams through the analysis
    // with only those pages at hand.
    void pageOfCodeBorrowsItsEdgeFromTwoPagesAway_data()
    {
        QTest::addColumn<int>("proseAfter");
        QTest::addColumn<bool>("joined");
        QTest::newRow("the next page") << 1 << true;
        QTest::newRow("two pages after") << 2 << true;
        QTest::newRow("three pages after: too far") << 3 << false;
    }

    void pageOfCodeBorrowsItsEdgeFromTwoPagesAway()
    {
        QFETCH(int, proseAfter);
        QFETCH(bool, joined);
        const QByteArray pdf = Test::paintedPdf([proseAfter](QPainter &painter, QPdfWriter &writer) {
            auto prose = [&painter](double x, int first) {
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
                for (int i = 0; i < 8; ++i)
                    painter.drawText(QRectF(x, 60 + i * 13, 200, 12), Qt::AlignLeft | Qt::AlignTop,
                                     QStringLiteral("Prose of the narrow column line %1 runs").arg(first + i));
            };
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList code{QStringLiteral("const vm = require('node:vm');"), QStringLiteral("init(context); // Contextify the"),
                                   QStringLiteral("object."), QStringLiteral("run(vm);")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 70 + i * 12), code[i]);
            prose(310, 0);
            for (int page = 1; page <= proseAfter; ++page) {
                writer.newPage();
                if (page == proseAfter)
                    prose(60, page * 20); // the left column's prose shows where it ends
                prose(310, page * 20 + 10);
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code-first.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QString listing = joined ? QStringLiteral("init(context); // Contextify the object.\nrun(vm);")
                                       : QStringLiteral("init(context); // Contextify the\nobject.\nrun(vm);");
        QVERIFY2(md.contains(listing), qPrintable(md));
    }

    // Lines of code too long to break run on into the right column: the
    // left column is still read first, the listing whole, also where half
    // the listing's lines overflow.
    void overflowingCodeLineKeepsTheColumns_data()
    {
        QTest::addColumn<QStringList>("code");
        const QString longLine = QStringLiteral("  'Heap-${yyyymmdd}-${hhmmss}-${pid}-${thread_id}.heapsnapshot'");
        QTest::newRow("one line of four") << QStringList{QStringLiteral("const name = format("), longLine, QStringLiteral(");"),
                                                         QStringLiteral("write(name);")};
        QTest::newRow("two lines of four") << QStringList{QStringLiteral("const name = format("), longLine,
                                                          QStringLiteral("  '${process.title}-${process.arch}-${process.release}.json');"),
                                                          QStringLiteral("write(name);")};
    }

    void overflowingCodeLineKeepsTheColumns()
    {
        QFETCH(QStringList, code);
        const QByteArray pdf = Test::paintedPdf([&code](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 12; ++i) {
                painter.drawText(QPointF(60, 80 + i * 13), QStringLiteral("Left prose line %1 of the first column").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(310, 80 + i * 13), QStringLiteral("Right prose line %1 of the other column").arg(i, 2, 10, QLatin1Char('0')));
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 250 + i * 12), code[i]);
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 12; i < 24; ++i) {
                painter.drawText(QPointF(60, 320 + (i - 12) * 13), QStringLiteral("Left prose line %1 of the first column").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(310, 80 + i * 13), QStringLiteral("Right prose line %1 of the other column").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("overflow.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.indexOf(QStringLiteral("Left prose line 23")) < md.indexOf(QStringLiteral("Right prose line 00")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Left prose line 11")) < md.indexOf(QStringLiteral("const name")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("write(name);")) < md.indexOf(QStringLiteral("Left prose line 12")), qPrintable(md));
    }

    // A listing cut at its blank lines into pieces set at different
    // indents (an object's body four characters under its opening brace)
    // is one listing.
    void listingPiecesAtDifferentIndentsAreOneListing()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 70), QStringLiteral("Create the file and add the following contents:"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            painter.drawText(QPointF(60, 92), QStringLiteral("{"));
            const QStringList body{QStringLiteral("\"version\": \"0.2.0\","), QStringLiteral("\"configurations\": [")};
            for (int i = 0; i < body.size(); ++i)
                painter.drawText(QPointF(81.6, 116 + i * 11), body[i]);
            const QStringList inner{QStringLiteral("\"type\": \"cppdbg\","), QStringLiteral("\"request\": \"attach\"")};
            for (int i = 0; i < inner.size(); ++i)
                painter.drawText(QPointF(103.2, 151 + i * 11), inner[i]);
            painter.drawText(QPointF(81.6, 186), QStringLiteral("]"));
            painter.drawText(QPointF(60, 197), QStringLiteral("}"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 225), QStringLiteral("Now run the debug configuration."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("pieces.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.count(QStringLiteral("```")) == 2, qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("```\n{")) >= 0 && md.indexOf(QStringLiteral("\"request\": \"attach\"")) < md.lastIndexOf(QStringLiteral("```")),
                 qPrintable(md));
    }

    // A typesetter's break mark alone on a line of a listing (set in a
    // math font where the listing had a blank line before a broken one)
    // does not cut the listing in two.
    void markAloneInAListingKeepsItWhole()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 70), QStringLiteral("The tracker counts the calls:"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            painter.drawText(QPointF(60, 90), QStringLiteral("const callsfunc = tracker.calls(func);"));
            painter.drawText(QPointF(60, 102), QStringLiteral("callsfunc(1, 2, 3);"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 6));
            painter.drawText(QPointF(61, 124), QStringLiteral("\u230B"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            painter.drawText(QPointF(60, 136), QStringLiteral("assert.deepStrictEqual(tracker.getCalls(callsfunc),"));
            painter.drawText(QPointF(60, 148), QStringLiteral("                       [{ thisArg: undefined }]);"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 175), QStringLiteral("The arrays hold one entry per call."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("marked-listing.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QCOMPARE(md.count(QStringLiteral("```")), 2);
        // The mark is the typesetter's, not the code's: it goes.
        QVERIFY2(md.contains(QStringLiteral("callsfunc(1, 2, 3);\n\nassert.deepStrictEqual(")), qPrintable(md));
    }

    // A list item of one long identifier runs over the gutter into an
    // indented listing of the other column: the item stays in its column
    // and the left column is read whole before the right one.
    void overflowingItemBesideAListingKeepsTheColumns()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
            painter.setFont(serif);
            // Paragraphs of the two columns end at different heights (else they read as a form).
            for (int i = 0; i < 10; ++i) {
                painter.drawText(QPointF(60, 80 + i * 13), QStringLiteral("Left prose line %1 of the first column").arg(i, 2, 10, QLatin1Char('0')));
                if (i < 8)
                    painter.drawText(QPointF(310, 80 + i * 13), QStringLiteral("Right prose line %1 of the other column").arg(i, 2, 10, QLatin1Char('0')));
            }
            painter.drawText(QPointF(70, 233), QStringLiteral("\u2022"));
            painter.setFont(mono);
            painter.drawText(QPointF(80, 233), QStringLiteral("DECODER_PARAM_DISABLE_RING_BUFFER_REALLOCATION"));
            for (int i = 0; i < 5; ++i)
                painter.drawText(QPointF(322, 212 + i * 14), QStringLiteral("  param_%1: setting(%1),").arg(i));
            painter.setFont(serif);
            for (int i = 10; i < 20; ++i) {
                painter.drawText(QPointF(60, 150 + i * 13), QStringLiteral("Left prose line %1 of the first column").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(310, 150 + i * 13 + 5), QStringLiteral("Right prose line %1 of the other column").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("overflowing-item.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList order{QStringLiteral("Left prose line 09"), QStringLiteral("DECODER_PARAM_DISABLE"),
                                QStringLiteral("Left prose line 10"), QStringLiteral("Left prose line 19"),
                                QStringLiteral("Right prose line 00"), QStringLiteral("param_0: setting(0)"),
                                QStringLiteral("Right prose line 10")};
        for (qsizetype i = 0; i < order.size(); ++i)
            QVERIFY2(md.contains(order[i]) && (i == 0 || md.indexOf(order[i - 1]) < md.indexOf(order[i])),
                     qPrintable(order[i] + QStringLiteral("\n") + md));
    }

    // A narrow column breaks long lines of code where a space falls and
    // sets the rest on the next line: the listing gets its lines back. A
    // line that ends a statement or a backslash, or a next line indented
    // deeper, is no break; nor is code under a line that ends in a comment.
    void brokenCodeLinesAreJoined()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 6; ++i)
                painter.drawText(QRectF(60, 60 + i * 13, 200, 12), Qt::AlignLeft | Qt::AlignTop,
                                 QStringLiteral("Prose of the narrow column line %1 runs").arg(i));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList code{QStringLiteral("const { createGzip } ="), QStringLiteral("require('node:zlib');"),
                                   QStringLiteral("async function run(a) {"), QStringLiteral("const gzip = make();"),
                                   QStringLiteral("  return pipeline(source, gzip,"), QStringLiteral("  destination);"),
                                   QStringLiteral("}"), QStringLiteral("init(context); // Contextify the"), QStringLiteral("object."),
                                   QStringLiteral("console.log(context.x); // 42"), QStringLiteral("console.log(context.y); // 17"),
                                   QStringLiteral("exec clangd \\"), QStringLiteral("--compile-commands-dir=/root/build \\"),
                                   QStringLiteral("--header-insertion=never")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 160 + i * 12), code[i]);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("wrapped.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("const { createGzip } = require('node:zlib');\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("async function run(a) {\nconst gzip = make();\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("  return pipeline(source, gzip, destination);\n}")), qPrintable(md));
        // A comment broken goes on in words; code after a comment is a line of its own.
        QVERIFY2(md.contains(QStringLiteral("\ninit(context); // Contextify the object.\nconsole.log(context.x); // 42\nconsole.log(context.y); // 17\n")),
                 qPrintable(md));
        // A line its author carried on with a backslash ends there.
        QVERIFY2(md.contains(QStringLiteral("\nexec clangd \\\n--compile-commands-dir=/root/build \\\n--header-insertion=never\n")), qPrintable(md));
    }

    // A word processor breaks a line of code after a hyphen, and a token
    // longer than the line at the line's end: those pieces join with no
    // space between them. A minus after a space is an operator: it keeps it.
    void codeBrokenInsideATokenJoinsWithoutASpace()
    {
        const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
        const QString prose = QStringLiteral("Prose of the narrow column that sets the edge");
        const QString hash = QStringLiteral("hash=sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        const QByteArray pdf = Test::paintedPdf([&](QPainter &painter) {
            // As many characters of the token as the prose's width holds.
            const double width = QFontMetricsF(serif, painter.device()).horizontalAdvance(prose);
            const int fits = int(width / QFontMetricsF(mono, painter.device()).horizontalAdvance(QLatin1Char('0')));
            painter.setFont(serif);
            for (int i = 0; i < 6; ++i)
                painter.drawText(QPointF(60, 70 + i * 13), prose);
            painter.setFont(mono);
            const QStringList code{QStringLiteral("FooProject == 1.2 --"), hash.left(fits), hash.mid(fits),
                                   QStringLiteral("total = first_value_of_the_row -"), QStringLiteral("second_value_of_the_row;")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 160 + i * 12), code[i]);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("wrapped-token.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("\nFooProject == 1.2 --") + hash + QStringLiteral("\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\ntotal = first_value_of_the_row - second_value_of_the_row;\n")), qPrintable(md));
    }

    // A typesetter that breaks long lines of code sets a mark where it broke
    // them ("⌋", in another font): the marked piece goes on in the next
    // line, whatever the column's measure says; with no space where the
    // piece is one token as wide as the listing. A mark alone goes.
    void breakMarksJoinTheirPieces()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 6; ++i)
                painter.drawText(QPointF(60, 70 + i * 13), QStringLiteral("Prose of the column that the listing is set in, line %1").arg(i));
            const QFont mono(QStringLiteral("DejaVu Sans Mono"), 9), mark(QStringLiteral("DejaVu Sans"), 6);
            const QList<std::pair<double, QString>> code{
                {80, QStringLiteral("\"type\": \"cppdbg\",")}, {80, QStringLiteral("\"program\":")},
                {80, QStringLiteral("\"/usr/lib/systemd/systemd\",")}, {80, QStringLiteral("\"pipeArgs\": [")},
                {100, QStringLiteral("\"-C\",")}, {100, QString()}, {100, QStringLiteral("\"/path/to/systemd/repo/directory/on/host/\"")},
                {100, QStringLiteral(",")}, {100, QStringLiteral("\"ssh\"")}, {80, QStringLiteral("],")}};
            for (int i = 0; i < code.size(); ++i) {
                const double y = 170 + i * 12;
                painter.setFont(mono);
                painter.drawText(QPointF(code[i].first, y), code[i].second);
                const double end = code[i].first + QFontMetricsF(mono, painter.device()).horizontalAdvance(code[i].second);
                painter.setFont(mark);
                if (i == 1 || i == 6)
                    painter.drawText(QPointF(end + 4, y), QStringLiteral("\u230B"));
                if (i == 5)
                    painter.drawText(QPointF(code[i].first + 1, y), QStringLiteral("\u230B"));
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 310), QStringLiteral("The configuration attaches to the running system."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("marked-breaks.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("\"type\": \"cppdbg\",\n\"program\": \"/usr/lib/systemd/systemd\",\n"
                                            "\"pipeArgs\": [\n    \"-C\",\n")),
                 qPrintable(md));
        // The lone mark in the one line between two pieces leaves them one piece.
        QVERIFY2(md.contains(QStringLiteral("    \"-C\",\n    \"/path/to/systemd/repo/directory/on/host/\",\n    \"ssh\"\n],\n")),
                 qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("\u230B")), qPrintable(md));
    }

    // In a narrow column, an object's member under a whole member ending in
    // a comma is the author's next line, however long its key; a line that
    // left a string open goes on with the words the column broke off.
    void membersOfAnObjectStayLines()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 6; ++i)
                painter.drawText(QRectF(60, 60 + i * 13, 200, 12), Qt::AlignLeft | Qt::AlignTop,
                                 QStringLiteral("Prose of the narrow column line %1 runs").arg(i));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList code{QStringLiteral("const stats = {"), QStringLiteral("code_and_metadata_size: 212208,"),
                                   QStringLiteral("bytecode_and_metadata_size: 161368 };"),
                                   QStringLiteral("log(`result: '${vmResult}',"), QStringLiteral("localVariable: '${localVar}'`);")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 160 + i * 12), code[i]);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("members.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("\ncode_and_metadata_size: 212208,\nbytecode_and_metadata_size: 161368 };\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\nlog(`result: '${vmResult}', localVariable: '${localVar}'`);\n")), qPrintable(md));
    }

    // Type tracked tighter than its advances (Korean reports set their
    // table cells so) leaves almost no gap at a space: the spaces the page
    // draws still part the words.
    void spacesDrawnInTightTypePartWords()
    {
        // Helvetica at 10 pt tracked by -1.8 pt a glyph: a space advances a
        // point, under the gap that reads as one.
        const QByteArray pdf = Test::rawPdf(QSizeF(400, 200),
                                            "BT /F1 10 Tf -1.8 Tc 40 150 Td (Tight words set closer than their advances) Tj ET "
                                            "BT /F1 10 Tf 0 Tc 40 120 Td (Plain words \\(with a call\\(\\)\\) and a stop.) Tj ET");
        const ParseResult result = parseBytes(pdf, QStringLiteral("tight.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("Tight words set closer than their advances")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Plain words (with a call()) and a stop.")), qPrintable(md));
    }

    // A notice set centred in a typewriter face is prose: a listing is
    // never centred, however monospaced.
    void centredMonospaceNoticeIsProse()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont mono(QStringLiteral("DejaVu Sans Mono"), 10);
            painter.setFont(mono);
            const QStringList notice{QStringLiteral("This version of the book is licensed"),
                                     QStringLiteral("under a Creative Commons license. This license permits"),
                                     QStringLiteral("non-commercial use of this work,"), QStringLiteral("so long as attribution is given.")};
            const QFontMetricsF metrics(mono, painter.device());
            for (int i = 0; i < notice.size(); ++i)
                painter.drawText(QPointF(300 - metrics.horizontalAdvance(notice[i]) / 2, 100 + i * 14), notice[i]);
            const QStringList listing{QStringLiteral("for (int i = 0; i < n; ++i)"), QStringLiteral("    total += values[i];"),
                                      QStringLiteral("return total;")};
            for (int i = 0; i < listing.size(); ++i)
                painter.drawText(QPointF(80, 220 + i * 14), listing[i]);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("notice.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("This version of the book is licensed under a Creative Commons license. This license permits "
                                              "non-commercial use of this work, so long as attribution is given.\n")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("```\nfor (int i = 0; i < n; ++i)\n    total += values[i];\nreturn total;\n```")), qPrintable(md));
    }

    // A listing that goes on over a page break past a figure at the top of
    // the next page: the figure stays between its two pieces.
    void figureBetweenPiecesOfAListingStays()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 80), QStringLiteral("The server starts like this:"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            painter.drawText(QPointF(60, 700), QStringLiteral("const server = listen(8639);"));
            painter.drawText(QPointF(60, 712), QStringLiteral("server.on('request', handle);"));
            writer.newPage();
            const QList<QColor> colours{QColor(200, 60, 60), QColor(60, 120, 200), QColor(80, 160, 80)};
            for (int i = 0; i < 3; ++i)
                painter.fillRect(QRectF(100 + i * 80, 260 - (60 + 40 * i), 50, 60 + 40 * i), colours[i]);
            painter.drawText(QPointF(60, 320), QStringLiteral("server.close();"));
            painter.drawText(QPointF(60, 332), QStringLiteral("process.exit(0);"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("listing-figure.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("![](images/2_1.png)")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("server.on('request', handle);")) < md.indexOf(QStringLiteral("![](images/2_1.png)"))
                     && md.indexOf(QStringLiteral("![](images/2_1.png)")) < md.indexOf(QStringLiteral("server.close();")),
                 qPrintable(md));
    }

    // A line too long for its column (a typesetter's overfull box) runs
    // past the page's right edge mid-word: the word is read whole. A word
    // wholly off the page is no part of it.
    void wordsTheEdgeCutsAreReadWhole()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            const double right = painter.device()->width();
            const QString type = QStringLiteral("{Buffer|TypedArray|DataView|ArrayBuffer|string}");
            QString line = QStringLiteral("The buffer option is one of");
            // The type's name starts at the right margin and runs past the page's edge.
            while (QFontMetricsF(painter.font(), painter.device()).horizontalAdvance(line + QLatin1Char(' ')) < right - 100)
                line += QStringLiteral(" these");
            painter.drawText(QPointF(60, 80), QStringLiteral("The options are listed below."));
            painter.drawText(QPointF(60, 110), line + QLatin1Char(' ') + type);
            painter.drawText(QPointF(right + 200, 140), QStringLiteral("Slugline beyond the trim"));
            painter.drawText(QPointF(60, 170), QStringLiteral("The buffer holds the data."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("overfull.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("{Buffer|TypedArray|DataView|ArrayBuffer|string}")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("Slugline")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("listed below")) < md.indexOf(QStringLiteral("ArrayBuffer"))
                     && md.indexOf(QStringLiteral("ArrayBuffer")) < md.indexOf(QStringLiteral("holds the data")),
                 qPrintable(md));
    }

    // A listing indented deep in its column (an object's body under its
    // brace, the layout cutting it at each indent) is measured against the
    // column's prose all the same, and a token too long for any line runs
    // past the edge without unmeasuring it: a value the column broke off
    // joins its key, the long token stays its own line. Closing brackets
    // set shallower, a comment's words that name a call, and the whole
    // listing's indents relative to its brace come out as written.
    void deepListingsAreMeasuredByTheirColumn()
    {
        const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
        const QString prose = QStringLiteral("Prose of the column the listing is in");
        int fits = 0;
        QStringList code;
        const QByteArray pdf = Test::paintedPdf([&](QPainter &painter) {
            const double width = QFontMetricsF(serif, painter.device()).horizontalAdvance(prose);
            fits = int(width / QFontMetricsF(mono, painter.device()).horizontalAdvance(QLatin1Char('0')));
            const QString value = QStringLiteral("\"/usr/lib/%1\",").arg(QString(fits - 17, QLatin1Char('x')));
            code = QStringList{QStringLiteral("{"),
                               QStringLiteral("    \"program\":"),
                               QStringLiteral("    ") + value,
                               QStringLiteral("    \"pipeArgs\": ["),
                               QStringLiteral("        \"-C\","),
                               QStringLiteral("        \"/path/%1/\",").arg(QString(fits - 12, QLatin1Char('y'))),
                               QStringLiteral("        \"ssh\""),
                               QStringLiteral("    ],"),
                               QStringLiteral("    \"debuggerPath\": \"%1\"").arg(QString(fits - 23, QLatin1Char('z'))),
                               QStringLiteral("},"),
                               QStringLiteral("//"),
                               QStringLiteral("tag() is derived from")};
            // A comment as long as leaves no room for the call's name after it.
            for (const QString &word : QStringLiteral("The value returned by the call is a tag as it is set by a b c").split(QLatin1Char(' ')))
                if (code[10].size() + 1 + word.size() <= fits)
                    code[10] += QLatin1Char(' ') + word;
            painter.setFont(serif);
            for (int i = 0; i < 8; ++i) {
                painter.drawText(QPointF(60, 70 + i * 13), prose);
                painter.drawText(QPointF(340, 70 + i * 13), prose);
            }
            painter.setFont(mono);
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 190 + i * 12), code[i]);
            painter.setFont(serif);
            for (int i = 0; i < 8; ++i)
                painter.drawText(QPointF(340, 190 + i * 13), prose);
        });
        QVERIFY(fits > 30 && fits < 60);
        QVERIFY(code[10].size() + 6 > fits);
        const ParseResult result = parseBytes(pdf, QStringLiteral("deep-listing.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QString expected = QStringList{code[0], code[1] + QLatin1Char(' ') + code[2].trimmed(), code[3], code[4], code[5],
                                             code[6], code[7], code[8], code[9], code[10] + QLatin1Char(' ') + code[11]}
                                     .join(QLatin1Char('\n'));
        QVERIFY2(md.contains(QStringLiteral("```\n") + expected + QStringLiteral("\n```")), qPrintable(md + QStringLiteral("\nexpected:\n") + expected));
    }

    // API references title their sections with the name in bold code, on
    // its own line or run in before the text: headings, not code or prose.
    void namesInBoldCodeAreHeadings()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QString body = QStringLiteral("Body text of the reference that explains the call in some detail here.");
            QFont code(QStringLiteral("DejaVu Sans Mono"), 11, QFont::Bold);
            painter.setFont(code);
            painter.drawText(QPointF(60, 80), QStringLiteral("serializer.writeValue(value)"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 4; ++i)
                painter.drawText(QPointF(60, 100 + i * 13), body);
            painter.setFont(code);
            painter.drawText(QPointF(60, 170), QStringLiteral("serializer.writeHeader()"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(240, 170), QStringLiteral("Writes out a header, which includes the format."));
            for (int i = 1; i < 4; ++i)
                painter.drawText(QPointF(60, 170 + i * 13), body);
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("reference.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        static const QRegularExpression ownLine(QStringLiteral("^#+ serializer\\.writeValue\\(value\\)$"), QRegularExpression::MultilineOption);
        static const QRegularExpression runIn(QStringLiteral("^#+ serializer\\.writeHeader\\(\\)\n\nWrites out a header"), QRegularExpression::MultilineOption);
        QVERIFY2(md.contains(ownLine), qPrintable(md));
        QVERIFY2(md.contains(runIn), qPrintable(md));
    }

    // A line of bold code that opens a block ("try {") reads like a name
    // in bold code, alone on its line: it is no heading.
    void linesOpeningCodeAreNoHeadings()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QString body = QStringLiteral("Body text of the reference that explains the call in some detail here.");
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 3; ++i)
                painter.drawText(QPointF(60, 80 + i * 13), body);
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 10, QFont::Bold));
            painter.drawText(QPointF(60, 140), QStringLiteral("try {"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 3; ++i)
                painter.drawText(QPointF(60, 170 + i * 13), body);
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 10, QFont::Bold));
            painter.drawText(QPointF(60, 230), QStringLiteral("reader.close()"));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("reference.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("try {")) && !md.contains(QRegularExpression(QStringLiteral("^#+ try"), QRegularExpression::MultilineOption)),
                 qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(QStringLiteral("^#+ reader\\.close\\(\\)$"), QRegularExpression::MultilineOption)), qPrintable(md));
    }

    // Code lines its comments up with runs of spaces, bullets stand apart
    // from their items, two columns of code stand apart: only the last is
    // a gutter.
    // Two columns of code at the top of a page, prose in both columns
    // under them, a link in the left column reaching into the gutter in
    // between: the gutter runs on up between the listings, which stay apart.
    void gutterGoesOnBetweenColumnsOfCode()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            for (int i = 0; i < 8; ++i) {
                painter.drawText(QPointF(60, 70 + i * 12), QStringLiteral("left_code_%1(alpha, beta, gamma);").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(310, 70 + i * 12), QStringLiteral("right_code_%1();").arg(i, 2, 10, QLatin1Char('0')));
            }
            painter.drawText(QPointF(60, 172), QStringLiteral("// https://example.org/docs/path/to/the/pages/a"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 16; ++i) {
                painter.drawText(QPointF(60, 200 + i * 13), QStringLiteral("Left prose line %1 of the first column").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(310, 200 + i * 13), QStringLiteral("Right prose line %1 of the other column").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code-columns.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QRegularExpression(QStringLiteral("left_code_0\\d\\([^)]*\\); right_code"))), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("left_code_07")) < md.indexOf(QStringLiteral("right_code_00")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Left prose line 15")) < md.indexOf(QStringLiteral("Right prose line 00")), qPrintable(md));
    }

    // Paragraph breaks of two columns fall at different heights: where
    // only one column has a line (a paragraph's last), the page is still
    // read column by column. A heading in one column over a paragraph
    // across the page ends the columns.
    void columnsGoOnPastARowOfOneColumn()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            auto column = [&painter](double x, double y, const QString &name, int lines) {
                for (int i = 0; i < lines; ++i)
                    painter.drawText(QPointF(x, y + i * 13), QStringLiteral("%1 line %2 of its column text").arg(name).arg(i));
            };
            column(60, 80, QStringLiteral("Alpha"), 5);
            column(60, 160, QStringLiteral("Bravo"), 1); // alone at its height: the right column has a break there
            column(60, 190, QStringLiteral("Charlie"), 5);
            column(310, 80, QStringLiteral("Delta"), 5);
            column(310, 178, QStringLiteral("Echo"), 6);
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 12, QFont::Bold));
            painter.drawText(QPointF(60, 290), QStringLiteral("Across the page"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 3; ++i)
                painter.drawText(QPointF(60, 310 + i * 13),
                                 QStringLiteral("Foxtrot line %1 of the paragraph that runs across the whole width of the page").arg(i));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("columns.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList order{QStringLiteral("Alpha line 4"), QStringLiteral("Bravo line 0"), QStringLiteral("Charlie line 0"),
                                QStringLiteral("Charlie line 4"), QStringLiteral("Delta line 0"), QStringLiteral("Echo line 5"),
                                QStringLiteral("Across the page"), QStringLiteral("Foxtrot line 0")};
        for (qsizetype i = 0; i < order.size(); ++i)
            QVERIFY2(md.contains(order[i]) && (i == 0 || md.indexOf(order[i - 1]) < md.indexOf(order[i])),
                     qPrintable(order[i] + QStringLiteral("\n") + md));
    }

    // "Default:" ends a line of prose and its value in code opens the next
    // (or the next column): the value closes the sentence; it is no listing.
    void valueInCodeClosesItsSentence()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 10);
            painter.setFont(serif);
            painter.drawText(QPointF(60, 80), QStringLiteral("\u2022"));
            painter.drawText(QPointF(72, 80), QStringLiteral("lineOffset {number} Specifies the line number offset. Default:"));
            painter.setFont(mono);
            painter.drawText(QPointF(72, 93), QStringLiteral("0."));
            painter.setFont(serif);
            painter.drawText(QPointF(60, 106), QStringLiteral("\u2022"));
            painter.drawText(QPointF(72, 106), QStringLiteral("filename {string} Names the script in stack traces. Default:"));
            painter.setFont(mono);
            painter.drawText(QPointF(72, 119), QStringLiteral("'evalmachine.<anonymous>'."));
            painter.setFont(serif);
            painter.drawText(QPointF(60, 150), QStringLiteral("The compiled script runs like this:"));
            painter.setFont(mono);
            const QStringList code{QStringLiteral("script.runInThisContext();"), QStringLiteral("// compiled on first use.")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(60, 166 + i * 12), code[i]);
            painter.setFont(serif);
            painter.drawText(QPointF(60, 200), QStringLiteral("If true, the script stops on an interrupt. Default:"));
            writer.newPage();
            painter.setFont(mono);
            painter.drawText(QPointF(60, 80), QStringLiteral("false."));
            painter.setFont(serif);
            painter.drawText(QPointF(60, 110), QStringLiteral("The next section describes the contexts."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("defaults.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("offset. Default: 0.\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("traces. Default: 'evalmachine.\\<anonymous>'.\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("```\nscript.runInThisContext();\n// compiled on first use.\n```")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\nfalse.\n")), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("```")), 2);
    }

    // A listing over three pages is one listing: each page is written and
    // released before the next is read, the listing's text kept.
    void listingOverThreePagesIsOne()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
            painter.setFont(serif);
            painter.drawText(QPointF(60, 180), QStringLiteral("The whole program reads as follows."));
            painter.setFont(mono);
            // Below the margin band, and each page's lines unlike the
            // others': lines that repeat at a page's top are running heads.
            const QStringList verbs{QStringLiteral("open"), QStringLiteral("read"), QStringLiteral("close")};
            for (int page = 0; page < 3; ++page) {
                if (page > 0)
                    writer.newPage();
                for (int i = 0; i < 3; ++i)
                    painter.drawText(QPointF(60, 200 + i * 12), QStringLiteral("%1_%2(state);").arg(verbs[page]).arg(i));
            }
            painter.setFont(serif);
            painter.drawText(QPointF(60, 260), QStringLiteral("That is all of it."));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("three-page-listing.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("```\nopen_0(state);\nopen_1(state);\nopen_2(state);\n\n"
                                            "read_0(state);\nread_1(state);\nread_2(state);\n\n"
                                            "close_0(state);\nclose_1(state);\nclose_2(state);\n```")),
                 qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("```")), 2);
    }

    // Code in one column beside a list in the other lines up row by row:
    // the gutter between them goes on above and below, so the rows are the
    // page's two columns, not a table.
    void codeBesideAListIsNoTable()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 8; ++i) {
                painter.drawText(QPointF(60, 70 + i * 13), QStringLiteral("Left prose line %1 of the first column").arg(i));
                painter.drawText(QPointF(310, 70 + i * 13), QStringLiteral("Right prose line %1 of the other column").arg(i));
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList code{QStringLiteral("//   current: {"), QStringLiteral("//     estimate: 2438996,"),
                                   QStringLiteral("//     range: [ 2438996,"), QStringLiteral("2768636 ]"),
                                   QStringLiteral("//   },"), QStringLiteral("//   other: 135736,"), QStringLiteral("// }")};
            for (int i = 0; i < code.size(); ++i)
                painter.drawText(QPointF(70, 190 + i * 13), code[i]);
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            const QStringList items{QStringLiteral("\u2013 timeout 1000"), QStringLiteral("\u2013 signals 2"), QStringLiteral("\u2013 cached 3"),
                                    QStringLiteral("\u2013 origin 4"), QStringLiteral("\u2013 name 5"), QStringLiteral("\u2013 strings 6"),
                                    QStringLiteral("\u2013 wasm 7")};
            for (int i = 0; i < items.size(); ++i)
                painter.drawText(QPointF(310, 190 + i * 13), items[i]);
            for (int i = 0; i < 8; ++i) {
                painter.drawText(QPointF(60, 300 + i * 13), QStringLiteral("Left prose line %1 after the code").arg(i));
                painter.drawText(QPointF(310, 300 + i * 13), QStringLiteral("Right prose line %1 after the list").arg(i));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code-beside-list.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("| --- |")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("// }")) < md.indexOf(QStringLiteral("timeout 1000")), qPrintable(md));
    }

    // A table in one column lines up row by row with the short lines of
    // the other: the table is found on its side of the page's gutter, the
    // lines stay text.
    void tableInOneColumnBesideProse()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 24; ++i)
                painter.drawText(QPointF(60, 80 + i * 13), QStringLiteral("Left line %1 here").arg(i, 2, 10, QLatin1Char('0')));
            for (int i = 0; i < 7; ++i)
                painter.drawText(QPointF(310, 80 + i * 13), QStringLiteral("Right prose line %1 above the table").arg(i));
            const QList<QStringList> cells{{QStringLiteral("Bill"), QStringLiteral("Count")}, {QStringLiteral("$5"), QStringLiteral("5")},
                                           {QStringLiteral("$10"), QStringLiteral("3")}, {QStringLiteral("$20"), QStringLiteral("2")},
                                           {QStringLiteral("$50"), QStringLiteral("1")}};
            for (int r = 0; r < cells.size(); ++r) {
                painter.drawText(QPointF(330, 184 + r * 13), cells[r][0]);
                painter.drawText(QPointF(430, 184 + r * 13), cells[r][1]);
            }
            for (int i = 0; i < 7; ++i)
                painter.drawText(QPointF(310, 262 + i * 13), QStringLiteral("Right prose line %1 below the table").arg(i));
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("side-table.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("| Bill | Count |\n| --- | --- |\n| $5 | 5 |")), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("\n| --- ")), 1);
        QVERIFY2(!md.contains(QStringLiteral("| Left line")), qPrintable(md));
    }

    // Lines of justified prose with long identifiers stretch their word
    // spaces into rivers that line up; items whose markers stand apart,
    // and comments whose marks stand apart from their text, line up too.
    // None of them is a table.
    void justifiedProseAndMarkedLinesAreNoTables()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 10);
            // Justified: every word space of a line alike, each line flush at 60 and 300.
            const QList<QStringList> justified{
                {QStringLiteral("to"), QStringLiteral("MAX_WINDOW_BITS,"), QStringLiteral("with"), QStringLiteral("a"), QStringLiteral("de-")},
                {QStringLiteral("fault"), QStringLiteral("of"), QStringLiteral("DEFAULT_WINDOW,"), QStringLiteral("or"), QStringLiteral("up")},
                {QStringLiteral("to"), QStringLiteral("LARGE_WINDOW_BITS"), QStringLiteral("if"), QStringLiteral("the"), QStringLiteral("flag")}};
            for (int row = 0; row < justified.size(); ++row)
                drawJustified(painter, 60, 240, 80 + row * 13, justified[row], serif, mono);
            painter.setFont(serif);
            painter.drawText(QPointF(60, 119), QStringLiteral("is set, the window is large."));
            // Items with their markers set a tab away.
            const QStringList items{QStringLiteral("port {integer}"), QStringLiteral("address {string}"),
                                    QStringLiteral("exclusive {boolean}"), QStringLiteral("fd {integer}")};
            for (int i = 0; i < items.size(); ++i) {
                painter.drawText(QPointF(80, 150 + i * 14), QStringLiteral("\u2013"));
                painter.drawText(QPointF(110, 150 + i * 14), items[i]);
            }
            // Comments of a listing with their marks apart from their text.
            painter.setFont(mono);
            const QList<QPair<QString, QString>> comments{{QStringLiteral("//"), QStringLiteral("2,")},
                                                          {QStringLiteral("// +"), QStringLiteral("3")},
                                                          {QStringLiteral("// -"), QStringLiteral("'3'")},
                                                          {QStringLiteral("//"), QStringLiteral("],")}};
            for (int i = 0; i < comments.size(); ++i) {
                painter.drawText(QPointF(60, 230 + i * 12), comments[i].first);
                painter.drawText(QPointF(120, 230 + i * 12), comments[i].second);
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("not-tables.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("| --- |")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("to MAX_WINDOW_BITS, with a default of DEFAULT_WINDOW, or up to LARGE_WINDOW_BITS if the flag")),
                 qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("port {integer}")) && md.contains(QStringLiteral("fd {integer}")), qPrintable(md));
    }

    // A page of code alone in two columns, the left one mostly short lines:
    // few long lines face the right column across the gutter, but the right
    // column's lines run flush along it down the page: two columns, not
    // comments aligned within one listing.
    void columnsOfCodeWithShortLinesStayApart()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            for (int i = 0; i < 40; ++i) {
                const QString left = i >= 14 && i <= 23 && i % 3 == 2 ? QStringLiteral("long_left_call_%1(alpha, beta);").arg(i, 2, 10, QLatin1Char('0'))
                                                : QStringLiteral("l%1();").arg(i, 2, 10, QLatin1Char('0'));
                painter.drawText(QPointF(60, 70 + i * 12), left);
                painter.drawText(QPointF(300, 70 + i * 12), QStringLiteral("right_%1(x);").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("code-columns-short.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("beta); right_")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("l39();")) < md.indexOf(QStringLiteral("right_00(x);")), qPrintable(md));
    }

    // A tight gutter (narrower than a line's height) is cut by an
    // identifier run into the other column: the stretch of gutter above
    // it, beside four lines only, goes on with the gutter below, and the
    // other column's line at that height is a line of its own.
    void gutterCutByAnOverflowingWordGoesOn()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 10);
            // Justified between 60 and 300; the right column starts at 308.
            auto justified = [&painter, &serif](double y, const QStringList &words) { drawJustified(painter, 60, 240, y, words, serif, serif); };
            for (int i = 0; i < 20; ++i) {
                const double y = 80 + i * 13;
                if (i == 4) {
                    painter.setFont(mono);
                    painter.drawText(QPointF(60, y), QStringLiteral("ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING_F."));
                } else {
                    // Words of different lengths on every line: justified spaces do not line up.
                    QStringList words{QStringLiteral("Left"), QStringLiteral("column"), QStringLiteral("line"),
                                      QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0')), QStringLiteral("set"), QStringLiteral("here")};
                    words.insert(1 + i % 4, QString(3 + i % 5, QLatin1Char('w')));
                    justified(y, words);
                }
                painter.setFont(i < 4 ? mono : serif);
                painter.drawText(QPointF(308, y), i < 4 ? QStringLiteral("right_code_%1(x);").arg(i) : QStringLiteral("Right column line %1 of text").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("tight-gutter.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("here right_code")), qPrintable(md));
        // The line run into the other column stays in its own.
        QVERIFY2(!md.contains(QStringLiteral("MISSING_F. Right")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral(" 03 set")) < md.indexOf(QStringLiteral("right_code_0(x);")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral(" 19 set")) < md.indexOf(QStringLiteral("Right column line 05")), qPrintable(md));
    }

    // Headings the outline declares take its levels; a bold heading at the
    // body's size that the outline leaves out goes below all of them.
    void boldHeadingsGoBelowTheOutlinesLevels()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 18, QFont::Bold));
            painter.drawText(QPointF(60, 70), QStringLiteral("Serializer Guide"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 14, QFont::Bold));
            painter.drawText(QPointF(60, 110), QStringLiteral("Class Serializer"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10, QFont::Bold));
            painter.drawText(QPointF(60, 140), QStringLiteral("serializer.writeHeader()"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 4; ++i)
                painter.drawText(QPointF(60, 160 + i * 13), QStringLiteral("Writes out a header, which includes the format version, line %1.").arg(i));
        });
        PdfTextReader reader;
        reader.setRegionAnalysis(false);
        PdfReadResult read = reader.read(pdf, ParserParams(), ParseControl());
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        const QList<OutlineEntry> outline{{QStringLiteral("Serializer Guide"), 1}, {QStringLiteral("Class Serializer"), 2}};
        LayoutAnalyzer().analyze(read->pages, outline);
        QHash<QString, int> levels;
        for (const TextBlock &block : std::as_const(read->pages.first().blocks))
            if (block.type == BlockType::Title)
                levels.insert(block.text(), block.headingLevel);
        QCOMPARE(levels.value(QStringLiteral("Serializer Guide")), 1);
        QCOMPARE(levels.value(QStringLiteral("Class Serializer")), 2);
        QCOMPARE(levels.value(QStringLiteral("serializer.writeHeader()")), 3);
    }

    // Two columns set on their own baselines, drifting up to half a line
    // apart, with a gutter narrower than a line's height: the lines still
    // face each other across it, and the columns are read one after the other.
    void columnsHalfALineApartKeepTheirGutter()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            const QFont serif(QStringLiteral("DejaVu Serif"), 10);
            auto justified = [&painter, &serif](double left, double y, const QStringList &words) {
                drawJustified(painter, left, 235, y, words, serif, serif);
            };
            for (int i = 0; i < 8; ++i) {
                QStringList left{QStringLiteral("West"), QStringLiteral("side"), QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0')),
                                 QStringLiteral("reads"), QStringLiteral("on")};
                left.insert(1 + i % 3, QString(2 + i % 4, QLatin1Char('w')));
                justified(60, 80 + i * 13, left);
                QStringList right{QStringLiteral("East"), QStringLiteral("side"), QStringLiteral("%1").arg(i, 2, 10, QLatin1Char('0')),
                                  QStringLiteral("reads"), QStringLiteral("too")};
                right.insert(1 + (i + 1) % 3, QString(2 + (i + 2) % 4, QLatin1Char('e')));
                justified(303, 81.8 + i * 14.3, right); // a looser leading: the rows drift apart
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("offset-columns.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QRegularExpression(QStringLiteral("on East|too West"))), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("07 reads on")) < md.indexOf(QStringLiteral("East")), qPrintable(md));
    }

    void aligningSpaceIsNoGutter()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 70), QStringLiteral("Run these commands from the top of the tree:"));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            const QStringList commands{QStringLiteral("git clone repo"), QStringLiteral("cd repo"), QStringLiteral("meson build"),
                                       QStringLiteral("ninja -C build"), QStringLiteral("meson test -C build"), QStringLiteral("sudo make install")};
            for (int i = 0; i < commands.size(); ++i) {
                painter.drawText(QPointF(72, 95 + i * 12), QStringLiteral("$ ") + commands[i]);
                painter.drawText(QPointF(220, 95 + i * 12), QStringLiteral("# step %1").arg(i + 1));
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < 6; ++i) {
                painter.drawText(QPointF(72, 200 + i * 14), QStringLiteral("\u2022"));
                painter.drawText(QPointF(84, 200 + i * 14), QStringLiteral("Item number %1 of the list").arg(i + 1));
            }
            writer.newPage();
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            for (int i = 0; i < 40; ++i) {
                painter.drawText(QPointF(60, 70 + i * 12), QStringLiteral("left_code_%1();").arg(i, 2, 10, QLatin1Char('0')));
                painter.drawText(QPointF(300, 70 + i * 12), QStringLiteral("right_code_%1();").arg(i, 2, 10, QLatin1Char('0')));
            }
        });
        const ParseResult result = parseBytes(pdf, QStringLiteral("aligned.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        static const QRegularExpression commentKept(QStringLiteral("\\$ meson build +# step 3\n"));
        QVERIFY2(md.contains(commentKept), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- Item number 4 of the list\n")), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("left_code_05(); right_code")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("left_code_39")) < md.indexOf(QStringLiteral("right_code_00")), qPrintable(md));
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
        // One span per line, spaced as read (as MinerU writes its own).
        const QJsonArray spans = title[QStringLiteral("lines")][0][QStringLiteral("spans")].toArray();
        QCOMPARE(spans.size(), 1);
        const QJsonObject span = spans.first().toObject();
        QCOMPARE(span.value(QStringLiteral("content")).toString(), QStringLiteral("Section 1"));
        QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("text"));
    }

    void textAndMarkdownComeBackWithAPdf()
    {
        const QByteArray markdown = "# Notes\n\nSome *markdown* text.\n\n- one\n- two\n";
        const ParseResult result = parseBytes(markdown, QStringLiteral("notes.md"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->markdown(), QString::fromUtf8(markdown));
        QVERIFY(result->pdfData.startsWith("%PDF"));
        QCOMPARE(result->pageCount, 1);
        const QByteArray json = result->middleJson();
        QVERIFY2(json.contains("Notes") && json.contains("markdown"), json.constData());
    }

    void imageIsOcrd()
    {
        const QImage image = Test::textImage({QStringLiteral("The quick brown fox jumps"),
                                              QStringLiteral("over the lazy dog 2024")});
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("scan.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("quick brown fox")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("lazy dog")), qPrintable(md));
        QVERIFY(result->pdfData.startsWith("%PDF"));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(page.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("ocr"));
        // 8 inches wide at 300 dpi is 576 points.
        QCOMPARE(qRound(page.value(QStringLiteral("page_size")).toArray().at(0).toDouble()), 576);
    }

    // A picture's reader is named from its bytes' signature, as Qt itself
    // would name it, and the picture is read whatever its file is called.
    void picturesAreReadByTheirSignature()
    {
        const QImage image = Test::textImage({QStringLiteral("The quick brown fox jumps"),
                                              QStringLiteral("over the lazy dog 2024")});
        // Qt writes no GIF: the smallest one, a single white pixel.
        const QByteArray gif("GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00,\x00\x00\x00\x00"
                             "\x01\x00\x01\x00\x00\x02\x02" "D\x01\x00;",
                             35);
        QList<QByteArray> samples{gif};
        for (const char *format : {"png", "jpeg", "bmp", "tiff", "webp"})
            samples.append(Test::encodeImage(image, format));
        for (const QByteArray &bytes : std::as_const(samples)) {
            QBuffer buffer;
            buffer.setData(bytes);
            buffer.open(QIODevice::ReadOnly);
            const QByteArray qtsName = QImageReader::imageFormat(&buffer);
            QVERIFY(!qtsName.isEmpty());
            QCOMPARE(imageFormatName(bytes), qtsName);
            if (bytes == gif)
                continue;
            const ParseResult result = parseBytes(bytes, QStringLiteral("scan.bin"));
            QVERIFY2(result.ok(), qPrintable(qtsName + ": " + result.errorMessage()));
            QVERIFY2(result->markdown().contains(QStringLiteral("quick brown fox")), qPrintable(qtsName + ": " + result->markdown()));
        }
        QVERIFY(imageFormatName("%PDF-1.7\n").isEmpty());
        QVERIFY(imageFormatName("GIF8").isEmpty());
    }

    // A 1-bit scan whose first colour is white (as fax and archive TIFFs
    // come) is kept in pdf_data as it is, one bit a pixel, not as a JPEG of
    // it in colour; the page still shows the text black on white: read
    // back from pdf_data, it says the same.
    void oneBitScanStaysOneBitInPdfData()
    {
        QImage bits = Test::textImage({QStringLiteral("The quick brown fox jumps"),
                                       QStringLiteral("over the lazy dog 2024")})
                          .convertToFormat(QImage::Format_Mono, Qt::ThresholdDither);
        if (bits.colorTable().constFirst() != qRgb(255, 255, 255)) {
            bits.invertPixels();
            bits.setColorTable({qRgb(255, 255, 255), qRgb(0, 0, 0)});
        }
        const QByteArray tiff = Test::encodeImage(bits, "tiff");
        QCOMPARE(QImage::fromData(tiff).colorTable(), (QList<QRgb>{qRgb(255, 255, 255), qRgb(0, 0, 0)}));
        const ParseResult result = parseBytes(tiff, QStringLiteral("fax.tif"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("quick brown fox")), qPrintable(result->markdown()));
        QVERIFY(result->pdfData.contains("/BitsPerComponent 1"));
        QVERIFY(!result->pdfData.contains("/DCTDecode"));
        const ParseResult again = parseBytes(result->pdfData, QStringLiteral("fax.pdf"));
        QVERIFY2(again.ok(), qPrintable(again.errorMessage()));
        QVERIFY2(again->markdown().contains(QStringLiteral("quick brown fox")), qPrintable(again->markdown()));
    }

    // A picture's pdf_data, written beside its reading, stops at the next
    // page once the parse has ended (cancelled, or a page refused): no
    // parse waits for the writing of hundreds of pages it will not return.
    void pdfDataStopsOnceItsParseHasEnded()
    {
        const QList<QImage> pages(3, Test::textImage({QStringLiteral("A page of the scan")}));
        int asked = 0;
        QVERIFY(PdfComposer::fromImages(pages, 300, [&asked] { return ++asked > 1; }).isEmpty());
        QCOMPARE(asked, 2);
        const QByteArray whole = PdfComposer::fromImages(pages, 300, [] { return false; });
        QCOMPARE(QString::fromLatin1(whole).count(QRegularExpression(QStringLiteral("/Type\\s*/Page\\b"))), 3);
    }

    // A black-and-white scan goes to Tesseract as its own bits, which its
    // two greys would threshold to anyway: in either bit order, with either
    // colour first, it reads to the words and boxes its greys read to. Two
    // colours other than black and white are read from their greys.
    void blackAndWhiteScanIsReadFromItsBits()
    {
        const QImage page = Test::textImage(harvestProse().mid(0, 4), 300, 12);
        QImage whiteFirst = page.copy(0, 0, page.width() - 3, page.height())
                                .convertToFormat(QImage::Format_Mono, Qt::ThresholdDither);
        if (whiteFirst.color(0) != qRgb(255, 255, 255)) {
            whiteFirst.invertPixels();
            whiteFirst.setColorTable({qRgb(255, 255, 255), qRgb(0, 0, 0)});
        }
        QVERIFY(whiteFirst.width() % 8 != 0); // a row's last byte is part padding
        QImage blackFirst = whiteFirst;
        blackFirst.invertPixels();
        blackFirst.setColorTable({qRgb(0, 0, 0), qRgb(255, 255, 255)});
        QImage tinted = whiteFirst;
        tinted.setColorTable({qRgb(250, 246, 230), qRgb(20, 30, 90)});
        const auto wordsAndBoxes = [](const QImage &scan, QStringList *messages) {
            QString words;
            *messages = ocrMessagesOf([&] {
                OcrEngine engine;
                QString error;
                for (const TextBlock &block : engine.recognize(scan, 300, QStringLiteral("eng"), &error).blocks)
                    for (const TextLine &line : block.lines)
                        for (const TextSpan &span : line.spans)
                            words += QStringLiteral("%1 %2,%3,%4,%5\n")
                                         .arg(span.text)
                                         .arg(span.bbox.x())
                                         .arg(span.bbox.y())
                                         .arg(span.bbox.width())
                                         .arg(span.bbox.height());
            });
            return words;
        };
        const struct {
            const char *name;
            QImage scan;
            bool readFromBits;
        } scans[] = {{"white first", whiteFirst, true},
                     {"black first", blackFirst, true},
                     {"least bit first", whiteFirst.convertToFormat(QImage::Format_MonoLSB), true},
                     {"tinted", tinted, false}};
        for (const auto &scan : scans) {
            QStringList fromBits, fromGreys;
            const QString words = wordsAndBoxes(scan.scan, &fromBits);
            QVERIFY2(words.contains(QStringLiteral("surplus")), scan.name);
            QCOMPARE(words, wordsAndBoxes(scan.scan.convertToFormat(QImage::Format_Grayscale8), &fromGreys));
            QCOMPARE(fromBits.filter(QStringLiteral("(their 1-bit ink)")).size(), scan.readFromBits ? 1 : 0);
            QVERIFY(fromGreys.filter(QStringLiteral("(their 1-bit ink)")).isEmpty());
        }
    }

    // A picture in a thread that has read nothing yet: Tesseract loads the
    // request's packs while the picture is decoded and levelled. A German
    // page on its side is read upright with German, and a name that is no
    // installed pack is refused as before. Two lines do not tell which way
    // the page was turned (their letters' tops against their tails): the
    // orientation detector, left out of that loading, loads then and
    // tells it.
    void firstPictureOfAThreadIsReadWithItsLanguages()
    {
        const QImage upright = Test::textImage({QStringLiteral("Die Größe der Straße über dem Fluss"),
                                                QStringLiteral("wurde im Frühjahr gemessen und geprüft."),
                                                QStringLiteral("Die Brücke trägt schwere Lastwagen nicht,"),
                                                QStringLiteral("denn ihre Pfeiler sind zu schwach gebaut."),
                                                QStringLiteral("Im Herbst soll ein neuer Übergang folgen,"),
                                                QStringLiteral("den die Gemeinde mit dem Land bezahlt."),
                                                QStringLiteral("Bis dahin fahren die Busse einen Umweg"),
                                                QStringLiteral("über das Dorf am anderen Ufer des Sees.")},
                                               300, 12);
        const QByteArray sideways = Test::encodeImage(upright.transformed(QTransform().rotate(90)), "PNG");
        ParserParams german;
        german.language = QStringLiteral("deu");
        ParseResult read = Error{ErrorCode::Internal, QString()};
        QStringList messages;
        std::thread([&] {
            messages = ocrMessagesOf([&] { read = parseBytes(sideways, QStringLiteral("seite.png"), german); });
        }).join();
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        QVERIFY2(read->markdown().contains(QStringLiteral("Die Größe der Straße über dem Fluss")), qPrintable(read->markdown()));
        const QString log = messages.join(QLatin1Char('\n'));
        QVERIFY2(!messages.filter(QStringLiteral(" as deu in ")).isEmpty(), qPrintable(log));
        const QImage twoLines = Test::textImage({QStringLiteral("Die Brücke trägt schwere Lastwagen nicht, denn ihre Pfeiler"),
                                                 QStringLiteral("sind zu schwach gebaut; im Herbst folgt ein neuer Übergang.")},
                                                300, 12);
        std::thread([&] {
            messages = ocrMessagesOf([&] {
                read = parseBytes(Test::encodeImage(twoLines.transformed(QTransform().rotate(270)), "PNG"),
                                  QStringLiteral("brücke.png"), german);
            });
        }).join();
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        QVERIFY2(read->markdown().contains(QStringLiteral("sind zu schwach gebaut")), qPrintable(read->markdown() + messages.join(QLatin1Char(10))));
        const QString detected = messages.join(QLatin1Char('\n'));
        QVERIFY2(detected.contains(QRegularExpression(QStringLiteral("orientation [a-z ]+: 270 degrees"))), qPrintable(detected));
        QVERIFY2(!messages.filter(QStringLiteral(" as deu in ")).isEmpty(), qPrintable(detected));
        ParserParams path;
        path.language = QStringLiteral("../../../../tmp/x");
        ParseResult refused = Error{ErrorCode::Internal, QString()};
        std::thread([&] { refused = parseBytes(sideways, QStringLiteral("seite.png"), path); }).join();
        QVERIFY(!refused.ok());
        QVERIFY2(refused.errorMessage().contains(QStringLiteral("installed OCR languages")), qPrintable(refused.errorMessage()));
    }

    // A scan's pages in any orientation, one after another: each is read
    // upright (an upright page is read as it lies, the others turned first),
    // and an upright page after a turned one is read surely again.
    // In small print (7 points) too: the orientation detector, unsure of
    // such print at half the size where it looks first, looks again.
    void scannedPagesInAnyOrientationAreReadUpright_data()
    {
        QTest::addColumn<int>("pointSize");
        QTest::newRow("12 points") << 12;
        QTest::newRow("7 points") << 7;
    }
    void scannedPagesInAnyOrientationAreReadUpright()
    {
        QFETCH(int, pointSize);
        const QStringList prose{QStringLiteral("The harvest of the northern fields was larger than"),
                                QStringLiteral("expected this year, and the farmers of the valley"),
                                QStringLiteral("agreed to store the surplus grain in the old mill"),
                                QStringLiteral("until the prices at the market rose again in spring.")};
        auto page = [&prose, pointSize](int marker, int degrees) {
            QStringList lines = prose;
            lines.prepend(QStringLiteral("Page marker %1 of the survey").arg(marker));
            const QImage upright = Test::textImage(lines, 300, pointSize);
            return degrees == 0 ? upright : upright.transformed(QTransform().rotate(degrees));
        };
        const QList<QImage> frames{page(1, 0), page(2, 180), page(3, 90), page(4, 0)};
        const ParseResult result = parseBytes(Test::multiPageTiff(frames), QStringLiteral("survey.tif"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        for (int marker = 1; marker <= 4; ++marker)
            QVERIFY2(result->markdown().contains(QStringLiteral("Page marker %1 of the survey").arg(marker)), qPrintable(result->markdown()));
        QCOMPARE(result->markdown().count(QStringLiteral("surplus grain in the old mill")), 4);
    }

    // A page on its side or upside down is turned upright before it is
    // read at all: its ink runs in columns, not rows, or hangs below its
    // lines instead of rising above them, and a reading as it lies would
    // only be thrown away. Which way it was turned its letters tell (their
    // tops rise beside the lines' cores more than their tails drop): a page
    // of prose is read once, turned back, with no orientation detection,
    // in any of the four ways. Each page is a document's first, read on a
    // thread of its own (after a turned page, the next is turned first).
    void pageTurnedIsTurnedBeforeItsFirstReading()
    {
        const QImage upright = Test::textImage(harvestProse().mid(0, 8), 300, 12);
        for (const int degrees : {0, 90, 180, 270}) {
            const QImage page = upright.transformed(QTransform().rotate(degrees));
            ParseResult result = Error{ErrorCode::Internal, QString()};
            QStringList messages;
            std::thread([&] {
                messages = ocrMessagesOf(
                    [&] { result = parseBytes(Test::encodeImage(page, "PNG"), QStringLiteral("page.png")); });
            }).join();
            QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
            QVERIFY2(result->markdown().contains(QStringLiteral("surplus grain in the old mill")), qPrintable(result->markdown()));
            const QStringList readings = messages.filter(QStringLiteral("recognized "));
            QVERIFY2(readings.size() == 1, qPrintable(messages.join(QLatin1Char('\n'))));
            QVERIFY2(readings[0].contains(QStringLiteral("%1x%2 pixels").arg(upright.width()).arg(upright.height())),
                     qPrintable(readings[0]));
            QVERIFY2(messages.filter(QStringLiteral("orientation ")).isEmpty(), qPrintable(messages.join(QLatin1Char('\n'))));
            const QString lie = degrees == 0 ? QStringLiteral(": upright") : QStringLiteral(": turned %1 degrees").arg(degrees);
            QVERIFY2(!messages.filter(lie).isEmpty(),
                     qPrintable(messages.join(QLatin1Char('\n'))));
        }
    }

    // A page turned a quarter: Tesseract reads it surely as lines running
    // down the page, and the heading and the listing were lost that way
    // (the heading run into the line before it, the listing's lines prose
    // and headings). The page is turned upright and read again: the heading
    // and the fenced listing come back.
    void pageTurnedAQuarterIsReadUpright()
    {
        const QImage turned = Test::scannedManualPage().transformed(QTransform().rotate(90));
        const ParseResult result = parseBytes(Test::encodeImage(turned, "PNG"), QStringLiteral("turned.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList lines = md.split(QLatin1Char('\n'));
        QVERIFY2(lines.contains(QStringLiteral("# Handling requests")), qPrintable(md));
        const qsizetype listing = lines.indexOf(QRegularExpression(QStringLiteral("^ *function handle\\(request, response\\) \\{$")));
        QVERIFY2(listing > 0 && lines[listing - 1] == QStringLiteral("```"), qPrintable(md));
        QVERIFY2(lines.value(listing + 1).trimmed() == QStringLiteral("count += 1;"), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("# response.end")), qPrintable(md));
    }

    // A scan turned on its side or upside down is laid out as it reads:
    // the listing's indents run along its lines and the list's bullets
    // stand before their items, as on the upright page, whether the scan
    // comes as a picture or as a PDF page. A picture becomes the page OCR
    // turned upright (its page size too); a PDF page keeps its own frame
    // in the middle JSON, as its pdf_data shows it.
    void turnedScanIsLaidOutAsItReads_data()
    {
        QTest::addColumn<int>("degrees");
        QTest::addColumn<bool>("asPdf");
        for (const int degrees : {90, 180, 270}) {
            QTest::addRow("picture turned %d", degrees) << degrees << false;
            QTest::addRow("PDF page turned %d", degrees) << degrees << true;
        }
    }
    void turnedScanIsLaidOutAsItReads()
    {
        QFETCH(int, degrees);
        QFETCH(bool, asPdf);
        const QImage upright = Test::scannedManualPage();
        const QImage turned = upright.transformed(QTransform().rotate(degrees));
        auto parse = [asPdf](const QImage &page) {
            if (!asPdf)
                return parseBytes(Test::encodeImage(page, "PNG"), QStringLiteral("manual.png"));
            const QSizeF points(page.width() * 72.0 / 200, page.height() * 72.0 / 200); // the page is a 200 dpi scan
            const QByteArray placement = QByteArray::number(points.width()) + " 0 0 " + QByteArray::number(points.height());
            return parseBytes(Test::imagePagePdf(points, page.convertToFormat(QImage::Format_Grayscale8),
                                                 "q " + placement + " 0 0 cm /Im0 Do Q"),
                              QStringLiteral("manual.pdf"));
        };
        const ParseResult read = parse(upright);
        const ParseResult readTurned = parse(turned);
        QVERIFY2(read.ok() && readTurned.ok(), qPrintable(read.errorMessage() + readTurned.errorMessage()));
        QVERIFY2(read->markdown().contains(QStringLiteral("\n    count += 1;\n")), qPrintable(read->markdown()));
        QVERIFY2(read->markdown().contains(QStringLiteral("\n- port {number}")), qPrintable(read->markdown()));
        if (asPdf) {
            // Rendered turned, the scan's pixels differ a little, and OCR
            // may read a quote mark otherwise: the layout is what must not.
            static const QRegularExpression laidOut(
                QStringLiteral("^(# .*|```|- .*| *(function|count|if|response)\\b.{0,12})"), QRegularExpression::MultilineOption);
            auto layoutOf = [](const QString &md) {
                QStringList found;
                for (QRegularExpressionMatchIterator it = laidOut.globalMatch(md); it.hasNext();)
                    found.append(it.next().captured(0));
                return found;
            };
            QVERIFY(layoutOf(read->markdown()).size() >= 8);
            QCOMPARE(layoutOf(readTurned->markdown()), layoutOf(read->markdown()));
            // The content list and the chunks read the listing back from
            // the middle JSON, whose boxes are the turned page's.
            auto listingIndents = [](const ParseResult &result) {
                const Result<QList<ResultBlock>> blocks = readResultBlocks(result->middleJson());
                QList<qsizetype> indents;
                for (const ResultBlock &block : blocks ? *blocks : QList<ResultBlock>())
                    if (block.kind == ResultBlock::Kind::Code)
                        for (const QString &line : block.text.split(QLatin1Char('\n')))
                            indents.append(line.size() - line.trimmed().size());
                return indents;
            };
            QVERIFY(listingIndents(read).size() >= 4);
            QCOMPARE(listingIndents(readTurned), listingIndents(read));
        } else {
            QCOMPARE(readTurned->markdown(), read->markdown()); // the same pixels, turned exactly
            // pdf_data shows the picture as it was read: upright.
            static const QRegularExpression mediaBox(QStringLiteral("/MediaBox\\s*\\[[^\\]]*\\]"));
            const QString box = mediaBox.match(QString::fromLatin1(read->pdfData)).captured(0);
            QVERIFY(!box.isEmpty());
            QCOMPARE(mediaBox.match(QString::fromLatin1(readTurned->pdfData)).captured(0), box);
        }

        auto pageSize = [](const ParseResult &result) {
            const QJsonArray size = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject()
                                        .value(QStringLiteral("page_size")).toArray();
            return QSizeF(size.at(0).toDouble(), size.at(1).toDouble());
        };
        const bool sideways = degrees != 180;
        const QSizeF uprightSize = pageSize(read);
        QCOMPARE(pageSize(readTurned), asPdf && sideways ? uprightSize.transposed() : uprightSize);
    }

    // A full page upside down: the orientation detector, sure of such a
    // page at half the size, looks no further; the page reads upright.
    void fullPageUpsideDownIsReadUpright()
    {
        const QStringList lines = harvestProse();
        const QImage page = Test::textImage(lines, 300, 11).transformed(QTransform().rotate(180));
        const ParseResult result = parseBytes(Test::encodeImage(page, "PNG"), QStringLiteral("harvest.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown().simplified();
        QVERIFY2(md.contains(lines.first()) && md.contains(lines.last()), qPrintable(md));
        int inOrder = 0; // rows read after the row before them
        for (int i = 0; i + 1 < lines.size(); ++i)
            inOrder += md.contains(lines[i] + QLatin1Char(' ') + lines[i + 1]);
        QVERIFY2(inOrder >= 24, qPrintable(md));
    }

    // A scanned procedure, every row "Step N: ...": Tesseract took the
    // space after the numbers for a column's edge, and the page came out
    // as a column of "Step N:" and one of the instructions.
    void labelStartingEveryRowIsNoGutter()
    {
        const QStringList actions{QStringLiteral("open the valve and check the pressure gauge"),
                                  QStringLiteral("close the outlet before the tank fills"),
                                  QStringLiteral("write the reading in the log book"),
                                  QStringLiteral("wait ten minutes for the pump to settle"),
                                  QStringLiteral("turn the main switch off at the board"),
                                  QStringLiteral("clean the filter with warm water"),
                                  QStringLiteral("replace the seal if it looks worn")};
        QStringList lines;
        for (int i = 1; i <= 16; ++i)
            lines.append(QStringLiteral("Step %1: %2.").arg(i).arg(actions[i % actions.size()]));
        const ParseResult result = parseBytes(Test::encodeImage(Test::textImage(lines, 300, 11), "PNG"),
                                              QStringLiteral("procedure.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown().simplified();
        QVERIFY2(!md.contains(QStringLiteral("Step Step")), qPrintable(md));
        for (const QString &line : std::as_const(lines))
            QVERIFY2(md.contains(line), qPrintable(md + QStringLiteral("\nmissing: ") + line));
        QVERIFY2(md.indexOf(lines[8]) < md.indexOf(lines[9]), qPrintable(md)); // "Step 9" before "Step 10"

        // Where Tesseract reads the rows whole, the space after the label
        // ran down the page for the gutter finder instead.
        QStringList ledger;
        for (int i = 1; i <= 16; ++i)
            ledger.append(QStringLiteral("Line %1 %2.").arg(i).arg(actions[(i * 3) % actions.size()]));
        const ParseResult ledgerRead = parseBytes(Test::encodeImage(Test::textImage(ledger, 300, 11), "PNG"),
                                                  QStringLiteral("ledger.png"));
        QVERIFY2(ledgerRead.ok(), qPrintable(ledgerRead.errorMessage()));
        const QString ledgerMd = ledgerRead->markdown().simplified();
        for (const QString &line : std::as_const(ledger))
            QVERIFY2(ledgerMd.contains(line), qPrintable(ledgerMd + QStringLiteral("\nmissing: ") + line));
    }

    // Rows worded alike but for a number (a ledger, a log) line their word
    // spaces up down the page, the same words facing across each: on a
    // scan as in a text layer, every row is read whole and in order.
    void rowsWordedAlikeAreReadWhole_data()
    {
        QTest::addColumn<bool>("scanned");
        QTest::newRow("scan") << true;
        QTest::newRow("text layer") << false;
    }
    void rowsWordedAlikeAreReadWhole()
    {
        QFETCH(bool, scanned);
        QStringList rows;
        for (int i = 1; i <= 20; ++i)
            rows.append(QStringLiteral("Line %1 of the ledger lists the grain stored by the farm in sacks of fifty pounds.").arg(i));
        for (int i = 1; i <= 12; ++i)
            rows.append(QStringLiteral("2024-03-%1 INFO worker %2 started the nightly export of the sales tables.")
                            .arg(i, 2, 10, QLatin1Char('0'))
                            .arg(i));
        const ParseResult result = scanned
            ? parseBytes(Test::encodeImage(Test::textImage(rows, 300, 10), "PNG"), QStringLiteral("ledger.png"))
            : parseBytes(Test::paintedPdf([&rows](QPainter &painter) {
                             painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 9));
                             for (qsizetype i = 0; i < rows.size(); ++i)
                                 painter.drawText(QPointF(60, 80 + i * 13), rows[i]);
                         }),
                         QStringLiteral("ledger.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown().simplified();
        qsizetype last = -1;
        for (const QString &row : std::as_const(rows)) {
            const qsizetype at = md.indexOf(row);
            QVERIFY2(at > last, qPrintable(md + QStringLiteral("\nwhole and in order: ") + row));
            last = at;
        }
    }

    // Print some ten pixels high (a newspaper page at 100 dpi): Tesseract's
    // first reading is poor, the one at twice the size is kept.
    void smallPrintIsReadAtTwiceTheSize()
    {
        const QImage image = Test::textImage({QStringLiteral("The committee approved the budget for the new"),
                                              QStringLiteral("library building after a long debate on Monday")},
                                             100, 6);
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("small.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("approved the budget")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("library building")), qPrintable(md));
        // Boxes on the page as submitted, not on the enlarged copy: 8 inches wide.
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(qRound(page.value(QStringLiteral("page_size")).toArray().at(0).toDouble()), 576);
        const QByteArray json = result->middleJson();
        for (const QJsonValue &block : page.value(QStringLiteral("para_blocks")).toArray())
            QVERIFY2(block[QStringLiteral("bbox")][2].toDouble() <= 577, json.constData());
    }

    // A newspaper page at 100 dpi: a headline in black, a dark photo, and
    // body text some ten pixels high whose thin strokes print grey. One
    // threshold for the whole page falls between the photo and the paper
    // and wipes the body out; read again at twice the size, thresholded
    // tile by tile, the body is read, and that reading stays although its
    // words are less sure than the headline's.
    void smallGreyPrintBesideAPhotoIsRead()
    {
        const QImage image = Test::newspaperPage();
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("newspaper.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("Harbour Reopens")), qPrintable(md));
        QVERIFY2(md.count(QStringLiteral("northern pier")) >= 6, qPrintable(md));
        QVERIFY2(md.count(QStringLiteral("herring and mackerel")) >= 6, qPrintable(md));
    }

    // The same page in Chinese, its headline in large heavy type: the body
    // is read at twice the size, where the headline's glyphs, some 110 to
    // 140 pixels, come apart ("茶农迎来叉一春", "作农迎来义一看", or none
    // of it); the headline stays as the first reading read it.
    void largeHeadlineKeepsItsFirstReading_data()
    {
        QTest::addColumn<int>("headlinePixels");
        QTest::newRow("56 pixels") << 56;
        QTest::newRow("72 pixels") << 72;
    }
    void largeHeadlineKeepsItsFirstReading()
    {
        QFETCH(int, headlinePixels);
        const QImage image = Test::chineseNewspaperPage(headlinePixels, 13);
        ParserParams params;
        params.language = QStringLiteral("chi_sim");
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("newspaper.png"), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("# 茶农迎来又一春\n")), qPrintable(md));
        QVERIFY2(md.count(QStringLiteral("茶叶产量超过二十七万吨")) >= 6, qPrintable(md));
    }

    // An OCR layer laid invisibly over a scan is often set in Courier: its
    // font says nothing of the print, and the page is prose, not code. The
    // same words drawn visibly in Courier are a listing.
    void invisibleTextLayerCarriesNoTypography()
    {
        auto courierPage = [](int renderMode) {
            QByteArray content = "BT " + QByteArray::number(renderMode) + " Tr /F1 10 Tf 72 700 Td 12 TL";
            for (const char *line : {"The turnip crop has been, in many instances,", "ten-fold, and in few less than four",
                                     "or five-fold its former bulk since bones", "came into general use on these farms."})
                content += " (" + QByteArray(line) + ") '";
            QByteArray pdf = Test::rawPdf(QSizeF(612, 792), content + " ET");
            pdf.replace("/BaseFont /Helvetica", "/BaseFont /Courier  "); // the same length: the offsets hold
            return pdf;
        };
        const ParseResult hidden = parseBytes(courierPage(3), QStringLiteral("ocr-layer.pdf"));
        QVERIFY2(hidden.ok(), qPrintable(hidden.errorMessage()));
        QVERIFY2(hidden->markdown().contains(QStringLiteral("The turnip crop")) && !hidden->markdown().contains(QStringLiteral("```")),
                 qPrintable(hidden->markdown()));
        const ParseResult shown = parseBytes(courierPage(0), QStringLiteral("listing.pdf"));
        QVERIFY2(shown.ok(), qPrintable(shown.errorMessage()));
        QVERIFY2(shown->markdown().startsWith(QStringLiteral("```\nThe turnip crop")), qPrintable(shown->markdown()));
    }

    // A scan carries no font names: a heading set bold at the body's size
    // is told by its strokes, a listing by its letters stepping alike; the
    // listing comes out fenced, line by line with its indents, its
    // closing braces (too short to measure) included; a list keeps its
    // bullets.
    void scannedListingAndBoldHeadingKeepTheirFaces()
    {
        const QImage image = Test::scannedManualPage();
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("listing.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList lines = md.split(QLatin1Char('\n'));
        QVERIFY2(!lines.filter(QRegularExpression(QStringLiteral("^#{1,4} Handling requests$"))).isEmpty(), qPrintable(md));
        // One fence, the lines in order, each indent deeper than the last
        // (OCR's boxes leave an indent a space either way).
        const qsizetype open = lines.indexOf(QStringLiteral("function handle(request, response) {")) - 1;
        QVERIFY2(open >= 0 && lines[open] == QStringLiteral("```") && open + 6 < lines.size(), qPrintable(md));
        auto indent = [](const QString &line) { return line.size() - QStringView(line).trimmed().size(); };
        QVERIFY2(lines[open + 2].trimmed() == QStringLiteral("count += 1;") && indent(lines[open + 2]) >= 3, qPrintable(md));
        QVERIFY2(lines[open + 3].trimmed() == QStringLiteral("if (request.url === '/hello') {")
                     && indent(lines[open + 3]) == indent(lines[open + 2]),
                 qPrintable(md));
        QVERIFY2(lines[open + 4].trimmed() == QStringLiteral("response.end('hello world');")
                     && indent(lines[open + 4]) > indent(lines[open + 3]),
                 qPrintable(md));
        // The closing braces, too short to measure, stay in the listing.
        const qsizetype close = lines.indexOf(QStringLiteral("```"), open + 5);
        QVERIFY2(close > open && lines.mid(open + 5, close - open - 5).join(QString()).contains(u'}'), qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("```\nThe")) && md.contains(QStringLiteral("\n\nThe count starts at zero")), qPrintable(md));
        // Bullets OCR reads as letters or signs are bullets again.
        QVERIFY2(md.contains(QStringLiteral("\n- port {number} The port")) && md.contains(QStringLiteral("\n- host {string} The name")),
                 qPrintable(md));
    }

    // A manual's page can hold more code than prose, and a font of code
    // is often heavier than the body's face: a heading set heavier than
    // the prose is one, however much heavier code stands around it.
    void scannedHeadingAmongMuchCodeIsFound()
    {
        const int dpi = 300, pixels = 11 * dpi / 72, lineHeight = pixels * 3 / 2;
        QImage image(dpi * 8, dpi * 7, QImage::Format_RGB32);
        image.fill(Qt::white);
        image.setDotsPerMeterX(qRound(dpi / 0.0254));
        image.setDotsPerMeterY(qRound(dpi / 0.0254));
        {
            QPainter painter(&image);
            painter.setPen(Qt::black);
            int y = dpi / 2;
            auto write = [&](const QString &family, QFont::Weight weight, const QString &text) {
                QFont font(family);
                font.setPixelSize(pixels);
                font.setWeight(weight);
                painter.setFont(font);
                painter.drawText(QPointF(dpi / 2.0, y), text);
                y += lineHeight;
            };
            const QString sans = QStringLiteral("DejaVu Sans"), mono = QStringLiteral("DejaVu Sans Mono");
            write(sans, QFont::ExtraLight, QStringLiteral("Every request is answered by the function below, which"));
            write(sans, QFont::ExtraLight, QStringLiteral("counts the requests and writes a greeting back to them."));
            y += lineHeight;
            write(sans, QFont::Normal, QStringLiteral("Counting requests"));
            y += lineHeight / 2;
            for (int round = 0; round < 2; ++round)
                for (const QString &line : Test::scannedListing())
                    write(mono, QFont::Normal, line);
            y += lineHeight / 2;
            write(sans, QFont::ExtraLight, QStringLiteral("The count starts at zero whenever the server is started."));
            write(sans, QFont::ExtraLight, QStringLiteral("Stop it with a signal and the count is written to its log."));
        }
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("manual.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QRegularExpression(QStringLiteral("^#{1,4} Counting requests$"), QRegularExpression::MultilineOption)), qPrintable(md));
        QVERIFY2(md.count(QStringLiteral("```")) >= 2 && md.contains(QStringLiteral("function handle(request, response) {")), qPrintable(md));
        // Heavier than the prose, but lines of a listing: none a heading.
        QCOMPARE(md.count(QRegularExpression(QStringLiteral("^#"), QRegularExpression::MultilineOption)), 1);
    }

    // OCR parts code at dots and brackets ("cluster. fork()"): in a font
    // of code a space is a cell wide, and only such gaps are spaces.
    void scannedCodeKeepsItsSpacing()
    {
        const int dpi = 200;
        const QStringList listing{QStringLiteral("const cluster = require('node:cluster');"),
                                  QStringLiteral("cluster.fork().on('exit', restart);"),
                                  QStringLiteral("process.exit(require('node:os').availableParallelism());"),
                                  QStringLiteral("server.on('close', () => worker.kill());"),
                                  QStringLiteral("http.createServer(handler).listen(8000);"),
                                  QStringLiteral("console.log('worker %d started', worker.id);")};
        QImage image(dpi * 8, dpi * 4, QImage::Format_RGB32);
        image.fill(Qt::white);
        image.setDotsPerMeterX(qRound(dpi / 0.0254));
        image.setDotsPerMeterY(qRound(dpi / 0.0254));
        {
            QPainter painter(&image);
            painter.setPen(Qt::black);
            QFont font(QStringLiteral("DejaVu Sans Mono"));
            font.setPixelSize(10 * dpi / 72);
            painter.setFont(font);
            for (int i = 0; i < listing.size(); ++i)
                painter.drawText(QPointF(dpi / 2.0, dpi / 2.0 + 14 * dpi / 72 * i), listing[i]);
        }
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("listing.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        for (const QString &line : listing)
            QVERIFY2(md.contains(line + QLatin1Char('\n')), qPrintable(line + QStringLiteral(" in:\n") + md));
        QVERIFY2(md.contains(QStringLiteral("```\ncluster.fork().on(")), qPrintable(md));
    }

    // Two columns of code on a scan: their ragged edges hide the gutter
    // from Tesseract, which runs the rows of both into one line. Each
    // listing comes out whole, the left column's before the right's.
    void scannedColumnsOfCodeStayApart()
    {
        const int dpi = 200;
        QImage image(dpi * 17 / 2, dpi * 4, QImage::Format_RGB32);
        image.fill(Qt::white);
        image.setDotsPerMeterX(qRound(dpi / 0.0254));
        image.setDotsPerMeterY(qRound(dpi / 0.0254));
        const QStringList left{QStringLiteral("const total = items.length;"), QStringLiteral("for (const item of items) {"),
                               QStringLiteral("  console.log(item.name);"), QStringLiteral("  counted += 1;"),
                               QStringLiteral("}"), QStringLiteral("report(counted, total);"),
                               QStringLiteral("process.exit(0);")};
        const QStringList right{QStringLiteral("server.on('request', (req) => {"), QStringLiteral("  requests += 1;"),
                                QStringLiteral("  if (req.url === '/') {"), QStringLiteral("    send(req, 'home page');"),
                                QStringLiteral("  }"), QStringLiteral("});"), QStringLiteral("server.listen(8000);")};
        {
            QPainter painter(&image);
            painter.setPen(Qt::black);
            QFont font(QStringLiteral("DejaVu Sans Mono"));
            font.setPixelSize(10 * dpi / 72);
            painter.setFont(font);
            const int lineHeight = 14 * dpi / 72;
            for (int i = 0; i < left.size(); ++i) {
                painter.drawText(QPointF(dpi / 2.0, dpi / 2.0 + lineHeight * i), left[i]);
                painter.drawText(QPointF(dpi * 4.4, dpi / 2.0 + lineHeight * i), right[i]);
            }
        }
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("columns.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        // Each column's lines in order (by words OCR reads reliably), the
        // right column after the left one's last line.
        auto inOrder = [&](const QStringList &needles) {
            qsizetype at = 0;
            for (const QString &needle : needles) {
                const qsizetype found = md.indexOf(needle, at);
                if (found < 0)
                    return false;
                at = found;
            }
            return true;
        };
        QVERIFY2(inOrder({QStringLiteral("const total"), QStringLiteral("item of items"), QStringLiteral("item.name"),
                          QStringLiteral("counted +="), QStringLiteral("report(counted"), QStringLiteral("process.exit"),
                          QStringLiteral("server.on("), QStringLiteral("requests +="), QStringLiteral("req.url"),
                          QStringLiteral("home page"), QStringLiteral("8000")}),
                 qPrintable(md));
    }

    // Chinese, no language given: the page's script picks the Chinese packs
    // (at once, or after a poor Latin reading where the detector is unsure).
    void chineseIsReadWithoutALanguageGiven()
    {
        const QImage image = Test::textImage({QStringLiteral("场子设在村边低洼处一块地里"),
                                              QStringLiteral("四面土坡都是看台几张桌子一字排开")},
                                             300, 16);
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("zh.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("村边低洼处")), qPrintable(result->markdown()));
    }

    // A scanned report: a sidebar of short facts beside the body, their
    // lines on the same heights, the gutter between them narrowest at one
    // row. Tesseract runs lines across it ("Rating: Buy, kept Revenue
    // grew..."); each column comes out whole, the sidebar first.
    void scannedSidebarIsReadBesideTheBody()
    {
        const QImage image = Test::sidebarReportPage();
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("report.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("Revenue grew twelve percent in the first half of the year")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("as demand for credit in the countryside")), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Updated")) < md.indexOf(QStringLiteral("Revenue grew")), qPrintable(md));
    }

    // A scanned exam: numbered questions in two columns, a chart in the
    // first. The questions come out in their numbers' order, column by
    // column.
    void scannedQuestionsAreReadColumnByColumn()
    {
        QImage image = Test::blankPage(200, QSizeF(8, 10));
        QPainter painter(&image);
        writeInSans(painter, 26);
        const QStringList questions{
            QStringLiteral("Sancho picked up a handful of|coins from a jar. What share|of the coins were nickels?"),
            QStringLiteral("Paige cut a cake into twenty|pieces. If fourteen were eaten,|how much of the cake is left?"),
            QStringLiteral("Natalie washed the dishes on|eight of the last twelve nights.|How often did she wash them?"),
            QStringLiteral("Emilia used four of her eight|stamps to mail letters. How|many stamps does she have left?"),
            QStringLiteral("Which is a prime factor of|the composite number thirty|two, and which is not?"),
            QStringLiteral("Bree received bills of each|value for her birthday. Which|bills did she get the most of?")};
        const int columnX[2] = {100, 840};
        const int top[3] = {200, 700, 1300};
        for (int q = 0; q < questions.size(); ++q) {
            const QStringList lines = questions[q].split(QLatin1Char('|'));
            const int x = columnX[q / 3], y = top[q % 3];
            painter.drawText(QPointF(x, y), QStringLiteral("%1. %2").arg(q + 1).arg(lines[0]));
            for (int l = 1; l < lines.size(); ++l)
                painter.drawText(QPointF(x + 40, y + 40 * l), lines[l]);
        }
        // A bar chart under the first question.
        painter.fillRect(QRect(140, 600, 500, 8), Qt::black);
        for (int bar = 0; bar < 5; ++bar)
            painter.fillRect(QRect(170 + bar * 90, 600 - 60 - bar * 45, 50, 60 + bar * 45), QColor(90, 90, 90));
        painter.end();
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("exam.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QStringList starts{QStringLiteral("Sancho"), QStringLiteral("Paige"), QStringLiteral("Natalie"),
                                 QStringLiteral("Emilia"), QStringLiteral("prime factor"), QStringLiteral("Bree")};
        qsizetype last = -1;
        for (const QString &start : starts) {
            const qsizetype at = md.indexOf(start);
            QVERIFY2(at > last, qPrintable(start + QStringLiteral(" out of order:\n") + md));
            last = at;
        }
    }

    // Chinese on a scan is written as it is printed: no space between the
    // characters and the figures and stops beside them, though OCR sees a
    // gap there (the typesetter's spacing, a full-width bracket's blank).
    void scannedChineseKeepsFiguresAndStopsTight()
    {
        const QImage image = Test::textImage({QStringLiteral("常熟银行发布2023年半年报，营业收入49.1亿元"),
                                              QStringLiteral("强烈推荐（维持），股价：7.15元，同比增长12.4%")},
                                             300, 16);
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("zh-figures.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("2023年")) && md.contains(QStringLiteral("亿元")) && md.contains(QStringLiteral("维持")),
                 qPrintable(md));
        const QRegularExpression spaced(QStringLiteral("[\\x{4e00}-\\x{9fff}] [\\d\\p{P}]|[\\d\\p{P}] [\\x{4e00}-\\x{9fff}]"));
        QVERIFY2(!md.contains(spaced), qPrintable(md));
    }

    // A scan in a script written right to left comes out in reading order:
    // each line's words from the right edge, the lines from the top. The
    // same words read left to right, as they lie, would come out reversed.
    void scannedArabicComesInReadingOrder()
    {
        const QStringList lines{QStringLiteral("ذهب الولد إلى المدرسة صباحا"),
                                QStringLiteral("وكتب الدرس في الدفتر الجديد")};
        const QImage image = Test::textImage(lines, 300, 20);
        ParserParams params;
        params.language = QStringLiteral("ara");
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("arabic.png"), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        qsizetype last = -1;
        for (const QString &word : {QStringLiteral("ذهب"), QStringLiteral("المدرسة"), QStringLiteral("وكتب"),
                                    QStringLiteral("الدفتر")}) {
            const qsizetype at = md.indexOf(word);
            QVERIFY2(at > last, qPrintable(word + QStringLiteral(" out of order:\n") + md));
            last = at;
        }
    }

    // The reading order's column cut always leaves blocks on both sides: a
    // block without a box (at the page's corner, the gap's edge) or one of
    // two lines side by side (whose lines' median box is inside out) left
    // one side empty, and the cut recursed until the stack ran out.
    void readingOrderEndsOnDegenerateBlocks()
    {
        QList<TextBlock> blocks(1); // no box, no lines
        TextBlock sideBySide;
        sideBySide.lines = {lineAt(QStringLiteral("left"), QRectF(40, 300, 60, 12)),
                            lineAt(QStringLiteral("right"), QRectF(400, 314, 60, 12))};
        sideBySide.bbox = QRectF(40, 300, 420, 26);
        blocks.append(sideBySide);
        for (int i = 0; i < 6; ++i) {
            TextBlock column;
            const QRectF first(i % 2 ? 320 : 40, 100 + 30 * (i / 2) + (i % 2) * 13, 200, 12);
            column.lines = {lineAt(QStringLiteral("column %1").arg(i), first), lineAt(QStringLiteral("goes on"), first.translated(0, 13))};
            column.bbox = first.united(first.translated(0, 13));
            blocks.append(column);
        }
        const QList<TextBlock> ordered = inReadingOrder(blocks);
        QCOMPARE(ordered.size(), blocks.size());
        QStringList columns;
        for (const TextBlock &block : ordered)
            if (block.text().startsWith(QStringLiteral("column")))
                columns.append(block.lines.first().text());
        QCOMPARE(columns, (QStringList{QStringLiteral("column 0"), QStringLiteral("column 2"), QStringLiteral("column 4"),
                                       QStringLiteral("column 1"), QStringLiteral("column 3"), QStringLiteral("column 5")}));
    }

    // Simplified and traditional Chinese are told apart: each page comes out
    // in its own script, never in a mix of both (read together, the two
    // packs pick word by word).
    void chineseVariantsAreNotMixed()
    {
        const QStringList simplified{QStringLiteral("上半年公司实现营业收入四十九亿元同比增长"),
                                     QStringLiteral("六月末总资产较年初增长我们按期初期末余额测算")};
        const QStringList traditional{QStringLiteral("上半年公司實現營業收入四十九億元同比增長"),
                                      QStringLiteral("六月末總資產較年初增長我們按期初期末餘額測算")};
        const QString traditionalOnly = QStringLiteral("實現營業億長總資產較們餘額測");
        const QString simplifiedOnly = QStringLiteral("实现营业亿长总资产较们余额测");
        const auto scriptOf = [](const QString &text, const QString &forms) {
            int found = 0;
            for (const QChar c : forms)
                found += text.contains(c);
            return found;
        };
        const ParseResult zhHans = parseBytes(Test::encodeImage(Test::textImage(simplified, 200, 11), "PNG"), QStringLiteral("hans.png"));
        const ParseResult zhHant = parseBytes(Test::encodeImage(Test::textImage(traditional, 200, 11), "PNG"), QStringLiteral("hant.png"));
        QVERIFY2(zhHans.ok() && zhHant.ok(), qPrintable(zhHans.errorMessage() + zhHant.errorMessage()));
        QVERIFY2(zhHans->markdown().contains(QStringLiteral("营业收入")) && scriptOf(zhHans->markdown(), traditionalOnly) == 0,
                 qPrintable(zhHans->markdown()));
        QVERIFY2(zhHant->markdown().contains(QStringLiteral("營業收入")) && scriptOf(zhHant->markdown(), simplifiedOnly) == 0,
                 qPrintable(zhHant->markdown()));
    }

    // A page range of a multi-page scan: pdf_data holds the selected pages,
    // and page_idx counts them.
    void imagePageRangeCountsReturnedPages()
    {
        QList<QImage> frames;
        for (int n = 1; n <= 3; ++n)
            frames.append(Test::textImage({QStringLiteral("Scanned frame %1 marker").arg(n)}));
        ParserParams params;
        params.startPage = 1;
        params.endPage = 2;
        const ParseResult result = parseBytes(Test::multiPageTiff(frames), QStringLiteral("scan.tif"), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(!result->markdown().contains(QStringLiteral("frame 1")) && result->markdown().contains(QStringLiteral("frame 2 marker"))
                     && result->markdown().contains(QStringLiteral("frame 3 marker")),
                 qPrintable(result->markdown()));
        const QJsonArray pages = middleJson(result).value(QStringLiteral("pdf_info")).toArray();
        QCOMPARE(pages.size(), 2);
        QCOMPARE(pages[0][QStringLiteral("page_idx")].toInt(), 0);
        QCOMPARE(pages[1][QStringLiteral("page_idx")].toInt(), 1);
        QCOMPARE(QString::fromLatin1(result->pdfData).count(QRegularExpression(QStringLiteral("/Type\\s*/Page\\b"))), 2);
        // Page size and drawing share the scan's resolution: 1 inch of pixels is 72 points.
        const QJsonArray size = pages[0][QStringLiteral("page_size")].toArray();
        QCOMPARE(qRound(size[0].toDouble()), qRound(frames[1].width() * 72.0 / 300));
    }

    // At 600 ppi the page is read from its picture, not rendered.
    void scannedPdfFallsBackToOcr_data()
    {
        QTest::addColumn<int>("dpi");
        QTest::newRow("300 ppi") << 300;
        QTest::newRow("600 ppi") << 600;
    }
    void scannedPdfFallsBackToOcr()
    {
        QFETCH(int, dpi);
        const QImage image = Test::textImage({QStringLiteral("Scanned invoice number 4711")}, dpi);
        const QByteArray pdf = PdfComposer::fromImages({image}, dpi);
        const ParseResult result = parseBytes(pdf, QStringLiteral("scan.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("invoice number 4711")),
                 qPrintable(result->markdown()));
        const QJsonObject page = middleJson(result).value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
        QCOMPARE(page.value(QStringLiteral("extraction_method")).toString(), QStringLiteral("ocr"));
    }

    // A blank sheet between scanned pages (the back of a page) is not read:
    // its render shows no ink. A faint speck does not make it a page of text.
    // OCR reads a cover's stripes as runs of long dashes and underscores
    // ("—_—_—_S" before its title): such words are no text. The dashes a
    // keyboard types are kept: code is made of them.
    void drawnRulesAreNoWords_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<bool>("drawn");
        QTest::newRow("stripes before a title") << QStringLiteral("—_—_—_—_—_S") << true;
        QTest::newRow("a stripe") << QStringLiteral("————_—_—_—_——————") << true;
        QTest::newRow("a box-drawing rule") << QStringLiteral("────────") << true;
        QTest::newRow("en dashes") << QStringLiteral("–––") << true;
        QTest::newRow("strict equality") << QStringLiteral("===") << false;
        QTest::newRow("a markdown rule") << QStringLiteral("---") << false;
        QTest::newRow("a dunder") << QStringLiteral("__init__") << false;
        QTest::newRow("a form's blank") << QStringLiteral("______") << false;
        QTest::newRow("a dash as a bullet") << QStringLiteral("—") << false;
        QTest::newRow("two dashes") << QStringLiteral("——") << false;
        QTest::newRow("a word with a dash") << QStringLiteral("well—known") << false;
        QTest::newRow("a range") << QStringLiteral("1990–1995") << false;
    }

    void drawnRulesAreNoWords()
    {
        QFETCH(QString, word);
        QFETCH(bool, drawn);
        QCOMPARE(isDrawnRule(word), drawn);
    }

    void blankScannedPageIsNotRead()
    {
        const QImage text = Test::textImage({QStringLiteral("Scanned invoice number 4711")});
        QImage blank(text.size(), QImage::Format_Grayscale8);
        blank.fill(255);
        for (int y = 100; y < 104; ++y)
            for (int x = 100; x < 104; ++x)
                blank.setPixel(x, y, 0);
        const QByteArray pdf = PdfComposer::fromImages({text, blank, text}, 300);
        const ParseResult result = parseBytes(pdf, QStringLiteral("scan.pdf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->pageCount, 3);
        QCOMPARE(result->ocrPages, 2);
        QCOMPARE(result->markdown().count(QStringLiteral("invoice number 4711")), 2);
        const QJsonArray pages = middleJson(result).value(QStringLiteral("pdf_info")).toArray();
        QCOMPARE(pages.size(), 3);
        QCOMPARE(pages[1][QStringLiteral("extraction_method")].toString(), QStringLiteral("text_layer"));
        QVERIFY(pages[1][QStringLiteral("para_blocks")].toArray().isEmpty());
    }

    void unknownOcrLanguageFailsClearly()
    {
        ParserParams params;
        params.language = QStringLiteral("xx_not_a_language");
        const QImage image = Test::textImage({QStringLiteral("hello")});
        const ParseResult result = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("scan.png"), params);
        QVERIFY(!result.ok());
        QVERIFY2(result.errorMessage().contains(QStringLiteral("installed: ")) && result.errorMessage().contains(QStringLiteral("eng")),
                 qPrintable(result.errorMessage()));
        // A path is never handed to Tesseract, which would load it as a model.
        params.language = QStringLiteral("../../../../tmp/x");
        const ParseResult path = parseBytes(Test::encodeImage(image, "PNG"), QStringLiteral("scan.png"), params);
        QVERIFY(!path.ok() && path.errorMessage().contains(QStringLiteral("installed OCR languages")));
    }

    void parserParamsValidation()
    {
        ParserParams params;
        QVERIFY(Test::readParams(QJsonObject{{QStringLiteral("start_page"), 2},
                                                   {QStringLiteral("end_page"), 4},
                                                   {QStringLiteral("lang"), QStringLiteral("eng+deu")},
                                                   {QStringLiteral("some_future_key"), true}},
                                       &params).isEmpty());
        QCOMPARE(params.startPage, 2);
        QCOMPARE(params.endPage, 4);
        QCOMPARE(params.language, QStringLiteral("eng+deu"));
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("start_page"), QStringLiteral("two")}}, &params).isEmpty());
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("force_ocr"), 1}}, &params).isEmpty());
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("start_page"), 3}, {QStringLiteral("end_page"), 1}}, &params).isEmpty());
    }
};

QTEST_MAIN(TestEngine)
#include "test_engine.moc"
