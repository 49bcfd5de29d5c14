// Training data for the block-role model: paints varied documents whose
// every block's role is known, reads them back with doc-ray's own PDF reader
// and layout rules, and writes one CSV row per block: the document's number,
// the role and the engine's feature vector (engine/layout/blockfeatures.h).
//
//   block_data OUT.csv [--documents N] [--seed S] [--keep-pdf FIRST.pdf]
//   block_data --explain REAL.pdf     (rules' type, model's role and features per block)
//
// Same seed, same fonts: the same file, byte for byte.

#include "engine/layout/blockfeatures.h"
#include "engine/layout/blockmodel.h"
#include "engine/layout/pageregions.h"
#include "engine/layout/tensor/pageanalysis.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/ocr/ocrengine.h"
#include "engine/core/parsetypes.h"
#include "engine/pdf/pdftextreader.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QFile>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QPainter>
#include <QPdfWriter>
#include <QTextStream>

#include <random>

using namespace DocRay;

namespace {

const QStringList kWords = QStringLiteral(
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you "
    "were their one all we can her has there been if more when will would who so no model data system analysis method "
    "results table value process structure function network document section paper approach between number design "
    "water energy market policy report study group level order state power field light surface pressure engine "
    "aircraft control signal measure sample temperature material element figure first second general public national "
    "research development information program service management company government history education community")
        .split(QLatin1Char(' '));

const QStringList kFamilies{QStringLiteral("DejaVu Sans"), QStringLiteral("DejaVu Serif"),
                            QStringLiteral("DejaVu Sans Condensed"), QStringLiteral("DejaVu Serif Condensed")};

struct Painted {
    BlockRole role;
    QRectF box;
};

// One document's look, drawn once per document.
struct Style {
    QString family;
    double body = 10;
    double titleSize = 20;
    double headingSize = 14;
    double subheadingSize = 12;
    bool headingBold = true;
    bool numbered = false;
    int columns = 1;
    double margin = 60;
    double paragraphGap = 6;
    double lineFactor = 1.25;
    bool indentFirst = false;
    bool tightHeadings = false; // no space between a heading and its text
    bool header = true;
    int pageNumberStyle = 0; // 0 none, 1 "3", 2 "Page 3", 3 "- 3 -", 4 "3 of N", 5 in the running head
    bool pageNumberTop = false;
    bool footer = false;
    QString runningHead;
    QString footerText;
};

class Generator
{
public:
    explicit Generator(quint32 seed) : m_random(seed) {}

    int uniform(int low, int high) { return std::uniform_int_distribution<int>(low, high)(m_random); }
    double real(double low, double high) { return std::uniform_real_distribution<double>(low, high)(m_random); }
    bool chance(double p) { return real(0, 1) < p; }

    QString words(int count, bool capitalise = true)
    {
        QStringList out;
        for (int i = 0; i < count; ++i)
            out.append(kWords[uniform(0, int(kWords.size()) - 1)]);
        if (capitalise && !out.isEmpty())
            out.first()[0] = out.first()[0].toUpper();
        return out.join(QLatin1Char(' '));
    }
    QString titleCase(int count)
    {
        QStringList out = words(count).split(QLatin1Char(' '));
        for (QString &word : out)
            if (word.size() > 3 || &word == &out.first())
                word[0] = word[0].toUpper();
        return out.join(QLatin1Char(' '));
    }
    // Title Case, Sentence case (a comma at times) or CAPITALS.
    QString headingText()
    {
        const int kind = uniform(0, 9);
        if (kind < 4)
            return titleCase(uniform(1, 6));
        if (kind < 9)
            return words(uniform(2, 4)) + (chance(0.3) ? QStringLiteral(", ") + words(uniform(1, 3), false) : QString());
        return words(uniform(1, 5)).toUpper();
    }
    QString sentence() { return words(uniform(6, 16)) + (chance(0.1) ? QStringLiteral(" (%1)").arg(uniform(1, 99)) : QString()) + QLatin1Char('.'); }

