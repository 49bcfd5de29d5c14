#include "engine/pdf/pdftextreader.h"

#include "engine/core/greyaverager.h"
#include "engine/layout/textlines.h"
#include "engine/layout/textpatterns.h"
#include "engine/ocr/ocrengine.h"
#include "engine/layout/pageregions.h"
#include "engine/pdf/pagecontent.h"
#include "engine/pdf/popplerconvert.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-toc.h>

#include <QElapsedTimer>
#include <QFile>
#include <QHash>
#include <QImage>
#include <QLoggingCategory>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

Q_LOGGING_CATEGORY(lcPdf, "docray.pdf", QtWarningMsg)

namespace DocRay {

namespace {

constexpr double kOcrDpi = 300.0;
constexpr double kFigureDpi = 150.0;
// Before a page is rendered for analysis, the boxes of what it draws, laid
// out at this resolution, tell whether anything but its words is drawn on
// it: most pages of most documents are text only and need neither the
// render nor the tensors.
constexpr double kInkCheckDpi = 36.0;
constexpr double kMinForeignInkInches = 0.25;
constexpr double kWordMarginPoints = 2.0;
constexpr double kMinPicturePoints = 24.0;
// Pages read on, their renders held, while the page-tensor module loads.
constexpr qsizetype kPagesReadWhileLoading = 4;
// A page with fewer characters than this in its text layer is treated as a scan.
constexpr int kMinTextLayerCharacters = 8;

bool isBoldFont(const QString &fontName)
{
    static const QRegularExpression bold(QStringLiteral("bold|black|heavy|semibold|demi|cmbx|sfbx|cmb\\d|bx\\d\\d"),
                                         QRegularExpression::CaseInsensitiveOption);
    return bold.match(fontName).hasMatch();
}

// Fonts with their own encodings map some glyphs to control codes ("r\x01",
// a bullet as "\x84"): no reader wants them, and JSON escapes them as noise.
// A word of nothing else is a glyph with no text: the line builder decides
// what it stands for.
QString withoutControlCharacters(QString text)
{
    const auto isControl = [](QChar c) { return c.category() == QChar::Other_Control; };
    if (std::none_of(text.cbegin(), text.cend(), isControl))
        return text; // nearly every word: left unshared
    const qsizetype length = text.size();
    text.removeIf(isControl);
    return text.isEmpty() && length > 0 ? QString(QChar::ReplacementCharacter) : text;
}

// What a font's name tells of its words: read once per font of a page,
// not once per word.
struct FontTraits {
    QString name;
    bool bold = false;
    bool italic = false;
    bool monospace = false;
};

FontTraits fontTraits(const QByteArray &fontName)
{
    FontTraits traits;
    traits.name = QString::fromUtf8(fontName);
    // Subset prefixes ("ABCDEF+Times-Bold") are noise for every reader.
    if (traits.name.indexOf(QLatin1Char('+')) == 6)
        traits.name = traits.name.mid(7);
    traits.bold = isBoldFont(traits.name);
    traits.italic = traits.name.contains(QLatin1String("Italic"), Qt::CaseInsensitive)
        || traits.name.contains(QLatin1String("Oblique"), Qt::CaseInsensitive);
    traits.monospace = isMonospaceFont(traits.name);
    return traits;
}

QList<TextSpan> spansFromWords(const QList<PageContentReader::Word> &textLayer)
{
    QHash<QByteArray, FontTraits> fonts; // a page uses a handful
    QList<TextSpan> words;
    words.reserve(textLayer.size());
    for (const PageContentReader::Word &word : textLayer) {
        TextSpan span;
        span.text = withoutControlCharacters(word.text);
        if (span.text.trimmed().isEmpty())
            continue;
        span.bbox = word.bbox;
        span.fontSize = word.fontSize;
        span.spaceDrawn = word.spaceDrawnAfter;
        auto font = fonts.constFind(word.fontName);
        if (font == fonts.cend())
            font = fonts.insert(word.fontName, fontTraits(word.fontName));
        span.fontName = font->name;
        if (!word.hidden) {
            span.bold = font->bold;
            span.italic = font->italic;
            span.monospace = word.fixedPitch || font->monospace;
        }
        if (span.fontSize <= 0)
            span.fontSize = span.bbox.height();
        words.append(span);
    }
    return words;
}

// Text a broken font encoding produced: replacement characters, private-use
// glyphs and control characters instead of letters.
bool looksGarbled(const QList<TextLine> &lines)
{
    int total = 0, bad = 0;
    for (const TextLine &line : lines)
        for (const TextSpan &span : line.spans)
            for (const QChar c : span.text) {
                ++total;
                const QChar::Category category = c.category();
                if (c == QChar::ReplacementCharacter || category == QChar::Other_PrivateUse
                    || category == QChar::Other_Control || category == QChar::Other_NotAssigned)
                    ++bad;
            }
    return total > 0 && bad * 10 > total;
}

QList<OutlineEntry> readOutline(poppler::document &doc)
{
    QList<OutlineEntry> entries;
    std::unique_ptr<poppler::toc> toc(doc.create_toc());
    if (!toc || !toc->root())
        return entries;
    std::function<void(poppler::toc_item *, int)> walk = [&](poppler::toc_item *item, int level) {
        for (poppler::toc_item *child : item->children()) {
            entries.append({toQString(child->title()).simplified(), level});
            if (entries.size() < 5000)
                walk(child, level + 1);
        }
    };
    walk(toc->root(), 1);
    return entries;
}

int characterCount(const QList<TextLine> &lines)
{
    int count = 0;
    for (const TextLine &line : lines)
        for (const TextSpan &span : line.spans)
            count += span.text.size();
    return count;
}

// Blank pages (and pages whose only text is already read) need no OCR: the
// render OCR would read, shrunk to a thumbnail, tells. Shrinking the render
// costs a few milliseconds; a thumbnail render of its own would decode a
// scan's image a second time.
bool hasInk(const QImage &render, double dpi)
{
    const double scale = qMin(1.0, kInkCheckDpi / dpi); // a huge page's render may be under 36 dpi already
    const QImage thumbnail = averagedDown(toGrayscale8(render), QSize(qMax(1, qRound(render.width() * scale)),
                                                                      qMax(1, qRound(render.height() * scale))));
    if (thumbnail.isNull())
        return false;
    qint64 dark = 0;
    for (int y = 0; y < thumbnail.height(); ++y) {
        const uchar *row = thumbnail.constScanLine(y);
        for (int x = 0; x < thumbnail.width(); ++x)
            dark += row[x] < 200;
    }
    return dark * 1000 > qint64(thumbnail.width()) * thumbnail.height();
}

// A page's paint at `dpi`, one byte a pixel (1 = paint).
struct PaintMask {
    int width = 0;
    int height = 0;
    double dpi = 0;
    std::vector<uchar> paint;
};

PaintMask paintFromBoxes(const PageContentReader::PagePaint &page, double dpi)
{
    PaintMask mask;
    const double scale = dpi / 72.0;
    mask.dpi = dpi;
    mask.width = qMax(1, qCeil(page.size.width() * scale));
    mask.height = qMax(1, qCeil(page.size.height() * scale));
    mask.paint.assign(size_t(mask.width) * size_t(mask.height), 0);
    for (const QRectF &box : page.boxes) {
        // A hairline still covers a pixel.
        const int left = qBound(0, qFloor(box.left() * scale), mask.width - 1);
        const int top = qBound(0, qFloor(box.top() * scale), mask.height - 1);
        const int right = qBound(left + 1, qCeil(box.right() * scale), mask.width);
        const int bottom = qBound(top + 1, qCeil(box.bottom() * scale), mask.height);
        for (int y = top; y < bottom; ++y)
            std::fill_n(mask.paint.begin() + qsizetype(y) * mask.width + left, right - left, 1);
    }
    return mask;
}

PaintMask paintFromImage(const QImage &grey, double dpi)
{
    PaintMask mask;
    mask.dpi = dpi;
    mask.width = grey.width();
    mask.height = grey.height();
    mask.paint.resize(size_t(mask.width) * size_t(mask.height));
    for (int y = 0; y < mask.height; ++y) {
        const uchar *row = grey.constScanLine(y);
        uchar *out = mask.paint.data() + qsizetype(y) * mask.width;
        for (int x = 0; x < mask.width; ++x)
            out[x] = row[x] < kPaintGrey;
    }
    return mask;
}

// Whether there is paint outside the page's words (grown by two points for
// glyphs overshooting their boxes) that spreads over a quarter inch both
// across and down: rules of a grid, fills, drawings, photos. A lone rule
// under a header or an underlined word can hold no table (that takes rules
// crossing) and no figure (a third of an inch each way).
bool spreadsOutsideWords(const PaintMask &mask, const QList<TextLine> &lines)
{
    const int width = mask.width;
    const int height = mask.height;
    if (width <= 0 || height <= 0)
        return false;
    std::vector<uchar> text(size_t(width) * size_t(height), 0);
    const double scale = mask.dpi / 72.0;
    const double margin = kWordMarginPoints * scale;
    for (const TextLine &line : lines)
        for (const TextSpan &span : line.spans) {
            // Words off the page (beyond its crop box) or with absurd boxes are clamped to the mask.
            auto clamp = [](double value, int limit) { return int(qBound(0.0, std::isfinite(value) ? value : 0.0, double(limit))); };
            const int left = clamp(std::floor(span.bbox.left() * scale - margin), width);
            const int top = clamp(std::floor(span.bbox.top() * scale - margin), height);
            const int right = clamp(std::ceil(span.bbox.right() * scale + margin), width);
            const int bottom = clamp(std::ceil(span.bbox.bottom() * scale + margin), height);
            for (int y = top; y < bottom; ++y)
                std::fill(text.begin() + qsizetype(y) * width + left, text.begin() + qsizetype(y) * width + qMax(left, right), 1);
        }
    std::vector<bool> inkColumns(size_t(width), false);
    int rows = 0, columns = 0;
    const int needed = qMax(2, qRound(kMinForeignInkInches * mask.dpi));
    for (int y = 0; y < height; ++y) {
        const uchar *paint = mask.paint.data() + qsizetype(y) * width;
        const uchar *covered = text.data() + qsizetype(y) * width;
        bool rowHasInk = false;
        for (int x = 0; x < width; ++x) {
            if (!paint[x] || covered[x])
                continue;
            rowHasInk = true;
            if (!inkColumns[size_t(x)]) {
                inkColumns[size_t(x)] = true;
                ++columns;
            }
        }
        rows += rowHasInk;
        if (rows >= needed && columns >= needed)
            return true;
    }
    return false;
}

// `image` at `dpi` brought down to `targetDpi` in grey, each pixel the
// darkest of those it covers: averaging would fade hairline rules (a
// half-point rule is one pixel at 150 dpi) below the analysis' ink level,
// where rendering at the lower resolution keeps them whole.
QImage darkestDownscale(const QImage &image, double dpi, double targetDpi)
{
    const QImage grey = toGrayscale8(image);
    if (grey.isNull() || targetDpi >= dpi)
        return grey;
    const double ratio = dpi / targetDpi;
    const int greyWidth = grey.width(), greyHeight = grey.height();
    const int width = qMax(1, qRound(greyWidth / ratio));
    const int height = qMax(1, qRound(greyHeight / ratio));
    std::vector<int> firstColumn(size_t(width) + 1);
    for (int x = 0; x < width; ++x)
        firstColumn[size_t(x)] = qMin(greyWidth, int(std::floor(x * ratio)));
    firstColumn[size_t(width)] = greyWidth; // the last pixel takes what rounding left over
    QImage small(width, height, QImage::Format_Grayscale8);
    std::vector<uchar> darkest(static_cast<size_t>(greyWidth));
    for (int y = 0; y < height; ++y) {
        const int top = qMin(greyHeight - 1, int(std::floor(y * ratio)));
        const int bottom = y + 1 == height ? greyHeight : qMax(top + 1, qMin(greyHeight, int(std::floor((y + 1) * ratio))));
        std::fill(darkest.begin(), darkest.end(), uchar(255));
        for (int sy = top; sy < bottom; ++sy) {
            const uchar *row = grey.constScanLine(sy);
            for (size_t x = 0; x < darkest.size(); ++x)
                darkest[x] = qMin(darkest[x], row[x]);
        }
        uchar *out = small.scanLine(y);
        for (int x = 0; x < width; ++x) {
            const int left = firstColumn[size_t(x)];
            const int right = qMax(left + 1, firstColumn[size_t(x) + 1]);
            out[x] = left < greyWidth ? *std::min_element(darkest.begin() + left, darkest.begin() + qMin(right, greyWidth)) : 255;
        }
    }
    return small;
}

// A raster image large enough to be cropped as a figure.
bool holdsPicture(const PageContentReader::PagePaint &page)
{
    return std::any_of(page.images.cbegin(), page.images.cend(), [](const QRectF &image) {
        return qMin(image.width(), image.height()) >= kMinPicturePoints;
    });
}

// The paint was read (it is when pages are analysed) and listed whole.
bool paintIsKnown(const PageContentReader::PagePaint &paint)
{
    return paint.size.isValid() && !paint.saturated;
}

// A page with a few words of text layer (a chapter's title, a number)
// and nothing else but vector drawing (rules, ornaments, a chart's
// strokes): OCR of its render would read the words it has, no others.
bool onlyWordsAndDrawing(const QList<TextLine> &lines, const PageContentReader::PagePaint &paint)
{
    return characterCount(lines) > 0 && paintIsKnown(paint) && paint.images.isEmpty();
}

// AES-256 PDFs (revision 6) want passwords prepared with SASLprep: NFKC,
// with characters such as the soft hyphen mapped to nothing. Try both forms.
QStringList passwordCandidates(const QString &password)
{
    QString prepared = password.normalized(QString::NormalizationForm_KC);
    prepared.remove(QChar(0x00AD)).remove(QChar(0x200B)).remove(QChar(0x2060)).remove(QChar(0xFEFF));
    return prepared == password ? QStringList{password} : QStringList{password, prepared};
}

} // namespace

PdfTextReader::PdfTextReader(OcrEngine *ocr, const ParseLimits &limits)
    : m_ocr(ocr)
    , m_limits(limits)
{
    // Poppler complains on stderr about every damaged file; those complaints
    // belong in the log, and the job gets its own clear error.
    static std::once_flag routed;
    std::call_once(routed, [] {
        poppler::set_debug_error_function(
            [](const std::string &message, void *) { qCDebug(lcPdf) << message.c_str(); }, nullptr);
    });
}

namespace {

struct OpenedPdf {
    std::unique_ptr<poppler::document> document;
    QString password; // the form of the password that opened it
};

QString encryptedMessage(const ParserParams &params)
{
    return params.password.isEmpty() ? QStringLiteral("The PDF is encrypted: password required (parser_params.password).")
                                     : QStringLiteral("The PDF is encrypted: the password is wrong.");
}

poppler::document *loadPdf(const PdfSource &pdf, const std::string &secret)
{
    if (pdf.isFile())
        return poppler::document::load_from_file(QFile::encodeName(pdf.path()).toStdString(), secret, secret);
    return poppler::document::load_from_raw_data(pdf.bytes().constData(), static_cast<int>(pdf.bytes().size()), secret,
                                                 secret);
}

Result<OpenedPdf> openPdf(const PdfSource &pdf, const ParserParams &params)
{
    keepPopplerSettings();
    OpenedPdf opened;
    for (const QString &candidate : passwordCandidates(params.password)) {
        opened.password = candidate;
        opened.document.reset(loadPdf(pdf, candidate.toStdString()));
        if (opened.document && !opened.document->is_locked())
            break;
    }
    if (!opened.document) {
        // Poppler returns no document at all for a wrong password.
        std::unique_ptr<poppler::document> probe(loadPdf(pdf, {}));
        if (!probe && pdf.readAll().contains("/Encrypt"))
            return Error{ErrorCode::InvalidInput, encryptedMessage(params)};
        return Error{ErrorCode::InvalidInput,
                     probe && probe->is_locked() ? QStringLiteral("The PDF is encrypted: the password is wrong.")
                                                 : QStringLiteral("The file is not a readable PDF (damaged or not a PDF).")};
    }
    if (opened.document->is_locked())
        return Error{ErrorCode::InvalidInput, encryptedMessage(params)};
    return opened;
}

} // namespace

int PdfTextReader::pageCount(const PdfSource &pdf, const ParserParams &params)
{
    // Opened as a parse opens it: a locked document has no pages to count
    // (and Poppler's count of one crashes).
    const Result<OpenedPdf> opened = openPdf(pdf, params);
    return opened ? opened->document->pages() : 0;
}

namespace {

struct PageRange {
    int first = 0;
    int last = -1;
    int count() const { return last - first + 1; }
};

Result<PageRange> selectPages(int documentPageCount, const ParserParams &params, const ParseLimits &limits)
{
    if (documentPageCount <= 0)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The PDF has no pages.")};
    PageRange range;
    range.first = qMax(0, params.startPage);
    range.last = params.endPage < 0 ? documentPageCount - 1 : qMin(params.endPage, documentPageCount - 1);
    if (range.first > range.last)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The page range %1..%2 selects no page of this %3-page PDF.")
                                                  .arg(params.startPage)
                                                  .arg(params.endPage)
                                                  .arg(documentPageCount)};
    if (range.count() > limits.maxPages)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The document has %1 pages to parse; the limit per job is %2 "
                                                             "(parse it in parts with start_page and end_page).")
                                                  .arg(range.count())
                                                  .arg(limits.maxPages)};
    return range;
}

