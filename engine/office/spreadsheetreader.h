#pragma once

#include "engine/core/documentformat.h"
#include "engine/output/markdowndocument.h"

#include <QByteArray>

namespace DocRay {

// Reads XLSX (SpreadsheetML) and ODS (OpenDocument) workbooks from their XML:
// each sheet becomes a "## name" heading and a GFM table of its used range,
// formulas as their cached values, merged cells repeated over their area.
// Stateless and reentrant; any worker thread may call it.
class SpreadsheetReader final
{
public:
    MarkdownResult read(const QByteArray &data, OfficeKind kind) const;

    // Bounds that keep a sparse sheet (a value in XFD1048576) from exploding.
    static constexpr int kMaxRows = 20000;
    static constexpr int kMaxColumns = 256;
};

} // namespace DocRay
