#include "engine/layout/layoutanalyzer.h"

#include <QHash>
#include <QSet>
#include <QRegularExpression>

#include <algorithm>
#include <optional>

namespace DocRay {

namespace {

constexpr double kHeadingSizeRatio = 1.1;
constexpr int kMaxHeadingCharacters = 160;
constexpr double kMinSubheadingSizeStep = 0.8; // points
constexpr int kMaxHeadingLines = 3;
constexpr double kMarginBand = 0.13;    // fraction of the page height holding headers/footers
constexpr double kMinColumnGap = 6.0;   // points between columns
constexpr double kMaxWordGap = 3.0;     // ems between words of one line; wider is a column gap
constexpr double kSuspectGap = 1.0;     // ems: a gap this wide is a column gap where rows agree
constexpr int kMinGutterRows = 3;       // rows that must share a gap for it to be a column gap

// Adds an item to the group `gapTo` finds nearest (the smallest gap; none
// when the group cannot take it), or to a new group when no group can: how
// words gather into lines and lines into blocks.
template<typename Group, typename GapTo, typename Add>
void addToNearest(QList<Group> &groups, GapTo gapTo, Add add)
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

// ---- lines ---------------------------------------------------------------

bool isRightToLeft(const QString &text)
{
    int rtl = 0, ltr = 0;
    for (const QChar c : text) {
        switch (c.direction()) {
        case QChar::DirR:
        case QChar::DirAL: ++rtl; break;
        case QChar::DirL: ++ltr; break;
        default: break;
        }
    }
    return rtl > ltr;
}

bool isListMarker(const QString &text)
{
    static const QRegularExpression marker(QStringLiteral("^([•●▪■◦○‣∙·\\-–*]|\\(?\\d{1,3}[.)]|[a-z][.)])$"));
    return marker.match(text.trimmed()).hasMatch();
}

// One line opening with "(1)", "1." or "a)" (not a bullet), set at least
// most of a point larger than the body and not ending a sentence.
bool isEnumeratedSubheading(const TextBlock &block, double bodySize)
{
    static const QRegularExpression enumeration(QStringLiteral("^\\s*\\(?(\\d{1,3}|[a-z])[.)]\\s+\\S"));
    if (block.lines.size() != 1 || bodySize <= 0 || block.characterCount() > kMaxHeadingCharacters)
        return false;
    const QString text = block.text().trimmed();
    return enumeration.match(text).hasMatch() && block.fontSize() >= bodySize + kMinSubheadingSizeStep
        && !text.endsWith(QLatin1Char('.')) && !text.endsWith(QLatin1Char(':'));
}

bool isSectionNumber(const QString &text)
{
    static const QRegularExpression number(QStringLiteral("^(\\d{1,2}(\\.\\d{1,2}){0,4}\\.?|[A-Z]\\.|[IVX]{1,4}\\.)$"));
    return number.match(text.trimmed()).hasMatch();
}

double verticalOverlap(const QRectF &a, const QRectF &b)
{
    return qMin(a.bottom(), b.bottom()) - qMax(a.top(), b.top());
}

double horizontalOverlap(const QRectF &a, const QRectF &b)
{
    return qMin(a.right(), b.right()) - qMax(a.left(), b.left());
}

bool fitsLine(const TextLine &line, const TextSpan &word)
{
    const TextSpan &last = line.spans.constLast();
    const double minHeight = qMin(last.bbox.height(), word.bbox.height());
    if (minHeight <= 0 || verticalOverlap(line.bbox, word.bbox) < 0.5 * minHeight)
        return false;
    const double size = qMax(qMax(last.fontSize, word.fontSize), 1.0);
    const double gap = word.bbox.left() - last.bbox.right();
    if (gap < -0.3 * size)
        return false;
    // A wider gap separates columns and table cells; a bullet may sit further off.
    const bool marker = line.spans.size() == 1 && (isListMarker(last.text) || isSectionNumber(last.text));
    const double maxGap = marker ? 4.0 * size : kMaxWordGap * size;
    return gap <= maxGap;
}

// Wide gaps inside rows are either justified word spacing or the gutter
// between columns (or table cells). A gutter shows up at the same place in
// several rows; spacing does not.
QList<TextLine> splitAtGutters(const QList<TextLine> &lines)
{
    struct WideGap {
        int line;
        qsizetype after; // index of the span before the gap
        double from;
        double to;
    };
    QList<WideGap> gaps;
    for (int i = 0; i < lines.size(); ++i) {
        const QList<TextSpan> &spans = lines[i].spans;
        for (qsizetype j = 0; j + 1 < spans.size(); ++j) {
            const double size = qMax(qMax(spans[j].fontSize, spans[j + 1].fontSize), 1.0);
            const double from = spans[j].bbox.right(), to = spans[j + 1].bbox.left();
            if (to - from > kSuspectGap * size && !(j == 0 && isListMarker(spans[j].text)))
                gaps.append({i, j, from, to});
        }
    }
    QHash<int, QList<qsizetype>> splits;
    for (const WideGap &gap : std::as_const(gaps)) {
        const double center = (gap.from + gap.to) / 2;
        QSet<int> rows;
        for (const WideGap &other : std::as_const(gaps))
            if (other.from <= center && center <= other.to)
                rows.insert(other.line);
        if (rows.size() >= kMinGutterRows)
            splits[gap.line].append(gap.after);
    }
    if (splits.isEmpty())
        return lines;
    QList<TextLine> result;
    for (int i = 0; i < lines.size(); ++i) {
        const QList<qsizetype> cuts = splits.value(i);
        TextLine piece;
        for (qsizetype j = 0; j < lines[i].spans.size(); ++j) {
            const TextSpan &span = lines[i].spans[j];
            piece.bbox = piece.spans.isEmpty() ? span.bbox : piece.bbox.united(span.bbox);
            piece.spans.append(span);
            if (cuts.contains(j)) {
                result.append(piece);
                piece = TextLine();
            }
        }
        if (!piece.spans.isEmpty())
            result.append(piece);
    }
    return result;
}

// "Elastic Stop Nut", "Notes on the Method": every word capitalised but
// short function words after the first.
// ---- blocks --------------------------------------------------------------

double typicalLineGap(const QList<TextLine> &lines)
{
    QList<double> gaps;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const TextLine &above = lines[i - 1];
        const TextLine &below = lines[i];
        const double gap = below.bbox.top() - above.bbox.bottom();
        if (gap >= 0 && gap < 1.5 * above.bbox.height() && horizontalOverlap(above.bbox, below.bbox) > 0)
            gaps.append(gap);
    }
    if (gaps.isEmpty())
        return 0;
    std::nth_element(gaps.begin(), gaps.begin() + gaps.size() / 2, gaps.end());
    return gaps[gaps.size() / 2];
}

bool continuesBlock(const TextLine &previous, const TextLine &line, double typicalGap)
{
    const double height = qMax(previous.bbox.height(), 1.0);
    const double gap = line.bbox.top() - previous.bbox.bottom();
    if (gap < -0.5 * height || gap > qMax(0.6 * height, typicalGap + 0.4 * height))
        return false;
    if (qAbs(line.fontSize() - previous.fontSize()) > 0.6)
        return false;
    if (previous.isBold() != line.isBold() && (previous.isBold() || line.spans.size() > 1))
        return false;
    // A short italic line over roman text is a heading of its own, not the
    // paragraph's first line.
    if (previous.isItalic() && !line.isItalic() && previous.spans.size() <= 8 && LayoutAnalyzer::isTitleCase(previous.spans))
        return false;
    const double overlap = horizontalOverlap(previous.bbox, line.bbox);
    return overlap > 0.3 * qMin(previous.bbox.width(), line.bbox.width());
}

// In a list, lines that continue an item hang under its text; a line that
// starts out at the markers without one of its own is the paragraph after
// the list.
bool leavesList(const TextBlock &block, const TextLine &line)
{
    const TextLine &first = block.lines.first();
    // A marker after running text opens a list of its own.
    const bool blockIsList = !first.spans.isEmpty() && isListMarker(first.spans.first().text);
    if (!blockIsList && line.spans.size() > 1 && isListMarker(line.spans.first().text))
        return true;
    if (first.spans.size() < 2 || !isListMarker(first.spans.first().text) || isListMarker(line.spans.first().text))
        return false;
    const double textStart = first.spans.at(1).bbox.left();
    return line.bbox.left() < textStart - 0.25 * qMax(line.fontSize(), 1.0);
}

QList<TextBlock> groupLines(QList<TextLine> lines)
{
    std::sort(lines.begin(), lines.end(), [](const TextLine &a, const TextLine &b) {
        return a.bbox.top() != b.bbox.top() ? a.bbox.top() < b.bbox.top() : a.bbox.left() < b.bbox.left();
    });
    const double typicalGap = typicalLineGap(lines);
    QList<TextBlock> blocks;
    for (const TextLine &line : std::as_const(lines)) {
        // The nearest block whose last line sits right above this one.
        addToNearest(
            blocks,
            [&](const TextBlock &block) -> std::optional<double> {
                const TextLine &last = block.lines.constLast();
                if (!continuesBlock(last, line, typicalGap) || leavesList(block, line))
                    return std::nullopt;
                return line.bbox.top() - last.bbox.bottom();
            },
            [&](TextBlock &block) {
                block.bbox = block.lines.isEmpty() ? line.bbox : block.bbox.united(line.bbox);
                block.lines.append(line);
            });
    }
    return blocks;
}

// ---- reading order: recursive XY cuts --------------------------------------

using Region = QList<int>; // indices into the page's blocks
struct Gap {
    double from;
    double to;
};

// Gaps in the projection of the region's blocks onto one axis.
QList<Gap> projectionGaps(const QList<TextBlock> &blocks, const Region &region, bool horizontalAxis, double minGap)
{
    QList<Gap> spans;
    for (int index : region) {
        const QRectF &box = blocks[index].bbox;
        spans.append(horizontalAxis ? Gap{box.left(), box.right()} : Gap{box.top(), box.bottom()});
    }
    std::sort(spans.begin(), spans.end(), [](const Gap &a, const Gap &b) { return a.from < b.from; });
    QList<Gap> gaps;
    double reach = spans.isEmpty() ? 0 : spans.first().to;
    for (const Gap &span : std::as_const(spans)) {
        if (span.from - reach >= minGap)
            gaps.append({reach, span.from});
        reach = qMax(reach, span.to);
    }
    return gaps;
}

bool shareAColumnGap(const QList<Gap> &a, const QList<Gap> &b)
{
    for (const Gap &x : a)
        for (const Gap &y : b)
            if (qMin(x.to, y.to) - qMax(x.from, y.from) >= kMinColumnGap)
                return true;
    return false;
}

Region sortedTopDown(const QList<TextBlock> &blocks, Region region)
{
    std::sort(region.begin(), region.end(), [&blocks](int a, int b) {
        return blocks[a].bbox.top() != blocks[b].bbox.top() ? blocks[a].bbox.top() < blocks[b].bbox.top()
                                                            : blocks[a].bbox.left() < blocks[b].bbox.left();
    });
    return region;
}

// Forms and tables put short blocks side by side row after row; columns of
// prose rarely start their paragraphs at the same height.
bool rowAligned(const QList<TextBlock> &blocks, const Region &left, const Region &right)
{
    if (left.size() < 2 || right.size() < 2)
        return false;
    // Tables and figures have no lines of their own: their box stands in.
    auto firstLineHeight = [&blocks](int i) {
        return blocks[i].lines.isEmpty() ? blocks[i].bbox.height() : blocks[i].lines.first().bbox.height();
    };
    auto alignedShare = [&blocks, &firstLineHeight](const Region &side, const Region &other) {
        int aligned = 0;
        for (int a : side)
            for (int b : other) {
                const double tolerance = 0.5 * qMin(firstLineHeight(a), firstLineHeight(b));
                if (qAbs(blocks[a].bbox.top() - blocks[b].bbox.top()) < tolerance) {
                    ++aligned;
                    break;
                }
            }
        return double(aligned) / side.size();
    };
    return alignedShare(left, right) >= 0.6 && alignedShare(right, left) >= 0.6;
}

Region orderRegion(const QList<TextBlock> &blocks, const Region &region, bool rightToLeft)
{
    if (region.size() <= 1)
        return region;

    // Columns first: a gap no block crosses, top to bottom of the region.
    const QList<Gap> columns = projectionGaps(blocks, region, true, kMinColumnGap);
    bool tableLike = false;
    if (!columns.isEmpty()) {
        const Gap widest = *std::max_element(columns.begin(), columns.end(),
                                             [](const Gap &a, const Gap &b) { return a.to - a.from < b.to - b.from; });
        Region left, right;
        for (int index : region)
            (blocks[index].bbox.center().x() < widest.from ? left : right).append(index);
        tableLike = rowAligned(blocks, left, right);
        // Columns run the way the script does; forms and tables read row by row.
        if (!tableLike)
            return rightToLeft ? orderRegion(blocks, right, true) + orderRegion(blocks, left, true)
                               : orderRegion(blocks, left, false) + orderRegion(blocks, right, false);
    }

    // Then bands: cut where no block crosses horizontally...
    const QList<Gap> rows = projectionGaps(blocks, region, false, 0.01);
    if (rows.isEmpty())
        return sortedTopDown(blocks, region);
    QList<Region> bands(rows.size() + 1);
    for (int index : region) {
        const double y = blocks[index].bbox.center().y();
        int band = 0;
        while (band < rows.size() && y > rows[band].from)
            ++band;
        bands[band].append(index);
    }
    // ...but bands that continue the same columns (paragraph breaks that happen
    // to line up across columns) are one region, read column by column.
    QList<Region> merged;
    QList<QList<Gap>> mergedColumns;
    for (const Region &band : std::as_const(bands)) {
        if (band.isEmpty())
            continue;
        const QList<Gap> bandColumns = projectionGaps(blocks, band, true, kMinColumnGap);
        if (!tableLike && !merged.isEmpty() && !bandColumns.isEmpty()
            && shareAColumnGap(mergedColumns.last(), bandColumns)) {
            merged.last() += band;
            mergedColumns.last() = projectionGaps(blocks, merged.last(), true, kMinColumnGap);
        } else {
            merged.append(band);
            mergedColumns.append(bandColumns);
        }
    }
    Region ordered;
    for (const Region &part : std::as_const(merged))
        ordered += part.size() == region.size() ? sortedTopDown(blocks, part) : orderRegion(blocks, part, rightToLeft);
    return ordered;
}

QList<TextBlock> inReadingOrder(const QList<TextBlock> &blocks)
{
    Region all;
    QString text;
    for (int i = 0; i < blocks.size(); ++i) {
        all.append(i);
        text += blocks[i].text();
    }
    QList<TextBlock> ordered;
    for (int index : orderRegion(blocks, all, isRightToLeft(text)))
        ordered.append(blocks[index]);
    return ordered;
}

// ---- typing --------------------------------------------------------------

int sizeKey(double size)
{
    return qRound(size * 2); // half-point buckets
}

double bodyFontSize(const QList<PageLayout> &pages)
{
    QHash<int, int> charactersBySize;
    for (const PageLayout &page : pages)
        for (const TextLine &line : page.lines)
            charactersBySize[sizeKey(line.fontSize())] += static_cast<int>(line.text().size());
    int best = 0, bestCount = -1;
    for (auto it = charactersBySize.cbegin(); it != charactersBySize.cend(); ++it)
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    return best / 2.0;
}

bool inMarginBand(const QRectF &box, const QSizeF &page)
{
    const double band = page.height() * kMarginBand;
    return page.height() > 0 && (box.bottom() < band || box.top() > page.height() - band);
}

void markFurniture(QList<PageLayout> &pages, double bodySize)
{
    QHash<QString, int> pagesWithKey;
    for (const PageLayout &page : std::as_const(pages)) {
        QSet<QString> seen;
        for (const TextBlock &block : page.blocks)
            if (block.type == BlockType::Text && inMarginBand(block.bbox, page.size))
                seen.insert(LayoutAnalyzer::furnitureKey(block));
        for (const QString &key : std::as_const(seen))
            ++pagesWithKey[key];
    }
    const int repeatThreshold = qMax(2, static_cast<int>(pages.size() + 2) / 3);
    for (PageLayout &page : pages) {
        QList<QRectF> pageNumbers;
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Text || !inMarginBand(block.bbox, page.size))
                continue;
            if (LayoutAnalyzer::isPageNumber(block)) {
                block.type = BlockType::Discarded;
                pageNumbers.append(block.bbox);
            } else if (pages.size() >= 2 && block.fontSize() <= bodySize + 0.5
                       && pagesWithKey.value(LayoutAnalyzer::furnitureKey(block)) >= repeatThreshold) {
                // Larger type that repeats is a heading ("Chapter 3"), not a running head.
                block.type = BlockType::Discarded;
            }
        }
        // A running head shares its row with the page number.
        for (TextBlock &block : page.blocks)
            for (const QRectF &number : std::as_const(pageNumbers))
                if (block.type == BlockType::Text && block.lines.size() == 1 && inMarginBand(block.bbox, page.size)
                    && verticalOverlap(block.bbox, number) > 0.3 * block.bbox.height())
                    block.type = BlockType::Discarded;
    }
}

