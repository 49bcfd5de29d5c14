#pragma once

#include <QByteArray>
#include <QMap>
#include <QImage>
#include <QList>
#include <QString>

namespace DocRay {

// Makes the PDF that a non-PDF input is returned as (result.pdf_data), so
// every job has pages a client or the desktop preview can show.
namespace PdfComposer {

// `images` ("images/<name>" -> PNG or JPEG bytes) are drawn where the
// markdown references them, scaled down to the text width when wider.
QByteArray fromText(const QString &text, bool isMarkdown, const QMap<QString, QByteArray> &images = {});

// One page per image, each page the image's size at its resolution.
QByteArray fromImages(const QList<QImage> &images, double dpi);

} // namespace PdfComposer

} // namespace DocRay
