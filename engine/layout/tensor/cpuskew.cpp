#include "engine/layout/tensor/pageanalysis.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <vector>

// The angle search of cleanScan (scancleanup.cpp) in plain loops, step for
// step: Otsu's threshold, the ink pooled down to the search's size, each
// inked cell's weight split between the two rows its turned position falls
// between, and the angle whose rows are sharpest.
namespace DocRay::Tensor {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Otsu's global threshold over every other row and column: ink is at or below it.
int otsuThreshold(const GrayImage &image)
{
    // Counted in four tables taking turns: a page is mostly one grey, and
    // one table waits on its last count at every pixel.
    std::array<std::array<std::uint32_t, 256>, 4> counts{};
    for (int y = 0; y < image.height; y += 2) {
        const std::uint8_t *row = image.pixels.data() + size_t(y) * size_t(image.width);
        int x = 0;
        for (; x + 6 < image.width; x += 8) {
            counts[0][row[x]] += 1;
            counts[1][row[x + 2]] += 1;
            counts[2][row[x + 4]] += 1;
            counts[3][row[x + 6]] += 1;
        }
        for (; x < image.width; x += 2)
            counts[0][row[x]] += 1;
    }
    std::array<double, 256> histogram{};
    for (size_t level = 0; level < histogram.size(); ++level)
        histogram[level] = double(counts[0][level]) + double(counts[1][level]) + double(counts[2][level])
            + double(counts[3][level]);
    double total = 0;
    for (const double count : histogram)
        total += count;
    total = std::max(total, 1.0);
    // Between-class variance for every cut; empty classes score nothing.
    double below = 0, belowMean = 0;
    std::array<double, 256> belowShare{}, belowSum{};
    for (int level = 0; level < 256; ++level) {
        const double p = histogram[size_t(level)] / total;
        below += p;
        belowMean += p * double(level);
        belowShare[size_t(level)] = below;
        belowSum[size_t(level)] = belowMean;
    }
    int best = 0;
    double bestScore = -1;
    for (int level = 0; level < 256; ++level) {
        const double b = belowShare[size_t(level)];
        const double spread = belowMean * b - belowSum[size_t(level)];
        const double score = spread * spread / std::max(b * (1 - b), 1e-12);
        if (score > bestScore) {
            bestScore = score;
            best = level;
        }
    }
    return best;
}

// The inked cells the search weighs: their positions from the centre of
// the pooled page and their ink shares, every few of them where there are
// too many.
struct InkPoints {
    std::vector<float> x, y, weights;
    int64_t height = 0;
};

// The page's ink averaged over its cells (those on the page's edges over
// their part on the page), as points.
// The inked pixels (at or below `threshold`) in each factor x factor cell.
struct InkCounts {
    int64_t cellsWide = 0, cellsHigh = 0, total = 0;
    std::vector<int> counts;
};

InkCounts countInk(const GrayImage &image, int threshold, int64_t factor)
{
    const int64_t width = image.width, height = image.height;
    InkCounts ink;
    ink.cellsWide = (width + factor - 1) / factor;
    ink.cellsHigh = (height + factor - 1) / factor;
    ink.counts.assign(size_t(ink.cellsWide * ink.cellsHigh), 0);
    // Each band of `factor` rows inked column by column first (whole rows
    // at a time, in vector registers), then its columns summed by cells.
    const auto inkAtMost = std::uint8_t(threshold);
    std::vector<std::uint16_t> columnInk(static_cast<size_t>(width)); // factor is far below 65,536
    for (int64_t gy = 0; gy < ink.cellsHigh; ++gy) {
        std::fill(columnInk.begin(), columnInk.end(), std::uint16_t(0));
        for (int64_t y = gy * factor, end = std::min(height, y + factor); y < end; ++y) {
            const std::uint8_t *row = image.pixels.data() + y * width;
            for (int64_t x = 0; x < width; ++x)
                columnInk[size_t(x)] += row[x] <= inkAtMost;
        }
        int *countRow = ink.counts.data() + gy * ink.cellsWide;
        for (int64_t gx = 0, x = 0; gx < ink.cellsWide; ++gx) {
            int inked = 0;
            for (const int64_t end = std::min(width, x + factor); x < end; ++x)
                inked += columnInk[size_t(x)];
            countRow[gx] = inked;
        }
    }
    for (const int count : ink.counts)
        ink.total += count;
    return ink;
}

InkPoints pooledInk(const GrayImage &image, const InkCounts &ink, int64_t factor, int64_t maxPoints)
{
    const int64_t width = image.width, height = image.height;
    const int64_t cellsWide = ink.cellsWide, cellsHigh = ink.cellsHigh;
    const std::vector<int> &counts = ink.counts;
    InkPoints points;
    points.height = cellsHigh;
    std::vector<std::array<float, 3>> inked;
    for (int64_t gy = 0; gy < cellsHigh; ++gy) {
        const int64_t rows = std::min(height, (gy + 1) * factor) - gy * factor;
        for (int64_t gx = 0; gx < cellsWide; ++gx) {
            const int count = counts[size_t(gy * cellsWide + gx)];
            if (count == 0)
                continue;
            const int64_t columns = std::min(width, (gx + 1) * factor) - gx * factor;
            inked.push_back({float(gy), float(gx), float(count) / float(rows * columns)});
        }
    }
    const auto stride = size_t(std::max<int64_t>(1, (int64_t(inked.size()) + maxPoints - 1) / maxPoints));
    const float centreX = float((cellsWide - 1) / 2.0), centreY = float((cellsHigh - 1) / 2.0);
    for (size_t i = 0; i < inked.size(); i += stride) {
        points.x.push_back(inked[i][1] - centreX);
        points.y.push_back(inked[i][0] - centreY);
        points.weights.push_back(inked[i][2]);
    }
    return points;
}

// Where each point falls with the page turned: the row just above it and
// its share of the way to the next.
struct TurnedRows {
    std::vector<int32_t> above;
    std::vector<float> past;
};

// How sharp the ink's rows are with the page turned back by `degrees`: the
// sum of squared jumps between neighbouring row sums, which peaks when text
// lines lie level with the rows. Rows past the page collect in a bin at
// either end, outside the sum. `turned` is room for the points' rows.
double rowSharpness(const InkPoints &ink, double degrees, TurnedRows &turned)
{
    const auto radians = float(degrees * kPi / 180.0);
    const float negativeSine = -std::sin(radians), cosine = std::cos(radians);
    const int64_t height = ink.height;
    const float centre = float((height - 1) / 2.0);
    const size_t count = ink.x.size();
    turned.above.resize(count);
    turned.past.resize(count);
    // Each point's turned row, from the tensor path's operations one at a
    // time, in its order.
    for (size_t i = 0; i < count; ++i) {
        const float across = negativeSine * ink.x[i];
        const float along = cosine * ink.y[i];
        float row = across + along;
        row = row + centre;
        row = std::min(std::max(row, -1.0f), float(height));
        // std::floor, in steps the compiler keeps in vector registers.
        int32_t above = int32_t(row);
        above -= float(above) > row;
        turned.above[i] = above;
        turned.past[i] = row - float(above);
    }
    // Each bin's sum in the order the tensor path adds: every point's lower
    // share, then every point's upper share.
    std::vector<float> bins(size_t(height + 3), 0.0f);
    // Points come row by row, so most fall in the bin the one before fell
    // in: that bin's sum stays in a register meanwhile (the same additions
    // in the same order, without a store and a load between each two).
    const auto addShares = [&](int offset, auto share) {
        size_t bin = size_t(turned.above[0] + offset);
        float sum = bins[bin];
        for (size_t i = 0; i < count; ++i) {
            if (const auto next = size_t(turned.above[i] + offset); next != bin) {
                bins[bin] = sum;
                bin = next;
                sum = bins[bin];
            }
            sum += share(i);
        }
        bins[bin] = sum;
    };
    if (count > 0) {
        addShares(1, [&](size_t i) { return ink.weights[i] * (1.0f - turned.past[i]); });
        addShares(2, [&](size_t i) { return ink.weights[i] * turned.past[i]; });
    }
    double sharpness = 0;
    for (int64_t row = 2; row <= height; ++row) {
        const float jump = bins[size_t(row)] - bins[size_t(row - 1)];
        sharpness += double(jump * jump);
    }
    return sharpness;
}

// The best of `steps` candidates each side of `centre`, `step` apart: the
// first of the sharpest.
double sharpestAround(const InkPoints &ink, double centre, double reach, double step)
{
    const int steps = int(std::round(reach / step));
    double best = centre, bestScore = -1;
    TurnedRows turned;
    for (int i = -steps; i <= steps; ++i) {
        const double angle = centre + i * step;
        const double score = rowSharpness(ink, angle, turned);
        if (score > bestScore) {
            bestScore = score;
            best = angle;
        }
    }
    return best;
}

} // namespace

double skewOnCpu(const GrayImage &image, const ScanOptions &options)
{
    if (!options.deskew || image.width <= 0 || image.height <= 0
        || image.pixels.size() != size_t(image.width) * size_t(image.height))
        return 0;
    // Found on a copy pooled down to about analysisLongSide pixels: text
    // lines stay several pixels high there.
    const int64_t longSide = std::max(image.width, image.height);
    const int64_t factor = std::max<int64_t>(1, (longSide + options.analysisLongSide - 1) / options.analysisLongSide);
    const InkCounts counts = countInk(image, otsuThreshold(image), factor);
    // As the tensor path's mean: a float share.
    if (double(float(counts.total) / float(image.pixels.size())) < options.minInkShare)
        return 0;
    const InkPoints ink = pooledInk(image, counts, factor, std::max<int64_t>(1, options.maxInkPoints));
    const double coarse = sharpestAround(ink, 0, options.maxSkewDegrees, options.coarseStepDegrees);
    return sharpestAround(ink, coarse, options.coarseStepDegrees, options.fineStepDegrees);
}

} // namespace DocRay::Tensor
