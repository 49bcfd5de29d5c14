#include "engine/typeset/typesetter.h"

#include "engine/layout/captions.h"
#include "engine/layout/textpatterns.h"

#include <QAbstractTextDocumentLayout>
#include <QBuffer>
#include <QFont>
#include <QGlyphRun>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QRawFont>
#include <QTextBlock>
#include <QTextCursor>
#include <QTextDocument>
#include <QTextFrame>
#include <QTextLayout>
#include <QTextList>
#include <QTextTable>

#include <cmath>

namespace DocRay {

namespace {

// A4 in points with 20 mm margins; the layout runs at 72 dpi so its units
// are the PDF's points.
const QSizeF kPageSize = QPageSize(QPageSize::A4).size(QPageSize::Point);
constexpr double kMargin = 20 / 25.4 * 72;
constexpr double kCssPixel = 72.0 / 96.0; // a picture's pixel, laid out as on screen

// Loads only the pictures the reader handed over: a document that names
// "/home/user/photo.png" or "file:///etc/..." gets nothing from the disk.
class SealedDocument final : public QTextDocument
{
protected:
    QVariant loadResource(int, const QUrl &) override { return {}; }
};

// Pictures the document has become its resources, sized to fit the text
// column; references to anything else are taken out rather than drawn as a
// broken-image icon.
void placePictures(QTextDocument &document, const QMap<QString, QByteArray> &images)
{
    const double maxWidth = kPageSize.width() - 2 * kMargin;
    const double maxHeight = kPageSize.height() - 2 * kMargin - 24;
    QList<QPair<int, int>> unknown; // (position, length) of references to drop
    for (QTextBlock block = document.begin(); block.isValid(); block = block.next()) {
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().isImageFormat())
                continue;
            QTextImageFormat format = fragment.charFormat().toImageFormat();
            const QImage image = QImage::fromData(images.value(format.name()));
            if (image.isNull()) {
                unknown.append({fragment.position(), fragment.length()});
                continue;
            }
            document.addResource(QTextDocument::ImageResource, QUrl(format.name()), image);
            // The layout takes a picture's size in CSS pixels.
            QSizeF size = image.size();
            size.scale(size.boundedTo(QSizeF(maxWidth, maxHeight) / kCssPixel), Qt::KeepAspectRatio);
            format.setWidth(size.width());
            format.setHeight(size.height());
            QTextCursor cursor(&document);
            cursor.setPosition(fragment.position());
            cursor.setPosition(fragment.position() + fragment.length(), QTextCursor::KeepAnchor);
            cursor.setCharFormat(format);
        }
    }
    for (auto it = unknown.crbegin(); it != unknown.crend(); ++it) {
        QTextCursor cursor(&document);
        cursor.setPosition(it->first);
        cursor.setPosition(it->first + it->second, QTextCursor::KeepAnchor);
        cursor.removeSelectedText();
    }
}

bool isCode(const QTextBlock &block)
{
    const QTextBlockFormat format = block.blockFormat();
    if (format.hasProperty(QTextFormat::BlockCodeFence) || format.hasProperty(QTextFormat::BlockCodeLanguage))
        return true;
    if (!format.nonBreakableLines() || block.text().isEmpty())
        return false;
    for (auto it = block.begin(); !it.atEnd(); ++it)
        if (it.fragment().isValid() && !it.fragment().charFormat().fontFixedPitch())
            return false;
    return true;
}

// The document's blocks, walked in order, handed to the pages they sit on.
class PageModelBuilder
{
public:
    PageModelBuilder(const QTextDocument &document, bool isMarkdown)
        : m_layout(document.documentLayout()), m_isMarkdown(isMarkdown)
    {
        for (int i = 0; i < document.pageCount(); ++i) {
            PageLayout page;
            page.pageIndex = i;
            page.size = kPageSize;
            m_pages.append(page);
        }
        walk(document.rootFrame());
    }

    QList<PageLayout> pages() && { return std::move(m_pages); }

private:
    // Consecutive parts with the same key (the items of a list, the lines
    // of a code block or of a plain-text paragraph) become one block.
    enum class Merge { None, List, Code, Paragraph };

