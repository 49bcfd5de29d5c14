#pragma once

#include "engine/layout/blockfeatures.h"
#include "tools/blockdata/randomtext.h"

#include <QByteArray>
#include <QFont>
#include <QList>
#include <QRectF>

class QPainter;

namespace DocRay::BlockData {

// A block painted on a page, with the role it was painted as.
struct Painted {
    BlockRole role;
    QRectF box;
};

// Paints one document of random blocks into a PDF: a title, then sections
// of headings, paragraphs, lists, captions, code, short lines, grids and
// formulas, in one or two columns, with running heads, page numbers and
// footnotes, until its pages are full. One instance paints every document
// of a data set, in turn: the sequence depends on all that came before.
class DocumentPainter
{
public:
    explicit DocumentPainter(RandomText &text) : m_text(text) {}

    // The PDF; `pages` receives what each page holds, with boxes.
    QByteArray document(QList<QList<Painted>> *pages);

private:
    struct FormulaPiece {
        QString text;
        QFont font;
        double rise = 0; // points up from the baseline
    };
    using FormulaLine = QList<FormulaPiece>;
    QList<FormulaLine> randomFormula(const QFont &roman);

    QFont font(double size, bool bold, const QString &family = {}) const;
    void startPage(int index);
    double columnLeft() const;
    void nextColumn();
    // Text wrapped to `width` from the cursor down; the box it covered.
    QRectF draw(const QString &text, const QFont &f, double left, double width, bool centred, double firstIndent = 0);
    double heightOf(const QString &text, const QFont &f, double width) const;
    void place(BlockRole role, const QString &text, const QFont &f, double width, bool centred, double spaceBefore = 0,
               double firstIndent = 0);
    void list();
    void caption();
    void code();
    // Short lines that are not headings: an identifier, a lead-in ending in
    // a colon, a line in capitals, a lone number.
    void shortLines();
    // A table without rules, or a form: short cells in rows and columns,
    // the first row in bold at times. What the page's table pass leaves of
    // it is labelled a table part.
    void grid();
    // Display math: one to three lines of variables (italic), operators,
    // Greek, sub- and superscripts in smaller type, centred in the column,
    // at times numbered at its right edge.
    void formula();
    // Running head, running foot and page number, in the margins.
    void furniture();
    // Sometimes a footnote above the foot margin, under a short rule.
    void footnote();

    RandomText &m_text;
    QPainter *m_painter = nullptr;
    QList<QList<Painted>> *m_pages = nullptr;
    QSizeF m_page;
    Style m_style;
    int m_pageCount = 1;
    int m_pageIndex = 0;
    int m_column = 0;
    double m_columnWidth = 0;
    double m_top = 0;
    double m_y = 0;
    double m_bottom = 0;
    bool m_afterHeading = false;
};

} // namespace DocRay::BlockData
