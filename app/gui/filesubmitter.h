#pragma once

#include "engine/core/parsetypes.h"

#include <QObject>
#include <QStringList>
#include <QThreadPool>

namespace DocRay {

class JobStateManager;

// Turns dropped, opened or pasted paths (files and folders) into jobs. Reading,
// recognising and storing the uploads runs on a one-thread pool, in order, so
// a drop of many large files never stalls the window (JobStateManager::submit
// may be called from any thread). Results come back on the main thread.
class FileSubmitter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FileSubmitter)

public:
    explicit FileSubmitter(JobStateManager *jobs, QObject *parent = nullptr);
    ~FileSubmitter() override;

    void submit(const QStringList &paths, const ParserParams &params);

Q_SIGNALS:
    // `refused` holds one readable line per file (or folder) that was not added.
    void submitted(const QStringList &jobIds, const QStringList &refused);

private:
    JobStateManager *m_jobs;
    QThreadPool m_pool;
};

} // namespace DocRay
