#include "engine/documentparser.h"

#include "engine/blockmodel.h"
#include "engine/docxreader.h"
#include "engine/htmlreader.h"
#include "engine/layoutanalyzer.h"
#include "engine/markdownwriter.h"
#include "engine/middlejsonwriter.h"
#include "engine/ocrengine.h"
#include "engine/officeconverter.h"
#include "engine/pageregions.h"
#include "engine/pdfcomposer.h"
#include "engine/pdftextreader.h"
#include "engine/spreadsheetreader.h"

#include <QBuffer>
#include <QImageReader>
#include <QJsonValue>

namespace DocRay {

namespace {

constexpr double kImageDefaultDpi = 300.0;

OcrEngine &threadOcrEngine()
{
    // Tesseract is not thread-safe and slow to initialise: one per thread, kept.
    thread_local OcrEngine engine;
    return engine;
}

ParseResult fromPages(const PdfReadResult &read, QByteArray pdfData, const ParserParams &params)
{
    if (read.code != ParseErrorCode::None)
        return ParseResult::failure(read.code, read.error);
    QList<PageLayout> pages = read.pages;
    LayoutAnalyzer().analyze(pages, read.outline);
    if (params.blockModel) {
        const QString problem = BlockRoleModel::apply(pages, read.outline, {params.formulaEnable, params.tableEnable});
        if (!problem.isEmpty())
            qWarning("Block roles from the layout rules only: %s", qPrintable(problem));
    }
    ParseResult result;
    for (const PageLayout &page : std::as_const(pages))
        for (const TextBlock &block : page.blocks)
            if (block.type == BlockType::Figure && !block.imagePng.isEmpty())
                result.document.images.insert(QStringLiteral("images/") + block.imageName, block.imagePng);
    result.document.markdown = MarkdownWriter().write(pages);
    result.document.middleJson = MiddleJsonWriter().write(pages);
    result.document.pdfData = std::move(pdfData);
    result.document.pageCount = static_cast<int>(pages.size());
    return result;
}

ParseResult parsePdf(const ParseRequest &request, const ParseControl &control)
{
    return fromPages(DocumentParser().readPdfPages(request, control), request.data, request.params);
}

// Markdown that a reader wrote itself (text, DOCX, spreadsheets, HTML): the
// geometry in middle_json comes from a PDF rendered from it, the markdown is
// returned as written, which no round trip could improve.
ParseResult fromMarkdown(const QString &text, bool isMarkdown, const ParseLimits &limits, const ParseControl &control)
{
    const QByteArray pdf = PdfComposer::fromText(text, isMarkdown);
    ParserParams allPages;
    allPages.blockModel = false; // the markdown is returned as written
    PdfTextReader reader(nullptr, limits);
    reader.setRegionAnalysis(false);
    ParseResult result = fromPages(reader.read(pdf, allPages, control), pdf, allPages);
    if (result.ok()) {
        result.document.markdown = text;
        if (!text.endsWith(QLatin1Char('\n')))
            result.document.markdown += QLatin1Char('\n');
    }
    return result;
}

ParseResult parseText(const ParseRequest &request, const ParseControl &control)
{
    return fromMarkdown(QString::fromUtf8(request.data), request.format == DocumentFormat::Markdown, request.limits, control);
}

ParseResult fromReader(const MarkdownDocument &read, const ParseLimits &limits, const ParseControl &control)
{
    if (!read.ok())
        return ParseResult::failure(ParseErrorCode::InvalidDocument, read.error);
    ParseResult result = fromMarkdown(read.markdown, true, limits, control);
    if (result.ok())
        result.document.images = read.images;
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
        return ParseResult::failure(ParseErrorCode::Unsupported,
                                    QStringLiteral("The file is a container doc-ray does not know."));

    ParseResult converted = OfficeConverter().convert(request.data, kind, control);
    if (!converted.ok())
        return converted;
    const QByteArray pdf = converted.document.pdfData;
    PdfTextReader reader(&threadOcrEngine());
    return fromPages(reader.read(pdf, request.params, control), pdf, request.params);
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
    for (qsizetype start = 0; start < pages.size(); start += kAnalysisBatch) {
        QList<PageRender> batch;
        for (qsizetype i = start; i < qMin(start + kAnalysisBatch, pages.size()); ++i)
            if (!pages[i].lines.isEmpty())
                batch.append({&pages[i], analysisImage(frames[i], dpi, kAnalysisDpi), qMin(dpi, kAnalysisDpi)});
        error = finder.process(batch);
        if (!error.isEmpty())
            qWarning("table and figure analysis failed: %s", qPrintable(error));
    }
}

ParseResult parseImage(const ParseRequest &request, const ParseControl &control)
{
    QBuffer buffer;
    buffer.setData(request.data);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    // Decoding bombs: refuse from the header what would not fit the limit.
    QImageReader::setAllocationLimit(static_cast<int>(qMin<qint64>(request.limits.maxImagePixels * 4 >> 20, 1 << 30)));
    QList<QImage> frames;
    do {
        const QSize size = reader.size();
        if (qint64(size.width()) * size.height() > request.limits.maxImagePixels)
            return ParseResult::failure(ParseErrorCode::InvalidDocument,
                                        QStringLiteral("The image is too large: %1x%2 pixels (the limit is %3 megapixels).")
                                            .arg(size.width())
                                            .arg(size.height())
                                            .arg(request.limits.maxImagePixels / 1000000));
        if (frames.size() >= request.limits.maxPages)
            return ParseResult::failure(ParseErrorCode::InvalidDocument,
                                        QStringLiteral("The image has more than %1 pages, the limit per job.")
                                            .arg(request.limits.maxPages));
        QImage frame = reader.read();
        if (frame.isNull())
            break;
        frames.append(frame);
    } while (reader.jumpToNextImage());
    if (frames.isEmpty())
        return ParseResult::failure(ParseErrorCode::InvalidDocument,
                                    QStringLiteral("The image could not be decoded: %1.")
                                        .arg(reader.errorString()));

    const int first = qMax(0, request.params.startPage);
    const int last = request.params.endPage < 0
        ? static_cast<int>(frames.size()) - 1
        : qMin(request.params.endPage, static_cast<int>(frames.size()) - 1);
    if (first > last)
        return ParseResult::failure(ParseErrorCode::InvalidDocument,
                                    QStringLiteral("The page range selects no page of this %1-page image.")
                                        .arg(frames.size()));
    frames = frames.mid(first, last - first + 1);

    // Scans carry their resolution; screenshots and web images often do not.
    const double dpi = frames.first().dotsPerMeterX() > 0
        ? qBound(72.0, frames.first().dotsPerMeterX() * 0.0254, 1200.0)
        : kImageDefaultDpi;
    const int total = static_cast<int>(frames.size());
    control.report(0, total);
    const ScanCleanupOptions cleanup{request.params.scanCleanup,
                                     request.params.device.isEmpty() ? request.limits.device : request.params.device};
    QList<PageLayout> pages;
    for (int i = 0; i < total; ++i) {
        if (control.cancelled())
            return ParseResult::failure(ParseErrorCode::Cancelled, QStringLiteral("Cancelled."));
        QString error;
        PageLayout page;
        page.pageIndex = first + i;
        page.size = QSizeF(frames[i].width() * 72.0 / dpi, frames[i].height() * 72.0 / dpi);
        page.setOcrBlocks(threadOcrEngine().recognize(frames[i], dpi, request.params.language, &error, cleanup));
        if (!error.isEmpty())
            return ParseResult::failure(ParseErrorCode::InvalidDocument, error);
        pages.append(page);
        control.report(i + 1, total);
    }
    findImageRegions(pages, frames, dpi, request);
    PdfReadResult read;
    read.pages = pages;
    read.documentPageCount = total;
    return fromPages(read, PdfComposer::fromImages(frames, dpi), request.params);
}

} // namespace

PdfReadResult DocumentParser::readPdfPages(const ParseRequest &request, const ParseControl &control) const
{
    PdfTextReader reader(&threadOcrEngine(), request.limits);
    return reader.read(request.data, request.params, control);
}

ParseResult DocumentParser::composePages(const PdfReadResult &read, QByteArray pdfData, const ParserParams &params)
{
    return fromPages(read, std::move(pdfData), params);
}

ParseResult DocumentParser::parse(const ParseRequest &request, const ParseControl &control) const
{
    if (request.data.isEmpty())
        return ParseResult::failure(ParseErrorCode::InvalidDocument, QStringLiteral("The document is empty."));
    switch (request.format) {
    case DocumentFormat::Pdf: return parsePdf(request, control);
    case DocumentFormat::PlainText:
    case DocumentFormat::Markdown: return parseText(request, control);
    case DocumentFormat::Image: return parseImage(request, control);
    case DocumentFormat::Office: return parseOffice(request, control);
    case DocumentFormat::Html: return parseHtml(request, control);
    case DocumentFormat::Unknown: break;
    }
    return ParseResult::failure(ParseErrorCode::Unsupported,
                                QStringLiteral("Documents of type '%1' cannot be parsed yet.")
                                    .arg(formatName(request.format)));
}

// ---- ParserParams -------------------------------------------------------

namespace {

QString readInt(const QJsonObject &json, const char *key, int *out)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return {};
    const double number = value.toDouble(-1.5);
    if (!value.isDouble() || number != static_cast<int>(number) || number < 0)
        return QStringLiteral("parser_params.%1 must be a non-negative integer.").arg(QLatin1String(key));
    *out = static_cast<int>(number);
    return {};
}

QString readBool(const QJsonObject &json, const char *key, bool *out)
{
    const QJsonValue value = json.value(QLatin1String(key));
    if (value.isUndefined() || value.isNull())
        return {};
    if (!value.isBool())
        return QStringLiteral("parser_params.%1 must be true or false.").arg(QLatin1String(key));
    *out = value.toBool();
    return {};
}

} // namespace

