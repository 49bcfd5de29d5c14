// Tables and figures found on page renders: PDFs drawn here with ruled
// tables, merged cells, columns of words without rules and a chart, and a
// scanned table as a page image, parsed by the real engine, and the
// markdown, middle JSON and images checked.
#include "engine/core/greyaverager.h"
#include "engine/documentparser.h"
#include "engine/layout/pageregions.h"
#include "engine/pdf/pagecontent.h"
#include "engine/pdf/pdftextreader.h"
#include "tests/support/parsedocument.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPainter>
#include <QPdfWriter>
#include <QtTest>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

using namespace DocRay;

namespace {

ParseResult parsePdf(const QByteArray &pdf, const ParserParams &params = {})
{
    return Test::parseDocument(pdf, QStringLiteral("page.pdf"), params);
}


// A ruled grid of text at (60, 150), 110 x 24 points a cell. A cell
// holding an empty string is covered by the one to its left: the rule
// between them is left out, and that cell's text is centred across both.
void drawTable(QPainter &painter, const QList<QStringList> &rows)
{
    const double x0 = 60, y0 = 150, w = 110, h = 24;
    const int columns = static_cast<int>(rows.first().size());
    painter.setPen(QPen(Qt::black, 0.8));
    for (int r = 0; r <= rows.size(); ++r)
        painter.drawLine(QPointF(x0, y0 + r * h), QPointF(x0 + columns * w, y0 + r * h));
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c <= columns; ++c) {
            const bool merged = c > 0 && c < columns && rows[r][c].isEmpty();
            if (!merged)
                painter.drawLine(QPointF(x0 + c * w, y0 + r * h), QPointF(x0 + c * w, y0 + (r + 1) * h));
        }
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < columns; ++c)
            if (!rows[r][c].isEmpty())
                painter.drawText(QPointF(x0 + c * w + 6, y0 + r * h + 16), rows[r][c]);
}

const QList<QStringList> kFruit = {
    {QStringLiteral("Fruit"), QStringLiteral("Colour"), QStringLiteral("Origin"), QStringLiteral("Price")},
    {QStringLiteral("apple"), QStringLiteral("red"), QStringLiteral("Normandy"), QStringLiteral("1.20")},
    {QStringLiteral("banana"), QStringLiteral("yellow"), QStringLiteral("Ecuador"), QStringLiteral("0.95")},
};

QByteArray fruitPdf()
{
    return Test::paintedPdf([](QPainter &painter) {
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 110), QStringLiteral("Prices at the market this week are listed below."));
        drawTable(painter, kFruit);
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 260), QStringLiteral("Prices include the usual sales tax."));
    });
}

// A paragraph, a captioned bar chart and another paragraph.
QByteArray chartPdf()
{
    return Test::paintedPdf([](QPainter &painter) {
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 100), QStringLiteral("Sales rose in every region during the year."));
        // A bar chart: axes, filled bars, a label under each bar.
        painter.setPen(QPen(Qt::black, 1));
        painter.drawLine(QPointF(100, 330), QPointF(400, 330));
        painter.drawLine(QPointF(100, 330), QPointF(100, 150));
        const QList<QColor> colours{QColor(200, 60, 60), QColor(60, 120, 200), QColor(80, 160, 80)};
        for (int i = 0; i < 3; ++i) {
            painter.fillRect(QRectF(130 + i * 90, 330 - (60 + 50 * i), 50, 60 + 50 * i), colours[i]);
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 8));
            painter.drawText(QPointF(140 + i * 90, 342), QStringLiteral("R%1").arg(i + 1));
        }
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
        painter.drawText(QPointF(100, 370), QStringLiteral("Figure 1: Sales by region."));
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 420), QStringLiteral("The north led the other regions again."));
    });
}

// Columns of words set at fixed positions, no rules: a stock list with a
// header, names, counts and prices, between two sentences of prose.
const QList<QStringList> kStock = {
    {QStringLiteral("Part"), QStringLiteral("Count"), QStringLiteral("Price")},
    {QStringLiteral("hex bolts"), QStringLiteral("40"), QStringLiteral("1.20")},
    {QStringLiteral("washers"), QStringLiteral("250"), QStringLiteral("0.05")},
    {QStringLiteral("wing nuts"), QStringLiteral("12"), QStringLiteral("0.80")},
    {QStringLiteral("rivets"), QStringLiteral("1000"), QStringLiteral("0.02")},
};

// `shaded`: every other row on a grey band, as financial reports set them.
QByteArray unruledStockPdf(bool shaded = false)
{
    return Test::paintedPdf([shaded](QPainter &painter) {
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 100), QStringLiteral("The workshop counted its stock on Monday morning."));
        for (int r = 1; shaded && r < kStock.size(); r += 2)
            painter.fillRect(QRectF(55, 140 + 18 * r - 13, 360, 18), QColor(215, 215, 215));
        painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
        for (int r = 0; r < kStock.size(); ++r)
            for (int c = 0; c < kStock[r].size(); ++c)
                painter.drawText(QPointF(60 + 150 * c, 140 + 18 * r), kStock[r][c]);
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 260), QStringLiteral("Prices are per piece and include the usual sales tax."));
    });
}

// A ruled table painted into a 300 dpi page image, as a scanner would
// deliver it: no text layer, only pixels for OCR.
QImage scannedTable(const QList<QStringList> &rows)
{
    constexpr double dpi = 300, scale = dpi / 72;
    QImage image(qRound(595 * scale), qRound(420 * scale), QImage::Format_RGB32);
    image.fill(Qt::white);
    // Painted in points, as on the PDF pages: fonts sized at 72 dpi, scaled up.
    image.setDotsPerMeterX(qRound(72 / 0.0254));
    image.setDotsPerMeterY(qRound(72 / 0.0254));
    {
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.scale(scale, scale);
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
        painter.drawText(QPointF(60, 110), QStringLiteral("Prices at the market this week are listed below."));
        drawTable(painter, rows);
    }
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    return image;
}

QJsonObject firstPage(const ParseResult &result)
{
    return QJsonDocument::fromJson(result->middleJson()).object().value(QStringLiteral("pdf_info")).toArray().at(0).toObject();
}

QJsonArray blocksOfType(const QJsonObject &page, const QString &type)
{
    QJsonArray out;
    for (const QJsonValue &block : page.value(QStringLiteral("para_blocks")).toArray())
        if (block.toObject().value(QStringLiteral("type")).toString() == type)
            out.append(block);
    return out;
}

// The span inside a table or image block: its body's first line's first span.
QJsonObject bodySpan(const QJsonObject &block)
{
    for (const QJsonValue &part : block.value(QStringLiteral("blocks")).toArray())
        if (part.toObject().value(QStringLiteral("type")).toString().endsWith(QStringLiteral("_body")))
            return part.toObject().value(QStringLiteral("lines")).toArray().at(0).toObject()
                .value(QStringLiteral("spans")).toArray().at(0).toObject();
    return {};
}

// The pictures of figures: every image that is not a table's or a formula's.
QStringList figureImages(const ParseResult &result)
{
    QStringList figures;
    for (const QString &name : result->images.keys())
        if (!name.contains(QStringLiteral("_table_")) && !name.contains(QStringLiteral("_equation_")))
            figures.append(name);
    return figures;
}

// A page read from its picture against Splash's render of it at 300 dpi
// (poppler-cpp, grey): whether the sizes and format agree, the mean grey
// difference, and how many pixels of the reading are ink and bare paper.
struct AgainstSplash {
    bool sameSize = false;
    double meanDifference = 0;
    qint64 ink = 0;
    qint64 paper = 0;
};

AgainstSplash againstSplash(const QByteArray &pdf, const QImage &read)
{
    std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
    std::unique_ptr<poppler::page> first(document->create_page(0));
    poppler::page_renderer splash;
    splash.set_image_format(poppler::image::format_gray8);
    splash.set_render_hint(poppler::page_renderer::antialiasing, true);
    const poppler::image drawn = splash.render_page(first.get(), 300, 300);
    AgainstSplash result;
    result.sameSize = read.size() == QSize(drawn.width(), drawn.height()) && read.format() == QImage::Format_Grayscale8;
    if (!result.sameSize)
        return result;
    qint64 difference = 0;
    for (int y = 0; y < read.height(); ++y) {
        const uchar *ours = read.constScanLine(y);
        const auto *theirs = reinterpret_cast<const uchar *>(drawn.const_data() + qsizetype(y) * drawn.bytes_per_row());
        for (int x = 0; x < read.width(); ++x) {
            difference += qAbs(int(ours[x]) - int(theirs[x]));
            result.ink += ours[x] < 128;
            result.paper += ours[x] == 255;
        }
    }
    result.meanDifference = double(difference) / (qint64(read.width()) * read.height());
    return result;
}

// Poppler-cpp's own anti-aliased render of page `page` (0-based), in a QImage of its own.
QImage splashRender(const QByteArray &pdf, int page, double dpi, bool grey)
{
    std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
    std::unique_ptr<poppler::page> drawnPage(document->create_page(page));
    poppler::page_renderer splash;
    splash.set_render_hint(poppler::page_renderer::antialiasing, true);
    splash.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    if (grey)
        splash.set_image_format(poppler::image::format_gray8);
    const poppler::image drawn = splash.render_page(drawnPage.get(), dpi, dpi);
    return QImage(reinterpret_cast<const uchar *>(drawn.const_data()), drawn.width(), drawn.height(),
                  drawn.bytes_per_row(), grey ? QImage::Format_Grayscale8 : QImage::Format_ARGB32)
        .copy();
}

