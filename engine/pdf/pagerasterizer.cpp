#include "engine/pdf/pagerasterizer.h"

#include "engine/core/vectorstate.h"

#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <splash/SplashBitmap.h>

namespace DocRay {

PageRasterizer::PageRasterizer(PDFDoc &doc, RasterColour colour)
    : m_doc(doc)
    , m_colour(colour)
{
    SplashColor paper;
    paper[0] = paper[1] = paper[2] = 0xff;
    m_device = std::make_unique<SplashOutputDev>(colour == RasterColour::Grey ? splashModeMono8 : splashModeXBGR8, 4,
                                                 false, paper, true, splashThinLineDefault);
    m_device->setFontAntialias(true);
    m_device->setVectorAntialias(true);
    m_device->setFreeTypeHinting(false, false);
    m_device->startDoc(&m_doc); // the font engine, with the settings above
}

PageRasterizer::~PageRasterizer() = default;

QImage PageRasterizer::render(int pageIndex, double dpi, int quarterTurns, const QRect &slice)
{
    if (!m_doc.isOk() || pageIndex < 0 || pageIndex >= m_doc.getNumPages() || !m_doc.getPage(pageIndex + 1) || dpi <= 0)
        return {};
    clearUpperVectorState();
    const bool whole = slice.isNull();
    m_doc.displayPageSlice(m_device.get(), pageIndex + 1, dpi, dpi, 90 * (quarterTurns & 3), false, true, false,
                           whole ? -1 : slice.x(), whole ? -1 : slice.y(), whole ? -1 : slice.width(),
                           whole ? -1 : slice.height(), nullptr, nullptr, nullptr, nullptr, true);
    // The picture leaves with its pixels; the device makes itself a new one
    // for the next page.
    SplashBitmap *bitmap = m_device->takeBitmap();
    if (!bitmap || bitmap->getWidth() <= 0 || bitmap->getHeight() <= 0) {
        delete bitmap;
        return {};
    }
    return QImage(bitmap->getDataPtr(), bitmap->getWidth(), bitmap->getHeight(), bitmap->getRowSize(),
                  m_colour == RasterColour::Grey ? QImage::Format_Grayscale8 : QImage::Format_ARGB32,
                  [](void *picture) { delete static_cast<SplashBitmap *>(picture); }, bitmap);
}

} // namespace DocRay
