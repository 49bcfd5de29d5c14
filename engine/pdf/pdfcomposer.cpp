#include "engine/pdf/pdfcomposer.h"

#include <QBuffer>
#include <QImage>
#include <QPainter>
#include <QPdfWriter>

namespace DocRay::PdfComposer {

QByteArray fromImages(const QList<QImage> &images, double dpi)
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
        const QImage &image = images[i];
        const QSizeF pointSize(image.width() * 72.0 / dpi, image.height() * 72.0 / dpi);
        writer.setPageSize(QPageSize(pointSize, QPageSize::Point));
        if (i == 0)
            painter.begin(&writer);
        else
            writer.newPage();
        painter.drawImage(QRect(0, 0, image.width(), image.height()), image);
    }
    painter.end();
    return pdf;
}

} // namespace DocRay::PdfComposer
