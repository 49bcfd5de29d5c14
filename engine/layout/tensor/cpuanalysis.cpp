#include "engine/layout/tensor/pageanalysis.h"

#include "engine/layout/tensor/findings.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <vector>

namespace DocRay::Tensor {

namespace {

// A page-sized grid of bytes, row-major: 1 set, 0 clear.
struct Mask {
    Mask(int64_t w, int64_t h)
        : width(w)
        , height(h)
        , bits(size_t(w * h), 0)
    {
    }
    std::uint8_t *row(int64_t y) { return bits.data() + y * width; }
    const std::uint8_t *row(int64_t y) const { return bits.data() + y * width; }

    int64_t width;
    int64_t height;
    std::vector<std::uint8_t> bits;
};

int64_t odd(int size)
{
    return size % 2 == 1 ? size : size + 1;
}

// Whether a run [start, end) of a line `lineLength` long survives an opening
// with a line `length` long (odd), as Kernels::open's pooling has it: the
// pixels beyond the line's ends count as ink, so a run reaching one end
// needs only half the length, and one reaching both is kept whatever it is.
bool survivesOpening(int64_t start, int64_t end, int64_t lineLength, int64_t length)
{
    const bool first = start == 0, last = end == lineLength;
    const int64_t needed = first && last ? 0 : first || last ? length / 2 + 1 : length;
    return end - start >= needed;
}

// Whether the eight bytes at `bytes` are all clear: most of a page's mask
// is, and is passed over a word at a time.
bool clearWord(const std::uint8_t *bytes)
{
    std::uint64_t word;
    std::memcpy(&word, bytes, sizeof word);
    return word == 0;
}

// Calls visit(start, end) for each run of set bytes along a row, end exclusive.
template <typename Visit>
void forEachRun(const std::uint8_t *row, int64_t width, Visit &&visit)
{
    for (int64_t x = 0; x < width;) {
        if (x + 8 <= width && clearWord(row + x)) {
            x += 8;
            continue;
        }
        if (!row[x]) {
            ++x;
            continue;
        }
        const int64_t start = x;
        while (x < width && row[x])
            ++x;
        visit(start, x);
    }
}

// Calls visit(x, start, end) for each run of set bytes down a column, in the
// order the runs end, walking the rows (a walk down each column would miss
// the cache on every pixel) and looking only where a row differs from the
// one above it.
template <typename Visit>
void forEachColumnRun(const Mask &mask, Visit &&visit)
{
    std::vector<int64_t> runStart(size_t(mask.width), -1);
    const std::vector<std::uint8_t> clear(size_t(mask.width), 0);
    const std::uint8_t *above = clear.data();
    for (int64_t y = 0; y <= mask.height; ++y) {
        const std::uint8_t *row = y < mask.height ? mask.row(y) : clear.data();
        for (int64_t x = 0; x < mask.width;) {
            if (x + 8 <= mask.width && std::memcmp(row + x, above + x, 8) == 0) {
                x += 8;
                continue;
            }
            if (row[x] && !above[x]) {
                runStart[size_t(x)] = y;
            } else if (!row[x] && above[x]) {
                visit(x, runStart[size_t(x)], y);
            }
            ++x;
        }
        above = row;
    }
}

// The opening with a 1 x length line: the runs along the rows that survive it.
Mask rowRunsKept(const Mask &mask, int64_t length)
{
    Mask kept(mask.width, mask.height);
    for (int64_t y = 0; y < mask.height; ++y)
        forEachRun(mask.row(y), mask.width, [&](int64_t start, int64_t end) {
            if (survivesOpening(start, end, mask.width, length))
                std::fill(kept.row(y) + start, kept.row(y) + end, std::uint8_t(1));
        });
    return kept;
}

// The opening with a length x 1 line: the runs down the columns that survive it.
Mask columnRunsKept(const Mask &mask, int64_t length)
{
    Mask kept(mask.width, mask.height);
    forEachColumnRun(mask, [&](int64_t x, int64_t start, int64_t end) {
        if (survivesOpening(start, end, mask.height, length))
            for (int64_t y = start; y < end; ++y)
                kept.row(y)[x] = 1;
    });
    return kept;
}

// `mask` without what `removed` holds.
void clearWhere(Mask &mask, const Mask &removed)
{
    // Through plain pointers: a byte store through the vector may alias its
    // own data pointer, which then is loaded again for every byte.
    std::uint8_t *bits = mask.bits.data();
    const std::uint8_t *gone = removed.bits.data();
    for (size_t i = 0, n = mask.bits.size(); i < n; ++i)
        bits[i] &= std::uint8_t(gone[i] ^ 1);
}

// Rule ink (long thin runs) as rules: horizontal ones from the runs along
// the rows, vertical ones from the runs down the columns.
void addRules(PageFindings &findings, const PageInput &page, const Mask &ink, const AnalysisOptions &options)
{
    // Openings with long thin lines keep only ink that runs ruleLength
    // pixels straight; filled shapes survive them too, so what is thicker
    // than a rule across its length is taken out again.
    const int64_t thick = odd(options.maxRuleThickness + 1);
    Mask horizontal = rowRunsKept(ink, odd(options.ruleLength));
    clearWhere(horizontal, columnRunsKept(horizontal, thick));
    Mask vertical = columnRunsKept(ink, odd(options.verticalRuleLength));
    clearWhere(vertical, rowRunsKept(vertical, thick));

    std::vector<int64_t> runs;
    for (int64_t y = 0; y < horizontal.height; ++y)
        forEachRun(horizontal.row(y), horizontal.width,
                   [&](int64_t start, int64_t end) { runs.insert(runs.end(), {0, y, start, end}); });
    std::vector<std::vector<PixelBox>> across = Findings::rulesFromRuns(runs.data(), runs.size() / 4, 1,
                                                                         options.maxRuleThickness, true);
    // Down the columns, ordered by column and then by row as rulesFromRuns wants.
    std::vector<std::array<int64_t, 4>> columnRuns;
    forEachColumnRun(vertical, [&](int64_t x, int64_t start, int64_t end) { columnRuns.push_back({0, x, start, end}); });
    std::sort(columnRuns.begin(), columnRuns.end());
    runs.clear();
    for (const auto &run : columnRuns)
        runs.insert(runs.end(), run.begin(), run.end());
    std::vector<std::vector<PixelBox>> down = Findings::rulesFromRuns(runs.data(), runs.size() / 4, 1,
                                                                       options.maxRuleThickness, false);
    const int64_t inked = std::count(ink.bits.begin(), ink.bits.end(), std::uint8_t(1));
    const float inkShare = float(inked) / float(ink.bits.size());
    Findings::addRulesAndTables(findings, page, inkShare, std::move(across[0]), std::move(down[0]), options);
}

// The cells of a `cell`-pixel grid over the page where at least two pixels
// (on the page's edges, a share as large) are paint.
Mask paintedCells(const std::vector<std::uint8_t> &grey, int64_t width, int64_t height, int cell,
                  const AnalysisOptions &options)
{
    const int64_t gw = (width + cell - 1) / cell, gh = (height + cell - 1) / cell;
    std::vector<int> counts(size_t(gw * gh), 0);
    for (int64_t y = 0; y < height; ++y) {
        const std::uint8_t *row = grey.data() + y * width;
        int *countRow = counts.data() + (y / cell) * gw;
        for (int64_t gx = 0, x = 0; gx < gw; ++gx) {
            int painted = 0;
            for (const int64_t end = std::min(width, x + cell); x < end; ++x)
                painted += row[x] < options.paintInk;
            countRow[gx] += painted;
        }
    }
    // As the pooled mean of the tensor path: a cell's count over the pixels
    // of it that lie on the page, against two pixels' share of a full cell.
    const float needed = float(2.0 / (cell * cell));
    Mask painted(gw, gh);
    for (int64_t gy = 0; gy < gh; ++gy) {
        const int64_t rows = std::min<int64_t>(height, (gy + 1) * cell) - gy * cell;
        for (int64_t gx = 0; gx < gw; ++gx) {
            const int64_t columns = std::min<int64_t>(width, (gx + 1) * cell) - gx * cell;
            painted.row(gy)[gx] = float(counts[size_t(gy * gw + gx)]) / float(rows * columns) >= needed;
        }
    }
    return painted;
}

// The cells the words touch, and one cell around them: glyph ink spills a
// little past the word boxes.
Mask textCells(const std::vector<PixelBox> &words, int cell, int64_t gw, int64_t gh)
{
    // Each box adds one corner pattern to a difference grid whose running
    // sums count the boxes over every cell.
    std::vector<int> difference(size_t((gw + 1) * (gh + 1)), 0);
    for (const PixelBox &word : words) {
        const Findings::CellRange r = Findings::boxCells(word, cell, gh, gw);
        if (r.bottom <= r.top)
            continue;
        difference[size_t(r.top * (gw + 1) + r.left)] += 1;
        difference[size_t(r.top * (gw + 1) + r.right)] -= 1;
        difference[size_t(r.bottom * (gw + 1) + r.left)] -= 1;
        difference[size_t(r.bottom * (gw + 1) + r.right)] += 1;
    }
    Mask covered(gw, gh);
    std::vector<int> above(size_t(gw), 0);
    for (int64_t y = 0; y < gh; ++y) {
        int running = 0;
        for (int64_t x = 0; x < gw; ++x) {
            running += difference[size_t(y * (gw + 1) + x)];
            above[size_t(x)] += running;
            covered.row(y)[x] = above[size_t(x)] > 0;
        }
    }
    Mask grown(gw, gh);
    for (int64_t y = 0; y < gh; ++y)
        for (int64_t x = 0; x < gw; ++x) {
            if (!covered.row(y)[x])
                continue;
            for (int64_t ny = std::max<int64_t>(0, y - 1); ny <= std::min(gh - 1, y + 1); ++ny)
                std::fill(grown.row(ny) + std::max<int64_t>(0, x - 1), grown.row(ny) + std::min(gw, x + 2),
                          std::uint8_t(1));
        }
    return grown;
}

// The connected parts of the graphic cells, cells up to `reach` apart
// (Chebyshev distance) joined, in the order the tensor path labels them:
// by the largest index of their cells.
std::vector<Findings::Component> components(const Mask &graphic, int reach)
{
    const int64_t width = graphic.width, height = graphic.height;
    const std::uint8_t *cells = graphic.bits.data();
    Findings::UnionFind sets(graphic.bits.size());
    for (int64_t y = 0; y < height; ++y)
        for (int64_t x = 0; x < width; ++x) {
            const int64_t i = y * width + x;
            if (!cells[i])
                continue;
            // The window's cells after this one: the ones before joined it already.
            for (int64_t dy = 0; dy <= reach && y + dy < height; ++dy)
                for (int64_t dx = dy == 0 ? 1 : -reach; dx <= reach; ++dx) {
                    const int64_t nx = x + dx, j = i + dy * width + dx;
                    if (nx >= 0 && nx < width && cells[j])
                        sets.join(size_t(j), size_t(i));
                }
        }
    struct Part {
        Findings::Component bounds{INT64_MAX, INT64_MAX, 0, 0, 0};
        int64_t largest = -1;
    };
    std::vector<Part> byRoot(graphic.bits.size());
    std::vector<size_t> roots;
    for (int64_t i = 0; i < int64_t(graphic.bits.size()); ++i) {
        if (!cells[i])
            continue;
        const size_t root = sets.find(size_t(i));
        Part &part = byRoot[root];
        if (part.largest < 0)
            roots.push_back(root);
        const int64_t y = i / width, x = i % width;
        part.bounds.top = std::min(part.bounds.top, y);
        part.bounds.left = std::min(part.bounds.left, x);
        part.bounds.bottom = std::max(part.bounds.bottom, y + 1);
        part.bounds.right = std::max(part.bounds.right, x + 1);
        ++part.bounds.cells;
        part.largest = i;
    }
    std::sort(roots.begin(), roots.end(), [&](size_t a, size_t b) { return byRoot[a].largest < byRoot[b].largest; });
    std::vector<Findings::Component> found;
    found.reserve(roots.size());
    for (const size_t root : roots)
        found.push_back(byRoot[root].bounds);
    return found;
}

// Graphics: paint that is neither text nor inside a table, on a coarse
// grid. Rules outside tables stay: a chart's axes hold its bars together.
void addGraphics(PageFindings &findings, const PageInput &page, const std::vector<std::uint8_t> &grey,
                 const AnalysisOptions &options)
{
    const int cell = std::max(1, options.cell);
    const int64_t width = page.image.width, height = page.image.height;
    Mask graphic = paintedCells(grey, width, height, cell, options);
    const int64_t gw = graphic.width, gh = graphic.height;
    for (const TableGrid &table : findings.tables) {
        const Findings::CellRange r = Findings::tableCells(table, cell, gh, gw);
        for (int64_t y = r.top; y < r.bottom; ++y)
            for (int64_t x = r.left; x < r.right; ++x)
                graphic.row(y)[x] = 0;
    }
    clearWhere(graphic, textCells(page.text, cell, gw, gh));
    for (const Findings::Component &part : components(graphic, options.closing))
        Findings::addGraphic(findings, part, cell, options);
}

} // namespace

BatchFindings analyzePagesOnCpu(const std::vector<PageInput> &pages, const AnalysisOptions &options)
{
    BatchFindings result;
    result.pages.resize(pages.size());
    for (size_t b = 0; b < pages.size(); ++b) {
        const PageInput &page = pages[b];
        const GrayImage &image = page.image;
        if (image.width <= 0 || image.height <= 0 || image.pixels.size() != size_t(image.width) * size_t(image.height))
            continue;
        std::vector<std::uint8_t> grey = image.pixels;
        Findings::paintOverWordsOnFill(page, options.ruleInk, grey.data(), size_t(image.width));
        Mask ink(image.width, image.height);
        std::uint8_t *inked = ink.bits.data();
        const std::uint8_t *pixels = grey.data();
        const int ruleInk = options.ruleInk;
        for (size_t i = 0, n = grey.size(); i < n; ++i)
            inked[i] = pixels[i] < ruleInk;
        addRules(result.pages[b], page, ink, options);
        addGraphics(result.pages[b], page, grey, options);
    }
    return result;
}

} // namespace DocRay::Tensor
