#include "engine/pdf/pagerenderer.h"

#include "engine/pdf/popplerconvert.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <QtMath>

#include <cmath>

namespace DocRay {

struct PdfPageRenderer::Document {
    std::unique_ptr<poppler::document> pdf;
    poppler::page_renderer renderer;
};

PdfPageRenderer::PdfPageRenderer(const QByteArray &pdf, const QString &password)
    : m_pdf(pdf)
    , m_password(password)
{
}

PdfPageRenderer::~PdfPageRenderer() = default;

PdfPageRenderer::Document *PdfPageRenderer::document()
{
    if (!m_opened) {
        m_opened = true;
        const std::string secret = m_password.toStdString();
        std::unique_ptr<poppler::document> pdf(
            poppler::document::load_from_raw_data(m_pdf.constData(), static_cast<int>(m_pdf.size()), secret, secret));
        if (pdf && !pdf->is_locked()) {
            m_document = std::make_unique<Document>();
            m_document->pdf = std::move(pdf);
            m_document->renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
            m_document->renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        }
    }
    return m_document.get();
}

namespace {

// Null when there is no such page.
std::unique_ptr<poppler::page> openPage(const poppler::document &pdf, int pageIndex)
{
    if (pageIndex < 0 || pageIndex >= pdf.pages())
        return nullptr;
    return std::unique_ptr<poppler::page>(pdf.create_page(pageIndex));
}

} // namespace

QImage PdfPageRenderer::renderToFit(int pageIndex, const QSize &target)
{
    Document *document = this->document();
    const std::unique_ptr<poppler::page> page = document && !target.isEmpty() ? openPage(*document->pdf, pageIndex) : nullptr;
    if (!page)
        return {};
    QSizeF points = toQRect(page->page_rect()).size();
    const poppler::page::orientation_enum turn = page->orientation();
    if (turn == poppler::page::landscape || turn == poppler::page::seascape)
        points.transpose();
    if (points.isEmpty())
        return {};
    const double dpi = 72.0 * qMin(target.width() / points.width(), target.height() / points.height());
    return toQImage(document->renderer.render_page(page.get(), dpi, dpi));
}

QImage PdfPageRenderer::renderArea(int pageIndex, const QRectF &points, double dpi, double maxPixels)
{
    Document *document = this->document();
    const std::unique_ptr<poppler::page> page = document && !points.isEmpty() ? openPage(*document->pdf, pageIndex) : nullptr;
    if (!page)
        return {};
    const double squareInches = (points.width() / 72.0) * (points.height() / 72.0);
    dpi = qMin(dpi, std::sqrt(maxPixels / squareInches));
    const double scale = dpi / 72.0;
    return toQImage(document->renderer.render_page(page.get(), dpi, dpi, qFloor(points.left() * scale),
                                                   qFloor(points.top() * scale), qCeil(points.width() * scale),
                                                   qCeil(points.height() * scale)));
}

} // namespace DocRay
