#include "engine/core/scratchfile.h"

#include <QDir>

#include <cerrno>
#include <cstring>
#include <stdlib.h>
#include <unistd.h>

namespace DocRay {

Result<std::unique_ptr<QFile>> openScratchFile(const QString &directory)
{
    const QString folder = directory.isEmpty() ? QDir::tempPath() : directory;
    QByteArray name = QFile::encodeName(QDir(folder).filePath(QStringLiteral("doc-ray-XXXXXX")));
    const int fd = mkstemp(name.data());
    if (fd < 0)
        return Error{ErrorCode::StorageFull, QStringLiteral("No scratch file could be made in %1: %2")
                                                 .arg(folder, QString::fromLocal8Bit(std::strerror(errno)))};
    unlink(name.constData());
    auto file = std::make_unique<QFile>();
    if (!file->open(fd, QIODevice::ReadWrite, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return Error{ErrorCode::Internal, file->errorString()};
    }
    return file;
}

} // namespace DocRay
