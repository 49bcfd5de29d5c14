#pragma once

// Synthetic pages drawn for the page-tensor module's test and its benchmark
// (bench/tensor_bench.cpp): rectangles of ink, ruled tables, lines of
// glyph-like strokes, a page turned by a few degrees. LibTorch-free, Qt-free.
#include "engine/layout/tensor/pageanalysis.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

namespace DocRay::Tensor::TestPages {

// A white page with black rectangles drawn on it.
inline GrayImage page(int width, int height, const std::vector<PixelBox> &ink, std::uint8_t shade = 0)
{
    GrayImage image;
    image.width = width;
    image.height = height;
    image.pixels.assign(size_t(width) * height, 255);
    for (const PixelBox &b : ink)
        for (int y = b.top; y < b.bottom; ++y)
            for (int x = b.left; x < b.right; ++x)
                image.pixels[size_t(y) * width + x] = shade;
    return image;
}

// A ruled table of `rows` x `columns` cells of 60 x 30 pixels at (100, 100);
// `skip` leaves out the vertical rule segment right of one cell.
inline std::vector<PixelBox> ruledTable(int rows, int columns, int skipRow = -1, int skipColumn = -1)
{
    std::vector<PixelBox> rules;
    const int x0 = 100, y0 = 100, w = 60, h = 30;
    for (int r = 0; r <= rows; ++r)
        rules.push_back({x0, y0 + r * h, x0 + columns * w + 1, y0 + r * h + 1});
    for (int c = 0; c <= columns; ++c)
        for (int r = 0; r < rows; ++r)
            if (!(r == skipRow && c == skipColumn + 1))
                rules.push_back({x0 + c * w, y0 + r * h, x0 + c * w + 1, y0 + (r + 1) * h + 1});
    return rules;
}

inline bool sameBoxes(const std::vector<PixelBox> &a, const std::vector<PixelBox> &b)
{
    return a.size() == b.size()
        && std::equal(a.begin(), a.end(), b.begin(), [](const PixelBox &x, const PixelBox &y) {
               return x.left == y.left && x.top == y.top && x.right == y.right && x.bottom == y.bottom;
           });
}

inline bool sameFindings(const PageFindings &a, const PageFindings &b)
{
    if (a.tables.size() != b.tables.size())
        return false;
    for (size_t t = 0; t < a.tables.size(); ++t)
        if (a.tables[t].cells.size() != b.tables[t].cells.size() || !sameBoxes({a.tables[t].box}, {b.tables[t].box}))
            return false;
    return sameBoxes(a.horizontalRules, b.horizontalRules) && sameBoxes(a.verticalRules, b.verticalRules)
        && sameBoxes(a.graphics, b.graphics);
}

// Text-like ink: lines of words, each word a row of glyph strokes (3-pixel
// stems 14 high with an x-height bar), on a page of `width` x `height`.
inline std::vector<PixelBox> textStrokes(int width, int height, int top = 60)
{
    std::vector<PixelBox> ink;
    for (int line = 0, y = top; y + 20 < height - 60; ++line, y += 30) {
        int x = 60 + (line % 3) * 17;
        for (int word = 0; x < width - 120; ++word) {
            const int glyphs = 3 + (word * 7 + line * 3) % 6;
            for (int g = 0; g < glyphs; ++g, x += 8) {
                ink.push_back({x, y + ((g + word) % 3 == 0 ? 0 : 5), x + 3, y + 19});
                ink.push_back({x, y + 5, x + 8, y + 7});
            }
            x += 14;
        }
    }
    return ink;
}

// `image` as if its level original had been turned by `degrees` about its
// centre (clockwise on screen, as QTransform::rotate turns): each output
// pixel samples the original at the inverse rotation, bilinearly.
inline GrayImage turned(const GrayImage &image, double degrees)
{
    const double a = degrees * 3.14159265358979323846 / 180.0, c = std::cos(a), s = std::sin(a);
    const double cx = (image.width - 1) / 2.0, cy = (image.height - 1) / 2.0;
    GrayImage out = image;
    auto at = [&image](int x, int y) {
        return x < 0 || y < 0 || x >= image.width || y >= image.height ? 255.0
                                                                         : double(image.pixels[size_t(y) * image.width + x]);
    };
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < image.width; ++x) {
            const double sx = c * (x - cx) + s * (y - cy) + cx, sy = -s * (x - cx) + c * (y - cy) + cy;
            const int x0 = int(std::floor(sx)), y0 = int(std::floor(sy));
            const double fx = sx - x0, fy = sy - y0;
            const double v = (at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx) * (1 - fy)
                + (at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx) * fy;
            out.pixels[size_t(y) * image.width + x] = std::uint8_t(std::lround(v));
        }
    return out;
}

// `boxes` moved right by dx and down by dy.
inline std::vector<PixelBox> moved(std::vector<PixelBox> boxes, int dx, int dy)
{
    for (PixelBox &b : boxes)
        b = {b.left + dx, b.top + dy, b.right + dx, b.bottom + dy};
    return boxes;
}

// An A4 page at 100 dpi as the engine renders a born-digital page for the
// analysis: ten lines of text (their line boxes are the text layer), a
// ruled 10 x 6 table with a word in each cell, and a filled figure.
// `variant` moves the parts a little, so a batch is not one page repeated.
inline PageInput documentPage(int variant = 0)
{
    const int width = 827, height = 1169, shift = (variant % 5) * 7;
    std::vector<PixelBox> ink = textStrokes(width, 370, 60 + shift);
    std::vector<PixelBox> text;
    for (int y = 60 + shift; y + 20 < 310; y += 30)
        text.push_back({58, y - 2, width - 58, y + 21});
    const std::vector<PixelBox> table = moved(ruledTable(10, 6), 20 + shift, 320);
    ink.insert(ink.end(), table.begin(), table.end());
    for (int r = 0; r < 10; ++r)
        for (int c = 0; c < 6; ++c) {
            const PixelBox word{130 + shift + c * 60, 430 + r * 30, 160 + shift + c * 60, 442 + r * 30};
            ink.push_back(word);
            text.push_back({word.left - 1, word.top - 2, word.right + 1, word.bottom + 2});
        }
    ink.push_back({500 - shift, 820, 760 - shift, 1020});
    return {page(width, height, ink), text};
}

} // namespace DocRay::Tensor::TestPages
