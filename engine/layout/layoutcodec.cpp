#include "engine/layout/layoutcodec.h"

#include <QtEndian>

#include <cstring>
#include <limits>
#include <unordered_map>

namespace DocRay {

namespace {

// Bumped whenever the page model or its form here changes, so a replica
// of another version refuses the bytes instead of misreading them.
constexpr quint32 kMagic = 0x44524c37; // "DRL7"
// Stands for a null string or byte array where a length goes.
constexpr quint32 kNull = std::numeric_limits<quint32>::max();

// Appends the page model's fields little-endian, each as its bits: a double
// comes back bit for bit. A font's name is written once per encoding and
// then by its number (a page's spans share a few fonts, and the names were
// most of a span's bytes).
class ByteWriter final
{
public:
    template<typename T>
    void put(T value)
    {
        const T little = qToLittleEndian(value);
        m_bytes.append(reinterpret_cast<const char *>(&little), sizeof little);
    }
    void put(bool value) { put(quint8(value)); }
    void put(double value)
    {
        quint64 bits;
        std::memcpy(&bits, &value, sizeof bits);
        put(bits);
    }
    void put(qint32 value) { put(quint32(value)); }
    void put(const QString &text)
    {
        if (text.isNull())
            return put(kNull);
        put(quint32(text.size()));
        if constexpr (Q_BYTE_ORDER == Q_LITTLE_ENDIAN) {
            m_bytes.append(reinterpret_cast<const char *>(text.utf16()), text.size() * 2);
        } else {
            for (const QChar c : text)
                put(c.unicode());
        }
    }
    void put(const QByteArray &bytes)
    {
        if (bytes.isNull())
            return put(kNull);
        put(quint32(bytes.size()));
        m_bytes.append(bytes);
    }
    void put(const QRectF &box)
    {
        put(box.x());
        put(box.y());
        put(box.width());
        put(box.height());
    }
    void put(const QSizeF &size)
    {
        put(size.width());
        put(size.height());
    }
    void putFont(const QString &name)
    {
        const auto known = m_fonts.find(name);
        if (known != m_fonts.end())
            return put(known->second);
        const quint32 number = quint32(m_fonts.size());
        m_fonts.emplace(name, number);
        put(number);
        put(name);
    }

    QByteArray take() { return std::move(m_bytes); }

private:
    // FNV-1a over the UTF-16: Qt 6.4's string hash leaves the vector
    // registers' upper halves in use (see core/vectorstate).
    struct NameHash {
        size_t operator()(const QString &name) const
        {
            size_t hash = 14695981039346656037ull;
            for (const QChar c : name)
                hash = (hash ^ c.unicode()) * 1099511628211ull;
            return hash;
        }
    };

    QByteArray m_bytes;
    std::unordered_map<QString, quint32, NameHash> m_fonts;
};

// Reads what ByteWriter wrote. Past the end, or on a length or font number
// that cannot be, it fails and stays failed: every later read gives zeros.
class ByteReader final
{
public:
    explicit ByteReader(const QByteArray &bytes)
        : m_at(bytes.constData())
        , m_end(bytes.constData() + bytes.size())
    {
    }

    bool ok() const { return m_ok; }
    bool atEnd() const { return m_at == m_end; }

