#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace DocRay {

// What a native reader (DOCX, spreadsheets, HTML) hands the parser: markdown,
// the images it references ("images/<name>.png" -> PNG bytes), or an error.
struct MarkdownDocument {
    QString markdown;
    QMap<QString, QByteArray> images;
    QString error;

    bool ok() const { return error.isEmpty(); }
};

} // namespace DocRay
