#include "engine/jobs/executors/uploadspool.h"

#include "engine/jobs/stores/jobstore.h"

#include <QDir>

#include <cerrno>
#include <cstring>
#include <stdlib.h>
#include <unistd.h>

namespace DocRay {

Result<void> UploadSpool::open()
{
    if (m_file)
        return {};
    QByteArray name = QFile::encodeName(QDir(QDir::tempPath()).filePath(QStringLiteral("doc-ray-upload-XXXXXX")));
    const int fd = mkstemp(name.data());
    if (fd < 0)
        return Error{ErrorCode::StorageFull, QStringLiteral("No file for the upload could be made in %1: %2")
                                                 .arg(QDir::tempPath(), QString::fromLocal8Bit(std::strerror(errno)))};
    unlink(name.constData());
    auto file = std::make_unique<QFile>();
    if (!file->open(fd, QIODevice::ReadWrite, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return Error{ErrorCode::Internal, file->errorString()};
    }
    m_file = std::move(file);
    return {};
}

Result<QString> UploadSpool::fileOf(JobStore &store, const QString &jobId)
{
    if (jobId != m_jobId) {
        m_jobId.clear();
        if (const Result<void> opened = open(); !opened)
            return opened.error();
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
