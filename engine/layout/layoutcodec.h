#pragma once

#include "engine/pdf/pdftextreader.h"

#include <QByteArray>

#include <optional>

namespace DocRay {

// Page layouts as read (before any document-wide analysis) to bytes and
// back, exactly: every double bit for bit, so pages read in batches on
// different machines analyse to the same document as pages read in one go.
// Used to hand page batches from the replicas that read them to the one
// that merges them; bytes cut short, altered past their counts or written
// by another version give nullopt.
QByteArray encodePdfRead(const PdfPages &read);
std::optional<PdfPages> decodePdfRead(const QByteArray &bytes);

// One page, at any stage of its analysis, to bytes and back, exactly (the
// bytes stay within the process: no version check).
QByteArray encodePage(const PageLayout &page);
PageLayout decodePage(const QByteArray &bytes);

} // namespace DocRay
