#pragma once

#include <set>
#include <utility>

class Dict;
class Object;
class PDFDoc;
struct Ref;

namespace DocRay {

// Colours given by an ICC profile are read in the profile's device space
// (grey, RGB or CMYK by its component count): pages are read and drawn
// to find text and regions and to cut pictures, where a colour a few
// levels off changes nothing, and managing colour was the costliest part
// of some. Poppler builds a
// colour transform again each time the rendering intent changes, and
// macOS writes charts that change it before and after each of their
// pictures: tracemonkey's page 13 spent 160 of its 165 ms of render
// building transforms. The profiles of the colour spaces a page names (its
// own, its forms', its pictures', its shadings') are replaced in the
// document's object table by an empty stream, and Poppler falls back to
// the colour space's device space. Belongs to the reader of `doc`: one
// thread at a time.
class DeviceColours final
{
public:
    void prepare(PDFDoc &doc, int pageNumber); // 1-based, as Poppler counts

private:
    void visitResources(PDFDoc &doc, Dict *resources, int depth);
    void visitColourSpace(PDFDoc &doc, const Object &space, int depth);
    bool firstVisit(const Object &reference);
    void setProfileAside(PDFDoc &doc, const Ref &profile);

    std::set<std::pair<int, int>> m_visited; // objects seen, by reference: resources, forms, pictures, profiles
};

} // namespace DocRay