    void walk(QTextFrame *frame)
    {
        for (auto it = frame->begin(); !it.atEnd(); ++it) {
            if (QTextFrame *child = it.currentFrame()) {
                m_lastMerge = Merge::None;
                if (auto *table = qobject_cast<QTextTable *>(child))
                    addTable(*table);
                else
                    walk(child);
            } else {
                addBlock(it.currentBlock());
            }
        }
    }

    int pageOf(double y) const
    {
        return qBound(0, static_cast<int>(std::floor(y / kPageSize.height())), int(m_pages.size()) - 1);
    }

    QRectF onPage(const QRectF &box, int page) const { return box.translated(0, -page * kPageSize.height()); }

    void addBlock(const QTextBlock &block)
    {
        const QPointF origin = m_layout->blockBoundingRect(block).topLeft();
        TextBlock shape;
        Merge merge = Merge::None;
        if (const int level = block.blockFormat().headingLevel(); level > 0) {
            shape.type = BlockType::Title;
            shape.headingLevel = qMin(level, 6);
        } else if (block.textList()) {
            shape.type = BlockType::List;
            merge = Merge::List;
        } else if (isCode(block)) {
            shape.type = BlockType::Code;
            merge = Merge::Code;
        } else if (!m_isMarkdown) {
            merge = Merge::Paragraph;
        }
        const QList<TextLine> lines = linesOf(block, origin);
        for (qsizetype i = 0; i < lines.size(); ++i)
            append(shape, lines[i], i > 0 || (merge != Merge::None && m_lastMerge == merge));
        m_lastMerge = lines.isEmpty() ? Merge::None : merge;
        addPictures(block, origin);
    }

    // One line at a time, so a block that runs over a page break is cut
    // into a part on each page.
    void append(const TextBlock &shape, TextLine line, bool continuesBlock)
    {
        const int page = pageOf(line.bbox.center().y());
        line.bbox = onPage(line.bbox, page);
        for (TextSpan &span : line.spans)
            span.bbox = onPage(span.bbox, page);
        QList<TextBlock> &blocks = m_pages[page].blocks;
        if (!continuesBlock || page != m_lastPage || blocks.isEmpty() || blocks.last().type != shape.type) {
            blocks.append(shape);
            blocks.last().bbox = line.bbox;
        }
        blocks.last().lines.append(line);
        blocks.last().bbox = blocks.last().bbox.united(line.bbox);
        m_lastPage = page;
    }

    QList<TextLine> linesOf(const QTextBlock &block, const QPointF &origin) const
    {
        QList<TextLine> lines;
        const QTextLayout *layout = block.layout();
        for (int i = 0; layout && i < layout->lineCount(); ++i) {
            const QTextLine line = layout->lineAt(i);
            TextLine textLine;
            textLine.bbox = line.naturalTextRect().translated(origin);
            textLine.spans = spansOf(block, line, origin);
            if (textLine.spans.isEmpty())
                continue;
            if (i == 0 && block.textList())
                textLine.spans.prepend(listMarker(block, textLine));
            lines.append(textLine);
        }
        return lines;
    }

