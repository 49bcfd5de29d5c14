#pragma once

// Internal to the page-tensor module: the LibTorch kernels behind
// pageanalysis.h, tensor operations that run on any device (the engine's
// own loops do this work on the CPU: cpuanalysis.cpp). Only
// engine/layout/tensor/*.cpp and the module's own test and benchmark
// include this header; the rest of doc-ray never sees a LibTorch type.
#include <ATen/ATen.h>

#include <vector>

namespace DocRay::Tensor::Kernels {

// Morphology on [B, 1, H, W] float or byte masks (ink = 1) by max-pooling with a
// kh x kw structuring element (odd sizes; even ones are rounded up):
// erosion is the complement of the complement's dilation (-maxpool(-x) for
// floats), so the pixels outside the page count as ink.
at::Tensor erode(const at::Tensor &mask, int kh, int kw);
at::Tensor dilate(const at::Tensor &mask, int kh, int kw);
// The opening: erosion, then dilation.
at::Tensor open(const at::Tensor &mask, int kh, int kw);

// Runs of true along the last axis of a [B, H, W] bool mask: [R, 4] int64
// rows (page, row, start, end exclusive), row-major.
at::Tensor runs(const at::Tensor &mask);

// Connected components of a [B, 1, h, w] bool mask where cells up to `reach`
// apart (Chebyshev distance) connect: int64 labels, 0 for background, unique
// across the batch: a component's label is the largest flat index + 1 of its
// cells. By label propagation with masked max-pooling, `reach` cells per
// step, so a blob is labelled in about (its extent / reach) steps.
at::Tensor labelComponents(const at::Tensor &mask, int reach);

// Bounding boxes of labelled components: [K, 6] int64 rows
// (page, top, left, bottom, right, cells) in grid cells, bottom/right exclusive.
at::Tensor componentBoxes(const at::Tensor &labels);

// Cells of an h x w grid of `cell`-pixel squares touched by any of the boxes
// ([N, 4] float: left, top, right, bottom in pixels): [h, w] bool, computed as
// one product of row and column coverage matrices.
at::Tensor boxCoverage(const at::Tensor &boxes, int64_t h, int64_t w, int cell);

} // namespace DocRay::Tensor::Kernels
