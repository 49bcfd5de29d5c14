#pragma once

#include "engine/core/pagelayout.h"

#include <QStringList>

#include <vector>

namespace DocRay {

// What a text block is on its page: the classes of the block-role model.
// The order is the model's output order and the manifest's class list.
enum class BlockRole {
    Paragraph,
    Title,      // the document's title
    Heading,    // a section heading
    Subheading, // a heading below a section heading
    ListItem,
    Caption,
    Header,
    Footer,
    PageNumber,
    Footnote,
    Code,
    Formula,    // display math, on lines of its own
    Table,      // rows of cells the region analysis did not take
};
constexpr int kBlockRoleCount = 13;
QStringList blockRoleNames();

// How display math is numbered: "(7)", "(2.1)", "(4a)" (a regular
// expression, unanchored).
inline constexpr char kEquationNumberPattern[] = "\\(\\d{1,3}(\\.\\d{1,3})?[a-z]?\\)";

// Where a feature row came from: page and block index in that page's blocks.
struct BlockRef {
    int page = 0;
    int block = 0;
};

// One fixed, named float vector per text block (the rules' typing included,
// so a model learns where to overrule them), computed after the layout
// analysis. The generator of training data and the engine both call this,
// so what the model sees when trained is what it sees in use.
struct BlockFeatures {
    static QStringList names();
    // Rows for every block with lines (tables and figures have none), page
    // by page in reading order; `rows` is row-major, names().size() wide.
    static void compute(const QList<PageLayout> &pages, const QList<OutlineEntry> &outline, std::vector<float> *rows,
                        QList<BlockRef> *refs);
};

} // namespace DocRay
