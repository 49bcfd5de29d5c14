#include "app/gui/previewpanel.h"

#include "app/gui/pagepreview.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QRegularExpression>
#include <QScrollBar>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTextBrowser>
#include <QToolButton>
#include <QVBoxLayout>

namespace DocRay {

namespace {

// Serves the result's images (images/x.png) to the rendered markdown, scaled
// down to the view's width so a page-wide figure does not need a scroll bar.
class MarkdownView final : public QTextBrowser
{
public:
    using QTextBrowser::QTextBrowser;

    void setImages(const QMap<QString, QImage> &images) { m_images = images; }

    QVariant loadResource(int type, const QUrl &name) override
    {
        if (type == QTextDocument::ImageResource) {
            const auto it = m_images.constFind(name.toString());
            if (it != m_images.constEnd()) {
                const int width = viewport()->width() - 24;
                if (width > 0 && it->width() > width)
                    return it->scaledToWidth(width, Qt::SmoothTransformation);
                return *it;
            }
        }
        return QTextBrowser::loadResource(type, name);
    }

private:
    QMap<QString, QImage> m_images;
};

// The words of a block as they read in both the rendered and the raw markdown.
QString searchSnippet(const QString &markdown)
{
    QString line = markdown.section(QLatin1Char('\n'), 0, 0);
    static const QRegularExpression marker(QStringLiteral("^(#+|[-*+]|\\d+[.)])\\s+"));
    line.remove(marker);
    line = line.simplified();
    if (line.size() > 48)
        line = line.left(48).section(QLatin1Char(' '), 0, -2);
    return line;
}

QString legend()
{
    const struct {
        const char *color;
        QString name;
    } entries[] = { { "#3d7ed6", PreviewPanel::tr("title") }, { "#2ea05a", PreviewPanel::tr("text") },
        { "#e08a1e", PreviewPanel::tr("list") }, { "#8c8c8c", PreviewPanel::tr("header/footer") } };
    QStringList parts;
    for (const auto &entry : entries)
        parts.append(QStringLiteral("<span style=\"color:%1\">&#9632;</span>&nbsp;%2")
                         .arg(QLatin1String(entry.color), entry.name));
    return parts.join(QStringLiteral("&nbsp;&nbsp; "));
}

} // namespace

PreviewPanel::PreviewPanel(QWidget *parent)
    : QWidget(parent)
    , m_page(new PagePreview(this))
    , m_previous(new QToolButton(this))
    , m_next(new QToolButton(this))
    , m_pageNumber(new QSpinBox(this))
    , m_pageCount(new QLabel(this))
    , m_blocks(new QCheckBox(tr("Blocks"), this))
    , m_blockMarkdown(new QLabel(this))
    , m_tabs(new QTabWidget(this))
    , m_rendered(new MarkdownView(this))
    , m_raw(new QPlainTextEdit(this))
    , m_json(new QPlainTextEdit(this))
{
    m_previous->setArrowType(Qt::LeftArrow);
    m_previous->setToolTip(tr("Previous page (Ctrl+Page Up)"));
    m_next->setArrowType(Qt::RightArrow);
    m_next->setToolTip(tr("Next page (Ctrl+Page Down)"));
    m_pageNumber->setPrefix(tr("Page "));
    m_pageNumber->setKeyboardTracking(false);
    m_pageNumber->setObjectName(QStringLiteral("pageNumber"));
    m_blocks->setChecked(true);
    m_blocks->setToolTip(tr("Outline the detected blocks by type (Ctrl+B)"));
    auto *legendLabel = new QLabel(legend(), this);
    legendLabel->setTextFormat(Qt::RichText);

    auto *nav = new QHBoxLayout;
    nav->setContentsMargins(4, 2, 4, 2);
    nav->addWidget(m_previous);
    nav->addWidget(m_pageNumber);
    nav->addWidget(m_pageCount);
    nav->addWidget(m_next);
    nav->addSpacing(16);
    nav->addWidget(m_blocks);
    nav->addSpacing(8);
    nav->addWidget(legendLabel);
    nav->addStretch(1);

    m_blockMarkdown->setObjectName(QStringLiteral("blockMarkdown"));
    m_blockMarkdown->setWordWrap(true);
    m_blockMarkdown->setTextFormat(Qt::PlainText);
    m_blockMarkdown->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_blockMarkdown->setFrameShape(QFrame::StyledPanel);
    m_blockMarkdown->setMargin(6);
    m_blockMarkdown->setMaximumHeight(96);
    m_blockMarkdown->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    const QFont mono = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_blockMarkdown->setFont(mono);

    auto *left = new QWidget(this);
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_page, 1);
    leftLayout->addWidget(m_blockMarkdown);

