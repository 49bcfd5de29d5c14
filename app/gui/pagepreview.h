#pragma once

#include "app/gui/jobresultdata.h"

#include <QImage>
#include <QThreadPool>
#include <QWidget>

#include <memory>

namespace DocRay {

struct RenderSource;

// One page of a job's PDF with its detected blocks outlined by type. Pages
// are rendered by the engine's PdfPageRenderer on this widget's own
// one-thread pool, so the GUI thread only paints finished images; only that
// thread touches the renderer. Main thread.
class PagePreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PagePreview)

public:
    explicit PagePreview(QWidget *parent = nullptr);
    ~PagePreview() override;

    // `pages` are the parsed pages, in order; navigation walks them.
    void setDocument(const QByteArray &pdf, const QList<PreviewPage> &pages);
    // Empties the preview and says why (the job is queued, failed, ...).
    void clear(const QString &reason);

    int page() const { return m_page; }
    int pageCount() const { return static_cast<int>(m_pages.size()); }
    const PreviewPage *currentPage() const;
    void setPage(int index);
    void setBlocksVisible(bool visible);
    bool blocksVisible() const { return m_blocksVisible; }
    bool hasRenderedPage() const { return !m_image.isNull() && m_imagePage == m_page; }
    // Where a block sits in widget coordinates (for tests and hit-testing).
    QRectF blockRect(int block) const;

    QSize sizeHint() const override { return { 420, 520 }; }

Q_SIGNALS:
    void pageChanged(int index, int count);
    void blockClicked(int block);
    void rendered();

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;

private:
    void requestRender();
    void onRendered(quint64 generation, int page, const QImage &image);
    QRectF pageRect() const;
    QSizeF pageSize() const;

    QThreadPool m_pool;
    std::shared_ptr<RenderSource> m_source;
    QList<PreviewPage> m_pages;
    int m_page = 0;
    bool m_blocksVisible = true;
    int m_selectedBlock = -1;
    quint64 m_generation = 0;
    QImage m_image;
    int m_imagePage = -1;
    QString m_emptyText;
};

} // namespace DocRay
