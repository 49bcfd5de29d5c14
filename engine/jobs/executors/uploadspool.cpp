#include "engine/jobs/executors/uploadspool.h"

#include "engine/core/scratchfile.h"
#include "engine/jobs/stores/jobstore.h"

namespace DocRay {

Result<QString> UploadSpool::fileOf(JobStore &store, const QString &jobId)
{
    if (jobId != m_jobId) {
        m_jobId.clear();
        if (!m_file) {
            Result<std::unique_ptr<QFile>> made = openScratchFile();
            if (!made)
                return made.error();
            m_file = std::move(*made);
        }
        if (const Result<void> written = store.writeUpload(jobId, *m_file); !written)
            return written.error();
        if (!m_file->flush())
            return Error{ErrorCode::StorageFull,
                         QStringLiteral("The upload could not be written to a file: %1").arg(m_file->errorString())};
        m_jobId = jobId;
    }
    return QStringLiteral("/proc/self/fd/%1").arg(m_file->handle());
}

} // namespace DocRay
