#pragma once

// Internal to the page content readers: takes Poppler's private Stream.
#include <QtGlobal>

#include <optional>
#include <vector>

class Stream;

namespace DocRay {

// A CCITT Group 4 image (how most scanned pages and drawings in PDFs are
// stored), decoded whole by libtiff. Poppler's stream hands the rows out a
// byte at a time through virtual calls, about six times slower: a book's
// 93-megapixel scanned drawing took 142 ms to read, 22 ms here.
class CcittImage
{
public:
    // The image `stream` holds, `width` x `height` pixels, with 1 bits where
    // Poppler's own reading of the stream gives them (BlackIs1 honoured).
    // Nothing where libtiff cannot take the stream as it stands (another
    // encoding than Group 4, rows aligned to bytes, Columns other than
    // `width`), where the packed image would pass `maxBytes`, or where
    // libtiff finds anything wrong with the data: Poppler's reading, with its
    // own repairs, stays for those.
    static std::optional<CcittImage> decode(Stream *stream, int width, int height, qint64 maxBytes);

    const unsigned char *row(int y) const { return m_bits.data() + size_t(y) * m_rowBytes; }

private:
    size_t m_rowBytes = 0;
    std::vector<unsigned char> m_bits;
};

} // namespace DocRay
