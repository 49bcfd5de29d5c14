#include "engine/layout/headings.h"

#include "engine/layout/textpatterns.h"

#include <QHash>
#include <QRegularExpression>

#include <algorithm>

namespace DocRay {

namespace {

constexpr double kHeadingSizeRatio = 1.1;
constexpr int kMaxHeadingCharacters = 160;
constexpr double kMinSubheadingSizeStep = 0.8; // points
constexpr int kMaxHeadingLines = 3;
constexpr double kBodySizeTolerance = 0.6; // points
constexpr double kOcrSizeNoise = 0.12;

bool endsLikeCode(const QString &text)
{
    static const QString openers = QStringLiteral("{[(;");
    return !text.isEmpty() && openers.contains(text.back());
}

int sizeKey(double size)
{
    return qRound(size * 2); // half-point buckets
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
        // A few Title Case words, or an API's name set bold in code.
        const QList<TextSpan> lead = spans.mid(0, run);
        const bool namesCode = std::all_of(lead.cbegin(), lead.cend(), [](const TextSpan &span) { return span.bold && span.monospace; });
        if (!(isTitleCase(lead) || namesCode) || !spans[run].text.at(0).isUpper())
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

// OCR sizes a line from its row, within about a tenth: a line without
// descenders ("Event: 'exit'") measures small, a fragment of a
// paragraph alone on its row ("killed.") can measure large.
bool sizedByOcr(ExtractionMethod method)
{
    return method == ExtractionMethod::Ocr;
}

// Large enough to be a heading by its size alone. Where sizes are OCR's,
// a line within the noise of the threshold must also open like a
// heading: a capital, a figure or a script without case.
bool largeEnoughForHeading(double size, double bodySize, const QString &text, ExtractionMethod method)
{
    if (size < bodySize * kHeadingSizeRatio)
        return false;
    if (!sizedByOcr(method) || size >= bodySize * kHeadingSizeRatio * (1 + kOcrSizeNoise))
        return true;
    const QChar first = text.front();
    return first.isLetterOrNumber() && !first.isLower() && !endsLikeCode(text);
}

// A bold line set at about the body's size.
bool boldHeadingLine(const TextBlock &block, double size, double bodySize, const QString &text, ExtractionMethod method)
{
    const double tolerance = sizedByOcr(method) ? qMax(kBodySizeTolerance, bodySize * kOcrSizeNoise) : kBodySizeTolerance;
    if (block.lines.size() != 1 || size < bodySize - tolerance || text.endsWith(QLatin1Char('.'))
        || text.endsWith(QLatin1Char(':')))
        return false;
    const TextLine &line = block.lines.first();
    return line.isBold() || (line.isItalic() && line.spans.size() <= 8 && isTitleCase(line.spans));
}

QHash<QString, int> outlineLevels(const QList<OutlineEntry> &outline)
{
    QHash<QString, int> levels;
    for (const OutlineEntry &entry : outline)
        levels.insert(headingKey(entry.title), entry.level);
    return levels;
}

void addHeadingSize(double size, QList<int> *headingSizes)
{
    if (!headingSizes->contains(sizeKey(size)))
        headingSizes->append(sizeKey(size));
}

// Types one text block as a heading or a list where it reads as one; the
// sizes of headings found by size go into `headingSizes`.
void typeCandidate(TextBlock &block, const QHash<QString, int> &outlineLevels, double bodySize,
                   ExtractionMethod method, QList<int> *headingSizes)
{
    if (block.type != BlockType::Text)
        return;
    const auto declared = outlineLevels.constFind(headingKey(block.text()));
    if (declared != outlineLevels.cend() && !declared.key().isEmpty()) {
        block.type = BlockType::Title;
        block.headingLevel = qMin(6, declared.value());
        return;
    }
    const bool shortBlock = block.lines.size() <= kMaxHeadingLines
        && block.characterCount() <= kMaxHeadingCharacters;
    if (startsListItem(block.lines.first())) {
        // "(1) Scope" alone on its line in type larger than the body
        // is a numbered subheading, not a list of one item.
        block.type = isEnumeratedSubheading(block, bodySize) ? BlockType::Title : BlockType::List;
        if (block.type == BlockType::Title)
            addHeadingSize(block.fontSize(), headingSizes);
        return;
    }
    if (!shortBlock || bodySize <= 0 || isListMarker(block.lines.first().spans.first().text))
        return;
    // Code listings are set in bold and large type too: only a name set
    // on its own line or two stays a heading (markCodeBlocks kept it text).
    if (isMonospaced(block) && block.lines.size() > 2)
        return;
    const double size = block.fontSize();
    const QString text = block.text().trimmed();
    // A line that opens a block of code ("try {", "} else {") is none, nor
    // a Chinese sentence.
    if (!containsLetter(text) || endsLikeCode(text) || endsInCjkFullStop(text))
        return;
    if (largeEnoughForHeading(size, bodySize, text, method)) {
        block.type = BlockType::Title;
        addHeadingSize(size, headingSizes);
    } else if (boldHeadingLine(block, size, bodySize, text, method)) {
        block.type = BlockType::Title;
    }
}

// The level each heading size gives, largest first; sizes within a step of
// the one above them (a heading whose code is set a little smaller than its
// words) share its level.
QHash<int, int> levelsBySize(QList<int> headingSizes)
{
    std::sort(headingSizes.begin(), headingSizes.end(), std::greater<int>());
    QHash<int, int> levels;
    int level = 0, levelSize = 0;
    for (int size : std::as_const(headingSizes)) {
        if (level == 0 || levelSize - size >= sizeKey(kMinSubheadingSizeStep)) {
            ++level;
            levelSize = size;
        }
        levels.insert(size, level);
    }
    return levels;
}

} // namespace

void BodySize::count(const PageLayout &page)
{
    for (const TextLine &line : page.lines)
        (line.isMonospace() ? m_codeCharacters : m_characters)[sizeKey(line.fontSize())] += static_cast<int>(line.text().size());
}

double BodySize::size() const
{
    // Prose sets the body size: a manual can hold more code than prose,
    // set smaller, and its paragraphs are no headings for that.
    const QHash<int, int> &characters = m_characters.isEmpty() ? m_codeCharacters : m_characters;
    int best = 0, bestCount = -1;
    for (auto it = characters.cbegin(); it != characters.cend(); ++it)
        if (it.value() > bestCount) {
            best = it.key();
            bestCount = it.value();
        }
    return best / 2.0;
}

HeadingTyper::HeadingTyper(const QList<OutlineEntry> &outline, double bodySize)
    : m_outlineLevels(outlineLevels(outline))
    , m_bodySize(bodySize)
{
}

void HeadingTyper::typePage(PageLayout &page)
{
    for (TextBlock &block : page.blocks)
        typeCandidate(block, m_outlineLevels, m_bodySize, page.method, &m_headingSizes);
    // Numbered headings take their level from the numbering ("4.2" is
    // below "4"), one below an unnumbered title set larger than all of them.
    for (const TextBlock &block : std::as_const(page.blocks))
        if (block.type == BlockType::Title && block.headingLevel == 0) {
            double &largest = numberingDepth(block.text()) > 0 ? m_largestNumbered : m_largestUnnumbered;
            largest = qMax(largest, block.fontSize());
        }
    splitRunInHeadings(page.blocks);
    for (const TextBlock &block : std::as_const(page.blocks))
        if (block.type == BlockType::Title)
            m_deepestDeclared = qMax(m_deepestDeclared, block.headingLevel);
}

void HeadingTyper::levelPage(PageLayout &page)
{
    if (!m_levels) {
        m_levels = levelsBySize(m_headingSizes);
        m_numberedOffset = m_largestNumbered > 0 && m_largestUnnumbered > m_largestNumbered + 0.6 ? 1 : 0;
        // Bold headings at the body's size go below every level the sizes
        // and the outline give.
        int deepest = m_deepestDeclared;
        for (int level : std::as_const(*m_levels))
            deepest = qMax(deepest, level);
        m_boldLevel = qMin(6, deepest + 1);
    }
    for (TextBlock &block : page.blocks) {
        if (block.type != BlockType::Title || block.headingLevel > 0)
            continue;
        const int depth = numberingDepth(block.text());
        const int level = m_levels->value(sizeKey(block.fontSize()), 0);
        if (depth > 0)
            block.headingLevel = qMin(6, depth + m_numberedOffset);
        else
            block.headingLevel = level > 0 ? qMin(6, level) : m_boldLevel;
    }
}

} // namespace DocRay
