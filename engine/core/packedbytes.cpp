#include "engine/core/packedbytes.h"

#include <QIODevice>
#include <QtEndian>

#include <zlib.h>

#include <utility>

namespace DocRay {

namespace {

const QByteArray kMarker = QByteArrayLiteral("DRZ1");
constexpr qsizetype kHeader = 8; // the marker, then the unpacked size
constexpr int kLevel = 1;        // a third of level 6's time on a book's middle JSON, for 0.84 MB stored instead of 0.59
constexpr qsizetype kPiece = 1 << 16;

} // namespace

bool isPacked(const QByteArray &bytes)
{
    return bytes.startsWith(kMarker);
}

QByteArray pack(QByteArray bytes)
{
    if (bytes.isNull() || isPacked(bytes) || bytes.size() < kPackFromBytes)
        return bytes;
    PackingStream stream;
    stream.append(bytes);
    bytes = QByteArray(); // released before the packed bytes are finished
    return stream.finish();
}

QByteArray unpack(const QByteArray &bytes)
{
    return isPacked(bytes) ? qUncompress(bytes.mid(kMarker.size())) : bytes;
}

bool unpackTo(const QByteArray &bytes, QIODevice *out)
{
    if (!isPacked(bytes))
        return out->write(bytes) == bytes.size();
    z_stream zlib{};
    if (inflateInit(&zlib) != Z_OK)
        return false;
    zlib.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.constData() + kHeader));
    zlib.avail_in = static_cast<uInt>(qMax<qsizetype>(0, bytes.size() - kHeader));
    QByteArray piece(kPiece, Qt::Uninitialized);
    int status = Z_OK;
    bool written = true;
    while (status == Z_OK && written) {
        zlib.next_out = reinterpret_cast<Bytef *>(piece.data());
        zlib.avail_out = static_cast<uInt>(piece.size());
        status = inflate(&zlib, Z_NO_FLUSH);
        const qsizetype made = piece.size() - zlib.avail_out;
        written = (status == Z_OK || status == Z_STREAM_END) && out->write(piece.constData(), made) == made;
    }
    inflateEnd(&zlib);
    return written && status == Z_STREAM_END;
}

struct PackingStream::Zlib {
    z_stream stream{};
};

PackingStream::PackingStream()
    : m_zlib(std::make_unique<Zlib>())
{
    deflateInit(&m_zlib->stream, kLevel);
}

PackingStream::~PackingStream()
{
    deflateEnd(&m_zlib->stream);
}

void PackingStream::append(QByteArrayView bytes)
{
    m_size += bytes.size();
    if (m_packed.isEmpty() && m_size < kPackFromBytes) {
        m_plain.append(bytes);
        return;
    }
    if (m_packed.isEmpty()) {
        m_packed = kMarker + QByteArray(kHeader - kMarker.size(), '\0');
        deflateBytes(std::exchange(m_plain, QByteArray()));
    }
    deflateBytes(bytes);
}

void PackingStream::deflateBytes(QByteArrayView bytes)
{
    z_stream &zlib = m_zlib->stream;
    zlib.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(bytes.data()));
    zlib.avail_in = static_cast<uInt>(bytes.size());
    while (zlib.avail_in > 0) {
        const qsizetype before = m_packed.size();
        m_packed.resize(before + qMax<qsizetype>(kPiece, deflateBound(&zlib, zlib.avail_in) / 4));
        zlib.next_out = reinterpret_cast<Bytef *>(m_packed.data() + before);
        zlib.avail_out = static_cast<uInt>(m_packed.size() - before);
        deflate(&zlib, Z_NO_FLUSH);
        m_packed.resize(m_packed.size() - zlib.avail_out);
    }
}

QByteArray PackingStream::finish()
{
    const qint64 size = std::exchange(m_size, 0);
    if (m_packed.isEmpty())
        return std::exchange(m_plain, QByteArray(""));
    z_stream &zlib = m_zlib->stream;
    int status = Z_OK;
    while (status == Z_OK) {
        const qsizetype before = m_packed.size();
        m_packed.resize(before + kPiece);
        zlib.next_out = reinterpret_cast<Bytef *>(m_packed.data() + before);
        zlib.avail_out = static_cast<uInt>(kPiece);
        status = deflate(&zlib, Z_FINISH);
        m_packed.resize(m_packed.size() - zlib.avail_out);
    }
    qToBigEndian(static_cast<quint32>(size), m_packed.data() + kMarker.size());
    m_packed.squeeze();
    deflateReset(&zlib);
    return std::exchange(m_packed, QByteArray());
}

} // namespace DocRay