// Tesseract's paragraphs run list items into the text before them: a line
// that opens with a marker starts a block of its own.
QList<TextBlock> splitAtListItems(const QList<TextBlock> &blocks)
{
    QList<TextBlock> result;
    for (const TextBlock &block : blocks) {
        for (qsizetype i = 0; i < block.lines.size(); ++i) {
            const TextLine &line = block.lines[i];
            const bool opensItem = i > 0 && LayoutAnalyzer::startsListItem(line)
                && !LayoutAnalyzer::startsListItem(block.lines.first());
            if (i == 0 || opensItem) {
                TextBlock part;
                part.bbox = line.bbox;
                result.append(part);
            }
            result.last().lines.append(line);
            result.last().bbox = result.last().bbox.united(line.bbox);
        }
    }
    return result;
}

// "Elastic Stop Nut The elastic stop nut is...": a paragraph that opens with
// a few Title Case words set apart in bold or italic opens a section.
void splitRunInHeadings(QList<TextBlock> &blocks)
{
    for (qsizetype b = 0; b < blocks.size(); ++b) {
        TextBlock &block = blocks[b];
        if (block.type != BlockType::Text || block.lines.isEmpty())
            continue;
        const QList<TextSpan> &spans = block.lines.first().spans;
        auto styled = [](const TextSpan &span) { return span.bold || span.italic; };
        qsizetype run = 0;
        while (run < spans.size() && styled(spans[run]))
            ++run;
        if (run < 1 || run > 8 || run == spans.size())
            continue;
        if (!LayoutAnalyzer::isTitleCase(spans.mid(0, run)) || !spans[run].text.at(0).isUpper())
            continue;
        TextBlock heading;
        heading.type = BlockType::Title;
        TextLine headingLine;
        headingLine.spans = spans.mid(0, run);
        headingLine.spans.last().spaceAfter = false;
        headingLine.bbox = headingLine.spans.first().bbox;
        for (const TextSpan &span : std::as_const(headingLine.spans))
            headingLine.bbox = headingLine.bbox.united(span.bbox);
        heading.lines.append(headingLine);
        heading.bbox = headingLine.bbox;

        TextLine &rest = block.lines.first();
        rest.spans = spans.mid(run);
        rest.bbox = rest.spans.first().bbox;
        for (const TextSpan &span : std::as_const(rest.spans))
            rest.bbox = rest.bbox.united(span.bbox);
        block.bbox = rest.bbox;
        for (const TextLine &line : std::as_const(block.lines))
            block.bbox = block.bbox.united(line.bbox);
        blocks.insert(b, heading);
        ++b;
    }
}

