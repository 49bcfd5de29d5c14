#pragma once

#include <QStringList>

namespace DocRay {

// `doc-ray convert INPUT [-o OUT.md] [--json OUT.json]`: one document parsed
// in this process, no server and no job store. Returns the exit code.
int runConvertCommand(const QStringList &arguments);

} // namespace DocRay
