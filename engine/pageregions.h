#pragma once

#include "engine/pagelayout.h"

#include <QImage>

#include <functional>

namespace DocRay {

// "auto", "cpu" or "cuda" to the device page tensors run on ("cpu" or
// "cuda"); empty, with *error set, when the request cannot be met.
QString resolveComputeDevice(const QString &requested, QString *error = nullptr);

// Tables and figures are found on renders at this resolution: rules a
// quarter point thick still show, and a page is under a megapixel.
inline constexpr double kAnalysisDpi = 100.0;

// A page image at `dpi` (a scan, or the render OCR read) brought down to
// `analysisDpi`, grey.
QImage analysisImage(const QImage &image, double dpi, double analysisDpi);

// A page, from its text layer or OCR, with a grey render of it at `dpi`.
struct PageRender {
    PageLayout *page = nullptr;
    QImage grey;
    double dpi = 100;
};

// Tables (ruled grids, and columns of words that line up) and figures (ink
// that is not text) on batches of rendered pages, ruled tables and figures
// through the page-tensor module: they become
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
