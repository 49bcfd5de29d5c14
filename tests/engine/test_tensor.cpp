// The page-tensor module on its own: morphology, runs and components on
// small synthetic tensors, then whole synthetic pages through the public
// API. LibTorch and the standard library only, so it runs on a GPU machine
// without Qt; where CUDA is there, the kernels must agree with the CPU.
#include "engine/layout/tensor/kernels.h"
#include "engine/layout/tensor/pageanalysis.h"
#include "tests/engine/tensorpages.h"

#include <torch/cuda.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

using namespace DocRay::Tensor;
using namespace DocRay::Tensor::TestPages;

namespace {

int g_failures = 0;

void check(bool condition, const char *what, int line)
{
    if (!condition) {
        std::printf("FAIL line %d: %s\n", line, what);
        ++g_failures;
    }
}
#define VERIFY(condition) check((condition), #condition, __LINE__)

at::Tensor grid(int h, int w, const std::vector<std::vector<int>> &inkBoxes)
{
    at::Tensor t = at::zeros({1, 1, h, w});
    for (const auto &b : inkBoxes) // left, top, right, bottom
        t[0][0].narrow(0, b[1], b[3] - b[1]).narrow(1, b[0], b[2] - b[0]).fill_(1);
    return t;
}

void morphology(const at::Device &device)
{
    // A 9-pixel horizontal line, a 3-pixel vertical stroke and a speck.
    const at::Tensor x = grid(12, 16, {{2, 3, 11, 4}, {13, 6, 14, 9}, {5, 10, 6, 11}}).to(device);
    const at::Tensor keptLong = Kernels::open(x, 1, 9).cpu();
    VERIFY(keptLong.sum().item<float>() == 9);
    VERIFY(at::equal(keptLong, grid(12, 16, {{2, 3, 11, 4}})));
    VERIFY(Kernels::open(x, 1, 11).sum().item<float>() == 0); // the line is shorter than the element
    VERIFY(at::equal(Kernels::open(x, 3, 1).cpu(), grid(12, 16, {{13, 6, 14, 9}})));
    // Erosion shrinks the line by half the element at each end; dilation grows it.
    VERIFY(at::equal(Kernels::erode(x, 1, 5).cpu(), grid(12, 16, {{4, 3, 9, 4}})));
    VERIFY(at::equal(Kernels::dilate(grid(5, 5, {{2, 2, 3, 3}}).to(device), 3, 3).cpu(), grid(5, 5, {{1, 1, 4, 4}})));
    // An even element is rounded up to the next odd size.
    VERIFY(at::equal(Kernels::open(x, 1, 8).cpu(), keptLong));
    // Byte masks, which the page analysis uses, give the float results,
    // ink at the border included (outside the page counts as ink for erosion).
    const at::Tensor bytes = x.to(at::kByte);
    VERIFY(at::equal(Kernels::open(bytes, 1, 9).cpu().to(at::kFloat), keptLong));
    VERIFY(at::equal(Kernels::erode(bytes, 1, 5).cpu().to(at::kFloat), Kernels::erode(x, 1, 5).cpu()));
    const at::Tensor edge = grid(6, 6, {{0, 0, 6, 2}}).to(device);
    VERIFY(at::equal(Kernels::erode(edge.to(at::kByte), 3, 3).cpu().to(at::kFloat), Kernels::erode(edge, 3, 3).cpu()));
    VERIFY(Kernels::erode(edge, 3, 3).sum().item<float>() == 6); // the top row survives: the border is ink
}

// Runs of true along each row, page by page, as Kernels::runs lists them.
at::Tensor runsOneByOne(const at::Tensor &mask)
{
    std::vector<int64_t> found;
    const at::Tensor m = mask.cpu();
    for (int64_t b = 0; b < m.size(0); ++b)
        for (int64_t y = 0; y < m.size(1); ++y)
            for (int64_t x = 0; x < m.size(2); ++x)
                if (m[b][y][x].item<bool>() && (x == 0 || !m[b][y][x - 1].item<bool>())) {
                    int64_t end = x;
                    while (end < m.size(2) && m[b][y][end].item<bool>())
                        ++end;
                    found.insert(found.end(), {b, y, x, end});
                }
    return at::tensor(found, at::kLong).view({int64_t(found.size() / 4), 4});
}

// Components of a [B, 1, H, W] mask, cells up to `reach` apart joined, by
// flooding: each labelled by the largest index + 1 of its cells.
at::Tensor componentsByFlooding(const at::Tensor &mask, int reach)
{
    const at::Tensor m = mask.cpu().to(at::kBool).contiguous();
    const int64_t h = m.size(2), w = m.size(3);
    const bool *cells = m.data_ptr<bool>();
    std::vector<int64_t> component(size_t(m.numel()), -1);
    std::vector<int64_t> largest;
    for (int64_t seed = 0; seed < m.numel(); ++seed) {
        if (!cells[seed] || component[size_t(seed)] >= 0)
            continue;
        const auto id = int64_t(largest.size());
        largest.push_back(seed + 1);
        std::vector<int64_t> todo{seed};
        component[size_t(seed)] = id;
        while (!todo.empty()) {
            const int64_t i = todo.back();
            todo.pop_back();
            largest[size_t(id)] = std::max(largest[size_t(id)], i + 1);
            const int64_t plane = i / (h * w), y = i / w % h, x = i % w;
            for (int64_t ny = std::max<int64_t>(0, y - reach); ny <= std::min(h - 1, y + reach); ++ny)
                for (int64_t nx = std::max<int64_t>(0, x - reach); nx <= std::min(w - 1, x + reach); ++nx) {
                    const int64_t j = (plane * h + ny) * w + nx;
                    if (cells[j] && component[size_t(j)] < 0) {
                        component[size_t(j)] = id;
                        todo.push_back(j);
                    }
                }
        }
    }
    at::Tensor labels = at::zeros(m.sizes(), at::kLong);
    for (int64_t i = 0; i < m.numel(); ++i)
        if (component[size_t(i)] >= 0)
            labels.data_ptr<int64_t>()[i] = largest[size_t(component[size_t(i)])];
    return labels;
}

void runsAndComponents(const at::Device &device)
{
    // Components of random masks of two pages, sparse to nearly full, at
    // the reaches the figure search uses and beyond.
    at::manual_seed(13);
    for (const double density : {0.05, 0.2, 0.5})
        for (const int reach : {1, 2, 3, 5}) {
            const at::Tensor cells = (at::rand({2, 1, 23, 31}) < density).to(device);
            VERIFY(at::equal(Kernels::labelComponents(cells, reach).cpu(), componentsByFlooding(cells, reach)));
        }
    // Runs of a random page, across its rows and down its columns (a
    // transposed view, as the rule search reads vertical rules).
    at::manual_seed(11);
    const at::Tensor page = (at::rand({2, 13, 29}) < 0.5).to(device);
    VERIFY(at::equal(Kernels::runs(page).cpu(), runsOneByOne(page)));
    VERIFY(at::equal(Kernels::runs(page.transpose(1, 2)).cpu(), runsOneByOne(page.transpose(1, 2).contiguous())));
    VERIFY(Kernels::runs(at::zeros({1, 3, 4}, at::kBool).to(device)).size(0) == 0);
    const at::Tensor mask = grid(4, 10, {{1, 0, 4, 1}, {6, 0, 10, 1}, {0, 2, 2, 3}}).to(device).squeeze(1) > 0;
    const at::Tensor r = Kernels::runs(mask).cpu();
    VERIFY(r.size(0) == 3);
    if (r.size(0) == 3) {
        VERIFY(at::equal(r[0], at::tensor({0, 0, 1, 4}, at::kLong)));
        VERIFY(at::equal(r[1], at::tensor({0, 0, 6, 10}, at::kLong)));
        VERIFY(at::equal(r[2], at::tensor({0, 2, 0, 2}, at::kLong)));
    }
    // Two blocks with three empty cells between them (four apart): separate
    // at reach 3, one at reach 4.
    const at::Tensor blobs = grid(10, 12, {{0, 0, 3, 3}, {6, 5, 9, 8}}).to(device) > 0;
    const at::Tensor near = Kernels::labelComponents(blobs, 3);
    VERIFY(std::get<0>(at::_unique2(near.masked_select(blobs))).size(0) == 2);
    const at::Tensor far = Kernels::labelComponents(blobs, 4);
    VERIFY(std::get<0>(at::_unique2(far.masked_select(blobs))).size(0) == 1);
    const at::Tensor boxes = Kernels::componentBoxes(near).cpu();
    VERIFY(boxes.size(0) == 2);
    if (boxes.size(0) == 2) {
        // page, top, left, bottom, right, cells
        VERIFY(at::equal(boxes[0], at::tensor({0, 0, 0, 3, 3, 9}, at::kLong)));
        VERIFY(at::equal(boxes[1], at::tensor({0, 5, 6, 8, 9, 9}, at::kLong)));
    }
    // A snake longer than the step budget of a naive 3x3 pass stays one component.
    std::vector<std::vector<int>> snake;
    for (int row = 0; row < 40; row += 4) {
        snake.push_back({0, row, 60, row + 2});
        snake.push_back({(row / 4) % 2 ? 0 : 58, row + 2, (row / 4) % 2 ? 2 : 60, row + 4});
    }
    const at::Tensor snakeMask = grid(44, 60, snake).to(device) > 0;
    const at::Tensor snakeLabels = Kernels::labelComponents(snakeMask, 1);
    VERIFY(std::get<0>(at::_unique2(snakeLabels.masked_select(snakeMask))).size(0) == 1);

    const at::Tensor cover = Kernels::boxCoverage(at::tensor({4.f, 0.f, 9.f, 3.f}).view({1, 4}).to(device), 3, 4, 4).cpu();
    // Pixels 4..9 wide, 0..3 high on 4-pixel cells: columns 1 and 2 of row 0.
    VERIFY(at::equal(cover, at::tensor({0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0}).view({3, 4}) > 0));

    // Against the definition, cell by cell: boxes off the grid, on cell
    // edges, empty, and a cell size that does not divide them.
    for (const int cell : {3, 4}) {
        const int64_t h = 17, w = 23;
        std::vector<float> values;
        for (int i = 0; i < 60; ++i) {
            const float left = float((i * 37) % 90) - 10, top = float((i * 53) % 70) - 8;
            values.insert(values.end(), {left, top, left + float((i * 11) % 19), top + float((i * 7) % 13) + 0.5f * (i % 2)});
        }
        const at::Tensor boxes = at::tensor(values).view({-1, 4});
        const at::Tensor got = Kernels::boxCoverage(boxes.to(device), h, w, cell).cpu();
        bool same = true;
        for (int64_t y = 0; y < h; ++y)
            for (int64_t x = 0; x < w; ++x) {
                bool covered = false;
                for (size_t b = 0; b < values.size(); b += 4)
                    covered = covered
                        || (float(x * cell) < values[b + 2] && float((x + 1) * cell) > values[b] && float(y * cell) < values[b + 3]
                            && float((y + 1) * cell) > values[b + 1]);
                same = same && got[y][x].item<bool>() == covered;
            }
        VERIFY(same);
    }
}

// Page analysis on `device`: "cpu" or "cuda" through the tensor kernels,
// "plain" through the loops the engine runs on the CPU without LibTorch.
BatchFindings findOn(const std::string &device, const std::vector<PageInput> &pages, const AnalysisOptions &options)
{
    return device == "plain" ? analyzePagesOnCpu(pages, options) : analyzePages(pages, options, device);
}

void pages(const std::string &device)
{
    // Page 1: a 3 x 4 ruled table, a filled square and a "word" of ink the
    // text layer accounts for. Page 2 (smaller, padded in the batch): a
    // table with one merged cell.
    std::vector<PixelBox> ink = ruledTable(3, 4);
    ink.push_back({500, 400, 600, 480}); // the drawing
    ink.push_back({100, 600, 180, 612}); // a word
    PageInput first{page(700, 800, ink), {{98, 598, 182, 614}}};
    // Words in the table's cells (the text layer; their ink does not matter here).
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 4; ++c)
            first.text.push_back({100 + c * 60 + 10, 100 + r * 30 + 10, 100 + c * 60 + 40, 100 + r * 30 + 22});
    PageInput second{page(500, 300, ruledTable(2, 3, 1, 0)), {}};
    AnalysisOptions options;
    const BatchFindings found = findOn(device, {first, second}, options);
    VERIFY(found.error.empty());
    VERIFY(found.pages.size() == 2);
    if (found.pages.size() != 2)
        return;
    const PageFindings &p1 = found.pages[0];
    VERIFY(p1.horizontalRules.size() == 4);
    VERIFY(p1.verticalRules.size() == 5);
    VERIFY(p1.graphics.size() == 1);
    if (p1.graphics.size() == 1) {
        const PixelBox &g = p1.graphics[0];
        VERIFY(g.left <= 500 && g.left > 490 && g.right >= 600 && g.right < 610);
        VERIFY(g.top <= 400 && g.top > 390 && g.bottom >= 480 && g.bottom < 490);
    }
    const std::vector<TableGrid> tables = tablesFromRules(p1);
    VERIFY(p1.tables.size() == 1);
    VERIFY(tables.size() == 1);
    if (tables.size() == 1) {
        VERIFY(tables[0].rows() == 3 && tables[0].columns() == 4);
        VERIFY(tables[0].cells.size() == 12);
        VERIFY(std::abs(tables[0].box.left - 100) <= 1 && std::abs(tables[0].box.right - 341) <= 1);
    }
    const std::vector<TableGrid> merged = tablesFromRules(found.pages[1]);
    VERIFY(merged.size() == 1);
    if (merged.size() == 1) {
        VERIFY(merged[0].rows() == 2 && merged[0].columns() == 3);
        VERIFY(merged[0].cells.size() == 5);
        bool spanning = false;
        for (const GridCell &c : merged[0].cells)
            spanning |= c.row == 1 && c.column == 0 && c.columnSpan == 2 && c.rowSpan == 1;
        VERIFY(spanning);
    }
    // A page's findings do not depend on the pages batched with it, nor on
    // the padding a larger one brings, nor on its place in the batch.
    const BatchFindings alone = findOn(device, {first}, options);
    const PageInput larger{page(900, 1000, ruledTable(2, 2)), {}};
    const BatchFindings behindLarger = findOn(device, {larger, first, second}, options);
    VERIFY(alone.pages.size() == 1 && behindLarger.pages.size() == 3);
    if (alone.pages.size() == 1 && behindLarger.pages.size() == 3) {
        VERIFY(sameFindings(alone.pages[0], p1));
        VERIFY(sameFindings(alone.pages[0], behindLarger.pages[1]));
        VERIFY(sameFindings(found.pages[1], behindLarger.pages[2]));
    }
    // The same grid without words is a drawing: a graphic, not a table.
    const BatchFindings blank = findOn(device, {PageInput{page(500, 300, ruledTable(2, 3)), {}}}, options);
    VERIFY(blank.pages.size() == 1 && blank.pages[0].tables.empty() && blank.pages[0].graphics.size() == 1);
    // On a dark page the edges of light areas are no rules.
    GrayImage dark = page(500, 300, {{0, 0, 500, 300}}, 40);
    for (const PixelBox &b : ruledTable(2, 3))
        for (int y = b.top; y < b.bottom; ++y)
            for (int x = b.left; x < b.right; ++x)
                dark.pixels[size_t(y) * 500 + x] = 255;
    const BatchFindings darkFound = findOn(device, {PageInput{dark, {}}}, options);
    VERIFY(darkFound.pages.size() == 1 && darkFound.pages[0].horizontalRules.empty() && darkFound.pages[0].tables.empty());
    // A lone frame or crossed lines are not tables.
    PageFindings frame;
    frame.horizontalRules = {{10, 10, 200, 11}, {10, 100, 200, 101}};
    frame.verticalRules = {{10, 10, 11, 101}, {199, 10, 200, 101}};
    VERIFY(tablesFromRules(frame).empty());

