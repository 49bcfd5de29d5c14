#pragma once

#include "engine/core/packedbytes.h"
#include "engine/jobs/jobtypes.h"
#include "engine/jobs/stores/jobstore.h"

#include <QDateTime>
#include <QTemporaryFile>

#include <optional>

namespace DocRay::Test {

// A job's upload as the store writes it into a file (over what the file held
// before, here some bytes); empty where the job has none.
inline QByteArray storedUpload(JobStore &store, const QString &id)
{
    QTemporaryFile file;
    if (!file.open() || file.write("stale bytes of another upload") < 0)
        return "(no file)";
    const Result<void> written = store.writeUpload(id, file);
    if (!written)
        return written.error().code == ErrorCode::NotFound ? QByteArray() : "(not written)";
    file.seek(0);
    return file.readAll();
}

// A completed image job whose result a store writes in small pieces: a
// markdown of 400 paragraphs in Chinese (pieces end inside characters), a
// middle JSON of 3,000 entries, four pictures of noise (they do not pack)
// and a PDF of 3,500 bytes, and each value as it must read back.
struct LargeResult {
    JobRecord job;
    JobResult result;
    QByteArray markdown;
    QByteArray middleJson;
    QMap<QString, QByteArray> images;
    QByteArray pdf;

    // Whether a store gave it back whole.
    bool cameBack(const std::optional<JobResult> &stored) const
    {
        return stored && stored->markdown == markdown && stored->middleJson == middleJson
            && stored->images() == images && stored->pdfData == pdf;
    }
};

inline LargeResult largeResult()
{
    LargeResult large;
    large.job.id = QStringLiteral("pieces-1");
    large.job.fileName = QStringLiteral("scan.png");
    large.job.format = QStringLiteral("image");
    large.job.createdAt = large.job.lastAccess = QDateTime::currentDateTimeUtc();
    large.markdown = "# Pieces\n";
    for (int i = 0; i < 400; ++i)
        large.markdown += "\n第" + QByteArray::number(i) + "段：实验结果与预期一致。\n";
    large.middleJson = "{\"pdf_info\":[";
    for (int i = 0; i < 3000; ++i)
        large.middleJson += "{\"page_idx\":" + QByteArray::number(i) + ",\"text\":\""
            + QByteArray::number(i * 7919 % 10007, 16) + "\"},";
    large.middleJson += "{}]}";
    for (int i = 0; i < 4; ++i) {
        QByteArray png(1500, Qt::Uninitialized);
        quint32 noise = 2463534242u + quint32(i); // xorshift
        for (qsizetype b = 0; b < png.size(); ++b) {
            noise ^= noise << 13;
            noise ^= noise >> 17;
            noise ^= noise << 5;
            png[b] = char(noise);
        }
        large.images.insert(QStringLiteral("images/%1.png").arg(i), png);
    }
    large.pdf.resize(3500);
    for (qsizetype b = 0; b < large.pdf.size(); ++b)
        large.pdf[b] = char(b % 256);
    large.result.markdown = pack(large.markdown);
    large.result.middleJson = pack(large.middleJson);
    large.result.imagesJson = JobResult::packImages(large.images);
    large.result.pdfData = large.pdf;
    return large;
}

// An upload larger than the slices a store reads one at a time: 9 MB of
// every byte value.
inline QByteArray largeUpload()
{
    QByteArray upload(9 << 20, Qt::Uninitialized);
    for (qsizetype b = 0; b < upload.size(); ++b)
        upload[b] = char((b * 131 + b / 4099) % 256);
    return upload;
}

} // namespace DocRay::Test
