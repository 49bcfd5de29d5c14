#pragma once

#include <QtGlobal>

namespace DocRay {

// Where every log line of the process goes: stderr, one line per message,
// with time, level and category, as text or as one JSON object per line
// (--log-format json). A message that is itself a JSON object (the access
// log's, in JSON mode) is merged into that line. Installed by main() for
// the life of the process; messages may come from any thread.
class LogOutput final
{
    Q_DISABLE_COPY_MOVE(LogOutput)

public:
    explicit LogOutput(bool json);
    ~LogOutput();

private:
    QtMessageHandler m_previous;
};

} // namespace DocRay
