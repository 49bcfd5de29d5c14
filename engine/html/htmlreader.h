#pragma once

#include "engine/output/markdowndocument.h"

#include <QByteArray>

namespace DocRay {

// Turns an HTML page into markdown (headings, lists, tables, links, code)
// through Qt's own HTML importer and markdown writer. Reentrant; call it
// from any thread where a QGuiApplication exists (QTextDocument needs fonts).
class HtmlReader final
{
public:
    MarkdownResult read(const QByteArray &data) const;
};

} // namespace DocRay
