#include "engine/pdf/devicecolours.h"

// Poppler's own classes (libpoppler-private-dev), as pagecontent.cpp: the
// library is built with TextOutputDev's word list.
#define TEXTOUT_WORD_LIST 1
#include <PDFDoc.h>
#include <Page.h>
#include <Stream.h>
#include <XRef.h>

#include <cstring>

namespace DocRay {

namespace {

// Forms in forms, colour spaces in colour spaces: real documents nest a
// few levels; a hostile one is cut off here.
constexpr int kMaxDepth = 8;

char g_noBytes[1];

} // namespace

void DeviceColours::prepare(PDFDoc &doc, int pageNumber)
{
    Page *page = doc.getPage(pageNumber);
    if (page)
        visitResources(doc, page->getResourceDict(), 0);
}

bool DeviceColours::firstVisit(const Object &reference)
{
    return !reference.isRef() || m_visited.insert({reference.getRefNum(), reference.getRefGen()}).second;
}

void DeviceColours::visitResources(PDFDoc &doc, Dict *resources, int depth)
{
    if (!resources || depth > kMaxDepth)
        return;
    const Object spaces = resources->lookup("ColorSpace");
    for (int i = 0; spaces.isDict() && i < spaces.dictGetLength(); ++i) {
        if (firstVisit(spaces.dictGetValNF(i)))
            visitColourSpace(doc, spaces.dictGetVal(i), depth + 1);
    }
    for (const char *kind : {"XObject", "Shading", "Pattern"}) {
        const Object entries = resources->lookup(kind);
        for (int i = 0; entries.isDict() && i < entries.dictGetLength(); ++i) {
            if (!firstVisit(entries.dictGetValNF(i)))
                continue;
            const Object entry = entries.dictGetVal(i);
            Dict *dict = entry.isStream() ? entry.streamGetDict() : entry.isDict() ? entry.getDict() : nullptr;
            if (!dict)
                continue;
            visitColourSpace(doc, dict->lookup("ColorSpace"), depth + 1); // a picture's or a shading's
            const Object shading = dict->lookup("Shading");                // a shading pattern's
            if (shading.isDict() || shading.isStream()) {
                Dict *shadingDict = shading.isStream() ? shading.streamGetDict() : shading.getDict();
                visitColourSpace(doc, shadingDict->lookup("ColorSpace"), depth + 1);
            }
            const Object inner = dict->lookup("Resources"); // a form's or a tiling pattern's
            if (inner.isDict())
                visitResources(doc, inner.getDict(), depth + 1);
        }
    }
}

void DeviceColours::visitColourSpace(PDFDoc &doc, const Object &space, int depth)
{
    if (!space.isArray() || space.arrayGetLength() < 2 || depth > kMaxDepth)
        return;
    const Object family = space.arrayGet(0);
    if (family.isName("ICCBased")) {
        const Object &profile = space.arrayGetNF(1);
        if (profile.isRef() && firstVisit(profile))
            setProfileAside(doc, profile.getRef());
    } else if (family.isName("Indexed") || family.isName("Pattern")) {
        visitColourSpace(doc, space.arrayGet(1), depth + 1); // the base
    } else if ((family.isName("Separation") || family.isName("DeviceN")) && space.arrayGetLength() > 2) {
        visitColourSpace(doc, space.arrayGet(2), depth + 1); // the alternate
    }
}

// The profile's dictionary (its component count and alternate) over no
// bytes: lcms cannot open it, and Poppler reads the alternate space.
void DeviceColours::setProfileAside(PDFDoc &doc, const Ref &profile)
{
    XRef *xref = doc.getXRef();
    const Object stream = xref->fetch(profile);
    if (!stream.isStream())
        return;
    Dict *old = stream.streamGetDict();
    auto *dict = new Dict(xref);
    for (int i = 0; i < old->getLength(); ++i) {
        const char *name = old->getKey(i);
        if (std::strcmp(name, "Filter") != 0 && std::strcmp(name, "DecodeParms") != 0
            && std::strcmp(name, "Length") != 0)
            dict->add(name, old->getValNF(i).copy());
    }
    dict->add("Length", Object(0));
    const Object empty(static_cast<Stream *>(new MemStream(g_noBytes, 0, 0, Object(dict))));
    xref->setModifiedObject(&empty, profile);
}

} // namespace DocRay
