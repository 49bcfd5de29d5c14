// CCITT Group 4 masks decoded by libtiff (engine/pdf/ccittimage): the bits
// Poppler's own reading gives, the drawing Poppler's renderer makes, and
// Poppler's reading left in place for what libtiff is not given.

// Poppler's own classes (libpoppler-private-dev), as the engine includes them.
#include <PDFDoc.h>
#include <Stream.h>
#include <XRef.h>

#include "engine/pdf/ccittimage.h"
#include "engine/pdf/pagecontent.h"
#include "tests/support/testsupport.h"

#include <QTemporaryDir>
#include <QtTest>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <tiffio.h>

#include <memory>

using namespace DocRay;

namespace {

constexpr int kWidth = 1603; // rows end mid-byte
constexpr int kHeight = 1200;

// A checkerboard of 40-pixel squares crossed by a diagonal band: packed
// rows, 1 bits black.
QByteArray pattern(int rows)
{
    QByteArray bits;
    for (int y = 0; y < rows; ++y) {
        QByteArray row((kWidth + 7) / 8, '\0');
        for (int x = 0; x < kWidth; ++x)
            if (((x / 40 + y / 40) % 2 == 0) != (qAbs(x - y) < 9))
                row[x / 8] = char(row[x / 8] | (0x80 >> (x % 8)));
        bits += row;
    }
    return bits;
}

// `rows` rows of the pattern as Group 4 data, encoded by libtiff.
QByteArray groupFour(int rows)
{
    QTemporaryDir dir;
    const QByteArray path = dir.filePath(QStringLiteral("g4.tif")).toLocal8Bit();
    TIFF *out = TIFFOpen(path.constData(), "w");
    TIFFSetField(out, TIFFTAG_IMAGEWIDTH, kWidth);
    TIFFSetField(out, TIFFTAG_IMAGELENGTH, rows);
    TIFFSetField(out, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(out, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(out, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(out, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(out, TIFFTAG_ROWSPERSTRIP, rows);
    QByteArray bits = pattern(rows);
    for (int y = 0; y < rows; ++y)
        TIFFWriteScanline(out, bits.data() + y * ((kWidth + 7) / 8), quint32(y));
    TIFFClose(out);
    TIFF *in = TIFFOpen(path.constData(), "r");
    QByteArray encoded(qsizetype(TIFFRawStripSize(in, 0)), '\0');
    encoded.resize(qsizetype(TIFFReadRawStrip(in, 0, encoded.data(), encoded.size())));
    TIFFClose(in);
    return encoded;
}

// A page drawing the mask twice (scaled down, and flipped), in blue.
QByteArray maskPdf(const QByteArray &data, const QByteArray &parameters)
{
    const QByteArray mask = "<< /Type /XObject /Subtype /Image /ImageMask true /Width " + QByteArray::number(kWidth)
        + " /Height " + QByteArray::number(kHeight) + " /Filter /CCITTFaxDecode /DecodeParms << " + parameters
        + " >> /Length " + QByteArray::number(data.size()) + " >>\nstream\n" + data + "\nendstream";
    return Test::pdfFromObjects({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                 "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 500] /Contents 4 0 R"
                                 " /Resources << /XObject << /Im 5 0 R >> >> >>",
                                 Test::pdfStream("0.2 0.4 0.8 rg q 301.3 0 0 220.7 40.2 30.1 cm /Im Do Q"
                                                 " q 250 0 0 -180 60 470 cm /Im Do Q"),
                                 mask});
}

QByteArray parameters(bool blackIs1)
{
    return "/K -1 /Columns " + QByteArray::number(kWidth) + " /Rows " + QByteArray::number(kHeight)
        + (blackIs1 ? " /BlackIs1 true" : "");
}

// The mask's stream (object 5) in a document opened through Poppler's core.
struct OpenMask {
    explicit OpenMask(const QByteArray &pdf)
        : bytes(pdf)
        , doc(new MemStream(bytes.constData(), 0, bytes.size(), Object(objNull)))
        , object(doc.getXRef()->fetch(Ref{5, 0}))
    {
    }
    Stream *stream() { return object.isStream() ? object.getStream() : nullptr; }

    QByteArray bytes;
    PDFDoc doc;
    Object object;
};

} // namespace

class TestCcittImage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void decodesAsPopplerReads_data()
    {
        QTest::addColumn<bool>("blackIs1");
        QTest::newRow("black is 0") << false;
        QTest::newRow("black is 1") << true;
    }
    void decodesAsPopplerReads()
    {
        QFETCH(bool, blackIs1);
        OpenMask mask(maskPdf(groupFour(kHeight), parameters(blackIs1)));
        QVERIFY(mask.stream());
        const std::optional<CcittImage> decoded = CcittImage::decode(mask.stream(), kWidth, kHeight, 1 << 20);
        QVERIFY(decoded);
        const int rowBytes = (kWidth + 7) / 8;
        const auto lastByteBits = static_cast<unsigned char>(0xff << (8 - kWidth % 8));
        QByteArray poppler(rowBytes, '\0');
        mask.stream()->reset();
        int differing = 0, black = 0;
        for (int y = 0; y < kHeight; ++y) {
            QCOMPARE(mask.stream()->doGetChars(rowBytes, reinterpret_cast<unsigned char *>(poppler.data())), rowBytes);
            const unsigned char *ours = decoded->row(y);
            for (int i = 0; i < rowBytes; ++i) {
                const unsigned char valid = i + 1 == rowBytes ? lastByteBits : 0xff;
                differing += ((ours[i] ^ static_cast<unsigned char>(poppler[i])) & valid) != 0;
                black += qPopulationCount(quint8((blackIs1 ? ours[i] : ~ours[i]) & valid));
            }
        }
        mask.stream()->close();
        QCOMPARE(differing, 0);
        // The pattern's black pixels, in the stream's bit sense.
        int drawn = 0;
        for (const char byte : pattern(kHeight))
            drawn += qPopulationCount(quint8(byte));
        QCOMPARE(black, drawn);
    }

    // Data cut short, another encoding, a width other than Columns, a
    // decoded size over the cap, no CCITT at all: nothing, and Poppler's
    // reading stays.
    void leavesToPopplerWhatItCannotRead()
    {
        const QByteArray whole = groupFour(kHeight);
        OpenMask cut(maskPdf(whole.left(whole.size() / 2), parameters(false)));
        QVERIFY(cut.stream() && !CcittImage::decode(cut.stream(), kWidth, kHeight, 1 << 20));
        OpenMask oneDimensional(maskPdf(whole, "/K 0 /Columns " + QByteArray::number(kWidth)));
        QVERIFY(oneDimensional.stream() && !CcittImage::decode(oneDimensional.stream(), kWidth, kHeight, 1 << 20));
        OpenMask aligned(maskPdf(whole, parameters(false) + " /EncodedByteAlign true"));
        QVERIFY(aligned.stream() && !CcittImage::decode(aligned.stream(), kWidth, kHeight, 1 << 20));
        OpenMask intact(maskPdf(whole, parameters(false)));
        QVERIFY(intact.stream());
        QVERIFY(!CcittImage::decode(intact.stream(), kWidth + 8, kHeight, 1 << 20));
        QVERIFY(!CcittImage::decode(intact.stream(), kWidth, kHeight, 1000));
        QVERIFY(CcittImage::decode(intact.stream(), kWidth, kHeight, 1 << 20));
        QVERIFY(!CcittImage::decode(nullptr, kWidth, kHeight, 1 << 20));
    }

    // Drawn through the page rasterizer, whole or cut short (then read by
    // Poppler), in either bit sense: what poppler-cpp's renderer draws,
    // pixel for pixel.
    void maskIsDrawnAsSplashDrawsIt_data()
    {
        QTest::addColumn<bool>("blackIs1");
        QTest::addColumn<int>("rowsGiven");
        QTest::newRow("black is 0") << false << kHeight;
        QTest::newRow("black is 1") << true << kHeight;
        QTest::newRow("stops short") << false << 700;
    }
    void maskIsDrawnAsSplashDrawsIt()
    {
        QFETCH(bool, blackIs1);
        QFETCH(int, rowsGiven);
        const QByteArray pdf = maskPdf(groupFour(rowsGiven), parameters(blackIs1));
        const QImage ours = PageContentReader(pdf, QString()).render(0, RasterColour::Rgb, 150);
        std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
        std::unique_ptr<poppler::page> first(document->create_page(0));
        poppler::page_renderer splash;
        splash.set_render_hint(poppler::page_renderer::antialiasing, true);
        const poppler::image drawn = splash.render_page(first.get(), 150, 150);
        const QImage theirs(reinterpret_cast<const uchar *>(drawn.const_data()), drawn.width(), drawn.height(),
                            drawn.bytes_per_row(), QImage::Format_ARGB32);
        QCOMPARE(ours.size(), theirs.size());
        int inked = 0, differing = 0;
        for (int y = 0; y < ours.height(); ++y) {
            for (int x = 0; x < ours.width(); ++x) {
                inked += qGray(ours.pixel(x, y)) < 200;
                differing += (ours.pixel(x, y) & 0xffffff) != (theirs.pixel(x, y) & 0xffffff);
            }
        }
        QVERIFY(inked > 20000); // the mask is drawn, not skipped
        QCOMPARE(differing, 0);
    }
};

QTEST_MAIN(TestCcittImage)
#include "test_ccittimage.moc"
