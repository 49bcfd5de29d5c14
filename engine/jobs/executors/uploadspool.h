#pragma once

#include "engine/core/result.h"

#include <QFile>
#include <QString>

#include <memory>

namespace DocRay {

class JobStore;

// A job's upload copied into a file of this process's own, for the engine
// to read as it needs (a long PDF is then not held in memory), and kept for
// the job's next task here: its other page batches and its merge read it
// from the store once. A scratch file (scratchfile.h): a worker that is
// killed leaves none behind; the engine opens it again by its descriptor's
// name under /proc. Owned by one thread.
class UploadSpool final
{
public:
    UploadSpool() = default;
    UploadSpool(const UploadSpool &) = delete;
    UploadSpool &operator=(const UploadSpool &) = delete;

    // A path to `jobId`'s upload: NotFound where the job is gone,
    // StorageFull or Unavailable where it could not be copied.
    Result<QString> fileOf(JobStore &store, const QString &jobId);

private:
    std::unique_ptr<QFile> m_file;
    QString m_jobId; // whose upload m_file holds; empty while it holds none
};

} // namespace DocRay
