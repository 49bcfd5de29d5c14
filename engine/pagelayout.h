#pragma once

#include <QList>
#include <QRectF>
#include <QString>

namespace DocRay {

// The engine's page model: what readers produce and writers consume.
// Coordinates are PDF points with the origin at the page's top-left corner.

// Chinese and Japanese characters: text written without spaces between words.
bool isCjk(QChar c);

struct TextSpan {
    QString text;
    QRectF bbox;
    double fontSize = 0;
    QString fontName;
    bool bold = false;
    bool italic = false;
    bool spaceAfter = true;
};

struct TextLine {
    QList<TextSpan> spans;
    QRectF bbox;

    QString text() const;
    double fontSize() const; // the size most of the line's characters have
    bool isBold() const;     // every span is set in a bold face
    bool isItalic() const;   // every span is set in an italic face
};

enum class BlockType { Text, Title, List, Discarded };

struct TextBlock {
    BlockType type = BlockType::Text;
    int headingLevel = 0; // 1..6 for titles
    QList<TextLine> lines;
    QRectF bbox;

    double fontSize() const;
    int characterCount() const;
    QString text() const; // the lines joined with spaces
};

enum class ExtractionMethod { TextLayer, Ocr };

struct PageLayout {
    int pageIndex = 0;
    QSizeF size;
    ExtractionMethod method = ExtractionMethod::TextLayer;
    QList<TextLine> lines;   // as read, before grouping
    QList<TextBlock> blocks; // in reading order; OCR delivers them already grouped

    void setOcrBlocks(const QList<TextBlock> &ocrBlocks);
};

// Headings the document declares itself (a PDF's outline).
struct OutlineEntry {
    QString title;
    int level = 1; // 1 = top
};

} // namespace DocRay
