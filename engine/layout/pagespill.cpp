#include "engine/layout/pagespill.h"

#include "engine/layout/layoutcodec.h"

#include <utility>

namespace DocRay {

// zlib's fastest level: pages are packed and unpacked once per pass. A
// page replaced is written anew at the file's end: a pass rewrites each
// page once, so the file stays a few times the pages' bytes.
ScratchBytes::Place PageSpill::stored(const PageLayout &page)
{
    return m_scratch.put(qCompress(encodePage(page), 1));
}

PageLayout PageSpill::loaded(const ScratchBytes::Place &place) const
{
    return decodePage(qUncompress(m_scratch.get(place)));
}

void PageSpill::append(const PageLayout &page)
{
    if (m_packed.isEmpty() && m_held.size() < m_heldPages)
        m_held.append(page);
    else
        m_packed.append(stored(page));
}

void PageSpill::replace(qsizetype index, const PageLayout &page)
{
    if (index < m_held.size())
        m_held[index] = page;
    else
        m_packed[index - m_held.size()] = stored(page);
}

PageLayout PageSpill::at(qsizetype index) const
{
    return index < m_held.size() ? m_held.at(index) : loaded(m_packed.at(index - m_held.size()));
}

PageLayout PageSpill::take(qsizetype index)
{
    if (index < m_held.size())
        return std::exchange(m_held[index], PageLayout());
    return loaded(std::exchange(m_packed[index - m_held.size()], ScratchBytes::Place()));
}

} // namespace DocRay
