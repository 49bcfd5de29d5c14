#pragma once

#include <QByteArray>
#include <QByteArrayView>

#include <memory>

class QIODevice;

namespace DocRay {

// Large text kept deflated: a long document's middle JSON and its images'
// JSON are written into one as they are made, carried packed to the store
// and stored as they are. The format is the one the stores have always
// written: "DRZ1", then qCompress's (the unpacked size as four big-endian
// bytes, then a zlib stream) at zlib's fastest level. Text under
// kPackFromBytes stays as it is: a short document's JSON is not worth the
// deflating (7% of a worker's time on 10-page text PDFs) nor, when it is
// read, the inflating; every reader takes both forms.

inline constexpr qsizetype kPackFromBytes = 1 << 20;

bool isPacked(const QByteArray &bytes);
QByteArray pack(QByteArray bytes); // packed whole from kPackFromBytes; packed bytes stay as they are
QByteArray unpack(const QByteArray &bytes); // bytes without the marker are returned as they are
// Writes the unpacked bytes to `out` piece by piece, never all at once.
bool unpackTo(const QByteArray &bytes, QIODevice *out);

// Packs bytes appended piece by piece. Owned by one thread.
class PackingStream final
{
public:
    PackingStream();
    ~PackingStream();
    PackingStream(const PackingStream &) = delete;
    PackingStream &operator=(const PackingStream &) = delete;

    void append(QByteArrayView bytes);
    QByteArray finish(); // the bytes, packed from kPackFromBytes; the stream starts over

private:
    void deflateBytes(QByteArrayView bytes);

    struct Zlib;
    std::unique_ptr<Zlib> m_zlib;
    QByteArray m_plain;  // the bytes while they are fewer than kPackFromBytes
    QByteArray m_packed; // the bytes deflated, once they were not
    qint64 m_size = 0;   // bytes appended
};

} // namespace DocRay
