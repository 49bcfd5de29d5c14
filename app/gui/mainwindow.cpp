#include "app/gui/mainwindow.h"

#include "engine/documentformat.h"
#include "engine/jobs/jobstatemanager.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QStatusBar>
#include <QTableWidget>
#include <QToolBar>

namespace DocRay {

namespace {

enum Column { FileColumn, StatusColumn, PagesColumn, CreatedColumn, ColumnCount };

} // namespace

MainWindow::MainWindow(JobStateManager *jobs, const QUrl &apiUrl, const QString &apiError,
                       const QString &device, QWidget *parent)
    : QMainWindow(parent)
    , m_jobs(jobs)
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_summary(new QLabel(this))
    , m_device(device)
{
    setWindowTitle(QStringLiteral("doc-ray"));
    setAcceptDrops(true);
    resize(900, 560);

    m_table->setHorizontalHeaderLabels({tr("File"), tr("Status"), tr("Pages"), tr("Submitted")});
    m_table->horizontalHeader()->setSectionResizeMode(FileColumn, QHeaderView::Stretch);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    setCentralWidget(m_table);

    auto *fileMenu = menuBar()->addMenu(tr("&File"));
    auto *openAction = fileMenu->addAction(tr("&Open…"), this, &MainWindow::openFiles);
    openAction->setShortcut(QKeySequence::Open);
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    auto *jobMenu = menuBar()->addMenu(tr("&Job"));
    auto *retryAction = jobMenu->addAction(tr("&Retry"), this, [this] {
        for (const QString &id : selectedIds())
            m_jobs->retry(id);
    });
    retryAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    auto *deleteAction = jobMenu->addAction(tr("&Delete"), this, [this] {
        for (const QString &id : selectedIds())
            m_jobs->remove(id);
    });
    deleteAction->setShortcut(QKeySequence::Delete);

    auto *toolBar = addToolBar(tr("Jobs"));
    toolBar->addAction(openAction);
    toolBar->addAction(retryAction);
    toolBar->addAction(deleteAction);

    m_apiText = apiUrl.isEmpty() ? tr("API off: %1").arg(apiError)
                                 : tr("API: %1").arg(apiUrl.toString());
    statusBar()->addWidget(m_summary, 1);

    connect(m_jobs, &JobStateManager::jobAdded, this, &MainWindow::refreshRow);
    connect(m_jobs, &JobStateManager::jobUpdated, this, &MainWindow::refreshRow);
    connect(m_jobs, &JobStateManager::jobRemoved, this, &MainWindow::removeRow);
    for (const JobRecord &job : m_jobs->jobs())
        refreshRow(job.id);
    refreshSummary();
}

QStringList MainWindow::submitFiles(const QStringList &paths)
{
    QStringList refused;
    for (const QString &path : paths) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly)) {
            refused.append(tr("%1: cannot be read (%2)").arg(path, file.errorString()));
            continue;
        }
        const QByteArray data = file.readAll();
        const QString name = QFileInfo(path).fileName();
        const FormatDetection detection = detectFormat(data, name);
        if (data.isEmpty() || !detection.parseable) {
            refused.append(tr("%1: not a supported document (supported: %2)")
                               .arg(name, supportedExtensions().join(QStringLiteral(", "))));
            continue;
        }
        QString error;
        if (m_jobs->submit(name, data, detection.format, ParserParams(), &error).isEmpty())
            refused.append(tr("%1: %2").arg(name, error));
    }
    if (!refused.isEmpty()) {
        statusBar()->showMessage(tr("%n file(s) refused", nullptr, static_cast<int>(refused.size())), 10000);
        // Not modal: a drop of many files must not stop the window.
        auto *box = new QMessageBox(QMessageBox::Warning, tr("Some files were not added"),
                                    refused.join(QLatin1Char('\n')), QMessageBox::Ok, this);
        box->setAttribute(Qt::WA_DeleteOnClose);
        box->setObjectName(QStringLiteral("refusedFilesMessage"));
        box->open();
    }
    return refused;
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    QStringList paths;
    for (const QUrl &url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    event->acceptProposedAction();
    submitFiles(paths);
}

void MainWindow::openFiles()
{
    QStringList patterns;
    for (const QString &extension : supportedExtensions())
        patterns.append(QLatin1Char('*') + extension);
    const QStringList paths = QFileDialog::getOpenFileNames(
        this, tr("Open documents"), QString(), tr("Documents (%1)").arg(patterns.join(QLatin1Char(' '))));
    submitFiles(paths);
}

int MainWindow::rowOf(const QString &id) const
{
    for (int row = 0; row < m_table->rowCount(); ++row)
        if (m_table->item(row, FileColumn)->data(Qt::UserRole).toString() == id)
            return row;
    return -1;
}

void MainWindow::refreshRow(const QString &id)
{
    const std::optional<JobRecord> job = m_jobs->job(id, false);
    if (!job)
        return;
    int row = rowOf(id);
    if (row < 0) {
        row = m_table->rowCount();
        m_table->insertRow(row);
        for (int column = 0; column < ColumnCount; ++column)
            m_table->setItem(row, column, new QTableWidgetItem);
        m_table->item(row, FileColumn)->setData(Qt::UserRole, id);
    }
    m_table->item(row, FileColumn)->setText(job->fileName);
    QString status = stateName(job->state);
    if (job->state == JobState::Failed)
        status += QStringLiteral(": ") + job->error;
    m_table->item(row, StatusColumn)->setText(status);
    m_table->item(row, StatusColumn)->setToolTip(job->error);
    m_table->item(row, PagesColumn)->setText(
        job->pagesTotal > 0 ? QStringLiteral("%1 / %2").arg(job->pagesDone).arg(job->pagesTotal) : QString());
    m_table->item(row, CreatedColumn)->setText(job->createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
    refreshSummary();
}

void MainWindow::removeRow(const QString &id)
{
    const int row = rowOf(id);
    if (row >= 0)
        m_table->removeRow(row);
    refreshSummary();
}

void MainWindow::refreshSummary()
{
    const JobStateManager::Counts counts = m_jobs->counts();
    m_summary->setText(tr("%1 · device: %2 · %3 queued, %4 running, %5 done, %6 failed")
                           .arg(m_apiText, m_device)
                           .arg(counts.queued)
                           .arg(counts.running)
                           .arg(counts.completed)
                           .arg(counts.failed));
}

QStringList MainWindow::selectedIds() const
{
    QStringList ids;
    const auto rows = m_table->selectionModel()->selectedRows(FileColumn);
    for (const QModelIndex &index : rows)
        ids.append(index.data(Qt::UserRole).toString());
    return ids;
}

} // namespace DocRay
