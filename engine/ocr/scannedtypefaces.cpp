#include "engine/ocr/scannedtypefaces.h"

#include "engine/layout/layoutgeometry.h"

#include <QLoggingCategory>

#include <algorithm>
#include <cmath>
#include <optional>

namespace DocRay {

Q_LOGGING_CATEGORY(lcTypefaces, "docray.ocr.typefaces", QtWarningMsg)

namespace {

// A bold face's stems are some 1.5 times a regular one's; noise, blur and
// JPEG leave regular words of one page within about 15 % of each other.
constexpr double kBoldStrokeRatio = 1.3;
// In a font of code every letter steps one advance on: OCR's boxes leave
// that within a few hundredths for most letters, a seventh for nearly
// all; proportional letters (i, m, w) stray by a fifth to a half.
constexpr double kMaxTypicalStray = 0.08;
constexpr double kMaxTenthStray = 0.15;
constexpr qsizetype kMinLetterSteps = 5;
// A font of code's letters fill most of their cells; letters spaced out
// (a magazine's "d a t e l i n e") step alike with gaps as wide as they.
constexpr double kMinCellFill = 0.55;
constexpr qsizetype kMinProseLines = 5;
// Ink to ink, a space in code is its cell and the bearings beside it;
// the widest bearings (a dot's beside a bracket's) leave some seven tenths.
constexpr double kMinSpaceCells = 0.9;

struct LineInk {
    std::optional<double> strokeRatio; // stroke width per type size
    std::optional<bool> fixedPitch;
    double pitch = 0; // a fixed pitch's step, in pixels
};

LineInk measureLine(const QList<WordInk> &words)
{
    LineInk line;
    double stroke = 0, weight = 0;
    QList<double> steps, widths;
    for (const WordInk &word : words) {
        widths += word.letterWidths;
        if (word.strokeWidth > 0 && word.typeSize > 0) {
            stroke += word.strokeWidth / word.typeSize;
            weight += 1;
        }
        steps += word.letterSteps;
    }
    if (weight > 0)
        line.strokeRatio = stroke / weight;
    // The median step and how far the steps stray from it: in a font of
    // code half of them by a few hundredths and nine in ten by under a
    // seventh; in proportional faces whose common letters are near alike
    // in width (a heavy sans, or small print OCR boxes to a pixel or two)
    // the half may pass, the narrow and wide letters do not.
    if (const double step = median(steps); step > 0 && steps.size() >= kMinLetterSteps) {
        QList<double> strays;
        for (double s : std::as_const(steps))
            strays.append(std::abs(s - step) / step);
        std::sort(strays.begin(), strays.end());
        const double typicalStray = strays[strays.size() / 2], widestStrays = strays[strays.size() * 9 / 10];
        const double fill = median(widths) / step;
        line.fixedPitch = typicalStray <= kMaxTypicalStray && widestStrays < kMaxTenthStray && fill >= kMinCellFill;
        if (*line.fixedPitch)
            line.pitch = step;
        qCDebug(lcTypefaces, "steps %lld median %.2f stray %.3f, one in ten %.3f; fill %.2f stroke %.3f", qlonglong(steps.size()),
                step, typicalStray, widestStrays, fill, line.strokeRatio.value_or(0));
    }
    return line;
}

// A line too short to tell reads as its nearest neighbour in the block
// that could be told, the one above first.
std::optional<bool> fixedPitchOrNeighbours(const QList<LineInk> &lines, qsizetype index)
{
    for (qsizetype distance = 0; distance < lines.size(); ++distance) {
        if (index - distance >= 0 && lines[index - distance].fixedPitch)
            return lines[index - distance].fixedPitch;
        if (index + distance < lines.size() && lines[index + distance].fixedPitch)
            return lines[index + distance].fixedPitch;
    }
    return std::nullopt;
}

// The usual weight is the prose's: a font of code has heavier stems
// for its size than a book face, and a manual can hold more code than
// prose. A page of code alone measures against its code.
double usualProseStrokeRatio(const QList<std::optional<double>> &ratios, const QList<bool> &monospace)
{
    QList<double> prose, all;
    for (qsizetype i = 0; i < ratios.size(); ++i) {
        if (!ratios[i])
            continue;
        all.append(*ratios[i]);
        if (!monospace[i])
            prose.append(*ratios[i]);
    }
    return median(prose.size() >= kMinProseLines ? prose : all); // 0 where no line was measured, and then none has a ratio
}

// A font of code sets a space as one more cell: ink to ink, a space
// stands more than a cell wide, a dot's or a bracket's bearings less.
// Only the marks OCR parts code at are joined ("cluster. fork()",
// "}) .listen", "log( x", "close() ;"), so a line of prose taken for
// code keeps its spaces.
bool partedAtMark(const QString &left, const QString &right)
{
    static const QString opening = QStringLiteral(".([{"), closing = QStringLiteral(".,;:)]}");
    return opening.contains(left.back()) || closing.contains(right.front());
}

void spaceCodeWords(TextLine &line, const QList<WordInk> &words, double pitch)
{
    if (pitch <= 0)
        return;
    for (qsizetype i = 0; i + 1 < line.spans.size(); ++i) {
        TextSpan &span = line.spans[i];
        const int gap = words[i + 1].box.left() - words[i].box.right() - 1;
        if (gap < kMinSpaceCells * pitch && partedAtMark(span.text, line.spans[i + 1].text))
            span.spaceAfter = false;
    }
}

bool hasLetters(const TextLine &line)
{
    for (const TextSpan &span : line.spans)
        for (const QChar c : span.text)
            if (c.isLetterOrNumber())
                return true;
    return false;
}

} // namespace

void markScannedTypefaces(QList<TextBlock> &blocks, const QList<WordInk> &ink)
{
    // Every line's ink, block by block, in the order the words came.
    QList<QList<LineInk>> measured;
    qsizetype next = 0;
    for (const TextBlock &block : std::as_const(blocks)) {
        QList<LineInk> lines;
        for (const TextLine &line : block.lines) {
            lines.append(measureLine(ink.mid(next, line.spans.size())));
            next += line.spans.size();
        }
        measured.append(lines);
    }
    if (next != ink.size())
        return; // not measured word for word: nothing to say
    // Page order, line by line: a line of brackets alone ("}", "});")
    // is code where the line above or below it is, whichever paragraph
    // the page reader put it in.
    QList<TextLine *> lines;
    QList<QList<WordInk>> lineWords;
    QList<bool> monospace;
    QList<std::optional<double>> strokeRatios;
    QList<double> pitches;
    next = 0;
    for (qsizetype b = 0; b < blocks.size(); ++b)
        for (qsizetype l = 0; l < blocks[b].lines.size(); ++l) {
            lines.append(&blocks[b].lines[l]);
            lineWords.append(ink.mid(next, lines.last()->spans.size()));
            next += lines.last()->spans.size();
            monospace.append(fixedPitchOrNeighbours(measured[b], l).value_or(false));
            strokeRatios.append(measured[b][l].strokeRatio);
            pitches.append(measured[b][l].pitch);
        }
    const double usualRatio = usualProseStrokeRatio(strokeRatios, monospace);
    QList<double> measuredPitches = pitches;
    measuredPitches.removeAll(0.0);
    const double usualPitch = median(measuredPitches); // a line of code too short to tell steps as the page's others
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const bool bold = strokeRatios[i] && *strokeRatios[i] >= kBoldStrokeRatio * usualRatio;
        const bool brackets = !hasLetters(*lines[i]);
        const bool code = monospace[i] || (brackets && ((i > 0 && monospace[i - 1]) || (i + 1 < lines.size() && monospace[i + 1])));
        for (TextSpan &span : lines[i]->spans) {
            span.bold = bold;
            span.monospace = code;
        }
        if (code)
            spaceCodeWords(*lines[i], lineWords[i], pitches[i] > 0 ? pitches[i] : usualPitch);
    }
}

} // namespace DocRay
