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
// bytes, then a zlib stream) at zlib's fastest level.

bool isPacked(const QByteArray &bytes);
QByteArray pack(QByteArray bytes); // packed whole; bytes already packed stay as they are
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
    QByteArray finish(); // the packed bytes; the stream starts over

private:
    struct Zlib;
    std::unique_ptr<Zlib> m_zlib;
    QByteArray m_packed;
    qint64 m_size = 0; // bytes appended
};

} // namespace DocRay
