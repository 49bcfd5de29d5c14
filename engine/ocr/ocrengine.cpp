#include "engine/ocr/ocrengine.h"

#include "engine/core/greyaverager.h"
#include "engine/core/vectorstate.h"
#include "engine/layout/textpatterns.h"
#include "engine/ocr/scannedtypefaces.h"

#include <leptonica/allheaders.h>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <QElapsedTimer>
#include <QHash>
#include <QLoggingCategory>
#include <QTransform>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace DocRay {

Q_LOGGING_CATEGORY(lcOcr, "docray.ocr", QtWarningMsg)

OcrEngine::OcrEngine() = default;

OcrEngine::~OcrEngine()
{
    adoptPrepared();
    if (m_api)
        m_api->End();
    if (m_osd)
        m_osd->End();
}

namespace {

// Mean word confidence (0-100) below which a reading in the assumed script
// is doubted: clean Latin text reads at 80-95, a worn scan at 70-80,
// another script read as Latin at 30-60.
constexpr int kRereadBelowConfidence = 70;
// A reading of the page as it lies this sure needs no orientation or
// script detection: a page on its side or upside down reads near 30, one in
// another script far below it too.
constexpr int kSureUprightConfidence = 70;
// How much surer (mean word confidence) traditional Chinese must read a
// page than simplified for the traditional reading to stay.
constexpr int kTraditionalMargin = 3;
constexpr double kMinLinePixels = 18;
// The orientation detector's confidences below which its guesses of the
// turn and the script are often wrong (sparse pages), and the least
// resolution it is given a page at.
constexpr float kSureTurnConfidence = 1.5f;
constexpr float kSureScriptConfidence = 1.0f;
constexpr double kMinOrientationDpi = 150;
constexpr double kLargeLinePixels = 2 * kMinLinePixels; // read at the first size, not at twice it
constexpr int kSmallImageSide = 1600; // pixels on the long side: a page this small holds small print
constexpr qint64 kMaxUpscaledPixels = 40'000'000;
// A page of text at 100 dpi holds some 2,000 characters a megapixel (a
// letter half full) to 6,000 (a newspaper); a reading of a tenth of that
// found a few lines of it, or a caption beside a photo.
constexpr double kSureCharactersPerMegapixel = 250;
// A page whose ink columns are this much sharper than its rows lies on its
// side (upright pages of text measure 0.03-0.8, pages on their side 4.5-8.5).
constexpr double kSidewaysColumnsOverRows = 2.0;
// A page whose lines' ink above their cores is at most this share of the
// ink below them is upside down (upright pages measure 0.5-6, prose 2-4;
// upside-down ones the reverse), told from at least so many lines.
constexpr double kUpsideDownAboveOverBelow = 0.4;
// A page on its side whose lines' ink on one side of their cores is at
// least this many times that on the other has its letters' tops that side.
constexpr double kSidewaysTopSideOverOther = 2.0;
constexpr int kFewestLinesToTellUpFromDown = 3;
constexpr double kMinBulletGap = 0.45; // of the type size: wider than a word space, as lists set their text off

// Whether no word of the last reading runs right to left (figures and
// marks have no direction).
bool noWordRunsRightToLeft(tesseract::LTRResultIterator words)
{
    do {
        const tesseract::StrongScriptDirection direction = words.WordDirection();
        if (direction == tesseract::DIR_RIGHT_TO_LEFT || direction == tesseract::DIR_MIX)
            return false;
    } while (words.Next(tesseract::RIL_WORD));
    return true;
}

// Calls `walk` with an iterator at the last reading's first word that steps
// through its words in reading order. Tesseract's ResultIterator puts each
// line's words in order for scripts written right to left, and to do so
// walks the page again from its top at every word: on a dense scanned page
// the three walks of its words took 0.13 s that way. Where no word runs
// right to left the words lie in reading order, and its base class walks
// them once.
template <typename Walk>
void walkWordsInReadingOrder(tesseract::TessBaseAPI &api, Walk &&walk)
{
    const std::unique_ptr<tesseract::ResultIterator> ordered(api.GetIterator());
    if (!ordered)
        return;
    tesseract::LTRResultIterator asTheyLie(*ordered);
    if (noWordRunsRightToLeft(asTheyLie))
        walk(asTheyLie);
    else
        walk(*ordered);
}

// The page's ink (darker than mid-grey) in each pixel row and column.
struct InkProfiles {
    std::vector<int> rows, columns;
};

InkProfiles inkProfiles(const QImage &gray)
{
    const int width = gray.width(), height = gray.height();
    InkProfiles ink{std::vector<int>(size_t(height), 0), std::vector<int>(size_t(width), 0)};
    for (int y = 0; y < height; ++y) {
        const uchar *line = gray.constScanLine(y);
        int rowInk = 0;
        for (int x = 0; x < width; ++x) { // one loop the compiler vectorizes
            const int inked = line[x] < 128;
            rowInk += inked;
            ink.columns[size_t(x)] += inked;
        }
        ink.rows[size_t(y)] = rowInk;
    }
    return ink;
}

// How much sharper the page's ink columns are than its rows. Lines of text
// across a page make its rows sharp (a line's ink, then the gap to the
// next) and its columns even; a page on its side, the other way round.
// Counted in cells of about a third of a millimetre; each profile's
// sharpness is the mean squared step between neighbouring cells of the
// profile divided by its mean.
double inkColumnsOverRows(const InkProfiles &ink, double dpi)
{
    const int cell = qMax(1, qRound(dpi / 75));
    const auto sharpness = [cell](const std::vector<int> &pixels) {
        std::vector<double> profile(pixels.size() / size_t(cell) + 1);
        double total = 0;
        for (size_t i = 0; i < pixels.size(); ++i) {
            profile[i / size_t(cell)] += pixels[i];
            total += pixels[i];
        }
        if (profile.size() < 2 || total <= 0)
            return 0.0;
        const double mean = total / double(profile.size());
        double steps = 0;
        for (size_t i = 1; i < profile.size(); ++i)
            steps += std::pow((profile[i] - profile[i - 1]) / mean, 2);
        return steps / double(profile.size() - 1);
    };
    const double acrossRows = sharpness(ink.rows);
    return acrossRows > 0 ? sharpness(ink.columns) / acrossRows : 0;
}

// The ink of the page's lines of text above their cores (the rows of a
// line at least half as inked as its fullest, where every small letter
// has ink) over the ink below them. Latin letters rise above the core far
// more often than they drop below it (ascenders, capitals, figures and the
// dots of i and j against g, j, p, q, y and commas): turned upside down,
// a page measures the reverse. Lines are runs of inked rows between blank
// ones, of a line's height (runs of lines that touch, or of a picture,
// are left out).
double inkAboveOverBelowLineCores(const std::vector<int> &rows, double dpi)
{
    const size_t shortest = size_t(qMax(4, qRound(dpi / 30))), tallest = size_t(qRound(dpi / 3));
    double above = 0, below = 0;
    int lines = 0;
    for (size_t y = 0; y < rows.size();) {
        if (rows[y] == 0) {
            ++y;
            continue;
        }
        size_t end = y;
        while (end < rows.size() && rows[end] > 0)
            ++end;
        if (end - y >= shortest && end - y <= tallest) {
            const int fullest = *std::max_element(rows.begin() + qsizetype(y), rows.begin() + qsizetype(end));
            size_t top = y, bottom = end - 1;
            while (2 * rows[top] < fullest)
                above += rows[top++];
            while (2 * rows[bottom] < fullest)
                below += rows[bottom--];
            ++lines;
        }
        y = end;
    }
    if (lines < kFewestLinesToTellUpFromDown || above + below <= 0)
        return 1; // nothing to tell by
    return below > 0 ? above / below : std::numeric_limits<double>::infinity();
}

// The packs of scripts also set in columns (Chinese, Japanese, Korean):
// their upright pages may have lines running down them.
bool setInColumnsToo(const QString &languages)
{
    return languages.contains(QLatin1String("chi_")) || languages.contains(QLatin1String("jpn"))
        || languages.contains(QLatin1String("kor"));
}

// Whether every pack reads a script of Latin letters.
bool writtenInLatin(const QString &languages)
{
    static const QStringList latin{
        QStringLiteral("eng"), QStringLiteral("deu"), QStringLiteral("fra"), QStringLiteral("spa"), QStringLiteral("ita"),
        QStringLiteral("por"), QStringLiteral("nld"), QStringLiteral("dan"), QStringLiteral("swe"), QStringLiteral("nor"),
        QStringLiteral("fin"), QStringLiteral("pol"), QStringLiteral("ces"), QStringLiteral("slk"), QStringLiteral("slv"),
        QStringLiteral("hrv"), QStringLiteral("hun"), QStringLiteral("ron"), QStringLiteral("tur"), QStringLiteral("cat"),
        QStringLiteral("lat"), QStringLiteral("ind"), QStringLiteral("vie")};
    const QStringList packs = languages.split(QLatin1Char('+'));
    return std::all_of(packs.cbegin(), packs.cend(), [](const QString &pack) { return latin.contains(pack); });
}

// How a page lies by its ink: turned (its ink runs in columns, but for
// scripts set in columns, or, read in Latin letters, its lines' ink hangs
// below their cores), and where Latin letters tell it, by how many
// clockwise degrees (90, 180 or 270; 0 where they do not).
struct InkLie {
    bool turned = false;
    int rotation = 0;
};

InkLie inkLie(const QImage &gray, double dpi, const QString &languages)
{
    QElapsedTimer clock;
    clock.start();
    const InkProfiles ink = inkProfiles(gray);
    const bool latin = writtenInLatin(languages);
    const double columnsOverRows = setInColumnsToo(languages) ? 0 : inkColumnsOverRows(ink, dpi);
    const double aboveOverBelow = latin ? inkAboveOverBelowLineCores(ink.rows, dpi) : 1;
    InkLie lie;
    if (columnsOverRows >= kSidewaysColumnsOverRows) {
        lie.turned = true;
        // On a page turned a quarter clockwise the letters' tops face right.
        const double leftOverRight = latin ? inkAboveOverBelowLineCores(ink.columns, dpi) : 1;
        if (leftOverRight <= 1 / kSidewaysTopSideOverOther)
            lie.rotation = 90;
        else if (leftOverRight >= kSidewaysTopSideOverOther)
            lie.rotation = 270;
    } else if (aboveOverBelow <= kUpsideDownAboveOverBelow) {
        lie = {true, 180};
    }
    const QByteArray verdict = !lie.turned ? QByteArrayLiteral("upright")
        : lie.rotation != 0                 ? "turned " + QByteArray::number(lie.rotation) + " degrees"
                                            : QByteArrayLiteral("turned, which way untold");
    qCDebug(lcOcr, "ink columns over rows: %.2f, above over below line cores: %.2f: %s, %lld ms", columnsOverRows,
            aboveOverBelow, verdict.constData(), clock.elapsed());
    return lie;
}

// The clockwise quarter turns that bring a page turned `rotation`
// clockwise degrees back upright, as PageText reports them.
int quarterTurnsBack(int rotation)
{
    return (360 - rotation) / 90 % 4;
}

struct PixFree {
    void operator()(Pix *pix) const { pixDestroy(&pix); }
};
using PixPointer = std::unique_ptr<Pix, PixFree>;

// A frame of pure black and white as Leptonica's 1-bit ink (a set bit is
// black); null for any other image. Tesseract takes such a page as its own
// thresholding: its greys are two, so thresholding them found the same ink
// (0.04 s a letter page at 300 dpi).
PixPointer inkOf(const QImage &frame)
{
    const QRgb black = qRgb(0, 0, 0), white = qRgb(255, 255, 255);
    const QList<QRgb> colours = frame.colorTable();
    if ((frame.format() != QImage::Format_Mono && frame.format() != QImage::Format_MonoLSB)
        || (colours != QList<QRgb>{black, white} && colours != QList<QRgb>{white, black}))
        return nullptr;
    const QImage bits = frame.convertToFormat(QImage::Format_Mono); // the first pixel in a byte's top bit
    PixPointer ink(pixCreate(bits.width(), bits.height(), 1));
    if (!ink || bits.isNull())
        return nullptr;
    const uchar flip = bits.color(1) == black ? 0x00 : 0xff;
    const int bytes = (bits.width() + 7) / 8;
    const auto lastByteMask = uchar(0xff << ((8 - bits.width() % 8) % 8));
    for (int y = 0; y < bits.height(); ++y) {
        auto *row = reinterpret_cast<uchar *>(pixGetData(ink.get()) + qsizetype(y) * pixGetWpl(ink.get()));
        const uchar *source = bits.constScanLine(y);
        for (int byte = 0; byte < bytes; ++byte)
            row[byte] = source[byte] ^ flip;
        row[bytes - 1] &= lastByteMask; // past the width: no ink
    }
    pixEndianByteSwap(ink.get()); // Leptonica keeps pixels in 32-bit words, the first in the top bit
    return ink;
}

double medianLineHeight(const QList<TextBlock> &blocks)
{
    std::vector<double> heights;
    for (const TextBlock &block : blocks)
        for (const TextLine &line : block.lines)
            heights.push_back(line.bbox.height());
    if (heights.empty())
        return 0;
    std::nth_element(heights.begin(), heights.begin() + qsizetype(heights.size() / 2), heights.end());
    return heights[heights.size() / 2];
}

QRectF linesBox(const QList<TextLine> &lines)
{
    QRectF box;
    for (const TextLine &line : lines)
        box = box.united(line.bbox);
    return box;
}

// Type read at twice its size comes apart: a headline's glyphs, already
// tall enough, grow past a hundred pixels. Blocks of the first reading
// whose lines all stand at least `largeLine` points high replace what the
// larger reading made of their place (its lines centred inside them), in
// the place of the first of those lines. Where the larger reading found
// nothing, nothing is added: large "lines" it did not see are mostly
// photos read as text.
QList<TextBlock> withLargeTypeOf(const QList<TextBlock> &first, QList<TextBlock> larger, double largeLine)
{
    for (const TextBlock &block : first) {
        if (block.lines.isEmpty() || std::any_of(block.lines.cbegin(), block.lines.cend(), [largeLine](const TextLine &line) {
                return line.bbox.height() < largeLine;
            }))
            continue;
        const QRectF place = linesBox(block.lines);
        qsizetype at = -1;
        for (qsizetype i = 0; i < larger.size(); ++i) {
            QList<TextLine> &lines = larger[i].lines;
            const qsizetype before = lines.size();
            lines.removeIf([&place](const TextLine &line) { return place.contains(line.bbox.center()); });
            if (lines.size() == before)
                continue;
            if (at < 0)
                at = i;
            larger[i].bbox = linesBox(lines);
        }
        if (at >= 0)
            larger.insert(at, block);
    }
    larger.removeIf([](const TextBlock &block) { return block.lines.isEmpty(); });
    return larger;
}

// Tesseract's language packs for the scripts its detector names.
QString languagesForScript(const QString &script)
{
    static const QHash<QString, QStringList> packs = {
        {QStringLiteral("Han"), {QStringLiteral("chi_sim"), QStringLiteral("chi_tra")}},
        {QStringLiteral("Japanese"), {QStringLiteral("jpn")}},
        {QStringLiteral("Katakana"), {QStringLiteral("jpn")}},
        {QStringLiteral("Hiragana"), {QStringLiteral("jpn")}},
        {QStringLiteral("Hangul"), {QStringLiteral("kor")}},
        {QStringLiteral("Korean"), {QStringLiteral("kor")}},
        {QStringLiteral("Arabic"), {QStringLiteral("ara"), QStringLiteral("fas")}},
        {QStringLiteral("Cyrillic"), {QStringLiteral("rus")}},
    };
    const QStringList installed = OcrEngine::installedLanguages();
    QStringList chosen;
    for (const QString &language : packs.value(script))
        if (installed.contains(language))
            chosen.append(language);
    return chosen.isEmpty() ? QStringLiteral("eng") : chosen.join(QLatin1Char('+'));
}

// What a page is read with before its script is known: the request's
// languages, else the packs for Latin.
QString uprightLanguages(const QString &requested)
{
    return requested.isEmpty() ? languagesForScript({}) : requested;
}

// What else to read a page with when its script was only guessed and the
// first reading is poor: the guessed script's packs, and for a guess among
// Chinese, Japanese and Korean the other two as well (the detector mixes
// them up on short texts).
QStringList alternativeLanguages(const QString &likelyScript, const QString &tried)
{
    static const QStringList eastAsian{QStringLiteral("Han"), QStringLiteral("Japanese"), QStringLiteral("Katakana"),
                                       QStringLiteral("Hiragana"), QStringLiteral("Hangul"), QStringLiteral("Korean")};
    QStringList scripts{likelyScript};
    if (eastAsian.contains(likelyScript))
        scripts << QStringLiteral("Han") << QStringLiteral("Japanese") << QStringLiteral("Hangul");
    QStringList candidates;
    for (const QString &script : std::as_const(scripts)) {
        const QString packs = languagesForScript(script);
        if (packs != tried && packs != QLatin1String("eng") && !candidates.contains(packs))
            candidates.append(packs);
    }
    return candidates;
}

// A Tesseract reading `languages` page by page; null where it cannot start.
std::unique_ptr<tesseract::TessBaseAPI> startedApi(const QString &languages)
{
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    if (api->Init(nullptr, languages.toUtf8().constData(), tesseract::OEM_LSTM_ONLY) != 0)
        return nullptr;
    api->SetPageSegMode(tesseract::PSM_AUTO);
    // Tesseract narrates on stderr ("Too few characters..."); the job reports what matters.
    api->SetVariable("debug_file", "/dev/null");
    return api;
}

// Tesseract's orientation and script detector; null where its pack is not installed.
std::unique_ptr<tesseract::TessBaseAPI> startedOrientationDetector()
{
    auto osd = std::make_unique<tesseract::TessBaseAPI>();
    if (osd->Init(nullptr, "osd", tesseract::OEM_TESSERACT_ONLY) != 0)
        return nullptr;
    osd->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    osd->SetVariable("debug_file", "/dev/null");
    return osd;
}

} // namespace

