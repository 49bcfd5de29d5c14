#pragma once

#include "engine/pdf/pdfsource.h"

#include <QImage>
#include <QRectF>
#include <QString>
#include <QSize>

#include <memory>

namespace DocRay {

class PageContentReader;

// Pages of one PDF as pictures for people to look at (the desktop's page
// preview, the pictures of a result's tables and formulas), drawn as the
// reader draws its pages (see PageRasterizer): Poppler stays inside the
// engine. The document is opened on the first render. Not thread-safe: one
// thread at a time uses an instance.
class PdfPageRenderer final
{
public:
    explicit PdfPageRenderer(const PdfSource &pdf, const QString &password = {});
    ~PdfPageRenderer();
    PdfPageRenderer(const PdfPageRenderer &) = delete;
    PdfPageRenderer &operator=(const PdfPageRenderer &) = delete;

    // The page (0-based) as large as fits in `target`, its aspect kept and
    // its /Rotate applied; null when the document or the page cannot be read.
    QImage renderToFit(int pageIndex, const QSize &target);
    // An area of the page (points from its top-left corner, as the layout's
    // boxes) at `dpi`, or less where the picture would pass `maxPixels`;
    // null when the document, the page or the area cannot be had.
    QImage renderArea(int pageIndex, const QRectF &points, double dpi, double maxPixels);

private:
    const PageContentReader *reader(); // null where the document cannot be read

    PdfSource m_pdf;
    QString m_password;
    std::unique_ptr<PageContentReader> m_reader;
};

} // namespace DocRay
