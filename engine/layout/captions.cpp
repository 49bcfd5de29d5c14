#include "engine/layout/captions.h"

#include "engine/layout/layoutgeometry.h"

#include <QRegularExpression>

namespace DocRay {

namespace {

bool isCaption(const TextBlock &block)
{
    static const QRegularExpression caption(
        QStringLiteral("^(figure|fig\\.|chart|image|photo|picture|graph|diagram|abbildung|abb\\.|illustration|图|圖|図)\\s*[0-9IVXivx]"),
        QRegularExpression::CaseInsensitiveOption);
    return block.type == BlockType::Text && caption.match(block.text().trimmed()).hasMatch();
}

} // namespace

void attachCaptions(PageLayout &page)
{
    for (qsizetype f = 0; f < page.blocks.size(); ++f) {
        TextBlock &figure = page.blocks[f];
        if (figure.type != BlockType::Figure || !figure.caption.isEmpty())
            continue;
        qsizetype best = -1;
        double bestGap = 0;
        for (qsizetype c = 0; c < page.blocks.size(); ++c) {
            const TextBlock &candidate = page.blocks[c];
            if (!isCaption(candidate) || horizontalOverlap(candidate.bbox, figure.bbox) <= 0)
                continue;
            const double lineHeight = qMax(candidate.lines.first().bbox.height(), 1.0);
            const double below = candidate.bbox.top() - figure.bbox.bottom();
            const double above = figure.bbox.top() - candidate.bbox.bottom();
            // Captions sit below their figure more often: those win a tie.
            const double gap = below > -lineHeight ? below : above + lineHeight;
            if (gap < -lineHeight || gap > 4 * lineHeight)
                continue;
            if (best < 0 || gap < bestGap) {
                best = c;
                bestGap = gap;
            }
        }
        if (best < 0)
            continue;
        figure.caption = page.blocks[best].lines;
        page.blocks.removeAt(best);
        if (best < f)
            --f;
    }
}

} // namespace DocRay
