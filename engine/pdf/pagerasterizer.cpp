#include "engine/pdf/pagerasterizer.h"

#include "engine/core/vectorstate.h"
#include "engine/pdf/ccittimage.h"
#include "engine/pdf/glyphbitmaps.h"

#include <GfxFont.h>
#include <GfxState.h>
#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <Stream.h>
#include <splash/Splash.h>
#include <splash/SplashBitmap.h>
#include <splash/SplashFont.h>
#include <splash/SplashMath.h>

#include <array>
#include <cmath>
#include <cstring>
#include <optional>
#include <vector>

namespace DocRay {

namespace {

// Below this many pixels a mask is a glyph or a rule: Splash's own reading.
constexpr qint64 kLargeMaskPixels = 1 << 20;
// A Group 4 mask decoded whole takes this much memory at most (a gigapixel
// page); larger ones are read a row at a time.
constexpr qint64 kMaxDecodedMaskBytes = 128 << 20;

// Each byte of a 1-bit row as its eight pixels, one a byte, first bit first.
const std::array<std::array<unsigned char, 8>, 256> kSpreadBits = [] {
    std::array<std::array<unsigned char, 8>, 256> spread{};
    for (int byte = 0; byte < 256; ++byte)
        for (int bit = 0; bit < 8; ++bit)
            spread[byte][bit] = (byte >> (7 - bit)) & 1;
    return spread;
}();

// A mask's rows as Splash's fill asks for them: 1 where the mask paints.
// They come packed from the stream a row at a time or, where the mask is
// CCITT Group 4 data, from the image libtiff decoded.
struct PackedMaskRows {
    Stream *stream;
    const CcittImage *decoded; // null: read from the stream
    int width;
    int height;
    unsigned char flip; // 0xff where a 0 bit paints (the mask's /Decode [0 1])
    int y = 0;
    std::vector<unsigned char> packed;

    const unsigned char *nextPacked()
    {
        if (decoded)
            return decoded->row(y);
        const int read = qMax(0, stream->doGetChars(int(packed.size()), packed.data()));
        std::fill(packed.begin() + read, packed.end(), 0xff); // a short stream reads on as EOF bytes
        return packed.data();
    }

    static bool next(void *data, SplashColorPtr line)
    {
        auto *rows = static_cast<PackedMaskRows *>(data);
        if (rows->y == rows->height)
            return false;
        const unsigned char *bits = rows->nextPacked();
        const int whole = rows->width / 8;
        for (int i = 0; i < whole; ++i)
            std::memcpy(line + 8 * i, kSpreadBits[bits[i] ^ rows->flip].data(), 8);
        if (const int rest = rows->width % 8)
            std::memcpy(line + 8 * whole, kSpreadBits[bits[whole] ^ rows->flip].data(), rest);
        ++rows->y;
        return true;
    }
};

// Splash reads an image mask through a stream that unpacks each pixel to a
// byte, then copies each byte again to flip it: a book's 93-megapixel
// scanned drawing spent a third of its render there. A large mask's rows
// are read here packed and spread through a table, to the same pixels.
// Filled text is drawn from the document's glyph bitmaps (glyphbitmaps.h).
// This device previews no overprint: the overprint mask Poppler's own
// reading sets first is always the full one, already set.
class RasterDevice final : public SplashOutputDev
{
public:
    using SplashOutputDev::SplashOutputDev;

    // Splash's current font follows the text state on its own next
    // drawChar after any of these; until then the glyphs go its way.
    void startPage(int pageNum, GfxState *state, XRef *xref) override
    {
        SplashOutputDev::startPage(pageNum, state, xref);
        m_fontPending = true;
    }
    void updateFont(GfxState *state) override
    {
        SplashOutputDev::updateFont(state);
        m_fontPending = true;
    }
    void restoreState(GfxState *state) override
    {
        SplashOutputDev::restoreState(state);
        m_fontPending = true;
    }
    bool beginType3Char(GfxState *state, double x, double y, double dx, double dy, CharCode code, const Unicode *u,
                        int uLen) override
    {
        m_fontPending = true;
        return SplashOutputDev::beginType3Char(state, x, y, dx, dy, code, u, uLen);
    }
    void endType3Char(GfxState *state) override
    {
        SplashOutputDev::endType3Char(state);
        m_fontPending = true;
    }

