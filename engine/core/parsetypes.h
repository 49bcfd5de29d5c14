#pragma once

#include "engine/core/documentformat.h"
#include "engine/core/packedbytes.h"
#include "engine/core/pagelayout.h"
#include "engine/core/result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QMap>
#include <QString>

#include <functional>

namespace DocRay {

// Options a client may pass with a document (the original's parser_params).
struct ParserParams {
    int startPage = 0;       // 0-based, inclusive
    int endPage = -1;        // 0-based, inclusive; -1 = last page
    QString language;        // Tesseract languages; empty: chosen from the page's script
    bool forceOcr = false;
    bool formulaEnable = true;
    bool tableEnable = true;
    bool figureEnable = true; // figures cropped into result.images
    QString password;        // opens encrypted PDFs
    // DOCX read from its XML (true) or converted by LibreOffice and read as a
    // PDF (false). A page range always takes the LibreOffice path: only its
    // layout has pages.
    bool docxNative = true;
    // Where page tensors (tables, figures) are computed: "auto", "cpu" or
    // "cuda"; empty takes the operator's choice (ParseLimits::device).
    QString device;
    // Scanned pages are levelled (deskewed) on the page-tensor device before OCR.
    bool scanCleanup = true;
    // Block roles (headings, page furniture) retyped by the trained
    // block-role model after the layout rules; off leaves the rules alone.
    // On by default: it wins heading F1 on the dev corpus and moves no other
    // score by more than 0.001 (bench/block_model_ablation.py, models/README.md).
    bool blockModel = true;

    // Reads the keys doc-ray knows; unknown keys are ignored. A known key
    // with the wrong type or range is an InvalidInput error.
    static Result<ParserParams> fromJson(const QJsonObject &json);
    QJsonObject toJson() const;
};

// What a document may make the engine do, whatever it claims: the
// operator's caps against hostile or broken files.
struct ParseLimits {
    int maxPages = 2000;                      // pages (or image frames) per job
    qint64 maxRenderPixels = 60'000'000;      // per rendered page; the dpi drops to fit
    qint64 maxImagePixels = 150'000'000;      // per decoded image
    // Not a cap but the operator's choice all the same: the device page
    // tensors run on ("auto", "cpu", "cuda") unless a request names one.
    QString device = QStringLiteral("auto");
};

struct ParseRequest {
    QByteArray data;
    // A PDF's file, read as its pages need it, in place of `data` (a long
    // document is then not held in memory).
    QString path;
    QString fileName;
    DocumentFormat format = DocumentFormat::Unknown;
    ParserParams params;
    ParseLimits limits;
};

// How a running parse talks back: a cancel poll and per-page progress.
// Both may be empty; both are called from the parsing thread.
using PictureSink = std::function<void(const QString &name, const QByteArray &png)>;

struct ParseControl {
    std::function<bool()> isCancelled;
    std::function<void(int pagesDone, int pagesTotal)> progress;
    // Where set, a PDF's pictures (result.images: name, PNG) are handed
    // here as soon as they are cut instead of kept in the result, so that a
    // long document's pictures are not held until its end.
    PictureSink pictures;

    bool cancelled() const { return isCancelled && isCancelled(); }
    void report(int done, int total) const
    {
        if (progress)
            progress(done, total);
    }
};

struct ParsedDocument {
    QByteArray packedMarkdown;          // UTF-8, packed (packedbytes.h)
    QByteArray packedMiddleJson;        // MinerU pipeline schema, compact JSON, packed (packedbytes.h)
    QMap<QString, QByteArray> images;   // "images/<name>.png" -> PNG bytes
    QByteArray pdfData;                 // the PDF that was parsed; empty where it is ParseRequest::path
    int pageCount = 0;
    int ocrPages = 0;                   // of pageCount, read by OCR (the rest from a text layer)

    QString markdown() const { return QString::fromUtf8(unpack(packedMarkdown)); }
    QByteArray middleJson() const { return unpack(packedMiddleJson); }
};

using ParseResult = Result<ParsedDocument>;

inline Error cancelledError()
{
    return Error{ErrorCode::Cancelled, QStringLiteral("Cancelled.")};
}

} // namespace DocRay
