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

QByteArray ZipArchive::read(const QString &name, bool *ok) const
{
    if (ok)
        *ok = false;
    if (!d->archive)
        return {};
    // Writers disagree on case ("[Content_Types].xml", "Media/Image1.PNG").
    zip_int64_t index = zip_name_locate(d->archive, name.toUtf8().constData(), 0);
    if (index < 0)
        index = zip_name_locate(d->archive, name.toUtf8().constData(), ZIP_FL_NOCASE);
    if (index < 0)
        return {};
    zip_stat_t stat;
    zip_stat_init(&stat);
    if (zip_stat_index(d->archive, static_cast<zip_uint64_t>(index), 0, &stat) != 0
        || !(stat.valid & ZIP_STAT_SIZE) || stat.size > static_cast<zip_uint64_t>(kMaxEntrySize))
        return {};
    zip_file_t *file = zip_fopen_index(d->archive, static_cast<zip_uint64_t>(index), 0);
    if (!file)
        return {};
    QByteArray bytes(static_cast<qsizetype>(stat.size), Qt::Uninitialized);
    const zip_int64_t got = zip_fread(file, bytes.data(), stat.size);
    zip_fclose(file);
    if (got != static_cast<zip_int64_t>(stat.size))
        return {};
    if (ok)
        *ok = true;
    return bytes;
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
