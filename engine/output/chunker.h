#pragma once

#include "engine/output/resultblocks.h"

namespace DocRay {

// Chunks for retrieval: a result's markdown cut into pieces of at most
// `maxChars` characters, in reading order, that break at headings first and
// never inside a table, a code block, a list item or a formula (such a block
// larger than `maxChars` is a chunk of its own; a paragraph larger than it
// is cut between sentences). Each chunk repeats up to `overlap` characters
// of whole blocks from the end of the one before it in the same section.
struct ChunkOptions {
    int maxChars = 1500;
    int overlap = 0;

    static constexpr int kMinChars = 100;
    static constexpr int kMaxChars = 100000;

    // The options from their text (a query's or a command line's); empty
    // text keeps the default. An InvalidInput error names the bad one.
    static Result<ChunkOptions> parse(const QString &maxChars, const QString &overlap);
};

// {"max_chars", "overlap", "chunks": [{"index", "text", "char_count",
// "heading_path", "pages", "blocks": [{"page_idx", "type", "bbox"}],
// "images"}]}: bboxes in PDF points of the page (the middle JSON's).
QByteArray chunksJson(const QList<ResultBlock> &blocks, const ChunkOptions &options);

} // namespace DocRay
