#include "engine/layout/tensor/findings.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

namespace DocRay::Tensor {

namespace {

// Share of the pixels of row y in [left, right) that are ink for rules.
double rowInkShare(const GrayImage &image, int y, int left, int right, int ink)
{
    const std::uint8_t *row = image.pixels.data() + size_t(y) * size_t(image.width);
    return double(std::count_if(row + left, row + right, [ink](std::uint8_t v) { return v < ink; }))
        / double(right - left);
}

// Whether column x runs (nearly) light through rows [top, bottom): paper.
bool lightColumn(const GrayImage &image, int x, int top, int bottom, int ink)
{
    int light = 0;
    for (int y = top; y < bottom; ++y)
        light += image.pixels[size_t(y) * size_t(image.width) + size_t(x)] >= ink;
    return light * 10 >= (bottom - top) * 9;
}

// Rows [top, bottom) of a filled band right over the grid (a few rows of
// paper between them at most), as wide as it and no taller than a header
// row is; {0, 0} when there is none.
std::pair<int, int> fillBandAbove(const TableGrid &grid, const GrayImage &image, const AnalysisOptions &options,
                                  int tolerance)
{
    const int left = std::max(0, grid.box.left), right = std::min(image.width, grid.box.right);
    if (right - left < options.ruleLength || grid.box.top <= 0 || grid.box.top > image.height
        || image.pixels.size() != size_t(image.width) * size_t(image.height))
        return {0, 0};
    // Text on the fill leaves holes in it: most of each row is still ink.
    constexpr double kBandInk = 0.6;
    auto filled = [&](int y) { return rowInkShare(image, y, left, right, options.ruleInk) >= kBandInk; };
    int y = grid.box.top - 1;
    for (int gap = 0; y >= 0 && gap <= tolerance && !filled(y); ++gap)
        --y;
    const int bottom = y + 1;
    while (y >= 0 && filled(y))
        --y;
    const int top = y + 1;
    if (bottom - top <= options.maxRuleThickness || bottom - top > options.maxHeaderFillHeight)
        return {0, 0};
    // A band running on past the grid's sides is the page's, not the table's.
    const int outside = tolerance + 2;
    if ((left - outside >= 0 && !lightColumn(image, left - outside, top, bottom, options.ruleInk))
        || (right + outside < image.width && !lightColumn(image, right + outside, top, bottom, options.ruleInk)))
        return {0, 0};
    return {top, bottom};
}

// Where the band's cells start: at the grid's column edges that no word on
// the band crosses (a light line between its cells may not survive the
// render's scale). Empty when the words sit in one cell: a title bar over
// the table, not its header.
std::vector<bool> headerCellStarts(const TableGrid &grid, const std::vector<PixelBox> &pageWords, int top, int bottom)
{
    std::vector<PixelBox> words;
    for (const PixelBox &word : pageWords) {
        const int middle = (word.top + word.bottom) / 2;
        if (middle >= top && middle < bottom && word.right > grid.box.left && word.left < grid.box.right)
            words.push_back(word);
    }
    const int columns = grid.columns();
    std::vector<bool> starts(size_t(columns), true);
    for (int c = 1; c < columns; ++c) {
        const int x = grid.columnEdges[size_t(c)];
        starts[size_t(c)] = std::none_of(words.begin(), words.end(), [x](const PixelBox &w) { return w.left < x && w.right > x; });
    }
    std::vector<bool> holdsWords(size_t(columns), false);
    for (const PixelBox &word : words) {
        int c = 0;
        while (c + 1 < columns && grid.columnEdges[size_t(c + 1)] <= (word.left + word.right) / 2)
            ++c;
        while (c > 0 && !starts[size_t(c)])
            --c;
        holdsWords[size_t(c)] = true;
    }
    if (std::count(holdsWords.begin(), holdsWords.end(), true) < 2)
        return {};
    return starts;
}

} // namespace

void extendOverHeaderFill(TableGrid &grid, const GrayImage &image, const std::vector<PixelBox> &pageWords,
                          const AnalysisOptions &options, int tolerance)
{
    const auto [top, bottom] = fillBandAbove(grid, image, options, tolerance);
    if (top == bottom)
        return;
    const std::vector<bool> starts = headerCellStarts(grid, pageWords, top, bottom);
    if (starts.empty())
        return;
    const int columns = grid.columns();
    std::vector<GridCell> cells;
    for (int c = 0; c < columns;) {
        int end = c + 1;
        while (end < columns && !starts[size_t(end)])
            ++end;
        cells.push_back({0, c, 1, end - c, {grid.columnEdges[size_t(c)], top, grid.columnEdges[size_t(end)], bottom}});
        c = end;
    }
    for (GridCell cell : grid.cells) {
        ++cell.row;
        cells.push_back(cell);
    }
    grid.cells = std::move(cells);
    grid.rowEdges.insert(grid.rowEdges.begin(), top);
    grid.box.top = top;
}

std::vector<TableGrid> tablesFromRules(const PageFindings &page, int tolerance)
{
    const std::vector<PixelBox> &hs = page.horizontalRules, &vs = page.verticalRules;
    Findings::UnionFind rules(hs.size() + vs.size());
    auto crosses = [tolerance](const PixelBox &h, const PixelBox &v) {
        return v.left - tolerance <= h.right && v.right + tolerance >= h.left && h.top - tolerance <= v.bottom
            && h.bottom + tolerance >= v.top;
    };
    for (size_t i = 0; i < hs.size(); ++i)
        for (size_t j = 0; j < vs.size(); ++j)
            if (crosses(hs[i], vs[j]))
                rules.join(i, hs.size() + j);

    std::vector<TableGrid> tables;
    std::vector<bool> done(hs.size() + vs.size(), false);
    for (size_t seed = 0; seed < hs.size(); ++seed) {
        const size_t root = rules.find(seed);
        if (done[root])
            continue;
        done[root] = true;
        std::vector<PixelBox> h, v;
        for (size_t i = 0; i < hs.size(); ++i)
            if (rules.find(i) == root)
                h.push_back(hs[i]);
        for (size_t j = 0; j < vs.size(); ++j)
            if (rules.find(hs.size() + j) == root)
                v.push_back(vs[j]);
        if (h.size() < 2 || v.size() < 2)
            continue;

        TableGrid grid;
        grid.box = h.front();
        for (const PixelBox &r : h)
            grid.box = {std::min(grid.box.left, r.left), std::min(grid.box.top, r.top),
                        std::max(grid.box.right, r.right), std::max(grid.box.bottom, r.bottom)};
        for (const PixelBox &r : v)
            grid.box = {std::min(grid.box.left, r.left), std::min(grid.box.top, r.top),
                        std::max(grid.box.right, r.right), std::max(grid.box.bottom, r.bottom)};
        // Edges: rule centres, near ones as one; a side without its own rule
        // (tables open at the left and right) takes the table's outline.
        auto edges = [tolerance](std::vector<int> centres, int low, int high) {
            centres.push_back(low);
            centres.push_back(high);
            std::sort(centres.begin(), centres.end());
            std::vector<int> merged;
            for (int c : centres)
                if (merged.empty() || c - merged.back() > 2 * tolerance + 2)
                    merged.push_back(c);
            // The outline replaces a rule just inside it.
            merged.back() = std::max(merged.back(), high);
            return merged;
        };
        std::vector<int> ys, xs;
        for (const PixelBox &r : h)
            ys.push_back((r.top + r.bottom) / 2);
        for (const PixelBox &r : v)
            xs.push_back((r.left + r.right) / 2);
        grid.rowEdges = edges(ys, grid.box.top, grid.box.bottom);
        grid.columnEdges = edges(xs, grid.box.left, grid.box.right);
        const int rows = grid.rows(), columns = grid.columns();
        if (rows < 2 || columns < 2)
            continue;

        // A rule covering most of the shared side separates two grid cells.
        auto covered = [](const std::vector<PixelBox> &lines, bool horizontal, int at, int from, int to, int slack) {
            for (const PixelBox &r : lines) {
                const int centre = horizontal ? (r.top + r.bottom) / 2 : (r.left + r.right) / 2;
                const int low = horizontal ? r.left : r.top, high = horizontal ? r.right : r.bottom;
                if (std::abs(centre - at) <= slack && (std::min(high, to) - std::max(low, from)) * 2 >= to - from)
                    return true;
            }
            return false;
        };
        const int slack = 2 * tolerance + 2;
        Findings::UnionFind cells(size_t(rows) * size_t(columns));
        auto id = [columns](int r, int c) { return size_t(r) * size_t(columns) + size_t(c); };
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                if (c + 1 < columns
                    && !covered(v, false, grid.columnEdges[c + 1], grid.rowEdges[r], grid.rowEdges[r + 1], slack))
                    cells.join(id(r, c), id(r, c + 1));
                if (r + 1 < rows
                    && !covered(h, true, grid.rowEdges[r + 1], grid.columnEdges[c], grid.columnEdges[c + 1], slack))
                    cells.join(id(r, c), id(r + 1, c));
            }
        std::vector<bool> emitted(size_t(rows) * size_t(columns), false);
        for (int r = 0; r < rows; ++r)
            for (int c = 0; c < columns; ++c) {
                const size_t group = cells.find(id(r, c));
                if (emitted[group])
                    continue;
                emitted[group] = true;
                int r1 = r, c1 = c;
                for (int rr = r; rr < rows; ++rr)
                    for (int cc = 0; cc < columns; ++cc)
                        if (cells.find(id(rr, cc)) == group) {
                            r1 = std::max(r1, rr);
                            c1 = std::max(c1, cc);
                        }
                GridCell cell;
                cell.row = r;
                cell.column = c;
                cell.rowSpan = r1 - r + 1;
                cell.columnSpan = c1 - c + 1;
                cell.box = {grid.columnEdges[c], grid.rowEdges[r], grid.columnEdges[c1 + 1], grid.rowEdges[r1 + 1]};
                grid.cells.push_back(cell);
            }
        // A frame with no inner rules is one big cell: a box, not a table.
        if (grid.cells.size() < 2)
            continue;
        tables.push_back(grid);
    }
    return tables;
}


