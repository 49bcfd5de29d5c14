#include "app/gui/mainwindow.h"

#include "app/gui/filesubmitter.h"
#include "app/gui/joblistmodel.h"
#include "app/gui/noticebar.h"
#include "app/gui/previewpanel.h"
#include "app/gui/settingsdialog.h"
#include "engine/core/documentformat.h"
#include "engine/jobs/jobstatemanager.h"

#include <QApplication>
#include <QClipboard>
#include <QDesktopServices>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMimeData>
#include <QPainter>
#include <QSettings>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace DocRay {

namespace {

// The job list; says what to do while it is empty instead of showing a blank grid.
class JobTableView final : public QTableView
{
public:
    using QTableView::QTableView;

protected:
    void paintEvent(QPaintEvent *event) override
    {
        QTableView::paintEvent(event);
        if (model() && model()->rowCount() > 0)
            return;
        QPainter painter(viewport());
        QColor color = palette().color(QPalette::Text);
        color.setAlphaF(0.6f);
        painter.setPen(color);
        painter.drawText(viewport()->rect().adjusted(16, 16, -16, -16), Qt::AlignCenter | Qt::TextWordWrap,
            MainWindow::tr("Drop PDFs, scans, images or text files (or a folder) here,\n"
                           "or use File ▸ Open (Ctrl+O) or paste a path (Ctrl+V)."));
    }
};

QIcon actionIcon(const char *file, const char *themeName)
{
    // The desktop's icon theme where there is one; crisp SVGs of our own elsewhere.
    return QIcon::fromTheme(
        QLatin1String(themeName), QIcon(QStringLiteral(":/icons/%1.svg").arg(QLatin1String(file))));
}

QStringList localPaths(const QMimeData *mime)
{
    QStringList paths;
    if (mime->hasUrls()) {
        for (const QUrl &url : mime->urls())
            if (url.isLocalFile())
                paths.append(url.toLocalFile());
        return paths;
    }
    const QStringList lines = mime->text().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    for (QString line : lines) {
        line = line.trimmed();
        if (line.startsWith(QLatin1String("file://")))
            line = QUrl(line).toLocalFile();
        if (line.startsWith(QLatin1Char('~')))
            line.replace(0, 1, QDir::homePath());
        if (!line.isEmpty() && QDir::isAbsolutePath(line))
            paths.append(line);
    }
    return paths;
}

} // namespace

MainWindow::MainWindow(JobStateManager *jobs, const MainWindowSetup &setup, QWidget *parent)
    : QMainWindow(parent)
    , m_jobs(jobs)
    , m_setup(setup)
    , m_model(new JobListModel(jobs, this))
    , m_submitter(new FileSubmitter(jobs, this))
    , m_table(new JobTableView(this))
    , m_preview(new PreviewPanel(this))
    , m_notice(new NoticeBar(this))
    , m_apiLabel(new QLabel(this))
    , m_deviceLabel(new QLabel(this))
    , m_countsLabel(new QLabel(this))
{
    setWindowTitle(QStringLiteral("doc-ray"));
    setWindowIcon(QIcon(QStringLiteral(":/doc-ray.svg")));
    setAcceptDrops(true);
    resize(1280, 860);
    setUpJobTable();
    setUpLayout();
    createActions();
    setUpStatusBar();
    connectJobs();

    if (m_setup.settings)
        restoreGeometry(m_setup.settings->value(QStringLiteral("window/geometry")).toByteArray());
    // Open on the newest job, so a restart shows where the user left off.
    if (m_model->rowCount() > 0)
        selectJob(m_model->idAt(m_model->rowCount() - 1));
    refreshCounts();
    updateActions();
}

