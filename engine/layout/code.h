#pragma once

#include "engine/core/pagelayout.h"

#include <functional>

namespace DocRay {

// Text blocks set in a monospaced font (most of their characters) are code:
// Code blocks, kept line by line, never headings, lists or formulas. Lists
// of monospaced names and headings set in monospace (larger than the body,
// or bold) stay what they are.
void markCodeBlocks(PageLayout &page, double bodySize);

// How far a page of code alone looks, before and after it, for prose that
// shows where its column ends.
inline constexpr qsizetype kCodeEdgePages = 2;
// The page `offset` pages from this one, as markCodeBlocks left it; null
// past the document's ends.
using NearPage = std::function<const PageLayout *(qsizetype offset)>;

// Lines of code a column's edge wrapped are joined again, once every page
// within kCodeEdgePages has been through markCodeBlocks: a page of code
// alone borrows its column's edge from the pages around it.
void joinWrappedCodeLines(PageLayout &page, const NearPage &near);

} // namespace DocRay
