// The embedded font files a page names, inflated once and put back in the
// document's object table as they decode (engine/pdf/fontfiles).

// Poppler's own classes (libpoppler-private-dev), as the engine includes them.
#define TEXTOUT_WORD_LIST 1
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <XRef.h>

#include "engine/pdf/fontfiles.h"
#include "engine/pdf/pagecontent.h"
#include "tests/support/testsupport.h"

#include <QtTest>

#include <memory>
#include <optional>

using namespace DocRay;

namespace {

std::unique_ptr<PDFDoc> openPdf(const QByteArray &pdf)
{
    return std::make_unique<PDFDoc>(new MemStream(pdf.constData(), 0, pdf.size(), Object(objNull)));
}

// The first font file the page's fonts (or their descendants) embed.
std::optional<Ref> firstFontFile(PDFDoc &doc, int pageNumber)
{
    const Object fonts = doc.getPage(pageNumber)->getResourceDict()->lookup("Font");
    for (int i = 0; fonts.isDict() && i < fonts.dictGetLength(); ++i) {
        Object font = fonts.dictGetVal(i);
        const Object descendants = font.dictLookup("DescendantFonts");
        if (descendants.isArray() && descendants.arrayGetLength() > 0)
            font = descendants.arrayGet(0);
        const Object descriptor = font.dictLookup("FontDescriptor");
        for (const char *name : {"FontFile", "FontFile2", "FontFile3"})
            if (descriptor.isDict() && descriptor.dictLookupNF(name).isRef())
                return descriptor.dictLookupNF(name).getRef();
    }
    return std::nullopt;
}

QByteArray streamBytes(Object &stream)
{
    const std::vector<unsigned char> bytes = stream.getStream()->toUnsignedChars();
    return QByteArray(reinterpret_cast<const char *>(bytes.data()), qsizetype(bytes.size()));
}

} // namespace

class TestFontFiles : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Once a page is prepared, its font's file reads back as the same bytes
    // it decoded to, with no filter left to run; the next page naming it
    // finds it so; the words read are those read without.
    void fontFileDecodesOnceToTheSameBytes()
    {
        const QByteArray pdf = Test::multiPagePdf(3);
        const std::unique_ptr<PDFDoc> doc = openPdf(pdf);
        QVERIFY(doc->isOk());
        const std::optional<Ref> file = firstFontFile(*doc, 1);
        QVERIFY(file);
        Object before = doc->getXRef()->fetch(*file);
        QVERIFY(before.isStream());
        QVERIFY(!before.streamGetDict()->lookupNF("Filter").isNull()); // the writer deflates it
        const QByteArray decoded = streamBytes(before);
        QVERIFY(decoded.size() > 1000);

        DecodedFontFiles files;
        files.prepare(*doc, 1);
        Object after = doc->getXRef()->fetch(*file);
        QVERIFY(after.isStream());
        QVERIFY(after.streamGetDict()->lookupNF("Filter").isNull());
        QCOMPARE(after.streamGetDict()->lookup("Length").getInt(), int(decoded.size()));
        QCOMPARE(streamBytes(after), decoded);
        QCOMPARE(streamBytes(after), decoded); // read again from the start
        files.prepare(*doc, 2);
        Object again = doc->getXRef()->fetch(*file);
        QCOMPARE(streamBytes(again), decoded);

        const PageContentReader reader(pdf, QString());
        for (int page = 0; page < 3; ++page) {
            const PageContentReader::PageContent read = reader.read(page, true);
            QVERIFY(!read.words.isEmpty());
            QCOMPARE(read.words.first().text, PageContentReader(pdf, QString()).read(page, true).words.first().text);
        }
    }

    // A font file that is no stream, one whose data breaks off, and a font
    // dictionary that is no dictionary: nothing to keep, no crash; the
    // broken file reads as far as Poppler reads it.
    void brokenFontFilesAreLeftAsTheyRead()
    {
        QByteArray broken = qCompress(QByteArray(4000, 'x')).mid(4);
        broken.truncate(broken.size() / 2);
        const QByteArray pdf = Test::pdfFromObjects(
            {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
             "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R"
             " /Resources << /Font << /F1 5 0 R /F2 7 0 R /F3 9 0 R >> >> >>",
             Test::pdfStream("BT /F1 12 Tf 10 10 Td (Hi) Tj ET"),
             "<< /Type /Font /Subtype /TrueType /BaseFont /A /FontDescriptor 6 0 R >>",
             "<< /Type /FontDescriptor /FontName /A /FontFile2 8 0 R >>",
             "<< /Type /Font /Subtype /TrueType /BaseFont /B /FontDescriptor << /FontFile2 10 0 R >> >>",
             "<< /Length 5 /Filter /FlateDecode >>\nstream\nxxxxx\nendstream",
             "(no font at all)",
             "<< /Length " + QByteArray::number(broken.size()) + " /Filter /FlateDecode >>\nstream\n" + broken
                 + "\nendstream"});
        const std::unique_ptr<PDFDoc> doc = openPdf(pdf);
        QVERIFY(doc->isOk());
        Object before = doc->getXRef()->fetch(Ref{10, 0});
        QVERIFY(before.isStream());
        const QByteArray partly = streamBytes(before);
        DecodedFontFiles files;
        files.prepare(*doc, 1);
        Object after = doc->getXRef()->fetch(Ref{10, 0});
        QVERIFY(after.isStream());
        QCOMPARE(streamBytes(after), partly);
        QVERIFY(PageContentReader(pdf, QString()).isValid());
    }
};

QTEST_MAIN(TestFontFiles)
#include "test_fontfiles.moc"
