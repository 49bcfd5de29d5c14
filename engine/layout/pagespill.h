#pragma once

#include "engine/core/pagelayout.h"

#include <QByteArray>
#include <QList>

namespace DocRay {

// A document's pages between the passes of its analysis, each kept encoded
// and deflated (a book's page 35 KB encoded, 13 KB kept): a long
// document's memory is its pages' bytes, not its pages. Exact for every
// field read once lines are built (layoutcodec). Owned by one thread.
class PageSpill final
{
public:
    void append(const PageLayout &page);
    void replace(qsizetype index, const PageLayout &page);
    PageLayout at(qsizetype index) const;
    PageLayout take(qsizetype index); // the page, its bytes released
    qsizetype size() const { return m_pages.size(); }

private:
    QList<QByteArray> m_pages;
};

} // namespace DocRay
