#pragma once

#include "engine/core/pagelayout.h"

#include <QHash>
#include <QSet>
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

// What every block's features are measured against: the body size, the
// outline's headings, the distinct sizes (largest first) and on how many
// pages each text (page numbers left out) appears. Every page is counted,
// once its blocks are final, before any page's rows are computed. Owned by
// one thread.
class BlockFeatureContext final
{
public:
    explicit BlockFeatureContext(const QList<OutlineEntry> &outline);

    void count(const PageLayout &page);
    // Rows for every block of `page` with lines, in reading order, named
    // in `refs` as page `pageRef`; `rows` is row-major, names().size() wide.
    void computePage(const PageLayout &page, int pageRef, std::vector<float> *rows, QList<BlockRef> *refs);

    struct Values {
        double body = 0;
        QSet<QString> outlineKeys;
        QList<int> sizes;
        QHash<QString, int> pagesWithKey;
        qsizetype pageCount = 0;
    };

private:
    void freeze();

    Values m_values;
    QHash<int, int> m_charactersBySize; // by half-point size, for the body
    bool m_frozen = false;
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
