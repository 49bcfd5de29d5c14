#include "engine/pdf/pdfsource.h"

#include <QFile>

namespace DocRay {

QByteArray PdfSource::readAll() const
{
    if (!isFile())
        return m_bytes;
    QFile file(m_path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace DocRay
