#include "engine/layout/columngutters.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <QHash>

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

namespace DocRay {

namespace {

constexpr double kMinWidth = 0.3;     // ems: gutters of tight two-column layouts are under one em
constexpr int kMinRows = 5;           // text lines beside a gutter, on each side
constexpr int kMinWideRows = 3;       // the same beside a gutter an em wide or more
constexpr int kMinContinuedRows = 2;  // the same beside a gutter going on from one found further up or down
constexpr double kMaxReach = 12.0;    // ems from a gutter to the text beside it
constexpr int kMinFlushRows = 3;
// Of a line's height, how much two lines overlap to face each other across
// a gutter: columns set on their own baselines can sit half a line apart.
constexpr double kMinFacingOverlap = 0.25;
constexpr double kCodeColumnShare = 0.5; // of the page's text height, for a gutter between code
// A gap under an em with less than this share of the text's width on one
// side is the space after a label set in every row ("Line 1 of ...", "Line
// 2 of ...": the numbers after it flush, on a scan as flush as a column's
// edge), not a gutter: columns are wider.
constexpr double kMinColumnShare = 0.2;
constexpr double kMinSameWordsShare = 0.8; // of the rows facing across a gap, those of rows worded alike
constexpr double kWordSpaceSlack = 0.35; // how far a word space may differ from the next in one row (glyphs' sides)
constexpr double kBandEms = 2.0; // the width of the bands words are filed under, for the strips' scans

double medianWordHeight(const QList<TextSpan> &words)
{
    QList<double> heights;
    for (const TextSpan &word : words)
        heights.append(word.bbox.height());
    std::nth_element(heights.begin(), heights.begin() + heights.size() / 2, heights.end());
    return qMax(heights[heights.size() / 2], 1.0);
}

bool overlapsInside(const QRectF &a, const QRectF &b)
{
    return horizontalOverlap(a, b) > 0 && verticalOverlap(a, b) > 0;
}

// Bullets, item numbers and check marks stand in a column of their own
// before their items; the gap after them is no gutter. (The marks that
// start the items of the next column do stand beside a gutter.)
bool isItemMark(const QString &text)
{
    // The longest mark is a section number such as "12.12.12.12.12.".
    constexpr int kLongestMark = 15;
    // Asked of a word beside every stretch of every candidate gap: most are
    // words, told apart by their length and last character before a string
    // is made for the patterns. Characters as toUcs4() reads them: a lone
    // surrogate is a replacement character.
    std::array<char32_t, kLongestMark> kept;
    int characters = 0;
    for (qsizetype i = 0; i < text.size();) {
        const QChar unit = text.at(i++);
        char32_t c = unit.isSurrogate() ? char32_t(QChar::ReplacementCharacter) : char32_t(unit.unicode());
        if (unit.isHighSurrogate() && i < text.size() && text.at(i).isLowSurrogate())
            c = QChar::surrogateToUcs4(unit, text.at(i++));
        if (!QChar::isPrint(c) || QChar::isSpace(c))
            continue;
        if (characters == kLongestMark)
            return false;
        kept[size_t(characters++)] = c;
    }
    if (characters <= 1)
        return true;
    // Longer marks end in a digit, a full stop or a parenthesis ("12", "3.", "a)").
    const char32_t last = kept[size_t(characters - 1)];
    if (!QChar::isDigit(last) && last != U'.' && last != U')')
        return false;
    const QString mark = QString::fromUcs4(kept.data(), characters);
    return isListMarker(mark) || isSectionNumber(mark);
}

// The page's words by the height of their centres, top down (in reading
// order where two share one): the words beside a gap are those of one
// stretch of it.
class WordsByHeight
{
public:
    explicit WordsByHeight(const QList<TextSpan> &words)
    {
        m_words.reserve(words.size());
        for (const TextSpan &word : words) {
            m_words.append(&word);
            m_tallest = qMax(m_tallest, word.bbox.height());
        }
        std::stable_sort(m_words.begin(), m_words.end(), [](const TextSpan *a, const TextSpan *b) {
            return a->bbox.center().y() < b->bbox.center().y();
        });
    }

