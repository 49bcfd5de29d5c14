#include "engine/pdf/scannedpage.h"

#include "engine/core/greyaverager.h"

// Poppler's own classes (libpoppler-private-dev), as pagecontent.cpp: the
// library is built with TextOutputDev's word list.
#define TEXTOUT_WORD_LIST 1
#include <GfxState.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <Stream.h>

#include <zlib.h>

#include <QRectF>
#include <QTransform>
#include <QtMath>

#include <algorithm>
#include <cmath>
#include <memory>
#include <vector>

namespace DocRay {

namespace {

// How far, in output pixels, the image's edges may miss the page's.
constexpr double kEdgeSlackPixels = 2.0;
// How much finer than the output the image must be: Splash averages such
// images down as here, while nearer the output's resolution it resamples,
// and OCR read text from those renders better than from the bare pixels
// (300 ppi scans of typeset pages: text edit 0.033 against 0.054).
constexpr int kMinShrink = 2;
// How far inside the page the clip may lie, as a share of the page's side.
constexpr double kClipSlack = 0.01;
// The most pixels a soft-masked picture is decoded whole to be enlarged.
constexpr qint64 kMaxEnlargedPixels = 64 * 1024 * 1024;

// Paper where the clip hides the picture: pixels whose centre lies outside.
void whitenOutside(QImage &page, const QRectF &clip)
{
    const int left = qBound(0, qRound(clip.left()), page.width());
    const int right = qBound(left, qRound(clip.right()), page.width());
    const int top = qBound(0, qRound(clip.top()), page.height());
    const int bottom = qBound(top, qRound(clip.bottom()), page.height());
    for (int y = 0; y < page.height(); ++y) {
        uchar *row = page.scanLine(y);
        if (y < top || y >= bottom) {
            std::fill(row, row + page.width(), uchar(255));
            continue;
        }
        std::fill(row, row + left, uchar(255));
        std::fill(row + right, row + page.width(), uchar(255));
    }
}

// A grey picture enlarged to `size` (at least as large on one side), each
// output pixel interpolated between the four source pixels around the spot
// it maps to, the source's corner on the output's (as Splash maps them).
QImage enlarged(const QImage &grey, const QSize &size)
{
    QImage out(size, QImage::Format_Grayscale8);
    if (out.isNull() || grey.isNull())
        return {};
    const int inWidth = grey.width(), inHeight = grey.height();
    // Source positions in 16.16 fixed point, clamped to the last pixel.
    const auto position = [](int at, int in, int outSize) {
        return std::min<qint64>(qint64(at) * in * 65536 / outSize, qint64(in - 1) * 65536);
    };
    std::vector<int> left(size_t(size.width())), weight(size_t(size.width()));
    for (int x = 0; x < size.width(); ++x) {
        const qint64 at = position(x, inWidth, size.width());
        left[size_t(x)] = int(at >> 16);
        weight[size_t(x)] = int(at & 0xffff);
    }
    std::vector<int> upper(static_cast<size_t>(inWidth));
    for (int y = 0; y < size.height(); ++y) {
        const qint64 at = position(y, inHeight, size.height());
        const int top = int(at >> 16), down = int(at & 0xffff);
        const uchar *a = grey.constScanLine(top);
        const uchar *b = grey.constScanLine(std::min(top + 1, inHeight - 1));
        // The row at this height, in 8.16 fixed point, then across it.
        for (int x = 0; x < inWidth; ++x)
            upper[size_t(x)] = (a[x] << 16) + (b[x] - a[x]) * down;
        uchar *row = out.scanLine(y);
        for (int x = 0; x < size.width(); ++x) {
            const int i = left[size_t(x)];
            const qint64 p = upper[size_t(i)], q = upper[size_t(std::min(i + 1, inWidth - 1))];
            row[x] = uchar((p + (((q - p) * weight[size_t(x)]) >> 16) + 32768) >> 16);
        }
    }
    return out;
}

// An image's rows of samples, one byte a sample, as Poppler's ImageStream
// gives them: a short or broken stream ends in bytes of all ones. A Flate
// image of 1 or 8 bits a sample without a predictor is inflated by zlib:
// Poppler's own inflater took half the time a 600 ppi scan took to read.
// Inline images are left to Poppler, which reads their data no further
// than it needs.
class ImageRows
{
public:
    ImageRows(Stream *str, bool inlineImage, int width, int components, int bits)
        : m_samplesPerRow(width * components), m_bits(bits)
    {
        if (!inlineImage && inflatable(str, bits) && inflateInit(&m_zlib) == Z_OK) {
            m_encoded = str->getNextStream();
            m_encoded->reset();
            m_row.resize((size_t(m_samplesPerRow) * bits + 7) / 8);
            m_samples.resize(bits == 8 ? 0 : size_t(m_samplesPerRow) + 7);
            m_input.resize(kInputChunk);
            return;
        }
        m_image = std::make_unique<ImageStream>(str, width, components, bits);
        m_image->reset();
    }
    ~ImageRows()
    {
        if (m_encoded) {
            inflateEnd(&m_zlib);
            m_encoded->close();
        } else {
            m_image->close();
        }
    }
    ImageRows(const ImageRows &) = delete;
    ImageRows &operator=(const ImageRows &) = delete;

