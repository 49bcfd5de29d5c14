#pragma once

#include <QByteArray>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QSize>

#include <memory>

namespace DocRay {

// Pages of one PDF as pictures for people to look at (the desktop's page
// preview): Poppler stays inside the engine. The document is opened on the
// first render. Not thread-safe: one thread at a time uses an instance.
class PdfPageRenderer final
{
public:
    explicit PdfPageRenderer(const QByteArray &pdf, const QString &password = {});
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
    struct Document;
    Document *document();

    QByteArray m_pdf; // poppler-cpp reads from these bytes for the document's lifetime
    QString m_password;
    std::unique_ptr<Document> m_document;
    bool m_opened = false;
};

} // namespace DocRay