    // A page of grey text-like strokes only: no rules, no graphics.
    std::vector<PixelBox> words;
    std::vector<PixelBox> wordBoxes;
    for (int line = 0; line < 20; ++line)
        for (int word = 0; word < 8; ++word) {
            const PixelBox w{60 + word * 70, 60 + line * 20, 60 + word * 70 + 50, 60 + line * 20 + 9};
            words.push_back(w);
            wordBoxes.push_back({w.left - 1, w.top - 2, w.right + 1, w.bottom + 2});
        }
    const BatchFindings prose = findOn(device, {PageInput{page(700, 500, words, 90), wordBoxes}}, options);
    VERIFY(prose.pages.size() == 1);
    if (prose.pages.size() == 1) {
        // Each word here is a 50-pixel bar, longer than a rule must be, yet
        // shorter than the element: nothing survives the opening.
        VERIFY(prose.pages[0].horizontalRules.empty());
        VERIFY(prose.pages[0].graphics.empty());
    }
}

// A ruled 2 x 3 table under a header row set on a grey band with no rules
// of its own: light words are holes in the band, the words' boxes come from
// the text layer. `headerWords` are (left, right) spans of words on the band.
PageInput tableUnderFilledHeader(const std::vector<std::pair<int, int>> &headerWords)
{
    PageInput input{page(500, 300, ruledTable(2, 3)), {}};
    GrayImage &image = input.image;
    for (int y = 72; y < 97; ++y)
        for (int x = 100; x < 281; ++x)
            image.pixels[size_t(y) * 500 + x] = 150;
    for (const auto &[left, right] : headerWords) {
        // Light strokes 1 pixel wide, 2 apart, from 76 to 92: the band keeps
        // strips of 4 rows above and below, thin enough to pass for rules.
        for (int x = left; x < right; x += 3)
            for (int y = 76; y < 92; ++y)
                image.pixels[size_t(y) * 500 + x] = 255;
        input.text.push_back({left - 2, 74, right + 2, 94});
    }
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c)
            input.text.push_back({100 + c * 60 + 10, 100 + r * 30 + 10, 100 + c * 60 + 40, 100 + r * 30 + 22});
    return input;
}