// A figure's caption: a block that opens with "Figure 3:", "Fig. 2." and
// the like, right below the figure (or right above it), overlapping it
// sideways. It moves into the figure block.
bool isCaption(const TextBlock &block)
{
    static const QRegularExpression caption(
        QStringLiteral("^(figure|fig\\.|chart|image|photo|picture|graph|diagram|abbildung|abb\\.|illustration)\\s*[0-9IVXivx]"),
        QRegularExpression::CaseInsensitiveOption);
    return block.type == BlockType::Text && caption.match(block.text().trimmed()).hasMatch();
}

void attachCaptions(PageLayout &page)
{
    for (qsizetype f = 0; f < page.blocks.size(); ++f) {
        TextBlock &figure = page.blocks[f];
        if (figure.type != BlockType::Figure || !figure.caption.isEmpty())
            continue;
        qsizetype best = -1;
        double bestGap = 0;
        for (qsizetype c = 0; c < page.blocks.size(); ++c) {
            const TextBlock &candidate = page.blocks[c];
            if (!isCaption(candidate) || horizontalOverlap(candidate.bbox, figure.bbox) <= 0)
                continue;
            const double lineHeight = qMax(candidate.lines.first().bbox.height(), 1.0);
            const double below = candidate.bbox.top() - figure.bbox.bottom();
            const double above = figure.bbox.top() - candidate.bbox.bottom();
            // Captions sit below their figure more often: those win a tie.
            const double gap = below > -lineHeight ? below : above + lineHeight;
            if (gap < -lineHeight || gap > 4 * lineHeight)
                continue;
            if (best < 0 || gap < bestGap) {
                best = c;
                bestGap = gap;
            }
        }
        if (best < 0)
            continue;
        figure.caption = page.blocks[best].lines;
        page.blocks.removeAt(best);
        if (best < f)
            --f;
    }
}

