#pragma once

#include <QImage>

class PDFDoc;

namespace DocRay {

// A scanner's page read straight from its picture: where the page (1-based
// `pageNumber` of `doc`) paints nothing but one image over the whole of it,
// upright, mirrored or turned by quarter turns, at twice `dpi` or finer
// (a 600 ppi scan read at 300 dpi), the image is decoded and averaged down
// to `dpi` in grey, row by row: the pixels Splash draws from it, a third
// faster. An image with a soft mask (a PNG's alpha, a photo cover's) is
// read so at any resolution, blended over white paper and averaged down or
// enlarged: the pixels Splash draws to a grey level or two, in half the
// time. Null where the page is anything else (render it then): other
// paint, visible text, a stencil or colour-key mask, transparency, a
// partial or skewed image, or one without a soft mask under twice `dpi`.
// Poppler's per-document state: one thread at a time per `doc`.
QImage readScannedPage(PDFDoc &doc, int pageNumber, double dpi);

} // namespace DocRay
