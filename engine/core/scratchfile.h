#pragma once

#include "engine/core/result.h"

#include <QFile>

#include <memory>

namespace DocRay {

// A read-write file in the temporary folder with no name: unlinked as soon
// as it is made, so a process that is killed leaves nothing behind. For
// bytes a long document would otherwise hold in memory. StorageFull where
// none can be made.
Result<std::unique_ptr<QFile>> openScratchFile();

} // namespace DocRay
