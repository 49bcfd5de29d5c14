#pragma once

#include "engine/core/pagelayout.h"

#include <memory>

namespace DocRay {

// Writes analysed pages as GitHub-flavoured markdown: headings, paragraphs
// with line-end hyphenation undone, and bulleted or numbered lists.
//
// Pages are added one at a time, in order, and each may be released once
// added: a long document's layouts are never all held at once, and its
// markdown is packed as it is written (only the blocks a later page may
// still extend wait as text). Owned by one thread.
class MarkdownWriter final
{
public:
    MarkdownWriter();
    ~MarkdownWriter();

    void addPage(const PageLayout &page);
    // The markdown of the pages added as UTF-8, packed (packedbytes.h); the writer starts over.
    QByteArray finish();

    // Joins a block's lines into running text, rejoining hyphenated words.
    static QString joinLines(const QList<TextLine> &lines);
    // Text as a reader types it: ligatures ("ﬃ") as their letters, odd
    // spaces as spaces, soft hyphens gone; every writer's text goes through it.
    static QString readableText(QString text);

private:
    struct State;
    std::unique_ptr<State> m_state;
};

} // namespace DocRay
