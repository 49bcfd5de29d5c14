#include "engine/layout/textblocks.h"

#include "engine/layout/columngutters.h"
#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textlines.h"
#include "engine/layout/textpatterns.h"

#include <QMap>

#include <algorithm>
#include <limits>

namespace DocRay {

namespace {

constexpr double kMaxCodeOutdent = 8.0; // line heights a line of code may start left of the one above
constexpr double kMaxCodeIndent = 2.5;  // and right of it: an indent of four characters
// Points: how far OCR's word boxes of lines set flush stray (a pixel or
// two at 200 dpi, and what levelling leaves of a page's skew).
constexpr double kScanFlush = 2.5;
// Of the page's text height: a gutter this long parts the page's columns.
constexpr double kPageGutterShare = 0.6;
// Of the page's text width: gutters nearer than this part the same columns.
constexpr double kSameGutterShare = 0.05;

bool anyMonospace(const TextLine &line)
{
    return std::any_of(line.spans.cbegin(), line.spans.cend(), [](const TextSpan &span) { return span.monospace; });
}

bool holdsCode(const TextBlock &block)
{
    return std::any_of(block.lines.cbegin(), block.lines.cend(), anyMonospace);
}

// A bold line that can be a heading run into a paragraph: short (a whole
// line read bold on a scan is more likely ink), not ending a sentence or a
// clause ("Default: 1." set bold ends an item).
bool readsAsBoldHeading(const TextLine &line)
{
    static const QString clauseEnds = QStringLiteral(".,;");
    const QString text = line.text().trimmed();
    return line.isBold() && line.spans.size() <= 8 && !text.isEmpty() && !clauseEnds.contains(text.back());
}

// Where a paragraph OCR read as one changes face: a bold heading run
// into the paragraph above, a listing under its introduction. Lines of
// one listing set heavier or lighter are one listing.
bool changesFace(const TextLine &above, const TextLine &line)
{
    if (above.isMonospace() != line.isMonospace())
        return true;
    return !line.isMonospace() && above.isBold() != line.isBold() && (readsAsBoldHeading(line) || readsAsBoldHeading(above));
}

double typicalLineGap(const QList<TextLine> &lines)
{
    QList<double> gaps;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const TextLine &above = lines[i - 1];
        const TextLine &below = lines[i];
        const double gap = below.bbox.top() - above.bbox.bottom();
        if (gap >= 0 && gap < 1.5 * above.bbox.height() && horizontalOverlap(above.bbox, below.bbox) > 0)
            gaps.append(gap);
    }
    if (gaps.isEmpty())
        return 0;
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    return gaps[gaps.size() / 2];
}

bool endsStatement(const QString &text)
{
    const QString trimmed = text.trimmed();
    return !trimmed.isEmpty() && QStringLiteral(".!?").contains(trimmed.back());
}

// A listing starts or ends where the lines change between code and prose.
// Prose that quotes code mixes the two: a listing ends where a sentence
// opens in the prose's face under it (a line of prose all in code ends
// with its sentence), and starts under a sentence's end (not under a
// colon: "Default:" goes on with its value in code, and so does a value
// that ends the sentence).
bool startsOrEndsListing(const TextLine &previous, const TextLine &line)
{
    if (previous.isMonospace() && !line.isMonospace()) {
        const TextSpan &first = line.spans.first();
        return !anyMonospace(line) || (!first.monospace && first.text.front().isUpper() && !endsStatement(previous.text()));
    }
    if (!previous.isMonospace() && line.isMonospace()) {
        if (!endsStatement(previous.text()) && closesSentenceWithValue(line))
            return false;
        return !anyMonospace(previous) || endsStatement(previous.text());
    }
    return false;
}

bool continuesBlock(const TextLine &previous, const TextLine &line, double typicalGap)
{
    const double height = qMax(previous.bbox.height(), 1.0);
    const double gap = line.bbox.top() - previous.bbox.bottom();
    if (gap < -0.5 * height || gap > qMax(0.6 * height, typicalGap + 0.4 * height))
        return false;
    if (qAbs(line.fontSize() - previous.fontSize()) > 0.6)
        return false;
    if (previous.isBold() != line.isBold() && (previous.isBold() || line.spans.size() > 1))
        return false;
    if (startsOrEndsListing(previous, line))
        return false;
    // A short italic line over roman text is a heading of its own, not the
    // paragraph's first line.
    if (previous.isItalic() && !line.isItalic() && previous.spans.size() <= 8 && isTitleCase(previous.spans))
        return false;
    // Nor the last line of the paragraph above it.
    if (line.isItalic() && !previous.isItalic() && line.spans.size() <= 8 && isTitleCase(line.spans)
        && endsSentence(previous.text()))
        return false;
    // A caption set close under a paragraph opens a block of its own; a
    // sentence that goes on into "Table 2 shows..." does not.
    if (captionKind(line.text()) != CaptionKind::None && endsSentence(previous.text()))
        return false;
    const double overlap = horizontalOverlap(previous.bbox, line.bbox);
    // A closing brace stands left of the indented line above it, the line
    // after an opening one ("{" alone) one indent right of it.
    if (previous.isMonospace() && line.isMonospace()) {
        const double indent = line.bbox.left() - previous.bbox.left();
        const QString opening = previous.text().trimmed();
        if ((indent < 0 && -indent <= kMaxCodeOutdent * height)
            || (indent >= 0 && indent <= kMaxCodeIndent * height && QStringLiteral("{[(:").contains(opening.back())))
            return true;
    }
    return overlap > 0.3 * qMin(previous.bbox.width(), line.bbox.width());
}

// In a list, lines that continue an item hang under its text; a line that
// starts out at the markers without one of its own is the paragraph after
// the list.
bool leavesList(const TextBlock &block, const TextLine &line)
{
    const TextLine &first = block.lines.first();
    // A marker after running text opens a list of its own.
    const bool blockIsList = startsListItem(first); // "0." alone is the end of a sentence broken before it
    if (!blockIsList && line.spans.size() > 1 && isListMarker(line.spans.first().text))
        return true;
    if (first.spans.size() < 2 || !isListMarker(first.spans.first().text) || isListMarker(line.spans.first().text))
        return false;
    const double textStart = first.spans.at(1).bbox.left();
    return line.bbox.left() < textStart - 0.25 * qMax(line.fontSize(), 1.0);
}

// A listing of two lines or more ends where a sentence opens in the
// prose's face under it, whatever its last line ends with (a note set in
// code ends with a full stop as prose does).
bool leavesListing(const TextBlock &block, const TextLine &line)
{
    const TextSpan &first = line.spans.first();
    return block.lines.size() >= 2 && !first.monospace && first.text.front().isUpper()
        && std::all_of(block.lines.cbegin(), block.lines.cend(), [](const TextLine &l) { return l.isMonospace(); });
}

} // namespace

