#include "engine/pdf/ccittimage.h"

#include <Object.h> // before Stream.h, which needs Object.h complete
#include <Stream.h>

#include <tiffio.h>

#include <algorithm>
#include <cstdarg>
#include <cstring>
#include <memory>

namespace DocRay {

namespace {

// The encoded data with a TIFF header and directory before it, read by
// libtiff through the client procedures below.
struct MemoryTiff {
    std::vector<unsigned char> bytes;
    toff_t position = 0;
};

tmsize_t readTiff(thandle_t handle, void *buffer, tmsize_t size)
{
    auto *tiff = static_cast<MemoryTiff *>(handle);
    const auto left = tmsize_t(tiff->bytes.size()) - tmsize_t(std::min<toff_t>(tiff->position, tiff->bytes.size()));
    const tmsize_t count = std::clamp<tmsize_t>(size, 0, left);
    if (count > 0)
        std::memcpy(buffer, tiff->bytes.data() + tiff->position, size_t(count));
    tiff->position += toff_t(count);
    return count;
}

tmsize_t writeTiff(thandle_t, void *, tmsize_t)
{
    return 0;
}

toff_t seekTiff(thandle_t handle, toff_t offset, int whence)
{
    auto *tiff = static_cast<MemoryTiff *>(handle);
    if (whence == SEEK_CUR)
        offset += tiff->position;
    else if (whence == SEEK_END)
        offset += tiff->bytes.size();
    tiff->position = offset;
    return offset;
}

int closeTiff(thandle_t)
{
    return 0;
}

toff_t tiffSize(thandle_t handle)
{
    return static_cast<MemoryTiff *>(handle)->bytes.size();
}

// Anything libtiff reports (a line too long or short, a bad code) marks the
// data damaged, off stderr: such images are left to Poppler's reading.
int noteDamage(TIFF *, void *damaged, const char *, const char *, va_list)
{
    *static_cast<bool *>(damaged) = true;
    return 1;
}

void append16(std::vector<unsigned char> &out, unsigned value)
{
    out.insert(out.end(), {static_cast<unsigned char>(value), static_cast<unsigned char>(value >> 8)});
}

void append32(std::vector<unsigned char> &out, quint32 value)
{
    for (int shift = 0; shift < 32; shift += 8)
        out.push_back(static_cast<unsigned char>(value >> shift));
}

// A little-endian TIFF of one strip of Group 4 data, `encodedSize` bytes
// right after its one directory.
std::vector<unsigned char> tiffHeader(int width, int height, quint32 encodedSize)
{
    struct Field {
        unsigned tag;
        unsigned type; // 3 SHORT, 4 LONG
        quint32 value;
    };
    constexpr unsigned kShort = 3, kLong = 4;
    constexpr quint32 kDirectoryOffset = 8;
    const Field fields[] = {
        {TIFFTAG_IMAGEWIDTH, kLong, quint32(width)},
        {TIFFTAG_IMAGELENGTH, kLong, quint32(height)},
        {TIFFTAG_BITSPERSAMPLE, kShort, 1},
        {TIFFTAG_COMPRESSION, kShort, COMPRESSION_CCITTFAX4},
        {TIFFTAG_PHOTOMETRIC, kShort, PHOTOMETRIC_MINISWHITE},
        {TIFFTAG_STRIPOFFSETS, kLong, 0}, // set below, once the header's size is known
        {TIFFTAG_SAMPLESPERPIXEL, kShort, 1},
        {TIFFTAG_ROWSPERSTRIP, kLong, quint32(height)},
        {TIFFTAG_STRIPBYTECOUNTS, kLong, encodedSize},
    };
    const auto count = unsigned(std::size(fields));
    const quint32 dataOffset = kDirectoryOffset + 2 + 12 * count + 4;
    std::vector<unsigned char> header{'I', 'I', 42, 0};
    append32(header, kDirectoryOffset);
    append16(header, count);
    for (const Field &field : fields) {
        append16(header, field.tag);
        append16(header, field.type);
        append32(header, 1);
        const quint32 value = field.tag == TIFFTAG_STRIPOFFSETS ? dataOffset : field.value;
        if (field.type == kShort) {
            append16(header, value);
            append16(header, 0);
        } else {
            append32(header, value);
        }
    }
    append32(header, 0); // no next directory
    return header;
}

// The bytes the CCITT filter decodes: what the filters before it give.
bool readEncoded(Stream *input, qint64 maxBytes, std::vector<unsigned char> *out)
{
    input->reset();
    unsigned char chunk[65536];
    int read = 0;
    bool fits = true;
    while (fits && (read = input->doGetChars(int(sizeof chunk), chunk)) > 0) {
        out->insert(out->end(), chunk, chunk + read);
        fits = qint64(out->size()) <= maxBytes;
    }
    input->close();
    return fits && !out->empty();
}

} // namespace

std::optional<CcittImage> CcittImage::decode(Stream *stream, int width, int height, qint64 maxBytes)
{
    if (!stream || stream->getKind() != strCCITTFax || width <= 0 || height <= 0)
        return std::nullopt;
    auto *fax = static_cast<CCITTFaxStream *>(stream);
    if (fax->getEncoding() >= 0 || fax->getEncodedByteAlign() || fax->getEndOfLine() || fax->getColumns() != width)
        return std::nullopt;
    CcittImage image;
    image.m_rowBytes = (size_t(width) + 7) / 8;
    if (qint64(image.m_rowBytes) * height > maxBytes)
        return std::nullopt;
    MemoryTiff tiff;
    std::vector<unsigned char> encoded;
    if (!readEncoded(stream->getNextStream(), maxBytes, &encoded))
        return std::nullopt;
    tiff.bytes = tiffHeader(width, height, quint32(encoded.size()));
    tiff.bytes.insert(tiff.bytes.end(), encoded.begin(), encoded.end());

    const std::unique_ptr<TIFFOpenOptions, decltype(&TIFFOpenOptionsFree)> options(TIFFOpenOptionsAlloc(),
                                                                                   &TIFFOpenOptionsFree);
    bool damaged = false;
    TIFFOpenOptionsSetErrorHandlerExtR(options.get(), &noteDamage, &damaged);
    TIFFOpenOptionsSetWarningHandlerExtR(options.get(), &noteDamage, &damaged);
    const std::unique_ptr<TIFF, decltype(&TIFFClose)> reader(
        TIFFClientOpenExt("ccitt", "rm", &tiff, &readTiff, &writeTiff, &seekTiff, &closeTiff, &tiffSize, nullptr,
                          nullptr, options.get()),
        &TIFFClose);
    if (!reader || damaged || TIFFScanlineSize64(reader.get()) != image.m_rowBytes)
        return std::nullopt;
    image.m_bits.resize(image.m_rowBytes * size_t(height));
    for (int y = 0; y < height; ++y)
        if (TIFFReadScanline(reader.get(), image.m_bits.data() + size_t(y) * image.m_rowBytes, quint32(y)) < 0 || damaged)
            return std::nullopt;
    // libtiff sets black pixels; Poppler's reading sets white ones unless BlackIs1.
    if (!fax->getBlackIs1())
        for (unsigned char &bits : image.m_bits)
            bits = static_cast<unsigned char>(~bits);
    return image;
}

} // namespace DocRay
