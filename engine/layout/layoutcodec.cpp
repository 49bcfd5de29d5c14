#include "engine/layout/layoutcodec.h"

#include <QDataStream>
#include <QIODevice>

namespace DocRay {

namespace {

// Bumped whenever the page model gains a field, so a replica of another
// version refuses the bytes instead of misreading them.
constexpr quint32 kMagic = 0x44524c31; // "DRL1"

} // namespace

// In DocRay itself (internal linkage) so that QList's stream operators find
// them by argument-dependent lookup.

static QDataStream &operator<<(QDataStream &out, const TextSpan &span)
{
    return out << span.text << span.bbox << span.fontSize << span.fontName << span.bold << span.spaceAfter;
}

static QDataStream &operator>>(QDataStream &in, TextSpan &span)
{
    return in >> span.text >> span.bbox >> span.fontSize >> span.fontName >> span.bold >> span.spaceAfter;
}

static QDataStream &operator<<(QDataStream &out, const TextLine &line)
{
    return out << line.spans << line.bbox;
}

static QDataStream &operator>>(QDataStream &in, TextLine &line)
{
    return in >> line.spans >> line.bbox;
}

static QDataStream &operator<<(QDataStream &out, const TextBlock &block)
{
    return out << static_cast<qint32>(block.type) << qint32(block.headingLevel) << block.lines << block.bbox;
}

static QDataStream &operator>>(QDataStream &in, TextBlock &block)
{
    qint32 type = 0, level = 0;
    in >> type >> level >> block.lines >> block.bbox;
    block.type = static_cast<BlockType>(type);
    block.headingLevel = level;
    return in;
}

static QDataStream &operator<<(QDataStream &out, const PageLayout &page)
{
    return out << qint32(page.pageIndex) << page.size << static_cast<qint32>(page.method) << page.lines
               << page.blocks;
}

static QDataStream &operator>>(QDataStream &in, PageLayout &page)
{
    qint32 index = 0, method = 0;
    in >> index >> page.size >> method >> page.lines >> page.blocks;
    page.pageIndex = index;
    page.method = static_cast<ExtractionMethod>(method);
    return in;
}

static QDataStream &operator<<(QDataStream &out, const OutlineEntry &entry)
{
    return out << entry.title << qint32(entry.level);
}

static QDataStream &operator>>(QDataStream &in, OutlineEntry &entry)
{
    qint32 level = 0;
    in >> entry.title >> level;
    entry.level = level;
    return in;
}

QByteArray encodePdfRead(const PdfPages &read)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << kMagic << qint32(read.documentPageCount) << read.pages << read.outline;
    return bytes;
}

std::optional<PdfPages> decodePdfRead(const QByteArray &bytes)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    qint32 pageCount = 0;
    PdfPages read;
    in >> magic;
    if (magic != kMagic)
        return std::nullopt;
    in >> pageCount >> read.pages >> read.outline;
    if (in.status() != QDataStream::Ok)
        return std::nullopt;
    read.documentPageCount = pageCount;
    return read;
}

} // namespace DocRay
