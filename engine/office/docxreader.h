#pragma once

#include "engine/output/markdowndocument.h"

#include <QByteArray>

namespace DocRay {

// Reads a DOCX from its WordprocessingML (QXmlStreamReader over the ZIP's XML):
// headings from styles and outline levels, lists from numbering.xml, tables
// with merged cells, emphasis, links, footnotes and embedded images.
// Stateless and reentrant; any worker thread may call it.
class DocxReader final
{
public:
    MarkdownResult read(const QByteArray &data) const;
};

} // namespace DocRay
