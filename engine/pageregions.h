#pragma once

#include "engine/pagelayout.h"

#include <QImage>

#include <functional>

namespace DocRay {

namespace Tensor {
struct ModuleApi;
}

// The page-tensor module (libdocray_tensor.so), opened on the first call;
// null, with *error set, when it cannot be loaded.
const Tensor::ModuleApi *loadTensorModule(QString *error = nullptr);

// "auto", "cpu" or "cuda" to the device page tensors run on ("cpu" or
// "cuda"); empty, with *error set, when the request cannot be met.
QString resolveComputeDevice(const QString &requested, QString *error = nullptr);

// A text-layer page with a grey render of it at `dpi`.
struct PageRender {
    PageLayout *page = nullptr;
    QImage grey;
    double dpi = 100;
};

// Tables (ruled grids) and figures (ink that is not text) on batches of
// rendered text-layer pages, through the page-tensor module: they become
// Table and Figure blocks in PageLayout::regions, and the words they hold
// leave the page's lines. One per parse, used on the parsing thread only.
class PageRegionFinder final
{
public:
    struct Options {
        bool tables = true;
        bool figures = true;
        QString device = QStringLiteral("cpu"); // as resolveComputeDevice() returned it
    };
    // Renders part of a page (PDF points) for a figure's PNG.
    using CropRenderer = std::function<QImage(const PageLayout &page, const QRectF &points)>;

    PageRegionFinder(const Options &options, CropRenderer crop);

    // Returns LibTorch's complaint when the batch could not be analysed; the
    // pages are then left as they were.
    QString process(const QList<PageRender> &batch) const;

private:
    Options m_options;
    CropRenderer m_crop;
};

} // namespace DocRay
