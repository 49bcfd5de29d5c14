#pragma once

#include "engine/core/pagelayout.h"

#include <QHash>

#include <optional>

namespace DocRay {

// The size most of the document's characters are set in: the body. Every
// page's lines (as read) are counted before size() is asked.
class BodySize final
{
public:
    void count(const PageLayout &page);
    double size() const;

private:
    QHash<int, int> m_characters;     // by half-point size
    QHash<int, int> m_codeCharacters; // lines set in code
};

// Text blocks typed as headings (Title, with a level) or lists: headings
// the PDF's outline names first; then short blocks set larger than the
// body, or set apart in bold (or italic Title Case); numbered headings take
// their level from the numbering, others from their size among all
// headings of the document; run-in headings are split off their paragraph.
// Every page is typed (typePage) before any is given levels (levelPage).
// Owned by one thread.
class HeadingTyper final
{
public:
    HeadingTyper(const QList<OutlineEntry> &outline, double bodySize);

    void typePage(PageLayout &page);
    void levelPage(PageLayout &page);

private:
    const QHash<QString, int> m_outlineLevels;
    const double m_bodySize;
    QList<int> m_headingSizes; // half points, of the headings found by size
    double m_largestNumbered = 0;
    double m_largestUnnumbered = 0;
    int m_deepestDeclared = 0; // the deepest level typed pages already hold (the outline's)
    std::optional<QHash<int, int>> m_levels; // by half-point size, once every page is typed
    int m_numberedOffset = 0;
    int m_boldLevel = 1;
};

} // namespace DocRay
