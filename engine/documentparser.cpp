#include "engine/documentparser.h"

#include "engine/core/documentformat.h"

#include "engine/layout/blockmodel.h"
#include "engine/layout/captions.h"
#include "engine/office/docxreader.h"
#include "engine/html/htmlreader.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/output/documentwriter.h"
#include "engine/ocr/ocrengine.h"
#include "engine/office/officeconverter.h"
#include "engine/layout/pageregions.h"
#include "engine/pdf/pdfcomposer.h"
#include "engine/pdf/pdftextreader.h"
#include "engine/typeset/typesetter.h"
#include "engine/office/spreadsheetreader.h"

#include <QBuffer>
#include <QHash>
#include <QImageReader>
#include <QRegularExpression>
#include <QScopeGuard>

#include <algorithm>
#include <atomic>
#include <future>
#include <optional>
#include <utility>

namespace DocRay {

namespace {

constexpr double kImageDefaultDpi = 300.0;

OcrEngine &threadOcrEngine()
{
    // Tesseract is not thread-safe and slow to initialise: one per thread, kept.
    thread_local OcrEngine engine;
    return engine;
}

PdfSource pdfOf(const ParseRequest &request)
{
    return request.path.isEmpty() ? PdfSource(request.data) : PdfSource::file(request.path);
}

// Each page goes into the analysis as soon as it is read.
ParseResult parsePdf(const PdfSource &pdf, const ParserParams &params, const ParseLimits &limits,
                     const ParseControl &control)
{
    DocumentComposer composer;
    const PdfReadResult read = PdfTextReader(&threadOcrEngine(), limits)
                                   .read(pdf, params, control,
                                         [&composer](PageLayout &&page) { composer.addPage(std::move(page)); });
    if (!read)
        return read.error();
    return composer.finish(read->outline, pdf, params, control.pictures);
}

// Markdown that a reader wrote itself (text, DOCX, spreadsheets, HTML) is
// returned as written, which no round trip could improve; its pages and
// middle JSON come from laying it out.
ParseResult fromMarkdown(const QString &text, bool isMarkdown, const ParseLimits &limits, const ParseControl &control,
                         const QMap<QString, QByteArray> &images = {})
{
    Result<TypesetDocument> typeset = typesetText(text, isMarkdown, images, limits.maxPages, control);
    if (!typeset)
        return typeset.error();
    DocumentWriter writer(typeset->pdf, {}, text.endsWith(QLatin1Char('\n')) ? text : text + QLatin1Char('\n'));
    for (PageLayout &page : typeset->pages) {
        writer.add(page);
        page = PageLayout();
    }
    return writer.finish(std::move(typeset->pdf));
}

ParseResult parseText(const ParseRequest &request, const ParseControl &control)
{
    return fromMarkdown(QString::fromUtf8(request.data), request.format == DocumentFormat::Markdown, request.limits, control);
}

ParseResult fromReader(const MarkdownResult &read, const ParseLimits &limits, const ParseControl &control)
{
    if (!read)
        return read.error();
    ParseResult result = fromMarkdown(read->markdown, true, limits, control, read->images);
    if (result.ok())
        result->images.insert(read->images);
    return result;
}

ParseResult parseHtml(const ParseRequest &request, const ParseControl &control)
{
    return fromReader(HtmlReader().read(request.data), request.limits, control);
}

ParseResult parseOffice(const ParseRequest &request, const ParseControl &control)
{
    const OfficeKind kind = detectOfficeKind(request.data, detectFormat({}, request.fileName).extension);
    const bool pageRange = request.params.startPage > 0 || request.params.endPage >= 0;
    if (!pageRange && kind == OfficeKind::Docx && request.params.docxNative)
        return fromReader(DocxReader().read(request.data), request.limits, control);
    if (!pageRange && (kind == OfficeKind::Xlsx || kind == OfficeKind::Ods))
        return fromReader(SpreadsheetReader().read(request.data, kind), request.limits, control);
    if (kind == OfficeKind::None)
        return Error{ErrorCode::Unsupported, QStringLiteral("The file is a container doc-ray does not know.")};

    const Result<QByteArray> converted = OfficeConverter().convert(request.data, kind, control);
    if (!converted)
        return converted.error();
    return parsePdf(*converted, request.params, {}, control);
}

// Tables and figures on OCR'd page images, found as on rendered PDF pages
// with the OCR words as the text. `frames[i]` is pages[i]'s image at `dpi`.
// Without the page-analysis module the text stands alone.
void findImageRegions(QList<PageLayout> &pages, const QList<QImage> &frames, double dpi, const ParseRequest &request)
{
    PageRegionFinder::Options options;
    options.tables = request.params.tableEnable;
    options.figures = request.params.figureEnable;
    if (!options.tables && !options.figures)
        return;
    QString error;
    options.device = resolveComputeDevice(
        request.params.device.isEmpty() ? request.limits.device : request.params.device, &error);
    if (options.device.isEmpty()) {
        qWarning("tables and figures are off: %s", qPrintable(error));
        if (options.tables)
            for (PageLayout &page : pages)
                placeUnruledTables(page); // the words alone need no module
        return;
    }
    const int first = pages.isEmpty() ? 0 : pages.first().pageIndex;
    auto crop = [&frames, dpi, first](const PageLayout &page, const QRectF &points) {
        const double scale = dpi / 72.0;
        return frames[page.pageIndex - first].copy(QRectF(points.topLeft() * scale, points.bottomRight() * scale).toRect());
    };
    const PageRegionFinder finder(options, crop);
    const qsizetype batchSize = analysisBatch(options.device);
    for (qsizetype start = 0; start < pages.size(); start += batchSize) {
        QList<PageRender> batch;
        for (qsizetype i = start; i < qMin(start + batchSize, pages.size()); ++i)
            if (!pages[i].lines.isEmpty())
                batch.append({&pages[i], analysisImage(frames[i], dpi, kAnalysisDpi), qMin(dpi, kAnalysisDpi)});
        error = finder.process(batch);
        if (!error.isEmpty())
            qWarning("table and figure analysis failed: %s", qPrintable(error));
    }
}

ParseResult parseImage(const ParseRequest &request, const ParseControl &control)
{
    threadOcrEngine().prepareToRead(request.params.language);
    QBuffer buffer;
    buffer.setData(request.data);
    buffer.open(QIODevice::ReadOnly);
    // Named, where the signature tells it: Qt then loads that one reader,
    // not every image plugin to ask each whether it reads these bytes.
    QImageReader reader(&buffer, imageFormatName(request.data));
    // Decoding bombs: refuse from the header what would not fit the limit.
    QImageReader::setAllocationLimit(static_cast<int>(qMin<qint64>(request.limits.maxImagePixels * 4 >> 20, 1 << 30)));
    // Asked first: Qt's TIFF reader moves past the first page only once it
    // has counted them; the count also refuses a too-long scan up front.
    if (reader.imageCount() > request.limits.maxPages)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The image has more than %1 pages, the limit per job.")
                                        .arg(request.limits.maxPages)};
    QList<QImage> frames;
    do {
        const QSize size = reader.size();
        if (qint64(size.width()) * size.height() > request.limits.maxImagePixels)
            return Error{ErrorCode::InvalidInput, QStringLiteral("The image is too large: %1x%2 pixels (the limit is %3 megapixels).")
                                            .arg(size.width())
                                            .arg(size.height())
                                            .arg(request.limits.maxImagePixels / 1000000)};
        if (frames.size() >= request.limits.maxPages)
            return Error{ErrorCode::InvalidInput, QStringLiteral("The image has more than %1 pages, the limit per job.")
                                            .arg(request.limits.maxPages)};
        QImage frame = reader.read();
        if (frame.isNull())
            break;
        frames.append(frame);
    } while (reader.jumpToNextImage());
    if (frames.isEmpty())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The image could not be decoded: %1.")
                                        .arg(reader.errorString())};

