#include "engine/layout/columngutters.h"

#include "engine/layout/layoutgeometry.h"
#include "engine/layout/textpatterns.h"

#include <algorithm>
#include <QLineF>

#include <queue>

namespace DocRay {

namespace {

constexpr double kMinWidth = 0.3;     // ems: gutters of tight two-column layouts are under one em
constexpr int kMinRows = 5;           // text lines beside a gutter, on each side
constexpr int kMinWideRows = 3;       // the same beside a gutter an em wide or more
constexpr double kMaxReach = 12.0;    // ems from a gutter to the text beside it
constexpr double kFlush = 1.0;        // points: text set flush against a gutter
constexpr int kMinFlushRows = 3;
constexpr double kCodeColumnShare = 0.5; // of the page's text height, for a gutter between code
constexpr int kMaxSteps = 20000;      // bounds the search on pages of thousands of words

struct Candidate {
    QRectF area;
    QList<int> obstacles; // words inside `area`
    bool operator<(const Candidate &other) const { return area.height() < other.area.height(); }
};

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
    QString mark;
    for (char32_t c : text.toUcs4())
        if (QChar::isPrint(c) && !QChar::isSpace(c))
            mark += QString::fromUcs4(&c, 1);
    return mark.toUcs4().size() <= 1 || isListMarker(mark) || isSectionNumber(mark);
}

// The text rows beside one side of `gap`, each by its nearest word, and
// how many of them line up along the gap's edge: columns are set flush to
// one side; the ragged edges of a river in justified text touch it once or
// twice.
struct Side {
    QList<const TextSpan *> rows; // the nearest word of each row, top down
    int flush = 0;
};

Side sideOf(const QList<TextSpan> &words, const QList<QRectF> &gutters, const QRectF &gap, bool leftSide,
           bool marksLead, double em)
{
    struct Beside {
        double y;
        double distance;
        const TextSpan *word;
    };
    QList<Beside> beside;
    for (const TextSpan &word : words) {
        const double y = word.bbox.center().y();
        const double distance = leftSide ? gap.left() - word.bbox.right() : word.bbox.left() - gap.right();
        if (y < gap.top() || y > gap.bottom() || distance < -0.5 || distance > kMaxReach * em)
            continue;
        // Text across another gutter stands beside that one.
        if (!(leftSide ? gutterBetween(gutters, word.bbox, gap) : gutterBetween(gutters, gap, word.bbox)))
            beside.append({y, distance, &word});
    }
    std::sort(beside.begin(), beside.end(), [](const Beside &a, const Beside &b) { return a.y < b.y; });
    Side side;
    for (qsizetype i = 0; i < beside.size();) {
        qsizetype end = i + 1;
        while (end < beside.size() && beside[end].y - beside[i].y < 0.5 * beside[i].word->bbox.height())
            ++end;
        const Beside *nearest = &beside[i];
        for (qsizetype j = i + 1; j < end; ++j)
            if (beside[j].distance < nearest->distance)
                nearest = &beside[j];
        side.flush += nearest->distance <= kFlush ? 1 : 0;
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
};

FacingRows facingRows(const Side &left, const Side &right)
{
    FacingRows rows;
    for (const TextSpan *a : left.rows)
        for (const TextSpan *b : right.rows)
            if (verticalOverlap(a->bbox, b->bbox) > 0.5 * qMin(a->bbox.height(), b->bbox.height())) {
                rows.top = rows.count == 0 ? a->bbox.top() : qMin(rows.top, a->bbox.top());
                rows.bottom = qMax(rows.bottom, a->bbox.bottom());
                ++rows.count;
                rows.code += a->monospace && b->monospace ? 1 : 0;
                break;
            }
    return rows;
}

bool isGutter(const QList<TextSpan> &words, const QList<QRectF> &gutters, const QRectF &gap, const QRectF &textArea,
              bool rightToLeft, double em)
{
    const Side left = sideOf(words, gutters, gap, true, !rightToLeft, em);
    const Side right = sideOf(words, gutters, gap, false, rightToLeft, em);
    const FacingRows facing = facingRows(left, right);
    // Justified spacing lines up by chance for a few rows, never as wide
    // as an em: a wide gap needs fewer rows to be a gutter.
    const int minRows = gap.width() >= em ? kMinWideRows : kMinRows;
    if (facing.count < minRows || qMax(left.flush, right.flush) < kMinFlushRows)
        return false;
    // Code lines its comments and operands up in columns as tall as the
    // listing; columns of code run down the page.
    const bool withinCode = facing.code * 5 >= facing.count * 4
        && facing.bottom - facing.top < kCodeColumnShare * textArea.height();
    return !withinCode;
}

} // namespace

QList<QRectF> findColumnGutters(const QList<TextSpan> &words)
{
    if (words.size() < 2 * kMinWideRows)
        return {};
    const double em = medianWordHeight(words);
    const double minWidth = kMinWidth * em;
    const double minHeight = kMinWideRows * em;
    QRectF bound;
    QString text;
    Candidate start;
    for (int i = 0; i < words.size(); ++i) {
        text += words[i].text;
        bound = bound.isNull() ? words[i].bbox : bound.united(words[i].bbox);
        start.obstacles.append(i);
    }
    start.area = bound;
    const bool rightToLeft = isRightToLeft(text);
    // Branch and bound over the word boxes, tallest empty area first: split
    // a candidate around the word nearest its middle until one holds none.
    std::priority_queue<Candidate> queue;
    queue.push(start);
    QList<QRectF> gutters;
    for (int step = 0; step < kMaxSteps && !queue.empty(); ++step) {
        const Candidate candidate = queue.top();
        queue.pop();
        const QRectF &area = candidate.area;
        if (area.height() < minHeight)
            break;
        QList<QRectF> inside;
        for (int index : candidate.obstacles)
            inside.append(words[index].bbox);
        for (const QRectF &gutter : std::as_const(gutters))
            if (overlapsInside(gutter, area))
                inside.append(gutter);
        if (inside.isEmpty()) {
            if (isGutter(words, gutters, area, bound, rightToLeft, em))
                gutters.append(area);
            continue;
        }
        const QRectF pivot = *std::min_element(inside.cbegin(), inside.cend(), [&area](const QRectF &a, const QRectF &b) {
            return QLineF(a.center(), area.center()).length() < QLineF(b.center(), area.center()).length();
        });
        const QRectF parts[] = {
            QRectF(QPointF(area.left(), area.top()), QPointF(pivot.left(), area.bottom())),
            QRectF(QPointF(pivot.right(), area.top()), QPointF(area.right(), area.bottom())),
            QRectF(QPointF(area.left(), area.top()), QPointF(area.right(), pivot.top())),
            QRectF(QPointF(area.left(), pivot.bottom()), QPointF(area.right(), area.bottom())),
        };
        for (const QRectF &part : parts) {
            if (part.width() < minWidth || part.height() < minHeight)
                continue;
            Candidate next{part, {}};
            for (int index : candidate.obstacles)
                if (overlapsInside(words[index].bbox, part))
                    next.obstacles.append(index);
            queue.push(std::move(next));
        }
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
