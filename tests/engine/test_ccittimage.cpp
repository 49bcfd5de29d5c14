// CCITT Group 4 masks decoded by libtiff (engine/pdf/ccittimage): the bits
// Poppler's own reading gives, and Poppler's reading left in place for what
// libtiff is not given. (test_regions draws such masks through the page
// rasterizer against poppler-cpp's renderer.)

// Poppler's own classes (libpoppler-private-dev), as the engine includes them.
#include <PDFDoc.h>
#include <Stream.h>
#include <XRef.h>

#include "engine/pdf/ccittimage.h"
#include "tests/support/testsupport.h"

#include <QtTest>

using namespace DocRay;

namespace {

constexpr int kWidth = 1603; // rows end mid-byte
constexpr int kHeight = 1200;

QByteArray groupFour(int rows)
{
    return Test::ccittGroupFour(Test::checkeredMaskBits(kWidth, rows), kWidth, rows);
}

// A page drawing the mask.
QByteArray maskPdf(const QByteArray &data, const QByteArray &parameters)
{
    const QByteArray mask = "<< /Type /XObject /Subtype /Image /ImageMask true /Width " + QByteArray::number(kWidth)
        + " /Height " + QByteArray::number(kHeight) + " /Filter /CCITTFaxDecode /DecodeParms << " + parameters
        + " >> /Length " + QByteArray::number(data.size()) + " >>\nstream\n" + data + "\nendstream";
    return Test::pdfFromObjects({"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                 "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 400 500] /Contents 4 0 R"
                                 " /Resources << /XObject << /Im 5 0 R >> >> >>",
                                 Test::pdfStream("q 300 0 0 220 40 30 cm /Im Do Q"),
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
        for (const char byte : Test::checkeredMaskBits(kWidth, kHeight))
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
};

QTEST_MAIN(TestCcittImage)
#include "test_ccittimage.moc"
