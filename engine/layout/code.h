#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// Text blocks set in a monospaced font (most of their characters) are code:
// Code blocks, kept line by line, never headings, lists or formulas. Lists
// of monospaced names and headings set in monospace (larger than the body,
// or bold) stay what they are.
void markCodeBlocks(QList<PageLayout> &pages, double bodySize);

} // namespace DocRay
