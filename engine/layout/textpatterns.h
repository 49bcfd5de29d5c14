#pragma once

#include "engine/core/pagelayout.h"

namespace DocRay {

// What a piece of text reads as, from its characters and fonts alone: the
// cues the layout rules, the block features and the writers share.

// More right-to-left letters (Arabic, Hebrew) than left-to-right ones.
bool isRightToLeft(const QString &text);
// Right-to-left text read in visual order put in logical order: its
// characters reversed, a letter's marks kept after it.
QString reversedByCharacter(const QString &text);
// The marks a bulleted item opens with, as a regular expression's
// character class: LaTeX's four levels (•, –, ∗, ·), word processors'
// and plain text's.
QString bulletClass();
// A bullet, "1.", "(2)" or "a)" standing alone as a word.
bool isListMarker(const QString &text);
// Whether the text holds a letter of any script (a brace or a rule alone does not).
bool containsLetter(QStringView text);
// No letter or digit in it: a bullet, a comment's slashes, a typesetter's
// mark ("–", "//", "⌋"), or nothing.
bool isMarksOnly(QStringView text);
// "3", "4.2.", "A.", "IV." standing alone as a word.
bool isSectionNumber(const QString &text);
// A word OCR read off a drawn line: a cover's stripes, a rule ("—_—_—_S",
// "————"). Runs of ASCII dashes, underscores or equals signs are not: code
// is made of them ("===", "---").
bool isDrawnRule(const QString &word);
// Text ending in Chinese or Japanese's full stop: a sentence. Their
// headings never end in one; a caption or a paragraph's lone line does.
bool endsInCjkFullStop(const QString &text);
// A line that opens with a bullet or a number and goes on: a list item.
bool startsListItem(const TextLine &line);
// What a caption's opening words ("Figure 3:", "Fig. 2", "图 1", "Table 2",
// "表 1") say it captions.
enum class CaptionKind { None, Figure, Table };
CaptionKind captionKind(const QString &text);
// The text ends a sentence (or a clause): ".", "!", "?", ":", ";", their
// CJK forms, or a closing quote or bracket.
bool endsSentence(const QString &text);
// A line of a word or three ending in a full stop ("0.", "true.",
// "'evalmachine.<anonymous>'.", no comment): in a face of code, the value that closes
// a sentence of prose ("Default:" on the line above), not a listing.
bool closesSentenceWithValue(const TextLine &line);
// "12", "Page 3 of 9", "iv" alone on one line.
bool isPageNumber(const TextBlock &block);
// Running headers and footers repeat on many pages: their text with the
// page numbers (digits) left out, lower-cased.
QString furnitureKey(const TextBlock &block);
// Set in a fixed-width face (its first word): code.
bool isMonospaced(const TextBlock &block);
// Courier, DejaVu Sans Mono, Consolas, cmtt, ...
bool isMonospaceFont(const QString &fontName);
// Words that read as Title Case ("Results of the Study"): capitals or
// digits, short lower-case words allowed after the first.
bool isTitleCase(const QList<TextSpan> &words);
// 0 for an unnumbered heading, 1 for "3 Results" or "3. Results", 2 for "3.1 ...".
int numberingDepth(const QString &heading);
// Letters and digits, lower-cased: a heading's text matched against the
// outline's, whatever the spacing and punctuation.
QString headingKey(const QString &text);

} // namespace DocRay
