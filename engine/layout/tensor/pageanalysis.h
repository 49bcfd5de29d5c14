#pragma once

#include <cstdint>
#include <string>
#include <vector>

// The page-tensor module's public face: plain structs in and out, no Qt and
// no LibTorch types, so the engine's glue and the module's own test build
// against it alike, and the module builds on a machine with only LibTorch.
namespace DocRay::Tensor {

// The device kernels run on, from "auto", "cpu" or "cuda". "auto" takes CUDA
// when LibTorch sees a GPU; "cuda" without one is an error, not a fallback.
struct DeviceChoice {
    std::string device; // "cpu" or "cuda"; empty on error
    std::string error;
};
DeviceChoice chooseDevice(const std::string &requested);

// An 8-bit grey page render, row-major: 0 is black, 255 white.
struct GrayImage {
    int width = 0;
    int height = 0;
    std::vector<std::uint8_t> pixels;
};

// Pixels of the render; right and bottom are exclusive.
struct PixelBox {
    int left = 0;
    int top = 0;
    int right = 0;
    int bottom = 0;

    int width() const { return right - left; }
    int height() const { return bottom - top; }
};

struct PageInput {
    GrayImage image;
    std::vector<PixelBox> text; // the text layer's words: their ink is not graphics
};

struct AnalysisOptions {
    // Pixels a ruling line must run (odd). Horizontal: about 0.3 in at 100
    // dpi, longer than any stroke of text. Vertical: one row of a table is
    // often no taller than 0.2 in, so shorter, still above body text strokes.
    int ruleLength = 31;
    int verticalRuleLength = 21;
    int ruleInk = 200;         // grey below this is ink for ruling lines (thin rules render light)
    int maxRuleThickness = 6;  // thicker runs are filled shapes, not rules
    int maxHeaderFillHeight = 100; // a filled band over a grid up to this tall can be its header row
    int paintInk = 245;        // grey below this is paint for graphics (light fills count)
    int cell = 4;              // graphics are found on a grid of cell x cell pixels
    int closing = 3;           // cells: graphics parts this close are one figure
    int minGraphicSide = 36;   // pixels; smaller marks (bullets, icons in text) are not figures
    double minGraphicFill = 0.04; // share of a figure's cells that hold paint
    double minFilledCellShare = 0.3;
    double maxInkShare = 0.35;    // darker pages (light text on a dark ground) get no rules
};

// A table's grid: edges in pixels, and its cells, spanning cells once.
struct GridCell {
    int row = 0;
    int column = 0;
    int rowSpan = 1;
    int columnSpan = 1;
    PixelBox box;
};

struct TableGrid {
    PixelBox box;
    std::vector<int> rowEdges;    // rows + 1 ascending y positions
    std::vector<int> columnEdges; // columns + 1 ascending x positions
    std::vector<GridCell> cells;  // row-major by top-left corner