void headerOnFill(const std::string &device)
{
    const AnalysisOptions options;
    // Two header cells: one over the first column, one spanning the other two.
    const BatchFindings found = findOn(device, {tableUnderFilledHeader({{110, 140}, {185, 255}})}, options);
    VERIFY(found.pages.size() == 1);
    if (found.pages.size() != 1)
        return;
    const PageFindings &p = found.pages[0];
    // The band's strips around its words are no rules.
    VERIFY(p.horizontalRules.size() == 3);
    VERIFY(p.verticalRules.size() == 4);
    VERIFY(p.tables.size() == 1);
    if (p.tables.size() == 1) {
        const TableGrid &t = p.tables[0];
        VERIFY(t.rows() == 3 && t.columns() == 3);
        VERIFY(t.box.top == 72);
        VERIFY(t.cells.size() == 8);
        if (t.cells.size() == 8) {
            VERIFY(t.cells[0].row == 0 && t.cells[0].column == 0 && t.cells[0].columnSpan == 1);
            VERIFY(t.cells[1].row == 0 && t.cells[1].column == 1 && t.cells[1].columnSpan == 2);
            VERIFY(t.cells[2].row == 1 && t.cells[2].column == 0 && t.cells[2].rowSpan == 1);
        }
    }
    // One word across the band is a title bar over the table, not its header.
    const BatchFindings titled = findOn(device, {tableUnderFilledHeader({{130, 250}})}, options);
    VERIFY(titled.pages.size() == 1 && titled.pages[0].tables.size() == 1);
    if (titled.pages.size() == 1 && titled.pages[0].tables.size() == 1)
        VERIFY(titled.pages[0].tables[0].rows() == 2 && titled.pages[0].tables[0].box.top >= 99);
}

