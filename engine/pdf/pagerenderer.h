#pragma once

#include <QByteArray>
#include <QImage>
#include <QSize>

#include <memory>

namespace DocRay {

// Pages of one PDF as pictures for people to look at (the desktop's page
// preview): Poppler stays inside the engine. The document is opened on the
// first render. Not thread-safe: one thread at a time uses an instance.
class PdfPageRenderer final
{
public:
    explicit PdfPageRenderer(const QByteArray &pdf);
    ~PdfPageRenderer();
    PdfPageRenderer(const PdfPageRenderer &) = delete;
    PdfPageRenderer &operator=(const PdfPageRenderer &) = delete;

    // The page (0-based) as large as fits in `target`, its aspect kept and
    // its /Rotate applied; null when the document or the page cannot be read.
    QImage renderToFit(int pageIndex, const QSize &target);

private:
    struct Document;
    QByteArray m_pdf; // poppler-cpp reads from these bytes for the document's lifetime
    std::unique_ptr<Document> m_document;
    bool m_opened = false;
};

} // namespace DocRay