// One read of one opened PDF: the page loop with its renderers, and the
// pages waiting in a batch for table and figure analysis. Pages whose
// pictures will be cropped are rendered once, in colour at the figure
// resolution, for both the analysis and the crops: pictures are what is
// slow to render (their images are decoded each time).
class PdfReadPass final
{
public:
    // `password`: the form of it that opened `pdf`.
    PdfReadPass(const PdfSource &pdf, const QString &password, const ParserParams &params, const ParseLimits &limits,
                OcrEngine *ocr, bool regionAnalysis);
    // A device asked for explicitly is a clear failure, not a silent fallback.
    Result<void> checkRequestedDevice();
    Result<void> readPages(const PageRange &range, const ParseControl &control, const PdfTextReader::PageSink &sink);

private:
    struct FigureRender {
        QImage colour;
        double dpi = kFigureDpi;
    };

    Result<void> readPage(PageLayout &layout, PageRender &render);
    Result<void> readWords(PageLayout &layout, PageContentReader::PagePaint *paint, QImage *ocrImage, double *ocrDpi,
                           double *dpiCap);
    QImage renderForOcr(const PageLayout &layout, const PageContentReader::PagePaint &paint, double dpi);
    void renderForRegions(PageLayout &layout, const PageContentReader::PagePaint &paint, double dpiCap,
                          PageRender &render);
    void queueForRegions(QList<PageLayout> &pages, const PageRender &render);
    void flushRegions(QList<PageLayout> &pages);
    QImage cropFigure(const PageLayout &layout, const QRectF &points);
    bool resolveDevice(QString *error);