    // One span per run of one format within the line.
    QList<TextSpan> spansOf(const QTextBlock &block, const QTextLine &line, const QPointF &origin) const
    {
        QList<TextSpan> spans;
        const QString text = block.text();
        const QRectF lineBox = line.naturalTextRect().translated(origin);
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || fragment.charFormat().isImageFormat())
                continue;
            const int start = fragment.position() - block.position();
            const int from = qMax(start, line.textStart());
            const int to = qMin(start + fragment.length(), line.textStart() + line.textLength());
            if (from >= to)
                continue;
            QString raw = text.mid(from, to - from);
            raw.replace(QChar::LineSeparator, QLatin1Char(' ')).replace(QChar::ObjectReplacementCharacter, QLatin1Char(' '));
            int leading = 0;
            while (leading < raw.size() && raw.at(leading).isSpace())
                ++leading;
            const QString content = raw.trimmed();
            if (content.isEmpty()) {
                if (!spans.isEmpty())
                    spans.last().spaceAfter = true;
                continue;
            }
            if (leading > 0 && !spans.isEmpty())
                spans.last().spaceAfter = true;
            const double left = line.cursorToX(from + leading);
            const double right = line.cursorToX(from + leading + int(content.size()));
            TextSpan span;
            span.text = content;
            span.bbox = QRectF(QPointF(origin.x() + qMin(left, right), lineBox.top()),
                               QPointF(origin.x() + qMax(left, right), lineBox.bottom()));
            span.spaceAfter = raw.back().isSpace();
            describeFont(span, line, from + leading, int(content.size()), fragment.charFormat());
            spans.append(span);
        }
        return spans;
    }

    static void describeFont(TextSpan &span, const QTextLine &line, int from, int length, const QTextCharFormat &format)
    {
        const QList<QGlyphRun> runs = line.glyphRuns(from, length);
        if (!runs.isEmpty()) {
            const QRawFont font = runs.first().rawFont();
            span.fontSize = font.pixelSize();
            span.fontName = font.familyName();
            span.bold = font.weight() >= QFont::DemiBold;
            span.italic = font.style() != QFont::StyleNormal;
            span.monospace = isMonospaceFont(span.fontName);
        }
        span.bold = span.bold || format.fontWeight() >= QFont::DemiBold;
        span.italic = span.italic || format.fontItalic();
    }

    static TextSpan listMarker(const QTextBlock &block, const TextLine &firstLine)
    {
        const QTextList *list = block.textList();
        const bool bullet = list->format().style() == QTextListFormat::ListDisc
            || list->format().style() == QTextListFormat::ListCircle || list->format().style() == QTextListFormat::ListSquare;
        const QString marker = bullet ? QStringLiteral("•") : list->itemText(block);
        const TextSpan &first = firstLine.spans.first();
        TextSpan span = first;
        span.text = marker;
        const double width = first.fontSize * 0.6 * marker.size();
        span.bbox = QRectF(first.bbox.left() - width - first.fontSize * 0.5, first.bbox.top(), width, first.bbox.height());
        span.spaceAfter = true;
        span.bold = span.italic = false;
        return span;
    }

    // Pictures sit on the baseline of their line, at the size
    // placePictures() gave them.
    void addPictures(const QTextBlock &block, const QPointF &origin)
    {
        const QTextLayout *layout = block.layout();
        for (auto it = block.begin(); !it.atEnd(); ++it) {
            const QTextFragment fragment = it.fragment();
            if (!fragment.isValid() || !fragment.charFormat().isImageFormat())
                continue;
            const QTextImageFormat format = fragment.charFormat().toImageFormat();
            const int position = fragment.position() - block.position();
            const QTextLine line = layout->lineForTextPosition(position);
            if (!line.isValid())
                continue;
            const QSizeF size = QSizeF(format.width(), format.height()) * kCssPixel;
            const double baseline = line.y() + line.ascent();
            const QRectF box = QRectF(QPointF(line.cursorToX(position), baseline - size.height()), size).translated(origin);
            TextBlock figure;
            figure.type = BlockType::Figure;
            const int page = pageOf(box.center().y());
            figure.bbox = onPage(box, page);
            figure.imageName = format.name().mid(int(qstrlen("images/")));
            m_pages[page].blocks.append(figure);
            m_lastMerge = Merge::None;
        }
    }

    QRectF cellBox(const QTextTableCell &cell) const
    {
        QRectF box;
        for (auto it = cell.begin(); !it.atEnd(); ++it)
            if (const QTextBlock block = it.currentBlock(); block.isValid())
                box = box.united(m_layout->blockBoundingRect(block));
        return box;
    }

    static QString cellText(const QTextTableCell &cell)
    {
        QStringList parts;
        for (auto it = cell.begin(); !it.atEnd(); ++it)
            if (const QTextBlock block = it.currentBlock(); block.isValid() && !block.text().trimmed().isEmpty())
                parts.append(block.text().simplified());
        return parts.join(QLatin1Char(' '));
    }

    // A table keeps its grid; rows that fall on the next page become a
    // table of their own there, as a reader sees it.
    void addTable(const QTextTable &table)
    {
        QMap<int, TextBlock> parts; // page -> the rows on it
        QMap<int, int> firstRow;
        for (int row = 0; row < table.rows(); ++row) {
            for (int column = 0; column < table.columns(); ++column) {
                const QTextTableCell cell = table.cellAt(row, column);
                if (cell.row() != row || cell.column() != column)
                    continue;
                const QRectF box = cellBox(cell);
                const int page = pageOf(box.top() + 1);
                TextBlock &part = parts[page];
                if (!firstRow.contains(page))
                    firstRow.insert(page, row);
                TableCell tableCell;
                tableCell.row = row - firstRow.value(page);
                tableCell.column = column;
                tableCell.rowSpan = cell.rowSpan();
                tableCell.columnSpan = cell.columnSpan();
                tableCell.bbox = onPage(box, page);
                tableCell.text = cellText(cell);
                part.cells.append(tableCell);
                part.bbox = part.bbox.isNull() ? tableCell.bbox : part.bbox.united(tableCell.bbox);
            }
        }
        for (auto it = parts.begin(); it != parts.end(); ++it) {
            TextBlock &part = it.value();
            part.type = BlockType::Table;
            part.columns = table.columns();
            for (TableCell &cell : part.cells) {
                part.rows = qMax(part.rows, cell.row + 1);
                cell.rowSpan = qMax(1, qMin(cell.rowSpan, table.rows() - firstRow.value(it.key()) - cell.row));
            }
            for (TableCell &cell : part.cells)
                cell.rowSpan = qMin(cell.rowSpan, part.rows - cell.row);
            m_pages[it.key()].blocks.append(part);
        }
        m_lastMerge = Merge::None;
    }

    const QAbstractTextDocumentLayout *m_layout;
    const bool m_isMarkdown;
    QList<PageLayout> m_pages;
    Merge m_lastMerge = Merge::None;
    int m_lastPage = -1;
};

