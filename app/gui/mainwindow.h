#pragma once

#include "app/gui/jobresultdata.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QTimer>
#include <QUrl>

class QAction;
class QLabel;
class QSettings;
class QTableView;

namespace DocRay {

class FileSubmitter;
class JobListModel;
class JobStateManager;
class NoticeBar;
class PreviewPanel;

// What the composition root tells the window about the running service.
struct MainWindowSetup {
    QUrl apiUrl; // empty when the API is off
    QString apiStatus; // why it is off
    QString device = QStringLiteral("cpu");
    QString ocrLanguages; // for documents added here; empty: chosen from each page's script
    QSettings *settings = nullptr; // where Settings saves; none: no Settings
};

// The desktop window: the live job list (dropped here or submitted over the
// API) above the selected job's preview. Main thread; it observes the
// JobStateManager's signals and calls its methods, never parses, and loads
// results off the GUI thread.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(JobStateManager *jobs, const MainWindowSetup &setup, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Adds local files and folders as jobs, off the GUI thread; refusals show
    // in the notice bar. The first new job is selected when none is.
    void submitPaths(const QStringList &paths);
    bool selectJob(const QString &id);
    QString selectedJobId() const;
    // Writes the selected job's markdown and images/; false (and a notice) on failure.
    bool saveResult(const QString &markdownPath);
    QString lastSavedPath() const { return m_lastSaved; }

    PreviewPanel *preview() const { return m_preview; }
    NoticeBar *notice() const { return m_notice; }

Q_SIGNALS:
    void resultShown(const QString &id);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void setUpJobTable();
    void setUpLayout();
    void setUpStatusBar();
    void connectJobs();
    void createActions();
    // The actions only the menus hold (the others are members).
    struct MenuActions {
        QAction *open;
        QAction *openFolder;
        QAction *settings;
        QAction *paste;
        QAction *blocks;
        QAction *previous;
        QAction *next;
    };
    void createMenus(const MenuActions &actions);
    void createToolBar(QAction *open, QAction *settings);
    QAction *newAction(const QString &text, const QKeySequence &shortcut, const QString &toolTip = {},
                       const char *icon = nullptr, const char *themeIcon = nullptr);
    void openFiles();
    void openFolder();
    void pastePaths();
    void saveResultAs();
    void copyMarkdown();
    void openContainingFolder();
    void showSettings();
    void onSubmitted(const QStringList &ids, const QStringList &refused);
    void onJobUpdated(const QString &id);
    void onSelectionChanged();
    void loadSelectedResult();
    void updateActions();
    void refreshCounts();
    QStringList selectedIds() const;

    JobStateManager *m_jobs;
    MainWindowSetup m_setup;
    JobListModel *m_model;
    FileSubmitter *m_submitter;
    QTableView *m_table;
    PreviewPanel *m_preview;
    NoticeBar *m_notice;
    QLabel *m_apiLabel;
    QLabel *m_deviceLabel;
    QLabel *m_countsLabel;
    QTimer m_countsTimer;
    QFutureWatcher<JobResultData> m_loader;
    QString m_loadingId;
    QString m_shownId;
    QString m_lastSaved;

    QAction *m_retry = nullptr;
    QAction *m_cancel = nullptr;
    QAction *m_delete = nullptr;
    QAction *m_save = nullptr;
    QAction *m_copy = nullptr;
    QAction *m_openFolder = nullptr;
};

} // namespace DocRay