    int rows() const { return static_cast<int>(rowEdges.size()) - 1; }
    int columns() const { return static_cast<int>(columnEdges.size()) - 1; }
};

struct PageFindings {
    std::vector<PixelBox> horizontalRules;
    std::vector<PixelBox> verticalRules;
    // Grids from the rules whose cells hold text (at least two cells and
    // minFilledCellShare of them); blank grids are drawings.
    std::vector<TableGrid> tables;
    std::vector<PixelBox> graphics; // paint that is neither text nor inside a table
};

struct BatchFindings {
    std::vector<PageFindings> pages; // one per input page, in order
    std::string error;               // LibTorch's complaint, if any; pages is empty then
};

// Analyses a batch of pages as one padded tensor on the given device.
BatchFindings analyzePages(const std::vector<PageInput> &pages, const AnalysisOptions &options,
                           const std::string &device);

// The same findings on the CPU in plain loops, page by page at each page's
// own size: no LibTorch, so a process that analyses pages on the CPU never
// loads it (a third of a second and a hundred megabytes a process). The
// module's test holds the two to the same findings.
BatchFindings analyzePagesOnCpu(const std::vector<PageInput> &pages, const AnalysisOptions &options = {});

// Clean-up of a scanned page before OCR. Window sizes are given at 300 dpi
// and scale with `dpi`.
struct ScanOptions {
    double dpi = 300;
    // Deskew: the page is turned by the angle in [-maxSkew, maxSkew] whose
    // ink rows are sharpest (a coarse search, then a fine one around the best).
    bool deskew = true;
    double maxSkewDegrees = 5.0;
    double coarseStepDegrees = 0.5;
    double fineStepDegrees = 0.05;
    double minSkewDegrees = 0.1; // smaller skews are left alone: turning only blurs
    bool turn = true;            // off: the skew is only measured (the caller turns the page)
    int analysisLongSide = 1100; // pixels the angle search runs at, about 100 dpi on A4
    double minInkShare = 0.001;  // emptier pages have no lines to level
    // Inked pixels the angle search weighs at most. A page of text at the
    // search's resolution has well under this many (dense scanned manual
    // pages 15-70 thousand); a page that is mostly picture (a book's cover,
    // 480 thousand) has ink nearly everywhere, and every few of its pixels
    // tell its rows as well as all of them.
    int64_t maxInkPoints = 150000;
    // Sauvola binarization: ink is darker than m * (1 + k * (s / R - 1)) for
    // the local mean m and deviation s over a window about a text line high.
    bool binarize = false;
    int sauvolaWindow = 31;
    double sauvolaK = 0.2;
    double sauvolaRange = 128;
    // Speckle removal: ink that fits in a speckSize square with no other ink
    // within speckMargin pixels around it turns white.
    bool despeckle = false;
    int speckSize = 3;
    int speckMargin = 3;
};

struct ScanCleanup {
    // The skew found, in degrees: the page looks as if its level original
    // was turned by this much, clockwise on screen for positive angles (as
    // QTransform::rotate turns, y pointing down). 0 when not searched.
    double skewDegrees = 0;
    bool rotated = false; // the image was turned back by skewDegrees about its centre
    GrayImage image;      // the cleaned page, the input's size; white where it was turned in
    std::string error;    // LibTorch's complaint, if any; image is empty then
};

// Deskews, binarizes and despeckles one grey page as tensor ops on the device.
ScanCleanup cleanScan(const GrayImage &image, const ScanOptions &options, const std::string &device);

// The skew cleanScan finds (options.deskew; nothing is turned, binarized or
// despeckled), on the CPU in plain loops: how the engine levels a scan
// without LibTorch. 0 for a page too empty to tell, or without pixels.
double skewOnCpu(const GrayImage &image, const ScanOptions &options = {});

// What the module's shared library hands out: the engine loads it only
// when a page is analysed, so starting doc-ray does not load LibTorch.
// `version` comes first and changes with the struct, so an older copy of
// the library (DOCRAY_TENSOR_MODULE, an old install) is refused, not called.
constexpr long kModuleApiVersion = 8;
struct ModuleApi {
    long version;
    DeviceChoice (*chooseDevice)(const std::string &requested);
    BatchFindings (*analyzePages)(const std::vector<PageInput> &pages, const AnalysisOptions &options,
                                  const std::string &device);
    ScanCleanup (*cleanScan)(const GrayImage &image, const ScanOptions &options, const std::string &device);
};

// Ruling lines that cross each other joined into tables (at least 2 x 2
// cells); a missing rule between two grid cells merges them.
std::vector<TableGrid> tablesFromRules(const PageFindings &page, int tolerance = 3);

// A header row set on a coloured band has no rules of its own: the band
// right over the grid, as wide as it, becomes its first row, split at the
// grid's column edges that none of the words on it (`pageWords`) cross.
void extendOverHeaderFill(TableGrid &grid, const GrayImage &image, const std::vector<PixelBox> &pageWords,
                          const AnalysisOptions &options, int tolerance = 3);

} // namespace DocRay::Tensor
