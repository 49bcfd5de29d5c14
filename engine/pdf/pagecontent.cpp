#include "engine/pdf/pagecontent.h"

#include "engine/core/vectorstate.h"
#include "engine/layout/pageregions.h"
#include "engine/layout/textpatterns.h"
#include "engine/pdf/scannedpage.h"

// Poppler's own classes (libpoppler-private-dev): the only way to walk a
// page's drawing operators without painting them. The library is built with
// TextOutputDev's word list, which changes its classes' layout.
#define TEXTOUT_WORD_LIST 1
#include <Error.h>
#include <GfxState.h>
#include <GlobalParams.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <QFile>
#include <QHash>
#include <QLoggingCategory>
#include <QSet>

#include <algorithm>
#include <array>
#include <numeric>
#include <optional>

Q_LOGGING_CATEGORY(lcPageContent, "docray.pdf.content", QtWarningMsg)

namespace DocRay {

namespace {

// Paint lighter than this in every channel is paper, as for the analysis.
constexpr double kPaperLevel = kPaintGrey / 255.0;
// A page drawing more pieces than this (a hostile one: a million rectangles)
// is taken as painted: laying them all out would cost more than a render.
constexpr qsizetype kMaxBoxes = 2000;

// Space glyphs a page's words remember at most (a hostile page draws millions).
constexpr qsizetype kMaxSpaces = 100000;
// How far from a word's end, in sizes of its type, the space drawn after it
// starts: letters set tighter than their advances overlap the space.
constexpr double kSpaceReach = 0.35;
// ...and how far past its end: no further than rounding, or the space after
// a full stop would count for the word before the stop.
constexpr double kSpaceSlack = 0.05;

bool isPaper(const GfxRGB &rgb)
{
    return colToDbl(rgb.r) >= kPaperLevel && colToDbl(rgb.g) >= kPaperLevel && colToDbl(rgb.b) >= kPaperLevel;
}

bool isPresentationForm(Unicode c)
{
    return (c >= 0xFB1D && c <= 0xFDFF) || (c >= 0xFE70 && c <= 0xFEFF); // Hebrew and Arabic
}

bool isRightToLeftLetter(QChar::Direction direction)
{
    return direction == QChar::DirR || direction == QChar::DirAL;
}

// A glyph's text as the words are put together: right-to-left words are
// read in visual order and reversed character by character later, so a
// ligature's letters (lam-alef: one glyph, two letters in logical order)
// go in reversed, to come out in their order; presentation forms (the
// shaped letter "ﻷ") become the letters readers and search know. Empty
// where the glyph's text stays as it is.
QList<uint> textInVisualOrder(const Unicode *u, int length)
{
    if (std::none_of(u, u + length, isPresentationForm) && (length < 2 || !isRightToLeftLetter(QChar::direction(char32_t(u[0])))))
        return {};
    QString text = QString::fromUcs4(reinterpret_cast<const char32_t *>(u), length);
    text = text.normalized(QString::NormalizationForm_KC);
    if (!text.isEmpty() && isRightToLeftLetter(text.at(0).direction()))
        text = reversedByCharacter(text);
    return text.toUcs4();
}

// The words of a page as TextOutputDev reads them and, when asked, the
// device-space boxes (points, y down) of everything drawn but text. Painting
// needs Gfx to hand over images and patterns, which a text-only device skips;
// patterns and shadings come as one box each (their clip), so no tile is ever
// drawn and no text inside one reaches the words: they are the words a
// text-only reading gives.
class ContentRecorder final : public TextOutputDev
{
public:
    explicit ContentRecorder(bool recordPaint)
        : TextOutputDev(nullptr, false, 0, false, false) // text_list()'s settings: reading order, no physical layout
        , m_recordPaint(recordPaint)
    {
    }

    QList<QRectF> boxes;
    QList<QRectF> images;
    bool saturated = false; // more than kMaxBoxes: boxes holds the first ones
    // Space glyphs set along a horizontal line (device space, y down): the
    // word list splits words at them but keeps no trace of them.
    struct DrawnSpace {
        double baseline, left;
    };
    QList<DrawnSpace> spaces;
    QSizeF page() const { return m_page.size(); }

