#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace DocRay {

enum class DocumentFormat { Unknown, Pdf, Image, PlainText, Markdown, Office, Html };

// Which Office family a DocumentFormat::Office file belongs to; the parser
// reads DOCX/XLSX/ODS natively and hands the others to LibreOffice.
enum class OfficeKind { None, Docx, Xlsx, Pptx, Odt, Ods, Odp, Doc, Xls, Ppt, Rtf };

// Decides a document's format from its bytes; the file name's extension only
// breaks ties (text vs. markdown, an unrecognisable body with a known name).
struct FormatDetection {
    DocumentFormat format = DocumentFormat::Unknown;
    QString extension;    // lower-case, with the dot; may be empty
    bool parseable = false;
    OfficeKind officeKind = OfficeKind::None; // set for DocumentFormat::Office
};

FormatDetection detectFormat(const QByteArray &data, const QString &fileName);
// The Qt image format of a picture's bytes ("png", "tiff", ...), from its
// signature; empty where it has none the engine reads.
QByteArray imageFormatName(const QByteArray &data);
// Whether the bytes are a PDF's as detectFormat finds them: its header within
// the first kilobyte, all of them that need reading.
bool hasPdfHeader(const QByteArray &head);

// The Office family of a file, from its container (ZIP members, the ODF
// mimetype, OLE stream names, RTF header); the extension breaks ties.
OfficeKind detectOfficeKind(const QByteArray &data, const QString &extension);

// The extension LibreOffice expects for a kind, with the dot (".docx").
QString officeExtension(OfficeKind kind);

// The extensions the engine parses, for error messages and file dialogs.
QStringList supportedExtensions();

QString formatName(DocumentFormat format);

} // namespace DocRay
