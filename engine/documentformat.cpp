#include "engine/documentformat.h"

#include <QFileInfo>
#include <QStringDecoder>

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

bool startsWith(const QByteArray &data, const char *magic, int length, int offset = 0)
{
    return data.size() >= offset + length && memcmp(data.constData() + offset, magic, length) == 0;
}

DocumentFormat formatFromMagic(const QByteArray &data)
{
    // PDF readers accept the header anywhere in the first kilobyte.
    if (data.left(1024).contains("%PDF-"))
        return DocumentFormat::Pdf;
    if (startsWith(data, "\x89PNG\r\n\x1a\n", 8) || startsWith(data, "\xff\xd8\xff", 3)
        || startsWith(data, "BM", 2) || startsWith(data, "II*\0", 4) || startsWith(data, "MM\0*", 4)
        || startsWith(data, "GIF87a", 6) || startsWith(data, "GIF89a", 6)
        || (startsWith(data, "RIFF", 4) && startsWith(data, "WEBP", 4, 8)))
        return DocumentFormat::Image;
    if (startsWith(data, "PK\x03\x04", 4) || startsWith(data, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8)
        || startsWith(data, "{\\rtf", 5))
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
    return DocumentFormat::Unknown;
}

} // namespace

FormatDetection detectFormat(const QByteArray &data, const QString &fileName)
{
    FormatDetection detection;
    const QString suffix = QFileInfo(fileName).suffix().toLower();
    detection.extension = suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix;
    const DocumentFormat byName = formatFromExtension(detection.extension);

    detection.format = formatFromMagic(data);
    if (detection.format == DocumentFormat::Unknown) {
        // Text has no magic: only a text name (or none at all) makes it a document.
        const bool textName = byName == DocumentFormat::PlainText
            || byName == DocumentFormat::Markdown || detection.extension.isEmpty();
        if (textName && looksLikeText(data))
            detection.format = byName == DocumentFormat::PlainText ? DocumentFormat::PlainText
                                                                   : DocumentFormat::Markdown;
        else if (!textName)
            detection.format = byName; // e.g. a damaged PDF: its reader says what is wrong
    }

    detection.parseable = detection.format == DocumentFormat::Pdf
        || detection.format == DocumentFormat::Image || detection.format == DocumentFormat::PlainText
        || detection.format == DocumentFormat::Markdown;
    return detection;
}

QStringList supportedExtensions()
{
    return kPdfExtensions + kImageExtensions + kMarkdownExtensions + kTextExtensions;
}

QString formatName(DocumentFormat format)
{
    switch (format) {
    case DocumentFormat::Pdf: return QStringLiteral("pdf");
    case DocumentFormat::Image: return QStringLiteral("image");
    case DocumentFormat::PlainText: return QStringLiteral("text");
    case DocumentFormat::Markdown: return QStringLiteral("markdown");
    case DocumentFormat::Office: return QStringLiteral("office");
    case DocumentFormat::Unknown: break;
    }
    return QStringLiteral("unknown");
}

} // namespace DocRay
