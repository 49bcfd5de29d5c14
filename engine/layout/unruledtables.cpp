#include "engine/layout/unruledtables.h"

#include "engine/layout/columngutters.h"
#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace DocRay {

namespace {

// Ems of blank that a column gap keeps in every row. Word spaces are a
// quarter to a third of an em, so prose rarely lines up a gap this wide.
constexpr double kMinRiver = 0.75;
// Line heights of blank between two rows of one table: tables are often
// set looser than prose, and a header may stand a little apart.
constexpr double kMaxRowGap = 1.6;
// A column whose cells average more than this is running text.
constexpr double kMaxCellWords = 5.0;
constexpr double kMaxCellCharacters = 40.0;
// Cells of a column of labels: a word or two.
constexpr double kMaxShortWords = 2.5;
constexpr double kMaxShortCharacters = 20.0;
// Rows of a table that hold a column's cells, at the least.
constexpr double kMinFilledShare = 0.6;
constexpr double kMinEdgeShare = 0.5; // for a first or last column, whatever its cells
// Two columns are a table only when one holds figures (amounts, page
// numbers); otherwise they are more likely a two-column layout or a list.
constexpr double kMinNumericShare = 0.6;
// A wrapped cell's next line is set closer than this share of the blank
// between rows.
constexpr double kMaxContinuationGap = 0.6;
// Rows of text facing across a river above or below a table's rows, one
// side a line of prose: the gutter between the page's columns, not a
// river of the table's own.
constexpr qsizetype kMinFacingRowsOutside = 6;
constexpr qsizetype kMinProseWords = 5;
// Words of a justified line with rivers, and how much wider its widest
// word space may be than its narrowest (TeX stretches the space after a
// comma or a full stop more).
constexpr qsizetype kMinJustifiedWords = 4;
constexpr double kMinWordSpace = 0.1; // ems
constexpr double kMaxJustifiedSpread = 1.6;

struct Interval {
    double from = 0;
    double to = 0;
};

// One visual row of the page: the line fragments at one height, which the
// line builder splits at wide gaps.
struct Row {
    QList<TextSpan> words; // left to right
    QRectF bbox;
    double em = 1;
    QList<Interval> ink; // where words are, gaps narrower than a river closed
};

QList<Interval> merged(QList<Interval> spans, double minGap)
{
    std::sort(spans.begin(), spans.end(), [](const Interval &a, const Interval &b) { return a.from < b.from; });
    QList<Interval> out;
    for (const Interval &span : std::as_const(spans)) {
        if (!out.isEmpty() && span.from - out.last().to < minGap)
            out.last().to = qMax(out.last().to, span.to);
        else
            out.append(span);
    }
    return out;
}

double verticalOverlap(const QRectF &a, const QRectF &b)
{
    return qMin(a.bottom(), b.bottom()) - qMax(a.top(), b.top());
}

QList<Row> visualRows(const QList<TextLine> &lines)
{
    QList<const TextLine *> order;
    for (const TextLine &line : lines)
        if (!line.spans.isEmpty())
            order.append(&line);
    std::stable_sort(order.begin(), order.end(),
                     [](const TextLine *a, const TextLine *b) { return a->bbox.center().y() < b->bbox.center().y(); });
    QList<Row> rows;
    QRectF band; // the first fragment's height: rows do not creep down the page
    for (const TextLine *line : std::as_const(order)) {
        const double minHeight = qMin(band.height(), line->bbox.height());
        if (rows.isEmpty() || verticalOverlap(band, line->bbox) < 0.5 * minHeight) {
            rows.append(Row());
            band = line->bbox;
        }
        Row &row = rows.last();
        row.words += line->spans;
        row.bbox = row.bbox.isNull() ? line->bbox : row.bbox.united(line->bbox);
    }
    for (Row &row : rows) {
        std::sort(row.words.begin(), row.words.end(),
                  [](const TextSpan &a, const TextSpan &b) { return a.bbox.left() < b.bbox.left(); });
        QList<double> sizes;
        QList<Interval> spans;
        for (const TextSpan &word : std::as_const(row.words)) {
            sizes.append(word.fontSize > 0 ? word.fontSize : word.bbox.height());
            spans.append({word.bbox.left(), word.bbox.right()});
        }
        row.em = qMax(median(sizes), 1.0);
        row.ink = merged(spans, kMinRiver * row.em);
    }
    return rows;
}

// Every river of `before` still has blank in `after`.
bool keepsRivers(const QList<Interval> &before, const QList<Interval> &after)
{
    for (qsizetype i = 0; i + 1 < before.size(); ++i) {
        const Interval river{before[i].to, before[i + 1].from};
        bool kept = false;
        for (qsizetype j = 0; j + 1 < after.size() && !kept; ++j)
            kept = after[j].to < river.to && after[j + 1].from > river.from;
        if (!kept)
            return false;
    }
    return true;
}

bool isNumeric(const QString &text)
{
    // Asked of every cell of every run of rows a page is searched through:
    // past the length of a Roman numeral, only a digit can make a number.
    const QString trimmed = text.trimmed();
    constexpr qsizetype kLongestRomanNumeral = 6;
    if (trimmed.size() > kLongestRomanNumeral
        && std::none_of(trimmed.cbegin(), trimmed.cend(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return false;
    static const QRegularExpression number(
        QStringLiteral("^[(\\-+\u2212$\u20ac\u00a3\u00a5]?\\s*[\\d.,\u00a0 ]*\\d[\\d.,\u00a0 ]*\\s*[%)*]*$"
                       "|^[ivxlcdm]{1,6}$|^[-\u2013\u2014]$"),
        QRegularExpression::CaseInsensitiveOption);
    return number.match(trimmed).hasMatch();
}

struct Grid {
    QList<double> columnEdges;
    QList<const Row *> rows;
    // The words of each row, column by column: read once per run of rows.
    // Dropping rows or an edge column keeps the other cells as they are
    // (no word's middle lies on an edge: edges are the middles of rivers
    // and outside the ink), so the table is trimmed along with the grid.
    QList<QStringList> texts;
};

int columnOf(const QList<double> &edges, double x)
{
    const auto it = std::upper_bound(edges.begin() + 1, edges.end() - 1, x);
    return static_cast<int>(it - edges.begin()) - 1;
}

QList<QStringList> cellTexts(const Grid &grid)
{
    const int columns = static_cast<int>(grid.columnEdges.size()) - 1;
    QList<QStringList> rows;
    for (const Row *row : grid.rows) {
        QStringList texts(columns);
        for (const TextSpan &word : row->words) {
            const double x = word.bbox.center().x();
            if (x < grid.columnEdges.first() || x > grid.columnEdges.last())
                continue;
            QString &text = texts[columnOf(grid.columnEdges, x)];
            if (!text.isEmpty())
                text += QLatin1Char(' ');
            text += word.text;
        }
        rows.append(texts);
    }
    return rows;
}

int filledCount(const QStringList &texts)
{
    return static_cast<int>(std::count_if(texts.begin(), texts.end(), [](const QString &t) { return !t.isEmpty(); }));
}

// Rows with no words in the grid's columns go; so do rows at either end
// with words in one column only: a caption, a note or a heading next to
// the table, not one of its rows.
void trimRows(Grid &grid)
{
    QList<const Row *> kept;
    QList<QStringList> keptTexts;
    QList<int> filled;
    for (qsizetype r = 0; r < grid.rows.size(); ++r)
        if (const int count = filledCount(grid.texts[r]); count > 0) {
            kept.append(grid.rows[r]);
            keptTexts.append(grid.texts[r]);
            filled.append(count);
        }
    qsizetype first = 0, last = kept.size() - 1;
    while (first <= last && filled[first] < 2)
        ++first;
    while (last >= first && filled[last] < 2)
        --last;
    grid.rows = kept.mid(first, last - first + 1);
    grid.texts = keptTexts.mid(first, last - first + 1);
}

struct ColumnStats {
    int filled = 0;
    double words = 0;      // per filled cell
    double characters = 0; // per filled cell
    double numeric = 0;    // share of filled cells
    double bodyNumeric = 0; // share of filled cells below the first row (a header)
    bool prose() const { return words > kMaxCellWords || characters > kMaxCellCharacters; }
    bool isShort() const { return words <= kMaxShortWords && characters <= kMaxShortCharacters; }
};

QList<ColumnStats> columnStats(const Grid &grid)
{
    const QList<QStringList> &rows = grid.texts;
    QList<ColumnStats> stats(grid.columnEdges.size() - 1);
    QList<int> bodyFilled(stats.size(), 0);
    for (qsizetype r = 0; r < rows.size(); ++r)
        for (qsizetype c = 0; c < rows[r].size(); ++c) {
            const QString &cell = rows[r][c];
            if (cell.isEmpty())
                continue;
            ColumnStats &column = stats[c];
            ++column.filled;
            column.words += cell.count(QLatin1Char(' ')) + 1;
            column.characters += cell.size();
            column.numeric += isNumeric(cell);
            if (r > 0) {
                ++bodyFilled[c];
                column.bodyNumeric += isNumeric(cell);
            }
        }
    for (qsizetype c = 0; c < stats.size(); ++c) {
        ColumnStats &column = stats[c];
        if (column.filled > 0) {
            column.words /= column.filled;
            column.characters /= column.filled;
            column.numeric /= column.filled;
        }
        if (bodyFilled[c] > 0)
            column.bodyNumeric /= bodyFilled[c];
    }
    return stats;
}

// Running text beside a table (the other column of the page, a sidebar)
// lines up with its rows as well as its cells do: an edge column of long
// cells, of wordy cells in only some rows, or with words in fewer than half
// the rows is the page's, not the table's.
bool dropProseEdge(Grid &grid)
{
    const QList<ColumnStats> stats = columnStats(grid);
    auto proseBeside = [&grid](const ColumnStats &column) {
        const double rows = static_cast<double>(grid.rows.size());
        return column.prose() || column.filled < kMinEdgeShare * rows
            || (column.words > kMaxShortWords && column.filled < kMinFilledShare * rows);
    };
    if (stats.size() < 2)
        return false;
    if (proseBeside(stats.first())) {
        grid.columnEdges.removeFirst();
        for (QStringList &row : grid.texts)
            row.removeFirst();
    } else if (proseBeside(stats.last())) {
        grid.columnEdges.removeLast();
        for (QStringList &row : grid.texts)
            row.removeLast();
    } else {
        return false;
    }
    trimRows(grid);
    return true;
}

// A numbered listing (code, a poem) pairs each line with 1, 2, 3, ...: its
// only column of figures counts up by one, row by row.
bool isLineNumbering(const QList<QStringList> &rows, const QList<ColumnStats> &stats)
{
    for (qsizetype c = 0; c < stats.size(); ++c) {
        if (stats[c].numeric < kMinNumericShare)
            continue;
        int previous = -1, steps = 0;
        for (const QStringList &row : rows) {
            bool ok = false;
            const int value = row[c].toInt(&ok);
            if (!ok)
                continue;
            steps += previous >= 0 && value == previous + 1;
            previous = value;
        }
        if (steps + 1 < stats[c].filled)
            return false;
    }
    return true;
}

// A list's markers or a listing's comment marks ("–", "//", "# +") stand
// in a first column of their own: none of its cells has a letter or a digit.
bool leadsWithMarks(const QList<QStringList> &rows)
{
    return std::all_of(rows.cbegin(), rows.cend(), [](const QStringList &row) { return isMarksOnly(row.first()); });
}

// Justified prose stretches every word space of a line alike, and the
// rivers that lines of long words leave line up by chance; a table's cells
// keep word spaces far narrower than the rivers between them, and a row of
// figures alone can space them alike.
bool isJustifiedProse(const Grid &grid)
{
    const double left = grid.columnEdges.first(), right = grid.columnEdges.last();
    return std::all_of(grid.rows.cbegin(), grid.rows.cend(), [left, right](const Row *row) {
        QList<TextSpan> words; // the row's words in the run's columns, not the page's other column
        std::copy_if(row->words.cbegin(), row->words.cend(), std::back_inserter(words), [left, right](const TextSpan &word) {
            return word.bbox.center().x() > left && word.bbox.center().x() < right;
        });
        const auto wordy = std::count_if(words.cbegin(), words.cend(), [](const TextSpan &word) {
            return std::any_of(word.text.cbegin(), word.text.cend(), [](QChar c) { return c.isLetter(); });
        });
        // Runs of another face touch (a word in code, its comma in roman): no space between them.
        QList<double> spaces;
        for (qsizetype k = 1; k < words.size(); ++k) {
            const double space = words[k].bbox.left() - words[k - 1].bbox.right();
            if (space > kMinWordSpace * row->em)
                spaces.append(space);
        }
        if (spaces.size() + 1 < kMinJustifiedWords || wordy * 2 < words.size())
            return false;
        const auto [narrowest, widest] = std::minmax_element(spaces.cbegin(), spaces.cend());
        return *widest <= kMaxJustifiedSpread * *narrowest;
    });
}

// Short cells, several of them in each column, and figures or one-word
// cells: what a table has and prose in columns has not.
bool looksTabular(Grid &grid, int minRows)
{
    trimRows(grid);
    while (dropProseEdge(grid)) {
    }
    const int columns = static_cast<int>(grid.columnEdges.size()) - 1;
    if (grid.rows.size() < minRows || columns < 2)
        return false;
    const QList<QStringList> &texts = grid.texts;
    int fullRows = 0, filled = 0;
    for (const QStringList &row : texts) {
        fullRows += filledCount(row) >= 2;
        filled += filledCount(row);
    }
    // Labels of a diagram line up too, but leave most of their grid empty.
    if (fullRows < minRows || fullRows * 2 < grid.rows.size() || filled < kMinFilledShare * columns * grid.rows.size())
        return false;
    if (leadsWithMarks(texts) || isJustifiedProse(grid))
        return false;
    int numericColumns = 0, shortColumns = 0;
    const QList<ColumnStats> stats = columnStats(grid);
    for (const ColumnStats &column : stats) {
        if (column.filled < 2 || column.prose())
            return false;
        numericColumns += column.numeric >= kMinNumericShare;
        shortColumns += column.isShort();
    }
    if (columns == 2)
        return numericColumns >= 1 && !isLineNumbering(texts, stats);
    // With fewer rows to go on than a page's pass wants, a column of
    // figures under its header is.
    if (minRows < kMinPageTableRows)
        return std::any_of(stats.cbegin(), stats.cend(), [](const ColumnStats &c) { return c.bodyNumeric >= kMinNumericShare; });
    return numericColumns >= 1 || shortColumns >= columns - 1;
}

// Visual rows that continue the row above: a cell wrapped onto a second
// line leaves the first column blank and sits closer to the line above than
// rows sit to each other. Returns where each table row starts.
QList<qsizetype> rowStarts(const Grid &grid)
{
    const QList<QStringList> &texts = grid.texts;
    auto gapAbove = [&grid](qsizetype r) { return grid.rows[r]->bbox.top() - grid.rows[r - 1]->bbox.bottom(); };
    QList<double> rowGaps; // between rows that both open with a first cell
    for (qsizetype r = 1; r < grid.rows.size(); ++r)
        if (!texts[r].first().isEmpty() && !texts[r - 1].first().isEmpty())
            rowGaps.append(gapAbove(r));
    const double continuationGap = rowGaps.size() >= 2 ? kMaxContinuationGap * median(rowGaps) : -1;
    QList<qsizetype> starts{0};
    for (qsizetype r = 1; r < grid.rows.size(); ++r)
        if (!texts[r].first().isEmpty() || gapAbove(r) >= continuationGap)
            starts.append(r);
    return starts;
}

TextBlock tableBlock(const Grid &grid)
{
    const int columns = static_cast<int>(grid.columnEdges.size()) - 1;
    const QList<qsizetype> starts = rowStarts(grid);
    QList<double> rowEdges{grid.rows.first()->bbox.top()};
    for (qsizetype i = 1; i < starts.size(); ++i)
        rowEdges.append((grid.rows[starts[i] - 1]->bbox.bottom() + grid.rows[starts[i]]->bbox.top()) / 2);
    rowEdges.append(grid.rows.last()->bbox.bottom());

    TextBlock table;
    table.type = BlockType::Table;
    table.rows = static_cast<int>(starts.size());
    table.columns = columns;
    table.bbox = QRectF(QPointF(grid.columnEdges.first(), rowEdges.first()),
                        QPointF(grid.columnEdges.last(), rowEdges.last()));
    for (int r = 0; r < table.rows; ++r)
        for (int c = 0; c < columns; ++c) {
            TableCell cell;
            cell.row = r;
            cell.column = c;
            cell.bbox = QRectF(QPointF(grid.columnEdges[c], rowEdges[r]), QPointF(grid.columnEdges[c + 1], rowEdges[r + 1]));
            table.cells.append(cell);
        }
    return table;
}

// The words of a row that run on from the edge of a gap, word space after
// word space: a line of prose beside the gap, or one cell of a table.
qsizetype runBeside(const Row &row, const QRectF &gap, bool leftSide)
{
    qsizetype count = 0;
    double edge = leftSide ? gap.left() + 0.5 : gap.right() - 0.5;
    const qsizetype n = row.words.size();
    for (qsizetype k = 0; k < n; ++k) {
        const TextSpan &word = row.words[leftSide ? n - 1 - k : k];
        const bool beyond = leftSide ? word.bbox.right() <= edge : word.bbox.left() >= edge;
        if (!beyond)
            continue;
        const double space = leftSide ? edge - word.bbox.right() : word.bbox.left() - edge;
        if (count > 0 && space >= kMinRiver * row.em)
            break;
        ++count;
        edge = leftSide ? word.bbox.left() : word.bbox.right();
    }
    return count;
}

// Whether one of the run's rivers is the page's gutter: the two columns
// of a page side by side line up row by row for a while (code beside a
// list), but their gutter goes on above or below the rows, with lines of
// prose beside it there, more of them than the run has rows (a table's
// other rows hold cells of a word or two, a heading row a few words).
std::optional<double> pageGutterEdge(const Grid &grid, const QList<Row> &rows, const QList<QRectF> &gutters)
{
    const double top = grid.rows.first()->bbox.top(), bottom = grid.rows.last()->bbox.bottom();
    auto proseBeside = [](const Row &row, const QRectF &gutter) {
        const qsizetype left = runBeside(row, gutter, true), right = runBeside(row, gutter, false);
        return left > 0 && right > 0 && qMax(left, right) >= kMinProseWords;
    };
    // A gutter runs through a river where it lies between the ink of the
    // two columns the river parts.
    auto inRiver = [&grid](const QRectF &gutter, qsizetype edge) {
        double leftInk = grid.columnEdges[edge - 1], rightInk = grid.columnEdges[edge + 1];
        for (const Row *row : grid.rows)
            for (const TextSpan &word : row->words) {
                const double x = word.bbox.center().x();
                if (x > grid.columnEdges[edge - 1] && x < grid.columnEdges[edge])
                    leftInk = qMax(leftInk, word.bbox.right());
                else if (x > grid.columnEdges[edge] && x < grid.columnEdges[edge + 1])
                    rightInk = qMin(rightInk, word.bbox.left());
            }
        return gutter.left() >= leftInk - 0.5 && gutter.right() <= rightInk + 0.5;
    };
    for (qsizetype i = 1; i + 1 < grid.columnEdges.size(); ++i)
        for (const QRectF &gutter : gutters) {
            if (gutter.top() >= bottom || gutter.bottom() <= top || !inRiver(gutter, i))
                continue;
            const auto outside = std::count_if(rows.cbegin(), rows.cend(), [&](const Row &row) {
                const double y = row.bbox.center().y();
                return (y < top || y > bottom) && y > gutter.top() && y < gutter.bottom() && proseBeside(row, gutter);
            });
            if (outside >= qMax<qsizetype>(kMinFacingRowsOutside, grid.rows.size()))
                return grid.columnEdges[i];
        }
    return std::nullopt;
}

// The page's column gutters, found the first time a run looks tabular:
// on most pages none does, and finding them took as long as the search.
class PageGutters
{
public:
    explicit PageGutters(const QList<TextLine> &lines)
        : m_lines(lines)
    {
    }

    const QList<QRectF> &get()
    {
        if (!m_gutters) {
            QList<TextSpan> words;
            for (const TextLine &line : m_lines)
                words += line.spans;
            m_gutters = findColumnGutters(words);
        }
        return *m_gutters;
    }

private:
    const QList<TextLine> &m_lines;
    std::optional<QList<QRectF>> m_gutters;
};

// The tables of a run of rows: the run, or where it spans the page's
// gutter, what stands on either side of it (a table in one column beside
// prose in the other).
QList<TextBlock> tablesOfRun(const Grid &run, const QList<Row> &rows, PageGutters &pageGutters, int minRows)
{
    Grid grid = run;
    if (!looksTabular(grid, minRows))
        return {};
    const QList<QRectF> &gutters = pageGutters.get();
    const std::optional<double> gutter = pageGutterEdge(grid, rows, gutters);
    if (!gutter)
        return {tableBlock(grid)};
    QList<TextBlock> tables;
    for (const bool leftSide : {true, false}) {
        Grid side = run;
        side.columnEdges.clear();
        for (double edge : run.columnEdges)
            if (leftSide ? edge < *gutter : edge > *gutter)
                side.columnEdges.append(edge);
        side.columnEdges.insert(leftSide ? side.columnEdges.size() : 0, *gutter);
        if (side.columnEdges.size() < 3)
            continue;
        side.texts = cellTexts(side);
        if (looksTabular(side, minRows) && !pageGutterEdge(side, rows, gutters))
            tables.append(tableBlock(side));
    }
    return tables;
}

// The column edges of a run of rows: the middles of its rivers, and its
// outer ink edges (a point out, so edge words are inside).
QList<double> columnEdges(const QList<Interval> &coverage)
{
    QList<double> edges{coverage.first().from - 1};
    for (qsizetype i = 0; i + 1 < coverage.size(); ++i)
        edges.append((coverage[i].to + coverage[i + 1].from) / 2);
    edges.append(coverage.last().to + 1);
    return edges;
}

} // namespace

QList<TextBlock> findUnruledTables(const QList<TextLine> &lines, int minRows)
{
    const QList<Row> rows = visualRows(lines);
    PageGutters gutters(lines);
    QList<TextBlock> tables;
    qsizetype start = 0;
    while (start < rows.size()) {
        if (rows[start].ink.size() < 2) {
            ++start;
            continue;
        }
        // Grow the run while the rows leave the same rivers blank.
        const double em = rows[start].em;
        QList<Interval> coverage = rows[start].ink;
        qsizetype end = start;
        while (end + 1 < rows.size()) {
            const Row &previous = rows[end], &next = rows[end + 1];
            if (next.bbox.top() - previous.bbox.bottom() > kMaxRowGap * qMax(previous.bbox.height(), next.bbox.height()))
                break;
            const QList<Interval> grown = merged(coverage + next.ink, kMinRiver * em);
            // The second row may close rivers the first left open by chance.
            if (grown.size() < 2 || (end > start && !keepsRivers(coverage, grown)))
                break;
            coverage = grown;
            ++end;
        }
        Grid grid;
        grid.columnEdges = columnEdges(coverage);
        for (qsizetype r = start; r <= end; ++r)
            grid.rows.append(&rows[r]);
        grid.texts = cellTexts(grid);
        const QList<TextBlock> found = tablesOfRun(grid, rows, gutters, minRows);
        tables += found;
        start = found.isEmpty() ? start + 1 : end + 1;
    }
    return tables;
}

} // namespace DocRay
