#include "engine/output/documentwriter.h"

#include "engine/layout/pageregions.h"

#include <QHash>
#include <QTransform>

#include <utility>

namespace DocRay {

namespace {

constexpr double kRegionPictureDpi = 144.0;
constexpr double kMaxRegionPicturePixels = 16e6;

QString pictureName(const TextBlock &block, int pageIndex, QHash<BlockType, int> &counts)
{
    static const QHash<BlockType, QString> kinds = {
        {BlockType::Table, QStringLiteral("table")},
        {BlockType::Formula, QStringLiteral("equation")},
        {BlockType::Figure, QStringLiteral("figure")},
    };
    return QStringLiteral("%1_%2_%3.png").arg(pageIndex + 1).arg(kinds.value(block.type)).arg(++counts[block.type]);
}

} // namespace

DocumentWriter::DocumentWriter(const PdfSource &pdf, const QString &password, std::optional<QString> markdown)
    : m_pdf(pdf)
    , m_password(password)
    , m_readersMarkdown(std::move(markdown))
{
}

void DocumentWriter::add(PageLayout &page)
{
    cutPictures(page);
    for (TextBlock &block : page.blocks) {
        if (block.imagePng.isEmpty())
            continue;
        const QString name = QStringLiteral("images/") + block.imageName;
        if (m_pictureSink)
            m_pictureSink(name, std::exchange(block.imagePng, QByteArray()));
        else
            m_document.images.insert(name, block.imagePng);
    }
    // The markdown as the page reads, upright (a listing's indents run along
    // its lines); the middle JSON's boxes on the page as the PDF has it.
    if (!m_readersMarkdown)
        m_markdown.addPage(page);
    page.turnBack();
    m_json.addPage(page);
    ++m_document.pageCount;
    m_document.ocrPages += page.method == ExtractionMethod::Ocr;
}

ParsedDocument DocumentWriter::finish(QByteArray pdfData)
{
    m_document.packedMarkdown = m_readersMarkdown ? pack(m_readersMarkdown->toUtf8()) : m_markdown.finish();
    m_document.packedMiddleJson = m_json.finish();
    m_document.pdfData = std::move(pdfData);
    return std::move(m_document);
}

void DocumentWriter::cutPictures(PageLayout &page)
{
    QHash<BlockType, int> counts;
    for (TextBlock &block : page.blocks) {
        const bool pictured = block.type == BlockType::Table || block.type == BlockType::Formula
            || block.type == BlockType::Figure;
        if (!pictured || !block.imageName.isEmpty())
            continue;
        if (!m_renderer)
            m_renderer.emplace(m_pdf, m_password);
        const QRectF area = block.bbox.adjusted(-2, -2, 2, 2) & QRectF(QPointF(0, 0), page.size);
        QImage picture = m_renderer->renderArea(page.pageIndex, page.boxOnPage(area), kRegionPictureDpi,
                                                kMaxRegionPicturePixels);
        if (picture.isNull())
            continue;
        if (page.quarterTurns != 0) // upright, as the page was read
            picture = picture.transformed(QTransform().rotate(90 * page.quarterTurns));
        block.imageName = pictureName(block, page.pageIndex, counts);
        block.imagePng = toPng(picture);
    }
}

} // namespace DocRay
