#include "engine/layout/pagespill.h"

#include "engine/core/scratchfile.h"
#include "engine/layout/layoutcodec.h"

#include <utility>

namespace DocRay {

// zlib's fastest level: pages are packed and unpacked once per pass. A
// page replaced is written anew at the file's end: a pass rewrites each
// page once, so the file stays a few times the pages' bytes.
PageSpill::Packed PageSpill::stored(const PageLayout &page)
{
    Packed packed;
    packed.bytes = qCompress(encodePage(page), 1);
    if (!m_file && !m_noFile) {
        Result<std::unique_ptr<QFile>> made = openScratchFile();
        m_noFile = !made;
        if (made)
            m_file = std::move(*made);
        else
            qWarning("a long document's pages are kept in memory: %s", qPrintable(made.errorMessage()));
    }
    const qint64 end = m_file ? m_file->size() : 0;
    if (m_file && m_file->seek(end) && m_file->write(packed.bytes) == packed.bytes.size()) {
        packed.at = end;
        packed.size = packed.bytes.size();
        packed.bytes = QByteArray();
    } else {
        packed.bytes.squeeze(); // a full disk: this page stays in memory
    }
    return packed;
}

PageLayout PageSpill::loaded(const Packed &packed) const
{
    if (packed.at < 0)
        return decodePage(qUncompress(packed.bytes));
    QByteArray bytes;
    if (m_file->seek(packed.at))
        bytes = m_file->read(packed.size);
    if (bytes.size() != packed.size)
        qWarning("a page could not be read back from its scratch file: %s", qPrintable(m_file->errorString()));
    return decodePage(qUncompress(bytes));
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
    return loaded(std::exchange(m_packed[index - m_held.size()], Packed()));
}

} // namespace DocRay