    bool needNonText() override { return m_recordPaint; }
    bool useTilingPatternFill() override { return m_recordPaint; }
    bool useShadedFills(int type) override { return m_recordPaint || TextOutputDev::useShadedFills(type); }

    void drawChar(GfxState *state, double x, double y, double dx, double dy, double originX, double originY, CharCode c,
                  int nBytes, const Unicode *u, int uLen) override
    {
        ++m_chars;
        if ((state->getRender() & 3) == 3) // 3: invisible; 7: a clip only
            ++m_hiddenChars;
        if (uLen == 1 && u[0] == 0x20)
            recordSpace(state, x, y, dx, dy);
        const QList<uint> visual = textInVisualOrder(u, uLen);
        if (!visual.isEmpty()) {
            TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, visual.constData(),
                                    int(visual.size()));
            return;
        }
        TextOutputDev::drawChar(state, x, y, dx, dy, originX, originY, c, nBytes, u, uLen);
    }

    bool textHidden() const { return m_chars > 0 && m_hiddenChars * 10 >= m_chars * 9; }

    // The word list keeps no character set past the page's right or bottom
    // edge, and a line too long for its column (a typesetter's overfull
    // box) runs on past the edge mid-word: the word list is made for a page
    // twice as wide and high, and the words the page's edge cuts are read
    // whole (those wholly off the page are left out in read()).
    void startPage(int pageNum, GfxState *state, XRef *xref) override
    {
        const double grow = std::max(state->getX2() - state->getX1(), state->getY2() - state->getY1());
        const PDFRectangle grown(state->getX1() - grow, state->getY1() - grow, state->getX2() + grow, state->getY2() + grow);
        GfxState wider(state->getHDPI(), state->getVDPI(), &grown, state->getRotate(), true);
        TextOutputDev::startPage(pageNum, &wider, xref);
        m_page = QRectF(0, 0, state->getPageWidth(), state->getPageHeight());
    }

    void stroke(GfxState *state) override
    {
        TextOutputDev::stroke(state);
        GfxRGB rgb;
        state->getStrokeRGB(&rgb);
        if (!m_recordPaint || isPaper(rgb) || state->getStrokeOpacity() <= 0)
            return;
        const double half = std::max(state->getTransformedLineWidth(), 0.5) / 2;
        addPath(state, half);
    }
    void fill(GfxState *state) override
    {
        TextOutputDev::fill(state);
        fillPath(state);
    }
    void eoFill(GfxState *state) override
    {
        TextOutputDev::eoFill(state);
        fillPath(state);
    }

    bool tilingPatternFill(GfxState *state, Gfx *, Catalog *, GfxTilingPattern *, const double *, int, int, int, int,
                           double, double) override
    {
        return addClip(state);
    }
    bool functionShadedFill(GfxState *state, GfxFunctionShading *) override { return addClip(state); }
    bool axialShadedFill(GfxState *state, GfxAxialShading *, double, double) override { return addClip(state); }
    bool radialShadedFill(GfxState *state, GfxRadialShading *, double, double) override { return addClip(state); }
    bool gouraudTriangleShadedFill(GfxState *state, GfxGouraudTriangleShading *) override { return addClip(state); }
    bool patchMeshShadedFill(GfxState *state, GfxPatchMeshShading *) override { return addClip(state); }

    // The base class skips an inline image's bytes; the box is the unit square under the CTM.
    void drawImageMask(GfxState *state, Object *ref, Stream *str, int width, int height, bool invert,
                       bool interpolate, bool inlineImg) override
    {
        GfxRGB rgb;
        state->getFillRGB(&rgb);
        if (!isPaper(rgb))
            addImage(state);
        OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
    }
    void drawImage(GfxState *state, Object *ref, Stream *str, int width, int height, GfxImageColorMap *colorMap,
                   bool interpolate, const int *maskColors, bool inlineImg) override
    {
        addImage(state);
        OutputDev::drawImage(state, ref, str, width, height, colorMap, interpolate, maskColors, inlineImg);
    }
    void drawMaskedImage(GfxState *state, Object *, Stream *, int, int, GfxImageColorMap *, bool, Stream *, int, int,
                         bool, bool) override
    {
        addImage(state);
    }
    void drawSoftMaskedImage(GfxState *state, Object *, Stream *, int, int, GfxImageColorMap *, bool, Stream *, int,
                             int, GfxImageColorMap *, bool) override
    {
        addImage(state);
    }

private:
    const bool m_recordPaint;

