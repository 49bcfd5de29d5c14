#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace DocRay {

// GFM pipe tables for the readers that see real table structure (DOCX,
// spreadsheets): the first row is the header, short rows are padded, cell
// text is flattened to one line with pipes escaped.
namespace MarkdownTable {

QString escapeCell(const QString &text);
QString render(const QList<QStringList> &rows);

} // namespace MarkdownTable

} // namespace DocRay
