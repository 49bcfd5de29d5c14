#include "engine/pdf/glyphbitmaps.h"

#include <goo/gmem.h>
#include <splash/SplashFont.h>

#include <algorithm>
#include <functional>
#include <utility>

namespace DocRay {

namespace {

// A document's glyphs past this many bytes start over: a bound on what a
// hostile document's fonts can make the device hold. A glyph larger than
// a megabyte (a letter a page tall) is drawn once and not kept.
constexpr std::size_t kMaxBytes = 32 << 20;
constexpr std::size_t kMaxGlyphBytes = 1 << 20;
// What a kept glyph costs besides its pixels: its key, its entry, the
// hash table's node and bucket.
constexpr std::size_t kEntryOverhead = 160;
constexpr int kMaxShiftedGlyphHeight = 50;

// What Splash keeps to itself about a font, read through a pointer to
// member, which a derived class may form for any SplashFont.
struct SplashFontFields : SplashFont {
    static const SplashCoord *textMatrix(SplashFont &font) { return font.*(&SplashFontFields::textMat); }
    static bool antialiased(SplashFont &font) { return font.*(&SplashFontFields::aa); }
    static int glyphHeight(SplashFont &font) { return font.*(&SplashFontFields::glyphH); }
};

} // namespace

bool GlyphBitmaps::Key::operator==(const Key &other) const
{
    return fontId == other.fontId && matrices == other.matrices && code == other.code && xFrac == other.xFrac
        && yFrac == other.yFrac;
}

std::size_t GlyphBitmaps::KeyHash::operator()(const Key &key) const
{
    std::size_t hash = std::hash<int>()(key.fontId.num) ^ (std::hash<int>()(key.fontId.gen) << 1);
    for (const SplashCoord value : key.matrices)
        hash = hash * 1000003u ^ std::hash<SplashCoord>()(value);
    return (hash * 1000003u ^ std::hash<int>()(key.code)) * 31u + std::size_t(key.xFrac * 4 + key.yFrac);
}

const SplashGlyphBitmap *GlyphBitmaps::glyph(const Ref &fontId, SplashFont &font, int code, Position at,
                                             SplashClip *clip)
{
    // SplashFont::getGlyph's rule: glyphs over 50 pixels tall, or drawn
    // without anti-aliasing, land on whole pixels.
    if (!SplashFontFields::antialiased(font) || SplashFontFields::glyphHeight(font) > kMaxShiftedGlyphHeight)
        at.xFrac = at.yFrac = 0;
    Key key{fontId, {}, code, at.xFrac, at.yFrac};
    const SplashCoord *matrix = font.getMatrix();
    const SplashCoord *textMatrix = SplashFontFields::textMatrix(font);
    std::copy(matrix, matrix + 4, key.matrices.begin());
    std::copy(textMatrix, textMatrix + 4, key.matrices.begin() + 4);
    if (auto found = m_glyphs.find(key); found != m_glyphs.end())
        return found->second.bitmap.w > 0 ? &found->second.bitmap : nullptr;

    // Splash renders nothing for a glyph outside the clip, and that is no
    // glyph to keep; the pixels of one it renders do not depend on where.
    SplashClipResult clipped = splashClipAllInside;
    SplashGlyphBitmap made{};
    const bool rendered = font.makeGlyph(code, at.xFrac, at.yFrac, &made, at.x0, at.y0, clip, &clipped);
    if (rendered && clipped == splashClipAllOutside) {
        if (made.freeData)
            gfree(made.data);
        return nullptr;
    }
    const bool drawable = rendered && made.data && made.w > 0 && made.h > 0;
    const std::size_t bytes = drawable ? std::size_t(made.aa ? made.w : (made.w + 7) / 8) * std::size_t(made.h) : 0;
    if (bytes > kMaxGlyphBytes) {
        m_unkept = UnkeptGlyph(made);
        return &m_unkept.bitmap;
    }
    Entry entry;
    if (drawable) {
        entry.pixels.assign(made.data, made.data + bytes);
        entry.bitmap = made;
        entry.bitmap.data = entry.pixels.data();
        entry.bitmap.freeData = false;
    }
    if (made.freeData)
        gfree(made.data);
    if (m_bytes + bytes + kEntryOverhead > kMaxBytes) {
        m_glyphs.clear();
        m_bytes = 0;
    }
    m_bytes += bytes + kEntryOverhead;
    const Entry &kept = m_glyphs.emplace(key, std::move(entry)).first->second;
    return kept.bitmap.w > 0 ? &kept.bitmap : nullptr;
}

GlyphBitmaps::UnkeptGlyph &GlyphBitmaps::UnkeptGlyph::operator=(UnkeptGlyph &&other) noexcept
{
    std::swap(bitmap, other.bitmap);
    return *this;
}

GlyphBitmaps::UnkeptGlyph::~UnkeptGlyph()
{
    if (bitmap.freeData)
        gfree(bitmap.data);
}

} // namespace DocRay
