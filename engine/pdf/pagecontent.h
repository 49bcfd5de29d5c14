#pragma once

#include "engine/pdf/devicecolours.h"
#include "engine/pdf/fontfiles.h"
#include "engine/pdf/pagerasterizer.h"
#include "engine/pdf/pdfsource.h"

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QRect>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <memory>
#include <set>

class PDFDoc;

namespace DocRay {

// Poppler's process-wide settings (its font tables and the encodings it
// reads from disk), made on the first call and kept until the process
// ends. Each holder of a document held them, and the last to close freed
// them: every job made them two or three times over, 2 ms each. Poppler's
// complaints about damaged files go to the debug log. Any thread.
void keepPopplerSettings();

// A PDF's pages read through Poppler's core classes: the words of a page's
// text layer, and the boxes of what it paints besides them (non-white fills,
// strokes, images and shadings) without rasterizing a glyph, in one walk
// over the page's content; and its renders, from the same opened document.
// Most pages of most documents draw nothing but words; the paint tells
// those apart. Pages are read through the document's own object tables:
// poppler-cpp's text_list() copies the cross-reference table and rescans
// the page's fonts for every page, which cost more than reading the words.
class PageContentReader final
{
public:
    // Opens its own reading of `pdf` (a shallow copy of bytes in memory is
    // kept). One thread at a time: reads go through Poppler's per-document
    // state.
    PageContentReader(const PdfSource &pdf, const QString &password);
    ~PageContentReader();
    PageContentReader(const PageContentReader &) = delete;
    PageContentReader &operator=(const PageContentReader &) = delete;

    bool isValid() const;
    bool hasPage(int pageIndex) const; // there is such a page, and Poppler can open it

    struct PagePaint {
        QSizeF size;          // points, the page's rotation applied
        QList<QRectF> boxes;  // points from the top left of the crop box (as the text layer's words), on the page
        QList<QRectF> images; // those of the boxes that are raster images
        bool saturated = false; // drew too many pieces to list: take the page as painted
    };
    // A word of the text layer as poppler-cpp's text_list() gives it: at 72
    // dpi in points from the top left of the crop box, the page's rotation
    // applied, in Poppler's reading order.
    struct Word {
        QString text;
        QRectF bbox;
        double fontSize = 0;
        QByteArray fontName; // as the PDF names it (subset prefix kept); empty when it has none
        bool fixedPitch = false; // its font advances every glyph alike on this page
        bool spaceDrawnAfter = false; // the page draws a space glyph right after it
        // Drawn invisibly, as most of its page's text: an OCR layer laid
        // over a scan, whose fonts (Courier, often) say nothing of the print.
        bool hidden = false;
    };

    // One reading of the page: its words, and its paint when asked (the
    // words are the same either way; reading without paint skips images).
    struct PageContent {
        QList<Word> words;
        PagePaint paint;
        // Quarter turns clockwise that would set most of the page's text
        // upright: 0 where it is.
        int turnToUpright = 0;
    };
    // The page as read turned `quarterTurns` clockwise beyond its own
    // rotation: words, boxes and size in that frame. A run of words set
    // sideways on an upright page (a table's turned column heading) comes
    // as one word, in its reading order.
    PageContent read(int pageIndex, bool withPaint, int quarterTurns = 0) const;

    // The page's crop box in points as shown: its /Rotate and
    // `quarterTurns` more applied. Empty where there is no such page.
    QSizeF shownSize(int pageIndex, int quarterTurns = 0) const;

    // The page at `dpi` in grey straight from its picture, where it is a
    // scanner's page (see readScannedPage); null otherwise.
    QImage scannedPage(int pageIndex, double dpi) const;

    // The page rendered (see PageRasterizer) at `dpi`, turned `quarterTurns`
    // beyond its /Rotate, cut to `slice` (pixels; null: the whole page).
    // Null where it cannot be had.
    QImage render(int pageIndex, RasterColour colour, double dpi, int quarterTurns = 0,
                  const QRect &slice = {}) const;

private:
    void preparePage(int pageIndex) const; // its font files decoded, its colour profiles set aside

    PdfSource m_pdf; // Poppler's stream reads its bytes, or its file
    mutable DecodedFontFiles m_fontFiles; // of the pages prepared so far: outlives m_doc
    mutable DeviceColours m_deviceColours;
    mutable std::set<int> m_preparedPages;
    std::unique_ptr<PDFDoc> m_doc;
    // One per colour, made at the first render in it (most documents need none).
    mutable std::unique_ptr<PageRasterizer> m_rasterizers[2];
};

} // namespace DocRay
