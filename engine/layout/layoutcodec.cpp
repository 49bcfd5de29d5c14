#include "engine/layout/layoutcodec.h"

#include <QDataStream>
#include <QSet>
#include <QIODevice>

namespace DocRay {

namespace {

// Bumped whenever the page model gains a field, so a replica of another
// version refuses the bytes instead of misreading them.
constexpr quint32 kMagic = 0x44524c36; // "DRL6"

} // namespace

// In DocRay itself (internal linkage) so that QList's stream operators find
// them by argument-dependent lookup.

static QDataStream &operator<<(QDataStream &out, const TextSpan &span)
{
    return out << span.text << span.bbox << span.fontSize << span.fontName << span.bold << span.italic
               << span.monospace << span.spaceAfter;
}

static QDataStream &operator>>(QDataStream &in, TextSpan &span)
{
    return in >> span.text >> span.bbox >> span.fontSize >> span.fontName >> span.bold >> span.italic
              >> span.monospace >> span.spaceAfter;
}

static QDataStream &operator<<(QDataStream &out, const TextLine &line)
{
    return out << line.spans << line.bbox;
}

static QDataStream &operator>>(QDataStream &in, TextLine &line)
{
    return in >> line.spans >> line.bbox;
}

static QDataStream &operator<<(QDataStream &out, const TableCell &cell)
{
    return out << qint32(cell.row) << qint32(cell.column) << qint32(cell.rowSpan) << qint32(cell.columnSpan)
               << cell.bbox << cell.text;
}

static QDataStream &operator>>(QDataStream &in, TableCell &cell)
{
    qint32 row = 0, column = 0, rowSpan = 1, columnSpan = 1;
    in >> row >> column >> rowSpan >> columnSpan >> cell.bbox >> cell.text;
    cell.row = row;
    cell.column = column;
    cell.rowSpan = rowSpan;
    cell.columnSpan = columnSpan;
    return in;
}

static QDataStream &operator<<(QDataStream &out, const TextBlock &block)
{
    return out << static_cast<qint32>(block.type) << qint32(block.headingLevel) << block.lines << block.bbox
               << qint32(block.rows) << qint32(block.columns) << block.cells << block.imageName << block.imagePng
               << block.caption << block.footnote;
}

static QDataStream &operator>>(QDataStream &in, TextBlock &block)
{
    qint32 type = 0, level = 0, rows = 0, columns = 0;
    in >> type >> level >> block.lines >> block.bbox >> rows >> columns >> block.cells >> block.imageName
        >> block.imagePng >> block.caption >> block.footnote;
    block.type = static_cast<BlockType>(type);
    block.headingLevel = level;
    block.rows = rows;
    block.columns = columns;
    return in;
}

static QDataStream &operator<<(QDataStream &out, const PageLayout &page)
{
    return out << qint32(page.pageIndex) << page.size << static_cast<qint32>(page.method) << page.lines
               << page.blocks << page.regions << qint32(page.quarterTurns);
}

static QDataStream &operator>>(QDataStream &in, PageLayout &page)
{
    qint32 index = 0, method = 0, quarterTurns = 0;
    in >> index >> page.size >> method >> page.lines >> page.blocks >> page.regions >> quarterTurns;
    page.pageIndex = index;
    page.method = static_cast<ExtractionMethod>(method);
    page.quarterTurns = quarterTurns;
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
    out << kMagic << read.pages << read.outline;
    return bytes;
}

QByteArray encodePage(const PageLayout &page)
{
    QByteArray bytes;
    QDataStream out(&bytes, QIODevice::WriteOnly);
    out.setVersion(QDataStream::Qt_6_4);
    out << page;
    return bytes;
}

PageLayout decodePage(const QByteArray &bytes)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    PageLayout page;
    in >> page;
    return page;
}

namespace {

// A stream gives every span its own copy of its font's name: the reader
// shares one per font, and so does a decoded batch (a thousand pages hold
// a few hundred thousand spans).
void shareFontNames(QList<TextLine> &lines, QSet<QString> &names)
{
    for (TextLine &line : lines)
        for (TextSpan &span : line.spans)
            span.fontName = *names.insert(span.fontName);
}

} // namespace

std::optional<PdfPages> decodePdfRead(const QByteArray &bytes)
{
    QDataStream in(bytes);
    in.setVersion(QDataStream::Qt_6_4);
    quint32 magic = 0;
    PdfPages read;
    in >> magic;
    if (magic != kMagic)
        return std::nullopt;
    in >> read.pages >> read.outline;
    if (in.status() != QDataStream::Ok)
        return std::nullopt;
    QSet<QString> names;
    for (PageLayout &page : read.pages) {
        shareFontNames(page.lines, names);
        for (TextBlock &block : page.blocks)
            shareFontNames(block.lines, names);
    }
    return read;
}

} // namespace DocRay