// Scanned pages keep Tesseract's paragraph order: a table or figure goes
// before the first paragraph of its column that starts below it.
QList<TextBlock> withRegions(QList<TextBlock> blocks, const QList<TextBlock> &regions)
{
    for (const TextBlock &region : regions) {
        auto sameColumn = [&region](const TextBlock &block) {
            return block.bbox.left() < region.bbox.right() && region.bbox.left() < block.bbox.right();
        };
        qsizetype at = -1, lastAbove = -1;
        for (qsizetype i = 0; i < blocks.size() && at < 0; ++i) {
            if (!sameColumn(blocks[i]))
                continue;
            if (blocks[i].bbox.top() >= region.bbox.top())
                at = i;
            else
                lastAbove = i;
        }
        blocks.insert(at >= 0 ? at : lastAbove >= 0 ? lastAbove + 1 : blocks.size(), region);
    }
    return blocks;
}

} // namespace

bool LayoutAnalyzer::isPageNumber(const TextBlock &block)
{
    static const QRegularExpression pageNumber(
        QStringLiteral("^(page\\s*)?[-–]?\\s*([0-9]{1,4}|[ivxlc]{1,6})\\s*[-–]?(\\s*(of|/)\\s*\\d{1,4})?$"),
        QRegularExpression::CaseInsensitiveOption);
    return block.lines.size() == 1 && pageNumber.match(block.lines.first().text().trimmed()).hasMatch();
}