QString ParserParams::fromJson(const QJsonObject &json, ParserParams *out)
{
    ParserParams params;
    QString error;
    int endPage = -1;
    if (error.isEmpty()) error = readInt(json, "start_page", &params.startPage);
    if (error.isEmpty()) error = readInt(json, "end_page", &endPage);
    if (error.isEmpty()) error = readBool(json, "force_ocr", &params.forceOcr);
    if (error.isEmpty()) error = readBool(json, "formula_enable", &params.formulaEnable);
    if (error.isEmpty()) error = readBool(json, "table_enable", &params.tableEnable);
    if (error.isEmpty()) error = readBool(json, "figure_enable", &params.figureEnable);
    const QJsonValue password = json.value(QStringLiteral("password"));
    if (error.isEmpty() && !password.isUndefined() && !password.isNull()) {
        if (!password.isString())
            error = QStringLiteral("parser_params.password must be a string.");
        else
            params.password = password.toString();
    }
    if (error.isEmpty()) error = readBool(json, "docx_native", &params.docxNative);
    if (error.isEmpty()) error = readBool(json, "scan_cleanup", &params.scanCleanup);
    if (error.isEmpty()) error = readBool(json, "block_model", &params.blockModel);
    const QJsonValue device = json.value(QStringLiteral("device"));
    if (error.isEmpty() && !device.isUndefined() && !device.isNull()) {
        const QString name = device.toString().trimmed().toLower();
        if (!device.isString() || (name != QLatin1String("auto") && name != QLatin1String("cpu") && name != QLatin1String("cuda")))
            error = QStringLiteral("parser_params.device must be \"auto\", \"cpu\" or \"cuda\".");
        else
            params.device = name;
    }
    const QJsonValue lang = json.value(QStringLiteral("lang"));
    if (error.isEmpty() && !lang.isUndefined() && !lang.isNull()) {
        if (!lang.isString() || lang.toString().trimmed().isEmpty())
            error = QStringLiteral("parser_params.lang must be a language string such as \"eng\" or \"eng+deu\".");
        else
            params.language = lang.toString().trimmed();
    }
    params.endPage = endPage;
    if (error.isEmpty() && params.endPage >= 0 && params.endPage < params.startPage)
        error = QStringLiteral("parser_params.end_page must not be before start_page.");
    if (error.isEmpty())
        *out = params;
    return error;
}

QJsonObject ParserParams::toJson() const
{
    QJsonObject json{{QStringLiteral("start_page"), startPage},
                     {QStringLiteral("force_ocr"), forceOcr},
                     {QStringLiteral("formula_enable"), formulaEnable},
                     {QStringLiteral("table_enable"), tableEnable},
                     {QStringLiteral("figure_enable"), figureEnable},
                     {QStringLiteral("docx_native"), docxNative},
                     {QStringLiteral("scan_cleanup"), scanCleanup},
                     {QStringLiteral("block_model"), blockModel}};
    if (endPage >= 0)
        json.insert(QStringLiteral("end_page"), endPage);
    if (!language.isEmpty())
        json.insert(QStringLiteral("lang"), language);
    if (!password.isEmpty())
        json.insert(QStringLiteral("password"), password);
    if (!device.isEmpty())
        json.insert(QStringLiteral("device"), device);
    return json;
}

} // namespace DocRay
