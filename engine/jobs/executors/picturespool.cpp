#include "engine/jobs/executors/picturespool.h"

#include "engine/jobs/jobtypes.h"

#include <algorithm>

namespace DocRay {

void PictureSpool::add(const QString &name, const QByteArray &png)
{
    m_pictures.insert(name, m_scratch.put(png));
}

Result<QByteArray> PictureSpool::packedJson(QMap<QString, QByteArray> more)
{
    for (auto it = more.cbegin(); it != more.cend(); ++it)
        m_pictures.remove(it.key());
    QStringList names = m_pictures.keys() + more.keys();
    std::sort(names.begin(), names.end());
    bool readAll = true;
    QByteArray packed = JobResult::packImages(names, [this, &more, &readAll](const QString &name) {
        if (more.contains(name))
            return more.take(name);
        const ScratchBytes::Place place = m_pictures.take(name);
        const QByteArray png = m_scratch.get(place);
        readAll = readAll && png.size() == place.size;
        return png;
    });
    if (!readAll)
        return Error{ErrorCode::Internal, QStringLiteral("The pictures could not be read back from their scratch file.")};
    return packed;
}

} // namespace DocRay
