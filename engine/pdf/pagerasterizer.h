#pragma once

#include <QImage>
#include <QRect>

class PDFDoc;

namespace DocRay {

enum class RasterColour { Grey, Rgb }; // Format_Grayscale8 or Format_ARGB32 (opaque)

// A page (0-based) of `doc` as a picture, anti-aliased on white paper,
// drawn as poppler-cpp's page_renderer draws it, at `dpi`, turned
// `quarterTurns` clockwise beyond its /Rotate and cut to `slice` (pixels
// of that render; null: the whole page). Null where the page cannot be
// had. A Splash device per render, as poppler-cpp's: one kept from page to
// page measured slower on pages with pictures (32 generated pages with a
// figure each: 2.25 → 2.93 s), with the same pixels.
// Poppler's per-document state: one thread at a time per `doc`.
QImage rasterizePage(PDFDoc &doc, int pageIndex, RasterColour colour, double dpi, int quarterTurns = 0,
                     const QRect &slice = {});

} // namespace DocRay