QList<TextBlock> groupLines(QList<TextLine> lines)
{
    std::sort(lines.begin(), lines.end(), [](const TextLine &a, const TextLine &b) {
        return a.bbox.top() != b.bbox.top() ? a.bbox.top() < b.bbox.top() : a.bbox.left() < b.bbox.left();
    });
    const double typicalGap = typicalLineGap(lines);
    QList<TextBlock> blocks;
    for (const TextLine &line : std::as_const(lines)) {
        // The nearest block whose last line sits right above this one.
        addToNearest(
            blocks,
            [&](const TextBlock &block) -> std::optional<double> {
                const TextLine &last = block.lines.constLast();
                if (!continuesBlock(last, line, typicalGap) || leavesList(block, line) || leavesListing(block, line))
                    return std::nullopt;
                return line.bbox.top() - last.bbox.bottom();
            },
            [&](TextBlock &block) {
                block.bbox = block.lines.isEmpty() ? line.bbox : block.bbox.united(line.bbox);
                block.lines.append(line);
            });
    }
    return blocks;
}

namespace {

// The column a box stands in beside `gutter`: 0 left of it, 1 right of it.
int sideOf(const QRectF &gutter, const QRectF &box)
{
    return box.left() >= gutter.right() - 0.5 ? 1 : 0;
}

// Where in `blocks` those beside `gutter` stand (not those across it).
QList<qsizetype> blocksBeside(const QList<TextBlock> &blocks, const QRectF &gutter)
{
    QList<qsizetype> beside;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const QRectF &box = blocks[i].bbox;
        const bool spans = box.left() < gutter.left() - 0.5 && box.right() > gutter.right() + 0.5;
        if (!spans && box.center().y() >= gutter.top() && box.center().y() <= gutter.bottom())
            beside.append(i);
    }
    return beside;
}

// Whether the blocks beside `gutter` go back and forth across it, as a
// reading row by row does, rather than one column after the other.
bool readRowByRow(const QList<TextBlock> &blocks, const QRectF &gutter)
{
    int crossings = 0, side = -1;
    for (const qsizetype i : blocksBeside(blocks, gutter)) {
        const int next = sideOf(gutter, blocks[i].bbox);
        crossings += side >= 0 && next != side ? 1 : 0;
        side = next;
    }
    return crossings > 1;
}

// The blocks beside a gutter Tesseract ran lines across, read column by
// column, each top down: its order went row by row there. Blocks
// elsewhere keep their places.
void readBesideGutter(QList<TextBlock> &blocks, const QRectF &gutter)
{
    const QList<qsizetype> beside = blocksBeside(blocks, gutter);
    QList<TextBlock> reordered;
    for (const qsizetype i : std::as_const(beside))
        reordered.append(blocks[i]);
    std::stable_sort(reordered.begin(), reordered.end(), [&](const TextBlock &a, const TextBlock &b) {
        const int sideA = sideOf(gutter, a.bbox), sideB = sideOf(gutter, b.bbox);
        return sideA != sideB ? sideA < sideB : a.bbox.top() < b.bbox.top();
    });
    for (qsizetype k = 0; k < beside.size(); ++k)
        blocks[beside[k]] = reordered[k];
}

} // namespace

