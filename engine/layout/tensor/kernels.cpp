#include "engine/layout/tensor/kernels.h"

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

at::Tensor open(const at::Tensor &mask, int kh, int kw)
{
    return dilate(erode(mask, kh, kw), kh, kw);
}

at::Tensor runs(const at::Tensor &mask)
{
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

at::Tensor labelComponents(const at::Tensor &mask, int reach)
{
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
