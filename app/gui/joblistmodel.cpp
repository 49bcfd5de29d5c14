#include "app/gui/joblistmodel.h"

#include "engine/jobs/jobstatemanager.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>

namespace DocRay {

namespace {

QString elapsedText(qint64 seconds)
{
    if (seconds < 3600)
        return QStringLiteral("%1:%2").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 3600)
        .arg((seconds / 60) % 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

JobListModel::JobListModel(JobStateManager *jobs, QObject *parent)
    : QAbstractTableModel(parent)
    , m_jobs(jobs)
{
    connect(m_jobs, &JobStateManager::jobAdded, this, &JobListModel::addOrUpdate);
    connect(m_jobs, &JobStateManager::jobUpdated, this, &JobListModel::addOrUpdate);
    connect(m_jobs, &JobStateManager::jobRemoved, this, &JobListModel::removeJob);
    m_rows = m_jobs->jobs();
    reindex();
    m_clock.setInterval(1000);
    connect(&m_clock, &QTimer::timeout, this, &JobListModel::tick);
    m_clock.start();
}

int JobListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int JobListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant JobListModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const JobRecord &job = m_rows.at(index.row());
    switch (role) {
    case JobIdRole:
        return job.id;
    case StateRole:
        return static_cast<int>(job.state);
    case ProgressRole:
        if (job.state == JobState::Completed)
            return 100;
        return job.pagesTotal > 0 ? job.pagesDone * 100 / job.pagesTotal : -1;
    case ProgressTextRole:
        if (job.pagesTotal > 0)
            return QStringLiteral("%1 / %2").arg(job.pagesDone).arg(job.pagesTotal);
        return job.state == JobState::Queued ? tr("waiting") : QString();
    case Qt::ToolTipRole:
        return job.error.isEmpty() ? job.fileName : job.error;
    case Qt::TextAlignmentRole:
        if (index.column() == PagesColumn || index.column() == ElapsedColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::DecorationRole:
        if (index.column() != StatusColumn)
            return {};
        switch (job.state) {
        case JobState::Queued:
            return QApplication::style()->standardIcon(QStyle::SP_MediaPause);
        case JobState::Running:
            return QApplication::style()->standardIcon(QStyle::SP_MediaPlay);
        case JobState::Completed:
            return QApplication::style()->standardIcon(QStyle::SP_DialogApplyButton);
        case JobState::Failed:
            return QApplication::style()->standardIcon(QStyle::SP_MessageBoxWarning);
        }
        return {};
    case Qt::DisplayRole:
        break;
    default:
        return {};
    }
    switch (index.column()) {
    case FileColumn:
        return job.fileName;
    case PagesColumn:
        return job.pagesTotal > 0 ? QString::number(job.pagesTotal) : QStringLiteral("–");
    case StatusColumn:
        return job.state == JobState::Failed && !job.error.isEmpty()
            ? QStringLiteral("%1: %2").arg(stateName(job.state), job.error)
            : stateName(job.state);
    case ProgressColumn:
        return data(index, ProgressTextRole);
    case ElapsedColumn: {
        if (!job.startedAt.isValid())
            return QStringLiteral("–");
        const QDateTime end = job.finishedAt.isValid() && isFinished(job.state)
            ? job.finishedAt
            : QDateTime::currentDateTimeUtc();
        return elapsedText(qMax<qint64>(0, job.startedAt.secsTo(end)));
    }
    default:
        return {};
    }
}

QVariant JobListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case FileColumn:
        return tr("File");
    case PagesColumn:
        return tr("Pages");
    case StatusColumn:
        return tr("Status");
    case ProgressColumn:
        return tr("Progress");
    case ElapsedColumn:
        return tr("Elapsed");
    default:
        return {};
    }
}

QModelIndex JobListModel::indexOf(const QString &id, int column) const
{
    const int row = m_rowOf.value(id, -1);
    return row < 0 ? QModelIndex() : index(row, column);
}

QString JobListModel::idAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).id : QString();
}

const JobRecord *JobListModel::record(const QString &id) const
{
    const int row = m_rowOf.value(id, -1);
    return row < 0 ? nullptr : &m_rows.at(row);
}

void JobListModel::addOrUpdate(const QString &id)
{
    // Not a touch: watching a job must not keep it alive past its TTL.
    const std::optional<JobRecord> job = m_jobs->job(id, false);
    if (!job)
        return; // removed before this queued notification arrived
    const int row = m_rowOf.value(id, -1);
    if (row >= 0) {
        m_rows[row] = *job;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int newRow = static_cast<int>(m_rows.size());
    beginInsertRows(QModelIndex(), newRow, newRow);
    m_rows.append(*job);
    m_rowOf.insert(id, newRow);
    endInsertRows();
}

void JobListModel::removeJob(const QString &id)
{
    const int row = m_rowOf.value(id, -1);
    if (row < 0)
        return;
    beginRemoveRows(QModelIndex(), row, row);
    m_rows.removeAt(row);
    reindex();
    endRemoveRows();
}

void JobListModel::tick()
{
    for (int row = 0; row < m_rows.size(); ++row)
        if (m_rows.at(row).state == JobState::Running)
            Q_EMIT dataChanged(index(row, ElapsedColumn), index(row, ElapsedColumn), { Qt::DisplayRole });
}

void JobListModel::reindex()
{
    m_rowOf.clear();
    for (int row = 0; row < m_rows.size(); ++row)
        m_rowOf.insert(m_rows.at(row).id, row);
}

void ProgressDelegate::paint(
    QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    const int progress = index.data(JobListModel::ProgressRole).toInt();
    const auto state = static_cast<JobState>(index.data(JobListModel::StateRole).toInt());
    if (state == JobState::Queued && progress < 0) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The background and selection first, so a selected row stays highlighted.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &background, painter, option.widget);

    QStyleOptionProgressBar bar;
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.direction = option.direction;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    bar.minimum = 0;
    bar.maximum = progress < 0 ? 0 : 100; // 0..0 draws the busy indicator
    bar.progress = qMax(0, progress);
    bar.text = index.data(JobListModel::ProgressTextRole).toString();
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter, option.widget);
}

} // namespace DocRay
