#pragma once

// Internal to page analysis: what the LibTorch kernels (pageanalysis.cpp)
// and the CPU's loops (cpuanalysis.cpp) share once their masks are made,
// so both turn the same runs and components into the same findings. No
// LibTorch here: the engine builds it without the module.
#include "engine/layout/tensor/pageanalysis.h"

#include <cstddef>
#include <cstdint>
#include <numeric>
#include <vector>

namespace DocRay::Tensor::Findings {

// Disjoint sets of 0..n-1, joined by union-find with path halving.
struct UnionFind {
    explicit UnionFind(size_t n)
        : parent(n)
    {
        std::iota(parent.begin(), parent.end(), size_t(0));
    }
    size_t find(size_t i)
    {
        while (parent[i] != i)
            i = parent[i] = parent[parent[i]];
        return i;
    }
    void join(size_t a, size_t b) { parent[find(a)] = find(b); }
    std::vector<size_t> parent;
};

// Runs of rule ink as `count` rows of (page, line, start, end exclusive),
// ordered by page, line and start, turned into each page's rules: runs in
// consecutive lines that overlap are one rule, a few pixels thick; thicker
// ones are filled shapes. Vertical rules come as runs down the columns
// (line = x) and are turned back.
std::vector<std::vector<PixelBox>> rulesFromRuns(const int64_t *runs, size_t count, size_t pageCount,
                                                 int maxThickness, bool horizontal);

// Light words on a filled band (a header row's white text on blue) are holes
// in the fill, and the fill's strips around them look like rules: such
// words are painted over in the fill's colour in `pixels` (the page's grey,
// rows `stride` bytes apart), row by row where the pixels just left and
// right of the word are both ink. A word box taller than the band keeps its
// rows off it; a word on paper has paper beside it.
void paintOverWordsOnFill(const PageInput &page, int ink, std::uint8_t *pixels, size_t stride);

// The page's rules and the tables they make: none on a page whose share of
// ink is above the options' limit, and only grids whose cells hold words.
void addRulesAndTables(PageFindings &findings, const PageInput &page, double inkShare, std::vector<PixelBox> horizontal,
                       std::vector<PixelBox> vertical, const AnalysisOptions &options);

// The cells [top, bottom) x [left, right) of the graphics grid a table
// covers with its margin, clipped to the grid's gridHeight x gridWidth.
struct CellRange {
    int64_t top = 0, left = 0, bottom = 0, right = 0;
};
CellRange tableCells(const TableGrid &table, int cell, int64_t gridHeight, int64_t gridWidth);

// The cells of a grid of `cell`-pixel squares that a box (left, top,
// right, bottom in pixels) touches, clipped to the grid; empty when none.
CellRange boxCells(const PixelBox &box, int cell, int64_t gridHeight, int64_t gridWidth);

// A connected part of the graphics grid: its bounds in cells (bottom and
// right exclusive) and how many of its cells hold paint. Kept as a graphic
// when large and full enough.
struct Component {
    int64_t top = 0, left = 0, bottom = 0, right = 0, cells = 0;
};
void addGraphic(PageFindings &findings, const Component &part, int cell, const AnalysisOptions &options);

} // namespace DocRay::Tensor::Findings
