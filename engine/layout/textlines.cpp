#include "engine/layout/textlines.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QSet>

#include <algorithm>

namespace DocRay {

namespace {

constexpr double kMaxWordGap = 3.0;     // ems between words of one line; wider is a column gap
constexpr double kSuspectGap = 1.0;     // ems: a gap this wide is a column gap where rows agree
constexpr double kNarrowGap = 0.6;      // ems: a narrow gutter, as wide as justified word spacing
constexpr int kMinGutterRows = 3;       // rows that must share a gap for it to be a column gap
// A narrow gap is a gutter only where many rows share it: justified spacing
// lines up by chance in a few rows, a gutter runs down the column.
constexpr int kMinNarrowGutterRows = 6;
constexpr int kNarrowGutterShare = 8;   // and at least one row in this many of the page's

bool fitsLine(const TextLine &line, const TextSpan &word)
{
    const TextSpan &last = line.spans.constLast();
    const double minHeight = qMin(last.bbox.height(), word.bbox.height());
    if (minHeight <= 0 || verticalOverlap(line.bbox, word.bbox) < 0.5 * minHeight)
        return false;
    const double size = qMax(qMax(last.fontSize, word.fontSize), 1.0);
    const double gap = word.bbox.left() - last.bbox.right();
    if (gap < -0.3 * size)
        return false;
    // A wider gap separates columns and table cells; a bullet may sit further off.
    const bool marker = line.spans.size() == 1 && (isListMarker(last.text) || isSectionNumber(last.text));
    const double maxGap = marker ? 4.0 * size : kMaxWordGap * size;
    return gap <= maxGap;
}

// A narrow gutter runs on through the lines next to it: the nearest line
// above and below that reaches across `x` has a gap there too. A line of
// prose whose word gap happens to sit over a table's column gaps has
// full-width prose on one side.
bool gutterContinues(const QList<TextLine> &lines, const QSet<int> &gapRows, int line, double x)
{
    const QRectF &box = lines[line].bbox;
    int above = -1, below = -1;
    for (int i = 0; i < lines.size(); ++i) {
        const QRectF &other = lines[i].bbox;
        if (i == line || other.left() > x || other.right() < x)
            continue;
        if (other.bottom() <= box.center().y() && (above < 0 || other.bottom() > lines[above].bbox.bottom()))
            above = i;
        if (other.top() >= box.center().y() && (below < 0 || other.top() < lines[below].bbox.top()))
            below = i;
    }
    return (above < 0 || gapRows.contains(above)) && (below < 0 || gapRows.contains(below));
}

// Wide gaps inside rows are either justified word spacing or the gutter
// between columns (or table cells). A gutter shows up at the same place in
// several rows; spacing does not.
QList<TextLine> splitAtGutters(const QList<TextLine> &lines)
{
    struct WideGap {
        int line;
        qsizetype after; // index of the span before the gap
        double from;
        double to;
        bool narrow;
    };
    QList<WideGap> gaps;
    for (int i = 0; i < lines.size(); ++i) {
        const QList<TextSpan> &spans = lines[i].spans;
        for (qsizetype j = 0; j + 1 < spans.size(); ++j) {
            const double size = qMax(qMax(spans[j].fontSize, spans[j + 1].fontSize), 1.0);
            const double from = spans[j].bbox.right(), to = spans[j + 1].bbox.left();
            if (to - from > kNarrowGap * size && !(j == 0 && isListMarker(spans[j].text)))
                gaps.append({i, j, from, to, to - from <= kSuspectGap * size});
        }
    }
    struct Gutter {
        double x;
        QSet<int> rows;
    };
    QHash<int, QList<qsizetype>> splits;
    QList<Gutter> gutters;
    QList<const WideGap *> unsplit;
    for (const WideGap &gap : std::as_const(gaps)) {
        const double center = (gap.from + gap.to) / 2;
        QSet<int> rows;
        // A narrow gutter is narrow all the way down: a line's narrow gap
        // that merely lines up with a table's wide column gaps is spacing.
        for (const WideGap &other : std::as_const(gaps))
            if (other.from <= center && center <= other.to)
                rows.insert(other.line);
        const qsizetype needed = gap.narrow ? qMax<qsizetype>(kMinNarrowGutterRows, lines.size() / kNarrowGutterShare)
                                            : kMinGutterRows;
        if (rows.size() >= needed && (!gap.narrow || gutterContinues(lines, rows, gap.line, center))) {
            splits[gap.line].append(gap.after);
            gutters.append({center, rows});
        } else if (!gap.narrow) {
            unsplit.append(&gap);
        }
    }
    // A heading or a paragraph's last line stops short of the gutter: its
    // wide gap to the next column holds a gutter the full lines around it
    // confirmed, though its middle lies elsewhere.
    for (const WideGap *gap : std::as_const(unsplit)) {
        const bool holdsGutter = std::any_of(gutters.cbegin(), gutters.cend(), [&](const Gutter &gutter) {
            return gap->from < gutter.x && gutter.x < gap->to
                && gutterContinues(lines, gutter.rows + QSet<int>{gap->line}, gap->line, gutter.x);
        });
        if (holdsGutter)
            splits[gap->line].append(gap->after);
    }
    if (splits.isEmpty())
        return lines;
    QList<TextLine> result;
    for (int i = 0; i < lines.size(); ++i) {
        const QList<qsizetype> cuts = splits.value(i);
        TextLine piece;
        for (qsizetype j = 0; j < lines[i].spans.size(); ++j) {
            const TextSpan &span = lines[i].spans[j];
            piece.bbox = piece.spans.isEmpty() ? span.bbox : piece.bbox.united(span.bbox);
            piece.spans.append(span);
            if (cuts.contains(j)) {
                result.append(piece);
                piece = TextLine();
            }
        }
        if (!piece.spans.isEmpty())
            result.append(piece);
    }
    return result;
}

} // namespace

QList<TextLine> buildLines(QList<TextSpan> words)
{
    // Left to right, so each word meets every line at that line's right end.
    std::sort(words.begin(), words.end(), [](const TextSpan &a, const TextSpan &b) {
        return a.bbox.left() != b.bbox.left() ? a.bbox.left() < b.bbox.left()
                                              : a.bbox.center().y() < b.bbox.center().y();
    });
    QList<TextLine> lines;
    for (const TextSpan &word : std::as_const(words)) {
        addToNearest(
            lines,
            [&](const TextLine &line) -> std::optional<double> {
                if (!fitsLine(line, word))
                    return std::nullopt;
                return word.bbox.left() - line.spans.constLast().bbox.right();
            },
            [&](TextLine &line) {
                line.bbox = line.spans.isEmpty() ? word.bbox : line.bbox.united(word.bbox);
                line.spans.append(word);
            });
    }
    lines = splitAtGutters(lines);
    for (TextLine &line : lines) {
        // Right-to-left text arrives in visual order, each word's letters too:
        // readers and search want logical order.
        const bool rightToLeft = isRightToLeft(line.text());
        if (rightToLeft) {
            std::reverse(line.spans.begin(), line.spans.end());
            for (TextSpan &span : line.spans)
                if (isRightToLeft(span.text))
                    std::reverse(span.text.begin(), span.text.end());
        }
        // Spaces from geometry: scripts without spaces (CJK) keep none.
        for (qsizetype i = 0; i + 1 < line.spans.size(); ++i) {
            const QRectF &current = line.spans[i].bbox;
            const QRectF &next = line.spans[i + 1].bbox;
            const double gap = rightToLeft ? current.left() - next.right() : next.left() - current.right();
            line.spans[i].spaceAfter = gap > 0.12 * qMax(line.spans[i].fontSize, 1.0);
        }
        if (!line.spans.isEmpty())
            line.spans.last().spaceAfter = false;
    }
    return lines;
}

} // namespace DocRay