// Sum of squared differences of neighbouring rows' darkness: high when text
// lines are level, low when they are slanted across rows.
double rowSharpness(const GrayImage &image)
{
    std::vector<double> rows(size_t(image.height), 0.0);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x)
            rows[size_t(y)] += 255 - image.pixels[size_t(y) * image.width + x];
    double sharpness = 0;
    for (size_t y = 1; y < rows.size(); ++y)
        sharpness += (rows[y] - rows[y - 1]) * (rows[y] - rows[y - 1]);
    return sharpness;
}

void deskew(const std::string &device)
{
    // A letter page at 150 dpi: small enough for the test, large enough for
    // the angle search to run on a pooled copy.
    const GrayImage level = page(1275, 1650, textStrokes(1275, 1650), 0);
    const double levelSharpness = rowSharpness(level);
    ScanOptions options;
    options.dpi = 150;
    for (double degrees : {3.0, -2.0}) {
        const GrayImage skewed = turned(level, degrees);
        const ScanCleanup cleaned = cleanScan(skewed, options, device);
        VERIFY(cleaned.error.empty());
        VERIFY(std::abs(cleaned.skewDegrees - degrees) <= 0.5);
        VERIFY(std::abs(cleaned.skewDegrees - degrees) <= 0.1); // what the fine search gives
        VERIFY(cleaned.rotated);
        VERIFY(cleaned.image.width == skewed.width && cleaned.image.height == skewed.height);
        // Slanted, the row profile is nearly flat; levelled, its jumps come
        // back. Interpolation spreads each line's edge over two rows, which
        // halves the squared jumps of the drawn original.
        const double sharpness = rowSharpness(cleaned.image);
        VERIFY(rowSharpness(skewed) < 0.01 * levelSharpness);
        VERIFY(sharpness > 0.4 * levelSharpness);
        // The corners turned in are white, not black.
        VERIFY(cleaned.image.pixels.front() == 255 && cleaned.image.pixels.back() == 255);
        // Asked only to measure, the module finds the same skew and leaves the page.
        ScanOptions measureOnly = options;
        measureOnly.turn = false;
        const ScanCleanup measured = cleanScan(skewed, measureOnly, device);
        VERIFY(measured.error.empty() && measured.skewDegrees == cleaned.skewDegrees);
        VERIFY(!measured.rotated && measured.image.pixels == skewed.pixels);
    }
    // A level page stays as it is: no resampling for nothing.
    const ScanCleanup untouched = cleanScan(level, options, device);
    VERIFY(std::abs(untouched.skewDegrees) < options.minSkewDegrees);
    VERIFY(!untouched.rotated && untouched.image.pixels == level.pixels);
    // A blank page has no skew to find.
    const ScanCleanup blank = cleanScan(page(300, 200, {}), options, device);
    VERIFY(blank.error.empty() && blank.skewDegrees == 0 && !blank.rotated);
    VERIFY(!cleanScan(GrayImage{}, options, device).error.empty());
}

