#pragma once

#include "engine/parsetypes.h"

namespace DocRay {

// The engine's entry point: a request and a control in, a parsed document or
// a typed error out. Synchronous and reentrant: call it from any worker
// thread (each thread keeps its own OCR engine), from a child process or
// from the command line, unchanged.
class DocumentParser final
{
public:
    ParseResult parse(const ParseRequest &request, const ParseControl &control) const;
};

} // namespace DocRay
