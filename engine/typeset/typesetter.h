#pragma once

#include "engine/core/pagelayout.h"
#include "engine/core/parsetypes.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

namespace DocRay {

// Markdown a reader wrote itself (DOCX, spreadsheets, HTML, text) laid out
// on A4 pages: the PDF a client or the preview shows, and the page model of
// that same layout, taken from the document's own structure (headings,
// lists, tables with their cells, pictures, code) rather than re-read from
// the PDF, so the middle JSON keeps what the source said.
struct TypesetDocument {
    QByteArray pdf;
    QList<PageLayout> pages; // blocks in document order, boxes in points
};

// `images` ("images/<name>" -> PNG or JPEG bytes) are drawn where the
// markdown references them, scaled down to fit the text column. Refuses a
// layout of more than `maxPages` pages.
Result<TypesetDocument> typesetText(const QString &text, bool isMarkdown, const QMap<QString, QByteArray> &images,
                                    int maxPages, const ParseControl &control);

} // namespace DocRay
