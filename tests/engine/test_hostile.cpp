// Files made to hurt: what a document can make the engine do is capped, and
// each cap ends the job with a clear message instead of a crash or a
// gigabyte allocation. Encrypted PDFs ask for their password.
#include "engine/documentparser.h"
#include "tests/support/parsedocument.h"
#include "tests/support/testsupport.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <sys/resource.h>

using namespace DocRay;

namespace {

ParseResult parse(const QByteArray &data, const QString &name, const ParserParams &params = {},
                  const ParseLimits &limits = {})
{
    return Test::parseDocument(data, name, params, limits);
}

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xFFFFFFFFu;
    for (const char byte : data) {
        crc ^= quint8(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

// A PNG whose header claims a size no decoder should try to allocate.
QByteArray pngClaiming(quint32 width, quint32 height)
{
    QByteArray ihdr = "IHDR";
    ihdr += QByteArray(8, '\0');
    qToBigEndian(width, ihdr.data() + 4);
    qToBigEndian(height, ihdr.data() + 8);
    ihdr += QByteArray("\x08\x02\x00\x00\x00", 5); // 8-bit RGB
    QByteArray chunk(4, '\0');
    qToBigEndian(quint32(13), chunk.data());
    QByteArray crc(4, '\0');
    qToBigEndian(crc32(ihdr), crc.data());
    chunk += ihdr + crc;
    // A little compressed data, the way a bomb starts: decoders read the size first.
    const QByteArray idat = "IDAT" + qCompress(QByteArray(1024, '\0')).mid(4);
    QByteArray idatChunk(4, '\0');
    qToBigEndian(quint32(idat.size() - 4), idatChunk.data());
    qToBigEndian(crc32(idat), crc.data());
    idatChunk += idat + crc;
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk + idatChunk + QByteArray("\0\0\0\0IEND\xae\x42\x60\x82", 12);
}

qint64 peakRssMegabytes()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

// The peak resident memory (VmHWM) restarts from the current one: Linux
// resets it when "5" is written to clear_refs.
bool resetPeakRss()
{
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    return clear.open(QIODevice::WriteOnly) && clear.write("5") == 1;
}

} // namespace

class TestHostile : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void giantPageRendersWithinTheLimit()
    {
        // 200 x 200 inches, with ink and no text: OCR must render it small.
        const QByteArray pdf = Test::rawPdf(QSizeF(14400, 14400), "0 0 0 rg 100 100 5000 5000 re f");
        const qint64 before = peakRssMegabytes();
        ParseLimits limits;
        limits.maxRenderPixels = 20'000'000;
        const ParseResult result = parse(pdf, QStringLiteral("poster.pdf"), {}, limits);
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->pageCount, 1);
        // 300 dpi would have been 3.6 gigapixels.
        QVERIFY2(peakRssMegabytes() - before < 600, qPrintable(QString::number(peakRssMegabytes() - before)));
    }

