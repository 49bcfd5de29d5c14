#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

#include "engine/core/result.h"

namespace DocRay {

// What a native reader (DOCX, spreadsheets, HTML) hands the parser: markdown
// and the images it references ("images/<name>.png" -> PNG bytes).
struct MarkdownDocument {
    QString markdown;
    QMap<QString, QByteArray> images;
};
using MarkdownResult = Result<MarkdownDocument>;

} // namespace DocRay
