#include "engine/layout/code.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>


namespace DocRay {

namespace {

constexpr int kMinEdgeLines = 5; // prose lines that show where a column ends
constexpr double kMaxPieceIndent = 5.0; // sizes between the left edges of pieces of one listing
constexpr double kMaxListingIndent = 4.0; // sizes a listing is set in from its column's prose

// Inline code in prose (a function name in a sentence) leaves most of the
// block in the body font: only a block mostly set in monospace is code.
bool isCode(const TextBlock &block)
{
    qsizetype mono = 0, all = 0;
    for (const TextLine &line : block.lines)
        for (const TextSpan &span : line.spans) {
            all += span.text.size();
            if (span.monospace)
                mono += span.text.size();
        }
    return all > 0 && mono * 10 >= all * 8;
}

// Lines set on one centre line with ragged edges on both sides: a title
// page's or a notice's prose in a typewriter face, which no listing is.
bool isCentred(const TextBlock &block)
{
    if (block.lines.size() < 2)
        return false;
    const double size = qMax(block.fontSize(), 1.0);
    double minLeft = block.lines.first().bbox.left(), maxLeft = minLeft;
    double minCentre = block.lines.first().bbox.center().x(), maxCentre = minCentre;
    for (const TextLine &line : block.lines) {
        minLeft = qMin(minLeft, line.bbox.left());
        maxLeft = qMax(maxLeft, line.bbox.left());
        minCentre = qMin(minCentre, line.bbox.center().x());
        maxCentre = qMax(maxCentre, line.bbox.center().x());
    }
    return maxLeft - minLeft > 2 * size && maxCentre - minCentre < 0.6 * size;
}

// Where the column a listing stands in ends: the furthest its prose
// reaches (most prose lines of a column run to its edge), or none. The
// column's prose starts at the listing's left edge or an indent left of
// it, on the listing's page and on the pages around it alike; a short
// line beside a narrow listing tells nothing of the column's measure.
std::optional<double> columnRight(const PageLayout &page, const TextBlock &listing)
{
    const double indent = kMaxListingIndent * qMax(listing.fontSize(), 1.0);
    QList<double> rights;
    for (const TextBlock &block : page.blocks) {
        if (block.type == BlockType::Code || isCode(block))
            continue;
        for (const TextLine &line : block.lines)
            if (line.bbox.left() >= listing.bbox.left() - indent && line.bbox.left() <= listing.bbox.left() + 1
                && line.bbox.right() > listing.bbox.left())
                rights.append(line.bbox.right());
    }
    if (rights.size() < kMinEdgeLines)
        return std::nullopt;
    std::sort(rights.begin(), rights.end());
    return rights.at(rights.size() * 9 / 10); // a line of code run on past it is no edge
}

// A page of code alone has no prose to tell its column's edge: the pages
// around it, set in the same columns, tell it.
std::optional<double> columnRightNear(const PageLayout &page, const NearPage &near, const TextBlock &listing)
{
    if (const std::optional<double> edge = columnRight(page, listing))
        return edge;
    for (qsizetype distance = 1; distance <= kCodeEdgePages; ++distance)
        for (const qsizetype offset : {-distance, distance})
            if (const PageLayout *other = near(offset); other && other->method == page.method)
                if (const std::optional<double> edge = columnRight(*other, listing))
                    return edge;
    return std::nullopt;
}

// A line that ends in a comment ("x = 1; // the count"): what a break
// sets on the next line is more of the comment, words, not code.
bool endsInLineComment(const QString &text)
{
    static const QRegularExpression comment(QStringLiteral("(^|[^:])//"));
    return comment.match(text).hasMatch();
}

// Whether every bracket the line opens it closes, and every quote.
bool isBalanced(const QString &text)
{
    int round = 0, square = 0, curly = 0;
    for (const QChar c : text) {
        round += c == QLatin1Char('(') ? 1 : c == QLatin1Char(')') ? -1 : 0;
        square += c == QLatin1Char('[') ? 1 : c == QLatin1Char(']') ? -1 : 0;
        curly += c == QLatin1Char('{') ? 1 : c == QLatin1Char('}') ? -1 : 0;
    }
    auto even = [&text](QChar quote) { return text.count(quote) % 2 == 0; };
    return round == 0 && square == 0 && curly == 0 && even(QLatin1Char('"')) && even(QLatin1Char('\'')) && even(QLatin1Char('`'));
}

// An element after a whole element above that ended with a comma ("a: 1,"
// then "b: 2,"; JSON's "key": value; an array's items): the author's next
// line, not the rest of a line the column broke (that leaves a bracket or
// a string open).
bool followsWholeElement(const QString &previous)
{
    return previous.endsWith(QLatin1Char(',')) && isBalanced(previous);
}

// Code's signs, in a line that does not go on as a sentence ("f() is
// derived from the"): three plain words and no sign ending a statement.
bool readsAsCode(const QString &text)
{
    if (!std::any_of(text.cbegin(), text.cend(), [](QChar c) { return QStringLiteral(";(){}=").contains(c); }))
        return false;
    static const QRegularExpression word(QStringLiteral("(^|\\s)[A-Za-z]{2,}(?=\\s|$)"));
    const QString trimmed = text.trimmed();
    const bool endsAsWords = !trimmed.isEmpty() && (trimmed.back().isLetterOrNumber() || trimmed.back() == QLatin1Char('.'));
    if (!endsAsWords)
        return true;
    int words = 0;
    for (QRegularExpressionMatchIterator it = word.globalMatch(trimmed); it.hasNext(); it.next())
        ++words;
    return words < 3;
}

// Whether a piece of a broken line reaches the column's edge: no more of a
// token would have fit after it. One that runs past the edge is a token
// too long to break, and the line was broken at the space after it.
bool fillsLine(const TextLine &piece, double rightEdge, double charWidth)
{
    return piece.bbox.right() + 1.25 * charWidth > rightEdge && piece.bbox.right() <= rightEdge + 0.5 * charWidth;
}

// Where a wrapper broke a line with no space to drop: after a hyphen that
// ends a word or an option's dashes ("well-" "known", "--" "hash=…"; one
// after a space is an operator), before punctuation that closes, or
// inside a token longer than the line, which fills the line to its edge.
bool brokeWithoutSpace(const TextLine &piece, const TextLine &rest, double rightEdge, double charWidth)
{
    const QString text = piece.text().trimmed();
    if (text.size() >= 2 && text.back() == QLatin1Char('-') && !text.at(text.size() - 2).isSpace())
        return true;
    // A comma or a closing bracket follows what it closes with no space.
    const QString restText = rest.text().trimmed();
    if (!restText.isEmpty() && QStringLiteral(",;.)]").contains(restText.front()))
        return true;
    return piece.spans.size() == 1 && fillsLine(piece, rightEdge, charWidth);
}

// Signs a typesetter sets where it broke a line of code: at the end of the
// piece ("⌋", "↩", "↵") or before the rest ("↪", "↳").
bool isBreakMark(QChar c)
{
    return QStringView(u"\u230B\u21A9\u21B5\u2936\u23CE\u21AA\u21B3\u2937\u27A5").contains(c);
}

// A line with no space to break it at but around break marks.
bool isOneToken(const TextLine &line)
{
    QString text = line.text();
    text.removeIf(isBreakMark);
    return !text.trimmed().contains(QLatin1Char(' '));
}

// Whether a listing is set within its column, the edge found for it: a
// token longer than the line runs past the edge on its own, but a listing
// whose lines mostly pass it was measured against no edge of its own.
bool fitsColumn(const TextBlock &listing, double rightEdge, double charWidth)
{
    qsizetype overruns = 0;
    for (const TextLine &line : listing.lines) {
        if (line.bbox.right() <= rightEdge + charWidth)
            continue;
        if (!isOneToken(line))
            return false;
        ++overruns;
    }
    return overruns * 2 < listing.lines.size();
}

// Takes break marks off one end of the line; whether there were any.
bool takeBreakMarks(TextLine &line, bool atEnd)
{
    if (line.spans.isEmpty())
        return false;
    TextSpan &span = atEnd ? line.spans.last() : line.spans.first();
    QString text = span.text;
    bool taken = false;
    while (!text.isEmpty() && (atEnd ? isBreakMark(text.back()) : isBreakMark(text.front()))) {
        if (atEnd)
            text.chop(1);
        else
            text.remove(0, 1);
        taken = true;
    }
    if (!taken)
        return false;
    span.text = text.trimmed();
    if (span.text.isEmpty()) {
        if (atEnd)
            line.spans.removeLast();
        else
            line.spans.removeFirst();
        line.bbox = line.wordsBox();
    }
    return true;
}

// Lines an author begins: a comment or a directive ("// …", "# …"), or
// brackets that close what a line above opened, set shallower than it.
bool beginsOwnLine(const TextLine &piece, const TextLine &line, double charWidth)
{
    static const QRegularExpression comment(QStringLiteral("^\\s*(//|#)"));
    static const QRegularExpression closing(QStringLiteral("^\\s*[)\\]}]+[,;]?\\s*$"));
    const QString text = line.text();
    return comment.match(text).hasMatch()
        || (closing.match(text).hasMatch() && line.bbox.left() < piece.bbox.left() - 0.5 * charWidth);
}

// Whether the line goes on from the piece above by the column's measure:
// it sits at the piece's indent or left of it, and its first word could
// not have fit after the piece (but would fit on a line of its own). A
// statement's end ends the line, and so does a backslash that carries it
// on (shell, C macros: the line is broken by its author).
bool continuesByMeasure(const TextLine &piece, const TextLine &lineSoFar, const TextLine &line, double rightEdge,
                        double charWidth)
{
    const QString lastText = piece.text().trimmed();
    const double firstWord = line.spans.first().bbox.width();
    const bool inComment = endsInLineComment(lineSoFar.text());
    return !lastText.isEmpty() && !QStringLiteral(";{}\\").contains(lastText.back())
        && line.bbox.left() <= piece.bbox.left() + 0.5 * charWidth
        && piece.bbox.right() + charWidth + firstWord > rightEdge + 0.5 * charWidth
        && piece.bbox.left() + firstWord <= rightEdge + charWidth && !beginsOwnLine(piece, line, charWidth)
        && !(inComment && readsAsCode(line.text())) && (inComment || !followsWholeElement(lastText));
}

// Lines too long for the column are broken where a space falls (or a
// hyphen, or at the edge inside a long token), the rest set on the next
// line. A typesetter's break marks say so outright; without them a line
// continues the one above when its first word could not have fit after it.
// A mark alone on a line is dropped: which line it belongs to, the one
// above or an indent broken off before a long token, its place cannot say.
void joinWrappedLines(TextBlock &listing, std::optional<double> rightEdge)
{
    double charWidth = 0;
    qsizetype characters = 0;
    for (const TextLine &line : std::as_const(listing.lines))
        for (const TextSpan &span : line.spans) {
            charWidth += span.bbox.width();
            characters += span.text.size();
        }
    if (characters == 0)
        return;
    charWidth /= characters;
    // Set wider than the prose beside it: that prose is no column's edge,
    // and only the listing's own widest line shows how much a line holds.
    const bool measured = rightEdge && fitsColumn(listing, *rightEdge, charWidth);
    const double lineEnd = measured ? *rightEdge : listing.bbox.right();
    QList<TextLine> joined;
    std::optional<TextLine> lastPiece;
    bool marked = false;
    for (TextLine line : std::as_const(listing.lines)) {
        const bool markedEnd = takeBreakMarks(line, true);
        const bool markedStart = takeBreakMarks(line, false);
        if (line.spans.isEmpty())
            continue;
        const bool continues = lastPiece
            && (marked || markedStart
                || (measured && continuesByMeasure(*lastPiece, joined.last(), line, *rightEdge, charWidth)));
        if (continues) {
            joined.last().spans.last().spaceAfter = !brokeWithoutSpace(*lastPiece, line, lineEnd, charWidth);
            joined.last().spans += line.spans;
            joined.last().bbox = joined.last().bbox.united(line.bbox);
        } else {
            joined.append(line);
        }
        marked = markedEnd;
        lastPiece = line;
    }
    listing.lines = joined;
}

// The reader of a page cuts a listing into paragraphs wherever its indent
// changes: pieces of code one under the other with no blank line between
// them are one listing again.
QList<TextBlock> joinCutListings(const QList<TextBlock> &blocks)
{
    QList<TextBlock> joined;
    for (const TextBlock &block : blocks) {
        if (!joined.isEmpty() && block.type == BlockType::Code && joined.last().type == BlockType::Code) {
            TextBlock &previous = joined.last();
            const double lineHeight = previous.lines.last().bbox.height();
            const double gap = block.bbox.top() - previous.bbox.bottom();
            if (gap > -0.5 * lineHeight && gap < 0.8 * lineHeight && horizontalOverlap(previous.bbox, block.bbox) > 0) {
                previous.lines += block.lines;
                previous.bbox = previous.bbox.united(block.bbox);
                continue;
            }
        }
        joined.append(block);
    }
    return joined;
}

// From one line's top to the next one's, or a line and a fifth of one.
double linePitch(const TextBlock &block)
{
    const qsizetype lines = block.lines.size();
    if (lines < 2)
        return 1.2 * block.lines.last().bbox.height();
    return (block.lines.last().bbox.top() - block.lines.first().bbox.top()) / double(lines - 1);
}

// A mark alone on a line of a listing (a typesetter's sign for a blank or
// broken line, "⌋", "↪", set in another font) between two pieces of the
// listing, under the one above (or an indent or two left of it): the
// listing goes on through it.
// A break mark is the typesetter's, not the code's: the piece above takes
// its place, so the listing still reads as one.
void keepMarksInListings(QList<TextBlock> &blocks)
{
    for (qsizetype i = 1; i + 1 < blocks.size(); ++i) {
        TextBlock &mark = blocks[i];
        TextBlock &above = blocks[i - 1];
        const TextBlock &below = blocks[i + 1];
        if (mark.type != BlockType::Text || above.type != BlockType::Code || below.type != BlockType::Code
            || mark.lines.size() != 1)
            continue;
        const QString text = mark.text().trimmed();
        const double size = qMax(above.fontSize(), 1.0);
        const auto within = [&](double left) { return left > above.bbox.left() - kMaxPieceIndent * size && left < above.bbox.right(); };
        if (text.size() > 2 || !isMarksOnly(text) || !within(mark.bbox.left()) || !within(below.bbox.left()))
            continue;
        if (std::all_of(text.cbegin(), text.cend(), isBreakMark)) {
            // In the one line between the pieces, the mark leaves them one
            // piece; with a blank line beside it, it leaves them apart.
            if (below.bbox.top() - above.bbox.bottom() < 1.5 * linePitch(above))
                above.bbox = above.bbox.united(mark.bbox);
            blocks.removeAt(i--);
        } else {
            mark.type = BlockType::Code;
        }
    }
}

} // namespace

void markCodeBlocks(PageLayout &page, double bodySize)
{
    for (TextBlock &block : page.blocks) {
        if (block.type != BlockType::Text || !isCode(block) || startsListItem(block.lines.first()) || isCentred(block))
            continue;
        // The value closing a sentence that the column (or page) broke before it.
        if (block.lines.size() == 1 && closesSentenceWithValue(block.lines.first()))
            continue;
        // An API name set as a heading (larger, or bold) stays a heading;
        // a brace alone is none, however large a scan makes it.
        const bool headingLike = block.lines.size() <= 2 && containsLetter(block.lines.first().text())
            && (block.fontSize() > bodySize * 1.1
                || std::all_of(block.lines.cbegin(), block.lines.cend(), [](const TextLine &line) { return line.isBold(); }));
        if (!headingLike)
            block.type = BlockType::Code;
    }
    keepMarksInListings(page.blocks);
    page.blocks = joinCutListings(page.blocks);
}

void joinWrappedCodeLines(PageLayout &page, const NearPage &near)
{
    for (TextBlock &block : page.blocks)
        if (block.type == BlockType::Code)
            joinWrappedLines(block, columnRightNear(page, near, block));
}

} // namespace DocRay