    void recordSpace(GfxState *state, double x, double y, double dx, double dy)
    {
        double left, baseline, width, rise;
        state->transform(x, y, &left, &baseline);
        state->transformDelta(dx, dy, &width, &rise);
        if (spaces.size() < kMaxSpaces && width > 0 && std::abs(rise) < 0.01 * width)
            spaces.append({baseline, left});
    }
    QRectF m_page;
    qint64 m_chars = 0;
    qint64 m_hiddenChars = 0;

    void fillPath(GfxState *state)
    {
        GfxRGB rgb;
        state->getFillRGB(&rgb);
        if (!m_recordPaint || isPaper(rgb) || state->getFillOpacity() <= 0)
            return;
        addPath(state, 0);
    }

    void addImage(GfxState *state)
    {
        const qsizetype before = boxes.size();
        addBox(state, unitSquare(state));
        if (boxes.size() > before)
            images.append(boxes.last());
    }

    bool addClip(GfxState *state)
    {
        double x0, y0, x1, y1;
        state->getClipBBox(&x0, &y0, &x1, &y1);
        addBox(state, QRectF(QPointF(x0, y0), QPointF(x1, y1)));
        return true;
    }

    void addBox(GfxState *state, const QRectF &box)
    {
        if (saturated)
            return;
        double x0, y0, x1, y1;
        state->getClipBBox(&x0, &y0, &x1, &y1);
        if (x1 <= x0 || y1 <= y0)
            return; // clipped away entirely
        // Strokes carry half their width around them: nothing painted is flat.
        const QRectF visible = box.normalized() & QRectF(QPointF(x0, y0), QPointF(x1, y1)) & m_page;
        if (visible.isEmpty())
            return;
        if (boxes.size() >= kMaxBoxes) {
            saturated = true;
            return;
        }
        boxes.append(visible);
    }

    // One box per subpath: a path may hold far-apart pieces (printer's
    // crop marks in all four corners, off the page) whose joint box would
    // be the whole page.
    void addPath(GfxState *state, double margin)
    {
        const GfxPath *path = state->getPath();
        for (int s = 0; s < path->getNumSubpaths(); ++s) {
            const GfxSubpath *subpath = path->getSubpath(s);
            double left = 0, top = 0, right = 0, bottom = 0;
            for (int p = 0; p < subpath->getNumPoints(); ++p) {
                double x, y;
                state->transform(subpath->getX(p), subpath->getY(p), &x, &y);
                left = p == 0 ? x : std::min(left, x);
                right = p == 0 ? x : std::max(right, x);
                top = p == 0 ? y : std::min(top, y);
                bottom = p == 0 ? y : std::max(bottom, y);
            }
            if (subpath->getNumPoints() > 0)
                addBox(state, QRectF(QPointF(left, top), QPointF(right, bottom)).adjusted(-margin, -margin, margin, margin));
        }
    }

