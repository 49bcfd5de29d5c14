#pragma once

namespace DocRay {

// Marks the upper halves of the AVX registers unused (vzeroupper), where
// the processor has AVX; nothing elsewhere.
//
// Qt 6.4's string hash (a QHash or QSet lookup of a QString or QByteArray
// key under 16 bytes) returns with them in use, and glibc's string
// functions on AVX-512 machines (their EVEX versions) never clear them:
// every SSE instruction after it then waits on the stale halves. On AMD
// EPYC, Qt's colour-to-grey conversion of a page took 29 ms instead of 8.
// Called where long runs of work begin: a page's reading, its render, its OCR.
void clearUpperVectorState();

} // namespace DocRay