    const ParserParams &m_params;
    const ParseLimits &m_limits;
    OcrEngine *const m_ocr;
    const QString m_requestedDevice;
    PageRegionFinder::Options m_regionOptions;
    bool m_findRegions = false;
    // The words, the paint of pages analysed, and the renders: OCR and
    // analysis read grey, which Splash renders in one channel faster than in
    // four (a scanned page: ~30 %); figures are cut from colour renders.
    PageContentReader m_content;
    std::optional<PageRegionFinder> m_regions;
    QHash<int, FigureRender> m_figureRenders; // by page index, until the page's batch is analysed
    QList<qsizetype> m_pending;             // indices into the pages read, awaiting analysis
    QList<PageRender> m_pendingRenders;     // their pages are set at flush: the list may grow meanwhile
};

PdfReadPass::PdfReadPass(const PdfSource &pdf, const QString &password, const ParserParams &params,
                         const ParseLimits &limits, OcrEngine *ocr, bool regionAnalysis)
    : m_params(params)
    , m_limits(limits)
    , m_ocr(ocr)
    , m_requestedDevice((params.device.isEmpty() ? limits.device : params.device).trimmed().toLower())
    , m_content(pdf, password)
{
    m_regionOptions.tables = params.tableEnable;
    m_regionOptions.figures = params.figureEnable;
    m_regionOptions.device.clear(); // resolved at the latest on first use
    m_findRegions = regionAnalysis && (m_regionOptions.tables || m_regionOptions.figures);
}