void MainWindow::setUpJobTable()
{
    m_table->setObjectName(QStringLiteral("jobTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(JobListModel::ProgressColumn, new ProgressDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setShowGrid(false);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 12);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(JobListModel::FileColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(JobListModel::PagesColumn, QHeaderView::ResizeToContents);
    header->setSectionResizeMode(JobListModel::StatusColumn, QHeaderView::Interactive);
    header->setSectionResizeMode(JobListModel::ProgressColumn, QHeaderView::Fixed);
    header->setSectionResizeMode(JobListModel::ElapsedColumn, QHeaderView::ResizeToContents);
    header->resizeSection(JobListModel::StatusColumn, 260);
    header->resizeSection(JobListModel::ProgressColumn, 170);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
}

void MainWindow::setUpLayout()
{
    m_notice->setObjectName(QStringLiteral("notice"));
    m_preview->setObjectName(QStringLiteral("preview"));
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_table);
    split->addWidget(m_preview);
    split->setStretchFactor(0, 1);
    split->setStretchFactor(1, 3);
    split->setChildrenCollapsible(false);
    split->setSizes({ 220, 620 });

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 6, 6, 0);
    layout->setSpacing(6);
    layout->addWidget(m_notice);
    layout->addWidget(split, 1);
    setCentralWidget(central);
}

void MainWindow::setUpStatusBar()
{
    m_apiLabel->setObjectName(QStringLiteral("apiLabel"));
    m_apiLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_apiLabel->setText(m_setup.apiUrl.isEmpty() ? tr("API off: %1").arg(m_setup.apiStatus)
                                                 : tr("API %1").arg(m_setup.apiUrl.toString()));
    m_deviceLabel->setText(tr("Device: %1").arg(m_setup.device.toUpper()));
    m_countsLabel->setObjectName(QStringLiteral("countsLabel"));
    for (QLabel *label : {m_apiLabel, m_deviceLabel, m_countsLabel})
        label->setContentsMargins(10, 0, 10, 0);
    // Permanent, so passing messages ("Saved …") never hide where the API listens.
    statusBar()->addPermanentWidget(m_apiLabel);
    statusBar()->addPermanentWidget(m_deviceLabel);
    statusBar()->addPermanentWidget(m_countsLabel);
}

// The window follows the job layer and its own background loads.
void MainWindow::connectJobs()
{
    // Progress arrives per page from every worker: recount at most ten times a second.
    m_countsTimer.setSingleShot(true);
    m_countsTimer.setInterval(100);
    connect(&m_countsTimer, &QTimer::timeout, this, &MainWindow::refreshCounts);
    auto scheduleCounts = [this] {
        if (!m_countsTimer.isActive())
            m_countsTimer.start();
    };
    connect(m_jobs, &JobStateManager::jobAdded, this, scheduleCounts);
    connect(m_jobs, &JobStateManager::jobUpdated, this, scheduleCounts);
    connect(m_jobs, &JobStateManager::jobRemoved, this, scheduleCounts);
    connect(m_model, &JobListModel::dataChanged, this, [this](const QModelIndex &topLeft) {
        if (topLeft.column() == 0)
            onJobUpdated(m_model->idAt(topLeft.row()));
    });
    connect(m_model, &JobListModel::rowsRemoved, this, &MainWindow::onSelectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &MainWindow::onSelectionChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        &MainWindow::onSelectionChanged);
    connect(m_submitter, &FileSubmitter::submitted, this, &MainWindow::onSubmitted);
    connect(&m_loader, &QFutureWatcher<JobResultData>::finished, this, [this] {
        const JobResultData result = m_loader.result();
        if (result.jobId != m_loadingId || result.jobId != selectedJobId())
            return;
        m_loadingId.clear();
        if (!result.isValid())
            return;
        m_shownId = result.jobId;
        m_preview->setResult(result);
        updateActions();
        Q_EMIT resultShown(result.jobId);
    });
}

MainWindow::~MainWindow()
{
    if (m_setup.settings)
        m_setup.settings->setValue(QStringLiteral("window/geometry"), saveGeometry());
    m_loader.waitForFinished();
}

QAction *MainWindow::newAction(const QString &text, const QKeySequence &shortcut, const QString &toolTip,
                               const char *icon, const char *themeIcon)
{
    auto *action = icon ? new QAction(actionIcon(icon, themeIcon), text, this) : new QAction(text, this);
    action->setShortcut(shortcut);
    if (!toolTip.isEmpty())
        action->setToolTip(toolTip);
    // Tests and accessibility tools find actions by their plain text.
    action->setObjectName(QString(text).remove(QLatin1Char('&')).remove(QStringLiteral("…")).trimmed());
    return action;
}

