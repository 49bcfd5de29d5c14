#include "engine/layout/tensor/pageanalysis.h"

#include "engine/layout/tensor/kernels.h"

#include <c10/core/InferenceMode.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

namespace DocRay::Tensor {

namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int64_t kRotationsPerBatch = 8; // angles scored at once: bounds the search's memory

int64_t oddAtDpi(int sizeAt300, double dpi)
{
    const auto size = std::max<int64_t>(1, std::llround(sizeAt300 * dpi / 300.0));
    return size % 2 == 1 ? size : size + 1;
}

// Sum over a centred window of `size` (odd) along `dim`, zero beyond the
// ends, from one running sum: the cost does not grow with the window.
at::Tensor windowSum(const at::Tensor &x, int64_t size, int64_t dim)
{
    const int64_t half = size / 2, length = x.size(dim);
    std::vector<int64_t> padding(2 * (x.dim() - dim), 0);
    // constant_pad_nd lists the last axis first; one extra zero in front
    // makes every window the difference of two running sums.
    padding[2 * (x.dim() - 1 - dim)] = half + 1;
    padding[2 * (x.dim() - 1 - dim) + 1] = half;
    const at::Tensor running = at::constant_pad_nd(x, padding, 0).cumsum(dim);
    return running.narrow(dim, size, length) - running.narrow(dim, 0, length);
}

// Sums over size x size windows of a [1, 1, H, W] tensor. In float: counts
// stay exact below 2^24 pixels, and grey-level sums lose well under a level.
at::Tensor boxSum(const at::Tensor &x, int64_t size)
{
    return windowSum(windowSum(x.to(at::kFloat), size, 3), size, 2);
}

// Mean over the part of each window inside the page.
at::Tensor boxMean(const at::Tensor &x, int64_t size)
{
    const auto options = x.options().dtype(at::kFloat);
    const at::Tensor rows = windowSum(at::ones({1, 1, x.size(2), 1}, options), size, 2);
    const at::Tensor columns = windowSum(at::ones({1, 1, 1, x.size(3)}, options), size, 3);
    return boxSum(x, size) / (rows * columns);
}

// Otsu's global threshold of a grey [1, 1, H, W] tensor (0..255, bytes or
// floats; the threshold comes in the same type): ink is at or below it.
// Every other row and column give the same histogram shape at a quarter
// of the cost.
at::Tensor otsuThreshold(const at::Tensor &grey)
{
    const at::Tensor sample = grey.slice(2, 0, grey.size(2), 2).slice(3, 0, grey.size(3), 2).to(at::kFloat);
    const at::Tensor histogram = at::histc(sample, 256, 0, 255).to(at::kDouble);
    const at::Tensor p = histogram / histogram.sum().clamp_min(1);
    const at::Tensor levels = at::arange(256, p.options());
    const at::Tensor below = p.cumsum(0);
    const at::Tensor belowMean = (p * levels).cumsum(0);
    const at::Tensor total = belowMean[255];
    // Between-class variance for every cut; empty classes score nothing.
    const at::Tensor between = (total * below - belowMean).pow(2) / (below * (1 - below)).clamp_min(1e-12);
    return between.argmax().to(grey.scalar_type());
}

// `ink` ([1, 1, H, W], ink > 0) turned back by `degrees` about its centre:
// grid_sample reads the input at R(degrees) * p for each output pixel p,
// and what comes in at the corners is 0 (no ink). Normalized coordinates
// run -1..1 on both axes, so the off-diagonal terms carry the aspect ratio.
at::Tensor turnedBack(const at::Tensor &ink, double degrees)
{
    const double c = std::cos(degrees * kPi / 180.0), s = std::sin(degrees * kPi / 180.0);
    const double aspect = double(ink.size(2)) / double(ink.size(3));
    const at::Tensor theta = at::tensor({c, -s * aspect, 0.0, s / aspect, c, 0.0}, at::kFloat).view({1, 2, 3}).to(ink.device());
    const at::Tensor grid = at::affine_grid_generator(theta, ink.sizes(), /*align_corners=*/false);
    return at::grid_sampler(ink, grid, /*bilinear*/ 0, /*zeros*/ 0, /*align_corners=*/false);
}

// The inked pixels the search weighs: their positions from the centre of
// the page and their weights, every few of them where there are too many.
struct InkPoints {
    at::Tensor x, y, weights;
    int64_t height = 0;
};

InkPoints inkPoints(const at::Tensor &ink, int64_t maxPoints)
{
    const at::Tensor plane = ink[0][0];
    const int64_t height = plane.size(0);
    const at::Tensor inked = plane > 0;
    at::Tensor points = inked.nonzero().to(at::kFloat); // [K, 2]: row, column
    at::Tensor weights = plane.masked_select(inked);
    if (const int64_t stride = (points.size(0) + maxPoints - 1) / maxPoints; stride > 1) {
        points = points.slice(0, 0, points.size(0), stride);
        weights = weights.slice(0, 0, weights.size(0), stride);
    }
    return {points.select(1, 1) - (plane.size(1) - 1) / 2.0, points.select(1, 0) - (height - 1) / 2.0, weights,
            height};
}

// The row profiles of the ink turned back by each angle, [angles, height +
// 3]: each pixel's weight split between the two rows its turned position
// falls between; rows past the page collect in a bin at either end.
at::Tensor rowProfiles(const InkPoints &ink, const at::Tensor &angle)
{
    const at::Tensor &x = ink.x, &y = ink.y, &weights = ink.weights;
    const int64_t height = ink.height, count = angle.size(0), bins = height + 3;
    const double centre = (height - 1) / 2.0;
    const at::Tensor row = (-angle.sin() * x + angle.cos() * y + centre).clamp(-1, double(height));
    const at::Tensor below = row.floor();
    const at::Tensor share = row - below;
    const at::Tensor offsets = at::arange(count, at::TensorOptions().dtype(at::kLong).device(x.device())).unsqueeze(1) * bins;
    const at::Tensor index = below.to(at::kLong) + 1 + offsets;
    at::Tensor profile = at::zeros({count * bins}, weights.options());
    profile.index_add_(0, index.flatten(), (weights * (1 - share)).flatten());
    profile.index_add_(0, (index + 1).flatten(), (weights * share).flatten());
    return profile.view({count, bins});
}

// How sharp the ink's rows are with the page turned back by each angle: the
// sum of squared jumps between neighbouring row sums, which peaks when text
// lines lie level with the rows. Only the row of each inked pixel matters,
// so the pixels' positions are turned rather than the image resampled
// (resampling all 42 candidates with grid_sample took about 0.9 s of a
// letter page's 1.3 s); each one's weight is split between the two rows it
// falls between.
std::vector<double> rowSharpness(const InkPoints &ink, const std::vector<double> &degrees)
{
    std::vector<double> scores;
    for (size_t first = 0; first < degrees.size(); first += kRotationsPerBatch) {
        const auto count = int64_t(std::min(degrees.size() - first, size_t(kRotationsPerBatch)));
        std::vector<float> radians;
        for (int64_t i = 0; i < count; ++i)
            radians.push_back(float(degrees[first + size_t(i)] * kPi / 180.0));
        const at::Tensor angle = at::from_blob(radians.data(), {count, 1}, at::kFloat).to(ink.x.device());
        const at::Tensor rows = rowProfiles(ink, angle).narrow(1, 1, ink.height);
        const at::Tensor sharpness = at::diff(rows, 1, 1).pow(2).sum(1).to(at::kDouble).cpu().contiguous();
        scores.insert(scores.end(), sharpness.data_ptr<double>(), sharpness.data_ptr<double>() + count);
    }
    return scores;
}

double sharpestAngle(const InkPoints &ink, const std::vector<double> &candidates)
{
    const std::vector<double> scores = rowSharpness(ink, candidates);
    return candidates[size_t(std::max_element(scores.begin(), scores.end()) - scores.begin())];
}

std::vector<double> anglesAround(double centre, double reach, double step)
{
    std::vector<double> angles;
    const int steps = int(std::round(reach / step));
    for (int i = -steps; i <= steps; ++i)
        angles.push_back(centre + i * step);
    return angles;
}

// Skew of the page's ink in degrees, found on a copy pooled down to about
// analysisLongSide pixels: text lines stay several pixels high there.
double estimateSkew(const at::Tensor &ink, const ScanOptions &options)
{
    const int64_t longSide = std::max(ink.size(2), ink.size(3));
    const int64_t factor = std::max<int64_t>(1, (longSide + options.analysisLongSide - 1) / options.analysisLongSide);
    const at::Tensor small = at::avg_pool2d(ink, {factor, factor}, {factor, factor}, {0, 0}, /*ceil_mode=*/true);
    const InkPoints points = inkPoints(small, options.maxInkPoints);
    const double coarse = sharpestAngle(points, anglesAround(0, options.maxSkewDegrees, options.coarseStepDegrees));
    return sharpestAngle(points, anglesAround(coarse, options.coarseStepDegrees, options.fineStepDegrees));
}

// Sauvola's threshold per pixel on grey levels 0..255: ink is darker.
at::Tensor sauvolaInk(const at::Tensor &grey, const ScanOptions &options)
{
    const int64_t window = oddAtDpi(options.sauvolaWindow, options.dpi);
    const at::Tensor mean = boxMean(grey, window);
    const at::Tensor deviation = (boxMean(grey.pow(2), window) - mean.pow(2)).clamp_min(0).sqrt();
    const at::Tensor threshold = mean * (1 + options.sauvolaK * (deviation / options.sauvolaRange - 1));
    return grey <= threshold;
}

// Ink of isolated specks: a cluster that fits in a speck-sized square whose
// surrounding margin holds no other ink. Found where the ink counted in the
// small window equals the ink in the window with the margin, then the small
// window around such places is cleared.
at::Tensor speckInk(const at::Tensor &ink, const ScanOptions &options)
{
    const int64_t speck = oddAtDpi(options.speckSize, options.dpi);
    const int64_t margin = std::max<int64_t>(1, std::llround(options.speckMargin * options.dpi / 300.0));
    const at::Tensor inner = boxSum(ink, speck);
    const at::Tensor outer = boxSum(ink, speck + 2 * margin);
    const at::Tensor centres = (inner > 0) & (inner == outer);
    return (Kernels::dilate(centres.to(at::kFloat), int(speck), int(speck)) > 0) & ink.to(at::kBool);
}

// The image's bytes as a [1, 1, H, W] tensor on `device`; on the CPU the
// image's own memory, read only.
at::Tensor toTensor(const GrayImage &image, const at::Device &device)
{
    return at::from_blob(const_cast<std::uint8_t *>(image.pixels.data()), {1, 1, image.height, image.width}, at::kByte)
        .to(device);
}

GrayImage toImage(const at::Tensor &grey)
{
    const at::Tensor bytes = grey.round().clamp(0, 255).to(at::kByte).cpu().contiguous();
    GrayImage image;
    image.height = int(bytes.size(2));
    image.width = int(bytes.size(3));
    image.pixels.resize(size_t(image.width) * size_t(image.height));
    std::memcpy(image.pixels.data(), bytes.data_ptr<std::uint8_t>(), image.pixels.size());
    return image;
}

} // namespace

