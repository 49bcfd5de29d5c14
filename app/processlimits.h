#pragma once

#include <QtGlobal>

namespace DocRay {

// The address space a parsing process may take, in MB (0: no limit), as a
// server's workers and `convert` set it: a decompression bomb fails its
// allocations instead of taking the machine's memory.
void limitAddressSpace(quint64 megabytes);

} // namespace DocRay