bool OcrEngine::ensureOrientationDetector()
{
    adoptPrepared();
    if (m_osd || m_osdUnavailable)
        return m_osd != nullptr;
    m_osd = startedOrientationDetector();
    m_osdUnavailable = m_osd == nullptr;
    return !m_osdUnavailable;
}

// The detector looks at characters' shapes: a page at half the size
// tells them as surely where its type is not small (a third of the time);
// where it is unsure there, it looks again at the full size.
OcrEngine::Orientation OcrEngine::detectOrientation(const QImage &gray, double dpi)
{
    if (dpi > 2 * kMinOrientationDpi - 1) { // images at 300 dpi often say 299.99
        const QImage half = averagedDown(gray, gray.size() / 2);
        if (const std::optional<Orientation> sure = detectOrientationAt(half, dpi / 2, true)) {
            qCDebug(lcOcr, "orientation from half the size: %d degrees, %s", sure->rotation, qPrintable(sure->script));
            return *sure;
        }
    }
    const Orientation orientation = detectOrientationAt(gray, dpi, false).value_or(Orientation());
    qCDebug(lcOcr, "orientation at full size: %d degrees, %s", orientation.rotation, qPrintable(orientation.likelyScript));
    return orientation;
}

// Nothing where `onlySure` and the detector is unsure of the turn or the script.
std::optional<OcrEngine::Orientation> OcrEngine::detectOrientationAt(const QImage &gray, double dpi, bool onlySure)
{
    if (gray.isNull() || !ensureOrientationDetector())
        return std::nullopt;
    // Orientation detection reads the resolution from the image itself.
    Pix *pix = pixCreate(gray.width(), gray.height(), 8);
    if (!pix)
        return std::nullopt;
    pixSetResolution(pix, qRound(dpi), qRound(dpi));
    const int width = gray.width(); // read once: QImage::width() is a call per pixel otherwise
    for (int y = 0; y < gray.height(); ++y) {
        const uchar *source = gray.constScanLine(y);
        l_uint32 *row = pixGetData(pix) + y * pixGetWpl(pix);
        for (int x = 0; x < width; ++x)
            SET_DATA_BYTE(row, x, source[x]);
    }
    m_osd->SetImage(pix);
    int degrees = 0;
    float confidence = 0;
    const char *script = nullptr;
    float scriptConfidence = 0;
    const bool detected = m_osd->DetectOrientationScript(&degrees, &confidence, &script, &scriptConfidence);
    m_osd->Clear();
    pixDestroy(&pix);
    // Below these confidences Tesseract's guesses are often wrong on sparse pages.
    const bool sureTurn = detected && confidence >= kSureTurnConfidence;
    const bool sureScript = detected && script && scriptConfidence >= kSureScriptConfidence;
    if (onlySure && !(sureTurn && sureScript))
        return std::nullopt;
    Orientation orientation;
    if (sureTurn)
        orientation.rotation = degrees;
    if (detected && script) {
        orientation.likelyScript = QString::fromLatin1(script);
        if (sureScript)
            orientation.script = orientation.likelyScript;
    }
    return orientation;
}

