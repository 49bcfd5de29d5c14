#pragma once

#include "engine/core/parsetypes.h"
#include "engine/pdf/pdfsource.h"

#include <functional>

namespace DocRay {

class OcrEngine;

// A PDF's pages as read, before any document-wide analysis.
struct PdfPages {
    QList<PageLayout> pages; // the requested page range, in order
    QList<OutlineEntry> outline;
};
using PdfReadResult = Result<PdfPages>;

// Reads a PDF's pages into text lines with geometry and font, through
// poppler-cpp (Poppler is included only under engine/pdf/). Pages whose
// text layer is missing are rendered and handed to the OCR engine, when one
// is given. Text-layer pages are also rendered small and handed, in batches,
// to the region finder for tables and figures. One instance per parse; not
// shared between threads.
class PdfTextReader final
{
public:
    explicit PdfTextReader(OcrEngine *ocr = nullptr, const ParseLimits &limits = {});

    PdfReadResult read(const PdfSource &pdf, const ParserParams &params,
                       const ParseControl &control) const;
    // The same read, each page handed to `sink` (in order) as soon as it is
    // final instead of kept: the result's pages stay empty.
    using PageSink = std::function<void(PageLayout &&)>;
    PdfReadResult read(const PdfSource &pdf, const ParserParams &params, const ParseControl &control,
                       const PageSink &sink) const;

    // The pages of the PDF opened with params.password; 0 when it cannot be
    // opened (damaged, or locked without the right password).
    static int pageCount(const PdfSource &pdf, const ParserParams &params);

    // Tables and figures from page renders (on by default); off for PDFs
    // doc-ray composed itself from markdown, which hold neither.
    void setRegionAnalysis(bool enabled) { m_regions = enabled; }

private:
    OcrEngine *m_ocr;
    ParseLimits m_limits;
    bool m_regions = true;
};

} // namespace DocRay
