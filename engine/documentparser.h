#pragma once

#include "engine/core/parsetypes.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/pdf/pdftextreader.h"

namespace DocRay {

// The engine's entry point: a request and a control in, a parsed document or
// a typed error out. Synchronous and reentrant: call it from any worker
// thread (each thread keeps its own OCR engine), from a child process or
// from the command line, unchanged.
class DocumentParser final
{
public:
    ParseResult parse(const ParseRequest &request, const ParseControl &control) const;
    // Starts loading, in the background, what the calling thread's next
    // page may wait for (Tesseract's packs; LibTorch where `device` may be
    // a GPU): for a process that parses many documents, while it has none.
    // Not while it parses: the dynamic loader's lock, held while LibTorch
    // loads, stalls the parse.
    static void prepareThread(const QString &device);

    // A PDF parse in two halves, so that page ranges can be read on
    // different machines and still analysed as one document (body size,
    // heading levels and running headers need every page): readPdfPages
    // reads the pages `request.params` selects, as they are on the page;
    // a DocumentComposer analyses pages read that way and writes the
    // result. parse() of a PDF is exactly that, page by page.
    PdfReadResult readPdfPages(const ParseRequest &request, const ParseControl &control) const;
};

// Pages as read, added in document order, analysed as one document and
// written: each is kept deflated until every page is known, then analysed
// and written one at a time (LayoutAnalyzer), so a long document's memory
// does not grow with its layouts. Owned by one thread.
class DocumentComposer final
{
public:
    // Pages past the first `heldPages` wait deflated.
    explicit DocumentComposer(qsizetype heldPages = PageSpill::kHeldPages)
        : m_analyzer(heldPages)
    {
    }

    void addPage(PageLayout page);
    // The pages' outline (`outline`), the PDF the boxes refer to (`pdf`;
    // the result's pdfData where it is in memory), and where the pictures
    // go as they are cut (ParseControl::pictures; none: into the result).
    // The composer is spent after.
    ParseResult finish(const QList<OutlineEntry> &outline, const PdfSource &pdf, const ParserParams &params = {},
                       const PictureSink &pictures = {});

private:
    LayoutAnalyzer m_analyzer;
};

} // namespace DocRay