    const int first = qMax(0, request.params.startPage);
    const int last = request.params.endPage < 0
        ? static_cast<int>(frames.size()) - 1
        : qMin(request.params.endPage, static_cast<int>(frames.size()) - 1);
    if (first > last)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The page range selects no page of this %1-page image.")
                                        .arg(frames.size())};
    frames = frames.mid(first, last - first + 1);

    // Scans carry their resolution; screenshots and web images often do not.
    const double dpi = frames.first().dotsPerMeterX() > 0
        ? qBound(72.0, frames.first().dotsPerMeterX() * 0.0254, 1200.0)
        : kImageDefaultDpi;
    const int total = static_cast<int>(frames.size());
    control.report(0, total);
    // pdf_data is written while Tesseract reads, on a core it leaves idle
    // (a letter-size scan takes 0.02-0.05 s). The writing stops at its next
    // page once it is not wanted: a page read turned upright (pdf_data is
    // written again, of the upright frames), or a parse that ends early
    // (cancelled, or a page refused), before it waits for it.
    std::atomic<bool> stopWriting{false};
    std::future<QByteArray> pdfData
        = std::async(std::launch::async | std::launch::deferred, [frames, dpi, &stopWriting] {
              return PdfComposer::fromImages(frames, dpi, [&stopWriting] { return stopWriting.load(); });
          });
    const auto endWriting = qScopeGuard([&stopWriting] { stopWriting = true; });
    bool turnedUpright = false;
    const ScanCleanupOptions cleanup{request.params.scanCleanup,
                                     request.params.device.isEmpty() ? request.limits.device : request.params.device};
    QList<PageLayout> pages;
    for (int i = 0; i < total; ++i) {
        if (control.cancelled())
            return cancelledError();
        QString error;
        const OcrEngine::PageText read
            = threadOcrEngine().recognize(frames[i], dpi, request.params.language, &error, cleanup);
        if (!error.isEmpty())
            return Error{ErrorCode::InvalidInput, error};
        // A picture turned on its side or upside down is the page as OCR
        // turned it, upright: its layout, boxes, crops and pdf_data alike.
        if (read.quarterTurns != 0) {
            QImage upright = frames[i].transformed(QTransform().rotate(90 * read.quarterTurns));
            if (upright.isNull()) // no memory left for a second copy of a huge page
                return Error{ErrorCode::TooLarge,
                             QStringLiteral("Page %1 of the image is too large to turn upright within the memory limit.")
                                 .arg(first + i + 1)};
            frames[i] = std::move(upright);
            turnedUpright = true;
            stopWriting = true;
        }
        PageLayout page;
        page.pageIndex = i; // pdf_data holds the selected frames only
        page.size = QSizeF(frames[i].width() * 72.0 / dpi, frames[i].height() * 72.0 / dpi);
        page.setOcrBlocks(read.blocks);
        pages.append(page);
        control.report(i + 1, total);
    }
    findImageRegions(pages, frames, dpi, request);
    DocumentComposer composer;
    for (PageLayout &page : pages)
        composer.addPage(std::exchange(page, PageLayout()));
    return composer.finish({}, turnedUpright ? PdfComposer::fromImages(frames, dpi) : pdfData.get(), request.params,
                           control.pictures);
}

} // namespace