// The pixels of `ours` darker than grey `inkBelow`, and those whose colour is not `theirs`'.
struct PixelCounts {
    int inked = 0;
    int differing = 0;
};
PixelCounts comparePixels(const QImage &ours, const QImage &theirs, int inkBelow)
{
    PixelCounts counts;
    for (int y = 0; y < ours.height(); ++y) {
        for (int x = 0; x < ours.width(); ++x) {
            counts.inked += qGray(ours.pixel(x, y)) < inkBelow;
            counts.differing += (ours.pixel(x, y) & 0xffffff) != (theirs.pixel(x, y) & 0xffffff);
        }
    }
    return counts;
}

} // namespace

class TestRegions : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // 1-bit scans come to grey without Qt's slow generic path, pixel for
    // pixel as Qt would make them, whatever their two colours and bit order.
    void oneBitScansComeToGreyAsQtMakesThem()
    {
        for (const QImage::Format format : {QImage::Format_Mono, QImage::Format_MonoLSB})
            for (const int width : {37, 64, 5}) { // ending mid-byte, on a byte, within the first byte
                QImage scan(width, 23, format);
                scan.setColorTable({qRgb(200, 30, 40), qRgb(10, 220, 90)});
                for (int y = 0; y < scan.height(); ++y)
                    for (int x = 0; x < scan.width(); ++x)
                        scan.setPixel(x, y, uint((x * 7 + y * 3) % 5 == 0));
                scan.setDotsPerMeterX(11811);
                const QImage grey = toGrayscale8(scan);
                QCOMPARE(grey, scan.convertToFormat(QImage::Format_Grayscale8));
                QCOMPARE(grey.dotsPerMeterX(), 11811);
            }
    }

    // Renders and colour scans come to grey pixel for pixel as Qt makes
    // them: rows of greys through the table, rows with colour or with
    // transparency through Qt.
    void rgbImagesComeToGreyAsQtMakesThem()
    {
        for (const QImage::Format format : {QImage::Format_RGB32, QImage::Format_ARGB32}) {
            QImage render(301, 40, format);
            for (int y = 0; y < render.height(); ++y)
                for (int x = 0; x < render.width(); ++x) {
                    const int level = (x * 37 + y * 11) % 256;
                    QRgb pixel = qRgb(level, level, level); // a grey row
                    if (y % 4 == 1 && x == 150)
                        pixel = qRgb(level, (level + 40) % 256, 255 - level); // one coloured pixel
                    else if (y % 4 == 2)
                        pixel = qRgb(level, 255 - level, (level * 3) % 256); // all colour
                    else if (y % 4 == 3 && x % 7 == 0 && format == QImage::Format_ARGB32)
                        pixel = qRgba(level, level, level, 128); // see-through grey
                    render.setPixel(x, y, pixel);
                }
            render.setDotsPerMeterX(5906);
            render.setText(QStringLiteral("Source"), QStringLiteral("scanner"));
            const QImage grey = toGrayscale8(render);
            QCOMPARE(grey, render.convertToFormat(QImage::Format_Grayscale8));
            QCOMPARE(grey.dotsPerMeterX(), 5906);
            QCOMPARE(grey.text(QStringLiteral("Source")), QStringLiteral("scanner"));
        }
    }

    // What decides whether a text page is rendered for analysis at all.
    void paintProbeSeesPaintButNotText_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QList<QRectF>>("expected");
        QTest::newRow("words only") << QByteArray("BT /F1 12 Tf 72 700 Td (Only words here) Tj ET") << QList<QRectF>{};
        QTest::newRow("white background")
            << QByteArray("1 g 0 0 612 792 re f BT 0 g /F1 12 Tf 72 700 Td (Words) Tj ET") << QList<QRectF>{};
        // Printer's marks in two corners, off the page, are one path: its joint box would be the page.
        QTest::newRow("marks off the page")
            << QByteArray("0 G 1 w -40 -20 m -10 -20 l 622 812 m 650 812 l S") << QList<QRectF>{};
        QTest::newRow("grey box") << QByteArray("0.5 g 100 100 200 50 re f") << QList<QRectF>{QRectF(100, 642, 200, 50)};
        QTest::newRow("rule") << QByteArray("0 G 2 w 72 400 m 540 400 l S") << QList<QRectF>{QRectF(71, 391, 470, 2)};
        QTest::newRow("image")
            << QByteArray("q 50 0 0 40 300 500 cm BI /W 2 /H 2 /CS /G /BPC 8 ID abcd EI Q")
            << QList<QRectF>{QRectF(300, 252, 50, 40)};
        QTest::newRow("stencil image")
            << QByteArray("0 g q 60 0 0 30 100 100 cm BI /W 8 /H 2 /IM true ID ab EI Q")
            << QList<QRectF>{QRectF(100, 662, 60, 30)};
    }
    // The words read through Poppler's core are poppler-cpp's text_list()
    // words, font names and sizes included, on pages with tables, figures,
    // Chinese, bold and italic type, and on a page turned by /Rotate.
    // A font of code advances every glyph alike, whatever its name or its
    // descriptor's flags say; a text face does not.
    void fixedPitchFromGlyphAdvances()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 10));
            painter.drawText(QPointF(60, 80), QStringLiteral("const written = fixedWidthGlyphs(maximum);"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            painter.drawText(QPointF(60, 110), QStringLiteral("Proportional words with wide and slim letters."));
            // Every ideograph and kana is an em wide, in any face.
            painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 10));
            painter.drawText(QPointF(60, 140), QStringLiteral("中文的文字排版 日本語のかなもじ あいうえおかきくけこ"));
        });
        const PageContentReader reader(pdf, QString());
        QVERIFY(reader.isValid());
        const QList<PageContentReader::Word> words = reader.read(0, false).words;
        QVERIFY(words.size() >= 8);
        for (const PageContentReader::Word &word : words)
            QVERIFY2(word.fixedPitch == (word.bbox.top() < 95), qPrintable(word.text));
    }

    // Grey pictures averaged down: each pixel the mean of the area under it,
    // as Qt's smooth scaling gives it through 32-bit colour.
    void greyAveragedDownIsTheAreaMean()
    {
        QImage stripes(4, 2, QImage::Format_Grayscale8);
        const uchar rows[2][4] = {{0, 100, 200, 250}, {50, 150, 210, 230}};
        for (int y = 0; y < 2; ++y)
            std::copy(rows[y], rows[y] + 4, stripes.scanLine(y));
        const QImage half = averagedDown(stripes, QSize(2, 1));
        QCOMPARE(half.size(), QSize(2, 1));
        QCOMPARE(int(half.constScanLine(0)[0]), 75);  // (0 + 100 + 50 + 150) / 4
        QCOMPARE(int(half.constScanLine(0)[1]), 223); // (200 + 250 + 210 + 230) / 4 = 222.5
        // Three columns from four: the middle one covers two thirds of
        // source columns 1 and 2 each.
        const QImage third = averagedDown(stripes, QSize(3, 1));
        QCOMPARE(int(third.constScanLine(0)[1]), 165); // (100 + 150 + 200 + 210) * 2/3 over 4/3 x 2

        const QImage page = Test::textImage({QStringLiteral("Averaged down as Qt would")}, 300, 12);
        const QImage grey = page.convertToFormat(QImage::Format_Grayscale8);
        const QSize small(grey.width() / 3 + 1, grey.height() / 3 + 1);
        const QImage ours = averagedDown(grey, small);
        const QImage qts = grey.scaled(small, Qt::IgnoreAspectRatio, Qt::SmoothTransformation).convertToFormat(QImage::Format_Grayscale8);
        QCOMPARE(ours.size(), small);
        qint64 difference = 0;
        for (int y = 0; y < small.height(); ++y)
            for (int x = 0; x < small.width(); ++x)
                difference += qAbs(int(ours.constScanLine(y)[x]) - int(qts.constScanLine(y)[x]));
        QVERIFY2(difference < qint64(small.width()) * small.height(), qPrintable(QString::number(difference)));

        QVERIFY(averagedDown(grey, grey.size() * 2).isNull()); // never larger
        QVERIFY(averagedDown(page.convertToFormat(QImage::Format_RGB32), small).isNull()); // grey only
    }

    // A scanner's page at 600 ppi, read for OCR at 300 dpi straight from
    // its picture: the pixels Splash draws from it, however the page lays
    // the picture down.
    void scannedPageIsItsPictureAveragedDown_data()
    {
        QTest::addColumn<bool>("turned");
        QTest::addColumn<QByteArray>("placement"); // the cm operator's first four numbers and translation, per W x H
        // grey, bilevel (one bit a pixel), rgb (blue ink on cream) or palette (the same in 16 colours)
        QTest::addColumn<QString>("colours");
        QTest::addColumn<bool>("pngPredictor");
        const QByteArray upright("W 0 0 H 0 0");
        QTest::newRow("upright") << false << upright << QStringLiteral("grey") << false;
        QTest::newRow("upside down") << false << QByteArray("-W 0 0 -H W H") << QStringLiteral("grey") << false;
        QTest::newRow("mirrored") << false << QByteArray("-W 0 0 H W 0") << QStringLiteral("grey") << false;
        QTest::newRow("flipped, as cairo writes scans") << false << QByteArray("W 0 0 -H 0 H") << QStringLiteral("grey") << false;
        QTest::newRow("a quarter turn") << true << QByteArray("0 W -H 0 H 0") << QStringLiteral("grey") << false;
        QTest::newRow("three quarter turns") << true << QByteArray("0 -W H 0 0 W") << QStringLiteral("grey") << false;
        QTest::newRow("colour scan") << false << upright << QStringLiteral("rgb") << false;
        QTest::newRow("palette scan") << false << upright << QStringLiteral("palette") << false;
        QTest::newRow("bilevel scan") << false << upright << QStringLiteral("bilevel") << false;
        QTest::newRow("grey rows behind PNG's filter bytes") << false << upright << QStringLiteral("grey") << true;
        QTest::newRow("bilevel rows behind PNG's filter bytes") << false << upright << QStringLiteral("bilevel") << true;
    }
    void scannedPageIsItsPictureAveragedDown()
    {
        QFETCH(bool, turned);
        QFETCH(QByteArray, placement);
        QFETCH(QString, colours);
        QFETCH(bool, pngPredictor);
        QImage scan = Test::textImage({QStringLiteral("Archive scans come at six hundred dots"),
                                       QStringLiteral("per inch; OCR reads them at three hundred.")},
                                      600, 12);
        if (colours == QLatin1String("bilevel")) {
            scan = scan.convertToFormat(QImage::Format_Mono, Qt::ThresholdDither);
        } else if (colours != QLatin1String("grey")) {
            // Blue ink on cream paper: the grey OCR reads is the colour space's own.
            for (int y = 0; y < scan.height(); ++y) {
                auto *row = reinterpret_cast<QRgb *>(scan.scanLine(y));
                for (int x = 0; x < scan.width(); ++x) {
                    const int ink = 255 - qGray(row[x]);
                    row[x] = qRgb(250 - ink * 220 / 255, 240 - ink * 200 / 255, 220 - ink * 60 / 255);
                }
            }
            if (colours == QLatin1String("palette"))
                scan = scan.convertToFormat(QImage::Format_Indexed8, Qt::ThresholdDither | Qt::AvoidDither);
        }
        const double width = scan.width() * 72.0 / 600, height = scan.height() * 72.0 / 600;
        const QSizeF page = turned ? QSizeF(height, width) : QSizeF(width, height);
        placement.replace("-W", QByteArray::number(-width)).replace("-H", QByteArray::number(-height));
        placement.replace("W", QByteArray::number(width)).replace("H", QByteArray::number(height));
        const QByteArray pdf = Test::imagePagePdf(page, scan, "q " + placement + " cm /Im0 Do Q", pngPredictor);

        const PageContentReader reader(pdf, QString());
        const QImage read = reader.scannedPage(0, 300);
        QVERIFY(!read.isNull());
        const AgainstSplash splash = againstSplash(pdf, read);
        QVERIFY(splash.sameSize);
        QVERIFY(splash.ink > 1000); // the text is there, not a blank page
        // Splash's boxes sit half an output pixel off ours: about one grey
        // level apart on average; the page laid down wrong (mirrored, say)
        // is ten.
        QVERIFY2(splash.meanDifference < 3, qPrintable(QString::number(splash.meanDifference)));
    }

    // A picture with an alpha channel over the whole page (a PNG's, a photo
    // cover's) is read from its picture at any resolution, blended over the
    // paper: the pixels Splash draws from it, to a few grey levels.
    void pictureWithAlphaIsBlendedOverThePaper_data()
    {
        QTest::addColumn<int>("ppi");
        QTest::newRow("200 ppi, enlarged") << 200;
        QTest::newRow("300 ppi") << 300;
        QTest::newRow("600 ppi, averaged down") << 600;
    }
    void pictureWithAlphaIsBlendedOverThePaper()
    {
        QFETCH(int, ppi);
        const QImage text = Test::textImage({QStringLiteral("A cover's title set over its photograph,"),
                                             QStringLiteral("the paper showing where the picture is clear.")},
                                            ppi, 12);
        // Blue ink whose coverage is its alpha, over paper left clear (black
        // under it), and a band across the middle half clear.
        QImage picture(text.size(), QImage::Format_ARGB32);
        for (int y = 0; y < text.height(); ++y) {
            auto *row = reinterpret_cast<QRgb *>(picture.scanLine(y));
            const bool band = y > text.height() * 2 / 5 && y < text.height() * 3 / 5;
            for (int x = 0; x < text.width(); ++x) {
                const int ink = 255 - qGray(text.pixel(x, y));
                row[x] = ink > 0 ? qRgba(20, 40, 160, ink) : band ? qRgba(0, 0, 0, 128) : qRgba(0, 0, 0, 0);
            }
        }
        const QSizeF page(picture.width() * 72.0 / ppi, picture.height() * 72.0 / ppi);
        const QByteArray pdf = Test::imagePagePdf(page, picture, "q " + QByteArray::number(page.width()) + " 0 0 "
                                                      + QByteArray::number(page.height()) + " 0 0 cm /Im0 Do Q");
        QVERIFY(pdf.contains("/SMask"));

        const QImage read = PageContentReader(pdf, QString()).scannedPage(0, 300);
        QVERIFY(!read.isNull());
        const AgainstSplash splash = againstSplash(pdf, read);
        QVERIFY(splash.sameSize);
        QVERIFY(splash.ink > 1000);
        QVERIFY(splash.paper > qint64(read.width()) * read.height() / 2); // clear is paper, not the black under it
        QVERIFY2(splash.meanDifference < 3, qPrintable(QString::number(splash.meanDifference)));
    }

    // Filled text is drawn from the document's own glyph bitmaps, each
    // rasterized once: the same pixels as Splash's own drawing, in grey and
    // in colour, for glyphs small enough to land on quarter pixels, large
    // ones and one too large to keep, turned, clipped (some wholly
    // outside), in colour, stroked or invisible, on a second page that
    // draws the same glyphs again.
    void textIsDrawnAsSplashDrawsIt_data()
    {
        QTest::addColumn<bool>("grey");
        QTest::addColumn<double>("dpi");
        QTest::newRow("grey, 100 dpi") << true << 100.0;
        QTest::newRow("colour, 150 dpi") << false << 150.0;
        QTest::newRow("colour, 37 dpi") << false << 37.0;
    }
    void textIsDrawnAsSplashDrawsIt()
    {
        QFETCH(bool, grey);
        QFETCH(double, dpi);
        QByteArray text;
        const QByteArray line = "(The quick brown fox jumps over the lazy dog 0123456789 AVAWAY) Tj";
        const double sizes[] = {4.3, 7, 10, 10.5, 13.7, 24, 41};
        double y = 560;
        for (int i = 0; i < 7; ++i) {
            const QByteArray font = i % 3 == 0 ? "/F1" : i % 3 == 1 ? "/F2" : "/F3";
            text += "BT " + font + " " + QByteArray::number(sizes[i]) + " Tf "
                + QByteArray::number(20.13 + i * 0.29) + " " + QByteArray::number(y) + " Td " + line + " ET\n";
            y -= sizes[i] * 1.6;
        }
        text += "0.8 0.1 0.2 rg BT /F2 12 Tf 0.9 0.4 -0.4 0.9 60.7 250.3 Tm " + line + " ET\n";
        text += "q 80 150 200 40 re W n 0.1 0.5 0.2 rg BT /F1 22 Tf 30.4 160.2 Td " + line + " ET Q\n";
        text += "BT /F3 9 Tf 1 Tr 30 120 Td " + line + " 3 Tr 0 -12 Td " + line + " 0 Tr 0 -12 Td " + line + " ET\n";
        // A letter a page tall: at 150 dpi its glyph is more than is kept.
        text += "0.6 0.6 0.9 rg BT /F1 700 Tf 15.3 20.6 Td (W) Tj 0.4 0.3 Td (W) Tj ET\n";
        const QByteArray contents[] = {text, "1 0 0 1 0.37 -0.61 cm\n" + text};
        const QByteArray pdf = Test::pdfFromObjects(
            {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 600] /Contents 4 0 R /Resources 7 0 R >>",
             Test::pdfStream(contents[0]),
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 420 600] /Contents 6 0 R /Resources 7 0 R >>",
             Test::pdfStream(contents[1]),
             "<< /Font << /F1 8 0 R /F2 9 0 R /F3 10 0 R >> >>",
             "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
             "<< /Type /Font /Subtype /Type1 /BaseFont /Times-Italic >>",
             "<< /Type /Font /Subtype /Type1 /BaseFont /Courier-Bold >>"});
        PageContentReader reader(pdf, QString());
        for (int page = 0; page < 2; ++page) {
            const QImage ours = reader.render(page, grey ? RasterColour::Grey : RasterColour::Rgb, dpi);
            const QImage theirs = splashRender(pdf, page, dpi, grey);
            QCOMPARE(ours.size(), theirs.size());
            const PixelCounts counts = comparePixels(ours, theirs, 128);
            QVERIFY2(counts.inked > (dpi < 50 ? 300 : 3000), qPrintable(QString::number(counts.inked))); // drawn
            QCOMPARE(counts.differing, 0);
        }
    }

    // A large image mask (a scanned drawing set as a stencil) is read by the
    // page's rasterizer a packed row at a time: the same pixels as Splash's
    // own reading, whichever way its bits paint, drawn upright or flipped,
    // and where its data stops short.
    void largeImageMaskIsDrawnAsSplashDrawsIt_data()
    {
        QTest::addColumn<QByteArray>("decode");
        QTest::addColumn<int>("rowsGiven");
        QTest::addColumn<QByteArray>("groupFour"); // CCITT parameters, or raw rows
        QTest::newRow("0 paints") << QByteArray() << 1200 << QByteArray();
        QTest::newRow("1 paints") << QByteArray("/Decode [1 0]") << 1200 << QByteArray();
        QTest::newRow("stops short") << QByteArray() << 700 << QByteArray();
        // Group 4 data, decoded by libtiff; cut short, read by Poppler.
        QTest::newRow("group 4") << QByteArray() << 1200 << QByteArray("/K -1 /Columns 1603 /Rows 1200");
        QTest::newRow("group 4, black is 1") << QByteArray() << 1200
                                             << QByteArray("/K -1 /Columns 1603 /Rows 1200 /BlackIs1 true");
        QTest::newRow("group 4, stops short") << QByteArray() << 700 << QByteArray("/K -1 /Columns 1603 /Rows 1200");
    }
    void largeImageMaskIsDrawnAsSplashDrawsIt()
    {
        QFETCH(QByteArray, decode);
        QFETCH(int, rowsGiven);
        QFETCH(QByteArray, groupFour);
        const int width = 1603, height = 1200; // rows end mid-byte
        QByteArray bits = Test::checkeredMaskBits(width, rowsGiven);
        if (!groupFour.isEmpty()) {
            bits = Test::ccittGroupFour(bits, width, rowsGiven);
            decode += " /Filter /CCITTFaxDecode /DecodeParms << " + groupFour + " >>";
        }
        const QByteArray mask = "<< /Type /XObject /Subtype /Image /ImageMask true /Width " + QByteArray::number(width)
            + " /Height " + QByteArray::number(height) + " " + decode + " /Length " + QByteArray::number(bits.size())
            + " >>\nstream\n" + bits + "\nendstream";
        const QByteArray pdf = Test::pdfFromObjects(
            {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 500] /Contents 4 0 R"
             " /Resources << /XObject << /Im 5 0 R >> >> >>",
             Test::pdfStream("0.2 0.4 0.8 rg q 301.3 0 0 220.7 40.2 30.1 cm /Im Do Q"
                             " q 250 0 0 -180 60 470 cm /Im Do Q"),
             mask});
        const QImage ours = PageContentReader(pdf, QString()).render(0, RasterColour::Rgb, 150);
        const QImage theirs = splashRender(pdf, 0, 150, false);
        QCOMPARE(ours.size(), theirs.size());
        const PixelCounts counts = comparePixels(ours, theirs, 200);
        QVERIFY(counts.inked > 20000); // the mask is drawn, not skipped
        QCOMPARE(counts.differing, 0);
    }

    // Flate pictures of one or eight bits a sample are inflated by zlib, the
    // rest (here: behind PNG's row filters) by Poppler: both read alike, to
    // the grey level.
    void scannedPageReadsAlikeWhoeverInflatesIt_data()
    {
        QTest::addColumn<QImage::Format>("format");
        QTest::newRow("grey") << QImage::Format_Grayscale8;
        QTest::newRow("bilevel") << QImage::Format_Mono;
    }
    void scannedPageReadsAlikeWhoeverInflatesIt()
    {
        QFETCH(QImage::Format, format);
        const QImage scan = Test::textImage({QStringLiteral("Inflated by zlib or by Poppler,"),
                                             QStringLiteral("the page reads the same.")},
                                            600, 12)
                                .convertToFormat(format, Qt::ThresholdDither);
        const QSizeF page(scan.width() * 72.0 / 600, scan.height() * 72.0 / 600);
        const QByteArray content = "q " + QByteArray::number(page.width()) + " 0 0 " + QByteArray::number(page.height())
            + " 0 0 cm /Im0 Do Q";
        const QImage byZlib = PageContentReader(Test::imagePagePdf(page, scan, content), QString()).scannedPage(0, 300);
        const QImage byPoppler
            = PageContentReader(Test::imagePagePdf(page, scan, content, true), QString()).scannedPage(0, 300);
        QVERIFY(!byZlib.isNull());
        QCOMPARE(byZlib, byPoppler);
    }

    // A picture whose Flate data breaks off in the middle (bytes garbled in
    // transit) reads as far as it goes, then as paper: the page's size, no
    // crash, whoever inflates it.
    void brokenFlatePictureReadsAsFarAsItGoes_data()
    {
        QTest::addColumn<bool>("pngPredictor");
        QTest::newRow("zlib") << false;
        QTest::newRow("Poppler") << true;
    }
    void brokenFlatePictureReadsAsFarAsItGoes()
    {
        QFETCH(bool, pngPredictor);
        const QImage scan = Test::textImage({QStringLiteral("The first line arrives whole,"), QStringLiteral("the rest of the page is lost.")},
                                            600, 12)
                                .convertToFormat(QImage::Format_Grayscale8);
        const QSizeF page(scan.width() * 72.0 / 600, scan.height() * 72.0 / 600);
        const QByteArray content = "q " + QByteArray::number(page.width()) + " 0 0 " + QByteArray::number(page.height())
            + " 0 0 cm /Im0 Do Q";
        const QByteArray whole = Test::imagePagePdf(page, scan, content, pngPredictor);
        QByteArray broken = whole;
        const qsizetype data = broken.indexOf("stream\n", broken.indexOf("/Subtype /Image")) + 7;
        const qsizetype end = broken.indexOf("\nendstream", data);
        QVERIFY(data > 7 && end > data + 100);
        for (qsizetype i = data + (end - data) / 2; i < end; ++i)
            broken[i] = char(0xa5 ^ (i * 31));
        const QImage clean = PageContentReader(whole, QString()).scannedPage(0, 300);
        const QImage read = PageContentReader(broken, QString()).scannedPage(0, 300);
        QVERIFY(!clean.isNull() && !read.isNull());
        QCOMPARE(read.size(), clean.size());
        QCOMPARE(read.copy(0, 0, read.width(), 4), clean.copy(0, 0, clean.width(), 4));
        const uchar *last = read.constScanLine(read.height() - 1);
        QVERIFY(std::all_of(last, last + read.width(), [](uchar grey) { return grey == 255; }));
    }

    // Anything else on the page, or a picture not much finer than the
    // output, is rendered instead.
    void pagesBesidesScansAreRendered_data()
    {
        QTest::addColumn<double>("ppi");
        QTest::addColumn<QByteArray>("content");
        const QByteArray image = "q 576 0 0 144 0 0 cm /Im0 Do Q";
        QTest::newRow("a rule drawn beside") << 600.0 << image + " 0 0 m 500 10 l S";
        QTest::newRow("visible text beside") << 600.0 << image + " BT /F1 12 Tf 10 10 Td (Stamp) Tj ET";
        QTest::newRow("on half the page") << 600.0 << QByteArray("q 288 0 0 144 0 0 cm /Im0 Do Q");
        QTest::newRow("skewed") << 600.0 << QByteArray("q 575.9 5 -1.25 143.9 1 0 cm /Im0 Do Q");
        QTest::newRow("300 ppi") << 300.0 << image;
        QTest::newRow("clipped to a corner") << 600.0 << "0 0 100 100 re W n " + image;
        QTest::newRow("a stencil mask") << 600.0
                                        << QByteArray("q 576 0 0 144 0 0 cm BI /W 8 /H 2 /IM true /BPC 1 ID \xff\x00 EI Q");
    }
    void pagesBesidesScansAreRendered()
    {
        QFETCH(double, ppi);
        QFETCH(QByteArray, content);
        const QImage scan = Test::textImage({QStringLiteral("Not a scanner's page")}, int(ppi), 12);
        QImage page = scan.copy(0, 0, int(8 * ppi), int(2 * ppi)); // 576 x 144 points
        const QByteArray pdf = Test::imagePagePdf(QSizeF(576, 144), page, content);
        const PageContentReader reader(pdf, QString());
        QVERIFY(reader.isValid());
        QVERIFY(reader.scannedPage(0, 300).isNull());
    }

    void wordsAreTheTextListOfPopplerCpp_data()
    {
        QTest::addColumn<QByteArray>("pdf");
        QTest::newRow("rich document") << Test::richDocumentPdf(3);
        // Drawn turned against its /Rotate: upright as the page is shown.
        QTest::newRow("rotated page") << Test::rawPdf(QSizeF(612, 792), "BT /F1 12 Tf 0 1 -1 0 300 100 Tm (Turned words here) Tj ET", 1,
                                                        "/Rotate 90");
        const ParseResult office = Test::parseDocument(Test::richDocumentDocx(), QStringLiteral("report.docx"));
        QTest::newRow("typeset office document") << (office ? office->pdfData : QByteArray());
    }
    void wordsAreTheTextListOfPopplerCpp()
    {
        QFETCH(QByteArray, pdf);
        QVERIFY(!pdf.isEmpty());
        const PageContentReader reader(pdf, QString());
        QVERIFY(reader.isValid());
        std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
        QVERIFY(document);
        int compared = 0;
        for (int index = 0; index < document->pages(); ++index) {
            std::unique_ptr<poppler::page> page(document->create_page(index));
            const std::vector<poppler::text_box> expected = page->text_list(poppler::page::text_list_include_font);
            const QList<PageContentReader::Word> words = reader.read(index, false).words;
            // Reading the paint too hands images and patterns to the reader: the words stay the same.
            const QList<PageContentReader::Word> withPaint = reader.read(index, true).words;
            QCOMPARE(withPaint.size(), words.size());
            for (qsizetype i = 0; i < words.size(); ++i)
                QVERIFY(withPaint[i].text == words[i].text && withPaint[i].bbox == words[i].bbox
                        && withPaint[i].fontName == words[i].fontName);
            QCOMPARE(words.size(), qsizetype(expected.size()));
            for (size_t i = 0; i < expected.size(); ++i) {
                const PageContentReader::Word &word = words[qsizetype(i)];
                const poppler::byte_array utf8 = expected[i].text().to_utf8();
                QCOMPARE(word.text, QString::fromUtf8(utf8.data(), qsizetype(utf8.size())));
                const poppler::rectf box = expected[i].bbox();
                QCOMPARE(word.bbox, QRectF(box.x(), box.y(), box.width(), box.height()));
                QCOMPARE(word.fontSize, expected[i].get_font_size());
                QCOMPARE(word.fontName, QByteArray::fromStdString(expected[i].get_font_name()));
                ++compared;
            }
        }
        QVERIFY(compared >= 3);
    }

    // The reader renders through Poppler's core, from the document it reads
    // the words from; its pixels are poppler-cpp's page_renderer's: grey and
    // colour, whole pages and a slice, turned, over pages drawing text,
    // rules and a picture, twice over.
    void rendersAreThoseOfPopplerCpp()
    {
        QImage picture(120, 80, QImage::Format_RGB32);
        for (int y = 0; y < picture.height(); ++y)
            for (int x = 0; x < picture.width(); ++x)
                picture.setPixel(x, y, qRgb(2 * x, 3 * y, 255 - 2 * x));
        QByteArray pdf = Test::paintedPdf([&picture](QPainter &painter, QPdfWriter &writer) {
            for (int page = 1; page <= 2; ++page) {
                if (page > 1)
                    writer.newPage();
                painter.drawImage(QRectF(300, 650, 180, 120), picture);
                Test::paintTableWithTurnedHeadings(painter, 60 + 20 * page);
            }
        });
        const PageContentReader reader(pdf, QString());
        std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
        QVERIFY(reader.isValid() && document);
        poppler::page_renderer grey, colour;
        for (poppler::page_renderer *renderer : {&grey, &colour}) {
            renderer->set_render_hint(poppler::page_renderer::antialiasing, true);
            renderer->set_render_hint(poppler::page_renderer::text_antialiasing, true);
        }
        grey.set_image_format(poppler::image::format_gray8);
        const auto expected = [](const poppler::image &image, QImage::Format format) {
            return QImage(reinterpret_cast<const uchar *>(image.const_data()), image.width(), image.height(),
                          image.bytes_per_row(), format).copy();
        };
        for (int round = 0; round < 2; ++round)
            for (int index = 0; index < 2; ++index) {
                std::unique_ptr<poppler::page> page(document->create_page(index));
                QCOMPARE(reader.render(index, RasterColour::Grey, 100),
                         expected(grey.render_page(page.get(), 100, 100), QImage::Format_Grayscale8));
                QCOMPARE(reader.render(index, RasterColour::Rgb, 144, 1),
                         expected(colour.render_page(page.get(), 144, 144, -1, -1, -1, -1, poppler::rotate_90),
                                  QImage::Format_ARGB32));
                QCOMPARE(reader.render(index, RasterColour::Rgb, 144, 0, QRect(500, 1200, 400, 300)),
                         expected(colour.render_page(page.get(), 144, 144, 500, 1200, 400, 300), QImage::Format_ARGB32));
            }
        QVERIFY(reader.render(2, RasterColour::Grey, 100).isNull()); // no such page
        const poppler::rectf crop = std::unique_ptr<poppler::page>(document->create_page(0))->page_rect();
        QCOMPARE(reader.shownSize(0), QSizeF(crop.width(), crop.height()));
        QCOMPARE(reader.shownSize(0, 1), QSizeF(crop.height(), crop.width()));
        QVERIFY(reader.shownSize(2).isEmpty());
    }

    // A page shown turned (/Rotate 90 over level drawing) reads sideways:
    // its run of words comes as one, and the turn that sets it upright is
    // told; read with that turn, its words are level again.
    void sidewaysTextTellsItsTurn()
    {
        const QByteArray pdf
            = Test::rawPdf(QSizeF(612, 792), "BT /F1 12 Tf 72 700 Td (Turned words here) Tj ET", 1, "/Rotate 90");
        const PageContentReader reader(pdf, QString());
        const PageContentReader::PageContent shown = reader.read(0, false);
        QCOMPARE(shown.turnToUpright, 3);
        QCOMPARE(shown.words.size(), 1);
        QCOMPARE(shown.words.first().text, QStringLiteral("Turned words here"));
        QVERIFY(shown.words.first().bbox.height() > 4 * shown.words.first().bbox.width());
        const PageContentReader::PageContent upright = reader.read(0, false, shown.turnToUpright);
        QCOMPARE(upright.turnToUpright, 0);
        QStringList words;
        for (const PageContentReader::Word &word : upright.words) {
            words << word.text;
            QVERIFY(word.bbox.width() > word.bbox.height());
            QVERIFY2(qAbs(word.bbox.bottom() - 96) < 6, qPrintable(QString::number(word.bbox.bottom()))); // 792 - 700 under the baseline
        }
        QCOMPARE(words, (QStringList{QStringLiteral("Turned"), QStringLiteral("words"), QStringLiteral("here")}));
    }

    void paintProbeSeesPaintButNotText()
    {
        QFETCH(QByteArray, content);
        QFETCH(QList<QRectF>, expected);
        const QByteArray pdf = Test::rawPdf(QSizeF(612, 792), content);
        const PageContentReader probe(pdf, QString());
        QVERIFY(probe.isValid());
        const PageContentReader::PagePaint paint = probe.read(0, true).paint;
        QCOMPARE(paint.size, QSizeF(612, 792));
        QCOMPARE(paint.boxes.size(), expected.size());
        const bool pictures = QByteArray(QTest::currentDataTag()).contains("image");
        QCOMPARE(paint.images, pictures ? paint.boxes : QList<QRectF>{});
        for (qsizetype i = 0; i < expected.size(); ++i) {
            const QRectF &box = paint.boxes[i];
            QVERIFY2(qAbs(box.left() - expected[i].left()) < 1.5 && qAbs(box.top() - expected[i].top()) < 1.5
                         && qAbs(box.right() - expected[i].right()) < 1.5
                         && qAbs(box.bottom() - expected[i].bottom()) < 1.5,
                     qPrintable(QStringLiteral("box %1,%2 %3x%4").arg(box.x()).arg(box.y()).arg(box.width()).arg(box.height())));
        }
        QVERIFY(probe.read(1, true).paint.boxes.isEmpty()); // no such page
    }
    // The probe's boxes and the text layer's words share one coordinate
    // system, also on a turned page with its crop box off the origin: a
    // fill laid under a word covers that word. On the turned pages the word
    // is drawn turned against the page's /Rotate, so that it reads upright.
    void paintProbeMatchesTheWords_data()
    {
        QTest::addColumn<QByteArray>("pageKeys");
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QSizeF>("size");
        const QByteArray level = "0.8 g 90 592 140 24 re f BT 0 g /F1 12 Tf 100 600 Td (Marker) Tj ET";
        QTest::newRow("plain") << QByteArray() << level << QSizeF(612, 792);
        QTest::newRow("cropped") << QByteArray("/CropBox [50 60 562 742]") << level << QSizeF(512, 682);
        QTest::newRow("turned 90") << QByteArray("/CropBox [50 60 562 742] /Rotate 90")
                                   << QByteArray("0.8 g 92 590 24 140 re f BT 0 g /F1 12 Tf 0 1 -1 0 110 600 Tm (Marker) Tj ET")
                                   << QSizeF(682, 512);
        QTest::newRow("turned 270") << QByteArray("/Rotate 270")
                                    << QByteArray("0.8 g 94 560 24 150 re f BT 0 g /F1 12 Tf 0 -1 1 0 100 700 Tm (Marker) Tj ET")
                                    << QSizeF(792, 612);
    }
    void paintProbeMatchesTheWords()
    {
        QFETCH(QByteArray, pageKeys);
        QFETCH(QByteArray, content);
        QFETCH(QSizeF, size);
        const QByteArray pdf = Test::rawPdf(QSizeF(612, 792), content, 1, pageKeys);
        const PdfReadResult read = PdfTextReader().read(pdf, ParserParams(), ParseControl());
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        QCOMPARE(read->pages.size(), 1);
        const PageLayout &page = read->pages.first();
        QCOMPARE(page.size, size);
        QCOMPARE(page.lines.size(), 1);
        const QRectF word = page.lines.first().bbox;
        QVERIFY2(QRectF(QPointF(0, 0), size).contains(word), qPrintable(QStringLiteral("%1,%2").arg(word.x()).arg(word.y())));

        const PageContentReader::PagePaint paint = PageContentReader(pdf, QString()).read(0, true).paint;
        QCOMPARE(paint.size, size);
        QCOMPARE(paint.boxes.size(), 1);
        QVERIFY2(paint.boxes.first().contains(word.center()),
                 qPrintable(QStringLiteral("fill %1,%2 %3x%4, word centre %5,%6")
                                .arg(paint.boxes.first().x()).arg(paint.boxes.first().y())
                                .arg(paint.boxes.first().width()).arg(paint.boxes.first().height())
                                .arg(word.center().x()).arg(word.center().y())));
    }

    // Past a cap on the pieces a page draws the probe stops listing them and
    // calls the page painted: a hostile page of countless rectangles costs a
    // render, not hours of laying out boxes.
    void paintProbeCapsHostilePages()
    {
        QByteArray content = "0 g ";
        for (int i = 0; i < 5000; ++i)
            content += "10 10 500 700 re ";
        content += "f";
        const PageContentReader::PagePaint paint = PageContentReader(Test::rawPdf(QSizeF(612, 792), content), QString()).read(0, true).paint;
        QVERIFY(paint.saturated);
        QVERIFY(paint.boxes.size() < 5000);
        QVERIFY(!PageContentReader(Test::rawPdf(QSizeF(612, 792), "0 g 10 10 50 50 re f"), QString()).read(0, true).paint.saturated);
    }

    void paintProbeOnDamagedInput()
    {
        const PageContentReader probe(QByteArray("%PDF-1.7 not really"), QString());
        QVERIFY(!probe.isValid());
        QVERIFY(probe.read(0, true).paint.boxes.isEmpty());
    }

    void ruledTableBecomesGfmTable()
    {
        const ParseResult result = parsePdf(fruitPdf());
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QString table = QStringLiteral("| Fruit | Colour | Origin | Price |\n"
                                             "| --- | --- | --- | --- |\n"
                                             "| apple | red | Normandy | 1.20 |\n"
                                             "| banana | yellow | Ecuador | 0.95 |\n");
        QVERIFY2(md.contains(table), qPrintable(md));
        // In reading order, and each word once: inside the table only.
        QVERIFY2(md.indexOf(QStringLiteral("listed below.")) < md.indexOf(table), qPrintable(md));
        QVERIFY2(md.indexOf(table) < md.indexOf(QStringLiteral("usual sales tax")), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("Normandy")), 1);
        // No figure; the table's picture for consumers that show one.
        QCOMPARE(result->images.keys(), QStringList{QStringLiteral("images/1_table_1.png")});

        const QJsonObject page = firstPage(result);
        const QJsonArray tables = blocksOfType(page, QStringLiteral("table"));
        QCOMPARE(tables.size(), 1);
        QCOMPARE(page.value(QStringLiteral("tables")).toArray().size(), 1);
        const QJsonObject table0 = tables.at(0).toObject();
        QCOMPARE(table0.value(QStringLiteral("blocks")).toArray().at(0).toObject().value(QStringLiteral("type")).toString(),
                 QStringLiteral("table_body"));
        const QJsonObject span = bodySpan(table0);
        QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("table"));
        const QString html = span.value(QStringLiteral("html")).toString();
        QVERIFY2(html.startsWith(QStringLiteral("<table><tr><td>Fruit</td><td>Colour</td>")), qPrintable(html));
        QVERIFY2(html.contains(QStringLiteral("<tr><td>banana</td><td>yellow</td><td>Ecuador</td><td>0.95</td></tr>")),
                 qPrintable(html));
        QCOMPARE(html.count(QStringLiteral("<tr>")), 3);
        // The table's box is the drawn grid: 440 x 72 points.
        const QJsonArray bbox = table0.value(QStringLiteral("bbox")).toArray();
        const QByteArray box = QJsonDocument(bbox).toJson(QJsonDocument::Compact);
        QVERIFY2(qAbs(bbox.at(2).toDouble() - bbox.at(0).toDouble() - 440) < 3, box.constData());
        QVERIFY2(qAbs(bbox.at(3).toDouble() - bbox.at(1).toDouble() - 72) < 3, box.constData());
        // Its picture: the grid at 144 dpi with a little margin.
        QCOMPARE(span.value(QStringLiteral("image_path")).toString(), QStringLiteral("1_table_1.png"));
        const QImage picture = QImage::fromData(result->images.value(QStringLiteral("images/1_table_1.png")), "PNG");
        QVERIFY2(qAbs(picture.width() - 444 * 2) < 8 && qAbs(picture.height() - 76 * 2) < 8,
                 qPrintable(QStringLiteral("%1x%2").arg(picture.width()).arg(picture.height())));
    }

    // A header row set in white on a coloured band, with thin white lines
    // between its cells and no rules of its own, over a ruled body (Korean
    // and many corporate reports): the band is the table's first row.
    void headerRowOnColouredBand()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            Test::paintTableUnderColouredHeader(painter, 126);
            // A banner of white prose on a dark band under it: no table.
            painter.fillRect(QRectF(60, 300, 330, 60), QColor(30, 30, 60));
            painter.setPen(Qt::white);
            painter.drawText(QPointF(70, 320), QStringLiteral("Experts from every region write these reports"));
            painter.drawText(QPointF(70, 340), QStringLiteral("from realistic scenarios, tested in the field."));
        });
        const ParseResult result = parsePdf(pdf);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("| Region | Before | After |\n| --- | --- | --- |\n"
                                            "| north | 12 sites | 15 sites |\n| south | 7 sites | 9 sites |\n")),
                 qPrintable(md));
        QCOMPARE(blocksOfType(firstPage(result), QStringLiteral("table")).size(), 1);
        QVERIFY2(md.contains(QStringLiteral("Experts from every region write these reports from realistic scenarios")),
                 qPrintable(md));
    }

    void mergedCellSpansColumns()
    {
        const QList<QStringList> rows = {
            {QStringLiteral("Item"), QStringLiteral("Count"), QStringLiteral("Cost")},
            {QStringLiteral("bolts"), QStringLiteral("40"), QStringLiteral("12")},
            {QStringLiteral("Total"), QString(), QStringLiteral("42")},
        };
        const ParseResult result = parsePdf(Test::paintedPdf([&rows](QPainter &painter) { drawTable(painter, rows); }));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("| Item | Count | Cost |\n| --- | --- | --- |\n| bolts | 40 | 12 |\n"
                                            "| Total | Total | 42 |\n")),
                 qPrintable(md));
        const QString html = bodySpan(blocksOfType(firstPage(result), QStringLiteral("table")).at(0).toObject())
                                 .value(QStringLiteral("html")).toString();
        QVERIFY2(html.contains(QStringLiteral("<tr><td colspan=\"2\">Total</td><td>42</td></tr>")), qPrintable(html));
    }

    void tableEnableFalseKeepsText()
    {
        ParserParams params;
        params.tableEnable = false;
        const ParseResult result = parsePdf(fruitPdf(), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("| --- |")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Normandy")) && md.contains(QStringLiteral("banana")), qPrintable(md));
        QVERIFY(blocksOfType(firstPage(result), QStringLiteral("table")).isEmpty());
        // Rules alone are no figure either.
        QVERIFY(result->images.isEmpty());
    }

    void chartBecomesFigureWithCaption()
    {
        const ParseResult result = parsePdf(chartPdf());
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->images.keys(), QStringList{QStringLiteral("images/1_1.png")});
        const QImage image = QImage::fromData(result->images.value(QStringLiteral("images/1_1.png")), "PNG");
        QVERIFY(!image.hasAlphaChannel()); // a render of paper: opaque
        QVERIFY(!image.isNull());
        // 300 x 180 points of chart at 150 dpi, give or take the margins.
        QVERIFY2(image.width() > 560 && image.width() < 700, qPrintable(QString::number(image.width())));
        QVERIFY2(image.height() > 330 && image.height() < 420, qPrintable(QString::number(image.height())));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("every region during the year.\n\n![](images/1_1.png)\n\n"
                                            "Figure 1: Sales by region.\n\nThe north led")),
                 qPrintable(md));
        // The axis labels belong to the picture.
        QVERIFY2(!md.contains(QStringLiteral("R2")), qPrintable(md));

        const QJsonObject page = firstPage(result);
        const QJsonArray images = blocksOfType(page, QStringLiteral("image"));
        QCOMPARE(images.size(), 1);
        QCOMPARE(page.value(QStringLiteral("images")).toArray().size(), 1);
        const QJsonObject figure = images.at(0).toObject();
        QCOMPARE(bodySpan(figure).value(QStringLiteral("image_path")).toString(), QStringLiteral("1_1.png"));
        const QJsonObject caption = figure.value(QStringLiteral("blocks")).toArray().at(1).toObject();
        QCOMPARE(caption.value(QStringLiteral("type")).toString(), QStringLiteral("image_caption"));
        QCOMPARE(caption.value(QStringLiteral("merged_text")).toString(), QStringLiteral("Figure 1: Sales by region."));
    }

    // A crop with no colour in it (a photo printed in grey, a formula) is
    // written in grey: the same pixels in a third of the bytes. One with
    // colour keeps it, and a deeper grey is not cut to eight bits.
    void greyCropsAreWrittenInGrey()
    {
        QImage grey(200, 100, QImage::Format_RGB32);
        grey.fill(Qt::white);
        {
            QPainter painter(&grey);
            painter.setRenderHint(QPainter::Antialiasing);
            painter.setPen(QPen(QColor(90, 90, 90), 3));
            painter.drawEllipse(20, 10, 160, 80);
            painter.fillRect(QRectF(70, 40, 60, 20), QColor(170, 170, 170));
        }
        QVERIFY(grey.allGray());
        const QByteArray greyPng = toPng(grey);
        const QImage readGrey = QImage::fromData(greyPng, "PNG");
        QCOMPARE(readGrey.format(), QImage::Format_Grayscale8);
        QCOMPARE(readGrey.convertToFormat(QImage::Format_RGB32), grey);

        QImage colour = grey;
        colour.setPixelColor(100, 50, QColor(200, 60, 60));
        const QByteArray colourPng = toPng(colour);
        const QImage readColour = QImage::fromData(colourPng, "PNG");
        QVERIFY(!readColour.isGrayscale());
        QCOMPARE(readColour.convertToFormat(QImage::Format_RGB32), colour);
        QVERIFY2(greyPng.size() < colourPng.size(),
                 qPrintable(QStringLiteral("%1 vs %2 bytes").arg(greyPng.size()).arg(colourPng.size())));

        QImage deep(64, 64, QImage::Format_Grayscale16);
        for (int y = 0; y < deep.height(); ++y)
            for (int x = 0; x < deep.width(); ++x)
                reinterpret_cast<quint16 *>(deep.scanLine(y))[x] = quint16(x * 1000 + y);
        QCOMPARE(QImage::fromData(toPng(deep), "PNG").convertToFormat(QImage::Format_Grayscale16), deep);
    }

    void figureEnableFalseKeepsTextOnly()
    {
        ParserParams params;
        params.figureEnable = false;
        const ParseResult result = parsePdf(chartPdf(), params);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY(result->images.isEmpty());
        QVERIFY(blocksOfType(firstPage(result), QStringLiteral("image")).isEmpty());
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QStringLiteral("![](")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Figure 1: Sales by region.")) && md.contains(QStringLiteral("The north led")),
                 qPrintable(md));
    }

    void shadedTextBoxStaysText()
    {
        // Words set on a filled shape (slides, call-outs) are text, not a picture.
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.fillRect(QRectF(60, 80, 460, 90), QColor(110, 160, 210));
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 16));
            painter.drawText(QPointF(72, 110), QStringLiteral("Migration Routes"));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 220), QStringLiteral("Most birds leave the wetlands in late autumn."));
        });
        const ParseResult result = parsePdf(pdf);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY(result->images.isEmpty());
        QVERIFY2(result->markdown().startsWith(QStringLiteral("# Migration Routes\n\nMost birds leave")),
                 qPrintable(result->markdown()));
    }

    void unruledTableFromAlignedColumns_data()
    {
        QTest::addColumn<bool>("shaded");
        QTest::newRow("white") << false;
        QTest::newRow("shaded rows") << true;
    }

    void unruledTableFromAlignedColumns()
    {
        QFETCH(bool, shaded);
        const ParseResult result = parsePdf(unruledStockPdf(shaded));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QString table = QStringLiteral("| Part | Count | Price |\n"
                                             "| --- | --- | --- |\n"
                                             "| hex bolts | 40 | 1.20 |\n"
                                             "| washers | 250 | 0.05 |\n"
                                             "| wing nuts | 12 | 0.80 |\n"
                                             "| rivets | 1000 | 0.02 |\n");
        QVERIFY2(md.contains(table), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Monday morning.")) < md.indexOf(table), qPrintable(md));
        QVERIFY2(md.indexOf(table) < md.indexOf(QStringLiteral("usual sales tax")), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("washers")), 1);
        QVERIFY(figureImages(result).isEmpty()); // the grey bands are no picture
        const QJsonArray tables = blocksOfType(firstPage(result), QStringLiteral("table"));
        QCOMPARE(tables.size(), 1);
        const QString html = bodySpan(tables.at(0).toObject()).value(QStringLiteral("html")).toString();
        QVERIFY2(html.contains(QStringLiteral("<tr><td>wing nuts</td><td>12</td><td>0.80</td></tr>")), qPrintable(html));

        ParserParams params;
        params.tableEnable = false;
        const QString plain = parsePdf(unruledStockPdf(), params)->markdown();
        QVERIFY2(!plain.contains(QStringLiteral("| --- |")) && plain.contains(QStringLiteral("wing nuts")), qPrintable(plain));
    }

    void wrappedCellJoinsItsRow()
    {
        // Rows 22 points apart; one cell runs onto a second line 12 points down.
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
            const QList<QStringList> rows = {
                {QStringLiteral("Part"), QStringLiteral("Use"), QStringLiteral("Price")},
                {QStringLiteral("hex bolts"), QStringLiteral("frames"), QStringLiteral("1.20")},
                {QStringLiteral("washers"), QStringLiteral("spacing under"), QStringLiteral("0.05")},
                {QStringLiteral("wing nuts"), QStringLiteral("hand tightening"), QStringLiteral("0.80")},
                {QStringLiteral("rivets"), QStringLiteral("sheet metal"), QStringLiteral("0.02")},
            };
            double y = 140;
            for (const QStringList &row : rows) {
                for (int c = 0; c < row.size(); ++c)
                    painter.drawText(QPointF(60 + 150 * c, y), row[c]);
                if (row.first() == QStringLiteral("washers")) {
                    y += 12;
                    painter.drawText(QPointF(210, y), QStringLiteral("nut heads"));
                }
                y += 22;
            }
        });
        const ParseResult result = parsePdf(pdf);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QStringLiteral("| Part | Use | Price |\n| --- | --- | --- |\n| hex bolts | frames | 1.20 |\n"
                                            "| washers | spacing under nut heads | 0.05 |\n"
                                            "| wing nuts | hand tightening | 0.80 |\n")),
                 qPrintable(md));
    }

    void twoColumnProseIsNoTable()
    {
        // Two columns of running text share a gutter on every line, as a
        // table's columns do; their cells would be whole lines of prose.
        const QStringList left = {
            QStringLiteral("The river rises in the hills above"), QStringLiteral("the old mill and runs south past"),
            QStringLiteral("the village, where it turns a wheel"), QStringLiteral("that ground flour for two hundred"),
            QStringLiteral("years before the mill was closed in"), QStringLiteral("the spring of the flood year."),
        };
        const QStringList right = {
            QStringLiteral("Below the village the valley opens"), QStringLiteral("into meadows that flood in winter"),
            QStringLiteral("and dry into hay fields by summer,"), QStringLiteral("when the cattle come down from the"),
            QStringLiteral("high pastures to graze along the"), QStringLiteral("banks until the first frost."),
        };
        const QByteArray pdf = Test::paintedPdf([&](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int i = 0; i < left.size(); ++i) {
                painter.drawText(QPointF(60, 100 + 14 * i), left[i]);
                painter.drawText(QPointF(320, 100 + 14 * i), right[i]);
            }
        });
        const ParseResult result = parsePdf(pdf);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(!md.contains(QLatin1Char('|')), qPrintable(md));
        QVERIFY(blocksOfType(firstPage(result), QStringLiteral("table")).isEmpty());
        QVERIFY2(md.contains(QStringLiteral("turns a wheel")) && md.contains(QStringLiteral("first frost")), qPrintable(md));
    }

    void numberedListingIsNoTable()
    {
        // Line numbers beside code line up like a column of figures.
        const QStringList code = {
            QStringLiteral("for (var i = 2; i < 100; ++i) {"), QStringLiteral("if (!primes[i])"),
            QStringLiteral("continue;"), QStringLiteral("for (var k = i + i; k < 100; k += i)"),
            QStringLiteral("primes[k] = false;"), QStringLiteral("}"),
        };
        const QByteArray pdf = Test::paintedPdf([&code](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 9));
            for (int i = 0; i < code.size(); ++i) {
                painter.drawText(QPointF(60, 120 + 12 * i), QString::number(i + 1));
                painter.drawText(QPointF(90 + (i % 3) * 12, 120 + 12 * i), code[i]);
            }
        });
        const ParseResult result = parsePdf(pdf);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(!result->markdown().contains(QStringLiteral("| --- |")), qPrintable(result->markdown()));
        QVERIFY2(result->markdown().contains(QStringLiteral("primes[k] = false;")), qPrintable(result->markdown()));
    }

    void scannedRuledTableIsRead_data()
    {
        QTest::addColumn<bool>("imageOnlyPdf");
        QTest::newRow("png") << false;
        QTest::newRow("image-only pdf") << true;
    }

    void scannedRuledTableIsRead()
    {
        QFETCH(bool, imageOnlyPdf);
        const QImage scan = scannedTable(kFruit);
        const ParseResult result = imageOnlyPdf
            ? parsePdf(Test::paintedPdf([&scan](QPainter &painter) { painter.drawImage(QRectF(0, 0, 595, 420), scan); }))
            : Test::parseDocument(Test::encodeImage(scan, "PNG"), QStringLiteral("scan.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        const QString table = QStringLiteral("| Fruit | Colour | Origin | Price |\n"
                                             "| --- | --- | --- | --- |\n"
                                             "| apple | red | Normandy | 1.20 |\n"
                                             "| banana | yellow | Ecuador | 0.95 |\n");
        QVERIFY2(md.contains(table), qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("listed below.")) < md.indexOf(table), qPrintable(md));
        QCOMPARE(md.count(QStringLiteral("Normandy")), 1);
        QVERIFY(figureImages(result).isEmpty());
        QCOMPARE(blocksOfType(firstPage(result), QStringLiteral("table")).size(), 1);
    }

    void unruledTableWithoutTheTensorModule()
    {
        // Whitespace tables need only the words: a reader without page
        // analysis (as when the module cannot be loaded) still finds them.
        PdfTextReader reader;
        reader.setRegionAnalysis(false);
        const PdfReadResult read = reader.read(unruledStockPdf(true), ParserParams(), ParseControl());
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        QCOMPARE(read->pages.size(), 1);
        const QList<TextBlock> &regions = read->pages.first().regions;
        QCOMPARE(regions.size(), 1);
        QCOMPARE(regions.first().type, BlockType::Table);
        QCOMPARE(regions.first().rows, 5);
        QCOMPARE(regions.first().columns, 3);
    }

    void smallMarksOnAScanAreNoFigures()
    {
        // A stamp-sized blot (0.4 in) and a large drawing (2 x 1.5 in) on a
        // scanned page: only the drawing is a picture.
        QImage scan = scannedTable(kFruit);
        {
            QPainter painter(&scan);
            painter.fillRect(QRectF(1900, 200, 120, 120), QColor(40, 40, 40));
            painter.setPen(QPen(Qt::black, 6));
            painter.drawEllipse(QRectF(1200, 1100, 600, 450));
            painter.drawLine(QPointF(1200, 1325), QPointF(1800, 1325));
        }
        const ParseResult result = Test::parseDocument(Test::encodeImage(scan, "PNG"), QStringLiteral("scan.png"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(figureImages(result).size(), 1);
        const QImage figure = QImage::fromData(result->images.value(figureImages(result).first()), "PNG");
        QVERIFY2(figure.width() >= figure.height(), qPrintable(QStringLiteral("%1x%2").arg(figure.width()).arg(figure.height())));
    }

    void deviceChoice()
    {
        QString error;
        QCOMPARE(resolveComputeDevice(QStringLiteral("cpu"), &error), QStringLiteral("cpu"));
        QVERIFY(error.isEmpty());
        const QString automatic = resolveComputeDevice(QStringLiteral("auto"), &error);
        QVERIFY(automatic == QStringLiteral("cpu") || automatic == QStringLiteral("cuda"));
        QVERIFY(resolveComputeDevice(QStringLiteral("quantum"), &error).isEmpty());
        QVERIFY(!error.isEmpty());

        ParserParams params;
        QVERIFY(Test::readParams(QJsonObject{{QStringLiteral("device"), QStringLiteral("CPU")}}, &params).isEmpty());
        QCOMPARE(params.device, QStringLiteral("cpu"));
        QCOMPARE(params.toJson().value(QStringLiteral("device")).toString(), QStringLiteral("cpu"));
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("device"), QStringLiteral("tpu")}}, &params).isEmpty());
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("device"), 1}}, &params).isEmpty());

        // A request for a GPU the machine lacks fails clearly; on a GPU machine it parses.
        params = {};
        params.device = QStringLiteral("cuda");
        const ParseResult result = parsePdf(fruitPdf(), params);
        if (automatic == QStringLiteral("cuda")) {
            QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        } else {
            QVERIFY(!result.ok());
            QVERIFY2(result.errorMessage().contains(QStringLiteral("CUDA")), qPrintable(result.errorMessage()));
        }
    }
    void skewedScanIsLevelledBeforeOcr()
    {
        const QStringList lines{QStringLiteral("Invoice number 4711 is due within thirty days"),
                                QStringLiteral("Please transfer the amount to our account"),
                                QStringLiteral("Questions about this invoice go to billing"),
                                QStringLiteral("Thank you for your prompt payment")};
        // Turned by 3 degrees about its centre, as a sloppy scan is.
        const QImage level = Test::textImage(lines, 300, 12);
        QImage skewed(level.size(), QImage::Format_RGB32);
        skewed.fill(Qt::white);
        skewed.setDotsPerMeterX(level.dotsPerMeterX());
        skewed.setDotsPerMeterY(level.dotsPerMeterY());
        {
            QPainter painter(&skewed);
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            const QPointF centre(level.width() / 2.0, level.height() / 2.0);
            painter.setTransform(QTransform::fromTranslate(-centre.x(), -centre.y()) * QTransform().rotate(3)
                                 * QTransform::fromTranslate(centre.x(), centre.y()));
            painter.drawImage(0, 0, level);
        }

        const CleanedScan cleaned = cleanScanForOcr(skewed, 300, QStringLiteral("cpu"));
        QVERIFY2(cleaned.error.isEmpty(), qPrintable(cleaned.error));
        QVERIFY2(qAbs(cleaned.skewDegrees - 3) <= 0.5, qPrintable(QString::number(cleaned.skewDegrees)));
        QVERIFY(cleaned.rotated);
        QCOMPARE(cleaned.image.size(), skewed.size());
        QCOMPARE(cleaned.image.format(), QImage::Format_Grayscale8);
        // Turned the right way: its lines lie level with the pixel rows again,
        // so the rows' ink jumps from line to gap as sharply as the original's.
        auto rowSharpness = [](const QImage &image) {
            const QImage grey = image.convertToFormat(QImage::Format_Grayscale8);
            double sharpness = 0, previous = 0;
            for (int y = 0; y < grey.height(); ++y) {
                double ink = 0;
                for (int x = 0; x < grey.width(); ++x)
                    ink += 255 - grey.constScanLine(y)[x];
                sharpness += y > 0 ? (ink - previous) * (ink - previous) : 0;
                previous = ink;
            }
            return sharpness;
        };
        QVERIFY(rowSharpness(cleaned.image) > 0.4 * rowSharpness(level));
        QVERIFY(rowSharpness(skewed) < 0.1 * rowSharpness(level));

        auto wordsFound = [&lines](const ParseResult &result) {
            const QString text = result->markdown().simplified();
            int found = 0;
            for (const QString &line : lines)
                for (const QString &word : line.split(QLatin1Char(' ')))
                    found += text.contains(word);
            return found;
        };
        const QByteArray png = Test::encodeImage(skewed, "PNG");
        ParserParams params;
        QVERIFY(params.scanCleanup); // on unless a request turns it off
        const ParseResult withCleanup = Test::parseDocument(png, QStringLiteral("skewed.png"), params);
        QVERIFY2(withCleanup.ok(), qPrintable(withCleanup.errorMessage()));
        params.scanCleanup = false;
        const ParseResult without = Test::parseDocument(png, QStringLiteral("skewed.png"), params);
        QVERIFY2(without.ok(), qPrintable(without.errorMessage()));
        const int total = static_cast<int>(lines.join(QLatin1Char(' ')).split(QLatin1Char(' ')).size());
        QVERIFY2(wordsFound(withCleanup) == total, qPrintable(withCleanup->markdown()));
        QVERIFY(wordsFound(withCleanup) >= wordsFound(without));
        // Each levelled line is one line of text, in order.
        QVERIFY2(withCleanup->markdown().contains(lines[0]), qPrintable(withCleanup->markdown()));
        QVERIFY2(withCleanup->markdown().indexOf(lines[1]) > withCleanup->markdown().indexOf(lines[0]),
                 qPrintable(withCleanup->markdown()));

        // Line boxes are reported on the page as given: turned clockwise by 3
        // degrees, the first line (12 pt text, about 5 inches long) rises
        // about 19 pt from its first word to its last, so its box is far
        // taller than a level line of 12 pt text would be.
        double firstLineHeight = 0;
        for (const QJsonValue &block : firstPage(withCleanup).value(QStringLiteral("para_blocks")).toArray())
            for (const QJsonValue &line : block.toObject().value(QStringLiteral("lines")).toArray())
                for (const QJsonValue &span : line.toObject().value(QStringLiteral("spans")).toArray())
                    if (span.toObject().value(QStringLiteral("content")).toString().startsWith(QStringLiteral("Invoice number"))) {
                        const QJsonArray box = span.toObject().value(QStringLiteral("bbox")).toArray();
                        firstLineHeight = box.at(3).toDouble() - box.at(1).toDouble();
                    }
        QVERIFY2(firstLineHeight > 25, qPrintable(QString::number(firstLineHeight)));
    }

    void scanCleanupParameter()
    {
        ParserParams params;
        QVERIFY(Test::readParams(QJsonObject{{QStringLiteral("scan_cleanup"), false}}, &params).isEmpty());
        QVERIFY(!params.scanCleanup);
        QCOMPARE(params.toJson().value(QStringLiteral("scan_cleanup")).toBool(true), false);
        QVERIFY(Test::readParams(QJsonObject{}, &params).isEmpty());
        QVERIFY(params.scanCleanup);
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("scan_cleanup"), QStringLiteral("yes")}}, &params).isEmpty());
    }
};

QTEST_MAIN(TestRegions)
#include "test_regions.moc"
