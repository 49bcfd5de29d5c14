#include "engine/core/greyaverager.h"

#include <QtMath>

#include <algorithm>
#include <cmath>

namespace DocRay {

GreyAverager::GreyAverager(int inWidth, int inHeight, int outWidth, int outHeight)
    : m_rowsPerOut(double(inHeight) / outHeight)
    , m_out(outWidth, outHeight, QImage::Format_Grayscale8)
    , m_rowSum(size_t(outWidth), 0.0f)
    , m_squeezed(size_t(outWidth))
{
    const double columnsPerOut = double(inWidth) / outWidth;
    m_columns.reserve(size_t(outWidth));
    for (int x = 0; x < outWidth; ++x) {
        const double left = x * columnsPerOut, right = qMin<double>(inWidth, (x + 1) * columnsPerOut);
        Column column;
        column.first = int(left);
        column.last = qBound(column.first, int(std::ceil(right)) - 1, inWidth - 1);
        column.firstCut = float(left - column.first);
        column.lastCut = float(column.last + 1 - right);
        column.scale = float(1 / (right - left));
        m_columns.push_back(column);
    }
    if (outWidth > 0 && inWidth % outWidth == 0)
        m_wholeStep = inWidth / outWidth;
}

void GreyAverager::addRow(const unsigned char *row)
{
    squeeze(row);
    // The source row covers [m_in, m_in + 1) in source rows; output row y
    // covers [y, y + 1) * m_rowsPerOut.
    double top = m_in;
    const double bottom = m_in + 1;
    while (top < bottom && m_outRow < m_out.height()) {
        const double rowEnd = (m_outRow + 1) * m_rowsPerOut;
        const double share = std::min(bottom, rowEnd) - top;
        const float weight = float(share);
        for (size_t x = 0; x < m_rowSum.size(); ++x)
            m_rowSum[x] += weight * m_squeezed[x];
        top += share;
        if (top >= rowEnd - 1e-9)
            emitRow();
    }
    ++m_in;
}

QImage GreyAverager::finish()
{
    while (m_outRow < m_out.height())
        emitRow();
    return m_out;
}

// The row averaged across to the output's width. Whole source columns
// alone need no cuts: the same sums, in a loop the compiler unrolls.
void GreyAverager::squeeze(const unsigned char *row)
{
    if (m_wholeStep == 2)
        return squeezeWhole<2>(row);
    if (m_wholeStep == 3)
        return squeezeWhole<3>(row);
    for (size_t x = 0; x < m_columns.size(); ++x) {
        const Column &column = m_columns[x];
        unsigned sum = 0;
        for (int i = column.first; i <= column.last; ++i)
            sum += row[i];
        m_squeezed[x] = (float(sum) - column.firstCut * row[column.first] - column.lastCut * row[column.last]) * column.scale;
    }
}

template<int Step>
void GreyAverager::squeezeWhole(const unsigned char *row)
{
    const float scale = m_columns.empty() ? 1.0f : m_columns.front().scale;
    for (size_t x = 0; x < m_squeezed.size(); ++x) {
        unsigned sum = 0;
        for (int i = 0; i < Step; ++i)
            sum += row[x * Step + size_t(i)];
        m_squeezed[x] = float(sum) * scale;
    }
}

void GreyAverager::emitRow()
{
    uchar *out = m_out.scanLine(m_outRow);
    const float scale = float(1 / m_rowsPerOut);
    for (size_t x = 0; x < m_rowSum.size(); ++x) {
        out[x] = uchar(qBound(0, int(m_rowSum[x] * scale + 0.5f), 255));
        m_rowSum[x] = 0;
    }
    ++m_outRow;
}

QImage averagedDown(const QImage &grey, const QSize &size)
{
    if (grey.format() != QImage::Format_Grayscale8 || size.isEmpty() || size.width() > grey.width()
        || size.height() > grey.height())
        return {};
    GreyAverager averager(grey.width(), grey.height(), size.width(), size.height());
    if (averager.isNull())
        return {};
    for (int y = 0; y < grey.height(); ++y)
        averager.addRow(grey.constScanLine(y));
    return averager.finish();
}

} // namespace DocRay
