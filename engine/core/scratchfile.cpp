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

ScratchBytes::Place ScratchBytes::put(const QByteArray &bytes)
{
    if (!m_file && !m_noFile) {
        Result<std::unique_ptr<QFile>> made = openScratchFile();
        m_noFile = !made;
        if (made)
            m_file = std::move(*made);
        else
            qWarning("%s are kept in memory: %s", m_what, qPrintable(made.errorMessage()));
    }
    Place place;
    const qint64 end = m_file ? m_file->size() : 0;
    if (m_file && m_file->seek(end) && m_file->write(bytes) == bytes.size()) {
        place.at = end;
        place.size = bytes.size();
    } else {
        place.held = bytes; // a full disk: these stay in memory
        place.held.squeeze();
        place.size = bytes.size();
    }
    return place;
}

QByteArray ScratchBytes::get(const Place &place) const
{
    if (place.at < 0)
        return place.held;
    QByteArray bytes;
    if (m_file->seek(place.at))
        bytes = m_file->read(place.size);
    if (bytes.size() == place.size)
        return bytes;
    qWarning("%s could not be read back from their scratch file: %s", m_what, qPrintable(m_file->errorString()));
    return {};
}

} // namespace DocRay