QString LayoutAnalyzer::furnitureKey(const TextBlock &block)
{
    // Page numbers move from side to side on facing pages: drop them.
    static const QRegularExpression digits(QStringLiteral("\\d+"));
    return block.text().toLower().remove(digits).simplified();
}

bool LayoutAnalyzer::isMonospaced(const TextBlock &block)
{
    static const QRegularExpression mono(QStringLiteral("courier|mono|consol|menlo|typewriter|cmtt|sftt|fixed"),
                                         QRegularExpression::CaseInsensitiveOption);
    const QList<TextSpan> &spans = block.lines.first().spans;
    return !spans.isEmpty() && mono.match(spans.first().fontName).hasMatch();
}

bool LayoutAnalyzer::isTitleCase(const QList<TextSpan> &words)
{
    int counted = 0;
    for (const TextSpan &span : words) {
        const QString &word = span.text;
        if (word.isEmpty())
            continue;
        const bool minor = word.size() <= 3 && word.at(0).isLower();
        if (!(word.at(0).isUpper() || word.at(0).isDigit() || (minor && counted > 0)))
            return false;
        ++counted;
    }
    return counted > 0;
}

int LayoutAnalyzer::numberingDepth(const QString &heading)
{
    static const QRegularExpression numbered(QStringLiteral("^(\\d{1,2}(?:\\.\\d{1,2}){0,5})\\.?\\s+\\S"));
    const QRegularExpressionMatch match = numbered.match(heading.trimmed());
    return match.hasMatch() ? static_cast<int>(match.captured(1).count(QLatin1Char('.'))) + 1 : 0;
}

