#include "engine/layout/tensor/kernels.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

namespace DocRay::Tensor::Kernels {

namespace {

int64_t odd(int size)
{
    return size % 2 == 1 ? size : size + 1;
}

// Centred sliding maximum of `size` (odd) along one axis, with the lowest
// value beyond the ends as max_pool2d has (-inf; 0 for byte masks). Windows double (1, 2, 4, ...) by taking the
// maximum of two shifted copies, and two overlapping power-of-two windows
// cover any size: about log2(size) passes instead of `size` per pixel.
at::Tensor slidingMax(const at::Tensor &x, int64_t size, int64_t dim)
{
    if (size <= 1)
        return x;
    const int64_t half = size / 2;
    const int64_t length = x.size(dim);
    std::vector<int64_t> padding(2 * (x.dim() - dim), 0);
    // constant_pad_nd lists the last axis first.
    padding[2 * (x.dim() - 1 - dim)] = half;
    padding[2 * (x.dim() - 1 - dim) + 1] = half;
    const double lowest = x.is_floating_point() ? -std::numeric_limits<double>::infinity() : 0.0;
    at::Tensor window = at::constant_pad_nd(x, padding, lowest);
    int64_t span = 1;
    while (span * 2 <= size) {
        const int64_t n = window.size(dim) - span;
        window = at::maximum(window.narrow(dim, 0, n), window.narrow(dim, span, n));
        span *= 2;
    }
    // window[i] is the maximum of [i, i + span); two of them cover [i, i + size).
    return at::maximum(window.narrow(dim, 0, length), window.narrow(dim, size - span, length));
}

at::Tensor pool(const at::Tensor &x, int kh, int kw)
{
    // Separable: a rectangle's maximum is the maximum of its rows' maxima.
    return slidingMax(slidingMax(x, odd(kw), x.dim() - 1), odd(kh), x.dim() - 2);
}

} // namespace

at::Tensor erode(const at::Tensor &mask, int kh, int kw)
{
    // Byte masks (0/1) erode as the complement of the complement's dilation:
    // a quarter of the memory traffic of float masks.
    return mask.is_floating_point() ? -pool(-mask, kh, kw) : 1 - pool(1 - mask, kh, kw);
}

at::Tensor dilate(const at::Tensor &mask, int kh, int kw)
{
    return pool(mask, kh, kw);
}

namespace {

// Calls visit(start, end) for each run of nonzero pixels along a row, end exclusive.
template <typename Pixel, typename Visit>
void forEachRun(const Pixel *row, int64_t width, Visit &&visit)
{
    for (int64_t x = 0; x < width;) {
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

// An opening with a line `length` long along `dim` (2: columns, 3: rows) of
// a byte mask on the CPU, run by run in one pass: it keeps the runs of ink
// at least that long. As the pooled opening counts the pixels beyond the
// edges as ink, a run reaching one edge needs only half the line, and one
// reaching both is kept whatever its length. The pooled opening made about
// 4 log2(length) passes over the page.
at::Tensor keptRuns(const at::Tensor &mask, int64_t length, int64_t dim)
{
    const at::Tensor in = mask.contiguous();
    at::Tensor out = at::zeros_like(in);
    const int64_t planes = in.size(0) * in.size(1), height = in.size(2), width = in.size(3);
    const int64_t lineLength = dim == 3 ? width : height;
    const auto kept = [length, lineLength](int64_t start, int64_t end) {
        const bool first = start == 0, last = end == lineLength;
        const int64_t needed = first && last ? 0 : first || last ? length / 2 + 1 : length;
        return end - start >= needed;
    };
    const std::uint8_t *from = in.data_ptr<std::uint8_t>();
    std::uint8_t *to = out.data_ptr<std::uint8_t>();
    if (dim == 3) {
        at::parallel_for(0, planes * height, 64, [&](int64_t begin, int64_t end) {
            for (int64_t row = begin; row < end; ++row)
                forEachRun(from + row * width, width, [&](int64_t start, int64_t stop) {
                    if (kept(start, stop))
                        std::fill(to + row * width + start, to + row * width + stop, std::uint8_t(1));
                });
        });
        return out;
    }
    at::parallel_for(0, planes, 1, [&](int64_t begin, int64_t end) {
        std::vector<int64_t> runStart(static_cast<size_t>(width));
        for (int64_t plane = begin; plane < end; ++plane) {
            const std::uint8_t *pixels = from + plane * height * width;
            std::uint8_t *opened = to + plane * height * width;
            std::fill(runStart.begin(), runStart.end(), -1);
            const auto close = [&](int64_t x, int64_t y) {
                if (kept(runStart[size_t(x)], y))
                    for (int64_t row = runStart[size_t(x)]; row < y; ++row)
                        opened[row * width + x] = 1;
                runStart[size_t(x)] = -1;
            };
            for (int64_t y = 0; y < height; ++y)
                for (int64_t x = 0; x < width; ++x) {
                    if (pixels[y * width + x]) {
                        if (runStart[size_t(x)] < 0)
                            runStart[size_t(x)] = y;
                    } else if (runStart[size_t(x)] >= 0) {
                        close(x, y);
                    }
                }
            for (int64_t x = 0; x < width; ++x)
                if (runStart[size_t(x)] >= 0)
                    close(x, height);
        }
    });
    return out;
}

} // namespace

at::Tensor open(const at::Tensor &mask, int kh, int kw)
{
    if (mask.device().is_cpu() && mask.scalar_type() == at::kByte && mask.dim() == 4 && (kh <= 1 || kw <= 1))
        return kh <= 1 ? keptRuns(mask, odd(kw), 3) : keptRuns(mask, odd(kh), 2);
    return dilate(erode(mask, kh, kw), kh, kw);
}

namespace {

// runs() on the CPU: one pass along the rows, in the order nonzero() gives.
at::Tensor runsOnCpu(const at::Tensor &mask)
{
    const at::Tensor rows = mask.to(at::kBool).contiguous();
    const int64_t pages = rows.size(0), height = rows.size(1), width = rows.size(2);
    const bool *pixels = rows.data_ptr<bool>();
    std::vector<int64_t> found;
    for (int64_t page = 0; page < pages; ++page)
        for (int64_t y = 0; y < height; ++y)
            forEachRun(pixels + (page * height + y) * width, width,
                       [&](int64_t start, int64_t stop) { found.insert(found.end(), {page, y, start, stop}); });
    return at::tensor(found, at::kLong).view({int64_t(found.size() / 4), 4});
}

} // namespace

at::Tensor runs(const at::Tensor &mask)
{
    if (mask.device().is_cpu() && mask.dim() == 3)
        return runsOnCpu(mask);
    // A zero on either side, then the steps: +1 opens a run, -1 closes it.
    // Both lists come out row-major, so the i-th start pairs with the i-th end.
    const at::Tensor padded = at::constant_pad_nd(mask.to(at::kChar), {1, 1}, 0);
    const at::Tensor steps = padded.narrow(-1, 1, padded.size(-1) - 1) - padded.narrow(-1, 0, padded.size(-1) - 1);
    const at::Tensor starts = (steps == 1).nonzero();
    const at::Tensor ends = (steps == -1).nonzero();
    if (starts.size(0) == 0)
        return at::zeros({0, 4}, at::TensorOptions().dtype(at::kLong).device(mask.device()));
    return at::cat({starts, ends.narrow(1, 2, 1)}, 1);
}

namespace {

// labelComponents() on the CPU: the cells joined by union-find over each
// cell's window, each component labelled as the propagation labels it, by
// the largest index + 1 of its cells.
at::Tensor labelsOnCpu(const at::Tensor &mask, int reach)
{
    const at::Tensor keep = mask.to(at::kBool).contiguous();
    const int64_t planes = keep.size(0) * keep.size(1), height = keep.size(2), width = keep.size(3);
    const bool *cells = keep.data_ptr<bool>();
    UnionFind cellSets(size_t(keep.numel()));
    for (int64_t plane = 0; plane < planes; ++plane)
        for (int64_t y = 0; y < height; ++y)
            for (int64_t x = 0; x < width; ++x) {
                const int64_t i = (plane * height + y) * width + x;
                if (!cells[i])
                    continue;
                // The window's cells after this one: the ones before joined it already.
                for (int64_t dy = 0; dy <= reach && y + dy < height; ++dy)
                    for (int64_t dx = dy == 0 ? 1 : -reach; dx <= reach; ++dx) {
                        const int64_t nx = x + dx, j = i + dy * width + dx;
                        if (nx >= 0 && nx < width && cells[j])
                            cellSets.join(size_t(j), size_t(i));
                    }
            }
    std::vector<int64_t> largest(size_t(keep.numel()), 0);
    for (int64_t i = 0; i < keep.numel(); ++i)
        if (cells[i]) {
            int64_t &label = largest[cellSets.find(size_t(i))];
            label = std::max(label, i + 1);
        }
    at::Tensor labels = at::zeros(keep.sizes(), at::kLong);
    int64_t *out = labels.data_ptr<int64_t>();
    for (int64_t i = 0; i < keep.numel(); ++i)
        if (cells[i])
            out[i] = largest[cellSets.find(size_t(i))];
    return labels;
}

} // namespace

at::Tensor labelComponents(const at::Tensor &mask, int reach)
{
    if (mask.device().is_cpu() && mask.dim() == 4)
        return labelsOnCpu(mask, reach);
    const at::Tensor keep = mask.to(at::kFloat);
    const at::Tensor keepFlat = keep.reshape(-1);
    // Each cell starts with its own index + 1; float labels, as pooling
    // wants floating point (the grid is far below 2^24 cells).
    at::Tensor labels = at::arange(1, keep.numel() + 1, keep.options()).view(keep.sizes()) * keep;
    const int kernel = 2 * reach + 1;
    // Monotone and bounded, so it ends; the bound only guards the loop.
    const int64_t maxSteps = keep.numel() + 4;
    for (int64_t step = 0; step < maxSteps; step += 4) {
        at::Tensor next = labels;
        for (int i = 0; i < 4; ++i) {
            next = pool(next, kernel, kernel) * keep;
            // Pointer jumping: a label names the cell it started in; that
            // cell's current label is at least as large and travels further,
            // so long thin shapes converge in few steps.
            const at::Tensor flat = next.reshape(-1);
            const at::Tensor origin = (flat - 1).clamp_min(0).to(at::kLong);
            next = at::maximum(flat, flat.index_select(0, origin) * keepFlat).view(keep.sizes());
        }
        // One device sync every four steps.
        if (at::equal(next, labels))
            break;
        labels = next;
    }
    return labels.to(at::kLong);
}

at::Tensor componentBoxes(const at::Tensor &labels)
{
    const at::Tensor where = (labels > 0).nonzero(); // [N, 4]: page, channel, y, x
    const auto longs = at::TensorOptions().dtype(at::kLong).device(labels.device());
    if (where.size(0) == 0)
        return at::zeros({0, 6}, longs);
    const at::Tensor values = labels.index({labels > 0});
    const auto unique = at::_unique2(values, /*sorted=*/true, /*return_inverse=*/true);
    const at::Tensor inverse = std::get<1>(unique);
    const int64_t count = std::get<0>(unique).size(0);
    const at::Tensor page = where.select(1, 0), y = where.select(1, 2), x = where.select(1, 3);
    auto reduce = [&](const at::Tensor &source, const char *how, int64_t start) {
        return at::full({count}, start, longs).scatter_reduce(0, inverse, source, how, /*include_self=*/false);
    };
    const int64_t big = std::numeric_limits<int32_t>::max();
    return at::stack({reduce(page, "amax", 0), reduce(y, "amin", big), reduce(x, "amin", big),
                      reduce(y, "amax", 0) + 1, reduce(x, "amax", 0) + 1, at::bincount(inverse)},
                     1);
}

at::Tensor boxCoverage(const at::Tensor &boxes, int64_t h, int64_t w, int cell)
{
    if (boxes.size(0) == 0)
        return at::zeros({h, w}, at::TensorOptions().dtype(at::kBool).device(boxes.device()));
    // Cell [y*c, (y+1)*c) meets box [top, bottom) when y*c < bottom and
    // (y+1)*c > top: rows floor(top/c) up to ceil(bottom/c), exclusive. Each
    // box adds one corner pattern to a difference grid whose running sums
    // count the boxes over every cell: work in the boxes and the cells, where
    // a product of coverage matrices took boxes x cells.
    const at::Tensor scaled = boxes.to(at::kDouble) / cell;
    auto edge = [&scaled](int column, bool up, int64_t limit) {
        const at::Tensor v = scaled.select(1, column);
        return (up ? v.ceil() : v.floor()).clamp(0, double(limit)).to(at::kLong);
    };
    const at::Tensor left = edge(0, false, w), top = edge(1, false, h), right = edge(2, true, w), bottom = edge(3, true, h);
    const at::Tensor valid = (left < right) & (top < bottom);
    const at::Tensor ones = valid.to(at::kInt);
    at::Tensor difference = at::zeros({h + 1, w + 1}, at::TensorOptions().dtype(at::kInt).device(boxes.device()));
    difference.index_put_({top, left}, ones, true);
    difference.index_put_({top, right}, -ones, true);
    difference.index_put_({bottom, left}, -ones, true);
    difference.index_put_({bottom, right}, ones, true);
    return difference.cumsum(0).cumsum(1).slice(0, 0, h).slice(1, 0, w) > 0;
}

} // namespace DocRay::Tensor::Kernels