    static QRectF unitSquare(GfxState *state)
    {
        double xs[4], ys[4];
        state->transform(0, 0, &xs[0], &ys[0]);
        state->transform(1, 0, &xs[1], &ys[1]);
        state->transform(0, 1, &xs[2], &ys[2]);
        state->transform(1, 1, &xs[3], &ys[3]);
        return QRectF(QPointF(*std::min_element(xs, xs + 4), *std::min_element(ys, ys + 4)),
                      QPointF(*std::max_element(xs, xs + 4), *std::max_element(ys, ys + 4)));
    }
};

// How far a font's glyphs advance on a page, per em: many fonts of code
// and terminals (IBM's BookMaster, say) have no "mono" in their name, and
// the fixed-pitch flag of a font's descriptor is set on proportional TeX
// fonts too; but every glyph of a font of code advances alike, which no
// text face does over a few different letters.
class GlyphAdvances
{
public:
    void add(const TextWord &word)
    {
        const double size = word.getFontSize();
        if (size <= 0)
            return;
        for (int i = 0; i < word.getLength(); ++i) {
            if (word.getFontInfo(i) != word.getFontInfo(0))
                return;
            const double advance = qAbs(word.getEdge(i + 1) - word.getEdge(i)) / size;
            m_least = qMin(m_least, advance);
            m_most = qMax(m_most, advance);
            const Unicode c = *word.getChar(i);
            // Ideographs and kana are all one em wide in every face.
            if (QChar::script(c) == QChar::Script_Latin && QChar::isLetter(c) && m_letters.size() < kLetters)
                m_letters.insert(c);
        }
    }
    bool allAlike() const { return m_letters.size() >= kLetters && m_most <= m_least * 1.04 && m_least > 0; }

private:
    static constexpr int kLetters = 5; // different Latin letters seen before judging
    QSet<Unicode> m_letters;
    double m_least = 1e9;
    double m_most = 0;
};

// The turn that sets the page's text upright, where at least two thirds
// of its characters run one same way other than left to right: a landscape
// page (a wide table, a chart) drawn turned on a portrait one.
int turnToUpright(const QList<const TextWord *> &words)
{
    std::array<int, 4> characters{};
    for (const TextWord *word : words)
        characters[word->getRotation() & 3] += word->getLength();
    const int total = std::accumulate(characters.cbegin(), characters.cend(), 0);
    for (int rotation = 1; rotation < 4; ++rotation)
        if (total > 0 && characters[rotation] * 3 >= total * 2)
            return (4 - rotation) % 4;
    return 0;
}

// Whether the page draws a space glyph right after a word: its line's
// baseline runs through the word, and the space starts where the word
// ends (or inside its last letter). `spaces` are sorted by baseline.
bool spaceDrawnAfter(const QList<ContentRecorder::DrawnSpace> &spaces, const QRectF &word, double fontSize)
{
    const double reach = kSpaceReach * std::max(fontSize, 1.0);
    auto space = std::lower_bound(spaces.cbegin(), spaces.cend(), word.top(),
                                  [](const ContentRecorder::DrawnSpace &s, double top) { return s.baseline < top; });
    for (; space != spaces.cend() && space->baseline <= word.bottom(); ++space)
        if (space->left >= word.right() - reach && space->left <= word.right() + kSpaceSlack * std::max(fontSize, 1.0))
            return true;
    return false;
}

} // namespace

void keepPopplerSettings()
{
    // Never destroyed: threads still reading at exit keep them.
    static const GlobalParamsIniter *const settings = new GlobalParamsIniter(
        [](ErrorCategory, Goffset, const char *message) { qCDebug(lcPageContent) << message; });
    Q_UNUSED(settings);
}

PageContentReader::PageContentReader(const PdfSource &pdf, const QString &password)
    : m_pdf(pdf)
{
    keepPopplerSettings();
    std::optional<GooString> secret;
    if (!password.isEmpty())
        secret.emplace(password.toStdString());
    if (m_pdf.isFile()) {
        m_doc = std::make_unique<PDFDoc>(std::make_unique<GooString>(QFile::encodeName(m_pdf.path()).toStdString()),
                                         secret, secret);
    } else {
        const QByteArray &bytes = m_pdf.bytes();
        m_doc = std::make_unique<PDFDoc>(new MemStream(bytes.constData(), 0, bytes.size(), Object(objNull)), secret, secret);
    }
}

PageContentReader::~PageContentReader() = default;

bool PageContentReader::isValid() const
{
    return m_doc && m_doc->isOk();
}

// Once a page, whichever comes first: its read, its render or its picture.
void PageContentReader::preparePage(int pageIndex) const
{
    if (!m_preparedPages.insert(pageIndex).second)
        return;
    m_fontFiles.prepare(*m_doc, pageIndex + 1);
    m_deviceColours.prepare(*m_doc, pageIndex + 1);
}

