#pragma once

#include <QList>
#include <QRectF>

#include <algorithm>
#include <optional>

namespace DocRay {

// How far two boxes overlap along one axis; negative: the gap between them.
inline double verticalOverlap(const QRectF &a, const QRectF &b)
{
    return qMin(a.bottom(), b.bottom()) - qMax(a.top(), b.top());
}

inline double horizontalOverlap(const QRectF &a, const QRectF &b)
{
    return qMin(a.right(), b.right()) - qMax(a.left(), b.left());
}

// The middle value (the upper of the two middle ones); 0 when there is none.
inline double median(QList<double> values)
{
    if (values.isEmpty())
        return 0;
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
}

// Adds an item to the group `gapTo` finds nearest (the smallest gap; none
// when the group cannot take it), or to a new group when no group can: how
// words gather into lines and lines into blocks.
template<typename Group, typename GapTo, typename Add>
inline void addToNearest(QList<Group> &groups, GapTo gapTo, Add add)
{
    qsizetype best = -1;
    double bestGap = 0;
    for (qsizetype i = 0; i < groups.size(); ++i) {
        const std::optional<double> gap = gapTo(groups[i]);
        if (gap && (best < 0 || *gap < bestGap)) {
            best = i;
            bestGap = *gap;
        }
    }
    if (best < 0) {
        groups.append(Group());
        best = groups.size() - 1;
    }
    add(groups[best]);
}

} // namespace DocRay
