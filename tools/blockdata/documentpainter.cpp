#include "tools/blockdata/documentpainter.h"

#include <QBuffer>
#include <QFontMetricsF>
#include <QPainter>
#include <QPdfWriter>

#include <cmath>

namespace DocRay::BlockData {

QByteArray DocumentPainter::document(QList<QList<Painted>> *pages)
{
    const Style s = m_text.style();
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(m_text.chance(0.5) ? QPageSize(QPageSize::A4) : QPageSize(QPageSize::Letter));
    writer.setResolution(72);
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter(&writer);
    const QSizeF page = writer.pageLayout().fullRectPoints().size();
    m_painter = &painter;
    m_pages = pages;
    m_page = page;
    m_style = s;
    const int pageCount = m_text.uniform(1, 4);
    m_pageCount = pageCount;
    startPage(0);

    int section = 0, subsection = 0;
    // The title, maybe a byline, then sections until the pages are full.
    place(BlockRole::Title, m_text.titleCase(m_text.uniform(3, 9)), font(s.titleSize, m_text.chance(0.7)), m_columnWidth * 1.0, m_text.chance(0.4));
    if (m_text.chance(0.5))
        place(BlockRole::Paragraph, m_text.titleCase(2) + QStringLiteral(", ") + m_text.titleCase(2), font(s.body, false), m_columnWidth, true);
    while (m_pageIndex < pageCount) {
        const int kind = m_text.uniform(0, 99);
        if (kind < 14) {
            ++section;
            subsection = 0;
            const QString number = s.numbered ? QStringLiteral("%1%2 ").arg(section).arg(m_text.chance(0.5) ? QStringLiteral(".") : QString()) : QString();
            place(BlockRole::Heading, number + m_text.headingText(), font(s.headingSize, s.headingBold), m_columnWidth, false, 0.8);
        } else if (kind < 22 && section > 0) {
            ++subsection;
            const QString number = s.numbered ? QStringLiteral("%1.%2 ").arg(section).arg(subsection) : QString();
            QFont f = font(s.subheadingSize, s.headingBold || m_text.chance(0.5));
            f.setItalic(!s.headingBold && m_text.chance(0.5));
            place(BlockRole::Subheading, number + m_text.headingText(), f, m_columnWidth, false, 0.6);
        } else if (kind < 35) {
            list();
        } else if (kind < 40) {
            caption();
        } else if (kind < 45) {
            code();
        } else if (kind < 49) {
            shortLines();
        } else if (kind < 53) {
            grid();
        } else if (kind < 57) {
            formula();
        } else {
            QStringList sentences;
            for (int i = m_text.uniform(1, 6); i > 0; --i)
                sentences.append(m_text.sentence());
            place(BlockRole::Paragraph, sentences.join(QLatin1Char(' ')), font(s.body, false), m_columnWidth, false, 0,
                  s.indentFirst ? s.body * 1.5 : 0);
        }
    }
    painter.end();
    return pdf;
}

QFont DocumentPainter::font(double size, bool bold, const QString &family) const
{
    QFont f(family.isEmpty() ? m_style.family : family);
    f.setPointSizeF(size);
    f.setBold(bold);
    return f;
}

void DocumentPainter::startPage(int index)
{
    if (index > 0)
        static_cast<QPdfWriter *>(m_painter->device())->newPage();
    m_pageIndex = index;
    if (index >= m_pageCount)
        return;
    m_pages->append(QList<Painted>());
    m_column = 0;
    m_columnWidth = (m_page.width() - 2 * m_style.margin - (m_style.columns - 1) * 18) / m_style.columns;
    m_top = m_style.margin + m_style.body * 2;
    m_y = m_top;
    m_bottom = m_page.height() - m_style.margin - m_style.body * 2;
    furniture();
    footnote();
}

double DocumentPainter::columnLeft() const
{
    return m_style.margin + m_column * (m_columnWidth + 18);
}

void DocumentPainter::nextColumn()
{
    if (++m_column < m_style.columns) {
        m_y = m_top;
        return;
    }
    startPage(m_pageIndex + 1);
}

// Text wrapped to `width` from the cursor down; the box it covered.
QRectF DocumentPainter::draw(const QString &text, const QFont &f, double left, double width, bool centred, double firstIndent)
{
    m_painter->setFont(f);
    const QFontMetricsF metrics(f, m_painter->device());
    const double lineHeight = f.pointSizeF() * m_style.lineFactor;
    QStringList lines;
    QString current;
    for (const QString &word : text.split(QLatin1Char(' '))) {
        const QString tryLine = current.isEmpty() ? word : current + QLatin1Char(' ') + word;
        const double available = width - (lines.isEmpty() ? firstIndent : 0);
        if (!current.isEmpty() && metrics.horizontalAdvance(tryLine) > available) {
            lines.append(current);
            current = word;
        } else {
            current = tryLine;
        }
    }
    if (!current.isEmpty())
        lines.append(current);
    QRectF box;
    double y = m_y;
    for (int i = 0; i < lines.size(); ++i) {
        const double advance = metrics.horizontalAdvance(lines[i]);
        const double x = centred ? left + (width - advance) / 2 : left + (i == 0 ? firstIndent : 0);
        m_painter->drawText(QPointF(x, y + metrics.ascent()), lines[i]);
        const QRectF lineBox(x, y, advance, lineHeight);
        box = box.isNull() ? lineBox : box.united(lineBox);
        y += lineHeight;
    }
    m_y = y;
    return box;
}

double DocumentPainter::heightOf(const QString &text, const QFont &f, double width) const
{
    const QFontMetricsF metrics(f, m_painter->device());
    const double lines = std::ceil(metrics.horizontalAdvance(text) / qMax(width, 1.0) + 0.15);
    return lines * f.pointSizeF() * m_style.lineFactor;
}

void DocumentPainter::place(BlockRole role, const QString &text, const QFont &f, double width, bool centred, double spaceBefore,
           double firstIndent)
{
    const double before = m_y <= m_top || (m_style.tightHeadings && m_afterHeading) ? 0 : m_style.paragraphGap + spaceBefore * f.pointSizeF();
    m_afterHeading = role == BlockRole::Heading || role == BlockRole::Subheading;
    // Headings stay with what follows them.
    const double keep = role == BlockRole::Heading || role == BlockRole::Subheading || role == BlockRole::Title ? 3 * m_style.body * m_style.lineFactor : 0;
    if (m_y + before + heightOf(text, f, width) + keep > m_bottom) {
        nextColumn();
        if (m_pageIndex >= m_pageCount)
            return;
    } else {
        m_y += before;
    }
    const QRectF box = draw(text, f, columnLeft(), width, centred, firstIndent);
    m_pages->last().append({role, box});
}

void DocumentPainter::list()
{
    const int style = m_text.uniform(0, 3);
    const QStringList bullets{QStringLiteral("•"), QStringLiteral("-"), QStringLiteral("–"), QStringLiteral("▪")};
    const QString bulletMark = bullets[m_text.uniform(0, 3)];
    const double indent = m_style.body * m_text.real(0, 2.5);
    const double hang = m_style.body * m_text.real(1.2, 2.2);
    const QFont f = font(m_style.body, false);
    // Word processors often wrap an item back to the marker: no hanging indent.
    const bool flat = m_text.chance(0.3);
    for (int i = 1, n = m_text.uniform(2, 6); i <= n; ++i) {
        QString marker = style == 0 || style == 1 ? bulletMark
            : style == 2                          ? QStringLiteral("%1.").arg(i)
                                                  : QStringLiteral("%1)").arg(QChar(QLatin1Char('a' + i - 1)));
        QString text = m_text.chance(0.5) ? m_text.words(m_text.uniform(2, 8)) : m_text.sentence() + (m_text.chance(0.4) ? QLatin1Char(' ') + m_text.sentence() : QString());
        if (flat) {
            text = marker + QLatin1Char(' ') + m_text.titleCase(m_text.uniform(1, 4)) + QStringLiteral(": ") + m_text.sentence() + QLatin1Char(' ') + m_text.sentence();
            const double before = m_y > m_top ? m_style.paragraphGap * m_text.real(0.3, 1.0) : 0;
            if (m_y + before + heightOf(text, f, m_columnWidth - indent) > m_bottom) {
                nextColumn();
                if (m_pageIndex >= m_pageCount)
                    return;
            } else {
                m_y += before;
            }
            m_pages->last().append({BlockRole::ListItem, draw(text, f, columnLeft() + indent, m_columnWidth - indent, false)});
            continue;
        }
        const double before = m_y > m_top ? m_style.paragraphGap * (i == 1 ? 1.0 : m_text.real(0, 0.6)) : 0;
        if (m_y + before + heightOf(text, f, m_columnWidth - indent - hang) > m_bottom) {
            nextColumn();
            if (m_pageIndex >= m_pageCount)
                return;
        } else {
            m_y += before;
        }
        const double top = m_y;
        m_painter->setFont(f);
        const QFontMetricsF metrics(f, m_painter->device());
        m_painter->drawText(QPointF(columnLeft() + indent, top + metrics.ascent()), marker);
        QRectF box = draw(text, f, columnLeft() + indent + hang, m_columnWidth - indent - hang, false);
        box = box.united(QRectF(columnLeft() + indent, top, 1, 1));
        m_pages->last().append({BlockRole::ListItem, box});
    }
}

void DocumentPainter::caption()
{
    // A grey placeholder where a figure would be, its caption below.
    const double height = m_text.real(40, 120);
    if (m_y + height + 3 * m_style.body > m_bottom) {
        nextColumn();
        if (m_pageIndex >= m_pageCount)
            return;
    }
    m_y += m_style.paragraphGap;
    m_painter->fillRect(QRectF(columnLeft() + 20, m_y, m_columnWidth - 40, height), QColor(215, 215, 215));
    m_y += height + 4;
    const QStringList labels{QStringLiteral("Figure"), QStringLiteral("Table"), QStringLiteral("Fig."),
                             QStringLiteral("Example"), QStringLiteral("Listing")};
    const QString label = labels[m_text.uniform(0, int(labels.size()) - 1)];
    // "3", "3-1" or "3.1"; a colon, a full stop or nothing after it.
    const QString number = m_text.chance(0.5) ? QString::number(m_text.uniform(1, 12))
                                       : QStringLiteral("%1%2%3").arg(m_text.uniform(1, 9)).arg(m_text.chance(0.5) ? QLatin1Char('-') : QLatin1Char('.')).arg(m_text.uniform(1, 20));
    const QString stop = QStringList{QStringLiteral(":"), QStringLiteral("."), QString()}[m_text.uniform(0, 2)];
    const QString body = m_text.chance(0.5) ? m_text.words(m_text.uniform(3, 14)) + QLatin1Char('.') : m_text.titleCase(m_text.uniform(2, 6));
    QFont f = font(m_style.body * m_text.real(0.8, 1.0), m_text.chance(0.35));
    f.setItalic(m_text.chance(0.3));
    const bool centred = m_text.chance(0.5);
    // Some styles set the label on a line of its own ("Table 1." over its text).
    if (m_text.chance(0.25)) {
        QFont labelFont = f;
        labelFont.setBold(m_text.chance(0.5));
        const QRectF labelBox = draw(QStringLiteral("%1 %2%3").arg(label, number, stop), labelFont, columnLeft(), m_columnWidth, centred);
        const QRectF textBox = draw(body, f, columnLeft(), m_columnWidth, centred);
        m_pages->last().append({BlockRole::Caption, labelBox.united(textBox)});
        return;
    }
    const QString text = QStringLiteral("%1 %2%3 %4").arg(label, number, stop, body);
    const QRectF box = draw(text, f, columnLeft(), m_columnWidth, centred);
    m_pages->last().append({BlockRole::Caption, box});
}

void DocumentPainter::code()
{
    const QFont f = font(m_style.body * m_text.real(0.8, 1.0), m_text.chance(0.25), QStringLiteral("DejaVu Sans Mono"));
    const int lines = m_text.uniform(1, 7);
    const bool shouting = m_text.chance(0.3); // SQL and COBOL listings are set in capitals
    const double lineHeight = f.pointSizeF() * m_style.lineFactor;
    if (m_y + m_style.paragraphGap + lines * lineHeight > m_bottom) {
        nextColumn();
        if (m_pageIndex >= m_pageCount)
            return;
    }
    m_y += m_style.paragraphGap;
    m_painter->setFont(f);
    const QFontMetricsF metrics(f, m_painter->device());
    QRectF box;
    const QStringList templates{QStringLiteral("int %1 = %2;"), QStringLiteral("for (%1 = 0; %1 < %2; ++%1) {"),
                                QStringLiteral("    %1(%2);"), QStringLiteral("return %1 + %2;"),
                                QStringLiteral("} // %1 %2"), QStringLiteral("def %1(x, n=%2):"),
                                QStringLiteral("    x = x + %2  # %1")};
    int depth = 0;
    for (int i = 0; i < lines; ++i) {
        QString text = QString(depth * 4, QLatin1Char(' ')) + templates[m_text.uniform(0, int(templates.size()) - 1)].arg(kWords[m_text.uniform(0, int(kWords.size()) - 1)]).arg(m_text.uniform(0, 99));
        if (shouting)
            text = text.toUpper();
        depth = qBound(0, depth + m_text.uniform(-1, 1), 2);
        const double x = columnLeft() + m_style.body;
        m_painter->drawText(QPointF(x, m_y + metrics.ascent()), text);
        const QRectF lineBox(x, m_y, metrics.horizontalAdvance(text), lineHeight);
        box = box.isNull() ? lineBox : box.united(lineBox);
        m_y += lineHeight;
    }
    m_pages->last().append({BlockRole::Code, box});
}

// Short lines that are not headings: an identifier, a lead-in ending in
// a colon, a line in capitals, a lone number.
void DocumentPainter::shortLines()
{
    const int kind = m_text.uniform(0, 4);
    QString text;
    switch (kind) {
    case 0: text = QStringLiteral("%1-%2-%3").arg(m_text.words(1, false).toUpper()).arg(m_text.uniform(1000, 9999)).arg(m_text.uniform(0, 99), 2, 10, QLatin1Char('0')); break;
    case 1: text = m_text.words(m_text.uniform(3, 9)) + QLatin1Char(':'); break;
    case 2: text = m_text.words(m_text.uniform(2, 5)).toUpper(); break;
    case 3: text = QString::number(m_text.uniform(1, 40)); break;
    default: text = m_text.titleCase(m_text.uniform(2, 4)) + QStringLiteral(" ") + QString::number(m_text.uniform(1, 99)); break;
    }
    place(BlockRole::Paragraph, text, font(m_style.body, kind == 2 && m_text.chance(0.3)), m_columnWidth, false);
}

// A table without rules, or a form: short cells in rows and columns,
// the first row in bold at times. What the page's table pass leaves of
// it is labelled a table part.
void DocumentPainter::grid()
{
    const int columns = m_text.uniform(2, 4), rows = m_text.uniform(2, 6);
    const QFont f = font(m_style.body * m_text.real(0.85, 1.0), false);
    const double rowHeight = f.pointSizeF() * m_style.lineFactor * m_text.real(1.0, 1.6);
    if (m_y + m_style.paragraphGap + rows * rowHeight > m_bottom) {
        nextColumn();
        if (m_pageIndex >= m_pageCount)
            return;
    }
    m_y += m_style.paragraphGap;
    const bool boldHead = m_text.chance(0.4);
    const double cellWidth = m_columnWidth / columns;
    for (int r = 0; r < rows; ++r) {
        QFont rowFont = f;
        rowFont.setBold(boldHead && r == 0);
        m_painter->setFont(rowFont);
        const QFontMetricsF metrics(rowFont, m_painter->device());
        for (int c = 0; c < columns; ++c) {
            const QString text = c == 0 || m_text.chance(0.4) ? m_text.words(m_text.uniform(1, 2)) : m_text.chance(0.5) ? QString::number(m_text.uniform(0, 9999)) : QStringLiteral("yes");
            const double x = columnLeft() + c * cellWidth;
            m_painter->drawText(QPointF(x, m_y + metrics.ascent()), text);
            m_pages->last().append({BlockRole::Table, QRectF(x, m_y, metrics.horizontalAdvance(text), rowHeight)});
        }
        m_y += rowHeight;
    }
}

// Display math: one to three lines of variables (italic), operators,
// Greek, sub- and superscripts in smaller type, centred in the column,
// at times numbered at its right edge.
void DocumentPainter::formula()
{
    const double body = m_style.body;
    const QFont roman = font(body * m_text.real(1.0, 1.15), false, QStringLiteral("DejaVu Serif"));
    const QList<FormulaLine> lines = randomFormula(roman);
    const double lineHeight = roman.pointSizeF() * m_style.lineFactor * m_text.real(1.2, 1.6);
    if (m_y + 2 * m_style.paragraphGap + lines.size() * lineHeight > m_bottom) {
        nextColumn();
        if (m_pageIndex >= m_pageCount)
            return;
    }
    m_y += m_style.paragraphGap + m_text.real(0, 0.6) * body;
    const bool numbered = m_text.chance(0.5);
    const QString number = m_text.chance(0.7)
        ? QStringLiteral("(%1)").arg(m_text.uniform(1, 40))
        : QStringLiteral("(%1.%2)").arg(m_text.uniform(1, 9)).arg(m_text.uniform(1, 20));
    QRectF box;
    for (qsizetype l = 0; l < lines.size(); ++l) {
        const double space = roman.pointSizeF() * m_text.real(0.15, 0.3);
        double width = 0;
        for (const FormulaPiece &piece : std::as_const(lines[l]))
            width += QFontMetricsF(piece.font, m_painter->device()).horizontalAdvance(piece.text) + space;
        const double left = columnLeft() + qMax(0.0, (m_columnWidth - width) / 2); // a wide line starts at the column's edge
        double x = left;
        const double baseline = m_y + QFontMetricsF(roman, m_painter->device()).ascent();
        for (const FormulaPiece &piece : std::as_const(lines[l])) {
            m_painter->setFont(piece.font);
            m_painter->drawText(QPointF(x, baseline - piece.rise), piece.text);
            x += QFontMetricsF(piece.font, m_painter->device()).horizontalAdvance(piece.text) + space;
        }
        const QRectF lineBox(left, m_y, width, lineHeight);
        box = box.isNull() ? lineBox : box.united(lineBox);
        if (numbered && l + 1 == lines.size()) {
            m_painter->setFont(roman);
            const double numberWidth = QFontMetricsF(roman, m_painter->device()).horizontalAdvance(number);
            m_painter->drawText(QPointF(columnLeft() + m_columnWidth - numberWidth, baseline), number);
            box = box.united(QRectF(columnLeft() + m_columnWidth - numberWidth, m_y, numberWidth, lineHeight));
        }
        m_y += lineHeight;
    }
    m_y += m_text.real(0, 0.6) * body;
    m_pages->last().append({BlockRole::Formula, box});
}

// A formula's lines: variables with sub- and superscripts, relations,
// operators and big operators, in `roman` and its italic and small forms.
QList<DocumentPainter::FormulaLine> DocumentPainter::randomFormula(const QFont &roman)
{
    using Piece = FormulaPiece;
    const double body = m_style.body;
    QFont italic = roman;
    italic.setItalic(true);
    QFont small = roman;
    small.setPointSizeF(roman.pointSizeF() * 0.7);
    const QStringList variables{QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("f"), QStringLiteral("u"),
                                QStringLiteral("t"), QStringLiteral("n"), QStringLiteral("k"), QStringLiteral("E"),
                                QStringLiteral("α"), QStringLiteral("β"), QStringLiteral("λ"), QStringLiteral("σ"),
                                QStringLiteral("θ"), QStringLiteral("μ"), QStringLiteral("ω"), QStringLiteral("φ")};
    const QStringList relations{QStringLiteral("="), QStringLiteral("≤"), QStringLiteral("≈"), QStringLiteral("≥"),
                                QStringLiteral("→"), QStringLiteral("∈"), QStringLiteral(":=")};
    const QStringList operators{QStringLiteral("+"), QStringLiteral("−"), QStringLiteral("·"), QStringLiteral("×"),
                                QStringLiteral("/")};
    const QStringList bigOperators{QStringLiteral("∑"), QStringLiteral("∫"), QStringLiteral("∏"), QStringLiteral("√"),
                                   QStringLiteral("∂"), QStringLiteral("lim"), QStringLiteral("exp"), QStringLiteral("log")};
    auto variable = [&](QList<Piece> &line) {
        line.append({variables[m_text.uniform(0, int(variables.size()) - 1)], italic});
        if (m_text.chance(0.35))
            line.append({m_text.chance(0.5) ? QString::number(m_text.uniform(0, 9)) : QStringLiteral("i"), small, -0.25 * body});
        if (m_text.chance(0.3))
            line.append({m_text.chance(0.6) ? QString::number(m_text.uniform(2, 3)) : QStringLiteral("n"), small, 0.4 * body});
    };
    auto term = [&](QList<Piece> &line) {
        if (m_text.chance(0.3))
            line.append({QString::number(m_text.uniform(2, 99)), roman});
        if (m_text.chance(0.3)) {
            line.append({bigOperators[m_text.uniform(0, int(bigOperators.size()) - 1)], roman});
            if (m_text.chance(0.5))
                line.append({QStringLiteral("i=1"), small, -0.3 * body});
        }
        if (m_text.chance(0.25)) {
            line.append({QStringLiteral("("), roman});
            variable(line);
            line.append({operators[m_text.uniform(0, 1)], roman});
            variable(line);
            line.append({QStringLiteral(")"), roman});
        } else {
            variable(line);
        }
    };
    QList<FormulaLine> lines;
    for (int l = m_text.uniform(1, 3); l > 0; --l) {
        QList<Piece> line;
        if (lines.isEmpty() || m_text.chance(0.5)) {
            variable(line);
            if (m_text.chance(0.4)) {
                line.append({QStringLiteral("("), roman});
                variable(line);
                line.append({QStringLiteral(")"), roman});
            }
        }
        line.append({relations[m_text.uniform(0, int(relations.size()) - 1)], roman});
        for (int t = m_text.uniform(1, 4); t > 0; --t) {
            term(line);
            if (t > 1)
                line.append({operators[m_text.uniform(0, int(operators.size()) - 1)], roman});
        }
        if (m_text.chance(0.2))
            line.append({QStringLiteral(","), roman});
        lines.append(line);
    }
    return lines;
}

// Running head, running foot and page number, in the margins.
void DocumentPainter::furniture()
{
    const Style &s = m_style;
    const double small = s.body * m_text.real(0.75, 1.05);
    const QFont f = font(small, m_text.chance(0.2));
    m_painter->setFont(f);
    const QFontMetricsF metrics(f, m_painter->device());
    const double headY = s.margin * 0.5, footY = m_page.height() - s.margin * 0.5 - small;
    auto put = [&](BlockRole role, const QString &text, double y, int align) {
        const double w = metrics.horizontalAdvance(text);
        const double x = align == 0 ? s.margin : align == 1 ? (m_page.width() - w) / 2 : m_page.width() - s.margin - w;
        m_painter->drawText(QPointF(x, y + metrics.ascent()), text);
        m_pages->last().append({role, QRectF(x, y, w, small * 1.2)});
    };
    const int number = m_pageIndex + 1;
    const bool even = number % 2 == 0;
    if (s.header && (m_pageIndex > 0 || m_text.chance(0.5)))
        put(BlockRole::Header, s.pageNumberStyle == 5 ? QStringLiteral("%1 %2").arg(number).arg(s.runningHead) : s.runningHead, headY,
            s.pageNumberTop ? (even ? 2 : 0) : 1);
    if (s.footer)
        put(BlockRole::Footer, s.footerText, footY, 0);
    QString text;
    switch (s.pageNumberStyle) {
    case 1: text = QString::number(number); break;
    case 2: text = QStringLiteral("Page %1").arg(number); break;
    case 3: text = QStringLiteral("- %1 -").arg(number); break;
    case 4: text = QStringLiteral("%1 of %2").arg(number).arg(m_pageCount); break;
    default: break;
    }
    if (!text.isEmpty())
        put(BlockRole::PageNumber, text, s.pageNumberTop ? headY : footY, s.pageNumberTop ? (even ? 0 : 2) : (s.footer ? 2 : 1));
}

// Sometimes a footnote above the foot margin, under a short rule.
void DocumentPainter::footnote()
{
    if (!m_text.chance(0.25))
        return;
    const QFont f = font(m_style.body * m_text.real(0.7, 0.85), false);
    const QString text = QStringLiteral("%1 %2").arg(m_text.uniform(1, 9)).arg(m_text.sentence());
    const double height = heightOf(text, f, m_columnWidth) ;
    const double top = m_bottom - height;
    m_painter->drawLine(QPointF(m_style.margin, top - 4), QPointF(m_style.margin + 80, top - 4));
    const double keepY = m_y;
    m_y = top;
    const QRectF box = draw(text, f, m_style.margin, m_style.columns == 1 ? m_columnWidth : m_columnWidth, false);
    m_pages->last().append({BlockRole::Footnote, box});
    m_y = keepY;
    m_bottom = top - 12;
}

} // namespace DocRay::BlockData