QStringList OcrEngine::installedLanguages()
{
    // Asked by every check of a request's languages: Tesseract is started
    // to list them once per process, reading its settings only (loading
    // the English model besides took 70 ms of every process's first page).
    static const QStringList installed = [] {
        tesseract::TessBaseAPI api;
        const std::vector<std::string> settingsOnly{"tessedit_init_config_only"}, on{"1"};
        if (api.Init(nullptr, "eng", tesseract::OEM_LSTM_ONLY, nullptr, 0, &settingsOnly, &on, false) != 0)
            return QStringList();
        std::vector<std::string> languages;
        api.GetAvailableLanguagesAsVector(&languages);
        api.End();
        QStringList result;
        for (const std::string &language : languages)
            if (language != "osd")
                result.append(QString::fromStdString(language));
        result.sort();
        return result;
    }();
    return installed;
}

Result<void> OcrEngine::checkLanguages(const QString &languages)
{
    constexpr int kMaxPacks = 6;
    const QStringList installed = installedLanguages();
    const QStringList packs = languages.split(QLatin1Char('+'));
    bool known = packs.size() <= kMaxPacks;
    for (qsizetype i = 0; known && i < packs.size(); ++i)
        known = installed.contains(packs[i]) && packs.indexOf(packs[i]) == i;
    if (!known)
        return Error{ErrorCode::InvalidInput,
                     QStringLiteral("parser_params.lang must name up to %1 installed OCR languages joined by '+' "
                                    "(installed: %2).")
                         .arg(kMaxPacks)
                         .arg(installed.join(QStringLiteral(", ")))};
    return {};
}

