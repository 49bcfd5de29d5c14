#pragma once

#include <QtGlobal>

#include <set>
#include <vector>

class Object;
class PDFDoc;
struct Ref;

namespace DocRay {

// Poppler builds every font of a page's resources again on each page it
// reads or draws, and inflates each embedded font's file again to learn
// its encoding (a book's five fonts, on each of its 350 pages). The files
// of the fonts a page names are inflated once, here, and put back in the
// document's object table as they decode: every later reading of them is
// a copy. Up to a budget of bytes; a file past it is left to Poppler.
// Belongs to the reader of `doc`, and must outlive `doc` (it holds the
// decoded bytes the document's object table points to): one thread at a
// time.
class DecodedFontFiles final
{
public:
    void prepare(PDFDoc &doc, int pageNumber); // 1-based, as Poppler counts

private:
    void decodeFilesOf(PDFDoc &doc, const ::Object &font, int depth);
    void decode(PDFDoc &doc, const Ref &file);

    std::set<std::pair<int, int>> m_fonts; // font dictionaries seen, by reference
    std::set<std::pair<int, int>> m_files; // font files decoded or left as they are
    qint64 m_keptBytes = 0;
    std::vector<std::vector<char>> m_decoded;
};

} // namespace DocRay
