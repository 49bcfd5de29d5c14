#include "engine/jobs/executors/picturespool.h"

#include "engine/core/scratchfile.h"
#include "engine/jobs/jobtypes.h"


#include <algorithm>

namespace DocRay {

void PictureSpool::add(const QString &name, const QByteArray &png)
{
    if (!m_file && !m_noFile) {
        Result<std::unique_ptr<QFile>> made = openScratchFile();
        m_noFile = !made;
        if (made)
            m_file = std::move(*made);
        else
            qWarning("pictures are held in memory: %s", qPrintable(made.errorMessage()));
    }
    const qint64 at = m_file ? m_file->size() : 0;
    if (m_file && m_file->seek(at) && m_file->write(png) == png.size()) {
        m_stored.insert(name, {at, png.size()});
        m_held.remove(name);
    } else {
        m_held.insert(name, png); // a full disk: this one stays in memory
        m_stored.remove(name);
    }
}

QByteArray PictureSpool::readBack(const Stored &stored)
{
    QByteArray png;
    if (m_file->seek(stored.at)) {
        png = m_file->read(stored.size);
        if (png.size() != stored.size)
            png.clear();
    }
    return png;
}

Result<QByteArray> PictureSpool::packedJson(QMap<QString, QByteArray> more)
{
    m_held.insert(more);
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it)
        m_stored.remove(it.key());
    QStringList names = m_stored.keys() + m_held.keys();
    std::sort(names.begin(), names.end());
    if (m_file && !m_file->flush())
        return Error{ErrorCode::StorageFull, QStringLiteral("The pictures could not be written: %1").arg(m_file->errorString())};
    bool readAll = true;
    QByteArray packed = JobResult::packImages(names, [this, &readAll](const QString &name) {
        if (m_held.contains(name))
            return m_held.take(name);
        const QByteArray png = readBack(m_stored.value(name));
        readAll = readAll && !png.isEmpty();
        return png;
    });
    if (!readAll)
        return Error{ErrorCode::Internal, QStringLiteral("The pictures could not be read back: %1").arg(m_file->errorString())};
    return packed;
}

} // namespace DocRay