void binarizeAndDespeckle(const std::string &device)
{
    // Text on a ground that darkens from white (left) to a mid grey (right):
    // one global threshold takes the right half for ink, Sauvola does not.
    const int width = 600, height = 300;
    GrayImage image;
    image.width = width;
    image.height = height;
    image.pixels.resize(size_t(width) * height);
    std::vector<bool> text(image.pixels.size(), false);
    for (const PixelBox &b : textStrokes(width, height, 40))
        for (int y = b.top; y < b.bottom; ++y)
            for (int x = b.left; x < b.right; ++x)
                text[size_t(y) * width + x] = true;
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const int ground = 250 - 160 * x / width;
            image.pixels[size_t(y) * width + x] = std::uint8_t(text[size_t(y) * width + x] ? std::max(0, ground - 120) : ground);
        }
    ScanOptions options;
    options.deskew = false;
    options.binarize = true;
    const ScanCleanup binary = cleanScan(image, options, device);
    VERIFY(binary.error.empty() && binary.image.pixels.size() == image.pixels.size());
    if (binary.image.pixels.size() == image.pixels.size()) {
        size_t textKept = 0, textPixels = 0, groundCleared = 0, groundPixels = 0;
        for (size_t i = 0; i < text.size(); ++i) {
            VERIFY(binary.image.pixels[i] == 0 || binary.image.pixels[i] == 255);
            if (text[i]) {
                ++textPixels;
                textKept += binary.image.pixels[i] == 0;
            } else {
                ++groundPixels;
                groundCleared += binary.image.pixels[i] == 255;
            }
        }
        VERIFY(textKept >= 0.95 * textPixels);
        VERIFY(groundCleared >= 0.99 * groundPixels);
    }

    // Specks of one and four pixels, alone on the page, go; a five-pixel
    // dot (a full stop at 300 dpi) and the text stay.
    std::vector<PixelBox> ink = textStrokes(width, height, 40);
    const std::vector<PixelBox> specks{{20, 10, 21, 11}, {300, 280, 302, 282}, {580, 150, 581, 151}, {40, 100, 42, 102}};
    const PixelBox dot{10, 200, 15, 205};
    std::vector<PixelBox> all = ink;
    all.insert(all.end(), specks.begin(), specks.end());
    all.push_back(dot);
    const GrayImage speckled = page(width, height, all, 0);
    ScanOptions despeckle;
    despeckle.deskew = false;
    despeckle.despeckle = true;
    const ScanCleanup clean = cleanScan(speckled, despeckle, device);
    VERIFY(clean.error.empty() && clean.image.pixels.size() == speckled.pixels.size());
    if (clean.image.pixels.size() == speckled.pixels.size()) {
        auto pixel = [&clean, width](int x, int y) { return clean.image.pixels[size_t(y) * width + x]; };
        for (const PixelBox &b : specks)
            VERIFY(pixel(b.left, b.top) == 255 && pixel(b.right - 1, b.bottom - 1) == 255);
        VERIFY(pixel(dot.left, dot.top) == 0 && pixel(dot.left + 2, dot.top + 2) == 0);
        // Every text pixel is still ink: nothing else changed.
        const GrayImage textOnly = page(width, height, [&] { auto t = ink; t.push_back(dot); return t; }(), 0);
        VERIFY(clean.image.pixels == textOnly.pixels);
    }
}

