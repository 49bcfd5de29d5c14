#include "engine/blockmodel.h"

#include "engine/blockfeatures.h"
#include "engine/layoutanalyzer.h"
#include "engine/pageregions.h"
#include "engine/tensor/pageanalysis.h"

#include <QCoreApplication>
#include <QFile>

namespace DocRay {

namespace {

constexpr float kMaxFurnitureSizeRatio = 1.2f;

void retype(TextBlock &block, BlockRole role)
{
    switch (role) {
    case BlockRole::Title:
    case BlockRole::Heading:
    case BlockRole::Subheading:
        if (block.type == BlockType::Title)
            return; // the rules' level is consistent across the document
        block.type = BlockType::Title;
        if (const int depth = LayoutAnalyzer::numberingDepth(block.text()))
            block.headingLevel = qMin(6, depth + 1);
        else
            block.headingLevel = role == BlockRole::Title ? 1 : role == BlockRole::Heading ? 2 : 3;
        return;
    case BlockRole::ListItem:
        // The writer splits a list at its markers: without one there is
        // no item to write. A heading the rules found with a marker is an
        // enumerated subheading ("(1) Scope"), which the model never saw.
        if (!LayoutAnalyzer::startsListItem(block.lines.first()) || block.type == BlockType::Title)
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
    case BlockRole::Paragraph:
    case BlockRole::Caption:
    case BlockRole::Code:
        block.type = BlockType::Text;
        break;
    }
    block.headingLevel = 0;
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

QString BlockRoleModel::apply(QList<PageLayout> &pages, const QList<OutlineEntry> &outline, const QString &modelPath)
{
    if (modelPath.isEmpty())
        return QStringLiteral("The block-role model file (block_roles.pt) was not found.");
    QString error;
    const Tensor::ModuleApi *module = loadTensorModule(&error);
    if (!module)
        return error;
    std::vector<float> rows;
    QList<BlockRef> refs;
    BlockFeatures::compute(pages, outline, &rows, &refs);
    if (refs.isEmpty())
        return {};
    // A few hundred rows of a few dozen features: the CPU is quicker than a
    // round trip to a GPU.
    const int featureCount = static_cast<int>(BlockFeatures::names().size());
    const qsizetype sizeRatio = BlockFeatures::names().indexOf(QStringLiteral("size_ratio"));
    const Tensor::BlockClassification result = module->classifyBlocks(rows, featureCount, modelPath.toStdString(), "cpu");
    if (!result.error.empty())
        return QString::fromStdString(result.error);
    for (const int role : result.roles)
        if (role < 0 || role >= kBlockRoleCount)
            return QStringLiteral("The block-role model has more classes than the %1 doc-ray knows.").arg(kBlockRoleCount);
    for (qsizetype i = 0; i < refs.size(); ++i) {
        if (result.confidence[size_t(i)] < kMinConfidence)
            continue;
        TextBlock &block = pages[refs[i].page].blocks[refs[i].block];
        // Furniture the rules found repeats across pages, which the model
        // only sees as one feature of many: it stays discarded. Lists the
        // rules found by their markers stay lists: the synthetic training
        // pages do not show the variety of real lists, and undoing them lost
        // list recall on the dev corpus.
        if (block.type != BlockType::Text && block.type != BlockType::Title)
            continue;
        const auto role = static_cast<BlockRole>(result.roles[size_t(i)]);
        // A slide's title sits where running headers do, and the model
        // takes it for one: furniture is never a heading the rules found,
        // nor set larger than the body.
        const bool furniture = role == BlockRole::Header || role == BlockRole::Footer || role == BlockRole::PageNumber;
        if (furniture
            && (block.type == BlockType::Title
                || rows[size_t(i) * size_t(featureCount) + size_t(sizeRatio)] > kMaxFurnitureSizeRatio))
            continue;
        retype(block, role);
    }
    return {};
}

} // namespace DocRay
