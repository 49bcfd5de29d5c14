#include "engine/core/documentformat.h"

#include "engine/core/ziparchive.h"

#include <QFileInfo>
#include <QStringDecoder>

#include <cstring>
#include <iterator>

namespace DocRay {

namespace {

const QStringList kPdfExtensions = {QStringLiteral(".pdf")};
const QStringList kImageExtensions = {QStringLiteral(".png"), QStringLiteral(".jpg"),
                                      QStringLiteral(".jpeg"), QStringLiteral(".bmp"),
                                      QStringLiteral(".tif"), QStringLiteral(".tiff"),
                                      QStringLiteral(".webp"), QStringLiteral(".gif")};
const QStringList kMarkdownExtensions = {QStringLiteral(".md"), QStringLiteral(".markdown")};
const QStringList kTextExtensions = {QStringLiteral(".txt")};
const QStringList kOfficeExtensions = {QStringLiteral(".doc"),  QStringLiteral(".docx"),
                                       QStringLiteral(".ppt"),  QStringLiteral(".pptx"),
                                       QStringLiteral(".xls"),  QStringLiteral(".xlsx"),
                                       QStringLiteral(".odt"),  QStringLiteral(".odp"),
                                       QStringLiteral(".ods"),  QStringLiteral(".rtf")};
const QStringList kHtmlExtensions = {QStringLiteral(".html"), QStringLiteral(".htm")};

// Extension of each OfficeKind, in enum order (None has none).
const char *const kOfficeKindExtensions[] = {"", ".docx", ".xlsx", ".pptx", ".odt", ".ods",
                                             ".odp", ".doc", ".xls", ".ppt", ".rtf"};

bool isZip(const QByteArray &data)
{
    return data.startsWith(QByteArrayLiteral("PK\x03\x04"));
}

bool isOle(const QByteArray &data)
{
    return data.startsWith(QByteArrayLiteral("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"));
}

bool isRtf(const QByteArray &data)
{
    return data.startsWith(QByteArrayLiteral("{\\rtf"));
}

// OLE directory entries name their streams in UTF-16LE.
bool containsUtf16(const QByteArray &data, const char *ascii)
{
    QByteArray wide;
    for (const char *c = ascii; *c; ++c) {
        wide.append(*c);
        wide.append('\0');
    }
    return data.contains(wide);
}

OfficeKind kindFromContent(const QByteArray &data)
{
    if (isRtf(data))
        return OfficeKind::Rtf;
    if (isZip(data)) {
        // The central directory names the members; a package may embed other
        // packages (a chart's workbook inside a PPTX), so only top-level names count.
        const ZipArchive zip(data);
        if (zip.isValid()) {
            // Sniffing runs in the server on untrusted bytes: the central
            // directory's names and 64 bytes of one member, nothing more.
            const QByteArray mimetype = zip.readPrefix(QStringLiteral("mimetype"), 64).trimmed();
            if (mimetype == "application/vnd.oasis.opendocument.text")
                return OfficeKind::Odt;
            if (mimetype == "application/vnd.oasis.opendocument.spreadsheet")
                return OfficeKind::Ods;
            if (mimetype == "application/vnd.oasis.opendocument.presentation")
                return OfficeKind::Odp;
            if (zip.contains(QStringLiteral("word/document.xml")))
                return OfficeKind::Docx;
            if (zip.contains(QStringLiteral("ppt/presentation.xml")))
                return OfficeKind::Pptx;
            if (zip.contains(QStringLiteral("xl/workbook.xml")))
                return OfficeKind::Xlsx;
            return OfficeKind::None;
        }
        // A damaged container: member names are stored uncompressed in the
        // local headers, so a byte search still tells what it was meant to be.
        if (data.contains("application/vnd.oasis.opendocument.text"))
            return OfficeKind::Odt;
        if (data.contains("application/vnd.oasis.opendocument.spreadsheet"))
            return OfficeKind::Ods;
        if (data.contains("application/vnd.oasis.opendocument.presentation"))
            return OfficeKind::Odp;
        if (data.contains("word/document.xml"))
            return OfficeKind::Docx;
        if (data.contains("ppt/presentation.xml"))
            return OfficeKind::Pptx;
        if (data.contains("xl/workbook.xml"))
            return OfficeKind::Xlsx;
        return OfficeKind::None;
    }
    if (isOle(data)) {
        if (containsUtf16(data, "WordDocument"))
            return OfficeKind::Doc;
        if (containsUtf16(data, "Workbook") || containsUtf16(data, "Book"))
            return OfficeKind::Xls;
        if (containsUtf16(data, "PowerPoint Document"))
            return OfficeKind::Ppt;
    }
    return OfficeKind::None;
}

OfficeKind kindFromExtension(const QString &extension)
{
    for (int i = 1; i < int(std::size(kOfficeKindExtensions)); ++i) {
        if (extension == QLatin1String(kOfficeKindExtensions[i]))
            return static_cast<OfficeKind>(i);
    }
    return OfficeKind::None;
}

// HTML has no magic number; a document that opens like one is one.
bool looksLikeHtml(const QByteArray &data)
{
    QByteArray head = data.left(1024).trimmed().toLower();
    if (head.startsWith("\xef\xbb\xbf"))
        head = head.mid(3).trimmed();
    if (head.startsWith("<?xml"))
        return head.contains("<!doctype html") || head.contains("<html");
    return head.startsWith("<!doctype html") || head.startsWith("<html") || head.startsWith("<head")
        || head.startsWith("<body");
}

bool startsWith(const QByteArray &data, const char *magic, int length, int offset = 0)
{
    return data.size() >= offset + length && memcmp(data.constData() + offset, magic, length) == 0;
}

} // namespace

QByteArray imageFormatName(const QByteArray &data)
{
    if (startsWith(data, "\x89PNG\r\n\x1a\n", 8))
        return QByteArrayLiteral("png");
    if (startsWith(data, "\xff\xd8\xff", 3))
        return QByteArrayLiteral("jpeg");
    if (startsWith(data, "BM", 2))
        return QByteArrayLiteral("bmp");
    if (startsWith(data, "II*\0", 4) || startsWith(data, "MM\0*", 4))
        return QByteArrayLiteral("tiff");
    if (startsWith(data, "GIF87a", 6) || startsWith(data, "GIF89a", 6))
        return QByteArrayLiteral("gif");
    if (startsWith(data, "RIFF", 4) && startsWith(data, "WEBP", 4, 8))
        return QByteArrayLiteral("webp");
    return {};
}

namespace {

DocumentFormat formatFromMagic(const QByteArray &data)
{
    if (hasPdfHeader(data))
        return DocumentFormat::Pdf;
    if (!imageFormatName(data).isEmpty())
        return DocumentFormat::Image;
    if (kindFromContent(data) != OfficeKind::None)
        return DocumentFormat::Office;
    return DocumentFormat::Unknown;
}

bool looksLikeText(const QByteArray &data)
{
    const QByteArray head = data.left(64 * 1024);
    if (head.contains('\0'))
        return false;
    QStringDecoder decoder(QStringDecoder::Utf8);
    const QString decoded = decoder.decode(head);
    Q_UNUSED(decoded);
    // A cut in the middle of a multi-byte sequence at the 64 KiB mark is fine.
    return !decoder.hasError() || head.size() == 64 * 1024;
}

DocumentFormat formatFromExtension(const QString &extension)
{
    if (kPdfExtensions.contains(extension))
        return DocumentFormat::Pdf;
    if (kImageExtensions.contains(extension))
        return DocumentFormat::Image;
    if (kMarkdownExtensions.contains(extension))
        return DocumentFormat::Markdown;
    if (kTextExtensions.contains(extension))
        return DocumentFormat::PlainText;
    if (kOfficeExtensions.contains(extension))
        return DocumentFormat::Office;
    if (kHtmlExtensions.contains(extension))
        return DocumentFormat::Html;
    return DocumentFormat::Unknown;
}

} // namespace

bool hasPdfHeader(const QByteArray &head)
{
    // PDF readers accept the header anywhere in the first kilobyte.
    return head.left(1024).contains("%PDF-");
}

FormatDetection detectFormat(const QByteArray &data, const QString &fileName)
{
    FormatDetection detection;
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    detection.extension = suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix;
    const DocumentFormat byName = formatFromExtension(detection.extension);

    detection.format = formatFromMagic(data);
    if (detection.format == DocumentFormat::Unknown && looksLikeText(data)) {
        if (looksLikeHtml(data))
            detection.format = DocumentFormat::Html;
        else if (byName == DocumentFormat::Html)
            detection.format = DocumentFormat::Html; // a fragment such as "<h1>Notes</h1>"
    }
    if (detection.format == DocumentFormat::Unknown) {
        // Text has no magic: only a text name (or none at all) makes it a document.
        const bool textName = byName == DocumentFormat::PlainText
            || byName == DocumentFormat::Markdown || detection.extension.isEmpty();
        if (textName && looksLikeText(data))
            detection.format = byName == DocumentFormat::PlainText ? DocumentFormat::PlainText
                                                                   : DocumentFormat::Markdown;
        else if (!textName && byName != DocumentFormat::Html)
            detection.format = byName; // e.g. a damaged PDF: its reader says what is wrong
    }
    if (detection.format == DocumentFormat::Office)
        detection.officeKind = detectOfficeKind(data, detection.extension);

    detection.parseable = detection.format != DocumentFormat::Unknown;
    return detection;
}

OfficeKind detectOfficeKind(const QByteArray &data, const QString &extension)
{
    const OfficeKind byContent = kindFromContent(data);
    const OfficeKind byName = kindFromExtension(extension);
    if (byContent != OfficeKind::None)
        return byContent;
    // An OLE file whose streams were not recognised, or a damaged container:
    // the name says what LibreOffice should try it as.
    return byName;
}

QString officeExtension(OfficeKind kind)
{
    return QLatin1String(kOfficeKindExtensions[static_cast<int>(kind)]);
}

QStringList supportedExtensions()
{
    return kPdfExtensions + kOfficeExtensions + kHtmlExtensions + kImageExtensions + kMarkdownExtensions
        + kTextExtensions;
}

QString formatName(DocumentFormat format)
{
    switch (format) {
    case DocumentFormat::Pdf: return QStringLiteral("pdf");
    case DocumentFormat::Image: return QStringLiteral("image");
    case DocumentFormat::PlainText: return QStringLiteral("text");
    case DocumentFormat::Markdown: return QStringLiteral("markdown");
    case DocumentFormat::Office: return QStringLiteral("office");
    case DocumentFormat::Html: return QStringLiteral("html");
    case DocumentFormat::Unknown: break;
    }
    return QStringLiteral("unknown");
}

} // namespace DocRay
