#pragma once

#include "engine/core/result.h"

#include <QString>

#include <memory>
#include <vector>

namespace DocRay {

// The block-role model's forward pass (models/README.md): feature
// standardisation, then linear layers with ReLU between them, then softmax.
// A few thousand weights: plain loops on the CPU take microseconds, where
// loading LibTorch for them took a second and 150 MB in every process.
//
// Immutable once loaded, so any thread may classify with it.
class BlockClassifier final
{
public:
    // The model file that tools/train_block_model writes (LibTorch's zip
    // format: one raw little-endian float storage per tensor, in the order
    // feature mean, feature scale, then weight and bias per layer), read
    // once per path and process. A missing file, or tensors that do not
    // chain from `featureCount` inputs, is an error.
    static Result<std::shared_ptr<const BlockClassifier>> load(const QString &path, int featureCount);

    int featureCount() const { return static_cast<int>(m_mean.size()); }
    int classCount() const;

    // Every class's probability for each row of `features` (row-major,
    // featureCount() per row), row by row.
    std::vector<float> probabilities(const std::vector<float> &features) const;

private:
    struct Layer {
        int inputs = 0;
        int outputs = 0;
        std::vector<float> weight; // outputs x inputs, row-major
        std::vector<float> bias;
    };

    static Result<std::shared_ptr<const BlockClassifier>> read(const QString &path, int featureCount);
    void forward(const float *row, std::vector<float> &scratch, std::vector<float> &next, float *out) const;

    std::vector<float> m_mean;
    std::vector<float> m_scale;
    std::vector<Layer> m_layers;
};

// The most likely class of each row of probabilities (`classes` per row).
std::vector<int> mostLikely(const std::vector<float> &probabilities, int classes);

} // namespace DocRay