// Picks the device, which loads LibTorch where a GPU may be: done on the
// first page that is analysed, so scans and text documents never pay for it.
bool PdfReadPass::resolveDevice(QString *error)
{
    m_regionOptions.device = resolveComputeDevice(m_requestedDevice, error);
    return !m_regionOptions.device.isEmpty();
}

Result<void> PdfReadPass::checkRequestedDevice()
{
    QString deviceError;
    if (m_findRegions && m_requestedDevice == QLatin1String("cuda") && !resolveDevice(&deviceError))
        return Error{ErrorCode::InvalidInput, deviceError};
    return {};
}

Result<void> PdfReadPass::readPages(const PageRange &range, const ParseControl &control,
                                    const PdfTextReader::PageSink &sink)
{
    QList<PageLayout> pages; // read and not yet handed on: a batch waiting for its analysis
    const auto handOn = [&pages, &sink] {
        for (PageLayout &page : pages)
            sink(std::move(page));
        pages.clear();
    };
    control.report(0, range.count());
    for (int index = range.first; index <= range.last; ++index) {
        if (control.cancelled())
            return cancelledError();
        PageLayout layout;
        layout.pageIndex = index;
        PageRender render;
        if (const Result<void> read = readPage(layout, render); !read)
            return read;
        pages.append(layout);
        if (!render.grey.isNull())
            queueForRegions(pages, render);
        if (m_pending.isEmpty())
            handOn();
        control.report(index - range.first + 1, range.count());
    }
    flushRegions(pages);
    handOn();
    return {};
}