    const unsigned char *next()
    {
        if (!m_encoded)
            return m_image->getLine();
        inflateRow();
        if (m_bits == 8)
            return m_row.data();
        for (int i = 0; i < m_samplesPerRow; ++i)
            m_samples[size_t(i)] = (m_row[size_t(i) / 8] >> (7 - i % 8)) & 1;
        return m_samples.data();
    }

private:
    static constexpr int kInputChunk = 64 * 1024;

    static bool inflatable(Stream *str, int bits)
    {
        if (str->getKind() != strFlate || (bits != 1 && bits != 8) || !str->getNextStream())
            return false;
        Dict *dict = str->getDict();
        if (!dict)
            return false;
        Object parameters = dict->lookup("DecodeParms");
        // Filters wrap one another in order: the Flate stream outside is the last.
        if (parameters.isArray())
            parameters = parameters.arrayGetLength() > 0 ? parameters.arrayGet(parameters.arrayGetLength() - 1)
                                                          : Object(objNull);
        if (parameters.isNull())
            return true;
        if (!parameters.isDict())
            return false;
        const Object predictor = parameters.dictLookup("Predictor");
        return predictor.isNull() || (predictor.isInt() && predictor.getInt() <= 1);
    }

    void inflateRow()
    {
        m_zlib.next_out = m_row.data();
        m_zlib.avail_out = uInt(m_row.size());
        while (m_zlib.avail_out > 0 && !m_ended) {
            if (m_zlib.avail_in == 0) {
                const int read = m_encoded->doGetChars(kInputChunk, m_input.data());
                if (read <= 0)
                    break;
                m_zlib.next_in = m_input.data();
                m_zlib.avail_in = uInt(read);
            }
            const int status = inflate(&m_zlib, Z_NO_FLUSH);
            m_ended = status != Z_OK;
        }
        std::fill(m_row.end() - m_zlib.avail_out, m_row.end(), 0xff);
    }

    const int m_samplesPerRow;
    const int m_bits;
    std::unique_ptr<ImageStream> m_image; // Poppler's reading, or
    Stream *m_encoded = nullptr; // the Flate data, inflated here
    z_stream m_zlib{};
    bool m_ended = false;
    std::vector<unsigned char> m_input, m_row, m_samples;
};

// Walks a page without drawing it; keeps the page's one image, decoded,
// when that image is all the page paints.
class ScanCapture final : public OutputDev
{
public:
    QImage picture;
    bool other = false; // the page paints something else too

    bool upsideDown() override { return true; }
    bool useDrawChar() override { return true; }
    bool interpretType3Chars() override { return false; }
    bool needNonText() override { return true; }

