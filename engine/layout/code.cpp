#include "engine/layout/code.h"

#include "engine/layout/textpatterns.h"

#include <algorithm>


namespace DocRay {

namespace {

// Inline code in prose (a function name in a sentence) leaves most of the
// block in the body font: only a block mostly set in monospace is code.
bool isCode(const TextBlock &block)
{
    qsizetype mono = 0, all = 0;
    for (const TextLine &line : block.lines)
        for (const TextSpan &span : line.spans) {
            all += span.text.size();
            if (span.monospace)
                mono += span.text.size();
        }
    return all > 0 && mono * 10 >= all * 8;
}

} // namespace

void markCodeBlocks(QList<PageLayout> &pages, double bodySize)
{
    for (PageLayout &page : pages)
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Text || !isCode(block) || startsListItem(block.lines.first()))
                continue;
            // An API name set as a heading (larger, or bold) stays a heading.
            const bool headingLike = block.lines.size() <= 2
                && (block.fontSize() > bodySize * 1.1
                    || std::all_of(block.lines.cbegin(), block.lines.cend(), [](const TextLine &line) { return line.isBold(); }));
            if (!headingLike)
                block.type = BlockType::Code;
        }
}

} // namespace DocRay