void OcrEngine::prepare()
{
    startPreparing({}, true);
}

void OcrEngine::prepareToRead(const QString &languages)
{
    startPreparing(languages, false);
}

// Until adoptPrepared() returns, this thread leaves Tesseract to the loader.
void OcrEngine::startPreparing(const QString &languages, bool withOrientationDetector)
{
    if (m_api || m_osd || m_prepared.valid())
        return;
    m_prepared = std::async(std::launch::async, [languages, withOrientationDetector] {
        PreparedEngines engines;
        // Only installed packs are loaded (a request's names are checked
        // here first); ensureLanguages() reports any others.
        const QString packs = uprightLanguages(languages);
        if (checkLanguages(packs)) {
            engines.languages = packs;
            engines.api = startedApi(packs);
        }
        if (withOrientationDetector)
            engines.osd = startedOrientationDetector();
        engines.osdTried = withOrientationDetector;
        return engines;
    });
}

// prepare() runs only before either engine is in place, and both are
// taken from it before either is put in place otherwise.
void OcrEngine::adoptPrepared()
{
    if (!m_prepared.valid())
        return;
    PreparedEngines engines = m_prepared.get();
    if (engines.api) {
        m_api = std::move(engines.api);
        m_languages = engines.languages;
    }
    if (engines.osdTried) {
        m_osd = std::move(engines.osd);
        m_osdUnavailable = m_osd == nullptr;
    }
}

bool OcrEngine::ensureLanguages(const QString &languages, QString *error)
{
    adoptPrepared();
    if (m_api && m_languages == languages)
        return true;
    // Tesseract reads "<datapath>/<name>.traineddata" for each name given:
    // only installed names get that far.
    if (const Result<void> checked = checkLanguages(languages); !checked) {
        *error = checked.errorMessage();
        return false;
    }
    if (m_api)
        m_api->End();
    m_api = startedApi(languages);
    if (!m_api) {
        m_languages.clear();
        *error = QStringLiteral("OCR language '%1' is not installed (installed: %2).")
                     .arg(languages, installedLanguages().join(QStringLiteral(", ")));
        return false;
    }
    m_languages = languages;
    return true;
}

// Most scans are upright pages in the expected script: those are read
// once, as they lie, and orientation and script are detected only when
// that reading is poor (as they are before it, for the pages after one
// that was and for a page that looks turned: its ink running in columns,
// or hanging below its lines). A turned page whose letters tell which way
// is read turned back first, as an upright page is read as it lies: the
// detector (0.1-0.3 s a page) is left for pages that read poorly so.
// Either way the same page gets the same reading.
OcrEngine::PageText OcrEngine::recognize(const QImage &image, double dpi, const QString &languages, QString *error,
                                         const ScanCleanupOptions &cleanup)
{
    clearUpperVectorState();
    const QImage gray = toGrayscale8(image);
    const InkLie lie = inkLie(gray, dpi, uprightLanguages(languages));
    if (lie.rotation == 0 && (!m_readUprightFirst || lie.turned))
        return recognizeAnyOrientation(gray, dpi, languages, error, cleanup);
    if (cleanup.enabled) {
        // A process's first page: Tesseract reads its language packs while
        // the page is levelled (and LibTorch loads, to level on a GPU).
        loadTensorModuleInBackground(cleanup.device);
        prepareToRead(languages);
    }
    const TurnedReading first = readTurnedBack(image, gray, lie.rotation, dpi, uprightLanguages(languages), error, cleanup);
    if (first.confidence < 0)
        return {};
    if (first.confidence >= kSureUprightConfidence && readAsItLies()) {
        PageText page{blocks(first.toPage, dpi), quarterTurnsBack(first.rotation)};
        rereadSmallPrint(first.level, dpi, first.toPage, {first.confidence, sureCharacters(), m_languages}, page.blocks);
        m_api->Clear();
        m_readUprightFirst = first.rotation == 0; // after a turned page, the next may lie as it did
        return page;
    }
    m_readUprightFirst = false;
    return recognizeAnyOrientation(gray, dpi, languages, error, cleanup, first);
}

