#pragma once

#include "engine/core/pagelayout.h"

#include <QHash>

namespace DocRay {

// The texts in the margin bands, counted page by page over the whole
// document before any page is marked. Owned by one thread.
class FurnitureCounts final
{
public:
    void count(const PageLayout &page);
    // Whether text like `block` stands in the margin bands of enough pages
    // to be a running head.
    bool repeats(const TextBlock &block) const;

private:
    QHash<QString, int> m_pagesWithKey; // by furnitureKey, pages it stands on
    int m_pages = 0;
};

// Page numbers and running headers and footers: text blocks in the top or
// bottom margin band that read as page numbers, repeat on many pages (in
// type no larger than the body), share a row with a page number, or stand
// alone at the page's very edge (a download stamp); and a page number set
// apart under a page's last text, wherever that ends. They are kept, as
// Discarded blocks.
void markFurniture(PageLayout &page, const FurnitureCounts &counts, double bodySize);

} // namespace DocRay
