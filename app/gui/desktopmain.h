#pragma once

namespace DocRay {

// The desktop mode: the service, its API on loopback and the main window,
// with the files named on the command line submitted. Returns the exit code.
int runDesktop(int argc, char **argv);

} // namespace DocRay
