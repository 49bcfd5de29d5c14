#pragma once

#include "engine/core/pagelayout.h"

#include <QByteArray>
#include <QFile>
#include <QList>

#include <memory>

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
    // A page after the first: in the file at `at`, or in `bytes`.
    struct Packed {
        qint64 at = -1;
        qint64 size = 0;
        QByteArray bytes;
    };
    Packed stored(const PageLayout &page);
    PageLayout loaded(const Packed &packed) const;

    qsizetype m_heldPages;
    QList<PageLayout> m_held; // the first pages
    QList<Packed> m_packed;   // the pages after them
    std::unique_ptr<QFile> m_file;
    bool m_noFile = false; // none could be made: pages are kept in memory
};

} // namespace DocRay
