#include "engine/layout/textlines.h"

#include "engine/layout/columngutters.h"
#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <algorithm>

namespace DocRay {

namespace {

constexpr double kMaxWordGap = 3.0;     // ems between words of one line; wider is a column gap
constexpr double kMaxCodeGap = 16.0;    // ems between words of one line of code
constexpr double kMinGutterGap = 0.35;  // ems: narrower is a word space, gutter or not
constexpr double kGutterReachLines = 2.0; // line heights from a gutter cut by a line run into it
constexpr double kColumnFlush = 1.0;      // points: a column's lines start this close to its gutter
constexpr double kMinColumnLines = 10.0;  // line heights of a page's gutter (a table's rivers are shorter)
constexpr double kMinWordSpace = 0.15;    // ems: narrower, words touch
constexpr double kMaxWordSpace = 1.0;     // ems: wider, a column's gap (justified spaces stay under it)

// Whether a column gutter runs between two words side by side. A gutter
// below runs on up past a heading's word space: that space is no gutter.
bool gutterParts(const TextSpan &left, const TextSpan &right, const QList<QRectF> &gutters)
{
    const double size = qMax(qMax(left.fontSize, right.fontSize), 1.0);
    return right.bbox.left() - left.bbox.right() >= kMinGutterGap * size && gutterBetween(gutters, left.bbox, right.bbox);
}

// A gap a line across the page has between its words, not a line of the
// other column run up against this one, nor a column's gap.
bool isWordSpace(double gap, double size)
{
    return gap >= kMinWordSpace * size && gap <= kMaxWordSpace * size;
}

// A word that starts a column where a word of the other column too long
// for it (an identifier that cannot break) runs into this one and cuts the
// gutter at this height: flush with the edge of a page's gutter that runs
// just above or below it, with the line so far begun left of the gutter
// and no word space before it (a line across the page has its spaces).
bool startsColumnPastGutter(const TextLine &line, const TextSpan &word, const QList<QRectF> &gutters)
{
    const double reach = kGutterReachLines * word.bbox.height();
    return std::any_of(gutters.cbegin(), gutters.cend(), [&](const QRectF &gutter) {
        const bool near = gutter.top() - word.bbox.bottom() <= reach && word.bbox.top() - gutter.bottom() <= reach;
        return near && gutter.height() >= kMinColumnLines * word.bbox.height()
            && qAbs(word.bbox.left() - gutter.right()) <= kColumnFlush && line.bbox.left() < gutter.left()
            && !isWordSpace(word.bbox.left() - line.spans.constLast().bbox.right(), word.fontSize);
    });
}

bool fitsLine(const TextLine &line, const TextSpan &word, const QList<QRectF> &gutters)
{
    const TextSpan &last = line.spans.constLast();
    const double minHeight = qMin(last.bbox.height(), word.bbox.height());
    if (minHeight <= 0 || verticalOverlap(line.bbox, word.bbox) < 0.5 * minHeight)
        return false;
    if (gutterParts(last, word, gutters) || startsColumnPastGutter(line, word, gutters))
        return false;
    const double size = qMax(qMax(last.fontSize, word.fontSize), 1.0);
    const double gap = word.bbox.left() - last.bbox.right();
    if (gap < -0.3 * size)
        return false;
    // A wider gap separates table cells; a bullet may sit further off.
    const bool marker = line.spans.size() == 1 && (isListMarker(last.text) || isSectionNumber(last.text));
    // Code lines its comments up with runs of spaces.
    const bool code = last.monospace && word.monospace;
    const double maxGap = code ? kMaxCodeGap * size : marker ? 4.0 * size : kMaxWordGap * size;
    return gap <= maxGap;
}

TextLine lineOf(QList<TextSpan> spans)
{
    TextLine line;
    for (const TextSpan &span : spans)
        line.bbox = line.bbox.isNull() ? span.bbox : line.bbox.united(span.bbox);
    line.spans = std::move(spans);
    line.spans.last().spaceAfter = false;
    return line;
}

} // namespace

QList<TextLine> cutAtGutters(const TextLine &line, const QList<QRectF> &gutters)
{
    QList<TextLine> pieces;
    QList<TextSpan> piece;
    for (const TextSpan &span : line.spans) {
        if (!piece.isEmpty() && gutterParts(piece.constLast(), span, gutters)) {
            pieces.append(lineOf(piece));
            piece.clear();
        }
        piece.append(span);
    }
    if (!piece.isEmpty())
        pieces.append(lineOf(piece));
    return pieces;
}

namespace {

// A glyph a font maps to no character (a private or unassigned code, from
// a symbol font's own encoding, or only control codes).
bool isUnreadableGlyph(const QString &text)
{
    const QList<uint> codes = text.toUcs4();
    if (codes.size() != 1)
        return false;
    const QChar::Category category = QChar::category(char32_t(codes.first()));
    return codes.first() == QChar::ReplacementCharacter || category == QChar::Other_PrivateUse
        || category == QChar::Other_NotAssigned;
}

// Such glyphs before a line's words are its bullet (and the tab after it);
// elsewhere they say nothing a reader could use.
void readUnreadableGlyphs(TextLine &line)
{
    qsizetype leading = 0;
    while (leading < line.spans.size() && isUnreadableGlyph(line.spans[leading].text))
        ++leading;
    if (leading == line.spans.size()) {
        line.spans.clear();
        return;
    }
    if (leading > 0) {
        line.spans.first().text = QStringLiteral("•");
        line.spans.remove(1, leading - 1);
    }
    const qsizetype before = line.spans.size();
    line.spans.removeIf([](const TextSpan &span) { return span.text == QChar(QChar::ReplacementCharacter); });
    if (line.spans.size() != before) {
        line.bbox = QRectF();
        for (const TextSpan &span : std::as_const(line.spans))
            line.bbox = line.bbox.isNull() ? span.bbox : line.bbox.united(span.bbox);
    }
}

// The narrowest gap between two words of `line` that is a space, in ems.
// A listing typeset on a grid wider than its glyphs (LaTeX's listings:
// cells of 0.6 em for glyphs of 0.525, more where its columns flex)
// leaves up to an eighth of an em between letters, which proportional
// text would read as a space ("add (a , b)" for add(a, b)); its spaces are
// a cell wide. Fixed-pitch words within prose keep the prose's spacing,
// and a heading set tight in a fixed pitch its narrow spaces (a fifth of
// an em).
double minSpaceEms(const TextLine &line)
{
    const bool code = std::all_of(line.spans.cbegin(), line.spans.cend(), [](const TextSpan &span) { return span.monospace; });
    return code ? 0.15 : 0.12;
}

} // namespace

QList<TextLine> buildLines(QList<TextSpan> words)
{
    // Left to right, so each word meets every line at that line's right end.
    std::sort(words.begin(), words.end(), [](const TextSpan &a, const TextSpan &b) {
        return a.bbox.left() != b.bbox.left() ? a.bbox.left() < b.bbox.left()
                                              : a.bbox.center().y() < b.bbox.center().y();
    });
    const QList<QRectF> gutters = findColumnGutters(words);
    QList<TextLine> lines;
    for (const TextSpan &word : std::as_const(words)) {
        addToNearest(
            lines,
            [&](const TextLine &line) -> std::optional<double> {
                if (!fitsLine(line, word, gutters))
                    return std::nullopt;
                return word.bbox.left() - line.spans.constLast().bbox.right();
            },
            [&](TextLine &line) {
                line.bbox = line.spans.isEmpty() ? word.bbox : line.bbox.united(word.bbox);
                line.spans.append(word);
            });
    }
    for (TextLine &line : lines)
        readUnreadableGlyphs(line);
    lines.removeIf([](const TextLine &line) { return line.spans.isEmpty(); });
    for (TextLine &line : lines) {
        // Right-to-left text arrives in visual order, each word's letters too:
        // readers and search want logical order.
        const bool rightToLeft = isRightToLeft(line.text());
        if (rightToLeft) {
            std::reverse(line.spans.begin(), line.spans.end());
            for (TextSpan &span : line.spans)
                if (isRightToLeft(span.text))
                    span.text = reversedByCharacter(span.text);
        }
        // Spaces from geometry: scripts without spaces (CJK) keep none. A
        // space the page draws counts however tight the type is set (letters
        // tracked closer than their advances leave almost no gap at it).
        const double minSpace = minSpaceEms(line);
        for (qsizetype i = 0; i + 1 < line.spans.size(); ++i) {
            const QRectF &current = line.spans[i].bbox;
            const QRectF &next = line.spans[i + 1].bbox;
            const double gap = rightToLeft ? current.left() - next.right() : next.left() - current.right();
            line.spans[i].spaceAfter = gap > minSpace * qMax(line.spans[i].fontSize, 1.0)
                || (!rightToLeft && line.spans[i].spaceDrawn);
        }
        if (!line.spans.isEmpty())
            line.spans.last().spaceAfter = false;
        // Grown a word at a time, a line's list has room to spare; a long
        // document keeps its lines to the end.
        line.spans.squeeze();
    }
    lines.squeeze();
    return lines;
}

} // namespace DocRay