ScanCleanup cleanScan(const GrayImage &image, const ScanOptions &options, const std::string &device)
{
    ScanCleanup result;
    if (image.width <= 0 || image.height <= 0 || image.pixels.size() != size_t(image.width) * size_t(image.height)) {
        result.error = "The scan has no pixels, or fewer than its size says.";
        return result;
    }
    try {
        c10::InferenceMode inference;
        const at::Device target(device == "cuda" ? at::kCUDA : at::kCPU);
        const at::Tensor bytes = toTensor(image, target);
        // In floats only where the page is changed: measuring the skew
        // needs no copy of the page (a 300 dpi page is 35 MB of floats).
        at::Tensor grey = bytes;
        bool changed = false;

        if (options.deskew) {
            const at::Tensor ink = (bytes <= otsuThreshold(bytes)).to(at::kFloat);
            if (ink.mean().item<double>() >= options.minInkShare) {
                result.skewDegrees = estimateSkew(ink, options);
                if (options.turn && std::abs(result.skewDegrees) >= options.minSkewDegrees) {
                    // Darkness is turned, so the corners it brings in are white.
                    grey = 255 - turnedBack(255 - bytes.to(at::kFloat), result.skewDegrees);
                    result.rotated = changed = true;
                }
            }
        }
        if (options.binarize || options.despeckle)
            grey = grey.to(at::kFloat);
        at::Tensor ink;
        if (options.binarize) {
            ink = sauvolaInk(grey, options);
            grey = at::where(ink, at::zeros_like(grey), at::full_like(grey, 255));
            changed = true;
        }
        if (options.despeckle) {
            if (!ink.defined())
                ink = grey <= otsuThreshold(grey);
            grey = at::where(speckInk(ink, options), at::full_like(grey, 255), grey);
            changed = true;
        }
        // A page only measured comes back as it came, not through the device.
        result.image = changed ? toImage(grey) : image;
    } catch (const c10::Error &error) {
        result.image = {};
        result.error = error.what_without_backtrace();
    } catch (const std::exception &error) {
        result.image = {};
        result.error = error.what();
    }
    return result;
}

} // namespace DocRay::Tensor
