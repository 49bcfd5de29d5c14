#include "engine/pdf/pagerenderer.h"

#include "engine/pdf/pagecontent.h"

#include <QtMath>

#include <cmath>

namespace DocRay {

PdfPageRenderer::PdfPageRenderer(const PdfSource &pdf, const QString &password)
    : m_pdf(pdf)
    , m_password(password)
{
}

PdfPageRenderer::~PdfPageRenderer() = default;

const PageContentReader *PdfPageRenderer::reader()
{
    if (!m_reader)
        m_reader = std::make_unique<PageContentReader>(m_pdf, m_password);
    return m_reader->isValid() ? m_reader.get() : nullptr;
}

QImage PdfPageRenderer::renderToFit(int pageIndex, const QSize &target)
{
    const PageContentReader *pages = target.isEmpty() ? nullptr : reader();
    const QSizeF points = pages ? pages->shownSize(pageIndex) : QSizeF();
    if (points.isEmpty())
        return {};
    const double dpi = 72.0 * qMin(target.width() / points.width(), target.height() / points.height());
    return pages->render(pageIndex, RasterColour::Rgb, dpi);
}

QImage PdfPageRenderer::renderArea(int pageIndex, const QRectF &points, double dpi, double maxPixels)
{
    const PageContentReader *pages = points.isEmpty() ? nullptr : reader();
    if (!pages || !pages->hasPage(pageIndex))
        return {};
    const double squareInches = (points.width() / 72.0) * (points.height() / 72.0);
    dpi = qMin(dpi, std::sqrt(maxPixels / squareInches));
    const double scale = dpi / 72.0;
    return pages->render(pageIndex, RasterColour::Rgb, dpi, 0,
                         QRect(qFloor(points.left() * scale), qFloor(points.top() * scale), qCeil(points.width() * scale),
                               qCeil(points.height() * scale)));
}

} // namespace DocRay
