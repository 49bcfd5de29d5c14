#include "engine/output/chunker.h"

#include "engine/core/pagelayout.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace DocRay {

namespace {

// A piece no chunk cuts: a heading, a paragraph (or a run of its
// sentences), a list item, a whole table, listing, formula or figure.
struct Unit {
    qsizetype block = 0; // index into the result's blocks
    QString text;
    bool heading = false;
    bool listItem = false;
};

// Its size and whether it holds more than headings are kept as units are
// appended: a chunk of a hundred thousand characters may hold thousands.
struct Chunk {
    QList<Unit> units;
    QStringList headingPath;
    qsizetype size = 0;
    bool hasContent = false;

    void append(const Unit &unit)
    {
        units.append(unit);
        size += (units.size() > 1 ? separator(units.size() - 1).size() : 0) + unit.text.size();
        hasContent |= !unit.heading;
    }
    // Items of one list follow each other line by line; blocks are paragraphs.
    QString separator(qsizetype i) const
    {
        const bool sameList = units[i].listItem && units[i - 1].listItem && units[i].block == units[i - 1].block;
        return sameList ? QStringLiteral("\n") : QStringLiteral("\n\n");
    }
};

// A paragraph longer than a chunk, in runs of whole sentences (words where
// one sentence is longer still) of at most `maxChars`.
QStringList sentenceRuns(const QString &text, int maxChars)
{
    static const QRegularExpression sentenceEnd(QStringLiteral("(?<=[.!?。！？])\\s*"));
    static const QRegularExpression space(QStringLiteral("\\s+"));
    QStringList pieces;
    for (const QString &sentence : text.split(sentenceEnd, Qt::SkipEmptyParts)) {
        if (sentence.size() <= maxChars) {
            pieces.append(sentence);
            continue;
        }
        for (const QString &word : sentence.split(space, Qt::SkipEmptyParts))
            for (qsizetype at = 0; at < word.size(); at += maxChars)
                pieces.append(word.mid(at, maxChars));
    }
    QStringList runs;
    for (const QString &piece : std::as_const(pieces)) {
        const bool cjk = !runs.isEmpty() && !runs.last().isEmpty() && isCjk(runs.last().back()) && isCjk(piece.front());
        const QString joiner = cjk ? QString() : QStringLiteral(" ");
        if (!runs.isEmpty() && runs.last().size() + joiner.size() + piece.size() <= maxChars)
            runs.last() += joiner + piece;
        else
            runs.append(piece);
    }
    return runs;
}

QList<Unit> unitsOf(const QList<ResultBlock> &blocks, int maxChars)
{
    QList<Unit> units;
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        const ResultBlock &block = blocks[b];
        if (block.kind == ResultBlock::Kind::List || block.kind == ResultBlock::Kind::Index) {
            ResultBlock item = block;
            for (const QString &text : block.items) {
                item.items = {text};
                units.append({b, blockMarkdown(item), false, true});
            }
        } else if (block.kind == ResultBlock::Kind::Text && block.text.size() > maxChars) {
            for (const QString &run : sentenceRuns(block.text, maxChars))
                units.append({b, run});
        } else {
            const QString text = blockMarkdown(block);
            if (!text.trimmed().isEmpty())
                units.append({b, text, block.kind == ResultBlock::Kind::Heading});
        }
    }
    return units;
}

