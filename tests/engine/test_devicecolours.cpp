// Colours given by an ICC profile read in the profile's device space
// (engine/pdf/devicecolours).

// Poppler's own classes (libpoppler-private-dev), as the engine includes them.
#define TEXTOUT_WORD_LIST 1
#include <PDFDoc.h>
#include <Stream.h>
#include <XRef.h>

#include "engine/pdf/devicecolours.h"
#include "engine/pdf/pagecontent.h"
#include "tests/support/testsupport.h"

#include <QtEndian>
#include <QtTest>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <memory>

using namespace DocRay;

namespace {

QByteArray bigEndian(quint32 value)
{
    QByteArray bytes(4, '\0');
    qToBigEndian(value, bytes.data());
    return bytes;
}

// A grey display profile whose tone curve is gamma 3: half grey in it is
// an eighth of the light, far darker than device grey's half.
QByteArray gammaThreeGreyProfile()
{
    const QByteArray whitePoint = "XYZ " + bigEndian(0) + bigEndian(0xF6D6) + bigEndian(0x10000) + bigEndian(0xD32D);
    const QByteArray curve = "curv" + bigEndian(0) + bigEndian(1) + QByteArray::fromHex("03000000");
    const quint32 tags = 128 + 4 + 2 * 12;
    QByteArray header = bigEndian(0) + bigEndian(0) + bigEndian(0x02100000) + "mntrGRAYXYZ " + QByteArray(12, '\0')
        + "acsp" + QByteArray(20, '\0') + bigEndian(0) + bigEndian(0xF6D6) + bigEndian(0x10000) + bigEndian(0xD32D);
    header += QByteArray(128 - header.size(), '\0');
    QByteArray profile = header + bigEndian(2) + "wtpt" + bigEndian(tags) + bigEndian(quint32(whitePoint.size()))
        + "kTRC" + bigEndian(tags + quint32(whitePoint.size())) + bigEndian(quint32(curve.size())) + whitePoint + curve;
    qToBigEndian(quint32(profile.size()), profile.data());
    return profile;
}

// Half grey through the profile: a fill on the page's left half, a
// picture in a form on its right half; object 9 is a profile nobody names.
QByteArray iccPagePdf()
{
    const QByteArray profile = Test::pdfStream(gammaThreeGreyProfile()).replace("<<", "<< /N 1");
    return Test::pdfFromObjects(
        {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R"
         " /Resources << /ColorSpace << /CS0 [/ICCBased 5 0 R] >> /XObject << /Fm 6 0 R >> >> >>",
         Test::pdfStream("/CS0 cs 0.5 sc 0 0 50 100 re f /Fm Do"), profile,
         "<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Im 7 0 R >> >> /Length 30 >>"
         "\nstream\nq 50 0 0 100 50 0 cm /Im Do Q\nendstream",
         "<< /Type /XObject /Subtype /Image /Width 1 /Height 1 /BitsPerComponent 8 /ColorSpace [/ICCBased 8 0 R]"
         " /Length 1 >>\nstream\n\x80\nendstream",
         profile, profile});
}

std::unique_ptr<PDFDoc> openPdf(const QByteArray &pdf)
{
    return std::make_unique<PDFDoc>(new MemStream(pdf.constData(), 0, pdf.size(), Object(objNull)));
}

qsizetype streamLength(PDFDoc &doc, int object)
{
    Object stream = doc.getXRef()->fetch(Ref{object, 0});
    return stream.isStream() ? qsizetype(stream.getStream()->toUnsignedChars().size()) : -1;
}

} // namespace

class TestDeviceColours : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // The profiles the page and its form's picture name are set aside, the
    // one nobody names is not; the colour space keeps its component count.
    void namedProfilesAreSetAside()
    {
        const QByteArray pdf = iccPagePdf();
        const std::unique_ptr<PDFDoc> doc = openPdf(pdf);
        QVERIFY(doc->isOk());
        const qsizetype profileBytes = gammaThreeGreyProfile().size();
        QCOMPARE(streamLength(*doc, 5), profileBytes);
        DeviceColours colours;
        colours.prepare(*doc, 1);
        QCOMPARE(streamLength(*doc, 5), 0);
        QCOMPARE(streamLength(*doc, 8), 0);
        QCOMPARE(streamLength(*doc, 9), profileBytes);
        QCOMPARE(doc->getXRef()->fetch(Ref{5, 0}).streamGetDict()->lookup("N").getInt(), 1);
        colours.prepare(*doc, 1); // again: nothing more to do, nothing undone
        QCOMPARE(streamLength(*doc, 5), 0);
    }

    // The page's reader renders half grey as device grey's half, fill and
    // picture alike, where Poppler's own renderer follows the profile to a
    // darker grey.
    void rendersReadTheDeviceSpace()
    {
        const QByteArray pdf = iccPagePdf();
        const PageContentReader reader(pdf, QString());
        const QImage device = reader.render(0, RasterColour::Grey, 72);
        QCOMPARE(device.size(), QSize(100, 100));
        QVERIFY(qAbs(qGray(device.pixel(25, 50)) - 128) <= 1);
        QVERIFY(qAbs(qGray(device.pixel(75, 50)) - 128) <= 1);
        std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(pdf.constData(), int(pdf.size())));
        std::unique_ptr<poppler::page> first(document->create_page(0));
        poppler::page_renderer managed;
        managed.set_image_format(poppler::image::format_gray8);
        const poppler::image throughProfile = managed.render_page(first.get(), 72, 72);
        QCOMPARE(throughProfile.width(), 100);
        const int managedGrey = static_cast<unsigned char>(throughProfile.const_data()[50 * throughProfile.bytes_per_row() + 25]);
        QVERIFY2(managedGrey < 118, qPrintable(QString::number(managedGrey)));
    }

    // Colour spaces that name themselves as their base, and a profile that
    // is no stream: the walk stops, the page still renders.
    void selfNamingColourSpacesEndTheWalk()
    {
        const QByteArray pdf = Test::pdfFromObjects(
            {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R"
             " /Resources << /ColorSpace << /CS0 5 0 R /CS1 [/ICCBased 6 0 R] /CS2 [/DeviceN [/A] 7 0 R 8 0 R] >>"
             " /XObject << /Fm 9 0 R >> >> >>",
             Test::pdfStream("0 0 1 rg 0 0 100 100 re f /Fm Do"), "[/Indexed 5 0 R 1 <000000ffffff>]", "(no profile)",
             "[/Pattern 7 0 R]", "<< /FunctionType 2 /Domain [0 1] /N 1 >>",
             "<< /Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Fm 9 0 R >> >>"
             " /Length 0 >>\nstream\n\nendstream"});
        const std::unique_ptr<PDFDoc> doc = openPdf(pdf);
        QVERIFY(doc->isOk());
        DeviceColours colours;
        colours.prepare(*doc, 1);
        QVERIFY(doc->getXRef()->fetch(Ref{6, 0}).isString());
        const QImage page = PageContentReader(pdf, QString()).render(0, RasterColour::Grey, 72);
        QCOMPARE(page.size(), QSize(100, 100));
        QVERIFY(qGray(page.pixel(50, 50)) < 64); // blue is dark in grey
    }
};

QTEST_MAIN(TestDeviceColours)
#include "test_devicecolours.moc"
