#pragma once

#include "engine/core/parsetypes.h"
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

    // A PDF parse in two halves, so that page ranges can be read on
    // different machines and still analysed as one document (body size,
    // heading levels and running headers need every page): readPdfPages
    // reads the pages `request.params` selects, as they are on the page;
    // composePages analyses pages read that way and writes the result.
    // parse() of a PDF is exactly composePages(readPdfPages(...)).
    PdfReadResult readPdfPages(const ParseRequest &request, const ParseControl &control) const;
    static ParseResult composePages(PdfPages pages, QByteArray pdfData, const ParserParams &params = {});
};

} // namespace DocRay
