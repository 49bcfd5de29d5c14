#include "engine/layout/pageregions.h"

#include "engine/core/greyaverager.h"
#include "engine/output/markdownwriter.h"
#include "engine/layout/tensor/pageanalysis.h"
#include "engine/layout/rulesonlytables.h"
#include "engine/layout/unruledtables.h"

#include <QBuffer>
#include <QColorSpace>
#include <QCoreApplication>
#include <QFile>
#include <QLibrary>
#include <QPainter>
#include <QRegularExpression>
#include <QSet>
#include <QThreadPool>

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstring>
#include <mutex>

namespace DocRay {

namespace {

// A shaded box around a paragraph looks like a graphic; real figures carry
// only a few labels.
constexpr double kMaxFigureTextShare = 0.3;
constexpr int kMaxLabelWords = 8;         // on one line inside a figure
constexpr int kMaxLabelCharacters = 200;  // in all of a figure's labels
constexpr double kMinScanFigureSide = 54; // points: three quarters of an inch
constexpr qint64 kMaxCleanupPixels = 40000000; // an A3 page at 400 dpi
constexpr qsizetype kMinTableTexts = 3;   // different cell texts in a table

Tensor::GrayImage toGray(const QImage &image)
{
    const QImage grey = toGrayscale8(image);
    Tensor::GrayImage out;
    out.width = grey.width();
    out.height = grey.height();
    out.pixels.resize(size_t(out.width) * size_t(out.height));
    for (int y = 0; y < out.height; ++y)
        std::copy_n(grey.constScanLine(y), out.width, out.pixels.begin() + qsizetype(y) * out.width);
    return out;
}

QRectF toPoints(const Tensor::PixelBox &box, double scale)
{
    return QRectF(box.left / scale, box.top / scale, box.width() / scale, box.height() / scale);
}

// The lines without their words whose centre lies in `area`; those are
// added to *taken. A line with none there keeps its words shared, not
// copied: a page's lines are most of what a long document holds.
QList<TextLine> withoutWords(const QList<TextLine> &lines, const QRectF &area, QList<TextSpan> *taken)
{
    QList<TextLine> kept;
    kept.reserve(lines.size());
    for (const TextLine &line : lines) {
        if (line.spans.isEmpty())
            continue;
        const bool touched = std::any_of(line.spans.cbegin(), line.spans.cend(),
                                         [&area](const TextSpan &span) { return area.contains(span.bbox.center()); });
        if (!touched) {
            // The box the words make, as for a line that gave some up.
            TextLine same = line;
            same.bbox = line.wordsBox();
            kept.append(same);
            continue;
        }
        TextLine rest;
        for (const TextSpan &span : line.spans) {
            if (area.contains(span.bbox.center())) {
                if (taken)
                    taken->append(span);
            } else {
                rest.spans.append(span);
            }
        }
        rest.spans.squeeze();
        rest.bbox = rest.wordsBox();
        if (!rest.spans.isEmpty())
            kept.append(rest);
    }
    return kept;
}

// The parts of the lines whose words' centres lie in `area`.
QList<TextLine> linesInside(const QList<TextLine> &lines, const QRectF &area)
{
    QList<TextLine> inside;
    for (const TextLine &line : lines) {
        TextLine part;
        for (const TextSpan &span : line.spans)
            if (area.contains(span.bbox.center())) {
                part.bbox = part.spans.isEmpty() ? span.bbox : part.bbox.united(span.bbox);
                part.spans.append(span);
            }
        if (!part.spans.isEmpty())
            inside.append(part);
    }
    return inside;
}

// Words whose centre lies in `area` leave the page's lines and are
// returned. OCR'd pages keep Tesseract's paragraphs as blocks: the words
// leave those too, and emptied paragraphs go.
QList<TextSpan> takeWords(PageLayout &page, const QRectF &area)
{
    QList<TextSpan> taken;
    const QList<TextLine> kept = withoutWords(page.lines, area, &taken);
    if (taken.isEmpty())
        return taken;
    page.lines = kept;
    QList<TextBlock> blocks;
    for (TextBlock block : std::as_const(page.blocks)) {
        if (block.type == BlockType::Table || block.type == BlockType::Figure) {
            blocks.append(block);
            continue;
        }
        block.lines = withoutWords(block.lines, area, nullptr);
        if (block.lines.isEmpty())
            continue;
        block.bbox = block.lines.first().bbox;
        for (const TextLine &line : std::as_const(block.lines))
            block.bbox = block.bbox.united(line.bbox);
        blocks.append(block);
    }
    page.blocks = blocks;
    return taken;
}

// Axis labels and legends sit just outside the paint: short lines that
// touch the figure's box join it. A caption does not, nor does prose.
QRectF labelledArea(const PageLayout &page, QRectF area)
{
    static const QRegularExpression captionStart(QStringLiteral("^(fig|figure|table|chart|image|photo)\\b"),
                                                 QRegularExpression::CaseInsensitiveOption);
    for (int pass = 0; pass < 2; ++pass)
        for (const TextLine &line : page.lines) {
            const double reach = qMax(line.bbox.height(), 4.0);
            if (!line.bbox.intersects(area.adjusted(-reach, -reach, reach, reach)) || area.contains(line.bbox))
                continue;
            const QString text = line.text().trimmed();
            if (line.spans.size() > 4 || line.bbox.width() > 0.5 * area.width() || captionStart.match(text).hasMatch())
                continue;
            area = area.united(line.bbox);
        }
    return area;
}

// Words whose box corners are painted: text set on a filled shape. Four
// samples a word, just inside its corners, where glyphs rarely reach.
qsizetype onFill(const QImage &grey, double scale, const QList<TextSpan> &words)
{
    qsizetype count = 0;
    for (const TextSpan &word : words) {
        const QRect box = QRectF(word.bbox.topLeft() * scale, word.bbox.bottomRight() * scale).toRect().adjusted(1, 1, -1, -1);
        int painted = 0;
        for (const QPoint &p : {box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight()})
            painted += grey.valid(p) && qGray(grey.pixel(p)) < kPaintGrey;
        count += painted >= 3;
    }
    return count;
}

double wordArea(const QList<TextSpan> &words)
{
    double area = 0;
    for (const TextSpan &word : words)
        area += word.bbox.width() * word.bbox.height();
    return area;
}

// A cell's text from the page's lines as the reader built them (right-to-
// left lines are already in logical order): the part of each line inside
// the cell, top to bottom.
QString cellText(const QList<TextLine> &lines, const QRectF &cell)
{
    QList<TextLine> parts = linesInside(lines, cell);
    for (TextLine &part : parts)
        part.spans.last().spaceAfter = false;
    std::stable_sort(parts.begin(), parts.end(),
                     [](const TextLine &a, const TextLine &b) { return a.bbox.top() < b.bbox.top() - 1; });
    return MarkdownWriter::joinLines(parts);
}

// Fills the table's cells from `lines`. Whether it is a table: a grid with
// fewer than three different texts in it is a frame, a form box or a scan's
// border.
bool fillCells(TextBlock &table, const QList<TextLine> &lines)
{
    QSet<QString> texts;
    for (TableCell &cell : table.cells) {
        cell.text = cellText(lines, cell.bbox);
        if (!cell.text.isEmpty())
            texts.insert(cell.text);
    }
    return texts.size() >= kMinTableTexts;
}

// A table's cells get their words from the page, which gives them up; a
// grid that is no table leaves them where they were.
void placeTable(PageLayout &page, TextBlock table)
{
    if (!fillCells(table, page.lines))
        return;
    takeWords(page, table.bbox);
    page.regions.append(table);
}

std::atomic<bool> g_tensorModuleSettled{false};

// The page-tensor module, opened once per process on first use. Keeping
// LibTorch out of the executable's link keeps start-up and the window fast.
const Tensor::ModuleApi *tensorModule(QString *error)
{
    struct Loaded {
        const Tensor::ModuleApi *api = nullptr;
        QString error;
    };
    static const Loaded loaded = [] {
        Loaded result;
        // LibTorch narrates through glog on stderr ("... is in beta"); warnings
        // that matter reach the job as errors. (doc-ray's main sets this
        // before any thread starts; this is for other hosts of the engine.)
        if (qEnvironmentVariableIsEmpty("GLOG_minloglevel"))
            qputenv("GLOG_minloglevel", "2");
        const QString appDir = QCoreApplication::applicationDirPath();
        QStringList candidates{qEnvironmentVariable("DOCRAY_TENSOR_MODULE"),
                               appDir + QStringLiteral("/libdocray_tensor.so"),
                               appDir + QStringLiteral("/../lib/doc-ray/libdocray_tensor.so"),
                               QStringLiteral(DOCRAY_TENSOR_MODULE_BUILD_PATH)};
        candidates.removeAll(QString());
        QStringList failures;
        for (const QString &path : std::as_const(candidates)) {
            if (!QFile::exists(path))
                continue;
            QLibrary library(path);
            // LibTorch brings about 180 libraries and 130,000 relocations;
            // looked up in its own libraries first instead of after the
            // hundred this program has loaded, they bind in a fifth less
            // time (a one-page convert with figures: 0.79 -> 0.68 s).
            library.setLoadHints(QLibrary::DeepBindHint);
            using Entry = const Tensor::ModuleApi *(*)();
            if (auto entry = reinterpret_cast<Entry>(library.resolve("docray_tensor_module"))) {
                const Tensor::ModuleApi *api = entry(); // the library stays loaded: QLibrary does not unload
                if (api && api->version == Tensor::kModuleApiVersion) {
                    result.api = api;
                    return result;
                }
                failures.append(QStringLiteral("%1 is from another version of doc-ray").arg(path));
                continue;
            }
            failures.append(library.errorString());
        }
        result.error = QStringLiteral("The page analysis module (libdocray_tensor.so) could not be loaded%1.")
                           .arg(failures.isEmpty() ? QString() : QStringLiteral(": ") + failures.join(QStringLiteral("; ")));
        return result;
    }();
    g_tensorModuleSettled.store(true, std::memory_order_release);
    if (!loaded.api && error)
        *error = loaded.error;
    return loaded.api;
}

} // namespace

QByteArray toPng(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    // Renders are opaque (white paper): an alpha channel would only add a
    // quarter to the bytes. A crop with no colour in it (a photo printed in
    // grey, a formula, a table of black text) is written in grey, the same
    // pixels in a third of the bytes to deflate, store and send. Quality 80
    // is zlib level 1: a few per cent larger than the default level, and
    // several times faster to write.
    QImage opaque = image.hasAlphaChannel() ? image.convertToFormat(QImage::Format_RGB32) : image;
    const bool eightBitColour = opaque.format() == QImage::Format_RGB32 || opaque.format() == QImage::Format_RGB888;
    if (eightBitColour && opaque.allGray())
        opaque = toGrayscale8(opaque);
    opaque.save(&buffer, "PNG", 80);
    buffer.close();
    png.squeeze(); // the buffer grew in steps: a long document keeps thousands of these
    return png;
}

void placeUnruledTables(PageLayout &page)
{
    for (const TextBlock &table : findUnruledTables(page.lines))
        placeTable(page, table);
}

void placeRulesOnlyTables(PageLayout &page, const QList<QRectF> &paint)
{
    for (const TextBlock &table : findRulesOnlyTables(page.lines, paint))
        placeTable(page, table);
}

QList<TextBlock> unruledTablesIn(const QList<TextLine> &lines, int minRows)
{
    QList<TextBlock> tables;
    for (TextBlock table : findUnruledTables(lines, minRows))
        if (fillCells(table, lines))
            tables.append(table);
    return tables;
}

const Tensor::ModuleApi *loadTensorModule(QString *error)
{
    return tensorModule(error);
}

namespace {

// Whether this machine has a GPU driver LibTorch could drive (NVIDIA's, or
// WSL's GPU device): without one "auto" is the CPU, known without loading
// LibTorch to ask.
bool gpuDriverPresent()
{
    static const bool present = QFile::exists(QStringLiteral("/proc/driver/nvidia/version"))
        || QFile::exists(QStringLiteral("/dev/nvidiactl")) || QFile::exists(QStringLiteral("/dev/dxg"));
    return present;
}

bool isAutomatic(const QString &device)
{
    return device.isEmpty() || device == QLatin1String("auto");
}

} // namespace

bool needsTensorModule(const QString &requested)
{
    const QString device = requested.trimmed().toLower();
    return device == QLatin1String("cuda") || (isAutomatic(device) && gpuDriverPresent());
}

void loadTensorModuleInBackground(const QString &requestedDevice)
{
    if (!needsTensorModule(requestedDevice))
        return;
    static std::once_flag started;
    std::call_once(started, [] { QThreadPool::globalInstance()->start([] { tensorModule(nullptr); }); });
}

bool tensorModuleSettled()
{
    return g_tensorModuleSettled.load(std::memory_order_acquire);
}

QString resolveComputeDevice(const QString &requested, QString *error)
{
    const QString device = requested.trimmed().toLower();
    if (!isAutomatic(device) && device != QLatin1String("cpu") && device != QLatin1String("cuda")) {
        if (error)
            *error = QStringLiteral("Unknown device '%1': use auto, cpu or cuda.").arg(requested);
        return {};
    }
    if (!needsTensorModule(device))
        return QStringLiteral("cpu");
    QString loadError;
    const Tensor::ModuleApi *module = tensorModule(&loadError);
    if (!module) {
        // The CPU's own loops need no module: only CUDA, asked for by name, fails.
        if (isAutomatic(device))
            return QStringLiteral("cpu");
        if (error)
            *error = loadError;
        return {};
    }
    const Tensor::DeviceChoice choice = module->chooseDevice(device.toStdString());
    if (error)
        *error = QString::fromStdString(choice.error);
    return QString::fromStdString(choice.device);
}

// The page turned by `transform`, the corners it brings in white. Qt's
// bilinear sampling of the bytes takes a third of the time of LibTorch's
// grid sampler on a CPU, and a fraction of its memory.
QImage turned(const QImage &grey, const QTransform &transform)
{
    QImage result(grey.size(), QImage::Format_Grayscale8);
    result.fill(255);
    QPainter painter(&result);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.setTransform(transform);
    painter.drawImage(0, 0, grey);
    painter.end();
    return result;
}

CleanedScan cleanScanForOcr(const QImage &image, double dpi, const QString &device)
{
    CleanedScan cleaned;
    // The module's skew search holds a few float copies of the page (about
    // 16 bytes a pixel): past this the worker's memory limit is near. The
    // CPU's loops, which need far less, keep the same limit, so a page is
    // levelled alike on either device.
    if (qint64(image.width()) * image.height() > kMaxCleanupPixels) {
        cleaned.error = QStringLiteral("the page has over %1 megapixels; it is read as it is").arg(kMaxCleanupPixels / 1000000);
        return cleaned;
    }
    const QString chosen = resolveComputeDevice(device, &cleaned.error);
    if (chosen.isEmpty())
        return cleaned;
    Tensor::ScanOptions options;
    options.dpi = dpi;
    options.turn = false;
    if (chosen == QLatin1String("cpu")) {
        cleaned.skewDegrees = Tensor::skewOnCpu(toGray(image), options);
    } else {
        const Tensor::ScanCleanup result = tensorModule(nullptr)->cleanScan(toGray(image), options, chosen.toStdString());
        if (!result.error.empty()) {
            cleaned.error = QString::fromStdString(result.error);
            return cleaned;
        }
        cleaned.skewDegrees = result.skewDegrees;
    }
    // Only measured, the page comes back as it went: it is turned here.
    cleaned.rotated = std::abs(cleaned.skewDegrees) >= options.minSkewDegrees;
    const QImage grey = toGrayscale8(image);
    if (!cleaned.rotated) {
        cleaned.image = grey;
        return cleaned;
    }
    const QPointF centre(grey.width() / 2.0, grey.height() / 2.0);
    cleaned.toLevel = QTransform::fromTranslate(-centre.x(), -centre.y()) * QTransform().rotate(-cleaned.skewDegrees)
        * QTransform::fromTranslate(centre.x(), centre.y());
    cleaned.image = turned(grey, cleaned.toLevel);
    return cleaned;
}

namespace {

// The greys Qt gives the bilevel image's two colours, from Qt itself.
QImage bilevelToGrayscale8(const QImage &image)
{
    const bool msbFirst = image.format() == QImage::Format_Mono;
    QImage two(2, 1, image.format());
    two.setColorTable(image.colorTable());
    two.setPixel(0, 0, 0);
    two.setPixel(1, 0, 1);
    const QImage greys = two.convertToFormat(QImage::Format_Grayscale8);
    const uchar grey[2] = {greys.constScanLine(0)[0], greys.constScanLine(0)[1]};
    QImage out(image.size(), QImage::Format_Grayscale8);
    if (out.isNull())
        return out;
    // Eight pixels a byte of bits, from a table: a scan is millions of them.
    std::array<std::array<uchar, 8>, 256> eight{};
    for (int bits = 0; bits < 256; ++bits)
        for (int x = 0; x < 8; ++x)
            eight[size_t(bits)][size_t(x)] = grey[(bits >> (msbFirst ? 7 - x : x)) & 1];
    const int width = image.width(), wholeBytes = width / 8;
    for (int y = 0; y < image.height(); ++y) {
        const uchar *bits = image.constScanLine(y);
        uchar *line = out.scanLine(y);
        for (int byte = 0; byte < wholeBytes; ++byte)
            std::memcpy(line + 8 * byte, eight[bits[byte]].data(), 8);
        for (int x = 8 * wholeBytes; x < width; ++x)
            line[x] = eight[bits[wholeBytes]][size_t(x & 7)];
    }
    return out;
}

// Qt 6 takes every pixel of a 32-bit image through the colour space's
// transform to luminance. Renders and most scans are grey or nearly: a row
// of opaque greys takes Qt's greys for the 256 levels from a table; a row
// with colour goes through Qt as before.
QImage opaqueRgbToGrayscale8(const QImage &image)
{
    QImage ramp(256, 1, image.format());
    for (int level = 0; level < 256; ++level)
        ramp.setPixel(level, 0, qRgb(level, level, level));
    const QImage rampGrey = ramp.convertToFormat(QImage::Format_Grayscale8);
    const uchar *greyOfLevel = rampGrey.constScanLine(0);
    QImage out(image.size(), QImage::Format_Grayscale8);
    if (out.isNull())
        return out;
    const int width = image.width();
    for (int y = 0; y < image.height(); ++y) {
        const auto *pixels = reinterpret_cast<const QRgb *>(image.constScanLine(y));
        uchar *line = out.scanLine(y);
        const bool allGrey = std::all_of(pixels, pixels + width, [](QRgb p) {
            return qAlpha(p) == 255 && qRed(p) == qGreen(p) && qGreen(p) == qBlue(p);
        });
        if (allGrey) {
            for (int x = 0; x < width; ++x)
                line[x] = greyOfLevel[qBlue(pixels[x])];
            continue;
        }
        const QImage row(image.constScanLine(y), width, 1, image.bytesPerLine(), image.format());
        std::copy_n(row.convertToFormat(QImage::Format_Grayscale8).constScanLine(0), width, line);
    }
    return out;
}

} // namespace

QImage toGrayscale8(const QImage &image)
{
    QImage out;
    if ((image.format() == QImage::Format_Mono || image.format() == QImage::Format_MonoLSB) && image.colorCount() == 2)
        out = bilevelToGrayscale8(image);
    else if ((image.format() == QImage::Format_RGB32 || image.format() == QImage::Format_ARGB32)
             && !image.colorSpace().isValid())
        out = opaqueRgbToGrayscale8(image);
    else
        return image.convertToFormat(QImage::Format_Grayscale8);
    // What convertToFormat carries over besides the pixels.
    out.setDotsPerMeterX(image.dotsPerMeterX());
    out.setDotsPerMeterY(image.dotsPerMeterY());
    out.setOffset(image.offset());
    for (const QString &key : image.textKeys())
        out.setText(key, image.text(key));
    return out;
}

QImage analysisImage(const QImage &image, double dpi, double analysisDpi)
{
    if (image.isNull() || dpi <= 0)
        return {};
    const QImage grey = toGrayscale8(image);
    if (analysisDpi >= dpi)
        return grey;
    const double scale = analysisDpi / dpi;
    return averagedDown(grey, QSize(qMax(1, qRound(grey.width() * scale)), qMax(1, qRound(grey.height() * scale))));
}

PageRegionFinder::PageRegionFinder(const Options &options, CropRenderer crop)
    : m_options(options)
    , m_crop(std::move(crop))
{
}

QString PageRegionFinder::process(const QList<PageRender> &batch) const
{
    if (batch.isEmpty() || (!m_options.tables && !m_options.figures))
        return {};
    std::vector<Tensor::PageInput> inputs;
    inputs.reserve(size_t(batch.size()));
    for (const PageRender &render : batch) {
        Tensor::PageInput input;
        input.image = toGray(render.grey);
        const double scale = render.dpi / 72.0;
        for (const TextLine &line : std::as_const(render.page->lines))
            for (const TextSpan &span : line.spans) {
                // Glyphs of large type overshoot their box more: the margin grows with the size.
                const QRectF b = span.bbox.adjusted(-0.15 * span.bbox.height(), -0.15 * span.bbox.height(),
                                                    0.15 * span.bbox.height(), 0.15 * span.bbox.height());
                input.text.push_back({int(b.left() * scale) - 1, int(b.top() * scale) - 1,
                                      int(b.right() * scale) + 2, int(b.bottom() * scale) + 2});
            }
        inputs.push_back(std::move(input));
    }
    // Tables set in whitespace need only the words: they stay when the
    // module cannot be had or fails.
    auto wordsOnly = [&](const QString &error) {
        if (m_options.tables)
            for (const PageRender &render : batch)
                placeUnruledTables(*render.page);
        return error;
    };
    Tensor::BatchFindings found;
    if (m_options.device == QLatin1String("cpu")) {
        found = Tensor::analyzePagesOnCpu(inputs);
    } else {
        QString loadError;
        const Tensor::ModuleApi *module = tensorModule(&loadError);
        if (!module)
            return wordsOnly(loadError);
        found = module->analyzePages(inputs, {}, m_options.device.toStdString());
    }
    if (!found.error.empty())
        return wordsOnly(QString::fromStdString(found.error));

    for (qsizetype i = 0; i < batch.size(); ++i) {
        PageLayout &page = *batch[i].page;
        const double scale = batch[i].dpi / 72.0;
        const Tensor::PageFindings &findings = found.pages[size_t(i)];
        if (m_options.tables) {
            for (const Tensor::TableGrid &grid : findings.tables) {
                TextBlock table;
                table.type = BlockType::Table;
                table.bbox = toPoints(grid.box, scale);
                table.rows = grid.rows();
                table.columns = grid.columns();
                for (const Tensor::GridCell &gridCell : grid.cells) {
                    TableCell cell;
                    cell.row = gridCell.row;
                    cell.column = gridCell.column;
                    cell.rowSpan = gridCell.rowSpan;
                    cell.columnSpan = gridCell.columnSpan;
                    cell.bbox = toPoints(gridCell.box, scale);
                    table.cells.append(cell);
                }
                placeTable(page, table);
            }
        }
        if (m_options.figures) {
            int figureNumber = 0;
            for (const Tensor::PixelBox &box : findings.graphics) {
                const QRectF paint = toPoints(box, scale).adjusted(-2, -2, 2, 2) & QRectF(QPointF(0, 0), page.size);
                if (paint.isEmpty())
                    continue;
                const QRectF area = labelledArea(page, paint);
                // On a scan, characters OCR missed and bits of cell rules are
                // ink outside the words too; pictures there are larger.
                if (page.method == ExtractionMethod::Ocr
                    && qMin(area.width(), area.height()) < kMinScanFigureSide)
                    continue;
                QList<TextSpan> labels;
                bool prose = false;
                for (const TextLine &line : std::as_const(page.lines)) {
                    int inside = 0;
                    for (const TextSpan &span : line.spans)
                        if (area.contains(span.bbox.center())) {
                            labels.append(span);
                            ++inside;
                        }
                    prose |= inside >= kMaxLabelWords;
                }
                int characters = 0;
                for (const TextSpan &label : std::as_const(labels))
                    characters += static_cast<int>(label.text.size());
                // Slide backgrounds and shaded boxes hold running text, or
                // words set on the fill; a figure holds labels, mostly on white.
                if (prose || characters > kMaxLabelCharacters
                    || wordArea(labels) > kMaxFigureTextShare * area.width() * area.height()
                    || onFill(batch[i].grey, scale, labels) * 2 > labels.size())
                    continue;
                // Shaded rows or column bands are paint too: words in table
                // columns on them are left to the table pass below.
                if (m_options.tables && !findUnruledTables(linesInside(page.lines, area)).isEmpty())
                    continue;
                const QImage crop = m_crop ? m_crop(page, area) : QImage();
                if (crop.isNull())
                    continue;
                // Axis labels and the like belong to the picture, not the prose.
                takeWords(page, area);
                TextBlock figure;
                figure.type = BlockType::Figure;
                figure.bbox = area;
                figure.imageName = QStringLiteral("%1_%2.png").arg(page.pageIndex + 1).arg(++figureNumber);
                figure.imagePng = toPng(crop);
                page.regions.append(figure);
            }
        }
        // Last: the words ruled tables and figures hold are spoken for.
        if (m_options.tables)
            placeUnruledTables(page);
    }
    return {};
}

} // namespace DocRay
