#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

namespace DocRay {

enum class DocumentFormat { Unknown, Pdf, Image, PlainText, Markdown, Office };

// Decides a document's format from its bytes; the file name's extension only
// breaks ties (text vs. markdown, an unrecognisable body with a known name).
struct FormatDetection {
    DocumentFormat format = DocumentFormat::Unknown;
    QString extension;    // lower-case, with the dot; may be empty
    bool parseable = false;
};

FormatDetection detectFormat(const QByteArray &data, const QString &fileName);

// The extensions the engine parses, for error messages and file dialogs.
QStringList supportedExtensions();

QString formatName(DocumentFormat format);

} // namespace DocRay
