#pragma once

#include <Object.h>
#include <splash/SplashGlyphBitmap.h>
#include <splash/SplashTypes.h>

#include <array>
#include <cstddef>
#include <unordered_map>
#include <vector>

class SplashClip;
class SplashFont;

namespace DocRay {

// Every glyph bitmap a Splash device has drawn for one document, kept for
// the document. Splash's own cache holds 16 to 256 glyphs per font and
// size (fewer the larger the glyph), so a page of body text at 100-150 dpi
// had most of its characters rasterized again from their outlines: 36 % of
// `convert`'s instructions on a paper set in Type 1 fonts. A glyph is the
// same pixels wherever it lands, so it is rasterized once here, by the
// PDF font it comes from and the matrices Splash rasterizes it with.
// One thread at a time, like the device it serves.
class GlyphBitmaps
{
public:
    // Where a glyph lands, as Splash::fillChar reckons it: the pixel and,
    // in quarters of a pixel, how far into it.
    struct Position {
        int x0, y0;
        int xFrac, yFrac;
    };

    // The glyph `code` of `font` (loaded from the PDF font `fontId`) as
    // Splash draws it at `at` inside `clip`; null where Splash draws
    // nothing: it has no glyph for the code, or (a glyph not rasterized
    // before) it lies wholly outside `clip`. Valid until the next call.
    const SplashGlyphBitmap *glyph(const Ref &fontId, SplashFont &font, int code, Position at, SplashClip *clip);

private:
    struct Key {
        Ref fontId;
        std::array<SplashCoord, 8> matrices; // the font's and the text's, as Splash holds them
        int code;
        int xFrac, yFrac;
        bool operator==(const Key &other) const;
    };
    struct KeyHash {
        std::size_t operator()(const Key &key) const;
    };
    struct Entry {
        SplashGlyphBitmap bitmap{}; // data points into `pixels`; w == 0: no glyph
        std::vector<unsigned char> pixels;
    };

    // A glyph too large to keep, as Splash rasterized it, until the next one.
    struct UnkeptGlyph {
        UnkeptGlyph() = default;
        explicit UnkeptGlyph(const SplashGlyphBitmap &made) : bitmap(made) {}
        UnkeptGlyph(const UnkeptGlyph &) = delete;
        UnkeptGlyph &operator=(UnkeptGlyph &&other) noexcept;
        ~UnkeptGlyph();
        SplashGlyphBitmap bitmap{};
    };

    std::unordered_map<Key, Entry, KeyHash> m_glyphs;
    std::size_t m_bytes = 0;
    UnkeptGlyph m_unkept;
};

} // namespace DocRay