Result<void> PdfReadPass::readPage(PageLayout &layout, PageRender &render)
{
    QImage ocrImage; // the render OCR read, if it did
    PageContentReader::PagePaint paint;
    double ocrDpi = kOcrDpi;
    double dpiCap = kOcrDpi; // huge pages (a 200-inch poster) render at a lower resolution, never at gigapixels
    const bool hasPage = m_content.hasPage(layout.pageIndex);
    if (hasPage) {
        if (const Result<void> read = readWords(layout, &paint, &ocrImage, &ocrDpi, &dpiCap); !read)
            return read;
    }
    if (!m_findRegions && m_regionOptions.tables && !layout.lines.isEmpty()) {
        placeUnruledTables(layout); // the words alone, without the module
    } else if (m_findRegions && hasPage && !layout.lines.isEmpty()) {
        if (layout.method == ExtractionMethod::Ocr) {
            // The scan's words came from this image: the same pixels at a lower resolution.
            render.dpi = qMin(kAnalysisDpi, ocrDpi);
            render.grey = analysisImage(ocrImage, ocrDpi, render.dpi);
        } else {
            renderForRegions(layout, paint, dpiCap, render);
        }
    }
    return {};
}

// The page's words from its text layer, or from OCR of its render when the
// text layer is missing, too thin or garbled (and the page has ink).
Result<void> PdfReadPass::readWords(PageLayout &layout, PageContentReader::PagePaint *paint, QImage *ocrImage,
                                    double *ocrDpi, double *dpiCap)
{
    if (!m_params.forceOcr) {
        // The paint comes with the words, for the page analysis to decide on.
        PageContentReader::PageContent content = m_content.read(layout.pageIndex, m_findRegions);
        if (content.turnToUpright != 0) {
            qCDebug(lcPdf) << "page" << layout.pageIndex + 1 << "read turned" << 90 * content.turnToUpright
                           << "degrees: its text is not upright";
            layout.quarterTurns = content.turnToUpright;
            content = m_content.read(layout.pageIndex, m_findRegions, layout.quarterTurns);
        }
        layout.lines = buildLines(spansFromWords(content.words));
        *paint = std::move(content.paint);
    }
    // As the words (and renders) lie: the page's /Rotate and the reading's turn applied.
    layout.size = m_content.shownSize(layout.pageIndex, layout.quarterTurns);
    const bool garbled = looksGarbled(layout.lines);
    const bool needsOcr = m_params.forceOcr || garbled || (characterCount(layout.lines) < kMinTextLayerCharacters
                                                            && !onlyWordsAndDrawing(layout.lines, *paint));
    const double areaSquareInches = (layout.size.width() / 72.0) * (layout.size.height() / 72.0);
    if (areaSquareInches > 0)
        *dpiCap = std::sqrt(m_limits.maxRenderPixels / areaSquareInches);
    *ocrDpi = qMin(kOcrDpi, *dpiCap);
    if (!needsOcr || !m_ocr)
        return {};
    // Loaded while the page renders: Tesseract's packs, and LibTorch to level on a GPU.
    m_ocr->prepareToRead(m_params.language);
    if (m_params.scanCleanup)
        loadTensorModuleInBackground(m_requestedDevice);
    *ocrImage = renderForOcr(layout, *paint, *ocrDpi);
    if (ocrImage->isNull() || !hasInk(*ocrImage, *ocrDpi)) {
        *ocrImage = QImage();
        return {};
    }
    // Only a picture can be a crooked scan: a render of the page's own
    // drawing is level.
    qCDebug(lcPdf) << "page" << layout.pageIndex + 1 << "read by OCR at" << *ocrDpi << "dpi";
    const bool levelled = m_params.scanCleanup && (m_params.forceOcr || !paintIsKnown(*paint) || holdsPicture(*paint));
    QString ocrError;
    const OcrEngine::PageText read
        = m_ocr->recognize(*ocrImage, *ocrDpi, m_params.language, &ocrError, {levelled, m_requestedDevice});
    if (!ocrError.isEmpty())
        return Error{ErrorCode::Internal, ocrError};
    int ocrCharacters = 0;
    for (const TextBlock &block : read.blocks)
        ocrCharacters += block.characterCount();
    if (m_params.forceOcr || looksGarbled(layout.lines) || ocrCharacters > characterCount(layout.lines)) {
        layout.setOcrBlocks(read.blocks);
        if (read.quarterTurns != 0) {
            // The page is analysed as OCR read it, turned upright; its renders too.
            layout.quarterTurns = (layout.quarterTurns + read.quarterTurns) % 4;
            layout.size = m_content.shownSize(layout.pageIndex, layout.quarterTurns);
            *ocrImage = ocrImage->transformed(QTransform().rotate(90 * read.quarterTurns));
        }
    }
    return {};
}