OcrEngine::TurnedReading OcrEngine::readTurnedBack(const QImage &frame, const QImage &gray, int rotation, double dpi,
                                                   const QString &packs, QString *error,
                                                   const ScanCleanupOptions &cleanup)
{
    TurnedReading reading{rotation == 0 ? gray : gray.transformed(QTransform().rotate(-rotation)), {}, -1, rotation};
    if (reading.level.isNull()) { // no memory left for a second copy of a huge page
        *error = QStringLiteral("A page image of %1x%2 pixels is too large to turn upright within the memory limit.")
                     .arg(gray.width())
                     .arg(gray.height());
        return reading;
    }
    // Levelled after turning upright: the skew search only looks a few
    // degrees either way.
    reading.toPage = levelled(reading.level, dpi, cleanup).inverted();
    const PixPointer ink = rotation == 0 && reading.toPage.isIdentity() ? inkOf(frame) : nullptr; // else grey
    reading.confidence = read(reading.level, dpi, packs, error, Threshold::Global, ink.get());
    return reading;
}

// Tesseract reads a page turned a quarter, surely, as lines running down
// it (as it reads Chinese and Japanese set in columns), and its layout
// (headings, listings) is lost that way. The last reading lay as the page
// does when most of its words are in blocks upright and, but for packs of
// scripts set in columns, written across.
bool OcrEngine::readAsItLies() const
{
    const std::unique_ptr<tesseract::ResultIterator> ordered(m_api->GetIterator());
    if (!ordered)
        return true;
    // Counted, not read: the words' order does not matter.
    tesseract::PageIterator words(*ordered);
    const bool columnsOfText = setInColumnsToo(m_languages);
    int asItLies = 0, turned = 0;
    do {
        tesseract::Orientation orientation = tesseract::ORIENTATION_PAGE_UP;
        tesseract::WritingDirection direction = tesseract::WRITING_DIRECTION_LEFT_TO_RIGHT;
        tesseract::TextlineOrder order;
        float deskew = 0;
        words.Orientation(&orientation, &direction, &order, &deskew);
        const bool down = direction == tesseract::WRITING_DIRECTION_TOP_TO_BOTTOM && !columnsOfText;
        (orientation == tesseract::ORIENTATION_PAGE_UP && !down ? asItLies : turned) += 1;
    } while (words.Next(tesseract::RIL_WORD));
    return asItLies >= turned;
}

QTransform OcrEngine::levelled(QImage &gray, double dpi, const ScanCleanupOptions &cleanup)
{
    if (!cleanup.enabled)
        return {};
    QElapsedTimer clock;
    clock.start();
    const CleanedScan cleaned = cleanScanForOcr(gray, dpi, cleanup.device);
    qCDebug(lcOcr, "scan clean-up: skew %.2f degrees, %lld ms", cleaned.skewDegrees, clock.restart());
    if (!cleaned.error.isEmpty()) {
        qCWarning(lcOcr) << "scan clean-up is off for this page:" << cleaned.error;
        return {};
    }
    gray = cleaned.image;
    return cleaned.toLevel;
}

OcrEngine::PageText OcrEngine::recognizeAnyOrientation(const QImage &asItLies, double dpi, const QString &languages,
                                                       QString *error, const ScanCleanupOptions &cleanup,
                                                       const std::optional<TurnedReading> &first)
{
    // Scans come in any orientation: OCR them upright, and report the boxes
    // on the page turned so (its layout is found as on any page: a
    // listing's indents, a list's bullets).
    PageText page;
    QList<TextBlock> &blocks = page.blocks;
    const Orientation orientation = detectOrientation(asItLies, dpi);
    const QString chosen = languages.isEmpty() ? languagesForScript(orientation.script) : languages;
    const bool firstStands = first && orientation.rotation == first->rotation && chosen == uprightLanguages(languages);
    const TurnedReading reading
        = firstStands ? *first : readTurnedBack({}, asItLies, orientation.rotation, dpi, chosen, error, cleanup);
    if (reading.confidence < 0)
        return {};
    const QImage &gray = reading.level;
    const QTransform &toPage = reading.toPage;
    const int confidence = reading.confidence;
    page.quarterTurns = quarterTurnsBack(orientation.rotation);
    blocks = this->blocks(toPage, dpi);
    // The next page is read as it lies first again once this one was an
    // upright page of the expected script, surely read.
    m_readUprightFirst = orientation.rotation == 0 && confidence >= kSureUprightConfidence
        && chosen == uprightLanguages(languages);
    // The detector's script confidence is low on sparse or mixed pages, where
    // Latin is assumed. Where it guessed another script and the Latin reading
    // is poor, the page is read again with that script's packs, and the
    // surer reading stays.
    Reading kept{confidence, sureCharacters(), m_languages};
    if (languages.isEmpty() && orientation.script.isEmpty())
        for (const QString &candidate : alternativeLanguages(orientation.likelyScript, chosen)) {
            if (kept.confidence >= kRereadBelowConfidence)
                break;
            QString retryError;
            const int retried = read(gray, dpi, candidate, &retryError);
            qCDebug(lcOcr, "read as %s: confidence %d (so far %d)", qPrintable(candidate), retried, kept.confidence);
            if (retried <= kept.confidence)
                continue;
            blocks = this->blocks(toPage, dpi);
            kept = {retried, sureCharacters(), m_languages};
        }
    rereadSmallPrint(gray, dpi, toPage, kept, blocks);
    m_api->Clear();
    return page;
}

