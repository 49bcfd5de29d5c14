#pragma once

#include "engine/core/pagelayout.h"

#include <QImage>
#include <QTransform>

#include <functional>

namespace DocRay {

namespace Tensor {
struct ModuleApi;
}

// The page-tensor module (libdocray_tensor.so), opened on the first call;
// null, with *error set, when it cannot be loaded. LibTorch drives the GPU:
// on the CPU, page analysis and the skew search run in the engine's own
// loops, and the module is never loaded.
const Tensor::ModuleApi *loadTensorModule(QString *error = nullptr);
// Whether pages analysed for `requested` ("auto", "cpu", "cuda") may run on
// a GPU, and so need the module: "cuda", or "auto" on a machine with a GPU
// driver.
bool needsTensorModule(const QString &requested);
// Where `requestedDevice` needs the module, starts opening it on a thread
// of the global pool, once per process: a parse that has found a page
// needing it (LibTorch takes a third of a second to load) reads on
// meanwhile. A call that needs the module waits for that load to end.
void loadTensorModuleInBackground(const QString &requestedDevice);
// Whether the module has been opened, or has failed to open: a call for it
// no longer waits.
bool tensorModuleSettled();

// "auto", "cpu" or "cuda" to the device page tensors run on ("cpu" or
// "cuda"); empty, with *error set, when the request cannot be met. "auto"
// is the CPU wherever the module cannot give a GPU.
QString resolveComputeDevice(const QString &requested, QString *error = nullptr);

// Clean-up of scanned pages before OCR: the skew search.
struct ScanCleanupOptions {
    bool enabled = true;
    QString device = QStringLiteral("auto"); // as a request names it: "auto", "cpu" or "cuda"
};

struct CleanedScan {
    QImage image;            // Format_Grayscale8, the input's size
    double skewDegrees = 0;  // as Tensor::ScanCleanup::skewDegrees
    bool rotated = false;    // the image was turned back by skewDegrees about its centre
    QTransform toLevel;      // from the page as given to `image`; identity when not turned
    QString error;           // why the module could not clean it; image is null then
};

// The page levelled for OCR at `dpi`. On a GPU through the module (which
// loads LibTorch on the first call in a process), on the CPU in plain loops.
CleanedScan cleanScanForOcr(const QImage &image, double dpi, const QString &device);

// Tables and figures are found on renders at this resolution: rules a
// quarter point thick still show, and a page is under a megapixel.
inline constexpr double kAnalysisDpi = 100.0;
// Pages analysed together on `device` ("cpu", "cuda"): a batch keeps a GPU
// busy; on a CPU it saves nothing and holds every page's renders and
// tensors at once (a quarter of a worker's peak memory at four pages).
inline qsizetype analysisBatch(const QString &device)
{
    return device == QLatin1String("cuda") ? 4 : 1;
}
// Grey below this is paint (the tensor module's AnalysisOptions::paintInk).
inline constexpr int kPaintGrey = 245;

// A crop as the PNG the result carries under images/.
QByteArray toPng(const QImage &image);

// `image` in Grayscale8, as QImage::convertToFormat makes it; 1-bit scans
// (fax TIFFs, bilevel PNGs) without Qt's generic path through ARGB32, ten
// times slower on a page of 8 million pixels.
QImage toGrayscale8(const QImage &image);

// A page image at `dpi` (a scan, or the render OCR read) brought down to
// `analysisDpi`, grey.
QImage analysisImage(const QImage &image, double dpi, double analysisDpi);

// Tables set in whitespace, from the page's words alone: they become Table
// regions and their words leave the lines. PageRegionFinder does this after
// the rendered pass; pages with nothing drawn but words get only this.
void placeUnruledTables(PageLayout &page);
// Tables between horizontal rules with none down them, from the page's
// words and `paint` (what it draws besides them, in points), placed the same
// way: such rules alone are no reason to render and analyse the page.
void placeRulesOnlyTables(PageLayout &page, const QList<QRectF> &paint);

// Tables set in whitespace among `lines` alone, at least `minRows` rows,
// with their cells' text: for a block the block model takes for a table.
QList<TextBlock> unruledTablesIn(const QList<TextLine> &lines, int minRows);

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