void devices()
{
    VERIFY(chooseDevice("cpu").device == "cpu");
    VERIFY(!chooseDevice("tpu").error.empty());
    const bool cuda = torch::cuda::is_available();
    VERIFY(chooseDevice("auto").device == (cuda ? "cuda" : "cpu"));
    VERIFY(chooseDevice("cuda").error.empty() == cuda);
}

// The benchmark's pages (bench/tensor_bench.cpp) are what they claim to be:
// each has its table of 10 x 6 cells and its figure, and nothing else.
void documentPages(const std::string &device)
{
    std::vector<PageInput> batch;
    for (int i = 0; i < 5; ++i)
        batch.push_back(documentPage(i));
    const BatchFindings found = findOn(device, batch, {});
    VERIFY(found.error.empty() && found.pages.size() == batch.size());
    for (const PageFindings &p : found.pages) {
        VERIFY(p.tables.size() == 1 && p.graphics.size() == 1);
        if (p.tables.size() == 1)
            VERIFY(p.tables[0].rows() == 10 && p.tables[0].columns() == 6);
    }
}

// Table grids cell for cell, besides what sameFindings compares.
bool sameTables(const PageFindings &a, const PageFindings &b)
{
    if (a.tables.size() != b.tables.size())
        return false;
    for (size_t t = 0; t < a.tables.size(); ++t) {
        const TableGrid &x = a.tables[t], &y = b.tables[t];
        if (x.rowEdges != y.rowEdges || x.columnEdges != y.columnEdges || x.cells.size() != y.cells.size())
            return false;
        for (size_t c = 0; c < x.cells.size(); ++c) {
            const GridCell &p = x.cells[c], &q = y.cells[c];
            if (p.row != q.row || p.column != q.column || p.rowSpan != q.rowSpan || p.columnSpan != q.columnSpan
                || !sameBoxes({p.box}, {q.box}))
                return false;
        }
    }
    return true;
}

