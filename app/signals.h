#pragma once

class QCoreApplication;

namespace DocRay {

// SIGTERM/SIGINT quit the event loop, so jobs in flight are left "running"
// in the store and resumed on the next start instead of being cut mid-write.
void quitOnTerminationSignals(QCoreApplication *app);

} // namespace DocRay