    // What SplashOutputDev::drawChar does for filled text (render mode 0
    // in a marking colour), with the glyph from the document's bitmaps
    // instead of Splash's small cache: the same pixels in the same place.
    void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX, double originY,
                  CharCode code, int nBytes, const Unicode *u, int uLen) override
    {
        SplashFont *font = getCurrentFont();
        const GfxFont *pdfFont = state->getFont().get();
        GfxColorSpace *fill = state->getFillColorSpace();
        if (m_fontPending || !font || !pdfFont || state->getRender() != 0 || fill->isNonMarking()
            || fill->getMode() == csPattern) {
            SplashOutputDev::drawChar(state, x, y, dx, dy, originX, originY, code, nBytes, u, uLen);
            m_fontPending = m_fontPending && state->getRender() == 3; // invisible text updates no font
            return;
        }
        Splash *splash = getSplash();
        const SplashCoord *matrix = splash->getMatrix();
        const SplashCoord atX = x - originX;
        const SplashCoord atY = y - originY;
        // Splash::transform's arithmetic, term for term.
        const SplashCoord xt = atX * matrix[0] + atY * matrix[2] + matrix[4];
        const SplashCoord yt = atX * matrix[1] + atY * matrix[3] + matrix[5];
        const int x0 = splashFloor(xt);
        const int y0 = splashFloor(yt);
        const GlyphBitmaps::Position at{x0, y0, splashFloor((xt - x0) * splashFontFraction),
                                        splashFloor((yt - y0) * splashFontFraction)};
        if (const SplashGlyphBitmap *glyph
            = m_glyphs.glyph(*pdfFont->getID(), *font, static_cast<int>(code), at, splash->getClip())) {
            SplashGlyphBitmap drawn = *glyph;
            splash->fillGlyph(atX, atY, &drawn);
        }
    }

    void drawImageMask(GfxState *state, Object *ref, Stream *str, int width, int height, bool invert,
                       bool interpolate, bool inlineImg) override
    {
        if (inlineImg || width <= 0 || height <= 0 || qint64(width) * height < kLargeMaskPixels) {
            SplashOutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
            return;
        }
        if (state->getFillColorSpace()->isNonMarking())
            return;
        const double *ctm = state->getCTM();
        for (int i = 0; i < 6; ++i) {
            if (!std::isfinite(ctm[i]))
                return;
        }
        SplashCoord matrix[6] = {ctm[0], ctm[1], -ctm[2], -ctm[3], ctm[2] + ctm[4], ctm[3] + ctm[5]};
        const std::optional<CcittImage> decoded = CcittImage::decode(str, width, height, kMaxDecodedMaskBytes);
        PackedMaskRows rows{str, decoded ? &*decoded : nullptr, width, height,
                            static_cast<unsigned char>(invert ? 0x00 : 0xff), 0,
                            std::vector<unsigned char>(decoded ? 0 : (size_t(width) + 7) / 8)};
        if (!decoded)
            str->reset();
        getSplash()->fillImageMask(&PackedMaskRows::next, &rows, width, height, matrix, false);
        if (!decoded)
            str->close();
    }

private:
    GlyphBitmaps m_glyphs;
    bool m_fontPending = true;
};

} // namespace

PageRasterizer::PageRasterizer(PDFDoc &doc, RasterColour colour)
    : m_doc(doc)
    , m_colour(colour)
{
    SplashColor paper;
    paper[0] = paper[1] = paper[2] = 0xff;
    m_device = std::make_unique<RasterDevice>(colour == RasterColour::Grey ? splashModeMono8 : splashModeXBGR8, 4,
                                              false, paper, true, splashThinLineDefault);
    m_device->setFontAntialias(true);
    m_device->setVectorAntialias(true);
    m_device->setFreeTypeHinting(false, false);
    m_device->startDoc(&m_doc); // the font engine, with the settings above
}

PageRasterizer::~PageRasterizer() = default;

QImage PageRasterizer::render(int pageIndex, double dpi, int quarterTurns, const QRect &slice)
{
    if (!m_doc.isOk() || pageIndex < 0 || pageIndex >= m_doc.getNumPages() || !m_doc.getPage(pageIndex + 1) || dpi <= 0)
        return {};
    clearUpperVectorState();
    const bool whole = slice.isNull();
    // Through the document's own cross-reference table, not a copy of it
    // per render as poppler-cpp makes for its threads: one thread at a time
    // draws `m_doc`, and a copy is the whole table (5 MB for a 2,000-page
    // document) again for every page.
    m_doc.displayPageSlice(m_device.get(), pageIndex + 1, dpi, dpi, 90 * (quarterTurns & 3), false, true, false,
                           whole ? -1 : slice.x(), whole ? -1 : slice.y(), whole ? -1 : slice.width(),
                           whole ? -1 : slice.height(), nullptr, nullptr, nullptr, nullptr, false);
    // The picture leaves with its pixels; the device makes itself a new one
    // for the next page.
    SplashBitmap *bitmap = m_device->takeBitmap();
    if (!bitmap || bitmap->getWidth() <= 0 || bitmap->getHeight() <= 0) {
        delete bitmap;
        return {};
    }
    return QImage(bitmap->getDataPtr(), bitmap->getWidth(), bitmap->getHeight(), bitmap->getRowSize(),
                  m_colour == RasterColour::Grey ? QImage::Format_Grayscale8 : QImage::Format_ARGB32,
                  [](void *picture) { delete static_cast<SplashBitmap *>(picture); }, bitmap);
}

} // namespace DocRay
