#pragma once

// poppler-cpp's strings, rectangles and images as Qt's. Included only by
// the engine's PDF sources (engine/pdf/), the layer that talks to Poppler.

#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-rectangle.h>

#include <QImage>
#include <QRectF>
#include <QString>

namespace DocRay {

inline QString toQString(const poppler::ustring &text)
{
    return QString::fromUtf16(reinterpret_cast<const char16_t *>(text.data()),
                              static_cast<qsizetype>(text.size()));
}

inline QRectF toQRect(const poppler::rectf &r)
{
    return QRectF(r.x(), r.y(), r.width(), r.height());
}

// A deep copy: poppler::image's pixels are gone with it.
inline QImage toQImage(const poppler::image &image)
{
    if (!image.is_valid())
        return {};
    const auto *bits = reinterpret_cast<const uchar *>(image.const_data());
    switch (image.format()) {
    case poppler::image::format_argb32:
        return QImage(bits, image.width(), image.height(), image.bytes_per_row(),
                      QImage::Format_ARGB32).copy();
    case poppler::image::format_rgb24:
        return QImage(bits, image.width(), image.height(), image.bytes_per_row(),
                      QImage::Format_RGB888).copy();
    case poppler::image::format_gray8:
        return QImage(bits, image.width(), image.height(), image.bytes_per_row(),
                      QImage::Format_Grayscale8).copy();
    default:
        return {};
    }
}

} // namespace DocRay
