#pragma once

#include "engine/core/parsetypes.h"

#include <QFile>
#include <QMap>
#include <QString>

#include <memory>

namespace DocRay {

// A result's pictures on their way to the store (ParseControl::pictures):
// kept in a scratch file (scratchfile.h) until the result is written, not
// in memory, then packed as result.images' JSON one picture at a time.
// Held in memory where no scratch file can be had. One per parse; owned by
// one thread.
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
    struct Stored {
        qint64 at = 0;
        qint64 size = 0;
    };
    QByteArray readBack(const Stored &stored);

    std::unique_ptr<QFile> m_file;
    bool m_noFile = false; // none could be made: pictures are held
    QMap<QString, Stored> m_stored;
    QMap<QString, QByteArray> m_held;
};

} // namespace DocRay
