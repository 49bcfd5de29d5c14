#include "engine/layout/blockfeatures.h"

#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace DocRay {

namespace {

// The order here is the order of the vector; the manifest of a trained
// model lists the same names, and a model whose list differs is refused.
const char *const kFeatureNames[] = {
    "size_ratio",        // block font size / body font size
    "size_rank",         // 0 for the document's largest size, up to 1 for the fifth and below
    "bold",              // share of lines set in bold
    "italic",            // share of lines set in italic
    "monospace",         // first span in a fixed-width face
    "lines",             // log(1 + number of lines)
    "characters",        // log(1 + characters)
    "caps_ratio",        // upper-case share of the letters
    "digit_ratio",       // digit share of the non-space characters
    "title_case",        // every word of the first line capitalised
    "ends_period",
    "ends_colon",
    "starts_bullet",     // "•", "-", "*" and the like
    "starts_enumeration", // "1.", "(a)", "b)"
    "section_depth",     // "3" 1/3, "3.1" 2/3, "3.1.2" 1
    "caption_word",      // opens with "Figure 2", "Table 1", ...
    "page_number_text",  // "12", "Page 3 of 9", "iv"
    "repeats",           // share of the document's pages with the same text, digits aside
    "left",              // box, as fractions of the page
    "width",
    "top",
    "bottom",
    "center_offset",     // distance of the box's centre from the page's, in page widths
    "indent",            // from the left edge of the nearest block above (else below) in the column, in body sizes / 10
    "gap_above",         // to the nearest block above in the same column, in body sizes / 10
    "gap_below",
    "first_on_page",
    "last_on_page",
    "outline_match",     // the PDF outline lists this text
    "rules_text",        // what the layout rules decided
    "rules_heading",
    "rules_heading_level", // level / 6
    "rules_list",
    "rules_discarded",
    "math_symbols",      // share of the non-space characters that are operators, relations, lone Greek letters or super/subscripts
    "short_tokens",      // share of the words of one or two characters
    "equation_number",   // ends in "(3)", "(2.1)" or "(4a)"
    "cell_gaps",         // gaps between words wider than the body size, per line, / 4
};

double overlapX(const QRectF &a, const QRectF &b)
{
    return qMin(a.right(), b.right()) - qMax(a.left(), b.left());
}

float clamp01(double value)
{
    return static_cast<float>(qBound(0.0, value, 1.0));
}

// The share of the non-space characters that display math is set in and
// prose rarely is: operators, relations, super- and subscripts, and Greek
// letters standing alone as variables (Greek words are prose).
double mathShare(const QString &text)
{
    int math = 0, visible = 0;
    for (const QString &token : text.split(QLatin1Char(' '), Qt::SkipEmptyParts))
        for (const QChar c : token) {
            const char16_t u = c.unicode();
            ++visible;
            math += c.category() == QChar::Symbol_Math || (u >= 0x2200 && u <= 0x22FF) || (u >= 0x2070 && u <= 0x209F)
                || u == 0x00B2 || u == 0x00B3 || u == 0x00B9 || (token.size() <= 2 && u >= 0x0391 && u <= 0x03C9);
        }
    return visible ? double(math) / visible : 0;
}

// Per line, the gaps between neighbouring words wider than `body`: the
// columns of a table, an equation's number at the margin.
double wideGapsPerLine(const TextBlock &block, double body)
{
    int gaps = 0;
    for (const TextLine &line : block.lines)
        for (qsizetype i = 1; i < line.spans.size(); ++i)
            gaps += line.spans[i].bbox.left() - line.spans[i - 1].bbox.right() > body;
    return double(gaps) / block.lines.size();
}

} // namespace

QStringList blockRoleNames()
{
    return {QStringLiteral("paragraph"), QStringLiteral("title"),     QStringLiteral("heading"),
            QStringLiteral("subheading"), QStringLiteral("list_item"), QStringLiteral("caption"),
            QStringLiteral("header"),     QStringLiteral("footer"),    QStringLiteral("page_number"),
            QStringLiteral("footnote"),   QStringLiteral("code"),      QStringLiteral("formula"),
            QStringLiteral("table")};
}

QStringList BlockFeatures::names()
{
    QStringList result;
    for (const char *name : kFeatureNames)
        result.append(QLatin1String(name));
    return result;
}

