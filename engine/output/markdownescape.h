#pragma once

#include <QString>

namespace DocRay {

// Text as a reader sees it, whatever markdown would make of its characters:
// emphasis marks, code ticks, HTML and link brackets are escaped where they
// could mean something (an underscore inside a word cannot).
QString escapeInline(const QString &text);

// The same for a paragraph, which must also not open with what would make
// it a heading, a quote, a list item, a rule or a link definition.
QString escapeParagraph(const QString &text);

// Only that opening, for text escaped inline already.
QString escapeBlockStart(const QString &inlineEscaped);

} // namespace DocRay
