#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Writes analysed pages as GitHub-flavoured markdown: headings, paragraphs
// with line-end hyphenation undone, and bulleted or numbered lists.
class MarkdownWriter final
{
public:
    QString write(const QList<PageLayout> &pages) const;

    // Joins a block's lines into running text, rejoining hyphenated words.
    static QString joinLines(const QList<TextLine> &lines);
    // Text as a reader types it: ligatures ("ﬃ") as their letters, odd
    // spaces as spaces, soft hyphens gone; every writer's text goes through it.
    static QString readableText(QString text);
};

} // namespace DocRay
