#include "app/gui/pagepreview.h"

#include "engine/pdf/pagerenderer.h"

#include <QMouseEvent>
#include <QMutex>
#include <QPainter>
#include <QPainterPath>

namespace DocRay {

// The job's PDF, opened by the engine's renderer on first use. Shared with
// render tasks so a task outlives a document switch safely.
struct RenderSource {
    explicit RenderSource(const QByteArray &pdf)
        : renderer(pdf)
    {
    }
    QMutex mutex; // guards renderer: it is not thread-safe
    PdfPageRenderer renderer;
};

namespace {

QColor colorFor(const QString &type)
{
    if (type == QLatin1String("title"))
        return QColor(0x3d, 0x7e, 0xd6);
    if (type == QLatin1String("list"))
        return QColor(0xe0, 0x8a, 0x1e);
    if (type == QLatin1String("discarded"))
        return QColor(0x8c, 0x8c, 0x8c);
    if (type == QLatin1String("table"))
        return QColor(0xb0, 0x4a, 0xc8);
    if (type == QLatin1String("image"))
        return QColor(0xd6, 0x45, 0x45);
    return QColor(0x2e, 0xa0, 0x5a);
}

QImage renderPage(RenderSource &source, int pageIndex, const QSize &target)
{
    QMutexLocker locker(&source.mutex);
    return source.renderer.renderToFit(pageIndex, target);
}

} // namespace

PagePreview::PagePreview(QWidget *parent)
    : QWidget(parent)
{
    m_pool.setObjectName(QStringLiteral("docray-preview"));
    m_pool.setMaxThreadCount(1);
    setMinimumSize(200, 240);
    setCursor(Qt::PointingHandCursor);
    setAutoFillBackground(true);
    setBackgroundRole(QPalette::Mid);
    m_emptyText = tr("Select a job to see its pages.");
}

PagePreview::~PagePreview()
{
    m_pool.clear();
    m_pool.waitForDone();
}

void PagePreview::setDocument(const QByteArray &pdf, const QList<PreviewPage> &pages)
{
    m_source = std::make_shared<RenderSource>(pdf);
    m_pages = pages;
    m_page = 0;
    m_selectedBlock = -1;
    m_image = QImage();
    m_imagePage = -1;
    requestRender();
    update();
    Q_EMIT pageChanged(m_page, pageCount());
}

void PagePreview::clear(const QString &reason)
{
    m_emptyText = reason;
    m_source.reset();
    m_pages.clear();
    m_page = 0;
    m_selectedBlock = -1;
    m_image = QImage();
    m_imagePage = -1;
    ++m_generation;
    update();
    Q_EMIT pageChanged(0, 0);
}

const PreviewPage *PagePreview::currentPage() const
{
    return m_page < m_pages.size() ? &m_pages.at(m_page) : nullptr;
}

void PagePreview::setPage(int index)
{
    index = qBound(0, index, qMax(0, pageCount() - 1));
    if (index == m_page)
        return;
    m_page = index;
    m_selectedBlock = -1;
    requestRender();
    update();
    Q_EMIT pageChanged(m_page, pageCount());
}

void PagePreview::setBlocksVisible(bool visible)
{
    m_blocksVisible = visible;
    update();
}

QSizeF PagePreview::pageSize() const
{
    if (const PreviewPage *page = currentPage(); page && !page->size.isEmpty())
        return page->size;
    if (!m_image.isNull())
        return m_image.size();
    return QSizeF(595, 842);
}

QRectF PagePreview::pageRect() const
{
    const QRectF area = QRectF(rect()).adjusted(10, 10, -10, -10);
    QSizeF size = pageSize();
    size.scale(area.size(), Qt::KeepAspectRatio);
    return QRectF(area.center() - QPointF(size.width() / 2, size.height() / 2), size);
}

QRectF PagePreview::blockRect(int block) const
{
    const PreviewPage *page = currentPage();
    if (!page || block < 0 || block >= page->blocks.size() || page->size.isEmpty())
        return {};
    const QRectF target = pageRect();
    const double scale = target.width() / page->size.width();
    const QRectF box = page->blocks.at(block).bbox;
    return QRectF(target.topLeft() + box.topLeft() * scale, box.size() * scale);
}

void PagePreview::requestRender()
{
    const PreviewPage *page = currentPage();
    if (!m_source || !page)
        return;
    const quint64 generation = ++m_generation;
    const QSize target = (pageRect().size() * devicePixelRatioF()).toSize();
    if (target.isEmpty())
        return;
    m_pool.clear(); // a newer request makes any waiting one pointless
    m_pool.start([this, source = m_source, generation, index = m_page, pdfPage = page->pageIndex, target] {
        const QImage image = renderPage(*source, pdfPage, target);
        QMetaObject::invokeMethod(
            this, [this, generation, index, image] { onRendered(generation, index, image); },
            Qt::QueuedConnection);
    });
}

void PagePreview::onRendered(quint64 generation, int page, const QImage &image)
{
    if (generation != m_generation)
        return;
    m_image = image;
    m_image.setDevicePixelRatio(devicePixelRatioF());
    m_imagePage = page;
    update();
    Q_EMIT rendered();
}

void PagePreview::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    if (!currentPage()) {
        painter.setPen(palette().color(QPalette::WindowText));
        painter.drawText(
            QRectF(rect()).adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        return;
    }
    const QRectF target = pageRect();
    painter.fillRect(target, Qt::white);
    if (m_imagePage == m_page && !m_image.isNull()) {
        painter.setRenderHint(QPainter::SmoothPixmapTransform);
        painter.drawImage(target, m_image);
    } else {
        painter.setPen(Qt::darkGray);
        painter.drawText(target, Qt::AlignCenter, tr("Rendering page %1…").arg(m_page + 1));
    }
    if (!m_blocksVisible)
        return;
    const PreviewPage &page = *currentPage();
    for (int i = 0; i < page.blocks.size(); ++i) {
        const QRectF box = blockRect(i).adjusted(-2, -2, 2, 2);
        QColor color = colorFor(page.blocks.at(i).type);
        const bool selected = i == m_selectedBlock;
        painter.setPen(QPen(color, selected ? 2.5 : 1.2));
        color.setAlpha(selected ? 70 : 28);
        painter.setBrush(color);
        painter.drawRect(box);
    }
}

void PagePreview::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    requestRender();
}

void PagePreview::mousePressEvent(QMouseEvent *event)
{
    const PreviewPage *page = currentPage();
    if (!page || event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    // The smallest block under the cursor: list items sit inside their list.
    int hit = -1;
    double hitArea = 0;
    for (int i = 0; i < page->blocks.size(); ++i) {
        const QRectF box = blockRect(i).adjusted(-2, -2, 2, 2);
        const double area = box.width() * box.height();
        if (box.contains(event->position()) && (hit < 0 || area < hitArea)) {
            hit = i;
            hitArea = area;
        }
    }
    m_selectedBlock = hit;
    update();
    if (hit >= 0)
        Q_EMIT blockClicked(hit);
}

} // namespace DocRay
