#include "engine/layout/tensor/pageanalysis.h"

#include "engine/layout/tensor/kernels.h"

#include <torch/cuda.h>

#include <algorithm>
#include <utility>

namespace DocRay::Tensor {

namespace {

// Runs in consecutive rows that overlap are one rule, a few pixels thick.
// `runs` holds (page, row, start, end); for vertical rules row and column
// are swapped back by the caller.
std::vector<std::vector<PixelBox>> rulesFromRuns(const at::Tensor &runs, size_t pageCount, int maxThickness,
                                                 bool horizontal)
{
    std::vector<std::vector<PixelBox>> open(pageCount), done(pageCount);
    const at::Tensor cpu = runs.to(at::kCPU).contiguous();
    const int64_t *row = cpu.data_ptr<int64_t>();
    for (int64_t i = 0; i < cpu.size(0); ++i, row += 4) {
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

// Light words on a filled band (a header row's white text on blue) are holes
// in the fill, and the fill's strips around them look like rules: such
// words are painted over in the fill's colour, row by row where the pixels
// just left and right of the word are both ink. A word box taller than the
// band keeps its rows off it; a word on paper has paper beside it.
void paintOverWordsOnFill(const PageInput &page, int ink, at::Tensor pixels)
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
            pixels[y].narrow(0, left + 1, right - left - 1).fill_((at(left, y) + at(right, y)) / 2);
    }
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

DeviceChoice chooseDevice(const std::string &requested)
{
    DeviceChoice choice;
    bool cuda = false;
    try {
        cuda = torch::cuda::is_available();
    } catch (const c10::Error &) {
        cuda = false;
    }
    const bool automatic = requested == "auto" || requested.empty();
    if (!automatic && requested != "cpu" && requested != "cuda")
        choice.error = "Unknown device '" + requested + "': use auto, cpu or cuda.";
    else if (requested == "cpu" || (automatic && !cuda))
        choice.device = "cpu";
    else if (cuda)
        choice.device = "cuda";
    else
        choice.error = "The CUDA device was asked for, but LibTorch sees no GPU (or was built without CUDA).";
    return choice;
}

BatchFindings analyzePages(const std::vector<PageInput> &pages, const AnalysisOptions &options,
                           const std::string &device)
{
    BatchFindings result;
    if (pages.empty())
        return result;
    try {
        const at::Device target(device == "cuda" ? at::kCUDA : at::kCPU);
        int64_t height = 0, width = 0;
        for (const PageInput &page : pages) {
            height = std::max<int64_t>(height, page.image.height);
            width = std::max<int64_t>(width, page.image.width);
        }
        const auto batchSize = static_cast<int64_t>(pages.size());
        // One padded batch: white beyond each page's own size.
        at::Tensor grey = at::full({batchSize, 1, height, width}, 255, at::TensorOptions().dtype(at::kByte));
        for (int64_t b = 0; b < batchSize; ++b) {
            const GrayImage &image = pages[b].image;
            if (image.width <= 0 || image.height <= 0
                || image.pixels.size() != size_t(image.width) * size_t(image.height))
                continue;
            const at::Tensor pixels = at::from_blob(const_cast<std::uint8_t *>(image.pixels.data()),
                                                    {image.height, image.width}, at::kByte);
            grey[b][0].narrow(0, 0, image.height).narrow(1, 0, image.width).copy_(pixels);
            paintOverWordsOnFill(pages[b], options.ruleInk, grey[b][0]);
        }
        grey = grey.to(target);

        // Ruling lines: openings with long thin structuring elements keep only
        // ink that runs at least ruleLength pixels straight.
        const at::Tensor ink = (grey < options.ruleInk).to(at::kByte);
        // Filled shapes survive those openings too; what is thicker than a
        // rule across its length is taken out again.
        const int thick = options.maxRuleThickness + 1;
        const at::Tensor longH = Kernels::open(ink, 1, options.ruleLength);
        const at::Tensor longV = Kernels::open(ink, options.verticalRuleLength, 1);
        const at::Tensor horizontal = longH * (1 - Kernels::open(longH, thick, 1));
        const at::Tensor vertical = longV * (1 - Kernels::open(longV, 1, thick));
        const auto pageCount = pages.size();
        std::vector<std::vector<PixelBox>> hRules = rulesFromRuns(
            Kernels::runs(horizontal.squeeze(1) > 0), pageCount, options.maxRuleThickness, true);
        std::vector<std::vector<PixelBox>> vRules = rulesFromRuns(
            Kernels::runs(vertical.squeeze(1).transpose(1, 2) > 0), pageCount, options.maxRuleThickness, false);

        // Light text on a dark page turns every edge into a "rule": such
        // pages have no ruled tables to find.
        const at::Tensor inkShare = ink.to(at::kFloat).mean({1, 2, 3}).to(at::kCPU).contiguous();
        result.pages.resize(pageCount);
        for (size_t b = 0; b < pageCount; ++b) {
            PageFindings &findings = result.pages[b];
            if (inkShare.data_ptr<float>()[b] > options.maxInkShare)
                continue;
            findings.horizontalRules = hRules[b];
            findings.verticalRules = vRules[b];
            for (TableGrid grid : tablesFromRules(findings)) {
                extendOverHeaderFill(grid, pages[b].image, pages[b].text, options);
                int filled = 0;
                for (const GridCell &c : grid.cells)
                    filled += std::any_of(pages[b].text.begin(), pages[b].text.end(), [&c](const PixelBox &t) {
                        const int x = (t.left + t.right) / 2, y = (t.top + t.bottom) / 2;
                        return x >= c.box.left && x < c.box.right && y >= c.box.top && y < c.box.bottom;
                    });
                if (filled >= 2 && filled >= options.minFilledCellShare * double(grid.cells.size()))
                    findings.tables.push_back(grid);
            }
        }

        // Graphics: paint that is not text, outside tables, on a coarse grid.
        // Rules elsewhere stay: a chart's axes hold its bars together.
        const int cell = std::max(1, options.cell);
        // A cell holds paint when at least two of its pixels do: a stray
        // antialiased pixel beside a glyph is not a drawing.
        at::Tensor painted = at::avg_pool2d((grey < options.paintInk).to(at::kFloat), {cell, cell}, {cell, cell},
                                            {0, 0}, /*ceil_mode=*/true)
            >= 2.0 / (cell * cell);
        for (size_t b = 0; b < pageCount; ++b)
            for (const TableGrid &grid : result.pages[b].tables) {
                // The whole table, with a cell of margin: shaded rows are not figures.
                const int64_t top = std::max(0, grid.box.top / cell - 1), left = std::max(0, grid.box.left / cell - 1);
                const int64_t bottom = std::min<int64_t>(painted.size(2), grid.box.bottom / cell + 2);
                const int64_t right = std::min<int64_t>(painted.size(3), grid.box.right / cell + 2);
                if (bottom > top && right > left)
                    painted[int64_t(b)][0].narrow(0, top, bottom - top).narrow(1, left, right - left).fill_(false);
            }
        const int64_t gh = painted.size(2), gw = painted.size(3);
        std::vector<at::Tensor> textMasks;
        for (const PageInput &page : pages) {
            std::vector<float> flat;
            flat.reserve(page.text.size() * 4);
            for (const PixelBox &box : page.text) {
                flat.insert(flat.end(), {float(box.left), float(box.top), float(box.right), float(box.bottom)});
            }
            const at::Tensor boxes = at::from_blob(flat.data(), {static_cast<int64_t>(page.text.size()), 4}, at::kFloat)
                                         .to(target);
            textMasks.push_back(Kernels::boxCoverage(boxes, gh, gw, cell));
        }
        // Glyph ink spills a little past the word boxes: one cell of margin.
        const at::Tensor text = Kernels::dilate(at::stack(textMasks).unsqueeze(1).to(at::kFloat), 3, 3) > 0;
        const at::Tensor graphic = painted & ~text;
        const at::Tensor labels = Kernels::labelComponents(graphic, options.closing);
        const at::Tensor boxes = Kernels::componentBoxes(labels).to(at::kCPU).contiguous();

        const int64_t *row = boxes.data_ptr<int64_t>();
        for (int64_t i = 0; i < boxes.size(0); ++i, row += 6) {
            const auto b = static_cast<size_t>(row[0]);
            const PixelBox box{int(row[2] * cell), int(row[1] * cell), int(row[4] * cell), int(row[3] * cell)};
            if (box.width() < options.minGraphicSide || box.height() < options.minGraphicSide)
                continue;
            const int64_t area = (row[3] - row[1]) * (row[4] - row[2]);
            if (double(row[5]) < options.minGraphicFill * double(area))
                continue;
            result.pages[b].graphics.push_back(box);
        }
    } catch (const c10::Error &error) {
        result.pages.clear();
        result.error = error.what_without_backtrace();
    } catch (const std::exception &error) {
        result.pages.clear();
        result.error = error.what();
    }
    return result;
}

std::vector<TableGrid> tablesFromRules(const PageFindings &page, int tolerance)
{
    const std::vector<PixelBox> &hs = page.horizontalRules, &vs = page.verticalRules;
    Kernels::UnionFind rules(hs.size() + vs.size());
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
        Kernels::UnionFind cells(size_t(rows) * size_t(columns));
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

} // namespace DocRay::Tensor

extern "C" __attribute__((visibility("default"))) const DocRay::Tensor::ModuleApi *docray_tensor_module()
{
    static const DocRay::Tensor::ModuleApi api{DocRay::Tensor::kModuleApiVersion, &DocRay::Tensor::chooseDevice,
                                                  &DocRay::Tensor::analyzePages, &DocRay::Tensor::cleanScan};
    return &api;
}