QJsonObject chunkJson(const Chunk &chunk, const QList<ResultBlock> &blocks, int index)
{
    QString text;
    QJsonArray pages, provenance, images;
    for (qsizetype i = 0; i < chunk.units.size(); ++i) {
        const Unit &unit = chunk.units[i];
        text += (i > 0 ? chunk.separator(i) : QString()) + unit.text;
        // A block's units follow each other, blocks in reading order.
        if (i > 0 && chunk.units[i - 1].block == unit.block)
            continue;
        const ResultBlock &block = blocks[unit.block];
        if (pages.isEmpty() || pages.last().toInt() != block.pageIndex)
            pages.append(block.pageIndex);
        auto round2 = [](double v) { return qRound(v * 100) / 100.0; };
        provenance.append(QJsonObject{{QStringLiteral("page_idx"), block.pageIndex},
                                      {QStringLiteral("type"), blockTypeName(block.kind)},
                                      {QStringLiteral("bbox"), QJsonArray{round2(block.bbox.left()), round2(block.bbox.top()),
                                                                          round2(block.bbox.right()), round2(block.bbox.bottom())}}});
        if (!block.imagePath.isEmpty())
            images.append(block.imagePath);
    }
    return QJsonObject{{QStringLiteral("index"), index},
                       {QStringLiteral("text"), text},
                       {QStringLiteral("char_count"), text.size()},
                       {QStringLiteral("heading_path"), QJsonArray::fromStringList(chunk.headingPath)},
                       {QStringLiteral("pages"), pages},
                       {QStringLiteral("blocks"), provenance},
                       {QStringLiteral("images"), images}};
}

} // namespace

Result<ChunkOptions> ChunkOptions::parse(const QString &maxChars, const QString &overlap)
{
    ChunkOptions options;
    bool ok = true;
    if (!maxChars.isEmpty()) {
        options.maxChars = maxChars.toInt(&ok);
        if (!ok || options.maxChars < kMinChars || options.maxChars > kMaxChars)
            return Error{ErrorCode::InvalidInput,
                         QStringLiteral("max_chars must be a whole number from %1 to %2.").arg(kMinChars).arg(kMaxChars)};
    }
    if (!overlap.isEmpty()) {
        options.overlap = overlap.toInt(&ok);
        if (!ok || options.overlap < 0 || options.overlap > options.maxChars / 2)
            return Error{ErrorCode::InvalidInput,
                         QStringLiteral("overlap must be a whole number from 0 to half of max_chars (%1).").arg(options.maxChars / 2)};
    }
    return options;
}

QByteArray chunksJson(const QList<ResultBlock> &blocks, const ChunkOptions &options)
{
    QJsonArray chunks;
    Chunk current;
    QList<int> headingLevels; // of current.headingPath's entries
    QStringList path;
    auto flush = [&]() {
        if (current.hasContent)
            chunks.append(chunkJson(current, blocks, int(chunks.size())));
        current = Chunk();
    };
    for (const Unit &unit : unitsOf(blocks, options.maxChars)) {
        if (unit.heading) {
            if (current.hasContent)
                flush();
            const int level = blocks[unit.block].level;
            while (!headingLevels.isEmpty() && headingLevels.last() >= level) {
                headingLevels.removeLast();
                path.removeLast();
            }
            headingLevels.append(level);
            path.append(blocks[unit.block].text);
            current.headingPath = path;
        } else if (current.hasContent && current.size + 2 + unit.text.size() > options.maxChars) {
            // Full: the next chunk opens with whole blocks from this one's end.
            QList<Unit> carried;
            qsizetype carriedSize = 0;
            for (qsizetype i = current.units.size() - 1; i > 0 && !current.units[i].heading; --i) {
                const qsizetype withIt = carriedSize + current.units[i].text.size() + 2;
                if (withIt > options.overlap)
                    break;
                carriedSize = withIt;
                carried.prepend(current.units[i]);
            }
            // The overlap gives way where it would overfill the next chunk.
            while (!carried.isEmpty() && carriedSize + unit.text.size() > options.maxChars) {
                carriedSize -= carried.first().text.size() + 2;
                carried.removeFirst();
            }
            flush();
            for (const Unit &kept : std::as_const(carried))
                current.append(kept);
            current.headingPath = path;
        } else if (current.units.isEmpty()) {
            current.headingPath = path;
        }
        current.append(unit);
    }
    flush();
    return QJsonDocument(QJsonObject{{QStringLiteral("max_chars"), options.maxChars},
                                     {QStringLiteral("overlap"), options.overlap},
                                     {QStringLiteral("chunks"), chunks}})
        .toJson(QJsonDocument::Indented);
}

} // namespace DocRay