    m_rendered->setObjectName(QStringLiteral("renderedMarkdown"));
    m_rendered->setOpenExternalLinks(true);
    m_raw->setObjectName(QStringLiteral("rawMarkdown"));
    m_json->setObjectName(QStringLiteral("jsonView"));
    for (QPlainTextEdit *edit : { m_raw, m_json }) {
        edit->setReadOnly(true);
        edit->setFont(mono);
        edit->setLineWrapMode(QPlainTextEdit::NoWrap);
    }
    m_raw->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_tabs->addTab(m_rendered, tr("Markdown"));
    m_tabs->addTab(m_raw, tr("Raw markdown"));
    m_tabs->addTab(m_json, tr("JSON"));

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(left);
    split->addWidget(m_tabs);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 1);
    split->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(nav);
    layout->addWidget(split, 1);

    connect(m_previous, &QToolButton::clicked, this, &PreviewPanel::previousPage);
    connect(m_next, &QToolButton::clicked, this, &PreviewPanel::nextPage);
    connect(m_pageNumber, &QSpinBox::valueChanged, this, [this](int value) { m_page->setPage(value - 1); });
    connect(m_blocks, &QCheckBox::toggled, m_page, &PagePreview::setBlocksVisible);
    connect(m_page, &PagePreview::pageChanged, this, &PreviewPanel::onPageChanged);
    connect(m_page, &PagePreview::blockClicked, this, &PreviewPanel::onBlockClicked);
    showMessage(tr("Select a job to see its pages and markdown."));
}

void PreviewPanel::showMessage(const QString &reason)
{
    m_result = JobResultData();
    m_page->clear(reason);
    static_cast<MarkdownView *>(m_rendered)->setImages({});
    m_rendered->clear();
    m_rendered->setPlaceholderText(reason);
    m_raw->clear();
    m_json->clear();
    m_blockMarkdown->setText(tr("Click a block on the page to see its markdown."));
}

void PreviewPanel::setResult(const JobResultData &result)
{
    m_result = result;
    static_cast<MarkdownView *>(m_rendered)->setImages(result.images);
    m_rendered->setMarkdown(result.markdown);
    m_raw->setPlainText(result.markdown);
    m_json->setPlainText(result.prettyJson);
    m_blockMarkdown->setText(tr("Click a block on the page to see its markdown."));
    m_page->setDocument(result.pdfData, result.pages);
    if (result.pages.isEmpty())
        m_page->clear(tr("This result has no pages to show."));
}

QString PreviewPanel::renderedMarkdownText() const
{
    return m_rendered->toPlainText();
}

QString PreviewPanel::blockMarkdown() const
{
    return m_blockMarkdown->text();
}

void PreviewPanel::setBlocksVisible(bool visible)
{
    m_blocks->setChecked(visible);
}

void PreviewPanel::nextPage()
{
    m_page->setPage(m_page->page() + 1);
}

void PreviewPanel::previousPage()
{
    m_page->setPage(m_page->page() - 1);
}

void PreviewPanel::onPageChanged(int index, int count)
{
    {
        const QSignalBlocker blocker(m_pageNumber);
        m_pageNumber->setRange(count > 0 ? 1 : 0, qMax(count, 0));
        m_pageNumber->setValue(index + 1);
    }
    m_pageNumber->setEnabled(count > 1);
    m_pageCount->setText(tr("of %1").arg(count));
    m_previous->setEnabled(index > 0);
    m_next->setEnabled(index + 1 < count);
    // The markdown follows the page: scroll to the page's first block.
    if (const PreviewPage *page = m_page->currentPage())
        for (const PreviewBlock &block : page->blocks)
            if (block.type != QLatin1String("discarded") && !searchSnippet(block.markdown).isEmpty()) {
                scrollTo(block.markdown, false);
                break;
            }
}

void PreviewPanel::onBlockClicked(int block)
{
    const PreviewPage *page = m_page->currentPage();
    if (!page || block < 0 || block >= page->blocks.size())
        return;
    const PreviewBlock &clicked = page->blocks.at(block);
    m_blockMarkdown->setText(clicked.type == QLatin1String("discarded")
            ? tr("(header/footer, left out of the markdown) %1").arg(clicked.markdown)
            : clicked.markdown);
    scrollTo(clicked.markdown, true);
}

void PreviewPanel::scrollTo(const QString &markdown, bool selectInRaw)
{
    const QString snippet = searchSnippet(markdown);
    if (snippet.isEmpty())
        return;
    const QTextCursor rendered = m_rendered->document()->find(snippet);
    if (!rendered.isNull()) {
        QTextCursor start = rendered;
        start.setPosition(rendered.selectionStart());
        m_rendered->setTextCursor(start);
        const int top = m_rendered->cursorRect(start).top();
        m_rendered->verticalScrollBar()->setValue(m_rendered->verticalScrollBar()->value() + top - 8);
    }
    const QTextCursor raw = m_raw->document()->find(snippet);
    if (!raw.isNull()) {
        QTextCursor cursor = raw;
        if (!selectInRaw)
            cursor.setPosition(raw.selectionStart());
        m_raw->setTextCursor(cursor);
        m_raw->centerCursor();
    }
}

} // namespace DocRay