    // Those whose centre stands within [top, bottom].
    std::pair<QList<const TextSpan *>::const_iterator, QList<const TextSpan *>::const_iterator> within(double top, double bottom) const
    {
        const auto first = std::lower_bound(m_words.cbegin(), m_words.cend(), top,
                                            [](const TextSpan *word, double y) { return word->bbox.center().y() < y; });
        const auto last = std::upper_bound(first, m_words.cend(), bottom,
                                           [](double y, const TextSpan *word) { return y < word->bbox.center().y(); });
        return {first, last};
    }

    // Those that reach into (top, bottom), and maybe a few that stop short.
    std::pair<QList<const TextSpan *>::const_iterator, QList<const TextSpan *>::const_iterator> near(double top, double bottom) const
    {
        return within(top - m_tallest / 2, bottom + m_tallest / 2);
    }

private:
    QList<const TextSpan *> m_words;
    double m_tallest = 0;
};

// The text rows beside one side of `gap`, each by its nearest word, and
// how many of them line up along the gap's edge: columns are set flush to
// one side; the ragged edges of a river in justified text touch it once or
// twice.
struct Side {
    QList<const TextSpan *> rows; // the nearest word of each row, top down
    int flush = 0;
    double flushTop = 0; // how far down the page the rows set flush run
    double flushBottom = 0;
};

Side sideOf(const WordsByHeight &words, const QList<QRectF> &gutters, const QRectF &gap, bool leftSide,
           bool marksLead, double em, double flush)
{
    struct Beside {
        double y;
        double distance;
        const TextSpan *word;
    };
    QList<Beside> beside; // top down, as the words come
    const auto [first, last] = words.within(gap.top(), gap.bottom());
    for (auto it = first; it != last; ++it) {
        const TextSpan &word = **it;
        const double distance = leftSide ? gap.left() - word.bbox.right() : word.bbox.left() - gap.right();
        if (distance < -0.5 || distance > kMaxReach * em)
            continue;
        // Text across another gutter stands beside that one.
        if (!(leftSide ? gutterBetween(gutters, word.bbox, gap) : gutterBetween(gutters, gap, word.bbox)))
            beside.append({word.bbox.center().y(), distance, &word});
    }
    Side side;
    for (qsizetype i = 0; i < beside.size();) {
        qsizetype end = i + 1;
        while (end < beside.size() && beside[end].y - beside[i].y < 0.5 * beside[i].word->bbox.height())
            ++end;
        const Beside *nearest = &beside[i];
        for (qsizetype j = i + 1; j < end; ++j)
            if (beside[j].distance < nearest->distance)
                nearest = &beside[j];
        if (nearest->distance <= flush) {
            side.flushTop = side.flush == 0 ? nearest->word->bbox.top() : qMin(side.flushTop, nearest->word->bbox.top());
            side.flushBottom = qMax(side.flushBottom, nearest->word->bbox.bottom());
            ++side.flush;
        }
        if (!(marksLead && isItemMark(nearest->word->text)))
            side.rows.append(nearest->word);
        i = end;
    }
    return side;
}

// The rows that hold text on both sides of a gap: how many, how many of
// them are code on both sides, how far down they run.
struct FacingRows {
    int count = 0;
    int code = 0;
    double top = 0;
    double bottom = 0;
    QList<QPair<const TextSpan *, const TextSpan *>> pairs; // the words facing across, row by row
};

FacingRows facingRows(const Side &left, const Side &right)
{
    FacingRows rows;
    for (const TextSpan *a : left.rows)
        for (const TextSpan *b : right.rows)
            if (verticalOverlap(a->bbox, b->bbox) > kMinFacingOverlap * qMin(a->bbox.height(), b->bbox.height())) {
                rows.top = rows.count == 0 ? a->bbox.top() : qMin(rows.top, a->bbox.top());
                rows.bottom = qMax(rows.bottom, a->bbox.bottom());
                ++rows.count;
                rows.code += a->monospace && b->monospace ? 1 : 0;
                rows.pairs.append(qMakePair(a, b));
                break;
            }
    return rows;
}

// A gutter found along the same edge further up or down the page: the
// page's columns, whatever stands beside this stretch of them.
bool continuesGutter(const QList<QRectF> &gutters, const QRectF &gap, double flush)
{
    return std::any_of(gutters.cbegin(), gutters.cend(), [&](const QRectF &gutter) {
        return horizontalOverlap(gutter, gap) > 0
            && (qAbs(gutter.left() - gap.left()) <= flush || qAbs(gutter.right() - gap.right()) <= flush);
    });
}

// The space before `word` on its row; 0 where it starts the row.
double spaceBefore(const WordsByHeight &words, const TextSpan &word)
{
    double nearest = -1;
    const auto [first, last] = words.within(word.bbox.top(), word.bbox.bottom());
    for (auto it = first; it != last; ++it)
        if ((*it)->bbox.right() <= word.bbox.left() + 0.5 && (nearest < 0 || (*it)->bbox.right() > nearest))
            nearest = (*it)->bbox.right();
    return nearest < 0 ? 0 : word.bbox.left() - nearest;
}

// Rows worded alike ("Line 10 of the ledger lists the ...", a log's "INFO
// worker 3 started ...") line their word spaces up down the page: the same
// words face each other across a gap as wide as each row's other word
// spaces. One text, row by row. Columns end and start their lines with
// whatever words fall there, and their gutter keeps its width where a
// justified line's spaces change from row to row.
bool isSpaceOfRowsWordedAlike(const WordsByHeight &words, const FacingRows &facing)
{
    QHash<QPair<QString, QString>, int> byWords;
    int sameWords = 0; // the most rows with one pair of words facing across
    for (const auto &[left, right] : facing.pairs)
        sameWords = qMax(sameWords, ++byWords[{left->text, right->text}]);
    if (sameWords < kMinSameWordsShare * facing.count)
        return false;
    int asWide = 0;
    for (const auto &[left, right] : facing.pairs) {
        const double space = spaceBefore(words, *left);
        const double gap = right->bbox.left() - left->bbox.right();
        asWide += space > 0 && qAbs(gap - space) <= kWordSpaceSlack * space ? 1 : 0;
    }
    return asWide >= kMinSameWordsShare * facing.count;
}

bool isGutter(const WordsByHeight &words, const QList<QRectF> &gutters, const QRectF &gap, const QRectF &textArea,
              bool rightToLeft, double em, double flush)
{
    if (gap.width() < em
        && qMin(gap.left() - textArea.left(), textArea.right() - gap.right()) < kMinColumnShare * textArea.width())
        return false;
    // Justified spacing lines up by chance for a few rows, never as wide
    // as an em: a wide gap needs fewer rows to be a gutter.
    // A stretch of the page's gutter cut off by a line run into it (an
    // identifier too long for its column) needs fewer rows: the gutter goes
    // on along the same edge below or above.
    const bool continues = continuesGutter(gutters, gap, flush);
    const int minRows = continues ? kMinContinuedRows : gap.width() >= em ? kMinWideRows : kMinRows;
    const Side left = sideOf(words, gutters, gap, true, !rightToLeft, em, flush);
    if (left.rows.size() < minRows) // each of its rows faces at most one row
        return false;
    const Side right = sideOf(words, gutters, gap, false, rightToLeft, em, flush);
    const FacingRows facing = facingRows(left, right);
    if (facing.count < minRows || qMax(left.flush, right.flush) < kMinFlushRows)
        return false;
    if (isSpaceOfRowsWordedAlike(words, facing))
        return false;
    // Code lines its comments and operands up in columns as tall as the
    // listing; columns of code run down the page (their lines set flush
    // along it, whether or not long lines face them across it), or go on
    // along the edge of the columns of prose below or above them.
    const double extent = std::max({facing.bottom - facing.top, left.flushBottom - left.flushTop, right.flushBottom - right.flushTop});
    const bool withinCode = facing.code * 5 >= facing.count * 4 && extent < kCodeColumnShare * textArea.height();
    return !withinCode || continues;
}

// Where at least kMinFlushRows words start (or end) within `flush` of one
// another: the outermost such edge of each cluster.
QList<double> flushEdges(const QList<TextSpan> &words, bool starts, double flush)
{
    QList<double> edges;
    for (const TextSpan &word : words)
        edges.append(starts ? word.bbox.left() : word.bbox.right());
    std::sort(edges.begin(), edges.end());
    QList<double> lined;
    for (qsizetype i = 0; i < edges.size();) {
        qsizetype end = i + 1;
        while (end < edges.size() && edges[end] - edges[i] <= flush)
            ++end;
        if (end - i >= kMinFlushRows)
            lined.append(starts ? edges[i] : edges[end - 1]);
        i = end;
    }
    return lined;
}

// The words' boxes by top, then bottom, each also filed under the bands of
// the page's width it crosses: a strip's scan down the page meets only the
// boxes of its bands, not every box of the page. A box across many bands
// (a rule of underscores, a hostile page's) is met by every scan instead.
class BoxBands
{
public:
    BoxBands(const QList<TextSpan> &words, const QRectF &textArea, double bandWidth)
        : m_left(textArea.left())
        , m_bandWidth(bandWidth)
        , m_bands(toBand(textArea.width() / bandWidth) + 1)
    {
        m_boxes.reserve(size_t(words.size()));
        for (const TextSpan &word : words)
            m_boxes.push_back(word.bbox);
        std::sort(m_boxes.begin(), m_boxes.end(), [](const QRectF &a, const QRectF &b) {
            return std::pair(a.top(), a.bottom()) < std::pair(b.top(), b.bottom());
        });
        for (size_t i = 0; i < m_boxes.size(); ++i) {
            const size_t first = bandOf(m_boxes[i].left()), last = bandOf(m_boxes[i].right());
            if (last - first >= kMaxBandsOfABox)
                m_wide.push_back(i);
            else
                for (size_t band = first; band <= last; ++band)
                    m_bands[band].push_back(i);
        }
    }

