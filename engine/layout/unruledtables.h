#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Tables drawn without rules, from where the words sit: runs of rows whose
// whitespace gaps line up ("rivers" that no row crosses) with short cells,
// not columns of prose. Returns Table blocks with their grid and cell
// boxes; the cells' text is left for the caller to fill from the lines.
// A page needs three rows to tell a table from prose whose gaps line up by
// chance; a block the block model takes for a table, two.
inline constexpr int kMinPageTableRows = 3;
QList<TextBlock> findUnruledTables(const QList<TextLine> &lines, int minRows = kMinPageTableRows);

} // namespace DocRay
