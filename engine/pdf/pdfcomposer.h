#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>

namespace DocRay {

// Makes the PDF an image upload is returned as (result.pdf_data), so every
// job has pages a client or the desktop preview can show.
namespace PdfComposer {

// One page per image, each page the image's size at its resolution.
QByteArray fromImages(const QList<QImage> &images, double dpi);

} // namespace PdfComposer

} // namespace DocRay
