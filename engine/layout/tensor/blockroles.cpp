#include "engine/layout/tensor/pageanalysis.h"

#include <torch/torch.h>

#include <map>
#include <mutex>

namespace DocRay::Tensor {

namespace {

// The model file's tensors, read once per path: every parse classifies, and
// parses run on several threads.
std::vector<torch::Tensor> modelTensors(const std::string &path)
{
    static std::mutex mutex;
    static std::map<std::string, std::vector<torch::Tensor>> loaded;
    const std::lock_guard<std::mutex> lock(mutex);
    auto found = loaded.find(path);
    if (found == loaded.end()) {
        std::vector<torch::Tensor> tensors;
        torch::load(tensors, path); // throws on a missing or broken file: nothing is kept then
        found = loaded.emplace(path, std::move(tensors)).first;
    }
    return found->second;
}

} // namespace

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
        const std::vector<torch::Tensor> tensors = modelTensors(modelPath);
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
        const torch::Tensor probabilities = torch::softmax(x, 1);
        const torch::Tensor p = probabilities.to(torch::kCPU).contiguous();
        result.probabilities.assign(p.data_ptr<float>(), p.data_ptr<float>() + p.numel());
        const torch::Tensor r = probabilities.argmax(1).to(torch::kCPU).to(torch::kInt32).contiguous();
        result.roles.assign(r.data_ptr<int>(), r.data_ptr<int>() + rows);
    } catch (const std::exception &error) {
        result.error = error.what();
    }
    return result;
}

} // namespace DocRay::Tensor