QString LayoutAnalyzer::headingKey(const QString &text)
{
    QString key;
    for (const QChar c : text)
        if (c.isLetterOrNumber())
            key += c.toLower();
    return key;
}

bool LayoutAnalyzer::startsListItem(const TextLine &line)
{
    static const QRegularExpression itemStart(
        QStringLiteral("^\\s*([•●▪■◦○‣∙·\\-–*]|\\(?\\d{1,3}[.)]|\\(?[a-z][.)])\\s+\\S"));
    return itemStart.match(line.text()).hasMatch();
}

QList<TextBlock> LayoutAnalyzer::listItems(const TextBlock &list)
{
    QList<TextBlock> items;
    for (const TextLine &line : list.lines) {
        if (items.isEmpty() || startsListItem(line)) {
            TextBlock item;
            item.bbox = line.bbox;
            items.append(item);
        }
        items.last().lines.append(line);
        items.last().bbox = items.last().bbox.united(line.bbox);
    }
    return items;
}

QList<TextLine> LayoutAnalyzer::buildLines(QList<TextSpan> words)
{
    // Left to right, so each word meets every line at that line's right end.
    std::sort(words.begin(), words.end(), [](const TextSpan &a, const TextSpan &b) {
        return a.bbox.left() != b.bbox.left() ? a.bbox.left() < b.bbox.left()
                                              : a.bbox.center().y() < b.bbox.center().y();
    });
    QList<TextLine> lines;
    for (const TextSpan &word : std::as_const(words)) {
        addToNearest(
            lines,
            [&](const TextLine &line) -> std::optional<double> {
                if (!fitsLine(line, word))
                    return std::nullopt;
                return word.bbox.left() - line.spans.constLast().bbox.right();
            },
            [&](TextLine &line) {
                line.bbox = line.spans.isEmpty() ? word.bbox : line.bbox.united(word.bbox);
                line.spans.append(word);
            });
    }
    lines = splitAtGutters(lines);
    for (TextLine &line : lines) {
        // Right-to-left text arrives in visual order, each word's letters too:
        // readers and search want logical order.
        const bool rightToLeft = isRightToLeft(line.text());
        if (rightToLeft) {
            std::reverse(line.spans.begin(), line.spans.end());
            for (TextSpan &span : line.spans)
                if (isRightToLeft(span.text))
                    std::reverse(span.text.begin(), span.text.end());
        }
        // Spaces from geometry: scripts without spaces (CJK) keep none.
        for (qsizetype i = 0; i + 1 < line.spans.size(); ++i) {
            const QRectF &current = line.spans[i].bbox;
            const QRectF &next = line.spans[i + 1].bbox;
            const double gap = rightToLeft ? current.left() - next.right() : next.left() - current.right();
            line.spans[i].spaceAfter = gap > 0.12 * qMax(line.spans[i].fontSize, 1.0);
        }
        if (!line.spans.isEmpty())
            line.spans.last().spaceAfter = false;
    }
    return lines;
}

