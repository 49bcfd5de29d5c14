#pragma once

#include <QByteArray>
#include <QList>
#include <QRectF>
#include <QString>

namespace DocRay {

// The engine's page model: what readers produce and writers consume.
// Coordinates are PDF points with the origin at the page's top-left corner.

// Chinese and Japanese characters: text written without spaces between words.
bool isCjk(QChar c);
// Chinese and Japanese are written without spaces: between their
// characters, and between them and the stops and figures beside them.
bool joinsWithoutSpace(QChar before, QChar after);

struct TextSpan {
    QString text;
    QRectF bbox;
    double fontSize = 0;
    QString fontName;
    bool bold = false;
    bool italic = false;
    bool monospace = false; // set in a font of code: every glyph advances alike
    bool spaceAfter = true;
    bool spaceDrawn = false; // the PDF draws a space glyph after it: read when lines are built
};

struct TextLine {
    QList<TextSpan> spans;
    QRectF bbox;

    QString text() const;
    QRectF wordsBox() const; // the box its words make; empty without words
    double fontSize() const; // the size most of the line's characters have
    bool isBold() const;     // every span is set in a bold face
    bool isItalic() const;   // every span is set in an italic face
    bool isMonospace() const; // every span is set in a font of code
};

// Table and Figure blocks come from the page renders (engine/layout/pageregions),
// not from text lines: their words live in cells, their pixels in a PNG.
// Index: entries of a table of contents or an index ("Introduction . . 1").
// Code: a listing, kept line by line.
enum class BlockType { Text, Title, List, Discarded, Table, Figure, Formula, Index, Code };

// One cell of a table block; a spanning cell appears once, at its top-left.
struct TableCell {
    int row = 0;
    int column = 0;
    int rowSpan = 1;
    int columnSpan = 1;
    QRectF bbox;
    QString text;
};

struct TextBlock {
    BlockType type = BlockType::Text;
    int headingLevel = 0; // 1..6 for titles
    QList<TextLine> lines;
    QRectF bbox;

    // Tables: the grid and its cells.
    int rows = 0;
    int columns = 0;
    QList<TableCell> cells;
    // Figures, tables and formulas: the crop as PNG and its name under
    // images/; figures and tables: the caption ("Figure 3: ...", "Table 1")
    // and the note under them ("Source: ...") once the layout analysis
    // attached them.
    QString imageName;
    QByteArray imagePng;
    QList<TextLine> caption;
    QList<TextLine> footnote;

    double fontSize() const;
    int characterCount() const;
    QString text() const; // the lines joined with spaces
    bool captionAbove() const; // the caption sits above the figure or table
};

enum class ExtractionMethod { TextLayer, Ocr };

struct PageLayout {
    int pageIndex = 0;
    QSizeF size;
    ExtractionMethod method = ExtractionMethod::TextLayer;
    QList<TextLine> lines;   // as read, before grouping
    QList<TextBlock> blocks; // in reading order; OCR delivers them already grouped
    QList<TextBlock> regions; // tables and figures found on the render; their words left `lines`
    // Quarter turns clockwise, beyond the page's own rotation, the page was
    // read in: a page whose text runs sideways (a landscape table set in a
    // portrait document) is read turned, its text upright, so that lines,
    // columns and tables are found as on any page. Its size and boxes are
    // in that frame until turnBack() puts them in the page's.
    int quarterTurns = 0;

    void setOcrBlocks(const QList<TextBlock> &ocrBlocks);
    // Size and every box back in the page's own frame (as its viewer shows
    // it, and as the PDF's drawing commands place things).
    void turnBack();
    // A box of this page as read (its quarterTurns) in the page's own frame.
    QRectF boxOnPage(const QRectF &box) const;
};

// Headings the document declares itself (a PDF's outline).
struct OutlineEntry {
    QString title;
    int level = 1; // 1 = top
};

} // namespace DocRay