// A scanner's page is read from its picture, the rest rendered.
QImage PdfReadPass::renderForOcr(const PageLayout &layout, const PageContentReader::PagePaint &paint, double dpi)
{
    const bool oneImage = !paintIsKnown(paint) || (paint.boxes.size() == 1 && paint.images.size() == 1);
    if (oneImage && layout.quarterTurns == 0) {
        QElapsedTimer timer;
        timer.start();
        if (QImage scan = m_content.scannedPage(layout.pageIndex, dpi); !scan.isNull()) {
            qCDebug(lcPdf) << "page" << layout.pageIndex + 1 << "read from its picture in" << timer.elapsed() << "ms";
            return scan;
        }
    }
    return m_content.render(layout.pageIndex, RasterColour::Grey, dpi, layout.quarterTurns);
}

// A text page is rendered for analysis only when it draws something beyond
// its words: the boxes of what the page draws rule out most pages; the
// render's pixels decide the rest (an image may be mostly white).
void PdfReadPass::renderForRegions(PageLayout &layout, const PageContentReader::PagePaint &paint, double dpiCap,
                                   PageRender &render)
{
    if (paint.saturated || spreadsOutsideWords(paintFromBoxes(paint, qMin(kInkCheckDpi, dpiCap)), layout.lines)) {
        render.dpi = qMin(kAnalysisDpi, dpiCap);
        if (m_regionOptions.figures && holdsPicture(paint)) {
            const double figureDpi = qMin(kFigureDpi, dpiCap);
            const QImage colour = m_content.render(layout.pageIndex, RasterColour::Rgb, figureDpi, layout.quarterTurns);
            if (!colour.isNull()) {
                render.grey = darkestDownscale(colour, figureDpi, render.dpi);
                m_figureRenders.insert(layout.pageIndex, {colour, figureDpi});
            }
        } else {
            render.grey = m_content.render(layout.pageIndex, RasterColour::Grey, render.dpi, layout.quarterTurns);
        }
        qCDebug(lcPdf) << "page" << layout.pageIndex + 1 << "rendered for analysis"
                       << (m_figureRenders.contains(layout.pageIndex) ? "in colour" : "in grey");
        if (render.grey.isNull() || !spreadsOutsideWords(paintFromImage(render.grey, render.dpi), layout.lines)) {
            render.grey = QImage();
            m_figureRenders.remove(layout.pageIndex);
        }
    }
    if (render.grey.isNull() && m_regionOptions.tables) {
        // Nothing drawn but words and rules across: only tables set in
        // whitespace, between such rules or without, can be there.
        placeRulesOnlyTables(layout, paint.boxes);
        placeUnruledTables(layout);
    }
}

