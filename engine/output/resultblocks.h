#pragma once

#include "engine/core/result.h"

#include <QByteArray>
#include <QList>
#include <QRectF>
#include <QSizeF>
#include <QString>
#include <QStringList>

namespace DocRay {

// A result's content blocks in reading order, read back from the middle JSON
// doc-ray wrote: what the content list and the RAG chunks are made of, in
// every mode alike (the server keeps only the result). Page furniture
// (discarded blocks) is left out.
struct ResultBlock {
    enum class Kind { Heading, Text, List, Index, Code, Table, Image, Equation };
    Kind kind = Kind::Text;
    int level = 0; // headings: 1..6
    int pageIndex = 0;
    QSizeF pageSize;
    QRectF bbox;           // PDF points from the page's top-left corner
    QString text;          // text, heading, formula; code with its line breaks
    QStringList items;     // list and contents entries
    QString html;          // tables
    QString imagePath;     // "images/…": figures, and tables and formulas with a picture
    QStringList captions;  // figures and tables
    bool captionAbove = false; // the page has the caption above the figure or table
    QStringList footnotes; // figures and tables
};

Result<QList<ResultBlock>> readResultBlocks(const QByteArray &middleJson);

// The block as markdown, as a reader of a chunk sees it: headings with
// their #s, text escaped as the result's markdown escapes it (markup in a
// document stays text), tables as html (the middle JSON's cells), figures
// as image links.
QString blockMarkdown(const ResultBlock &block);

// MinerU's name for the block's type ("title", "text", "table", ...).
QString blockTypeName(ResultBlock::Kind kind);

// {"blocks": [{"index", "page_idx", "page_size": [w, h], "type", "level",
// "bbox", "markdown"}]}: each block's markdown beside its box (PDF points
// from the page's top-left corner), so a viewer can tie the two together.
QByteArray blocksJson(const QList<ResultBlock> &blocks);

} // namespace DocRay