// A page of scattered marks from a fixed seed: bars and rules of every
// length, blocks, words the text layer holds (some off the page's edges),
// grey fills, marks that touch the page's edges.
PageInput scatteredPage(unsigned seed, int width, int height)
{
    auto next = [&seed](int below) {
        seed = seed * 1103515245u + 12345u;
        return int((seed >> 8) % unsigned(below));
    };
    GrayImage image = page(width, height, {});
    std::vector<PixelBox> text;
    for (int i = 0; i < 60; ++i) {
        const int kind = next(5), x = next(width), y = next(height);
        const int w = kind == 0 ? 20 + next(400) : kind == 1 ? 1 + next(4) : 2 + next(80);
        const int h = kind == 0 ? 1 + next(8) : kind == 1 ? 15 + next(300) : 2 + next(60);
        const std::uint8_t shade = std::uint8_t(next(4) == 0 ? 160 + next(90) : next(120));
        for (int yy = y; yy < std::min(height, y + h); ++yy)
            for (int xx = x; xx < std::min(width, x + w); ++xx)
                image.pixels[size_t(yy) * size_t(width) + size_t(xx)] = shade;
        if (kind == 4)
            text.push_back({x - 2, y - 2, x + w + 2, y + h + 2});
    }
    for (const PixelBox &b : moved(ruledTable(2 + next(3), 2 + next(3)), next(width / 2), next(height / 2)))
        for (int yy = std::max(0, b.top); yy < std::min(height, b.bottom); ++yy)
            for (int xx = std::max(0, b.left); xx < std::min(width, b.right); ++xx)
                image.pixels[size_t(yy) * size_t(width) + size_t(xx)] = 0;
    text.push_back({-20, height - 15, 40, height + 10});
    return {image, text};
}

// The loops the engine runs on the CPU find, page by page, what the tensor
// kernels find: rules, tables cell for cell, graphics, on pages of every
// kind the other tests draw, on scattered marks of odd sizes and on noise
// of every density (the openings' runs at the page's edges).
void plainMatchesTensors()
{
    std::vector<PageInput> inputs;
    for (int i = 0; i < 6; ++i)
        inputs.push_back(documentPage(i));
    inputs.push_back(tableUnderFilledHeader({{110, 140}, {185, 255}}));
    inputs.push_back(tableUnderFilledHeader({{130, 250}}));
    inputs.push_back({page(500, 300, ruledTable(2, 3, 1, 0)), {}});
    // Rules that run off the page's edges, and a page that is all ink.
    inputs.push_back({page(341, 161, moved(ruledTable(2, 4), -100, -100)), {}});
    inputs.push_back({page(90, 70, {{0, 0, 90, 70}}), {}});
    for (unsigned seed = 1; seed <= 24; ++seed)
        inputs.push_back(scatteredPage(seed, 300 + int(seed * 37 % 500), 200 + int(seed * 53 % 700)));
    // Noise of every density: runs of every length, many at the page's edges.
    unsigned noise = 11;
    for (const int share : {10, 20, 33, 90}) { // above a third of ink a page has no rules
        GrayImage speckled = page(301, 157, {});
        for (std::uint8_t &v : speckled.pixels) {
            noise = noise * 1103515245u + 12345u;
            v = int((noise >> 8) % 100u) < share ? 0 : 255;
        }
        inputs.push_back({speckled, {}});
    }
    size_t tables = 0, graphics = 0;
    for (const PageInput &input : inputs) {
        const BatchFindings tensors = analyzePages({input}, {}, "cpu");
        const BatchFindings plain = analyzePagesOnCpu({input});
        VERIFY(tensors.error.empty() && tensors.pages.size() == 1 && plain.pages.size() == 1);
        if (tensors.pages.size() != 1 || plain.pages.size() != 1)
            continue;
        VERIFY(sameFindings(tensors.pages[0], plain.pages[0]));
        VERIFY(sameTables(tensors.pages[0], plain.pages[0]));
        tables += plain.pages[0].tables.size();
        graphics += plain.pages[0].graphics.size();
    }
    // The pages hold what is compared: tables and graphics both.
    std::printf("plain loops and tensor kernels: %zu pages, %zu tables, %zu graphics\n", inputs.size(), tables, graphics);
    VERIFY(tables >= 10 && graphics >= 20);
    // A batch is analysed page by page: the same as each page alone.
    const BatchFindings batch = analyzePagesOnCpu({inputs[0], inputs[9], inputs[20]});
    VERIFY(batch.pages.size() == 3);
    if (batch.pages.size() == 3)
        VERIFY(sameFindings(batch.pages[1], analyzePagesOnCpu({inputs[9]}).pages[0]));
    // A page whose pixels do not fill its size has nothing to find.
    PageInput broken = inputs[0];
    broken.image.pixels.resize(10);
    const BatchFindings none = analyzePagesOnCpu({broken});
    VERIFY(none.pages.size() == 1 && none.pages[0].tables.empty() && none.pages[0].graphics.empty());
}