    // The boxes reaching into (from, to), top down.
    template<typename Visit>
    void crossing(double from, double to, Visit visit) const
    {
        const size_t first = bandOf(from), last = bandOf(to);
        const std::vector<size_t> *indices = &m_bands[first];
        if (first != last || !m_wide.empty()) {
            // Indices follow the boxes' order: merged by sorting them.
            m_merged = m_wide;
            for (size_t band = first; band <= last; ++band)
                m_merged.insert(m_merged.end(), m_bands[band].cbegin(), m_bands[band].cend());
            std::sort(m_merged.begin(), m_merged.end());
            m_merged.erase(std::unique(m_merged.begin(), m_merged.end()), m_merged.end());
            indices = &m_merged;
        }
        for (const size_t i : *indices) {
            const QRectF &box = m_boxes[i];
            if (box.right() > from && box.left() < to)
                visit(box);
        }
    }

private:
    static constexpr size_t kMaxBands = 4096;
    static constexpr size_t kMaxBandsOfABox = 16;

    // Clamped to the bands there are (NaN to the first).
    static size_t toBand(double band) { return band > 0 ? size_t(std::min(band, double(kMaxBands))) : 0; }
    size_t bandOf(double x) const { return std::min(toBand(std::floor((x - m_left) / m_bandWidth)), m_bands.size() - 1); }

