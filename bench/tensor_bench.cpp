// The page-tensor module's cost per page on each device LibTorch offers:
// the analysis of born-digital pages (rules, tables, figures) in batches of
// 1 to 64 A4 pages at 100 dpi, its main kernels on the same batches, and the
// clean-up of one scanned letter page at 300 dpi. Built with the module's
// standalone build (engine/layout/tensor/CMakeLists.txt) and run by
// bench/tensor_cuda.sh; prints one table, CUDA against the CPU where both run,
// then the engine's own CPU loops (what runs where there is no GPU) against
// the module on the CPU.
#include "engine/layout/tensor/kernels.h"
#include "engine/layout/tensor/pageanalysis.h"
#include "tests/engine/tensorpages.h"

#include <ATen/Parallel.h>
#include <torch/cuda.h>

#include <chrono>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

using namespace DocRay::Tensor;
using namespace DocRay::Tensor::TestPages;

namespace {

// Milliseconds per call of `work` after one warm-up call: as many calls as
// fit in about a second, at least three.
double millisecondsPerCall(const std::function<void()> &work)
{
    work();
    using Clock = std::chrono::steady_clock;
    const auto start = Clock::now();
    int calls = 0;
    do {
        work();
        ++calls;
    } while (calls < 3 || Clock::now() - start < std::chrono::seconds(1));
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count() / calls;
}

// [B, 1, H, W] ink masks of the pages, as the analysis builds them.
at::Tensor inkMasks(const std::vector<PageInput> &pages, const at::Device &device)
{
    std::vector<at::Tensor> masks;
    for (const PageInput &p : pages) {
        const at::Tensor grey = at::from_blob(const_cast<std::uint8_t *>(p.image.pixels.data()),
                                              {1, p.image.height, p.image.width}, at::kByte);
        masks.push_back((grey < 200).to(at::kByte));
    }
    return at::stack(masks).to(device);
}

struct Row {
    std::string what;
    int batch = 0;
    std::map<std::string, double> msPerPage; // by device
};

void printTable(const std::vector<Row> &rows, const std::vector<std::string> &devices)
{
    std::printf("\n| measure | pages per batch |");
    for (const std::string &d : devices)
        std::printf(" %s ms/page |", d.c_str());
    if (devices.size() == 2)
        std::printf(" %s speed-up |", devices[1].c_str());
    std::printf("\n|---|---:|");
    for (size_t i = 0; i < devices.size() + (devices.size() == 2 ? 1 : 0); ++i)
        std::printf("---:|");
    std::printf("\n");
    for (const Row &row : rows) {
        std::printf("| %s | %d |", row.what.c_str(), row.batch);
        for (const std::string &d : devices)
            std::printf(" %.2f |", row.msPerPage.at(d));
        if (devices.size() == 2)
            std::printf(" %.1fx |", row.msPerPage.at(devices[0]) / row.msPerPage.at(devices[1]));
        std::printf("\n");
    }
}

} // namespace

int main()
{
    std::vector<std::string> devices{"cpu"};
    if (torch::cuda::is_available())
        devices.push_back("cuda");
    std::printf("LibTorch CPU threads: %d; CUDA devices: %d\n", at::get_num_threads(),
                int(torch::cuda::device_count()));

    std::vector<PageInput> pages;
    for (int i = 0; i < 64; ++i)
        pages.push_back(documentPage(i));
    std::vector<Row> rows;
    for (const int batch : {1, 4, 16, 64}) {
        const std::vector<PageInput> slice(pages.begin(), pages.begin() + batch);
        Row analysis{"analyzePages (A4, 100 dpi, table + figure + text)", batch, {}};
        Row opening{"kernel: open 1 x 31 (horizontal rules)", batch, {}};
        Row labels{"kernel: labelComponents, 4-px cells, reach 3", batch, {}};
        for (const std::string &device : devices) {
            analysis.msPerPage[device] = millisecondsPerCall([&] {
                if (analyzePages(slice, {}, device).pages.size() != slice.size())
                    std::printf("analysis failed on %s\n", device.c_str());
            }) / batch;
            const at::Tensor masks = inkMasks(slice, at::Device(device));
            opening.msPerPage[device] = millisecondsPerCall([&] {
                Kernels::open(masks, 1, 31).sum().item<double>(); // the read waits for the device
            }) / batch;
            const at::Tensor cells = at::max_pool2d(masks.to(at::kFloat), {4, 4}) > 0;
            labels.msPerPage[device] = millisecondsPerCall([&] {
                Kernels::labelComponents(cells, 3).max().item<long>();
            }) / batch;
        }
        rows.insert(rows.end(), {analysis, opening, labels});
    }

    const GrayImage scan = turned(page(2550, 3300, textStrokes(2550, 3300), 0), 1.5);
    ScanOptions deskewOnly, everything;
    everything.binarize = everything.despeckle = true;
    for (const auto &[what, options] : {std::pair{"cleanScan: deskew (letter, 300 dpi)", deskewOnly},
                                        std::pair{"cleanScan: deskew, binarize, despeckle", everything}}) {
        Row row{what, 1, {}};
        for (const std::string &device : devices)
            row.msPerPage[device] = millisecondsPerCall([&] { cleanScan(scan, options, device); });
        rows.push_back(row);
    }
    printTable(rows, devices);

    // What the engine runs on the CPU instead of the module: its own loops,
    // the same findings and skew (test_tensor holds them to it).
    std::printf("\n| the engine's CPU loops | pages per batch | loops ms/page | module on cpu ms/page | ratio |\n"
                "|---|---:|---:|---:|---:|\n");
    for (const int batch : {1, 16}) {
        const std::vector<PageInput> slice(pages.begin(), pages.begin() + batch);
        const double loops = millisecondsPerCall([&] { analyzePagesOnCpu(slice); }) / batch;
        const double module = millisecondsPerCall([&] { analyzePages(slice, {}, "cpu"); }) / batch;
        std::printf("| analyzePagesOnCpu | %d | %.2f | %.2f | %.2fx |\n", batch, loops, module, module / loops);
    }
    ScanOptions measureOnly;
    measureOnly.turn = false;
    const double loops = millisecondsPerCall([&] { skewOnCpu(scan, measureOnly); });
    const double module = millisecondsPerCall([&] { cleanScan(scan, measureOnly, "cpu"); });
    std::printf("| skewOnCpu (letter, 300 dpi) | 1 | %.2f | %.2f | %.2fx |\n", loops, module, module / loops);
    return 0;
}
