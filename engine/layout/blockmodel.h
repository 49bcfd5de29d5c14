#pragma once

#include "engine/core/pagelayout.h"
#include "engine/core/result.h"
#include "engine/layout/blockfeatures.h"

#include <memory>

namespace DocRay {

class BlockClassifier;

// What the block-role model may make besides headings, text and furniture
// (parser_params formula_enable and table_enable).
struct BlockModelOptions {
    bool formulas = true;
    bool tables = true;
};

// The trained block-role model (models/block_roles.pt, see models/README.md)
// applied after the layout rules: where it is confident and disagrees with
// the rules' typing, its role wins. Owned by one thread (the classifier it
// holds is immutable and shared).
class BlockRoleModel final
{
public:
    // The model file shipped with doc-ray: $DOCRAY_BLOCK_MODEL, else next to
    // the executable (../models, ../share/doc-ray/models), else the build
    // tree's copy. Empty when none exists.
    static QString defaultPath();

    // Below this probability the rules' typing stands.
    static constexpr float kMinConfidence = 0.9f;

    // The model at `modelPath`, or why it cannot be used (the file missing
    // or refused).
    static Result<BlockRoleModel> load(const QList<OutlineEntry> &outline, const BlockModelOptions &options = {},
                                       const QString &modelPath = defaultPath());

    // Every page of the document, once its blocks are final, in order;
    // then apply() to each.
    void count(const PageLayout &page) { m_context.count(page); }
    // Retypes the page's text blocks.
    void apply(PageLayout &page);

    // A whole document at once. Returns why it could not (see load()); the
    // pages are then left untouched.
    static QString apply(QList<PageLayout> &pages, const QList<OutlineEntry> &outline,
                         const BlockModelOptions &options = {}, const QString &modelPath = defaultPath());

private:
    BlockRoleModel(std::shared_ptr<const BlockClassifier> classifier, const QList<OutlineEntry> &outline,
                   const BlockModelOptions &options);

    std::shared_ptr<const BlockClassifier> m_classifier;
    BlockModelOptions m_options;
    BlockFeatureContext m_context;
    qsizetype m_sizeRatio = 0; // the feature's column
};

} // namespace DocRay
