#include "engine/pdf/fontfiles.h"

// Poppler's own classes (libpoppler-private-dev), as pagecontent.cpp: the
// library is built with TextOutputDev's word list.
#define TEXTOUT_WORD_LIST 1
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <XRef.h>

#include <vector>

namespace DocRay {

namespace {

// A font file is a few hundred kilobytes at most; a document's fonts a few
// megabytes. A hostile file inflating to gigabytes stays Poppler's.
constexpr qint64 kMaxFileBytes = 16 * 1024 * 1024;
constexpr qint64 kMaxKeptBytes = 64 * 1024 * 1024;

std::pair<int, int> key(const Ref &ref)
{
    return {ref.num, ref.gen};
}

} // namespace

void DecodedFontFiles::prepare(PDFDoc &doc, int pageNumber)
{
    Page *page = doc.getPage(pageNumber);
    Dict *resources = page ? page->getResourceDict() : nullptr;
    if (!resources)
        return;
    const Object fonts = resources->lookup("Font");
    if (!fonts.isDict())
        return;
    for (int i = 0; i < fonts.dictGetLength(); ++i) {
        const Object &entry = fonts.dictGetValNF(i);
        if (entry.isRef() && !m_fonts.insert(key(entry.getRef())).second)
            continue;
        decodeFilesOf(doc, fonts.dictGetVal(i), 0);
    }
}

// A font's embedded file, and those of its descendants (a composite font's).
void DecodedFontFiles::decodeFilesOf(PDFDoc &doc, const Object &font, int depth)
{
    if (!font.isDict())
        return;
    if (depth == 0) {
        const Object descendants = font.dictLookup("DescendantFonts");
        for (int i = 0; descendants.isArray() && i < descendants.arrayGetLength(); ++i)
            decodeFilesOf(doc, descendants.arrayGet(i), depth + 1);
    }
    const Object descriptor = font.dictLookup("FontDescriptor");
    if (!descriptor.isDict())
        return;
    for (const char *name : {"FontFile", "FontFile2", "FontFile3"}) {
        const Object &file = descriptor.dictLookupNF(name);
        if (file.isRef())
            decode(doc, file.getRef());
    }
}

void DecodedFontFiles::decode(PDFDoc &doc, const Ref &ref)
{
    if (!m_files.insert(key(ref)).second)
        return;
    XRef *xref = doc.getXRef();
    Object file = xref->fetch(ref);
    if (!file.isStream() || file.streamGetDict()->lookupNF("Filter").isNull())
        return; // nothing to inflate
    std::vector<char> bytes;
    unsigned char chunk[16384];
    file.streamReset();
    for (int read; (read = file.getStream()->doGetChars(sizeof chunk, chunk)) > 0;) {
        if (qint64(bytes.size()) + read > kMaxFileBytes) {
            file.streamClose();
            return;
        }
        bytes.insert(bytes.end(), chunk, chunk + read);
    }
    file.streamClose();
    if (m_keptBytes + qint64(bytes.size()) > kMaxKeptBytes)
        return;
    m_keptBytes += qint64(bytes.size());
    // The same dictionary (its subtype and lengths tell the font's kind)
    // without the filters, over the decoded bytes.
    Dict *old = file.streamGetDict();
    auto *dict = new Dict(xref);
    for (int i = 0; i < old->getLength(); ++i) {
        const std::string name = old->getKey(i);
        if (name != "Filter" && name != "DecodeParms" && name != "Length")
            dict->add(name.c_str(), old->getValNF(i).copy());
    }
    dict->add("Length", Object(int(bytes.size())));
    // Moved in whole: the buffer Poppler's stream points to stays where it is.
    m_decoded.push_back(std::move(bytes));
    const std::vector<char> &kept = m_decoded.back();
    const Object decoded(static_cast<Stream *>(new MemStream(kept.data(), 0, Goffset(kept.size()), Object(dict))));
    xref->setModifiedObject(&decoded, ref);
}

} // namespace DocRay
