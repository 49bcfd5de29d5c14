#include "engine/pdf/pagerenderer.h"

#include "engine/pdf/popplerconvert.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

namespace DocRay {

struct PdfPageRenderer::Document {
    std::unique_ptr<poppler::document> pdf;
    poppler::page_renderer renderer;
};

PdfPageRenderer::PdfPageRenderer(const QByteArray &pdf)
    : m_pdf(pdf)
{
}

PdfPageRenderer::~PdfPageRenderer() = default;

QImage PdfPageRenderer::renderToFit(int pageIndex, const QSize &target)
{
    if (!m_opened) {
        m_opened = true;
        std::unique_ptr<poppler::document> pdf(
            poppler::document::load_from_raw_data(m_pdf.constData(), static_cast<int>(m_pdf.size())));
        if (pdf && !pdf->is_locked()) {
            m_document = std::make_unique<Document>();
            m_document->pdf = std::move(pdf);
            m_document->renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
            m_document->renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        }
    }
    if (!m_document || pageIndex < 0 || pageIndex >= m_document->pdf->pages() || target.isEmpty())
        return {};
    const std::unique_ptr<poppler::page> page(m_document->pdf->create_page(pageIndex));
    if (!page)
        return {};
    QSizeF points = toQRect(page->page_rect()).size();
    const poppler::page::orientation_enum turn = page->orientation();
    if (turn == poppler::page::landscape || turn == poppler::page::seascape)
        points.transpose();
    if (points.isEmpty())
        return {};
    const double dpi = 72.0 * qMin(target.width() / points.width(), target.height() / points.height());
    return toQImage(m_document->renderer.render_page(page.get(), dpi, dpi));
}

} // namespace DocRay
