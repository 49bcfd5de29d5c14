#pragma once

#include "engine/core/pagelayout.h"
#include "engine/core/scratchfile.h"

#include <QList>

namespace DocRay {

// A document's pages between the passes of its analysis. The first
// `heldPages` stay as they are; every page after them is encoded and
// deflated (a book's page 23 KB encoded, 9 KB kept) into a scratch file
// (scratchfile.h; in memory where none can be made), so a long document's
// memory does not grow with its pages, while a short one pays nothing for
// it. Exact for every field read once lines are built (layoutcodec).
// Owned by one thread.
class PageSpill final
{
public:
    static constexpr qsizetype kHeldPages = 256;

    explicit PageSpill(qsizetype heldPages = kHeldPages)
        : m_heldPages(heldPages)
    {
    }

    void append(const PageLayout &page);
    void replace(qsizetype index, const PageLayout &page);
    PageLayout at(qsizetype index) const;
    PageLayout take(qsizetype index); // the page, its memory released here
    qsizetype size() const { return m_held.size() + m_packed.size(); }

private:
    ScratchBytes::Place stored(const PageLayout &page);
    PageLayout loaded(const ScratchBytes::Place &place) const;

    qsizetype m_heldPages;
    QList<PageLayout> m_held;              // the first pages
    QList<ScratchBytes::Place> m_packed;   // the pages after them
    ScratchBytes m_scratch{"a long document's pages"};
};

} // namespace DocRay
