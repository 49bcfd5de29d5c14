#include "engine/pdf/pdfcomposer.h"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>

namespace DocRay::PdfComposer {

namespace {

// A 1-bit scan whose first colour is white (TIFF's min-is-white, as most
// fax and archive scans come): the same picture with its bits and colours
// swapped. Qt stores that as it is, one bit a pixel, where otherwise it
// turns it into 32-bit colour and stores a JPEG of it (a 3312x2550 scan:
// 180 KB in 30 ms, against 2.2 MB in 65 ms, lossy).
QImage asBlackOnWhiteBits(const QImage &image)
{
    static const QList<QRgb> whiteFirst{qRgb(255, 255, 255), qRgb(0, 0, 0)};
    if (image.depth() != 1 || image.colorTable() != whiteFirst)
        return image;
    QImage swapped = image.convertToFormat(QImage::Format_Mono);
    swapped.invertPixels();
    swapped.setColorTable({qRgb(0, 0, 0), qRgb(255, 255, 255)});
    return swapped;
}

} // namespace

QByteArray fromImages(const QList<QImage> &images, double dpi, const std::function<bool()> &stopped)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("doc-ray"));
    writer.setResolution(static_cast<int>(dpi));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    for (qsizetype i = 0; i < images.size(); ++i) {
        if (stopped && stopped())
            return {};
        const QImage &image = images[i];
        const QSizeF pointSize(image.width() * 72.0 / dpi, image.height() * 72.0 / dpi);
        writer.setPageSize(QPageSize(pointSize, QPageSize::Point));
        if (i == 0)
            painter.begin(&writer);
        else
            writer.newPage();
        painter.drawImage(QRect(0, 0, image.width(), image.height()), asBlackOnWhiteBits(image));
    }
    painter.end();
    return pdf;
}

} // namespace DocRay::PdfComposer
