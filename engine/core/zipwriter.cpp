#include "engine/core/zipwriter.h"

#include <zip.h>

#include <memory>

namespace DocRay {

namespace {

Error zipError(zip_error_t *error)
{
    return Error{ErrorCode::Internal, QStringLiteral("The archive could not be written: %1.")
                                          .arg(QString::fromUtf8(zip_error_strerror(error)))};
}

// The bytes libzip wrote into `source`.
Result<QByteArray> contents(zip_source_t *source)
{
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_source_open(source) < 0)
        return zipError(zip_source_error(source));
    QByteArray bytes;
    if (zip_source_stat(source, &stat) == 0 && (stat.valid & ZIP_STAT_SIZE)) {
        bytes.resize(qsizetype(stat.size));
        if (zip_source_read(source, bytes.data(), stat.size) != zip_int64_t(stat.size))
            bytes.clear();
    }
    zip_source_close(source);
    if (bytes.isEmpty())
        return zipError(zip_source_error(source));
    return bytes;
}

} // namespace

void ZipWriter::add(const QString &name, const QByteArray &bytes, bool compress)
{
    m_members.append({name, bytes, compress});
}

Result<QByteArray> ZipWriter::finish() const
{
    zip_error_t error;
    zip_error_init(&error);
    std::unique_ptr<zip_error_t, void (*)(zip_error_t *)> cleanup(&error, zip_error_fini);
    zip_source_t *target = zip_source_buffer_create(nullptr, 0, 0, &error);
    if (!target)
        return zipError(&error);
    zip_t *archive = zip_open_from_source(target, ZIP_TRUNCATE, &error);
    if (!archive) {
        zip_source_free(target);
        return zipError(&error);
    }
    zip_source_keep(target); // read after zip_close, which would free it
    for (const Member &member : m_members) {
        zip_source_t *source = zip_source_buffer(archive, member.bytes.constData(), zip_uint64_t(member.bytes.size()), 0);
        const zip_int64_t index = source ? zip_file_add(archive, member.name.toUtf8().constData(), source,
                                                        ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE)
                                         : -1;
        if (index < 0) {
            if (source)
                zip_source_free(source);
            const Error failed = zipError(zip_get_error(archive));
            zip_discard(archive);
            zip_source_free(target);
            return failed;
        }
        zip_set_file_compression(archive, zip_uint64_t(index), member.compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 0);
    }
    if (zip_close(archive) < 0) {
        const Error failed = zipError(zip_get_error(archive));
        zip_discard(archive);
        zip_source_free(target);
        return failed;
    }
    Result<QByteArray> bytes = contents(target);
    zip_source_free(target);
    return bytes;
}

} // namespace DocRay
