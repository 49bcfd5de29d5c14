#pragma once

#include "engine/core/parsetypes.h"
#include "engine/output/markdownwriter.h"
#include "engine/output/middlejsonwriter.h"
#include "engine/pdf/pagerenderer.h"

#include <optional>

namespace DocRay {

// The writers take the analysed pages one at a time, each released once
// written: a long document's layouts and its outputs are never all held
// at once. Each page's tables, display formulas and figures known only by
// their caption get their pictures cut from the PDF the result returns
// (MinerU's consumers show them beside the html or the text). A reader's
// own markdown stands instead of the one written from the pages where
// there is one. Owned by one thread.
class DocumentWriter final
{
public:
    DocumentWriter(const PdfSource &pdf, const QString &password, std::optional<QString> markdown = std::nullopt);

    // Pictures go to `sink` as they are cut, not into the result's images.
    void handPicturesTo(PictureSink sink) { m_pictureSink = std::move(sink); }
    // A page as read (turned by its quarterTurns), written and left turned back.
    void add(PageLayout &page);
    ParsedDocument finish(QByteArray pdfData); // the writer is spent after

private:
    void cutPictures(PageLayout &page);

    const PdfSource m_pdf;
    const QString m_password;
    std::optional<PdfPageRenderer> m_renderer; // opened on the first page that needs a picture
    MarkdownWriter m_markdown;
    MiddleJsonWriter m_json;
    std::optional<QString> m_readersMarkdown;
    PictureSink m_pictureSink;
    ParsedDocument m_document;
};

} // namespace DocRay