    void imageBombIsRefusedFromItsHeader()
    {
        const ParseResult result = parse(pngClaiming(100000, 100000), QStringLiteral("bomb.png"));
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("too large: 100000x100000")), qPrintable(result.errorMessage()));
    }

    void tooManyPagesFailsClearly()
    {
        const QByteArray pdf = Test::rawPdf(QSizeF(612, 792), "BT /F1 12 Tf 72 700 Td (page) Tj ET", 30);
        ParseLimits limits;
        limits.maxPages = 10;
        const ParseResult result = parse(pdf, QStringLiteral("long.pdf"), {}, limits);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, ErrorCode::InvalidInput);
        QVERIFY2(result.errorMessage().contains(QStringLiteral("30 pages")) && result.errorMessage().contains(QStringLiteral("limit per job is 10")),
                 qPrintable(result.errorMessage()));
        ParserParams firstTen;
        firstTen.endPage = 9;
        QVERIFY(parse(pdf, QStringLiteral("long.pdf"), firstTen, limits).ok()); // a range within the limit is fine
    }

    void encryptedPdfNeedsItsPassword()
    {
        const QByteArray pdf = Test::encryptedPdf(Test::multiPagePdf(2), QStringLiteral("s3cret"));
        QVERIFY(!pdf.isEmpty());

        const ParseResult without = parse(pdf, QStringLiteral("locked.pdf"));
        QVERIFY(!without.ok());
        QCOMPARE(without.error().code, ErrorCode::InvalidInput);
        QVERIFY2(without.errorMessage().contains(QStringLiteral("password required")), qPrintable(without.errorMessage()));

        ParserParams wrong;
        wrong.password = QStringLiteral("guess");
        QVERIFY2(parse(pdf, QStringLiteral("locked.pdf"), wrong).errorMessage().contains(QStringLiteral("password is wrong")),
                 qPrintable(parse(pdf, QStringLiteral("locked.pdf"), wrong).errorMessage()));

        ParserParams right;
        right.password = QStringLiteral("s3cret");
        const ParseResult opened = parse(pdf, QStringLiteral("locked.pdf"), right);
        QVERIFY2(opened.ok(), qPrintable(opened.errorMessage()));
        QVERIFY(opened->markdown().contains(QStringLiteral("page-2-marker")));
    }

    void brokenFilesFailWithAMessage_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("message");
        const QByteArray good = Test::multiPagePdf(1);
        QTest::newRow("truncated") << good.left(good.size() / 3) << QStringLiteral("PDF");
        QTest::newRow("header only") << QByteArray("%PDF-1.7\n%%EOF\n") << QStringLiteral("PDF");
        QTest::newRow("no pages") << QByteArray("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                                                "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                                                "trailer << /Root 1 0 R >>\n%%EOF\n")
                                  << QStringLiteral("PDF");
    }
    void brokenFilesFailWithAMessage()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, message);
        const ParseResult result = parse(data, QStringLiteral("broken.pdf"));
        QVERIFY(!result.ok());
        QVERIFY2(result.errorMessage().contains(message), qPrintable(result.errorMessage()));
    }

    // Telling a ZIP's kind runs in the server on untrusted bytes: a
    // "mimetype" member that inflates to 128 MiB costs 64 bytes, not 128 MiB.
    void zipSniffingInflatesAFewBytes()
    {
        QByteArray mimetype = "application/vnd.oasis.opendocument.text";
        mimetype += QByteArray(128 * 1024 * 1024, ' ');
        const QByteArray bomb = Test::zipArchive({{QStringLiteral("mimetype"), mimetype}}, true);
        mimetype = QByteArray(); // the fixture's own copy is gone before measuring
        QVERIFY(bomb.size() < 1024 * 1024);
        QVERIFY(resetPeakRss());
        const FormatDetection detection = detectFormat(bomb, QStringLiteral("upload.bin"));
        QCOMPARE(int(detection.format), int(DocumentFormat::Office));
        QCOMPARE(int(detection.officeKind), int(OfficeKind::Odt));
        const double rise = Test::processMemoryMb(0, "VmHWM") - Test::processMemoryMb(0, "VmRSS");
        QVERIFY2(rise < 32, qPrintable(QStringLiteral("peak RSS rose %1 MB above the current").arg(rise)));
    }

    void serverEnforcesMaxPages()
    {
        QTemporaryDir dir;
        Test::ServerProcess server(dir.path(), {QStringLiteral("--max-pages"), QStringLiteral("5")});
        QString error;
        QVERIFY2(server.start(&error), qPrintable(error));
        QNetworkAccessManager network;
        const QByteArray boundary = "----hostile";
        const Test::HttpReply reply = Test::httpRequest(network, "POST", server.url().resolved(QUrl(QStringLiteral("/submit"))),
                                                        Test::multipartBody({{"file", "long.pdf", Test::multiPagePdf(8)}}, boundary),
                                                        Test::multipartContentType(boundary));
        QCOMPARE(reply.status, 202);
        const QJsonObject status = Test::waitForJob(network, server.url(), reply.json().value(QStringLiteral("job_id")).toString());
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY2(status.value(QStringLiteral("error")).toString().contains(QStringLiteral("limit per job is 5")),
                 qPrintable(status.value(QStringLiteral("error")).toString()));
    }
};

QTEST_MAIN(TestHostile)
#include "test_hostile.moc"