namespace {

using DocumentContext = BlockFeatureContext::Values;

struct CharacterCounts {
    int letters = 0;
    int upper = 0;
    int digits = 0;
    int visible = 0;
};

CharacterCounts countCharacters(const QString &text)
{
    CharacterCounts counts;
    for (const QChar c : text) {
        if (c.isSpace())
            continue;
        ++counts.visible;
        if (c.isLetter()) {
            ++counts.letters;
            counts.upper += c.isUpper();
        }
        counts.digits += c.isDigit();
    }
    return counts;
}

// Blank above and below the block to its nearest neighbours in the same
// column (in body sizes), and its indentation against the text around it:
// a page-wide block far off to one side says nothing about this column.
struct ColumnPlace {
    double above = 0;
    double below = 0;
    double indent = 0;
};

ColumnPlace columnPlace(const PageLayout &page, const TextBlock &block, double body)
{
    const QRectF box = block.bbox;
    const double pageHeight = qMax(page.size.height(), 1.0);
    ColumnPlace place;
    place.above = box.top() / body;
    place.below = (pageHeight - box.bottom()) / body;
    const TextBlock *neighbourAbove = nullptr, *neighbourBelow = nullptr;
    for (const TextBlock &other : page.blocks) {
        if (&other == &block || overlapX(other.bbox, box) <= 0)
            continue;
        if (other.bbox.bottom() <= box.top() + 1 && (box.top() - other.bbox.bottom()) / body <= place.above) {
            place.above = (box.top() - other.bbox.bottom()) / body;
            neighbourAbove = &other;
        }
        if (other.bbox.top() >= box.bottom() - 1 && (other.bbox.top() - box.bottom()) / body <= place.below) {
            place.below = (other.bbox.top() - box.bottom()) / body;
            neighbourBelow = &other;
        }
    }
    const TextBlock *neighbour = neighbourAbove ? neighbourAbove : neighbourBelow;
    place.indent = neighbour ? (box.left() - neighbour->bbox.left()) / body : 0;
    return place;
}

// One block's row, in kFeatureNames' order: one long table, since every
// value stands for a feature the model was trained on. `n` of `count` text
// blocks on its page.
void appendRow(const DocumentContext &context, const PageLayout &page, const TextBlock &block, int n, int count,
               std::vector<float> *rows)
{
    static const QRegularExpression bullet(QStringLiteral("^") + bulletClass() + QStringLiteral("\\s*"));
    static const QRegularExpression enumeration(QStringLiteral("^(\\(?\\d{1,3}[.)]|\\(?[a-zA-Z][.)])\\s+\\S"));
    static const QRegularExpression caption(
        QStringLiteral("^(figure|fig\\.|table|tab\\.|listing|chart|image|abbildung|tabelle)\\s*[0-9IVXivx]"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression equationNumber(QString::fromLatin1(kEquationNumberPattern) + QLatin1Char('$'));

    const double body = context.body;
    const double pageWidth = qMax(page.size.width(), 1.0), pageHeight = qMax(page.size.height(), 1.0);
    const QRectF box = block.bbox;
    const QString text = block.text().trimmed();
    const QString first = block.lines.first().text().trimmed();
    const CharacterCounts chars = countCharacters(text);
    int bold = 0, italic = 0;
    for (const TextLine &line : block.lines) {
        bold += line.isBold();
        italic += line.isItalic();
    }
    const int depth = numberingDepth(first);
    const QStringList tokens = text.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    const auto shortTokens = std::count_if(tokens.cbegin(), tokens.cend(), [](const QString &t) { return t.size() <= 2; });
    const ColumnPlace place = columnPlace(page, block, body);
    const int rank = static_cast<int>(context.sizes.indexOf(qRound(block.fontSize() * 2)));
    const qsizetype pages = context.pageCount;

    const float values[] = {
        static_cast<float>(qBound(0.0, block.fontSize() / body, 4.0)),
        clamp01(qMax(rank, 0) / 4.0),
        float(bold) / block.lines.size(),
        float(italic) / block.lines.size(),
        float(isMonospaced(block)),
        static_cast<float>(std::log1p(block.lines.size())),
        static_cast<float>(std::log1p(text.size())),
        chars.letters ? float(chars.upper) / chars.letters : 0.0f,
        chars.visible ? float(chars.digits) / chars.visible : 0.0f,
        float(isTitleCase(block.lines.first().spans)),
        float(text.endsWith(QLatin1Char('.'))),
        float(text.endsWith(QLatin1Char(':'))),
        float(bullet.match(first).hasMatch() && first.size() > 1),
        float(enumeration.match(first).hasMatch()),
        clamp01(depth / 3.0),
        float(caption.match(first).hasMatch()),
        float(isPageNumber(block)),
        pages >= 2 ? float(context.pagesWithKey.value(furnitureKey(block))) / pages : 0.0f,
        clamp01(box.left() / pageWidth),
        clamp01(box.width() / pageWidth),
        clamp01(box.top() / pageHeight),
        clamp01(box.bottom() / pageHeight),
        clamp01(qAbs(box.center().x() - pageWidth / 2) / pageWidth),
        static_cast<float>(qBound(-1.0, place.indent / 10, 1.0)),
        clamp01(place.above / 10),
        clamp01(place.below / 10),
        float(n == 0),
        float(n + 1 == count),
        float(context.outlineKeys.contains(headingKey(text))),
        float(block.type == BlockType::Text),
        float(block.type == BlockType::Title),
        static_cast<float>(block.type == BlockType::Title ? block.headingLevel / 6.0 : 0.0),
        float(block.type == BlockType::List),
        float(block.type == BlockType::Discarded),
        static_cast<float>(mathShare(text)),
        tokens.isEmpty() ? 0.0f : float(shortTokens) / tokens.size(),
        float(equationNumber.match(text).hasMatch()),
        clamp01(wideGapsPerLine(block, body) / 4),
    };
    static_assert(std::size(values) == std::size(kFeatureNames), "one value per feature name");
    rows->insert(rows->end(), std::begin(values), std::end(values));
}

} // namespace

BlockFeatureContext::BlockFeatureContext(const QList<OutlineEntry> &outline)
{
    for (const OutlineEntry &entry : outline)
        m_values.outlineKeys.insert(headingKey(entry.title));
    m_values.outlineKeys.remove(QString());
}

void BlockFeatureContext::count(const PageLayout &page)
{
    QSet<QString> seen;
    for (const TextBlock &block : page.blocks) {
        for (const TextLine &line : block.lines)
            m_charactersBySize[qRound(line.fontSize() * 2)] += static_cast<int>(line.text().size());
        if (block.lines.isEmpty())
            continue;
        const int size = qRound(block.fontSize() * 2);
        if (!m_values.sizes.contains(size))
            m_values.sizes.append(size);
        seen.insert(furnitureKey(block));
    }
    for (const QString &key : std::as_const(seen))
        ++m_values.pagesWithKey[key];
    ++m_values.pageCount;
}

void BlockFeatureContext::freeze()
{
    int best = 0, bestCount = -1;
    for (auto it = m_charactersBySize.cbegin(); it != m_charactersBySize.cend(); ++it)
        if (it.value() > bestCount || (it.value() == bestCount && it.key() < best)) {
            best = it.key();
            bestCount = it.value();
        }
    m_values.body = qMax(best / 2.0, 1.0);
    std::sort(m_values.sizes.begin(), m_values.sizes.end(), std::greater<int>());
    m_frozen = true;
}

void BlockFeatureContext::computePage(const PageLayout &page, int pageRef, std::vector<float> *rows,
                                      QList<BlockRef> *refs)
{
    if (!m_frozen)
        freeze();
    QList<int> textBlocks;
    for (int b = 0; b < page.blocks.size(); ++b)
        if (!page.blocks[b].lines.isEmpty())
            textBlocks.append(b);
    for (int n = 0; n < textBlocks.size(); ++n) {
        appendRow(m_values, page, page.blocks[textBlocks[n]], n, static_cast<int>(textBlocks.size()), rows);
        refs->append({pageRef, textBlocks[n]});
    }
}

void BlockFeatures::compute(const QList<PageLayout> &pages, const QList<OutlineEntry> &outline,
                            std::vector<float> *rows, QList<BlockRef> *refs)
{
    BlockFeatureContext context(outline);
    for (const PageLayout &page : pages)
        context.count(page);
    for (int p = 0; p < pages.size(); ++p)
        context.computePage(pages[p], p, rows, refs);
}

} // namespace DocRay