PageContentReader::PageContent PageContentReader::read(int pageIndex, bool withPaint, int quarterTurns) const
{
    PageContent content;
    if (!isValid() || pageIndex < 0 || pageIndex >= m_doc->getNumPages())
        return content;
    clearUpperVectorState();
    preparePage(pageIndex);
    ContentRecorder recorder(withPaint);
    // text_list()'s page: the crop box, the page's rotation, annotations drawn.
    m_doc->displayPageSlice(&recorder, pageIndex + 1, 72, 72, 90 * quarterTurns, false, false, false, -1, -1, -1, -1,
                            nullptr, nullptr, nullptr, nullptr, false);
    if (withPaint)
        content.paint = {recorder.page(), recorder.boxes, recorder.images, recorder.saturated};
    const std::unique_ptr<TextWordList> list = recorder.makeWordList();
    if (!list)
        return content;
    const QRectF page(QPointF(0, 0), recorder.page());
    std::sort(recorder.spaces.begin(), recorder.spaces.end(),
              [](const ContentRecorder::DrawnSpace &a, const ContentRecorder::DrawnSpace &b) { return a.baseline < b.baseline; });
    QList<const TextWord *> onPage;
    QHash<const TextFontInfo *, GlyphAdvances> advances;
    for (int i = 0; i < list->getLength(); ++i) {
        const TextWord *word = list->get(i);
        double xMin, yMin, xMax, yMax;
        word->getBBox(&xMin, &yMin, &xMax, &yMax);
        if (!QRectF(xMin, yMin, xMax - xMin, yMax - yMin).intersects(page))
            continue;
        onPage.append(word);
        advances[word->getFontInfo(0)].add(*word);
    }
    content.turnToUpright = turnToUpright(onPage);
    content.words.reserve(onPage.size());
    const TextWord *previous = nullptr;
    for (const TextWord *word : std::as_const(onPage)) {
        const std::unique_ptr<GooString> utf8(word->getText());
        double xMin, yMin, xMax, yMax;
        word->getBBox(&xMin, &yMin, &xMax, &yMax);
        const QRectF bbox(xMin, yMin, xMax - xMin, yMax - yMin);
        // The lines are built from horizontal rows: a sideways run would
        // come apart into a row per word, read top to bottom.
        const bool runsOn = word->getRotation() != 0 && previous && previous->getNext() == word;
        const bool spaced = previous && previous->getSpaceAfter();
        previous = word;
        if (runsOn) {
            Word &run = content.words.last();
            if (spaced)
                run.text += QLatin1Char(' ');
            run.text += QString::fromUtf8(utf8->c_str());
            run.bbox |= bbox;
            continue;
        }
        Word out;
        out.text = QString::fromUtf8(utf8->c_str());
        out.bbox = bbox;
        out.fontSize = word->getFontSize();
        if (word->getLength() > 0)
            if (const GooString *name = word->getFontName(0))
                out.fontName = QByteArray(name->c_str(), name->getLength());
        const TextFontInfo *font = word->getFontInfo(0);
        // Not the font's own fixed-pitch flag: TeX's math and small text
        // fonts are embedded with it set.
        out.fixedPitch = font && advances[font].allAlike();
        out.hidden = recorder.textHidden();
        out.spaceDrawnAfter = spaceDrawnAfter(recorder.spaces, out.bbox, out.fontSize);
        content.words.append(std::move(out));
    }
    return content;
}

bool PageContentReader::hasPage(int pageIndex) const
{
    return isValid() && pageIndex >= 0 && pageIndex < m_doc->getNumPages() && m_doc->getPage(pageIndex + 1);
}

QSizeF PageContentReader::shownSize(int pageIndex, int quarterTurns) const
{
    if (!hasPage(pageIndex))
        return {};
    Page *page = m_doc->getPage(pageIndex + 1);
    const QSizeF crop(page->getCropWidth(), page->getCropHeight());
    const bool turned = ((page->getRotate() / 90 + quarterTurns) & 1) == 1;
    return turned ? crop.transposed() : crop;
}

QImage PageContentReader::scannedPage(int pageIndex, double dpi) const
{
    if (!isValid())
        return {};
    preparePage(pageIndex);
    return readScannedPage(*m_doc, pageIndex + 1, dpi);
}

QImage PageContentReader::render(int pageIndex, RasterColour colour, double dpi, int quarterTurns,
                                 const QRect &slice) const
{
    if (!isValid())
        return {};
    std::unique_ptr<PageRasterizer> &rasterizer = m_rasterizers[colour == RasterColour::Grey ? 0 : 1];
    if (!rasterizer)
        rasterizer = std::make_unique<PageRasterizer>(*m_doc, colour);
    preparePage(pageIndex);
    return rasterizer->render(pageIndex, dpi, quarterTurns, slice);
}

} // namespace DocRay