namespace {

// The gutters down most of the page, one for each place they part its
// columns at: of stretches found side by side (a column of item numbers
// standing in the gutter, before their items), the first.
QList<QRectF> pageGuttersOf(const QList<QRectF> &gutters, const QRectF &text)
{
    QList<QRectF> tall;
    for (const QRectF &gutter : gutters)
        if (gutter.height() >= kPageGutterShare * text.height())
            tall.append(gutter);
    std::sort(tall.begin(), tall.end(), [](const QRectF &a, const QRectF &b) { return a.left() < b.left(); });
    QList<QRectF> parting;
    double lastRight = -std::numeric_limits<double>::infinity();
    for (const QRectF &gutter : std::as_const(tall)) {
        if (gutter.left() - lastRight > kSameGutterShare * text.width())
            parting.append(gutter);
        lastRight = qMax(lastRight, gutter.right());
    }
    return parting;
}

// A block as it is, or where its lines run across a gutter, one block per
// column: lines of code across any gutter, prose across one down most of
// the page. The gutters code crossed are added to `crossed`.
QList<TextBlock> splitBlockAtGutters(const TextBlock &block, const QList<QRectF> &gutters,
                                    const QList<QRectF> &pageGutters, QList<QRectF> &crossed)
{
    // Each piece goes to the column counted by the gutters left of it.
    QMap<int, TextBlock> columns;
    bool cut = false;
    // Tesseract keeps columns of prose apart itself; where it did not, a
    // short gutter is no surer (magazine pages), one down most of the
    // page is (a report's sidebar beside its body).
    const bool code = holdsCode(block);
    for (const TextLine &line : block.lines) {
        const QList<TextLine> pieces = cutAtGutters(line, code ? gutters : pageGutters);
        for (qsizetype p = 0; p < pieces.size(); ++p) {
            const TextLine &piece = pieces[p];
            const int column = int(std::count_if(gutters.cbegin(), gutters.cend(), [&](const QRectF &gutter) {
                return gutter.right() <= piece.bbox.left() + 0.5 && verticalOverlap(gutter, piece.bbox) > 0;
            }));
            TextBlock &part = columns[column];
            part.bbox = part.lines.isEmpty() ? piece.bbox : part.bbox.united(piece.bbox);
            part.lines.append(piece);
            if (p == 0)
                continue;
            cut = true;
            // Tesseract's order went row by row beside a gutter code ran
            // across.
            if (!code)
                continue;
            for (const QRectF &gutter : gutters)
                if (!crossed.contains(gutter) && gutterBetween({gutter}, pieces[p - 1].bbox, piece.bbox))
                    crossed.append(gutter);
        }
    }
    return cut ? columns.values() : QList<TextBlock>{block};
}

} // namespace

QList<TextBlock> splitAtColumnGutters(const QList<TextBlock> &blocks)
{
    QList<TextSpan> words;
    for (const TextBlock &block : blocks)
        for (const TextLine &line : block.lines)
            words += line.spans;
    const QList<QRectF> gutters = findColumnGutters(words, kScanFlush);
    if (gutters.isEmpty())
        return blocks;
    QRectF text;
    for (const TextBlock &block : blocks)
        text = text.united(block.bbox);
    // On a page with code, only code is cut: the indents of a listing
    // leave long gaps inside a column.
    const bool anyCode = std::any_of(blocks.cbegin(), blocks.cend(), holdsCode);
    const QList<QRectF> pageGutters = anyCode ? QList<QRectF>() : pageGuttersOf(gutters, text);
    QList<TextBlock> result;
    QList<QRectF> crossed;
    for (const TextBlock &block : blocks)
        result += splitBlockAtGutters(block, gutters, pageGutters, crossed);
    // A two-column page Tesseract read row by row (a sidebar beside the
    // body, numbered questions in two columns) is read column by column.
    // On a page of several columns (a newspaper's articles stand in bands
    // its gutters run through) its order of blocks is surer.
    if (pageGutters.size() == 1 && !crossed.contains(pageGutters.first()) && readRowByRow(result, pageGutters.first()))
        crossed.append(pageGutters.first());
    for (const QRectF &gutter : std::as_const(crossed))
        readBesideGutter(result, gutter);
    return result;
}

QList<TextBlock> splitScannedParagraphs(const QList<TextBlock> &blocks)
{
    QList<TextBlock> result;
    for (const TextBlock &block : blocks) {
        for (qsizetype i = 0; i < block.lines.size(); ++i) {
            const TextLine &line = block.lines[i];
            const bool opensItem = i > 0 && startsListItem(line)
                && !startsListItem(block.lines.first());
            if (i == 0 || opensItem || changesFace(block.lines[i - 1], line)) {
                TextBlock part;
                part.bbox = line.bbox;
                result.append(part);
            }
            result.last().lines.append(line);
            result.last().bbox = result.last().bbox.united(line.bbox);
        }
    }
    return result;
}

QList<TextBlock> listItems(const TextBlock &list)
{
    QList<TextBlock> items;
    for (const TextLine &line : list.lines) {
        if (items.isEmpty() || startsListItem(line)) {
            TextBlock item;
            item.bbox = line.bbox;
            items.append(item);
        }
        items.last().lines.append(line);
        items.last().bbox = items.last().bbox.united(line.bbox);
    }
    return items;
}

} // namespace DocRay