    void startPage(int, GfxState *state, XRef *) override
    {
        m_width = qRound(state->getPageWidth());
        m_height = qRound(state->getPageHeight());
    }

    void stroke(GfxState *) override { other = true; }
    void fill(GfxState *) override { other = true; }
    void eoFill(GfxState *) override { other = true; }
    void drawChar(GfxState *state, double, double, double, double, double, double, CharCode, int, const Unicode *,
                  int) override
    {
        if ((state->getRender() & 3) != 3) // 3: invisible; 7: a clip only
            other = true;
    }
    void drawImageMask(GfxState *, Object *, Stream *, int, int, bool, bool, bool) override { other = true; }
    void drawMaskedImage(GfxState *, Object *, Stream *, int, int, GfxImageColorMap *, bool, Stream *, int, int, bool,
                         bool) override
    {
        other = true;
    }
    // A picture with an alpha channel (a PNG's): Splash takes its colours
    // through Poppler's per-pixel colour conversion, enlarges picture and
    // mask apart and blends them pixel by pixel, the most of a photo
    // cover's time before OCR.
    void drawSoftMaskedImage(GfxState *state, Object *ref, Stream *str, int width, int height,
                             GfxImageColorMap *colorMap, bool, Stream *maskStr, int maskWidth, int maskHeight,
                             GfxImageColorMap *maskColorMap, bool) override
    {
        if (other || !picture.isNull() || !colorMap || !colorMap->isOk() || !maskColorMap || !maskColorMap->isOk()
            || maskColorMap->getMatteColor() || maskWidth <= 0 || maskHeight <= 0 || !opaque(state)) {
            other = true;
            return;
        }
        const SoftMask mask{maskStr, maskWidth, maskHeight, maskColorMap};
        picture = decodeOverPage(state, str, !ref, width, height, colorMap, &mask);
        other = picture.isNull();
    }

    // Transparency changes what the image's pixels come to on the page.
    void setSoftMask(GfxState *, const double *, bool, Function *, GfxColor *) override { other = true; }
    void paintTransparencyGroup(GfxState *state, const double *) override { other = other || !opaque(state); }

    void drawImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap,
                   bool, const int *maskColors, bool inlineImage) override
    {
        if (other || !picture.isNull() || maskColors || !colorMap || !colorMap->isOk() || !opaque(state)) {
            other = true;
            return;
        }
        picture = decodeOverPage(state, str, inlineImage || !ref, width, height, colorMap);
        other = picture.isNull();
    }

private:
    struct SoftMask {
        Stream *str;
        int width;
        int height;
        GfxImageColorMap *colorMap;
    };

    static bool opaque(const GfxState *state)
    {
        return state->getFillOpacity() >= 1 && state->getBlendMode() == gfxBlendNormal;
    }

