#pragma once

#include <QImage>

#include <vector>

namespace DocRay {

// Averages a grey picture down to `outWidth` x `outHeight` pixels, each
// output pixel the mean of the source area under it (fractions of source
// pixels at its edges weighted by how much of them it covers), taking the
// source row by row from the top, so a picture decoded as a stream is
// never held whole. Qt's smooth scaling does the same through 32-bit
// colour, four times the bytes. Output no larger than the source. One
// owner; not thread-safe.
class GreyAverager
{
public:
    GreyAverager(int inWidth, int inHeight, int outWidth, int outHeight);

    bool isNull() const { return m_out.isNull(); }
    // The next source row: `inWidth` greys.
    void addRow(const unsigned char *row);
    // The picture, its last rows finished with what came of the source.
    QImage finish();

private:
    // Which source columns an output column averages, and how much of its
    // first and last one lie outside it.
    struct Column {
        int first = 0, last = 0;
        float firstCut = 0, lastCut = 0, scale = 1;
    };

    void squeeze(const unsigned char *row);
    template<int Step>
    void squeezeWhole(const unsigned char *row);
    void emitRow();

    const double m_rowsPerOut;
    // Source columns per output column where that is a whole number (600
    // to 300 ppi: 2); 0 otherwise.
    int m_wholeStep = 0;
    QImage m_out;
    std::vector<Column> m_columns;
    std::vector<float> m_rowSum; // the output row being gathered
    std::vector<float> m_squeezed;
    int m_in = 0;
    int m_outRow = 0;
};

// A Grayscale8 image averaged down to `size` (no larger than it).
QImage averagedDown(const QImage &grey, const QSize &size);

} // namespace DocRay
