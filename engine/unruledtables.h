#pragma once

#include "engine/pagelayout.h"

namespace DocRay {

// Tables drawn without rules, from where the words sit: runs of rows whose
// whitespace gaps line up ("rivers" that no row crosses) with short cells,
// not columns of prose. Returns Table blocks with their grid and cell
// boxes; the cells' text is left for the caller to fill from the lines.
QList<TextBlock> findUnruledTables(const QList<TextLine> &lines);

} // namespace DocRay
