#include "httpserver/resultfile.h"

#include "engine/core/scratchfile.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace DocRay {

namespace {

constexpr qsizetype kBase64Slice = 3 * 1024 * 1024; // a multiple of 3: slices encode independently

QByteArray jsonString(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2); // ["..."] -> "..."
}

// An open file in `directory` that has no name: the kernel frees it when it
// is closed, even if the process dies.
Result<AnswerFile> openAnswerFile(const QString &directory)
{
    Result<std::unique_ptr<QFile>> file = openScratchFile(directory);
    if (!file)
        return Error{ErrorCode::StorageFull, QStringLiteral("The answer could not be written to disk: %1").arg(file.errorMessage())};
    return std::move(*file);
}

Result<AnswerFile> finish(AnswerFile file)
{
    if (!file->flush() || file->error() != QFileDevice::NoError)
        return Error{ErrorCode::StorageFull, QStringLiteral("The answer could not be written to disk: %1").arg(file->errorString())};
    file->seek(0);
    return file;
}

} // namespace

Result<AnswerFile> writeResultFile(const QString &jobId, const JobResult &stored, bool withPdf, bool withImages,
                                   const QString &directory)
{
    Result<AnswerFile> opened = openAnswerFile(directory);
    if (!opened)
        return opened;
    AnswerFile file = std::move(*opened);
    // Keys in the order QJsonObject writes them, as every other answer.
    file->write("{\"error\":null,\"job_id\":" + jsonString(jobId) + ",\"message\":null,\"result\":{");
    if (withImages)
        file->write("\"images\":" + (stored.imagesJson.isEmpty() ? QByteArray("{}") : stored.imagesJson) + ',');
    file->write("\"markdown\":" + jsonString(QString::fromUtf8(stored.markdown)));
    file->write(",\"middle_json\":" + jsonString(QString::fromUtf8(stored.middleJson)));
    if (withPdf) {
        file->write(",\"pdf_data\":\"");
        for (qsizetype at = 0; at < stored.pdfData.size(); at += kBase64Slice)
            file->write(stored.pdfData.mid(at, kBase64Slice).toBase64());
        file->write("\"");
    }
    file->write("},\"status\":\"completed\"}");
    return finish(std::move(file));
}

Result<AnswerFile> writeBytesFile(const QByteArray &bytes, const QString &directory)
{
    Result<AnswerFile> opened = openAnswerFile(directory);
    if (!opened)
        return opened;
    (*opened)->write(bytes);
    return finish(std::move(*opened));
}

} // namespace DocRay