    Style style()
    {
        Style s;
        s.family = kFamilies[uniform(0, int(kFamilies.size()) - 1)];
        s.body = real(8.5, 12);
        s.titleSize = s.body * real(1.5, 2.4);
        s.headingBold = chance(0.8);
        // Bold headings in the body's own size are common in reports.
        s.headingSize = s.body * (s.headingBold ? (chance(0.4) ? real(0.9, 1.0) : real(1.0, 1.6)) : real(1.2, 1.7));
        s.tightHeadings = chance(0.3);
        s.subheadingSize = qMax(s.body, s.headingSize * real(0.8, 0.95));
        s.numbered = chance(0.45);
        s.columns = chance(0.3) ? 2 : 1;
        s.margin = real(40, 80);
        s.paragraphGap = s.body * real(0.3, 1.2);
        s.lineFactor = real(1.15, 1.45);
        s.indentFirst = chance(0.25);
        s.header = chance(0.6);
        s.pageNumberStyle = uniform(0, 5);
        s.pageNumberTop = chance(0.25);
        s.footer = chance(0.3);
        s.runningHead = titleCase(uniform(2, 6));
        s.footerText = chance(0.5) ? QStringLiteral("© %1 %2").arg(uniform(1990, 2024)).arg(titleCase(2)) : words(uniform(3, 7));
        return s;
    }

    // Paints one document and returns what it painted, with pages and boxes.
    QByteArray document(QList<QList<Painted>> *pages)
    {
        const Style s = style();
        QByteArray pdf;
        QBuffer buffer(&pdf);
        buffer.open(QIODevice::WriteOnly);
        QPdfWriter writer(&buffer);
        writer.setPageSize(chance(0.5) ? QPageSize(QPageSize::A4) : QPageSize(QPageSize::Letter));
        writer.setResolution(72);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        QPainter painter(&writer);
        const QSizeF page = writer.pageLayout().fullRectPoints().size();
        m_painter = &painter;
        m_pages = pages;
        m_page = page;
        m_style = s;
        const int pageCount = uniform(1, 4);
        m_pageCount = pageCount;
        startPage(0);

        int section = 0, subsection = 0;
        // The title, maybe a byline, then sections until the pages are full.
        place(BlockRole::Title, titleCase(uniform(3, 9)), font(s.titleSize, chance(0.7)), m_columnWidth * 1.0, chance(0.4));
        if (chance(0.5))
            place(BlockRole::Paragraph, titleCase(2) + QStringLiteral(", ") + titleCase(2), font(s.body, false), m_columnWidth, true);
        while (m_pageIndex < pageCount) {
            const int kind = uniform(0, 99);
            if (kind < 14) {
                ++section;
                subsection = 0;
                const QString number = s.numbered ? QStringLiteral("%1%2 ").arg(section).arg(chance(0.5) ? QStringLiteral(".") : QString()) : QString();
                place(BlockRole::Heading, number + headingText(), font(s.headingSize, s.headingBold), m_columnWidth, false, 0.8);
            } else if (kind < 22 && section > 0) {
                ++subsection;
                const QString number = s.numbered ? QStringLiteral("%1.%2 ").arg(section).arg(subsection) : QString();
                QFont f = font(s.subheadingSize, s.headingBold || chance(0.5));
                f.setItalic(!s.headingBold && chance(0.5));
                place(BlockRole::Subheading, number + headingText(), f, m_columnWidth, false, 0.6);
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
                for (int i = uniform(1, 6); i > 0; --i)
                    sentences.append(sentence());
                place(BlockRole::Paragraph, sentences.join(QLatin1Char(' ')), font(s.body, false), m_columnWidth, false, 0,
                      s.indentFirst ? s.body * 1.5 : 0);
            }
        }
        painter.end();
        return pdf;
    }

private:
    QFont font(double size, bool bold, const QString &family = {}) const
    {
        QFont f(family.isEmpty() ? m_style.family : family);
        f.setPointSizeF(size);
        f.setBold(bold);
        return f;
    }

    void startPage(int index)
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

    double columnLeft() const { return m_style.margin + m_column * (m_columnWidth + 18); }

