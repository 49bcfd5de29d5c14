#include "engine/layout/blockmodel.h"

#include "engine/layout/blockclassifier.h"
#include "engine/layout/blockfeatures.h"
#include "engine/layout/pageregions.h"
#include "engine/layout/textpatterns.h"

#include <QCoreApplication>
#include <QFile>
#include <QHash>
#include <QMap>
#include <QRegularExpression>

#include <algorithm>
#include <functional>
#include <numeric>

namespace DocRay {

namespace {

constexpr float kMaxFurnitureSizeRatio = 1.2f;
constexpr double kMinNeverFurniturePoints = 16;
constexpr double kMaxEquationNumberGap = 0.3; // of the page's width
constexpr double kFurnitureBand = 0.1; // of the page's height, at the top and at the bottom
constexpr int kMinModelTableRows = 2;
// Counted on the block's text with its spaces: garbled OCR is mostly short
// words, and the layout rules' limits (which count letters) let it through.
constexpr qsizetype kMaxHeadingLines = 3;
constexpr qsizetype kMaxHeadingCharacters = 160;

bool isHeading(BlockRole role)
{
    return role == BlockRole::Title || role == BlockRole::Heading || role == BlockRole::Subheading;
}

bool isFurniture(BlockRole role)
{
    return role == BlockRole::Header || role == BlockRole::Footer || role == BlockRole::PageNumber;
}

void retype(TextBlock &block, BlockRole role)
{
    switch (role) {
    case BlockRole::Title:
    case BlockRole::Heading:
    case BlockRole::Subheading:
        if (block.type == BlockType::Title)
            return; // the rules' level is consistent across the document
        block.type = BlockType::Title;
        if (const int depth = numberingDepth(block.text()))
            block.headingLevel = qMin(6, depth + 1);
        else
            block.headingLevel = role == BlockRole::Title ? 1 : role == BlockRole::Heading ? 2 : 3;
        return;
    case BlockRole::ListItem:
        // The writer splits a list at its markers: without one there is
        // no item to write. A heading the rules found with a marker is an
        // enumerated subheading ("(1) Scope"), which the model never saw.
        if (!startsListItem(block.lines.first()) || block.type == BlockType::Title)
            return;
        block.type = BlockType::List;
        break;
    case BlockRole::Header:
    case BlockRole::Footer:
    case BlockRole::PageNumber:
        block.type = BlockType::Discarded;
        break;
    case BlockRole::Footnote:
        // Numbered notes read as a list; a note is never a heading.
        if (block.type != BlockType::Title)
            return;
        block.type = BlockType::Text;
        break;
    case BlockRole::Formula:
        if (block.type != BlockType::Text)
            return; // the rules' headings and lists have words a formula has not
        block.type = BlockType::Formula;
        return;
    case BlockRole::Table:
        return; // tables are made from groups of blocks: makeTables()
    case BlockRole::Paragraph:
    case BlockRole::Caption:
    case BlockRole::Code:
        block.type = BlockType::Text;
        break;
    }
    block.headingLevel = 0;
}

// How sure the model is of what the engine would do with the block: the
// heading classes all make a heading (their level aside), the furniture
// classes all drop the block, so their probabilities add up.
float actionConfidence(const std::vector<float> &probabilities, qsizetype row, BlockRole role)
{
    const float *p = probabilities.data() + size_t(row) * kBlockRoleCount;
    float total = 0;
    for (int other = 0; other < kBlockRoleCount; ++other) {
        const auto candidate = static_cast<BlockRole>(other);
        if (candidate == role || (isHeading(candidate) && isHeading(role)) || (isFurniture(candidate) && isFurniture(role)))
            total += p[other];
    }
    return total;
}

bool inFurnitureBand(const QRectF &box, const QSizeF &page)
{
    const double band = page.height() * kFurnitureBand;
    return box.bottom() <= band || box.top() >= page.height() - band;
}

bool overlapsVertically(const QRectF &a, const QRectF &b)
{
    return qMin(a.bottom(), b.bottom()) - qMax(a.top(), b.top()) > 0.5 * qMin(a.height(), b.height());
}

// Blocks the model takes for parts of a table: the layout rules cut an
// unruled table into a block per column (or per row). Neighbours are
// joined into groups (side by side, or stacked closer than two of their
// lines), and a group whose lines hold one whitespace table of two rows or
// more becomes that table; the page's own table pass wants three.
void makeTables(PageLayout &page, const QList<int> &candidates)
{
    // Neighbourhood is transitive: each candidate starts as its own group,
    // and touching groups merge (the group id is its lowest member's).
    QList<int> groupOf(candidates.size());
    std::iota(groupOf.begin(), groupOf.end(), 0);
    std::function<int(int)> root = [&](int i) { return groupOf[i] == i ? i : groupOf[i] = root(groupOf[i]); };
    for (qsizetype a = 0; a < candidates.size(); ++a)
        for (qsizetype b = a + 1; b < candidates.size(); ++b) {
            const QRectF box = page.blocks[candidates[a]].bbox, other = page.blocks[candidates[b]].bbox;
            const double line = page.blocks[candidates[a]].fontSize() * 1.2;
            const bool sideBySide = overlapsVertically(box, other);
            const bool stacked = qMin(box.right(), other.right()) > qMax(box.left(), other.left())
                && qMax(box.top() - other.bottom(), other.top() - box.bottom()) < 2 * line;
            if (sideBySide || stacked)
                groupOf[qMax(root(int(a)), root(int(b)))] = qMin(root(int(a)), root(int(b)));
        }
    QMap<int, QList<int>> byRoot;
    for (qsizetype i = 0; i < candidates.size(); ++i)
        byRoot[root(int(i))].append(candidates[i]);
    const QList<QList<int>> groups = byRoot.values();
    QList<int> absorbed;
    for (const QList<int> &group : std::as_const(groups)) {
        QList<TextLine> lines;
        for (const int index : group)
            lines += page.blocks[index].lines;
        if (lines.size() < kMinModelTableRows)
            continue;
        const QList<TextBlock> tables = unruledTablesIn(lines, kMinModelTableRows);
        if (tables.size() != 1)
            continue;
        const QRectF area = tables.first().bbox.adjusted(-2, -2, 2, 2);
        if (!std::all_of(lines.cbegin(), lines.cend(), [&area](const TextLine &line) { return area.contains(line.bbox.center()); }))
            continue;
        // In the reading order of the group's first block.
        const int first = *std::min_element(group.cbegin(), group.cend());
        page.blocks[first] = tables.first();
        for (const int index : group)
            if (index != first)
                absorbed.append(index);
    }
    std::sort(absorbed.begin(), absorbed.end(), std::greater<int>());
    for (const int index : std::as_const(absorbed))
        page.blocks.removeAt(index);
}

// "(7)" at the right margin, on the line of a display formula, is the
// formula's number: it joins the nearest formula line to its left, within
// its column (a formula beside it in the other column is not its own).
void attachEquationNumbers(PageLayout &page)
{
    static const QRegularExpression number(QLatin1Char('^') + QString::fromLatin1(kEquationNumberPattern) + QLatin1Char('$'));
    const double reach = kMaxEquationNumberGap * page.size.width();
    for (qsizetype i = page.blocks.size() - 1; i >= 0; --i) {
        const TextBlock &label = page.blocks[i];
        if (label.lines.size() != 1 || (label.type != BlockType::Text && label.type != BlockType::Formula)
            || !number.match(label.text().trimmed()).hasMatch())
            continue;
        TextLine *nearest = nullptr;
        TextBlock *owner = nullptr;
        for (TextBlock &formula : page.blocks) {
            if (formula.type != BlockType::Formula || &formula == &label)
                continue;
            for (TextLine &line : formula.lines) {
                const double gap = label.bbox.left() - line.bbox.right();
                if (overlapsVertically(line.bbox, label.bbox) && gap >= 0 && gap <= reach
                    && (!nearest || gap < label.bbox.left() - nearest->bbox.right())) {
                    nearest = &line;
                    owner = &formula;
                }
            }
        }
        if (!nearest)
            continue;
        if (!nearest->spans.isEmpty())
            nearest->spans.last().spaceAfter = true;
        nearest->spans += label.lines.first().spans;
        nearest->bbox = nearest->bbox.united(label.bbox);
        owner->bbox = owner->bbox.united(label.bbox);
        page.blocks.removeAt(i);
    }
}

} // namespace

QString BlockRoleModel::defaultPath()
{
    // Looked up once per process: every parse asks.
    static const QString found = [] {
        const QString name = QStringLiteral("/block_roles.pt");
        const QString appDir = QCoreApplication::applicationDirPath();
        QStringList candidates{qEnvironmentVariable("DOCRAY_BLOCK_MODEL")};
        if (!appDir.isEmpty()) // without an application object there is no executable to look beside
            candidates << appDir + QStringLiteral("/../models") + name
                       << appDir + QStringLiteral("/../share/doc-ray/models") + name;
        candidates << QStringLiteral(DOCRAY_MODELS_BUILD_DIR) + name;
        for (const QString &path : std::as_const(candidates))
            if (!path.isEmpty() && QFile::exists(path))
                return path;
        return QString();
    }();
    return found;
}

Result<BlockRoleModel> BlockRoleModel::load(const QList<OutlineEntry> &outline, const BlockModelOptions &options,
                                            const QString &modelPath)
{
    if (modelPath.isEmpty())
        return Error{ErrorCode::Internal, QStringLiteral("The block-role model file (block_roles.pt) was not found.")};
    const Result<std::shared_ptr<const BlockClassifier>> classifier
        = BlockClassifier::load(modelPath, static_cast<int>(BlockFeatures::names().size()));
    if (!classifier)
        return classifier.error();
    // With one probability per class and row, every role is one doc-ray knows.
    if ((*classifier)->classCount() != kBlockRoleCount)
        return Error{ErrorCode::Internal, QStringLiteral("The block-role model has %1 classes; doc-ray knows %2.")
                                              .arg((*classifier)->classCount())
                                              .arg(kBlockRoleCount)};
    return BlockRoleModel(*classifier, outline, options);
}

BlockRoleModel::BlockRoleModel(std::shared_ptr<const BlockClassifier> classifier, const QList<OutlineEntry> &outline,
                               const BlockModelOptions &options)
    : m_classifier(std::move(classifier))
    , m_options(options)
    , m_context(outline)
    , m_sizeRatio(BlockFeatures::names().indexOf(QStringLiteral("size_ratio")))
{
}

void BlockRoleModel::apply(PageLayout &page)
{
    const int featureCount = m_classifier->featureCount();
    std::vector<float> rows;
    QList<BlockRef> refs;
    m_context.computePage(page, 0, &rows, &refs);
    const std::vector<float> probabilities = m_classifier->probabilities(rows);
    const std::vector<int> roles = mostLikely(probabilities, kBlockRoleCount);
    QList<int> tableParts; // blocks the model takes for parts of tables
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const auto role = static_cast<BlockRole>(roles[size_t(i)]);
        if (actionConfidence(probabilities, i, role) < kMinConfidence)
            continue;
        TextBlock &block = page.blocks[refs[i].block];
        // Furniture the rules found repeats across pages, which the model
        // only sees as one feature of many: it stays discarded. Lists the
        // rules found by their markers stay lists: the synthetic training
        // pages do not show the variety of real lists, and undoing them lost
        // list recall on the dev corpus.
        if (block.type != BlockType::Text && block.type != BlockType::Title)
            continue;
        // A slide's title sits where running headers do, and the model
        // takes it for one: furniture is never a heading the rules found,
        // nor set larger than the body, nor large type (on slides, titles
        // may be most of the text, and so "the body"). Nor is it text below
        // the top or above the bottom tenth of the page: the model leans on
        // repetition, and the first line of every page of a short form
        // repeats too.
        if (isFurniture(role)
            && (block.type == BlockType::Title || block.fontSize() >= kMinNeverFurniturePoints
                || !inFurnitureBand(block.bbox, page.size)
                || rows[size_t(i) * size_t(featureCount) + size_t(m_sizeRatio)] > kMaxFurnitureSizeRatio))
            continue;
        // An API's name set as a heading in bold code the model takes for
        // a line of code: the synthetic pages it learned from have no such
        // headings.
        if (block.type == BlockType::Title && isMonospaced(block) && !isHeading(role) && !isFurniture(role))
            continue;
        // Headings are a line or two: a long block the model calls one is
        // unlike anything it was trained on (an OCR'd page's garbled text);
        // nor is a Chinese sentence one, whatever its type.
        if (isHeading(role) && block.type == BlockType::Text
            && (block.lines.size() > kMaxHeadingLines || block.text().size() > kMaxHeadingCharacters
                || endsInCjkFullStop(block.text())))
            continue;
        if ((role == BlockRole::Formula && !m_options.formulas) || (role == BlockRole::Table && !m_options.tables))
            continue;
        if (role == BlockRole::Table && block.type == BlockType::Text)
            tableParts.append(refs[i].block);
        retype(block, role);
    }
    // Blocks are removed here, after every row above was matched to its block.
    if (!tableParts.isEmpty())
        makeTables(page, tableParts);
    attachEquationNumbers(page);
}

QString BlockRoleModel::apply(QList<PageLayout> &pages, const QList<OutlineEntry> &outline,
                              const BlockModelOptions &options, const QString &modelPath)
{
    Result<BlockRoleModel> model = load(outline, options, modelPath);
    if (!model)
        return model.errorMessage();
    for (const PageLayout &page : std::as_const(pages))
        model->count(page);
    for (PageLayout &page : pages)
        model->apply(page);
    return {};
}

} // namespace DocRay