    double m_left;
    double m_bandWidth;
    std::vector<QRectF> m_boxes;
    std::vector<std::vector<size_t>> m_bands;
    std::vector<size_t> m_wide;
    mutable std::vector<size_t> m_merged;
};

// Empty rectangles along an edge: where a strip as wide as the narrowest
// gutter beside the edge holds no word for long enough, widened to the
// nearest words across.
struct Strips {
    const BoxBands &boxes;
    const WordsByHeight &byHeight;
    double minWidth;
    double minHeight;
    QRectF textArea;

    QList<QRectF> emptyBefore(double edge) const { return widened(runs(edge - minWidth, edge), edge, true); }
    QList<QRectF> emptyAfter(double edge) const { return widened(runs(edge, edge + minWidth), edge, false); }

private:
    // The spans of the page's height where no word reaches into [from, to].
    QList<QPair<double, double>> runs(double from, double to) const
    {
        QList<QPair<double, double>> empty;
        double reach = textArea.top();
        boxes.crossing(from, to, [&](const QRectF &box) {
            if (box.top() - reach >= minHeight)
                empty.append({reach, box.top()});
            reach = qMax(reach, box.bottom());
        });
        if (textArea.bottom() - reach >= minHeight)
            empty.append({reach, textArea.bottom()});
        return empty;
    }
    QList<QRectF> widened(const QList<QPair<double, double>> &runs, double edge, bool before) const
    {
        QList<QRectF> rects;
        for (const auto &[top, bottom] : runs) {
            double far = before ? textArea.left() : textArea.right();
            const auto [first, last] = byHeight.near(top, bottom);
            for (auto it = first; it != last; ++it) {
                const TextSpan &word = **it;
                if (word.bbox.bottom() <= top || word.bbox.top() >= bottom)
                    continue;
                if (before && word.bbox.right() <= edge)
                    far = qMax(far, word.bbox.right());
                else if (!before && word.bbox.left() >= edge)
                    far = qMin(far, word.bbox.left());
            }
            rects.append(before ? QRectF(QPointF(far, top), QPointF(edge, bottom))
                                : QRectF(QPointF(edge, top), QPointF(far, bottom)));
        }
        return rects;
    }
};

} // namespace

QList<QRectF> findColumnGutters(const QList<TextSpan> &words, double flush)
{
    if (words.size() < 2 * kMinWideRows)
        return {};
    const double em = medianWordHeight(words);
    QRectF textArea;
    QString text;
    for (const TextSpan &word : words) {
        text += word.text;
        textArea = textArea.isNull() ? word.bbox : textArea.united(word.bbox);
    }
    const WordsByHeight byHeight(words);
    const BoxBands boxes(words, textArea, kBandEms * em);
    const Strips strips{boxes, byHeight, kMinWidth * em, kMinWideRows * em, textArea};
    // A column is set flush to one side: its gutter runs along the edge
    // where many lines start (or, set flush right, end).
    QList<QRectF> candidates;
    for (double edge : flushEdges(words, true, flush))
        candidates += strips.emptyBefore(edge);
    for (double edge : flushEdges(words, false, flush))
        candidates += strips.emptyAfter(edge);
    // The tallest first: text across a gutter found earlier stands beside that one.
    std::sort(candidates.begin(), candidates.end(),
              [](const QRectF &a, const QRectF &b) { return a.height() > b.height(); });
    const bool rightToLeft = isRightToLeft(text);
    QList<QRectF> gutters;
    for (const QRectF &candidate : std::as_const(candidates)) {
        const bool known = std::any_of(gutters.cbegin(), gutters.cend(),
                                       [&candidate](const QRectF &gutter) { return overlapsInside(gutter, candidate); });
        if (!known && isGutter(byHeight, gutters, candidate, textArea, rightToLeft, em, flush))
            gutters.append(candidate);
    }
    return gutters;
}

bool gutterBetween(const QList<QRectF> &gutters, const QRectF &left, const QRectF &right)
{
    const double top = qMax(left.top(), right.top()), bottom = qMin(left.bottom(), right.bottom());
    return std::any_of(gutters.cbegin(), gutters.cend(), [&](const QRectF &gutter) {
        return gutter.left() >= left.right() - 0.5 && gutter.right() <= right.left() + 0.5
            && qMin(bottom, gutter.bottom()) - qMax(top, gutter.top()) > 0;
    });
}

} // namespace DocRay