void LayoutAnalyzer::analyze(QList<PageLayout> &pages, const QList<OutlineEntry> &outline) const
{
    const double bodySize = bodyFontSize(pages);
    QHash<QString, int> outlineLevels;
    for (const OutlineEntry &entry : outline)
        outlineLevels.insert(headingKey(entry.title), entry.level);

    for (PageLayout &page : pages) {
        // Tesseract's own page analysis orders scanned pages better than
        // geometry can from its noisier boxes.
        if (page.method != ExtractionMethod::Ocr)
            page.blocks = inReadingOrder(groupLines(page.lines) + page.regions);
        else
            page.blocks = withRegions(splitAtListItems(page.blocks), page.regions);
        page.regions.clear();
    }
    markFurniture(pages, bodySize);
    for (PageLayout &page : pages)
        attachCaptions(page);

    // Heading candidates; their levels need every page's sizes.
    QList<int> headingSizes;
    for (PageLayout &page : pages)
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Text)
                continue;
            const auto declared = outlineLevels.constFind(headingKey(block.text()));
            if (declared != outlineLevels.cend() && !declared.key().isEmpty()) {
                block.type = BlockType::Title;
                block.headingLevel = qMin(6, declared.value());
                continue;
            }
            const bool shortBlock = block.lines.size() <= kMaxHeadingLines
                && block.characterCount() <= kMaxHeadingCharacters;
            if (startsListItem(block.lines.first())) {
                // "(1) Scope" alone on its line in type larger than the body
                // is a numbered subheading, not a list of one item.
                block.type = isEnumeratedSubheading(block, bodySize) ? BlockType::Title : BlockType::List;
                if (block.type == BlockType::Title && !headingSizes.contains(sizeKey(block.fontSize())))
                    headingSizes.append(sizeKey(block.fontSize()));
                continue;
            }
            if (!shortBlock || bodySize <= 0 || isListMarker(block.lines.first().spans.first().text))
                continue;
            if (isMonospaced(block))
                continue; // code listings are set in bold and large type too
            const double size = block.fontSize();
            const QString text = block.text().trimmed();
            const bool hasLetters = std::any_of(text.cbegin(), text.cend(), [](QChar c) { return c.isLetter(); });
            if (!hasLetters)
                continue;
            if (size >= bodySize * kHeadingSizeRatio) {
                block.type = BlockType::Title;
                if (!headingSizes.contains(sizeKey(size)))
                    headingSizes.append(sizeKey(size));
            } else if (block.lines.size() == 1 && size >= bodySize - 0.6 && !text.endsWith(QLatin1Char('.'))
                       && !text.endsWith(QLatin1Char(':'))) {
                const TextLine &line = block.lines.first();
                if (line.isBold() || (line.isItalic() && line.spans.size() <= 8 && isTitleCase(line.spans)))
                    block.type = BlockType::Title;
            }
        }

    // Numbered headings take their level from the numbering ("4.2" is below
    // "4"), one below an unnumbered title set larger than all of them.
    double largestNumbered = 0, largestUnnumbered = 0;
    for (const PageLayout &page : std::as_const(pages))
        for (const TextBlock &block : page.blocks)
            if (block.type == BlockType::Title && block.headingLevel == 0) {
                double &largest = numberingDepth(block.text()) > 0 ? largestNumbered : largestUnnumbered;
                largest = qMax(largest, block.fontSize());
            }
    const int numberedOffset = largestNumbered > 0 && largestUnnumbered > largestNumbered + 0.6 ? 1 : 0;

    for (PageLayout &page : pages)
        splitRunInHeadings(page.blocks);

    std::sort(headingSizes.begin(), headingSizes.end(), std::greater<int>());
    const int boldLevel = qMin(6, static_cast<int>(headingSizes.size()) + 1);
    for (PageLayout &page : pages)
        for (TextBlock &block : page.blocks) {
            if (block.type != BlockType::Title || block.headingLevel > 0)
                continue;
            const int depth = numberingDepth(block.text());
            const int rank = static_cast<int>(headingSizes.indexOf(sizeKey(block.fontSize())));
            if (depth > 0)
                block.headingLevel = qMin(6, depth + numberedOffset);
            else
                block.headingLevel = rank >= 0 ? qMin(6, rank + 1) : boldLevel;
        }
    // The blocks hold every line now; keep one copy of a long document.
    for (PageLayout &page : pages)
        page.lines.clear();
}

} // namespace DocRay
