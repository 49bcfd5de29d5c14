#include "engine/core/ziparchive.h"

#include <zip.h>

namespace DocRay {

struct ZipArchive::Private {
    QByteArray data; // libzip reads from this buffer without copying it
    zip_t *archive = nullptr;
};

ZipArchive::ZipArchive(const QByteArray &data)
    : d(std::make_unique<Private>())
{
    d->data = data;
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t *source
        = zip_source_buffer_create(d->data.constData(), static_cast<zip_uint64_t>(d->data.size()), 0, &error);
    if (source) {
        d->archive = zip_open_from_source(source, ZIP_RDONLY, &error);
        if (!d->archive)
            zip_source_free(source);
    }
    zip_error_fini(&error);
}

ZipArchive::~ZipArchive()
{
    if (d->archive)
        zip_discard(d->archive);
}

bool ZipArchive::isValid() const
{
    return d->archive != nullptr;
}

QStringList ZipArchive::entryNames() const
{
    QStringList names;
    if (!d->archive)
        return names;
    const zip_int64_t count = zip_get_num_entries(d->archive, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
        if (const char *name = zip_get_name(d->archive, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_GUESS))
            names.append(QString::fromUtf8(name));
    }
    return names;
}

bool ZipArchive::contains(const QString &name) const
{
    return d->archive && zip_name_locate(d->archive, name.toUtf8().constData(), 0) >= 0;
}

namespace {

zip_int64_t locate(zip_t *archive, const QString &name)
{
    // Writers disagree on case ("[Content_Types].xml", "Media/Image1.PNG").
    const QByteArray utf8 = name.toUtf8();
    const zip_int64_t index = zip_name_locate(archive, utf8.constData(), 0);
    return index >= 0 ? index : zip_name_locate(archive, utf8.constData(), ZIP_FL_NOCASE);
}

// Up to `limit` bytes of the member; *complete when that was all of it.
QByteArray readUpTo(zip_t *archive, zip_int64_t index, qint64 limit, bool *complete)
{
    *complete = false;
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
        return {};
    const qint64 wanted = qMin<qint64>(limit, static_cast<qint64>(qMin<zip_uint64_t>(stat.size, zip_uint64_t(limit))));
    zip_file_t *file = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    if (!file)
        return {};
    QByteArray bytes(static_cast<qsizetype>(wanted), Qt::Uninitialized);
    const zip_int64_t got = zip_fread(file, bytes.data(), zip_uint64_t(wanted));
    zip_fclose(file);
    if (got < 0)
        return {};
    bytes.truncate(static_cast<qsizetype>(got));
    *complete = stat.size <= zip_uint64_t(limit) && got == static_cast<zip_int64_t>(stat.size);
    return bytes;
}

} // namespace

QByteArray ZipArchive::read(const QString &name, bool *ok) const
{
    if (ok)
        *ok = false;
    const zip_int64_t index = d->archive ? locate(d->archive, name) : -1;
    if (index < 0)
        return {};
    bool complete = false;
    QByteArray bytes = readUpTo(d->archive, index, kMaxEntrySize, &complete);
    if (!complete)
        return {};
    if (ok)
        *ok = true;
    return bytes;
}

QByteArray ZipArchive::readPrefix(const QString &name, qsizetype maxBytes) const
{
    const zip_int64_t index = d->archive ? locate(d->archive, name) : -1;
    bool complete = false;
    return index < 0 ? QByteArray() : readUpTo(d->archive, index, maxBytes, &complete);
}

QString ZipArchive::resolvePath(const QString &fromFolder, const QString &target)
{
    QStringList parts;
    if (!target.startsWith(QLatin1Char('/')))
        parts = fromFolder.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    for (const QString &piece : target.split(QLatin1Char('/'), Qt::SkipEmptyParts)) {
        if (piece == QLatin1String("..")) {
            if (parts.isEmpty())
                return {};
            parts.removeLast();
        } else if (piece != QLatin1String(".")) {
            parts.append(piece);
        }
    }
    return parts.join(QLatin1Char('/'));
}

} // namespace DocRay