void MainWindow::createActions()
{
    QAction *open = newAction(tr("&Open…"), QKeySequence::Open, tr("Add documents (Ctrl+O)"), "open", "document-open");
    connect(open, &QAction::triggered, this, &MainWindow::openFiles);
    QAction *openDir = newAction(tr("Open &Folder…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O), {}, "folder",
                                 "folder-open");
    connect(openDir, &QAction::triggered, this, &MainWindow::openFolder);
    QAction *paste = newAction(tr("&Paste File Paths"), QKeySequence::Paste);
    connect(paste, &QAction::triggered, this, &MainWindow::pastePaths);
    QAction *settings = newAction(tr("&Settings…"), QKeySequence(Qt::CTRL | Qt::Key_Comma), {}, "settings", "configure");
    settings->setEnabled(m_setup.settings != nullptr);
    connect(settings, &QAction::triggered, this, &MainWindow::showSettings);

    m_retry = newAction(tr("&Retry"), QKeySequence(Qt::CTRL | Qt::Key_R),
                        tr("Parse the selected finished jobs again (Ctrl+R)"), "retry", "view-refresh");
    connect(m_retry, &QAction::triggered, this, [this] {
        for (const QString &id : selectedIds())
            m_jobs->retry(id);
    });
    m_cancel = newAction(tr("&Cancel"), QKeySequence(Qt::CTRL | Qt::Key_Period),
                         tr("Stop the selected queued or running jobs (Ctrl+.)"), "cancel", "process-stop");
    connect(m_cancel, &QAction::triggered, this, [this] {
        for (const QString &id : selectedIds())
            m_jobs->cancel(id);
    });
    m_delete = newAction(tr("&Delete"), QKeySequence::Delete, tr("Delete the selected jobs and their results (Del)"),
                         "delete", "edit-delete");
    connect(m_delete, &QAction::triggered, this, [this] {
        for (const QString &id : selectedIds())
            m_jobs->remove(id);
    });

    m_save = newAction(tr("&Save Markdown…"), QKeySequence::Save, tr("Save the markdown and its images folder (Ctrl+S)"),
                       "save", "document-save-as");
    connect(m_save, &QAction::triggered, this, &MainWindow::saveResultAs);
    m_copy = newAction(tr("&Copy Markdown"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C),
                       tr("Copy the markdown to the clipboard (Ctrl+Shift+C)"), "copy", "edit-copy");
    connect(m_copy, &QAction::triggered, this, &MainWindow::copyMarkdown);
    m_openFolder = newAction(tr("Open Containing &Folder"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F), {},
                             "folder", "folder-open");
    connect(m_openFolder, &QAction::triggered, this, &MainWindow::openContainingFolder);

    QAction *blocks = newAction(tr("Show &Blocks"), QKeySequence(Qt::CTRL | Qt::Key_B));
    blocks->setCheckable(true);
    blocks->setChecked(true);
    connect(blocks, &QAction::toggled, m_preview, &PreviewPanel::setBlocksVisible);
    QAction *next = newAction(tr("&Next Page"), QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    connect(next, &QAction::triggered, m_preview, &PreviewPanel::nextPage);
    QAction *previous = newAction(tr("&Previous Page"), QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    connect(previous, &QAction::triggered, m_preview, &PreviewPanel::previousPage);

    createMenus({open, openDir, settings, paste, blocks, previous, next});
    createToolBar(open, settings);
    m_table->addActions({ m_retry, m_cancel, m_delete });
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
}

void MainWindow::createMenus(const MenuActions &actions)
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(actions.open);
    file->addAction(actions.openFolder);
    file->addSeparator();
    file->addAction(m_save);
    file->addAction(m_openFolder);
    file->addSeparator();
    file->addAction(actions.settings);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);
    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(actions.paste);
    edit->addAction(m_copy);
    QMenu *job = menuBar()->addMenu(tr("&Job"));
    job->addAction(m_retry);
    job->addAction(m_cancel);
    job->addAction(m_delete);
    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(actions.blocks);
    view->addAction(actions.previous);
    view->addAction(actions.next);
}

void MainWindow::createToolBar(QAction *open, QAction *settings)
{
    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->setMovable(false);
    toolBar->addAction(open);
    toolBar->addSeparator();
    toolBar->addAction(m_retry);
    toolBar->addAction(m_cancel);
    toolBar->addAction(m_delete);
    toolBar->addSeparator();
    toolBar->addAction(m_save);
    toolBar->addAction(m_copy);
    toolBar->addSeparator();
    toolBar->addAction(settings);
}

void MainWindow::submitPaths(const QStringList &paths)
{
    if (paths.isEmpty())
        return;
    ParserParams params;
    params.language = m_setup.ocrLanguages;
    statusBar()->showMessage(tr("Adding %n item(s)…", nullptr, static_cast<int>(paths.size())), 3000);
    m_submitter->submit(paths, params);
}

void MainWindow::onSubmitted(const QStringList &ids, const QStringList &refused)
{
    if (!ids.isEmpty() && selectedJobId().isEmpty())
        selectJob(ids.first());
    if (refused.isEmpty())
        return;
    const int shown = 8;
    QStringList lines = refused.mid(0, shown);
    if (refused.size() > shown)
        lines.append(tr("… and %n more", nullptr, static_cast<int>(refused.size() - shown)));
    m_notice->showMessage(tr("%n item(s) not added:", nullptr, static_cast<int>(refused.size()))
            + QLatin1Char('\n') + lines.join(QLatin1Char('\n')),
        NoticeBar::Kind::Warning);
}

bool MainWindow::selectJob(const QString &id)
{
    const QModelIndex index = m_model->indexOf(id);
    if (!index.isValid())
        return false;
    m_table->selectionModel()->setCurrentIndex(
        index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

QString MainWindow::selectedJobId() const
{
    const QModelIndex current = m_table->selectionModel()->currentIndex();
    if (current.isValid() && m_table->selectionModel()->isRowSelected(current.row(), QModelIndex()))
        return m_model->idAt(current.row());
    const QStringList ids = selectedIds();
    return ids.isEmpty() ? QString() : ids.first();
}

QStringList MainWindow::selectedIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_table->selectionModel()->selectedRows(JobListModel::FileColumn);
    for (const QModelIndex &index : rows)
        ids.append(m_model->idAt(index.row()));
    return ids;
}

void MainWindow::onJobUpdated(const QString &id)
{
    if (!id.isEmpty() && id == selectedJobId())
        loadSelectedResult();
    updateActions();
}

void MainWindow::onSelectionChanged()
{
    loadSelectedResult();
    updateActions();
}

void MainWindow::loadSelectedResult()
{
    const QString id = selectedJobId();
    const JobRecord *job = id.isEmpty() ? nullptr : m_model->record(id);
    if (!job) {
        m_shownId.clear();
        m_loadingId.clear();
        m_preview->showMessage(tr("Select a job to see its pages and markdown."));
        return;
    }
    if (job->state == JobState::Completed) {
        if (id == m_shownId || id == m_loadingId)
            return;
        m_shownId.clear();
        m_loadingId = id;
        m_preview->showMessage(tr("Loading the result of “%1”…").arg(job->fileName));
        m_loader.setFuture(QtConcurrent::run(&JobResultData::load, m_jobs, id, job->fileName));
        return;
    }
    m_shownId.clear();
    m_loadingId.clear();
    QString reason;
    if (job->state == JobState::Queued)
        reason = tr("“%1” is waiting to be parsed.").arg(job->fileName);
    else if (job->state == JobState::Running)
        reason = job->pagesTotal > 0
            ? tr("Parsing “%1”: page %2 of %3…").arg(job->fileName).arg(job->pagesDone).arg(job->pagesTotal)
            : tr("Parsing “%1”…").arg(job->fileName);
    else
        reason = tr("“%1” was not parsed: %2").arg(job->fileName, job->error);
    m_preview->showMessage(reason);
}

void MainWindow::updateActions()
{
    bool anyFinished = false;
    bool anyUnfinished = false;
    const QStringList ids = selectedIds();
    for (const QString &id : ids) {
        if (const JobRecord *job = m_model->record(id)) {
            anyFinished = anyFinished || isFinished(job->state);
            anyUnfinished = anyUnfinished || !isFinished(job->state);
        }
    }
    const bool hasResult = !m_shownId.isEmpty() && m_preview->result().isValid();
    m_retry->setEnabled(anyFinished);
    m_cancel->setEnabled(anyUnfinished);
    m_delete->setEnabled(!ids.isEmpty());
    m_save->setEnabled(hasResult);
    m_copy->setEnabled(hasResult);
    m_openFolder->setEnabled(!m_lastSaved.isEmpty());
}

void MainWindow::refreshCounts()
{
    const JobStateManager::Counts counts = m_jobs->counts();
    m_countsLabel->setText(tr("%1 queued · %2 running · %3 done · %4 failed")
                               .arg(counts.queued)
                               .arg(counts.running)
                               .arg(counts.completed)
                               .arg(counts.failed));
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QStringList paths = localPaths(event->mimeData());
    event->acceptProposedAction();
    if (paths.isEmpty()) {
        m_notice->showMessage(tr("Only local files and folders can be added."), NoticeBar::Kind::Warning);
        return;
    }
    submitPaths(paths);
}

void MainWindow::openFiles()
{
    QStringList patterns;
    for (const QString &extension : supportedExtensions())
        patterns.append(QLatin1Char('*') + extension);
    auto *dialog = new QFileDialog(this, tr("Add documents"), QString(),
        tr("Documents (%1);;All files (*)").arg(patterns.join(QLatin1Char(' '))));
    dialog->setFileMode(QFileDialog::ExistingFiles);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::filesSelected, this, &MainWindow::submitPaths);
    dialog->open();
}

void MainWindow::openFolder()
{
    auto *dialog = new QFileDialog(this, tr("Add a folder of documents"));
    dialog->setFileMode(QFileDialog::Directory);
    dialog->setOption(QFileDialog::ShowDirsOnly);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &dir) { submitPaths({ dir }); });
    dialog->open();
}

