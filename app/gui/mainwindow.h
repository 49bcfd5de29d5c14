#pragma once

#include <QMainWindow>
#include <QUrl>

class QLabel;
class QTableWidget;

namespace DocRay {

class JobStateManager;

// The desktop window: a live list of every job (dropped here or submitted
// over the API), with retry and delete. Main thread; it only observes the
// JobStateManager's signals and calls its methods, never parses.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    MainWindow(JobStateManager *jobs, const QUrl &apiUrl, const QString &apiError, const QString &device,
               QWidget *parent = nullptr);

    // Submits local files; returns the messages for the ones refused.
    QStringList submitFiles(const QStringList &paths);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void openFiles();
    void refreshRow(const QString &id);
    void removeRow(const QString &id);
    void refreshSummary();
    int rowOf(const QString &id) const;
    QStringList selectedIds() const;

    JobStateManager *m_jobs;
    QTableWidget *m_table;
    QLabel *m_summary;
    QString m_apiText;
    QString m_device;
};

} // namespace DocRay