void DocumentParser::prepareThread(const QString &device)
{
    loadTensorModuleInBackground(device);
    threadOcrEngine().prepare();
}

PdfReadResult DocumentParser::readPdfPages(const ParseRequest &request, const ParseControl &control) const
{
    PdfTextReader reader(&threadOcrEngine(), request.limits);
    return reader.read(pdfOf(request), request.params, control);
}

void DocumentComposer::addPage(PageLayout page)
{
    m_analyzer.addPage(std::move(page));
}

ParseResult DocumentComposer::finish(const QList<OutlineEntry> &outline, const PdfSource &pdf, const ParserParams &params,
                                     const PictureSink &pictures)
{
    std::optional<BlockRoleModel> model;
    if (params.blockModel) {
        Result<BlockRoleModel> loaded = BlockRoleModel::load(outline, {params.formulaEnable, params.tableEnable});
        if (loaded)
            model.emplace(std::move(*loaded));
        else
            qWarning("Block roles from the layout rules only: %s", qPrintable(loaded.errorMessage()));
    }
    DocumentWriter writer(pdf, params.password);
    writer.handPicturesTo(pictures);
    m_analyzer.finish(
        outline,
        [&model](const PageLayout &page) {
            if (model)
                model->count(page);
        },
        [&model, &writer](PageLayout &page) {
            if (model) {
                model->apply(page);
                attachCaptions(page); // of the tables the model found
            }
            writer.add(page);
        });
    return writer.finish(pdf.bytes());
}

ParseResult DocumentParser::parse(const ParseRequest &request, const ParseControl &control) const
{
    if (request.data.isEmpty() && (request.format != DocumentFormat::Pdf || request.path.isEmpty()))
        return Error{ErrorCode::InvalidInput, QStringLiteral("The document is empty.")};
    switch (request.format) {
    case DocumentFormat::Pdf: return parsePdf(pdfOf(request), request.params, request.limits, control);
    case DocumentFormat::PlainText:
    case DocumentFormat::Markdown: return parseText(request, control);
    case DocumentFormat::Image: return parseImage(request, control);
    case DocumentFormat::Office: return parseOffice(request, control);
    case DocumentFormat::Html: return parseHtml(request, control);
    case DocumentFormat::Unknown: break;
    }
    return Error{ErrorCode::Unsupported, QStringLiteral("Documents of type '%1' cannot be parsed yet.")
                                    .arg(formatName(request.format))};
}

} // namespace DocRay
