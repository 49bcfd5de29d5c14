#pragma once

#include "engine/core/result.h"

#include <QByteArray>
#include <QFile>

#include <memory>

namespace DocRay {

// A read-write file with no name in `directory` (empty: the temporary
// folder): unlinked as soon as it is made, so a process that is killed
// leaves nothing behind. For bytes a long document would otherwise hold in
// memory, and answers written off the event loop. StorageFull where none
// can be made.
Result<std::unique_ptr<QFile>> openScratchFile(const QString &directory = {});

// Byte strings put aside in a scratch file, made at the first, and had
// back by where they went: held in memory instead where no file can be
// made or the disk is full. Owned by one thread.
class ScratchBytes final
{
public:
    struct Place {
        qint64 at = -1; // in the file; -1: in `held`
        qint64 size = 0;
        QByteArray held;
    };

    // `what` names the bytes in the warning that they stay in memory.
    explicit ScratchBytes(const char *what)
        : m_what(what)
    {
    }

    Place put(const QByteArray &bytes);
    // Empty, with a warning, where the file cannot give them back.
    QByteArray get(const Place &place) const;

private:
    const char *m_what;
    std::unique_ptr<QFile> m_file;
    bool m_noFile = false;
};

} // namespace DocRay
