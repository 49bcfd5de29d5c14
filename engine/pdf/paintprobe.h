#pragma once

#include <QByteArray>
#include <QList>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <memory>

class GlobalParamsIniter;
class PDFDoc;

namespace DocRay {

// Where a PDF page paints anything but text: the boxes of its non-white
// fills, strokes, images and shadings, read from the page's content stream
// without rasterizing a glyph. Most pages of most documents draw nothing
// but words; this tells those apart at the cost of reading the page once.
class PaintProbe final
{
public:
    // Opens its own reading of `pdf` (a shallow copy is kept). One thread
    // at a time: paint() reads the document through Poppler's state.
    PaintProbe(const QByteArray &pdf, const QString &password);
    ~PaintProbe();
    PaintProbe(const PaintProbe &) = delete;
    PaintProbe &operator=(const PaintProbe &) = delete;

    bool isValid() const;

    struct PagePaint {
        QSizeF size;          // points, the page's rotation applied
        QList<QRectF> boxes;  // points from the top left of the crop box (as the text layer's words), on the page
        QList<QRectF> images; // those of the boxes that are raster images
        bool saturated = false; // drew too many pieces to list: take the page as painted
    };
    PagePaint paint(int pageIndex) const;

private:
    QByteArray m_pdf; // Poppler's stream reads these bytes
    std::unique_ptr<GlobalParamsIniter> m_globals; // Poppler's settings, shared with every other reader in the process
    std::unique_ptr<PDFDoc> m_doc;
};

} // namespace DocRay