    template<typename T>
    T get()
    {
        T value{};
        if (take(sizeof value))
            std::memcpy(&value, m_at - sizeof value, sizeof value);
        return qFromLittleEndian(value);
    }
    bool getBool() { return get<quint8>() != 0; }
    int getInt() { return qint32(get<quint32>()); }
    double getDouble()
    {
        const quint64 bits = get<quint64>();
        double value;
        std::memcpy(&value, &bits, sizeof value);
        return value;
    }
    QString getString()
    {
        const quint32 length = get<quint32>();
        if (length == kNull || !m_ok)
            return QString();
        if (!take(qsizetype(length) * 2))
            return QString();
        QString text(qsizetype(length), Qt::Uninitialized);
        std::memcpy(text.data(), m_at - qsizetype(length) * 2, qsizetype(length) * 2);
        if constexpr (Q_BYTE_ORDER != Q_LITTLE_ENDIAN) {
            for (QChar &c : text)
                c = QChar(qFromLittleEndian(c.unicode()));
        }
        return text;
    }
    QByteArray getBytes()
    {
        const quint32 length = get<quint32>();
        if (length == kNull || !m_ok || !take(length))
            return QByteArray();
        return QByteArray(m_at - length, length);
    }
    QRectF getRect()
    {
        const double x = getDouble(), y = getDouble(), width = getDouble(), height = getDouble();
        return QRectF(x, y, width, height);
    }
    QSizeF getSize()
    {
        const double width = getDouble();
        return QSizeF(width, getDouble());
    }
    // A count of items that each take at least `minimumBytes`: more than the
    // bytes left could hold is a failure, not an allocation.
    qsizetype getCount(qsizetype minimumBytes)
    {
        const quint32 count = get<quint32>();
        if (qsizetype(count) * minimumBytes > m_end - m_at)
            m_ok = false;
        return m_ok ? qsizetype(count) : 0;
    }
    // Every span of a name read gets the same shared string.
    QString getFont()
    {
        const quint32 number = get<quint32>();
        if (number < quint32(m_fonts.size()))
            return m_fonts.at(number);
        if (number != quint32(m_fonts.size())) {
            m_ok = false;
            return QString();
        }
        m_fonts.append(getString());
        return m_fonts.constLast();
    }

private:
    bool take(qsizetype size)
    {
        if (!m_ok || size > m_end - m_at) {
            m_ok = false;
            return false;
        }
        m_at += size;
        return true;
    }

