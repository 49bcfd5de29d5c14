#pragma once

#include "engine/core/parsetypes.h"
#include "engine/core/scratchfile.h"

#include <QMap>
#include <QString>

namespace DocRay {

// A result's pictures on their way to the store (ParseControl::pictures):
// kept in a scratch file (ScratchBytes) until the result is written, not in
// memory, then packed as result.images' JSON one picture at a time. One per
// parse; owned by one thread.
class PictureSpool final
{
public:
    PictureSpool() = default;
    PictureSpool(const PictureSpool &) = delete;
    PictureSpool &operator=(const PictureSpool &) = delete;

    void add(const QString &name, const QByteArray &png);
    PictureSink sink()
    {
        return [this](const QString &name, const QByteArray &png) { add(name, png); };
    }
    // JobResult::imagesJson of these pictures and of `more` (the result's
    // own images), packed; Internal where the file cannot be read back.
    Result<QByteArray> packedJson(QMap<QString, QByteArray> more);

private:
    ScratchBytes m_scratch{"a result's pictures"};
    QMap<QString, ScratchBytes::Place> m_pictures;
};

} // namespace DocRay
