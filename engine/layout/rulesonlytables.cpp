#include "engine/layout/rulesonlytables.h"

#include "engine/layout/layoutgeometry.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace DocRay {

namespace {

constexpr double kMaxRuleThickness = 3.0; // points
constexpr double kMinRuleWidth = 60.0;    // points
constexpr double kSameEdge = 3.0;         // points two rules' ends may differ by
// Ems of blank down every line of the body between two columns: word
// spaces are a quarter to a third of an em.
constexpr double kMinColumnGap = 0.8;
// Where every line is a row of its own, cells of a table hold a few words;
// lines of prose set in columns between a page's head and foot rules hold more.
constexpr double kMaxWordsPerLineCell = 5.0;
// Listings framed by rules line their code up in columns too: a column
// this much in a face of code is code.
constexpr double kMinListingShare = 0.8;
constexpr int kMinBodyRows = 2;
// Lines of the body to one that may cross a column gap: a section's name.
constexpr int kLinesPerSpanningLine = 6;
constexpr double kMaxColumnSteps = 4096; // where blank is looked for across a table

struct Rule {
    double left = 0;
    double right = 0;
    double y = 0;
};

struct Interval {
    double from = 0;
    double to = 0;
};

QList<Rule> horizontalRules(const QList<QRectF> &paint)
{
    QList<Rule> rules;
    for (const QRectF &box : paint)
        if (box.height() <= kMaxRuleThickness && box.width() >= kMinRuleWidth)
            rules.append({box.left(), box.right(), box.center().y()});
    std::sort(rules.begin(), rules.end(), [](const Rule &a, const Rule &b) { return a.y < b.y; });
    return rules;
}

bool sameExtent(const Rule &a, const Rule &b)
{
    return qAbs(a.left - b.left) <= kSameEdge && qAbs(a.right - b.right) <= kSameEdge;
}

// Rules as wide as each other, top down; a rule drawn twice (a stroke over
// a fill) counts once.
QList<QList<Rule>> stacksOfRules(const QList<Rule> &rules)
{
    QList<QList<Rule>> stacks;
    QList<bool> used(rules.size(), false);
    for (qsizetype i = 0; i < rules.size(); ++i) {
        if (used[i])
            continue;
        QList<Rule> stack{rules[i]};
        for (qsizetype j = i + 1; j < rules.size(); ++j)
            if (!used[j] && sameExtent(rules[i], rules[j])) {
                used[j] = true;
                if (rules[j].y - stack.last().y > kMaxRuleThickness)
                    stack.append(rules[j]);
            }
        if (stack.size() >= 2)
            stacks.append(stack);
    }
    return stacks;
}

// The words between two heights and within a rule's ends; nullopt where a
// word there runs past those ends (the rules belong to no table there).
std::optional<QList<TextSpan>> wordsBetween(const QList<TextLine> &lines, const Rule &top, double bottom)
{
    QList<TextSpan> words;
    for (const TextLine &line : lines)
        for (const TextSpan &span : line.spans) {
            const QPointF centre = span.bbox.center();
            if (centre.y() <= top.y || centre.y() >= bottom)
                continue;
            if (span.bbox.left() < top.left - kSameEdge || span.bbox.right() > top.right + kSameEdge) {
                if (centre.x() >= top.left && centre.x() <= top.right)
                    return std::nullopt;
                continue;
            }
            words.append(span);
        }
    return words;
}

// Where a line's words stand, gaps narrower than a column gap closed.
QList<Interval> inkOf(QList<TextSpan> words, double em)
{
    std::sort(words.begin(), words.end(),
              [](const TextSpan &a, const TextSpan &b) { return a.bbox.left() < b.bbox.left(); });
    QList<Interval> ink;
    for (const TextSpan &word : std::as_const(words)) {
        if (!ink.isEmpty() && word.bbox.left() < ink.last().to + kMinColumnGap * em)
            ink.last().to = qMax(ink.last().to, word.bbox.right());
        else
            ink.append({word.bbox.left(), word.bbox.right()});
    }
    return ink;
}

// The columns: blank down all lines but a few (a section's name set
// across the table, one line in six) parts two columns.
QList<Interval> columnsOf(const QList<QList<TextSpan>> &bands, const Interval &extent, double em)
{
    // A point a step, fewer on a page drawn absurdly wide.
    const double step = qMax(1.0, (extent.to - extent.from) / kMaxColumnSteps);
    const int steps = int(std::ceil((extent.to - extent.from) / step)) + 1;
    const auto stepOf = [&](double x) { return qBound(0, int((x - extent.from) / step), steps - 1); };
    QList<int> crossings(steps, 0);
    for (const QList<TextSpan> &band : bands)
        for (const Interval &piece : inkOf(band, em))
            for (int x = stepOf(piece.from); x <= stepOf(piece.to); ++x)
                ++crossings[x];
    const int allowed = int(bands.size() / kLinesPerSpanningLine);
    QList<Interval> columns;
    int blankSince = -1;
    for (int x = 0; x < steps; ++x) {
        if (crossings[x] <= allowed) {
            if (blankSince < 0)
                blankSince = x;
            continue;
        }
        const double at = extent.from + x * step;
        if (columns.isEmpty() || (blankSince >= 0 && (x - blankSince) * step >= kMinColumnGap * em))
            columns.append({at, at});
        columns.last().to = at + step;
        blankSince = -1;
    }
    return columns;
}

// A line set across a gap between columns: a section's name over its rows.
bool crossesColumnGap(const QList<TextSpan> &band, const QList<Interval> &columns, double em)
{
    const QList<Interval> ink = inkOf(band, em);
    return std::any_of(ink.cbegin(), ink.cend(), [&columns](const Interval &piece) {
        for (qsizetype c = 1; c < columns.size(); ++c)
            if (piece.from < columns[c - 1].to && piece.to > columns[c].from)
                return true;
        return false;
    });
}

// The visual lines of the body, top down, as the tops of their words.
QList<QList<TextSpan>> bandsOf(QList<TextSpan> words)
{
    std::sort(words.begin(), words.end(),
              [](const TextSpan &a, const TextSpan &b) { return a.bbox.center().y() < b.bbox.center().y(); });
    QList<QList<TextSpan>> bands;
    for (const TextSpan &word : std::as_const(words)) {
        if (bands.isEmpty()
            || word.bbox.center().y() - bands.last().first().bbox.center().y() > 0.5 * word.bbox.height())
            bands.append(QList<TextSpan>());
        bands.last().append(word);
    }
    return bands;
}

QRectF bandBox(const QList<TextSpan> &band)
{
    QRectF box = band.first().bbox;
    for (const TextSpan &word : band)
        box = box.united(word.bbox);
    return box;
}

// Words left of `edge`, the middle of the gap after the first column (a
// word or two of a long label may run into the gap).
bool hasFirstColumnWord(const QList<TextSpan> &band, double edge)
{
    return std::any_of(band.cbegin(), band.cend(), [edge](const TextSpan &word) { return word.bbox.center().x() < edge; });
}

// Where every line is a row, its cells are a few words each: not prose.
bool cellsAreShort(const QList<QList<TextSpan>> &bands, const QList<Interval> &columns)
{
    for (const Interval &column : columns) {
        int words = 0, cells = 0;
        for (const QList<TextSpan> &band : bands) {
            const auto inColumn = std::count_if(band.cbegin(), band.cend(), [&column](const TextSpan &word) {
                return word.bbox.center().x() >= column.from && word.bbox.center().x() <= column.to;
            });
            words += int(inColumn);
            cells += inColumn > 0 ? 1 : 0;
        }
        if (cells > 0 && double(words) / cells > kMaxWordsPerLineCell)
            return false;
    }
    return true;
}

struct BodyRow {
    double top = 0;
    bool spanning = false; // a section's name set across the columns: one cell
};

bool onlyInFirstColumn(const QList<TextSpan> &band, double edge)
{
    return std::all_of(band.cbegin(), band.cend(), [edge](const TextSpan &word) { return word.bbox.center().x() < edge; });
}

// The rows of the body, top down. A row starts at a line with words in the
// first column, at a line set across the columns and at the line under
// that. A line with words in the first column alone goes with the line
// nearer to it: a label's second line under it, or its first line over a
// row centred on the label's lines.
QList<BodyRow> bodyRows(const QList<QList<TextSpan>> &bands, const QList<Interval> &columns, double em, double top)
{
    const double firstEdge = (columns[0].to + columns[1].from) / 2;
    QList<BodyRow> rows;
    bool underSpanning = false, joinNext = false;
    for (qsizetype b = 0; b < bands.size(); ++b) {
        const QList<TextSpan> &band = bands[b];
        const bool spanning = crossesColumnGap(band, columns, em);
        bool starts = spanning || underSpanning || hasFirstColumnWord(band, firstEdge);
        if (starts && !spanning && b > 0 && onlyInFirstColumn(band, firstEdge)) {
            const double above = bandBox(band).top() - bandBox(bands[b - 1]).bottom();
            const double below = b + 1 < bands.size() ? bandBox(bands[b + 1]).top() - bandBox(band).bottom() : above + em;
            starts = below < above - 0.1 * em;
            joinNext = starts;
        } else if (joinNext) {
            starts = false;
            joinNext = false;
        }
        if (starts || rows.isEmpty())
            rows.append({rows.isEmpty() ? top : bandBox(band).top() - 0.5, spanning});
        underSpanning = spanning;
    }
    return rows;
}

void addRow(TextBlock &table, const QList<double> &edges, double top, double bottom, bool spanning = false)
{
    for (int column = 0; column + 1 < edges.size(); ++column) {
        TableCell cell;
        cell.row = table.rows;
        cell.column = column;
        cell.columnSpan = spanning ? int(edges.size()) - 1 : 1;
        cell.bbox = QRectF(QPointF(edges[column], top), QPointF(edges[spanning ? edges.size() - 1 : column + 1], bottom));
        table.cells.append(cell);
        if (spanning)
            break;
    }
    ++table.rows;
}

// Code with its comments lined up ("mov edx, ebx  // load primes"): every
// column set in a face of code.
bool isListing(const QList<TextSpan> &words, const QList<Interval> &columns)
{
    return std::all_of(columns.cbegin(), columns.cend(), [&words](const Interval &column) {
        int all = 0, monospace = 0;
        for (const TextSpan &word : words)
            if (word.bbox.center().x() >= column.from && word.bbox.center().x() <= column.to) {
                ++all;
                monospace += word.monospace ? 1 : 0;
            }
        return monospace >= kMinListingShare * all;
    });
}

// Lines across the columns one under another are a paragraph (a caption
// inside the rules), not a section's name over its rows.
bool crossesInRunningLines(const QList<QList<TextSpan>> &bands, const QList<Interval> &columns, double em)
{
    for (qsizetype b = 1; b < bands.size(); ++b)
        if (crossesColumnGap(bands[b - 1], columns, em) && crossesColumnGap(bands[b], columns, em))
            return true;
    return false;
}

// The table the rules from `top` to `bottom` enclose (a header over the
// middle rule where there are three), or none.
std::optional<TextBlock> tableBetween(const QList<TextLine> &lines, const QList<Rule> &stack, qsizetype top,
                                      qsizetype bottom)
{
    const bool hasHeader = bottom - top >= 2;
    const Rule &bodyTop = stack[hasHeader ? top + 1 : top];
    const std::optional<QList<TextSpan>> body = wordsBetween(lines, bodyTop, stack[bottom].y);
    if (!body || body->size() < 2 * kMinBodyRows)
        return std::nullopt;
    QList<double> sizes;
    for (const TextSpan &word : *body)
        sizes.append(word.fontSize);
    const double em = qMax(median(sizes), 1.0);
    const QList<QList<TextSpan>> bands = bandsOf(*body);
    const QList<Interval> columns = columnsOf(bands, {bodyTop.left, bodyTop.right}, em);
    if (columns.size() < 2 || isListing(*body, columns) || crossesInRunningLines(bands, columns, em))
        return std::nullopt;
    const QList<BodyRow> rows = bodyRows(bands, columns, em, bodyTop.y);
    if (rows.size() < kMinBodyRows || (rows.size() == bands.size() && !cellsAreShort(bands, columns)))
        return std::nullopt;
    std::optional<QList<TextSpan>> header;
    if (hasHeader && !(header = wordsBetween(lines, stack[top], bodyTop.y)))
        return std::nullopt;
    QList<double> edges{stack[top].left};
    for (qsizetype c = 1; c < columns.size(); ++c)
        edges.append((columns[c - 1].to + columns[c].from) / 2);
    edges.append(stack[top].right);
    TextBlock table;
    table.type = BlockType::Table;
    table.bbox = QRectF(QPointF(stack[top].left, stack[top].y), QPointF(stack[top].right, stack[bottom].y));
    table.columns = int(columns.size());
    if (header && !header->isEmpty())
        addRow(table, edges, stack[top].y, bodyTop.y);
    for (qsizetype r = 0; r < rows.size(); ++r)
        addRow(table, edges, rows[r].top, r + 1 < rows.size() ? rows[r + 1].top : stack[bottom].y, rows[r].spanning);
    return table;
}

} // namespace

QList<TextBlock> findRulesOnlyTables(const QList<TextLine> &lines, const QList<QRectF> &paint)
{
    QList<TextBlock> tables;
    for (const QList<Rule> &stack : stacksOfRules(horizontalRules(paint))) {
        // A rule over the table, one under its header where it has one, one
        // under it; a page's head and foot rules may be as wide.
        for (qsizetype top = 0; top + 1 < stack.size(); ++top)
            for (qsizetype bottom = qMin(top + 2, stack.size() - 1); bottom > top; --bottom)
                if (const std::optional<TextBlock> table = tableBetween(lines, stack, top, bottom)) {
                    tables.append(*table);
                    top = bottom; // the next table starts under this one
                    break;
                }
    }
    return tables;
}

} // namespace DocRay
