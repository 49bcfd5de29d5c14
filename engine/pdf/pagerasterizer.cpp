#include "engine/pdf/pagerasterizer.h"

#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <splash/SplashBitmap.h>

namespace DocRay {

QImage rasterizePage(PDFDoc &doc, int pageIndex, RasterColour colour, double dpi, int quarterTurns, const QRect &slice)
{
    if (!doc.isOk() || pageIndex < 0 || pageIndex >= doc.getNumPages() || !doc.getPage(pageIndex + 1) || dpi <= 0)
        return {};
    SplashColor paper;
    paper[0] = paper[1] = paper[2] = 0xff;
    SplashOutputDev device(colour == RasterColour::Grey ? splashModeMono8 : splashModeXBGR8, 4, false, paper, true,
                           splashThinLineDefault);
    device.setFontAntialias(true);
    device.setVectorAntialias(true);
    device.setFreeTypeHinting(false, false);
    device.startDoc(&doc); // the font engine, with the settings above
    const bool whole = slice.isNull();
    doc.displayPageSlice(&device, pageIndex + 1, dpi, dpi, 90 * (quarterTurns & 3), false, true, false,
                         whole ? -1 : slice.x(), whole ? -1 : slice.y(), whole ? -1 : slice.width(),
                         whole ? -1 : slice.height(), nullptr, nullptr, nullptr, nullptr, true);
    SplashBitmap *bitmap = device.getBitmap();
    if (!bitmap || bitmap->getWidth() <= 0 || bitmap->getHeight() <= 0)
        return {};
    const QImage view(bitmap->getDataPtr(), bitmap->getWidth(), bitmap->getHeight(), bitmap->getRowSize(),
                      colour == RasterColour::Grey ? QImage::Format_Grayscale8 : QImage::Format_ARGB32);
    return view.copy(); // the bitmap goes with the device
}

} // namespace DocRay
