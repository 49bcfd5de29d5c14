#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// What the block-role model may make besides headings, text and furniture
// (parser_params formula_enable and table_enable).
struct BlockModelOptions {
    bool formulas = true;
    bool tables = true;
};

// The trained block-role model (models/block_roles.pt, see models/README.md)
// applied after the layout rules: where it is confident and disagrees with
// the rules' typing, its role wins. Runs in the page-tensor module.
class BlockRoleModel final
{
public:
    // The model file shipped with doc-ray: $DOCRAY_BLOCK_MODEL, else next to
    // the executable (../models, ../share/doc-ray/models), else the build
    // tree's copy. Empty when none exists.
    static QString defaultPath();

    // Below this probability the rules' typing stands.
    static constexpr float kMinConfidence = 0.9f;

    // Retypes the pages' text blocks. Returns why it could not (the module
    // or the file missing or refused); the pages are then left untouched.
    static QString apply(QList<PageLayout> &pages, const QList<OutlineEntry> &outline,
                         const BlockModelOptions &options = {}, const QString &modelPath = defaultPath());
};

} // namespace DocRay