namespace Findings {

std::vector<std::vector<PixelBox>> rulesFromRuns(const int64_t *runs, size_t count, size_t pageCount,
                                                 int maxThickness, bool horizontal)
{
    std::vector<std::vector<PixelBox>> open(pageCount), done(pageCount);
    const int64_t *row = runs;
    for (size_t i = 0; i < count; ++i, row += 4) {
        const auto page = static_cast<size_t>(row[0]);
        const int line = static_cast<int>(row[1]), from = static_cast<int>(row[2]), to = static_cast<int>(row[3]);
        std::vector<PixelBox> &rules = open[page];
        // PixelBox holds (along, across) here: left/right along the rule, top/bottom across it.
        auto grown = std::find_if(rules.begin(), rules.end(), [&](const PixelBox &r) {
            const int overlap = std::min(r.right, to) - std::max(r.left, from);
            return r.bottom == line && overlap * 2 >= std::min(r.right - r.left, to - from);
        });
        if (grown != rules.end()) {
            grown->left = std::min(grown->left, from);
            grown->right = std::max(grown->right, to);
            grown->bottom = line + 1;
        } else {
            rules.push_back({from, line, to, line + 1});
        }
        // Rules that ended above this row are finished.
        for (auto it = rules.begin(); it != rules.end();) {
            if (it->bottom < line) {
                done[page].push_back(*it);
                it = rules.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (size_t page = 0; page < pageCount; ++page) {
        done[page].insert(done[page].end(), open[page].begin(), open[page].end());
        std::vector<PixelBox> kept;
        for (const PixelBox &r : done[page]) {
            // Filled bars and black areas are wider than any rule.
            if (r.bottom - r.top > maxThickness)
                continue;
            kept.push_back(horizontal ? r : PixelBox{r.top, r.left, r.bottom, r.right});
        }
        done[page] = kept;
    }
    return done;
}


void paintOverWordsOnFill(const PageInput &page, int ink, std::uint8_t *pixels, size_t stride)
{
    const GrayImage &image = page.image;
    auto at = [&image](int x, int y) { return image.pixels[size_t(y) * size_t(image.width) + size_t(x)]; };
    for (const PixelBox &word : page.text) {
        const int left = word.left - 1, right = word.right;
        const int top = std::max(0, word.top), bottom = std::min(image.height, word.bottom);
        if (left < 0 || right >= image.width || right - left < 2 || bottom - top < 2)
            continue;
        std::vector<int> onFill;
        for (int y = top; y < bottom; ++y)
            if (at(left, y) < ink && at(right, y) < ink)
                onFill.push_back(y);
        if (onFill.size() * 2 < size_t(bottom - top))
            continue;
        for (const int y : onFill)
            std::fill(pixels + size_t(y) * stride + size_t(left + 1), pixels + size_t(y) * stride + size_t(right),
                      std::uint8_t((at(left, y) + at(right, y)) / 2));
    }
}

void addRulesAndTables(PageFindings &findings, const PageInput &page, double inkShare, std::vector<PixelBox> horizontal,
                       std::vector<PixelBox> vertical, const AnalysisOptions &options)
{
    // Light text on a dark page turns every edge into a "rule": such
    // pages have no ruled tables to find.
    if (inkShare > options.maxInkShare)
        return;
    findings.horizontalRules = std::move(horizontal);
    findings.verticalRules = std::move(vertical);
    for (TableGrid grid : tablesFromRules(findings)) {
        extendOverHeaderFill(grid, page.image, page.text, options);
        int filled = 0;
        for (const GridCell &c : grid.cells)
            filled += std::any_of(page.text.begin(), page.text.end(), [&c](const PixelBox &t) {
                const int x = (t.left + t.right) / 2, y = (t.top + t.bottom) / 2;
                return x >= c.box.left && x < c.box.right && y >= c.box.top && y < c.box.bottom;
            });
        if (filled >= 2 && filled >= options.minFilledCellShare * double(grid.cells.size()))
            findings.tables.push_back(grid);
    }
}

CellRange tableCells(const TableGrid &table, int cell, int64_t gridHeight, int64_t gridWidth)
{
    // The whole table, with a cell of margin: shaded rows are not figures.
    CellRange range;
    range.top = std::max(0, table.box.top / cell - 1);
    range.left = std::max(0, table.box.left / cell - 1);
    range.bottom = std::min<int64_t>(gridHeight, table.box.bottom / cell + 2);
    range.right = std::min<int64_t>(gridWidth, table.box.right / cell + 2);
    return range;
}

CellRange boxCells(const PixelBox &box, int cell, int64_t gridHeight, int64_t gridWidth)
{
    // Cell [y*c, (y+1)*c) meets box [top, bottom) when y*c < bottom and
    // (y+1)*c > top: rows floor(top/c) up to ceil(bottom/c), exclusive.
    auto edge = [cell](int pixels, bool up, int64_t limit) {
        const double scaled = double(float(pixels)) / cell;
        return std::clamp<int64_t>(int64_t(up ? std::ceil(scaled) : std::floor(scaled)), 0, limit);
    };
    CellRange range{edge(box.top, false, gridHeight), edge(box.left, false, gridWidth),
                    edge(box.bottom, true, gridHeight), edge(box.right, true, gridWidth)};
    if (range.left >= range.right || range.top >= range.bottom)
        return {};
    return range;
}

void addGraphic(PageFindings &findings, const Component &part, int cell, const AnalysisOptions &options)
{
    const PixelBox box{int(part.left * cell), int(part.top * cell), int(part.right * cell), int(part.bottom * cell)};
    if (box.width() < options.minGraphicSide || box.height() < options.minGraphicSide)
        return;
    const int64_t area = (part.bottom - part.top) * (part.right - part.left);
    if (double(part.cells) < options.minGraphicFill * double(area))
        return;
    findings.graphics.push_back(box);
}

} // namespace Findings

} // namespace DocRay::Tensor
