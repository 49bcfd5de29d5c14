#include "engine/layout/tensor/pageanalysis.h"

#include "engine/layout/tensor/findings.h"
#include "engine/layout/tensor/kernels.h"

#include <torch/cuda.h>

#include <algorithm>
#include <utility>

namespace DocRay::Tensor {

DeviceChoice chooseDevice(const std::string &requested)
{
    DeviceChoice choice;
    bool cuda = false;
    try {
        cuda = torch::cuda::is_available();
    } catch (const c10::Error &) {
        cuda = false;
    }
    const bool automatic = requested == "auto" || requested.empty();
    if (!automatic && requested != "cpu" && requested != "cuda")
        choice.error = "Unknown device '" + requested + "': use auto, cpu or cuda.";
    else if (requested == "cpu" || (automatic && !cuda))
        choice.device = "cpu";
    else if (cuda)
        choice.device = "cuda";
    else
        choice.error = "The CUDA device was asked for, but LibTorch sees no GPU (or was built without CUDA).";
    return choice;
}

BatchFindings analyzePages(const std::vector<PageInput> &pages, const AnalysisOptions &options,
                           const std::string &device)
{
    BatchFindings result;
    if (pages.empty())
        return result;
    try {
        const at::Device target(device == "cuda" ? at::kCUDA : at::kCPU);
        int64_t height = 0, width = 0;
        for (const PageInput &page : pages) {
            height = std::max<int64_t>(height, page.image.height);
            width = std::max<int64_t>(width, page.image.width);
        }
        const auto batchSize = static_cast<int64_t>(pages.size());
        // One padded batch: white beyond each page's own size.
        at::Tensor grey = at::full({batchSize, 1, height, width}, 255, at::TensorOptions().dtype(at::kByte));
        for (int64_t b = 0; b < batchSize; ++b) {
            const GrayImage &image = pages[b].image;
            if (image.width <= 0 || image.height <= 0
                || image.pixels.size() != size_t(image.width) * size_t(image.height))
                continue;
            const at::Tensor pixels = at::from_blob(const_cast<std::uint8_t *>(image.pixels.data()),
                                                    {image.height, image.width}, at::kByte);
            grey[b][0].narrow(0, 0, image.height).narrow(1, 0, image.width).copy_(pixels);
            Findings::paintOverWordsOnFill(pages[b], options.ruleInk, grey[b][0].data_ptr<std::uint8_t>(), size_t(width));
        }
        grey = grey.to(target);

        // Ruling lines: openings with long thin structuring elements keep only
        // ink that runs at least ruleLength pixels straight.
        const at::Tensor ink = (grey < options.ruleInk).to(at::kByte);
        // Filled shapes survive those openings too; what is thicker than a
        // rule across its length is taken out again.
        const int thick = options.maxRuleThickness + 1;
        const at::Tensor longH = Kernels::open(ink, 1, options.ruleLength);
        const at::Tensor longV = Kernels::open(ink, options.verticalRuleLength, 1);
        const at::Tensor horizontal = longH * (1 - Kernels::open(longH, thick, 1));
        const at::Tensor vertical = longV * (1 - Kernels::open(longV, 1, thick));
        const auto pageCount = pages.size();
        auto rules = [&](const at::Tensor &mask, bool across) {
            const at::Tensor runs = Kernels::runs(mask).to(at::kCPU).contiguous();
            return Findings::rulesFromRuns(runs.data_ptr<int64_t>(), size_t(runs.size(0)), pageCount,
                                           options.maxRuleThickness, across);
        };
        std::vector<std::vector<PixelBox>> hRules = rules(horizontal.squeeze(1) > 0, true);
        std::vector<std::vector<PixelBox>> vRules = rules(vertical.squeeze(1).transpose(1, 2) > 0, false);

        const at::Tensor inkShare = ink.to(at::kFloat).mean({1, 2, 3}).to(at::kCPU).contiguous();
        result.pages.resize(pageCount);
        for (size_t b = 0; b < pageCount; ++b)
            Findings::addRulesAndTables(result.pages[b], pages[b], inkShare.data_ptr<float>()[b], std::move(hRules[b]),
                                        std::move(vRules[b]), options);

        // Graphics: paint that is not text, outside tables, on a coarse grid.
        // Rules elsewhere stay: a chart's axes hold its bars together.
        const int cell = std::max(1, options.cell);
        // A cell holds paint when at least two of its pixels do: a stray
        // antialiased pixel beside a glyph is not a drawing.
        at::Tensor painted = at::avg_pool2d((grey < options.paintInk).to(at::kFloat), {cell, cell}, {cell, cell},
                                            {0, 0}, /*ceil_mode=*/true)
            >= 2.0 / (cell * cell);
        for (size_t b = 0; b < pageCount; ++b)
            for (const TableGrid &grid : result.pages[b].tables) {
                const Findings::CellRange r = Findings::tableCells(grid, cell, painted.size(2), painted.size(3));
                if (r.bottom > r.top && r.right > r.left)
                    painted[int64_t(b)][0].narrow(0, r.top, r.bottom - r.top).narrow(1, r.left, r.right - r.left).fill_(false);
            }
        const int64_t gh = painted.size(2), gw = painted.size(3);
        std::vector<at::Tensor> textMasks;
        for (const PageInput &page : pages) {
            std::vector<float> flat;
            flat.reserve(page.text.size() * 4);
            for (const PixelBox &box : page.text) {
                flat.insert(flat.end(), {float(box.left), float(box.top), float(box.right), float(box.bottom)});
            }
            const at::Tensor boxes = at::from_blob(flat.data(), {static_cast<int64_t>(page.text.size()), 4}, at::kFloat)
                                         .to(target);
            textMasks.push_back(Kernels::boxCoverage(boxes, gh, gw, cell));
        }
        // Glyph ink spills a little past the word boxes: one cell of margin.
        const at::Tensor text = Kernels::dilate(at::stack(textMasks).unsqueeze(1).to(at::kFloat), 3, 3) > 0;
        const at::Tensor graphic = painted & ~text;
        const at::Tensor labels = Kernels::labelComponents(graphic, options.closing);
        const at::Tensor boxes = Kernels::componentBoxes(labels).to(at::kCPU).contiguous();

        const int64_t *row = boxes.data_ptr<int64_t>();
        for (int64_t i = 0; i < boxes.size(0); ++i, row += 6)
            Findings::addGraphic(result.pages[size_t(row[0])], {row[1], row[2], row[3], row[4], row[5]}, cell, options);
    } catch (const c10::Error &error) {
        result.pages.clear();
        result.error = error.what_without_backtrace();
    } catch (const std::exception &error) {
        result.pages.clear();
        result.error = error.what();
    }
    return result;
}

} // namespace DocRay::Tensor

extern "C" __attribute__((visibility("default"))) const DocRay::Tensor::ModuleApi *docray_tensor_module()
{
    static const DocRay::Tensor::ModuleApi api{DocRay::Tensor::kModuleApiVersion, &DocRay::Tensor::chooseDevice,
                                                  &DocRay::Tensor::analyzePages, &DocRay::Tensor::cleanScan};
    return &api;
}