// Tesseract wants lines some 20 pixels high or more: a poor reading of
// small print, or of a small image (a newspaper page at 100 dpi, whose
// body text may not even be found as lines), is tried again at twice the
// size. A small image read to few characters for its size is doubted too:
// a headline read surely says nothing of the body beside it. A page-wide
// threshold wipes out thin grey strokes beside a photo, so the larger page
// is thresholded tile by tile; the reading with more characters surely
// read stays.
void OcrEngine::rereadSmallPrint(const QImage &gray, double dpi, const QTransform &toPage, const Reading &kept,
                                 QList<TextBlock> &blocks)
{
    const double linePixels = medianLineHeight(blocks) * dpi / 72.0;
    const bool smallLines = linePixels > 0 && linePixels < kMinLinePixels;
    const bool smallImage = qMax(gray.width(), gray.height()) < kSmallImageSide;
    const double megapixels = double(gray.width()) * gray.height() / 1e6;
    const bool readLittle = kept.sureCharacters < kSureCharactersPerMegapixel * megapixels;
    const bool doubtful = kept.confidence < kRereadBelowConfidence || (smallImage && readLittle);
    if (!(smallLines || smallImage) || !doubtful || qint64(gray.width()) * gray.height() * 4 > kMaxUpscaledPixels)
        return;
    QString error;
    const QImage larger = gray.scaled(gray.size() * 2, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    const double sure = read(larger, dpi * 2, kept.packs, &error, Threshold::Adaptive) >= 0 ? sureCharacters() : 0;
    qCDebug(lcOcr, "read at twice the size, thresholded by tiles: %.0f characters surely read (before: %.0f)", sure,
            kept.sureCharacters);
    if (sure > kept.sureCharacters)
        blocks = withLargeTypeOf(blocks, this->blocks(QTransform::fromScale(0.5, 0.5) * toPage, dpi),
                                 kLargeLinePixels * 72.0 / dpi * std::sqrt(std::abs(toPage.determinant())));
}

// Simplified and traditional Chinese read together are chosen word by
// word, and a page came out in both scripts at once (a simplified report
// with every few words traditional; a simplified poem all traditional).
// Each is read on its own instead and the surer reading stays: on its own
// script a pack is some five to ten points surer than on the other; a
// near tie stays simplified, by far the more common of the two.
int OcrEngine::read(const QImage &gray, double dpi, const QString &languages, QString *error, Threshold threshold,
                    Pix *ink)
{
    const QString simplified = QStringLiteral("chi_sim"), traditional = QStringLiteral("chi_tra");
    const QStringList packs = languages.split(QLatin1Char('+'));
    if (!packs.contains(simplified) || !packs.contains(traditional))
        return readAs(gray, dpi, languages, error, threshold, ink);
    const auto without = [&packs](const QString &pack) {
        QStringList kept = packs;
        kept.removeAll(pack);
        return kept.join(QLatin1Char('+'));
    };
    const int asTraditional = readAs(gray, dpi, without(simplified), error, threshold, ink);
    if (asTraditional < 0)
        return asTraditional;
    const int asSimplified = readAs(gray, dpi, without(traditional), error, threshold, ink);
    if (asSimplified < 0 || asSimplified + kTraditionalMargin >= asTraditional)
        return asSimplified;
    return readAs(gray, dpi, without(simplified), error, threshold, ink); // the engine holds its last reading
}

int OcrEngine::readAs(const QImage &gray, double dpi, const QString &languages, QString *error, Threshold threshold,
                      Pix *ink)
{
    if (!ensureLanguages(languages, error))
        return -1;
    m_api->SetVariable("thresholding_method", threshold == Threshold::Adaptive ? "1" : "0");
    QElapsedTimer clock;
    clock.start();
    if (ink && threshold == Threshold::Global)
        m_api->SetImage(ink);
    else
        m_api->SetImage(gray.constBits(), gray.width(), gray.height(), 1, static_cast<int>(gray.bytesPerLine()));
    m_api->SetSourceResolution(static_cast<int>(dpi));
    if (m_api->Recognize(nullptr) != 0) {
        *error = QStringLiteral("OCR failed on a page image of %1x%2 pixels.")
                     .arg(gray.width())
                     .arg(gray.height());
        return -1;
    }
    const int confidence = m_api->MeanTextConf();
    qCDebug(lcOcr, "recognized %dx%d pixels%s as %s in %lld ms: confidence %d", gray.width(), gray.height(),
            ink && threshold == Threshold::Global ? " (their 1-bit ink)" : "", qPrintable(languages), clock.elapsed(),
            confidence);
    return confidence;
}

double OcrEngine::sureCharacters() const
{
    const std::unique_ptr<tesseract::ResultIterator> ordered(m_api->GetIterator());
    if (!ordered)
        return 0;
    // Summed, not read: the words' order does not matter.
    tesseract::LTRResultIterator words(*ordered);
    double sure = 0;
    do {
        const std::unique_ptr<char[]> word(words.GetUTF8Text(tesseract::RIL_WORD));
        if (word)
            sure += QString::fromUtf8(word.get()).trimmed().size() * qMax(0.0f, words.Confidence(tesseract::RIL_WORD)) / 100.0;
    } while (words.Next(tesseract::RIL_WORD));
    return sure;
}

namespace {

// The mean width of a word's ink along its rows, in pixels of the
// binarized image: mostly its stems. Runs as long as a third of the type
// size are bars and serifs joined up, not stems.
double strokeWidth(Pix *binary, const QRect &box, double typeSize)
{
    if (!binary || box.isEmpty())
        return 0;
    const int width = int(pixGetWidth(binary)), height = int(pixGetHeight(binary));
    const QRect inside = box.intersected(QRect(0, 0, width, height));
    const int longest = qMax(1, int(typeSize / 3));
    qint64 inked = 0, runs = 0;
    for (int y = inside.top(); y <= inside.bottom(); ++y) {
        const l_uint32 *row = pixGetData(binary) + qint64(y) * pixGetWpl(binary);
        int run = 0;
        for (int x = inside.left(); x <= inside.right() + 1; ++x) {
            if (x <= inside.right() && GET_DATA_BIT(row, x)) {
                ++run;
                continue;
            }
            if (run > 0 && run <= longest) {
                inked += run;
                ++runs;
            }
            run = 0;
        }
    }
    return runs > 0 ? double(inked) / double(runs) : 0;
}

// The word's small Latin letters: how wide each is and how far each
// stands from the one before it, centre to centre, in pixels. Capitals
// and digits are near alike in width in many proportional faces (figures
// are set to one width for tables), and OCR boxes punctuation loosely.
template <typename Words>
void measureLetters(const Words &word, WordInk &ink)
{
    Words symbol(word);
    double lastCentre = 0;
    bool afterLetter = false;
    do {
        std::unique_ptr<char[]> text(symbol.GetUTF8Text(tesseract::RIL_SYMBOL));
        int left = 0, top = 0, right = 0, bottom = 0;
        const bool letter = text && std::islower(static_cast<unsigned char>(text[0])) && text[1] == '\0';
        if (!letter || !symbol.BoundingBox(tesseract::RIL_SYMBOL, &left, &top, &right, &bottom)) {
            afterLetter = false;
            continue;
        }
        const double centre = (left + right) / 2.0;
        if (afterLetter)
            ink.letterSteps.append(centre - lastCentre);
        ink.letterWidths.append(right - left);
        lastCentre = centre;
        afterLetter = true;
    } while (symbol.Next(tesseract::RIL_SYMBOL) && !symbol.IsAtBeginningOf(tesseract::RIL_WORD));
}

} // namespace

// Tesseract's models know no bullets: it reads "•" as e, o, °, «, ©, "¢*"
// or the like, an inner list's dash as an em dash. Such a mark that starts
// a line and stands off from the text after it by more than a word space
// (a dialogue's dash stands a space off) is a bullet.
void restoreBullets(QList<TextBlock> &blocks)
{
    static const QString letters = QStringLiteral("eo"), signs = QStringLiteral("°«»©®¢*·—–");
    auto misread = [](const QString &mark) {
        if (mark.size() == 1)
            return letters.contains(mark) || signs.contains(mark);
        return mark.size() == 2 && signs.contains(mark[0]) && signs.contains(mark[1]);
    };
    for (TextBlock &block : blocks)
        for (TextLine &line : block.lines) {
            if (line.spans.size() < 2 || !misread(line.spans[0].text))
                continue;
            const double gap = line.spans[1].bbox.left() - line.spans[0].bbox.right();
            if (gap >= kMinBulletGap * line.spans[0].fontSize)
                line.spans[0].text = QStringLiteral("•");
        }
}

namespace {

// Tesseract takes a space that falls at the same place in every row for
// a column's edge: after a label ("Step 1: ...", "Step 2: ...", the
// instructions flush after the numbers), or in rows worded alike ("Line 10
// of the ledger lists ...", "2024-03-01 INFO worker 1 ..."). The rows'
// starts come as a block of their own and their rests in another, and the
// page read "Step 1: Step 2: ..." before any instruction. A block whose
// lines each have a line of another block just after them on the same row
// takes those lines in: a block of labels when that line is a line height
// off or nearer (narrow columns of a newspaper stand as close), any block
// when it is a word space off (as wide as the spaces of the row's words:
// a gutter is wider) and the same two words meet there row after row.
constexpr double kMaxLabelGap = 1.0;       // line heights from a label to the rest of its row
constexpr double kMaxLabelShare = 0.35;    // of the joined rows' width, the labels' at most
constexpr double kMaxRowGap = 0.6;         // line heights from any row's start to its rest
constexpr double kMaxWordSpaces = 1.5;     // and the widest word space of the two lines
constexpr double kMinPairedLines = 0.8;    // of the block's lines, those with the rest of a row beside them
constexpr int kMinRowsOfAnyBlock = 3;
constexpr int kMaxLabelWords = 3;          // a label's, at most ("Step 12:", "Q 4.", "Line 7")
constexpr int kMaxLabelCharacters = 12;

bool isLabel(const TextLine &line)
{
    return !line.spans.isEmpty() && line.spans.size() <= kMaxLabelWords
        && line.text().size() <= kMaxLabelCharacters;
}

// The widest space between a line's words; 0 for a word alone.
double widestWordSpace(const TextLine &line)
{
    double widest = 0;
    for (qsizetype i = 1; i < line.spans.size(); ++i)
        widest = qMax(widest, line.spans[i].bbox.left() - line.spans[i - 1].bbox.right());
    return widest;
}

struct RowRest {
    qsizetype block = -1, line = -1;
};

// The line of another block that goes on `start`'s row, if one starts
// after it within `maxGap` line heights (and, unless it follows a label,
// no further than the two lines' own word spaces allow).
RowRest restOfRow(const QList<TextBlock> &blocks, qsizetype startBlock, const TextLine &start, double maxGap,
                  bool afterLabel)
{
    RowRest nearest;
    double nearestGap = maxGap * start.bbox.height();
    const double startSpace = widestWordSpace(start);
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        if (b == startBlock)
            continue;
        for (qsizetype l = 0; l < blocks[b].lines.size(); ++l) {
            const TextLine &line = blocks[b].lines[l];
            if (line.spans.isEmpty()) // taken by another block's rows
                continue;
            const QRectF &rest = line.bbox;
            const double height = qMin(rest.height(), start.bbox.height());
            const double overlap = qMin(rest.bottom(), start.bbox.bottom()) - qMax(rest.top(), start.bbox.top());
            const double gap = rest.left() - start.bbox.right();
            if (overlap >= 0.6 * height && gap >= -0.5 && gap <= nearestGap
                && (afterLabel || gap <= kMaxWordSpaces * qMax(startSpace, widestWordSpace(line)))) {
                nearest = {b, l};
                nearestGap = gap;
            }
        }
    }
    return nearest;
}

// Joins the rows' rests to the lines of block `starts`; false where too
// few of its lines have a rest beside them.
bool joinRows(QList<TextBlock> &blocks, qsizetype starts)
{
    TextBlock &block = blocks[starts];
    if (std::any_of(block.lines.cbegin(), block.lines.cend(), [](const TextLine &line) { return line.spans.isEmpty(); }))
        return false; // lines taken this round: whole again in the next
    const bool labels = std::all_of(block.lines.cbegin(), block.lines.cend(), isLabel);
    if (block.lines.size() < (labels ? 2 : kMinRowsOfAnyBlock))
        return false;
    QList<RowRest> rests;
    double right = block.bbox.right();
    for (const TextLine &line : std::as_const(block.lines)) {
        rests.append(restOfRow(blocks, starts, line, labels ? kMaxLabelGap : kMaxRowGap, labels));
        if (rests.last().block >= 0)
            right = qMax(right, blocks[rests.last().block].lines[rests.last().line].bbox.right());
    }
    // Rows worded alike have the same words on either side of the split.
    QHash<QPair<QString, QString>, int> splitBetween;
    int paired = 0, alike = 0;
    for (qsizetype i = 0; i < rests.size(); ++i) {
        if (rests[i].block < 0)
            continue;
        ++paired;
        const QPair<QString, QString> words(block.lines[i].spans.last().text,
                                            blocks[rests[i].block].lines[rests[i].line].spans.first().text);
        alike = qMax(alike, ++splitBetween[words]);
    }
    if (paired < kMinPairedLines * block.lines.size()
        || (labels ? block.bbox.width() > kMaxLabelShare * (right - block.bbox.left())
                   : alike < kMinPairedLines * block.lines.size()))
        return false;
    for (qsizetype i = 0; i < rests.size(); ++i) {
        if (rests[i].block < 0)
            continue;
        TextLine &rest = blocks[rests[i].block].lines[rests[i].line];
        // A colon or stop Tesseract gave the rest ("Step 10" ": wait") stays against the label.
        static const QString closing = QStringLiteral(":;,.)!?");
        block.lines[i].spans.last().spaceAfter = !closing.contains(rest.spans.first().text.front());
        block.lines[i].spans += rest.spans;
        block.lines[i].bbox |= rest.bbox;
        block.bbox |= rest.bbox;
        rest.spans.clear(); // taken; removed below
    }
    return true;
}

void joinSplitRows(QList<TextBlock> &blocks)
{
    // Rows split twice come whole in as many rounds.
    for (bool joined = true; joined;) {
        joined = false;
        for (qsizetype starts = 0; starts < blocks.size(); ++starts)
            joined = joinRows(blocks, starts) || joined;
        for (TextBlock &block : blocks) {
            if (block.lines.removeIf([](const TextLine &line) { return line.spans.isEmpty(); }) == 0)
                continue;
            QRectF box;
            for (const TextLine &line : std::as_const(block.lines))
                box |= line.bbox;
            block.bbox = box;
        }
        blocks.removeIf([](const TextBlock &block) { return block.lines.isEmpty(); });
    }
}

// The words of a reading as paragraphs of lines, in the read image's
// pixels mapped onto the page by `toPage` and scaled to points, and each
// word's ink. The packs that keep the print's spacing (Chinese, Japanese)
// set no space where the print has none ("2023年", read as two words); the
// others space every word.
struct ReadWords {
    QList<TextBlock> blocks;
    QList<WordInk> ink;
};

template <typename Words>
ReadWords wordsAsBlocks(Words &it, tesseract::TessBaseAPI &api, const QTransform &toPage, double dpi)
{
    ReadWords read;
    QList<TextBlock> &blocks = read.blocks;
    const double toPoints = 72.0 / dpi;
    // Lengths on the page per pixel of the read image (its scale and turn).
    const double pageScale = std::sqrt(std::abs(toPage.determinant()));
    auto pixelBox = [&it](tesseract::PageIteratorLevel level) {
        int left = 0, top = 0, right = 0, bottom = 0;
        it.BoundingBox(level, &left, &top, &right, &bottom);
        return QRect(QPoint(left, top), QPoint(right - 1, bottom - 1));
    };
    auto box = [&](tesseract::PageIteratorLevel level) {
        const QRect pixelRect = pixelBox(level);
        const QRectF pixels = toPage.mapRect(QRectF(pixelRect.left(), pixelRect.top(), pixelRect.width() + 1, pixelRect.height() + 1));
        return QRectF(pixels.left() * toPoints, pixels.top() * toPoints, pixels.width() * toPoints,
                      pixels.height() * toPoints);
    };
    bool keepsSpacing = false;
    api.GetBoolVariable("preserve_interword_spaces", &keepsSpacing);
    Pix *binary = api.GetThresholdedImage();
    // A paragraph or line whose first words were left out starts at the next.
    bool paragraphStarts = false, lineStarts = false;
    do {
        std::unique_ptr<char[]> word(it.GetUTF8Text(tesseract::RIL_WORD));
        const QString text = word ? QString::fromUtf8(word.get()).trimmed() : QString();
        paragraphStarts = paragraphStarts || it.IsAtBeginningOf(tesseract::RIL_PARA);
        lineStarts = lineStarts || it.IsAtBeginningOf(tesseract::RIL_TEXTLINE);
        if (text.isEmpty() || isDrawnRule(text))
            continue;
        if (blocks.isEmpty() || paragraphStarts) {
            TextBlock block;
            block.bbox = box(tesseract::RIL_PARA);
            blocks.append(block);
        }
        TextBlock &block = blocks.last();
        if (block.lines.isEmpty() || lineStarts) {
            TextLine line;
            line.bbox = box(tesseract::RIL_TEXTLINE);
            block.lines.append(line);
        }
        TextLine &line = block.lines.last();
        if (!line.spans.isEmpty() && keepsSpacing && it.BlanksBeforeWord() == 0)
            line.spans.last().spaceAfter = false;
        // The row's type size, ascender to descender, whether or not this
        // line's words reach either.
        float rowHeight = 0, descenders = 0, ascenders = 0;
        it.RowAttributes(&rowHeight, &descenders, &ascenders);
        TextSpan span;
        span.text = text;
        span.bbox = box(tesseract::RIL_WORD);
        span.fontSize = rowHeight > 0 ? rowHeight * pageScale * toPoints : qMin(line.bbox.height(), line.bbox.width()) * 0.75;
        line.spans.append(span);
        paragraphStarts = lineStarts = false;
        // A word of letters shows its weight; a brace or a dash alone does not.
        const bool lettered = std::count_if(text.cbegin(), text.cend(), [](QChar c) { return c.isLetter(); }) >= 2;
        const QRect wordPixels = pixelBox(tesseract::RIL_WORD);
        WordInk wordInk{wordPixels, lettered ? strokeWidth(binary, wordPixels, rowHeight) : 0.0, rowHeight, {}, {}};
        measureLetters(it, wordInk);
        read.ink.append(wordInk);
    } while (it.Next(tesseract::RIL_WORD));
    pixDestroy(&binary);
    return read;
}

} // namespace

QList<TextBlock> OcrEngine::blocks(const QTransform &toPage, double dpi)
{
    ReadWords read;
    walkWordsInReadingOrder(*m_api, [&](auto &words) { read = wordsAsBlocks(words, *m_api, toPage, dpi); });
    QList<TextBlock> blocks = std::move(read.blocks);
    markScannedTypefaces(blocks, read.ink);
    restoreBullets(blocks);
    joinSplitRows(blocks);

    // Tesseract splits Chinese and Japanese into one-character words, and
    // sees a gap beside a full-width stop (its own blank) or a figure (the
    // typesetter's spacing).
    for (TextBlock &block : blocks)
        for (TextLine &line : block.lines)
            for (qsizetype i = 0; i + 1 < line.spans.size(); ++i)
                if (joinsWithoutSpace(line.spans[i].text.back(), line.spans[i + 1].text.front()))
                    line.spans[i].spaceAfter = false;
    return blocks;
}

} // namespace DocRay
