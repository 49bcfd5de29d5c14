#pragma once

#include <QImage>
#include <QRect>

#include <memory>

class PDFDoc;
class SplashOutputDev;

namespace DocRay {

enum class RasterColour { Grey, Rgb }; // Format_Grayscale8 or Format_ARGB32 (opaque)

// Pages of one document as pictures, anti-aliased on white paper, drawn as
// poppler-cpp's page_renderer draws them. One Splash device draws every
// page in its colour, so its font engine keeps the glyphs it rasterized: a
// generated 64-page document with a table and a figure on each page spent
// 1.15 s in its renders with a device per render, 0.70 s with one kept.
// Poppler's per-document state: one thread at a time per `doc`.
class PageRasterizer final
{
public:
    PageRasterizer(PDFDoc &doc, RasterColour colour);
    ~PageRasterizer();
    PageRasterizer(const PageRasterizer &) = delete;
    PageRasterizer &operator=(const PageRasterizer &) = delete;

    // The page (0-based) at `dpi`, turned `quarterTurns` clockwise beyond
    // its /Rotate and cut to `slice` (pixels of that render; null: the
    // whole page). Null where the page cannot be had.
    QImage render(int pageIndex, double dpi, int quarterTurns = 0, const QRect &slice = {});

private:
    PDFDoc &m_doc;
    const RasterColour m_colour;
    std::unique_ptr<SplashOutputDev> m_device;
};

} // namespace DocRay
