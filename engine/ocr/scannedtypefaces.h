#pragma once

#include "engine/core/pagelayout.h"

#include <QRect>

namespace DocRay {

// What a scanned word's pixels say about the face it is set in, measured
// where Tesseract read it (engine/ocr/ocrengine). Scans carry no font
// names: bold and fixed pitch come from the ink.
struct WordInk {
    QRect box;                   // the word's ink, in the read image's pixels
    double strokeWidth = 0;      // mean width of the word's ink along its rows; 0: not measured
    double typeSize = 0;         // the row's type size, in the same pixels
    QList<double> letterSteps;   // distances between neighbouring small letters' centres
    QList<double> letterWidths;  // widths of the small letters
};

// Marks the spans of OCR'd blocks bold where their strokes are much wider
// for their size than the page's prose usually has, and monospace where a
// line's letters step alike (a line too short to tell takes its
// neighbour's reading). In code, words OCR parted at a dot or a bracket
// ("console. log(") are joined where less than a cell lies between them.
// `ink` holds one WordInk per span, in block, line, span order.
void markScannedTypefaces(QList<TextBlock> &blocks, const QList<WordInk> &ink);

} // namespace DocRay
