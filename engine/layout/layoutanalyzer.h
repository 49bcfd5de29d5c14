#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Page geometry to document structure: words into lines, lines into blocks,
// blocks into reading order (columns by recursive XY cuts), then typed:
// headings with levels consistent across the whole document, and page
// furniture (page numbers, running headers and footers) kept but discarded.
class LayoutAnalyzer final
{
public:
    // One page's words, in any order, as lines of text in reading direction.
    static QList<TextLine> buildLines(QList<TextSpan> words);

    void analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline = {}) const;

    // A list block's items: each starts at a line that opens with a bullet or
    // a number; the lines after it continue that item.
    static QList<TextBlock> listItems(const TextBlock &list);
    static bool startsListItem(const TextLine &line);

    // "12", "Page 3 of 9", "iv" alone on one line.
    static bool isPageNumber(const TextBlock &block);
    // Running headers and footers repeat on many pages: their text with
    // the page numbers (digits) left out, lower-cased.
    static QString furnitureKey(const TextBlock &block);
    // Set in a fixed-width face (its first word): code.
    static bool isMonospaced(const TextBlock &block);
    // Words that read as Title Case ("Results of the Study"): capitals or
    // digits, short lower-case words allowed after the first.
    static bool isTitleCase(const QList<TextSpan> &words);
    // 0 for an unnumbered heading, 1 for "3 Results" or "3. Results", 2 for "3.1 ...".
    static int numberingDepth(const QString &heading);
    // Letters and digits, lower-cased: a heading's text matched against
    // the outline's, whatever the spacing and punctuation.
    static QString headingKey(const QString &text);
};

} // namespace DocRay
