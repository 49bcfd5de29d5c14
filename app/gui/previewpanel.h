#pragma once

#include "app/gui/jobresultdata.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QSpinBox;
class QTabWidget;
class QTextBrowser;
class QToolButton;

namespace DocRay {

class PagePreview;

// The selected job, side by side: its page with the detected blocks (left)
// and its markdown, rendered and raw, and middle JSON (right), under one page
// navigation that moves both sides. Holds the loaded result. Main thread.
class PreviewPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreviewPanel)

public:
    explicit PreviewPanel(QWidget *parent = nullptr);

    // No result to show; `reason` says why (queued, running, failed, nothing selected).
    void showMessage(const QString &reason);
    void setResult(const JobResultData &result);
    const JobResultData &result() const { return m_result; }

    PagePreview *pagePreview() const { return m_page; }
    QString renderedMarkdownText() const;
    QString blockMarkdown() const;
    void setBlocksVisible(bool visible);
    void nextPage();
    void previousPage();

private:
    void onPageChanged(int index, int count);
    void onBlockClicked(int block);
    void scrollTo(const QString &markdown, bool selectInRaw);

    JobResultData m_result;
    PagePreview *m_page;
    QToolButton *m_previous;
    QToolButton *m_next;
    QSpinBox *m_pageNumber;
    QLabel *m_pageCount;
    QCheckBox *m_blocks;
    QLabel *m_blockMarkdown;
    QTabWidget *m_tabs;
    QTextBrowser *m_rendered;
    QPlainTextEdit *m_raw;
    QPlainTextEdit *m_json;
};

} // namespace DocRay