Result<QByteArray> paint(QTextDocument &document, QPdfWriter &writer, const ParseControl &control)
{
    QPainter painter(&writer);
    const int pageCount = document.pageCount();
    for (int page = 0; page < pageCount; ++page) {
        if (control.cancelled())
            return cancelledError();
        if (page > 0)
            writer.newPage();
        painter.save();
        painter.translate(0, -page * kPageSize.height());
        QAbstractTextDocumentLayout::PaintContext context;
        context.clip = QRectF(QPointF(0, page * kPageSize.height()), kPageSize);
        context.palette.setColor(QPalette::Text, Qt::black);
        document.documentLayout()->draw(&painter, context);
        painter.restore();
        control.report(page + 1, pageCount);
    }
    return QByteArray();
}

} // namespace

Result<TypesetDocument> typesetText(const QString &text, bool isMarkdown, const QMap<QString, QByteArray> &images,
                                    int maxPages, const ParseControl &control)
{
    TypesetDocument result;
    QBuffer buffer(&result.pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("doc-ray"));
    writer.setResolution(72);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));

    SealedDocument document;
    document.documentLayout()->setPaintDevice(&writer);
    document.setUseDesignMetrics(true);
    document.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    document.setDocumentMargin(kMargin);
    document.setPageSize(kPageSize);
    // Qt's markdown reader drops an image whose alt text is empty.
    if (isMarkdown)
        document.setMarkdown(QString(text).replace(QStringLiteral("![]("), QStringLiteral("![image](")));
    else
        document.setPlainText(text);
    placePictures(document, images);

    if (document.pageCount() > maxPages)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The document lays out on %1 pages; the limit per job is %2.")
                                                  .arg(document.pageCount())
                                                  .arg(maxPages)};
    if (const Result<QByteArray> painted = paint(document, writer, control); !painted)
        return painted.error();
    result.pages = PageModelBuilder(document, isMarkdown).pages();
    for (PageLayout &page : result.pages)
        attachCaptions(page);
    return result;
}

} // namespace DocRay
