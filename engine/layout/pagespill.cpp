#include "engine/layout/pagespill.h"

#include "engine/layout/layoutcodec.h"

#include <utility>

namespace DocRay {

namespace {

// zlib's fastest level: pages are packed and unpacked once per pass.
QByteArray packed(const PageLayout &page)
{
    QByteArray bytes = qCompress(encodePage(page), 1);
    bytes.squeeze();
    return bytes;
}

PageLayout unpacked(const QByteArray &bytes)
{
    return decodePage(qUncompress(bytes));
}

} // namespace

void PageSpill::append(const PageLayout &page)
{
    if (m_packed.isEmpty() && m_held.size() < m_heldPages)
        m_held.append(page);
    else
        m_packed.append(packed(page));
}

void PageSpill::replace(qsizetype index, const PageLayout &page)
{
    if (index < m_held.size())
        m_held[index] = page;
    else
        m_packed[index - m_held.size()] = packed(page);
}

PageLayout PageSpill::at(qsizetype index) const
{
    return index < m_held.size() ? m_held.at(index) : unpacked(m_packed.at(index - m_held.size()));
}

PageLayout PageSpill::take(qsizetype index)
{
    if (index < m_held.size())
        return std::exchange(m_held[index], PageLayout());
    return unpacked(std::exchange(m_packed[index - m_held.size()], QByteArray()));
}

} // namespace DocRay
