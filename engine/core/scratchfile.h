#pragma once

#include "engine/core/result.h"

#include <QFile>

#include <memory>

namespace DocRay {

// A read-write file with no name in `directory` (empty: the temporary
// folder): unlinked as soon as it is made, so a process that is killed
// leaves nothing behind. For bytes a long document would otherwise hold in
// memory, and answers written off the event loop. StorageFull where none
// can be made.
Result<std::unique_ptr<QFile>> openScratchFile(const QString &directory = {});

} // namespace DocRay