// The last page read waits for its batch.
void PdfReadPass::queueForRegions(QList<PageLayout> &pages, const PageRender &render)
{
    m_pending.append(pages.size() - 1);
    m_pendingRenders.append(render);
    // On a GPU this page needs the module: it loads while the pages after
    // this one are read (a few, their renders held). The device is resolved
    // on the first flush.
    loadTensorModuleInBackground(m_requestedDevice);
    const bool loading = m_regionOptions.device.isEmpty() && needsTensorModule(m_requestedDevice)
        && !tensorModuleSettled();
    if (m_pending.size() >= (loading ? kPagesReadWhileLoading : analysisBatch(m_regionOptions.device)))
        flushRegions(pages);
}

void PdfReadPass::flushRegions(QList<PageLayout> &pages)
{
    if (m_pending.isEmpty())
        return;
    QString deviceError;
    if (!m_regions && (!m_regionOptions.device.isEmpty() || resolveDevice(&deviceError)))
        m_regions.emplace(m_regionOptions,
                          [this](const PageLayout &layout, const QRectF &points) { return cropFigure(layout, points); });
    if (m_regions) {
        QList<PageRender> renders = m_pendingRenders;
        for (qsizetype i = 0; i < m_pending.size(); ++i)
            renders[i].page = &pages[m_pending[i]];
        // Pages read while the module loaded go in the device's batches.
        const qsizetype batch = analysisBatch(m_regionOptions.device);
        for (qsizetype first = 0; first < renders.size(); first += batch) {
            const QString error = m_regions->process(renders.mid(first, batch));
            // The text is still all there: a page without its tables is a
            // worse page, not a failed job.
            if (!error.isEmpty())
                qCWarning(lcPdf) << "table and figure analysis failed:" << error;
        }
    } else {
        // Without the module the text is all still there; only tables and figures are missing.
        qCWarning(lcPdf) << "tables and figures are off:" << deviceError;
        m_findRegions = false;
        for (const qsizetype index : std::as_const(m_pending))
            if (m_regionOptions.tables)
                placeUnruledTables(pages[index]);
    }
    m_pending.clear();
    m_pendingRenders.clear();
    m_figureRenders.clear();
#if defined(__GLIBC__)
    // The batch's renders and tensors are freed between pages whose words
    // stay: glibc keeps the holes (and its moving mmap threshold puts ever
    // larger blocks among them), and a long document's resident memory grew
    // with its page count while the live heap did not: 200 generated pages
    // of tables 1 GB, 297 MB when the holes are handed back here. (Linked
    // to TCMalloc, as doc-ray is by default, glibc's heap is all but empty
    // and this costs nothing: TCMalloc reuses those blocks itself.)
    malloc_trim(0);
#endif
}