    const char *m_at;
    const char *m_end;
    bool m_ok = true;
    QList<QString> m_fonts;
};

// The fewest bytes each item can take, to bound a count before reading it.
constexpr qsizetype kMinimumSpan = 4 + 32 + 8 + 4 + 1;
constexpr qsizetype kMinimumLine = 4 + 32;
constexpr qsizetype kMinimumCell = 16 + 32 + 4;
constexpr qsizetype kMinimumBlock = 8 + 4 + 32 + 8 + 4 + 4 + 4 + 4 + 4;
constexpr qsizetype kMinimumPage = 4 + 16 + 4 + 4 + 4 + 4 + 4;
constexpr qsizetype kMinimumEntry = 4 + 4;

enum SpanFlag : quint8 { Bold = 1, Italic = 2, Monospace = 4, SpaceAfter = 8 };

void write(ByteWriter &out, const QList<TextLine> &lines)
{
    out.put(quint32(lines.size()));
    for (const TextLine &line : lines) {
        out.put(quint32(line.spans.size()));
        for (const TextSpan &span : line.spans) {
            out.put(span.text);
            out.put(span.bbox);
            out.put(span.fontSize);
            out.putFont(span.fontName);
            out.put(quint8((span.bold ? Bold : 0) | (span.italic ? Italic : 0) | (span.monospace ? Monospace : 0)
                           | (span.spaceAfter ? SpaceAfter : 0)));
        }
        out.put(line.bbox);
    }
}

QList<TextLine> readLines(ByteReader &in)
{
    QList<TextLine> lines(in.getCount(kMinimumLine));
    for (TextLine &line : lines) {
        line.spans.resize(in.getCount(kMinimumSpan));
        for (TextSpan &span : line.spans) {
            span.text = in.getString();
            span.bbox = in.getRect();
            span.fontSize = in.getDouble();
            span.fontName = in.getFont();
            const quint8 flags = in.get<quint8>();
            span.bold = flags & Bold;
            span.italic = flags & Italic;
            span.monospace = flags & Monospace;
            span.spaceAfter = flags & SpaceAfter;
        }
        line.bbox = in.getRect();
    }
    return lines;
}

void write(ByteWriter &out, const QList<TextBlock> &blocks)
{
    out.put(quint32(blocks.size()));
    for (const TextBlock &block : blocks) {
        out.put(qint32(block.type));
        out.put(qint32(block.headingLevel));
        write(out, block.lines);
        out.put(block.bbox);
        out.put(qint32(block.rows));
        out.put(qint32(block.columns));
        out.put(quint32(block.cells.size()));
        for (const TableCell &cell : block.cells) {
            out.put(qint32(cell.row));
            out.put(qint32(cell.column));
            out.put(qint32(cell.rowSpan));
            out.put(qint32(cell.columnSpan));
            out.put(cell.bbox);
            out.put(cell.text);
        }
        out.put(block.imageName);
        out.put(block.imagePng);
        write(out, block.caption);
        write(out, block.footnote);
    }
}

QList<TextBlock> readBlocks(ByteReader &in)
{
    QList<TextBlock> blocks(in.getCount(kMinimumBlock));
    for (TextBlock &block : blocks) {
        block.type = static_cast<BlockType>(in.getInt());
        block.headingLevel = in.getInt();
        block.lines = readLines(in);
        block.bbox = in.getRect();
        block.rows = in.getInt();
        block.columns = in.getInt();
        block.cells.resize(in.getCount(kMinimumCell));
        for (TableCell &cell : block.cells) {
            cell.row = in.getInt();
            cell.column = in.getInt();
            cell.rowSpan = in.getInt();
            cell.columnSpan = in.getInt();
            cell.bbox = in.getRect();
            cell.text = in.getString();
        }
        block.imageName = in.getString();
        block.imagePng = in.getBytes();
        block.caption = readLines(in);
        block.footnote = readLines(in);
    }
    return blocks;
}

void write(ByteWriter &out, const PageLayout &page)
{
    out.put(qint32(page.pageIndex));
    out.put(page.size);
    out.put(qint32(page.method));
    write(out, page.lines);
    write(out, page.blocks);
    write(out, page.regions);
    out.put(qint32(page.quarterTurns));
}

PageLayout readPage(ByteReader &in)
{
    PageLayout page;
    page.pageIndex = in.getInt();
    page.size = in.getSize();
    page.method = static_cast<ExtractionMethod>(in.getInt());
    page.lines = readLines(in);
    page.blocks = readBlocks(in);
    page.regions = readBlocks(in);
    page.quarterTurns = in.getInt();
    return page;
}

} // namespace

QByteArray encodePdfRead(const PdfPages &read)
{
    ByteWriter out;
    out.put(kMagic);
    out.put(quint32(read.pages.size()));
    for (const PageLayout &page : read.pages)
        write(out, page);
    out.put(quint32(read.outline.size()));
    for (const OutlineEntry &entry : read.outline) {
        out.put(entry.title);
        out.put(qint32(entry.level));
    }
    return out.take();
}

std::optional<PdfPages> decodePdfRead(const QByteArray &bytes)
{
    ByteReader in(bytes);
    if (in.get<quint32>() != kMagic)
        return std::nullopt;
    PdfPages read;
    read.pages.resize(in.getCount(kMinimumPage));
    for (PageLayout &page : read.pages)
        page = readPage(in);
    read.outline.resize(in.getCount(kMinimumEntry));
    for (OutlineEntry &entry : read.outline) {
        entry.title = in.getString();
        entry.level = in.getInt();
    }
    if (!in.ok() || !in.atEnd())
        return std::nullopt;
    return read;
}

QByteArray encodePage(const PageLayout &page)
{
    ByteWriter out;
    write(out, page);
    return out.take();
}

PageLayout decodePage(const QByteArray &bytes)
{
    ByteReader in(bytes);
    return readPage(in);
}

} // namespace DocRay
