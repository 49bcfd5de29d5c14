#pragma once

#include "engine/core/result.h"
#include "engine/jobs/jobtypes.h"

#include <QFile>
#include <QString>

#include <memory>

namespace DocRay {

// A large answer body kept on disk, not in memory, while a client reads
// it: QHttpServer sends a file in pieces as the socket drains. The file is
// unlinked as soon as it is written, so nothing is left behind whatever
// happens to the process.
using AnswerFile = std::unique_ptr<QFile>;

// GET /result/{id} of a completed job, in the original service's shape,
// written field by field: pdf_data is base64-encoded slice by slice.
// Runs on any thread.
Result<AnswerFile> writeResultFile(const QString &jobId, const JobResult &stored, bool withPdf, bool withImages,
                                   const QString &directory);

// Raw bytes (the PDF) as an answer file.
Result<AnswerFile> writeBytesFile(const QByteArray &bytes, const QString &directory);

} // namespace DocRay