    void nextColumn()
    {
        if (++m_column < m_style.columns) {
            m_y = m_top;
            return;
        }
        startPage(m_pageIndex + 1);
    }

    // Text wrapped to `width` from the cursor down; the box it covered.
    QRectF draw(const QString &text, const QFont &f, double left, double width, bool centred, double firstIndent = 0)
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

    double heightOf(const QString &text, const QFont &f, double width) const
    {
        const QFontMetricsF metrics(f, m_painter->device());
        const double lines = std::ceil(metrics.horizontalAdvance(text) / qMax(width, 1.0) + 0.15);
        return lines * f.pointSizeF() * m_style.lineFactor;
    }

    void place(BlockRole role, const QString &text, const QFont &f, double width, bool centred, double spaceBefore = 0,
               double firstIndent = 0)
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

    void list()
    {
        const int style = uniform(0, 3);
        const QStringList bullets{QStringLiteral("•"), QStringLiteral("-"), QStringLiteral("–"), QStringLiteral("▪")};
        const QString bulletMark = bullets[uniform(0, 3)];
        const double indent = m_style.body * real(0, 2.5);
        const double hang = m_style.body * real(1.2, 2.2);
        const QFont f = font(m_style.body, false);
        // Word processors often wrap an item back to the marker: no hanging indent.
        const bool flat = chance(0.3);
        for (int i = 1, n = uniform(2, 6); i <= n; ++i) {
            QString marker = style == 0 || style == 1 ? bulletMark
                : style == 2                          ? QStringLiteral("%1.").arg(i)
                                                      : QStringLiteral("%1)").arg(QChar(QLatin1Char('a' + i - 1)));
            QString text = chance(0.5) ? words(uniform(2, 8)) : sentence() + (chance(0.4) ? QLatin1Char(' ') + sentence() : QString());
            if (flat) {
                text = marker + QLatin1Char(' ') + titleCase(uniform(1, 4)) + QStringLiteral(": ") + sentence() + QLatin1Char(' ') + sentence();
                const double before = m_y > m_top ? m_style.paragraphGap * real(0.3, 1.0) : 0;
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
            const double before = m_y > m_top ? m_style.paragraphGap * (i == 1 ? 1.0 : real(0, 0.6)) : 0;
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

    void caption()
    {
        // A grey placeholder where a figure would be, its caption below.
        const double height = real(40, 120);
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
        const QString label = labels[uniform(0, int(labels.size()) - 1)];
        // "3", "3-1" or "3.1"; a colon, a full stop or nothing after it.
        const QString number = chance(0.5) ? QString::number(uniform(1, 12))
                                           : QStringLiteral("%1%2%3").arg(uniform(1, 9)).arg(chance(0.5) ? QLatin1Char('-') : QLatin1Char('.')).arg(uniform(1, 20));
        const QString stop = QStringList{QStringLiteral(":"), QStringLiteral("."), QString()}[uniform(0, 2)];
        const QString body = chance(0.5) ? words(uniform(3, 14)) + QLatin1Char('.') : titleCase(uniform(2, 6));
        QFont f = font(m_style.body * real(0.8, 1.0), chance(0.35));
        f.setItalic(chance(0.3));
        const bool centred = chance(0.5);
        // Some styles set the label on a line of its own ("Table 1." over its text).
        if (chance(0.25)) {
            QFont labelFont = f;
            labelFont.setBold(chance(0.5));
            const QRectF labelBox = draw(QStringLiteral("%1 %2%3").arg(label, number, stop), labelFont, columnLeft(), m_columnWidth, centred);
            const QRectF textBox = draw(body, f, columnLeft(), m_columnWidth, centred);
            m_pages->last().append({BlockRole::Caption, labelBox.united(textBox)});
            return;
        }
        const QString text = QStringLiteral("%1 %2%3 %4").arg(label, number, stop, body);
        const QRectF box = draw(text, f, columnLeft(), m_columnWidth, centred);
        m_pages->last().append({BlockRole::Caption, box});
    }

    void code()
    {
        const QFont f = font(m_style.body * real(0.8, 1.0), chance(0.25), QStringLiteral("DejaVu Sans Mono"));
        const int lines = uniform(1, 7);
        const bool shouting = chance(0.3); // SQL and COBOL listings are set in capitals
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
            QString text = QString(depth * 4, QLatin1Char(' ')) + templates[uniform(0, int(templates.size()) - 1)].arg(kWords[uniform(0, int(kWords.size()) - 1)]).arg(uniform(0, 99));
            if (shouting)
                text = text.toUpper();
            depth = qBound(0, depth + uniform(-1, 1), 2);
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
    void shortLines()
    {
        const int kind = uniform(0, 4);
        QString text;
        switch (kind) {
        case 0: text = QStringLiteral("%1-%2-%3").arg(words(1, false).toUpper()).arg(uniform(1000, 9999)).arg(uniform(0, 99), 2, 10, QLatin1Char('0')); break;
        case 1: text = words(uniform(3, 9)) + QLatin1Char(':'); break;
        case 2: text = words(uniform(2, 5)).toUpper(); break;
        case 3: text = QString::number(uniform(1, 40)); break;
        default: text = titleCase(uniform(2, 4)) + QStringLiteral(" ") + QString::number(uniform(1, 99)); break;
        }
        place(BlockRole::Paragraph, text, font(m_style.body, kind == 2 && chance(0.3)), m_columnWidth, false);
    }

    // A table without rules, or a form: short cells in rows and columns,
    // the first row in bold at times. What the page's table pass leaves of
    // it is labelled a table part.
    void grid()
    {
        const int columns = uniform(2, 4), rows = uniform(2, 6);
        const QFont f = font(m_style.body * real(0.85, 1.0), false);
        const double rowHeight = f.pointSizeF() * m_style.lineFactor * real(1.0, 1.6);
        if (m_y + m_style.paragraphGap + rows * rowHeight > m_bottom) {
            nextColumn();
            if (m_pageIndex >= m_pageCount)
                return;
        }
        m_y += m_style.paragraphGap;
        const bool boldHead = chance(0.4);
        const double cellWidth = m_columnWidth / columns;
        for (int r = 0; r < rows; ++r) {
            QFont rowFont = f;
            rowFont.setBold(boldHead && r == 0);
            m_painter->setFont(rowFont);
            const QFontMetricsF metrics(rowFont, m_painter->device());
            for (int c = 0; c < columns; ++c) {
                const QString text = c == 0 || chance(0.4) ? words(uniform(1, 2)) : chance(0.5) ? QString::number(uniform(0, 9999)) : QStringLiteral("yes");
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
    void formula()
    {
        struct Piece {
            QString text;
            QFont font;
            double rise = 0; // points up from the baseline
        };
        const double body = m_style.body;
        QFont roman = font(body * real(1.0, 1.15), false, QStringLiteral("DejaVu Serif"));
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
            line.append({variables[uniform(0, int(variables.size()) - 1)], italic});
            if (chance(0.35))
                line.append({chance(0.5) ? QString::number(uniform(0, 9)) : QStringLiteral("i"), small, -0.25 * body});
            if (chance(0.3))
                line.append({chance(0.6) ? QString::number(uniform(2, 3)) : QStringLiteral("n"), small, 0.4 * body});
        };
        auto term = [&](QList<Piece> &line) {
            if (chance(0.3))
                line.append({QString::number(uniform(2, 99)), roman});
            if (chance(0.3)) {
                line.append({bigOperators[uniform(0, int(bigOperators.size()) - 1)], roman});
                if (chance(0.5))
                    line.append({QStringLiteral("i=1"), small, -0.3 * body});
            }
            if (chance(0.25)) {
                line.append({QStringLiteral("("), roman});
                variable(line);
                line.append({operators[uniform(0, 1)], roman});
                variable(line);
                line.append({QStringLiteral(")"), roman});
            } else {
                variable(line);
            }
        };
        QList<QList<Piece>> lines;
        for (int l = uniform(1, 3); l > 0; --l) {
            QList<Piece> line;
            if (lines.isEmpty() || chance(0.5)) {
                variable(line);
                if (chance(0.4)) {
                    line.append({QStringLiteral("("), roman});
                    variable(line);
                    line.append({QStringLiteral(")"), roman});
                }
            }
            line.append({relations[uniform(0, int(relations.size()) - 1)], roman});
            for (int t = uniform(1, 4); t > 0; --t) {
                term(line);
                if (t > 1)
                    line.append({operators[uniform(0, int(operators.size()) - 1)], roman});
            }
            if (chance(0.2))
                line.append({QStringLiteral(","), roman});
            lines.append(line);
        }
        const double lineHeight = roman.pointSizeF() * m_style.lineFactor * real(1.2, 1.6);
        if (m_y + 2 * m_style.paragraphGap + lines.size() * lineHeight > m_bottom) {
            nextColumn();
            if (m_pageIndex >= m_pageCount)
                return;
        }
        m_y += m_style.paragraphGap + real(0, 0.6) * body;
        const bool numbered = chance(0.5);
        const QString number = chance(0.7) ? QStringLiteral("(%1)").arg(uniform(1, 40))
                                           : QStringLiteral("(%1.%2)").arg(uniform(1, 9)).arg(uniform(1, 20));
        QRectF box;
        for (qsizetype l = 0; l < lines.size(); ++l) {
            const double space = roman.pointSizeF() * real(0.15, 0.3);
            double width = 0;
            for (const Piece &piece : std::as_const(lines[l]))
                width += QFontMetricsF(piece.font, m_painter->device()).horizontalAdvance(piece.text) + space;
            const double left = columnLeft() + qMax(0.0, (m_columnWidth - width) / 2); // a wide line starts at the column's edge
            double x = left;
            const double baseline = m_y + QFontMetricsF(roman, m_painter->device()).ascent();
            for (const Piece &piece : std::as_const(lines[l])) {
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
        m_y += real(0, 0.6) * body;
        m_pages->last().append({BlockRole::Formula, box});
    }

    // Running head, running foot and page number, in the margins.
    void furniture()
    {
        const Style &s = m_style;
        const double small = s.body * real(0.75, 1.05);
        const QFont f = font(small, chance(0.2));
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
        if (s.header && (m_pageIndex > 0 || chance(0.5)))
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
    void footnote()
    {
        if (!chance(0.25))
            return;
        const QFont f = font(m_style.body * real(0.7, 0.85), false);
        const QString text = QStringLiteral("%1 %2").arg(uniform(1, 9)).arg(sentence());
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

    std::mt19937 m_random;
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

// The painted element a block comes from: the one its box overlaps most.
int roleOf(const TextBlock &block, const QList<Painted> &painted)
{
    int best = -1;
    double bestArea = 0;
    for (const Painted &item : painted) {
        const QRectF common = item.box.adjusted(-2, -2, 2, 2).intersected(block.bbox);
        const double area = common.width() * common.height();
        if (common.isValid() && area > bestArea) {
            best = static_cast<int>(item.role);
            bestArea = area;
        }
    }
    // Blocks that mostly cover nothing painted are merges or strays: skipped.
    return bestArea >= 0.4 * block.bbox.width() * block.bbox.height() ? best : -1;
}

// Why the model decides what it does on a real document.
int explain(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    OcrEngine ocr; // scans too: their blocks come from OCR
    PdfReadResult read = PdfTextReader(&ocr).read(file.readAll(), ParserParams(), ParseControl());
    if (!read) {
        qCritical("%s", qPrintable(read.errorMessage()));
        return 1;
    }
    LayoutAnalyzer().analyze(read->pages, read->outline);
    std::vector<float> rows;
    QList<BlockRef> refs;
    BlockFeatures::compute(read->pages, read->outline, &rows, &refs);
    QString error;
    const Tensor::ModuleApi *module = loadTensorModule(&error);
    if (!module) {
        qCritical("%s", qPrintable(error));
        return 1;
    }
    const QStringList names = BlockFeatures::names();
    const Tensor::BlockClassification result = module->classifyBlocks(
        rows, static_cast<int>(names.size()), BlockRoleModel::defaultPath().toStdString(), "cpu");
    if (!result.error.empty()) {
        qCritical("%s", result.error.c_str());
        return 1;
    }
    QTextStream out(stdout);
    const QStringList types{QStringLiteral("text"), QStringLiteral("title"), QStringLiteral("list"), QStringLiteral("discarded"),
                            QStringLiteral("table"), QStringLiteral("figure"), QStringLiteral("formula")};
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const TextBlock &block = read->pages[refs[i].page].blocks[refs[i].block];
        const int role = result.roles[size_t(i)];
        out << refs[i].page << ' ' << types[int(block.type)] << " -> " << blockRoleNames()[role] << ' '
            << QString::number(result.probabilities[size_t(i) * kBlockRoleCount + size_t(role)], 'f', 2) << " | "
            << block.text().left(60) << "\n   ";
        for (qsizetype c = 0; c < names.size(); ++c)
            out << names[c] << '=' << QString::number(rows[size_t(i * names.size() + c)], 'g', 3) << ' ';
        out << '\n';
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("out"), QStringLiteral("CSV file to write"));
    parser.addOption({QStringLiteral("documents"), QStringLiteral("documents to generate"), QStringLiteral("n"), QStringLiteral("400")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("s"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("keep-pdf"), QStringLiteral("also write the first document as PDF here"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("explain"), QStringLiteral("print the rules' type, the model's role and confidence and the features of each block of this PDF, then stop"), QStringLiteral("pdf")});
    parser.addHelpOption();
    parser.process(app);
    if (parser.isSet(QStringLiteral("explain")))
        return explain(parser.value(QStringLiteral("explain")));
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);

    QFile out(parser.positionalArguments().first());
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qCritical("cannot write %s", qPrintable(out.fileName()));
        return 1;
    }
    QTextStream csv(&out);
    csv << "document,role," << BlockFeatures::names().join(QLatin1Char(',')) << '\n';

    Generator generator(parser.value(QStringLiteral("seed")).toUInt());
    const int documents = parser.value(QStringLiteral("documents")).toInt();
    const QStringList roles = blockRoleNames();
    QList<int> counts(kBlockRoleCount, 0);
    int skipped = 0;
    for (int d = 0; d < documents; ++d) {
        QList<QList<Painted>> painted;
        const QByteArray pdf = generator.document(&painted);
        if (d == 0 && parser.isSet(QStringLiteral("keep-pdf"))) {
            QFile keep(parser.value(QStringLiteral("keep-pdf")));
            if (keep.open(QIODevice::WriteOnly))
                keep.write(pdf);
        }
        PdfTextReader reader;
        reader.setRegionAnalysis(false);
        PdfReadResult read = reader.read(pdf, ParserParams(), ParseControl());
        if (!read) {
            qCritical("document %d: %s", d, qPrintable(read.errorMessage()));
            return 1;
        }
        LayoutAnalyzer().analyze(read->pages, read->outline);
        std::vector<float> rows;
        QList<BlockRef> refs;
        BlockFeatures::compute(read->pages, read->outline, &rows, &refs);
        const size_t width = size_t(BlockFeatures::names().size());
        for (qsizetype r = 0; r < refs.size(); ++r) {
            const BlockRef &ref = refs[r];
            const int role = ref.page < painted.size() ? roleOf(read->pages[ref.page].blocks[ref.block], painted[ref.page]) : -1;
            if (role < 0) {
                ++skipped;
                continue;
            }
            ++counts[role];
            csv << d << ',' << roles[role];
            for (size_t c = 0; c < width; ++c)
                csv << ',' << QString::number(rows[size_t(r) * width + c], 'g', 6);
            csv << '\n';
        }
    }
    QTextStream err(stderr);
    for (int i = 0; i < kBlockRoleCount; ++i)
        err << roles[i] << ' ' << counts[i] << '\n';
    err << "skipped " << skipped << '\n';
    return 0;
}
