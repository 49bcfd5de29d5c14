#include "engine/tensor/pageanalysis.h"

#include <torch/torch.h>

namespace DocRay::Tensor {

BlockClassification classifyBlocks(const std::vector<float> &features, int featureCount, const std::string &modelPath,
                                   const std::string &device)
{
    BlockClassification result;
    if (featureCount <= 0 || features.size() % size_t(featureCount) != 0) {
        result.error = "feature rows do not match the feature count";
        return result;
    }
    try {
        torch::NoGradGuard noGrad;
        // Mean, scale, then weight and bias per layer (tools/train_block_model.cpp).
        std::vector<torch::Tensor> tensors;
        torch::load(tensors, modelPath);
        if (tensors.size() < 4 || tensors.size() % 2 != 0 || tensors[0].numel() != featureCount
            || tensors[1].numel() != featureCount) {
            result.error = "the model file " + modelPath + " does not fit " + std::to_string(featureCount) + " features";
            return result;
        }
        const int64_t rows = int64_t(features.size()) / featureCount;
        if (rows == 0)
            return result;
        const torch::Device target(device.empty() ? "cpu" : device);
        torch::Tensor x = torch::from_blob(const_cast<float *>(features.data()), {rows, featureCount}, torch::kFloat32)
                              .to(target);
        x = (x - tensors[0].to(target)) / tensors[1].to(target);
        for (size_t layer = 2; layer < tensors.size(); layer += 2) {
            x = torch::nn::functional::linear(x, tensors[layer].to(target), tensors[layer + 1].to(target));
            if (layer + 2 < tensors.size())
                x = torch::relu(x);
        }
        const auto [confidence, roles] = torch::softmax(x, 1).max(1);
        const torch::Tensor r = roles.to(torch::kCPU).to(torch::kInt32).contiguous();
        const torch::Tensor c = confidence.to(torch::kCPU).contiguous();
        result.roles.assign(r.data_ptr<int>(), r.data_ptr<int>() + rows);
        result.confidence.assign(c.data_ptr<float>(), c.data_ptr<float>() + rows);
    } catch (const std::exception &error) {
        result.error = error.what();
    }
    return result;
}

} // namespace DocRay::Tensor