    // The image drawn over the page as the page at its output size, or null
    // when it is turned by other than quarter turns, misses part of the
    // page, or is coarser and has no soft mask (blended over white paper
    // here, then averaged down or enlarged).
    QImage decodeOverPage(GfxState *state, Stream *str, bool inlineImage, int width, int height,
                          GfxImageColorMap *colorMap, const SoftMask *mask = nullptr) const
    {
        // The unit square to output pixels: x = a u + c v + e, y = b u + d v + f.
        const double *ctm = state->getCTM();
        const auto none = [](double value) { return std::abs(value) < 1e-6; };
        const bool upright = none(ctm[1]) && none(ctm[2]), quarterTurned = none(ctm[0]) && none(ctm[3]);
        if ((!upright && !quarterTurned) || m_width <= 0 || m_height <= 0)
            return {};
        const QRectF drawn = QTransform(ctm[0], ctm[1], ctm[2], ctm[3], ctm[4], ctm[5]).mapRect(QRectF(0, 0, 1, 1));
        const QRectF page(0, 0, m_width, m_height);
        const QRectF clip = clipBox(state);
        const double clipSlack = kClipSlack * qMax(m_width, m_height);
        // A clip a hair inside the page (a page box a fraction of a point
        // larger than the clip its producer set) leaves strips of paper.
        if (!nearlyEqual(drawn, page, kEdgeSlackPixels)
            || !clip.contains(page.adjusted(clipSlack, clipSlack, -clipSlack, -clipSlack)))
            return {};
        // The picture as the image lies, averaged down to the page's size
        // along its own rows and columns.
        const QSize lying = upright ? page.size().toSize() : page.size().toSize().transposed();
        const QSizeF lyingDrawn = upright ? drawn.size() : drawn.size().transposed();
        const bool fine = width >= kMinShrink * lyingDrawn.width() - 0.5 && height >= kMinShrink * lyingDrawn.height() - 0.5;
        if (!fine && !mask)
            return {};
        QImage lyingPicture = fine || (width >= lying.width() && height >= lying.height())
                                  ? averaged(str, inlineImage, width, height, colorMap, mask, lying)
                                  : enlargedPicture(str, inlineImage, width, height, colorMap, *mask, lying);
        if (lyingPicture.isNull())
            return {};
        // Image columns run along u, its rows down from v = 1 to v = 0.
        const auto sign = [&](double value) { return none(value) ? 0.0 : value > 0 ? 1.0 : -1.0; };
        const QTransform turn(sign(ctm[0]), sign(ctm[1]), -sign(ctm[2]), -sign(ctm[3]), 0, 0);
        QImage out = turn.isIdentity() ? lyingPicture : lyingPicture.transformed(turn);
        whitenOutside(out, clip);
        return out;
    }

    // The picture as the image lies, averaged down to `lying` along its own
    // rows and columns as it is decoded.
    static QImage averaged(Stream *str, bool inlineImage, int width, int height, GfxImageColorMap *colorMap,
                           const SoftMask *mask, const QSize &lying)
    {
        GreyAverager scaler(width, height, lying.width(), lying.height());
        if (scaler.isNull())
            return {};
        GreyRows rows(str, inlineImage, width, height, colorMap, mask);
        for (int y = 0; y < height; ++y)
            scaler.addRow(rows.next());
        return scaler.finish();
    }

    // The picture decoded whole, then enlarged to `lying`.
    static QImage enlargedPicture(Stream *str, bool inlineImage, int width, int height, GfxImageColorMap *colorMap,
                                  const SoftMask &mask, const QSize &lying)
    {
        if (qint64(width) * height > kMaxEnlargedPixels)
            return {};
        QImage native(width, height, QImage::Format_Grayscale8);
        if (native.isNull())
            return {};
        GreyRows rows(str, inlineImage, width, height, colorMap, &mask);
        for (int y = 0; y < height; ++y)
            std::copy_n(rows.next(), width, native.scanLine(y));
        return enlarged(native, lying);
    }

    // An image's rows in grey, over white paper where it has a soft mask
    // (taken at the nearest of its own pixels where its size differs).
    class GreyRows
    {
    public:
        GreyRows(Stream *str, bool inlineImage, int width, int height, GfxImageColorMap *colorMap,
                 const SoftMask *mask)
            : m_rows(str, inlineImage, width, colorMap->getNumPixelComps(), colorMap->getBits())
            , m_colorMap(colorMap)
            , m_height(height)
            , m_grey(size_t(width))
        {
            if (!mask)
                return;
            if (colorMap->getNumPixelComps() == 3 && colorMap->useRGBLine()
                && !colorMap->getColorSpace()->useGetGrayLine())
                m_rgbLine.resize(3 * size_t(width));
            m_mask = *mask;
            m_maskRows = std::make_unique<ImageRows>(mask->str, false, mask->width,
                                                     mask->colorMap->getNumPixelComps(), mask->colorMap->getBits());
            m_alpha.resize(size_t(mask->width));
            m_maskColumn.resize(size_t(width));
            for (int x = 0; x < width; ++x)
                m_maskColumn[size_t(x)] = int(qint64(x) * mask->width / width);
        }

