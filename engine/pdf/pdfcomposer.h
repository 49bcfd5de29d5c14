#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>

#include <functional>

namespace DocRay {

// Makes the PDF an image upload is returned as (result.pdf_data), so every
// job has pages a client or the desktop preview can show.
namespace PdfComposer {

// One page per image, each page the image's size at its resolution;
// nothing where `stopped` says so before a page (the parse it was written
// for has ended).
QByteArray fromImages(const QList<QImage> &images, double dpi, const std::function<bool()> &stopped = {});

} // namespace PdfComposer

} // namespace DocRay
