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

} // namespace

void PageSpill::append(const PageLayout &page)
{
    m_pages.append(packed(page));
}

void PageSpill::replace(qsizetype index, const PageLayout &page)
{
    m_pages[index] = packed(page);
}

PageLayout PageSpill::at(qsizetype index) const
{
    return decodePage(qUncompress(m_pages.at(index)));
}

PageLayout PageSpill::take(qsizetype index)
{
    return decodePage(qUncompress(std::exchange(m_pages[index], QByteArray())));
}

} // namespace DocRay