        const unsigned char *next()
        {
            if (const unsigned char *samples = m_rows.next())
                toGrey(const_cast<unsigned char *>(samples));
            else // a short stream: Splash paints the missing rows as nothing, as here
                std::fill(m_grey.begin(), m_grey.end(), 255);
            if (m_maskRows) {
                const int maskRow = int(qint64(m_row) * m_mask.height / m_height);
                for (; m_maskRead <= maskRow; ++m_maskRead) {
                    if (const unsigned char *samples = m_maskRows->next())
                        m_mask.colorMap->getGrayLine(const_cast<unsigned char *>(samples), m_alpha.data(), m_mask.width);
                    else
                        std::fill(m_alpha.begin(), m_alpha.end(), 0);
                }
                for (size_t x = 0; x < m_grey.size(); ++x) {
                    const int alpha = m_alpha[size_t(m_maskColumn[x])];
                    m_grey[x] = uchar(255 - ((255 - m_grey[x]) * alpha + 127) / 255);
                }
            }
            ++m_row;
            return m_grey.data();
        }

    private:
        // A colour space with no grey line of its own (ICC-based RGB, a
        // photo's) converts pixel by pixel to grey through RGB: here the
        // line goes to RGB at once and to grey as Poppler weighs it.
        void toGrey(unsigned char *samples)
        {
            const int width = int(m_grey.size());
            if (!m_rgbLine.empty()) {
                m_colorMap->getRGBLine(samples, m_rgbLine.data(), width);
                for (size_t x = 0; x < m_grey.size(); ++x) {
                    const unsigned char *rgb = &m_rgbLine[3 * x];
                    const auto grey = GfxColorComp(0.3 * byteToCol(rgb[0]) + 0.59 * byteToCol(rgb[1])
                                                   + 0.11 * byteToCol(rgb[2]) + 0.5);
                    m_grey[x] = colToByte(std::clamp<GfxColorComp>(grey, 0, gfxColorComp1));
                }
                return;
            }
            m_colorMap->getGrayLine(samples, m_grey.data(), width);
        }

        ImageRows m_rows;
        GfxImageColorMap *m_colorMap;
        int m_height;
        std::vector<unsigned char> m_grey;
        std::vector<unsigned char> m_rgbLine;
        SoftMask m_mask{};
        std::unique_ptr<ImageRows> m_maskRows;
        std::vector<unsigned char> m_alpha;
        std::vector<int> m_maskColumn;
        int m_row = 0;
        int m_maskRead = 0;
    };

    static QRectF clipBox(GfxState *state)
    {
        double x0, y0, x1, y1;
        state->getClipBBox(&x0, &y0, &x1, &y1);
        return QRectF(QPointF(x0, y0), QPointF(x1, y1));
    }

    static bool nearlyEqual(const QRectF &a, const QRectF &b, double slack)
    {
        return std::abs(a.left() - b.left()) <= slack && std::abs(a.top() - b.top()) <= slack
            && std::abs(a.right() - b.right()) <= slack && std::abs(a.bottom() - b.bottom()) <= slack;
    }

    int m_width = 0;
    int m_height = 0;
};

bool stopOnOtherPaint(void *capture)
{
    return static_cast<ScanCapture *>(capture)->other;
}

} // namespace

QImage readScannedPage(PDFDoc &doc, int pageNumber, double dpi)
{
    if (pageNumber < 1 || pageNumber > doc.getNumPages() || dpi <= 0)
        return {};
    ScanCapture capture;
    // As poppler-cpp renders: the crop box, the page's rotation, annotations drawn.
    doc.displayPageSlice(&capture, pageNumber, dpi, dpi, 0, false, true, false, -1, -1, -1, -1, stopOnOtherPaint,
                         &capture, nullptr, nullptr, false);
    if (capture.other)
        return {};
    return capture.picture;
}

} // namespace DocRay