QImage PdfReadPass::cropFigure(const PageLayout &layout, const QRectF &points)
{
    const auto rendered = m_figureRenders.constFind(layout.pageIndex);
    if (rendered != m_figureRenders.cend()) {
        const double scale = rendered->dpi / 72.0;
        const QRect pixels = QRectF(points.topLeft() * scale, points.bottomRight() * scale).toAlignedRect()
            & rendered->colour.rect();
        return pixels.isEmpty() ? QImage() : rendered->colour.copy(pixels); // copy(QRect()) is the whole page
    }
    const double squareInches = (points.width() / 72.0) * (points.height() / 72.0);
    const double dpi
        = qMin(kFigureDpi, squareInches > 0 ? std::sqrt(m_limits.maxRenderPixels / squareInches) : kFigureDpi);
    const double scale = dpi / 72.0;
    return m_content.render(layout.pageIndex, RasterColour::Rgb, dpi, layout.quarterTurns,
                            QRect(qFloor(points.left() * scale), qFloor(points.top() * scale),
                                  qCeil(points.width() * scale), qCeil(points.height() * scale)));
}

} // namespace

PdfReadResult PdfTextReader::read(const PdfSource &pdf, const ParserParams &params,
                                  const ParseControl &control) const
{
    QList<PageLayout> pages;
    PdfReadResult read = this->read(pdf, params, control, [&pages](PageLayout &&page) { pages.append(std::move(page)); });
    if (read)
        read->pages = std::move(pages);
    return read;
}

PdfReadResult PdfTextReader::read(const PdfSource &pdf, const ParserParams &params, const ParseControl &control,
                                  const PageSink &sink) const
{
    Result<OpenedPdf> opened = openPdf(pdf, params);
    if (!opened)
        return opened.error();
    PdfPages result;
    const Result<PageRange> range = selectPages(opened->document->pages(), params, m_limits);
    if (!range)
        return range.error();
    result.outline = readOutline(*opened->document);
    // The pages are read through a document of their own: closed first, this
    // one's tables (5 MB for a 2,000-page file) are not held twice.
    opened->document.reset();
    PdfReadPass pass(pdf, opened->password, params, m_limits, m_ocr, m_regions);
    if (const Result<void> device = pass.checkRequestedDevice(); !device)
        return device.error();
    if (const Result<void> read = pass.readPages(*range, control, sink); !read)
        return read.error();
    return result;
}

} // namespace DocRay