void MainWindow::pastePaths()
{
    const QMimeData *mime = QGuiApplication::clipboard()->mimeData();
    const QStringList paths = mime ? localPaths(mime) : QStringList();
    if (paths.isEmpty()) {
        m_notice->showMessage(
            tr("The clipboard holds no file or folder path to add."), NoticeBar::Kind::Information);
        return;
    }
    submitPaths(paths);
}

void MainWindow::saveResultAs()
{
    const JobResultData &result = m_preview->result();
    if (!result.isValid())
        return;
    const QString folder = m_lastSaved.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation)
        : QFileInfo(m_lastSaved).absolutePath();
    const QString name = QFileInfo(result.fileName).completeBaseName() + QStringLiteral(".md");
    auto *dialog
        = new QFileDialog(this, tr("Save markdown"), QDir(folder).filePath(name), tr("Markdown (*.md)"));
    dialog->setAcceptMode(QFileDialog::AcceptSave);
    dialog->setDefaultSuffix(QStringLiteral("md"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QFileDialog::fileSelected, this, [this](const QString &path) { saveResult(path); });
    dialog->open();
}

bool MainWindow::saveResult(const QString &markdownPath)
{
    const JobResultData &result = m_preview->result();
    if (!result.isValid()) {
        m_notice->showMessage(
            tr("There is no result to save: select a completed job."), NoticeBar::Kind::Warning);
        return false;
    }
    QString error;
    if (!result.save(markdownPath, &error)) {
        m_notice->showMessage(tr("Could not save the markdown: %1").arg(error), NoticeBar::Kind::Warning);
        return false;
    }
    m_lastSaved = markdownPath;
    statusBar()->showMessage(result.imageFiles.isEmpty()
            ? tr("Saved %1").arg(markdownPath)
            : tr("Saved %1 and %n image(s)", nullptr, static_cast<int>(result.imageFiles.size()))
                  .arg(markdownPath),
        8000);
    updateActions();
    return true;
}

void MainWindow::copyMarkdown()
{
    const JobResultData &result = m_preview->result();
    if (!result.isValid())
        return;
    QGuiApplication::clipboard()->setText(result.markdown);
    statusBar()->showMessage(tr("Markdown of “%1” copied").arg(result.fileName), 4000);
}

void MainWindow::openContainingFolder()
{
    if (!m_lastSaved.isEmpty())
        QDesktopServices::openUrl(QUrl::fromLocalFile(QFileInfo(m_lastSaved).absolutePath()));
}

void MainWindow::showSettings()
{
    if (!m_setup.settings)
        return;
    if (auto *existing = findChild<SettingsDialog *>()) {
        existing->raise();
        existing->activateWindow();
        return;
    }
    auto *dialog = new SettingsDialog(m_setup.settings, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this] {
        statusBar()->showMessage(tr("Settings saved; they apply the next time doc-ray starts."), 8000);
    });
    dialog->show();
}

} // namespace DocRay
