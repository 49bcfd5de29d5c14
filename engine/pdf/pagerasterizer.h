#pragma once

#include <QImage>
#include <QRect>

#include <memory>

class PDFDoc;
class SplashOutputDev;

namespace DocRay {

// Pages of one opened PDF as pictures, anti-aliased on white paper, as
// poppler-cpp's page_renderer draws them, through one Splash device kept
// from page to page: its fonts are loaded once per document, not once per
// render. Poppler's per-document state: one thread at a time per `doc`.
class PageRasterizer final
{
public:
    enum class Colour { Grey, Rgb }; // Format_Grayscale8 or Format_ARGB32 (opaque)

    PageRasterizer(PDFDoc &doc, Colour colour);
    ~PageRasterizer();
    PageRasterizer(const PageRasterizer &) = delete;
    PageRasterizer &operator=(const PageRasterizer &) = delete;

    // The page (0-based) at `dpi`, turned `quarterTurns` clockwise beyond
    // its /Rotate, cut to `slice` (pixels of that render; null: the whole
    // page). Null where the page cannot be had.
    QImage render(int pageIndex, double dpi, int quarterTurns = 0, const QRect &slice = {});

private:
    PDFDoc &m_doc;
    const Colour m_colour;
    std::unique_ptr<SplashOutputDev> m_device;
};

} // namespace DocRay