// The engine's plain angle search finds the skew the module finds: on text
// pages turned both ways at two resolutions (one pooled down, one not), on
// a page of scattered marks, on a grey photo-like page whose many inked
// cells are thinned, and on pages too empty or too broken to measure.
void plainSkewMatchesTensors()
{
    std::vector<GrayImage> scans;
    const GrayImage letter = page(1275, 1650, textStrokes(1275, 1650), 0);
    for (const double degrees : {0.0, 0.3, -0.7, 2.2, -4.1})
        scans.push_back(turned(letter, degrees));
    const GrayImage small = page(700, 500, textStrokes(700, 500, 30), 40);
    scans.push_back(turned(small, 1.35));
    scans.push_back(scatteredPage(7, 900, 1200).image);
    GrayImage photo = page(1400, 1000, {});
    unsigned seed = 3;
    for (std::uint8_t &v : photo.pixels) {
        seed = seed * 1103515245u + 12345u;
        v = std::uint8_t(40 + (seed >> 24) % 160);
    }
    scans.push_back(turned(photo, 1.0));
    scans.push_back(page(300, 200, {{10, 10, 11, 11}}));
    ScanOptions options;
    options.turn = false;
    for (const GrayImage &scan : scans) {
        const ScanCleanup tensors = cleanScan(scan, options, "cpu");
        const double plain = skewOnCpu(scan, options);
        VERIFY(tensors.error.empty());
        if (tensors.skewDegrees != plain)
            std::printf("skew: tensors %.4f, plain %.4f\n", tensors.skewDegrees, plain);
        VERIFY(std::abs(tensors.skewDegrees - plain) < 1e-9);
    }
    VERIFY(std::abs(skewOnCpu(scans[3], options) - 2.2) <= 0.1);
    VERIFY(skewOnCpu(GrayImage{}, options) == 0);
    GrayImage broken = letter;
    broken.pixels.resize(100);
    VERIFY(skewOnCpu(broken, options) == 0);
}

// CUDA gives what the CPU gives: the findings of a batch of document pages
// box for box, and a cleaned scan with the same skew and, interpolation
// rounding aside, the same pixels.
void sameOnBothDevices()
{
    std::vector<PageInput> batch;
    for (int i = 0; i < 6; ++i)
        batch.push_back(documentPage(i));
    const BatchFindings onCpu = analyzePages(batch, {}, "cpu");
    const BatchFindings onCuda = analyzePages(batch, {}, "cuda");
    VERIFY(onCpu.error.empty() && onCuda.error.empty());
    VERIFY(onCpu.pages.size() == batch.size() && onCuda.pages.size() == batch.size());
    for (size_t i = 0; i < std::min(onCpu.pages.size(), onCuda.pages.size()); ++i)
        VERIFY(sameFindings(onCpu.pages[i], onCuda.pages[i]));

    const GrayImage skewed = turned(page(2550, 3300, textStrokes(2550, 3300), 0), 1.5);
    ScanOptions everything;
    everything.binarize = everything.despeckle = true;
    const ScanCleanup cpuScan = cleanScan(skewed, everything, "cpu");
    const ScanCleanup cudaScan = cleanScan(skewed, everything, "cuda");
    VERIFY(cpuScan.error.empty() && cudaScan.error.empty());
    VERIFY(std::abs(cpuScan.skewDegrees - cudaScan.skewDegrees) < 1e-9);
    VERIFY(cpuScan.image.pixels.size() == cudaScan.image.pixels.size());
    if (cpuScan.image.pixels.size() == cudaScan.image.pixels.size()) {
        size_t differing = 0;
        for (size_t i = 0; i < cpuScan.image.pixels.size(); ++i)
            differing += cpuScan.image.pixels[i] != cudaScan.image.pixels[i];
        std::printf("cpu and cuda: skew %.3f and %.3f degrees, %zu of %zu cleaned pixels differ\n",
                    cpuScan.skewDegrees, cudaScan.skewDegrees, differing, cpuScan.image.pixels.size());
        VERIFY(differing <= cpuScan.image.pixels.size() / 1000);
    }
}

} // namespace

int main()
{
    std::vector<std::string> devicesToRun{"cpu"};
    if (torch::cuda::is_available())
        devicesToRun.push_back("cuda");
    for (const std::string &device : devicesToRun) {
        std::printf("kernels on %s\n", device.c_str());
        morphology(at::Device(device));
        runsAndComponents(at::Device(device));
        pages(device);
        headerOnFill(device);
        deskew(device);
        binarizeAndDespeckle(device);
        documentPages(device);
    }
    std::printf("plain loops on cpu\n");
    pages("plain");
    headerOnFill("plain");
    documentPages("plain");
    plainMatchesTensors();
    plainSkewMatchesTensors();
    devices();
    if (torch::cuda::is_available()) {
        // The same kernels give the same masks on both devices.
        const at::Tensor x = (at::rand({2, 1, 64, 80}, at::TensorOptions().dtype(at::kFloat)) > 0.7).to(at::kFloat);
        VERIFY(at::equal(Kernels::open(x, 1, 5), Kernels::open(x.cuda(), 1, 5).cpu()));
        VERIFY(at::equal(Kernels::labelComponents(x > 0, 2), Kernels::labelComponents(x.cuda() > 0, 2).cpu()));
        sameOnBothDevices();
    }
    std::printf("%s: %d failure(s)\n", g_failures ? "FAILED" : "passed", g_failures);
    return g_failures == 0 ? 0 : 1;
}
