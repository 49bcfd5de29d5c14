#pragma once

#include "engine/jobs/jobtypes.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QStyledItemDelegate>
#include <QTimer>

namespace DocRay {

class JobStateManager;

// One row per job of the JobStateManager, oldest first, kept live from its
// jobAdded/jobUpdated/jobRemoved signals (which may arrive queued from the
// thread that submitted). Main thread; a 1 s timer refreshes elapsed times.
class JobListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JobListModel)

public:
    enum Column { FileColumn, PagesColumn, StatusColumn, ProgressColumn, ElapsedColumn, ColumnCount };
    enum Role {
        JobIdRole = Qt::UserRole + 1,
        StateRole, // JobState as int
        ProgressRole, // 0..100, or -1 while the page count is unknown
        ProgressTextRole, // "3 / 10"
    };

    explicit JobListModel(JobStateManager *jobs, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    int columnCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    QModelIndex indexOf(const QString &id, int column = FileColumn) const;
    QString idAt(int row) const;
    const JobRecord *record(const QString &id) const;

private:
    void addOrUpdate(const QString &id);
    void removeJob(const QString &id);
    void tick();
    void reindex();

    JobStateManager *m_jobs;
    QList<JobRecord> m_rows;
    QHash<QString, int> m_rowOf;
    QTimer m_clock;
};

// Paints the progress column as a progress bar with "done / total" pages.
class ProgressDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProgressDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(
        QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
};

} // namespace DocRay
