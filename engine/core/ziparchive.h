#pragma once

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <memory>

namespace DocRay {

// Read-only view of a ZIP container held in memory (DOCX, XLSX, ODF, ...).
// Owns its libzip handle; not thread-safe, so each parse opens its own.
// Member sizes are capped so that a zip bomb fails instead of filling memory.
class ZipArchive final
{
public:
    explicit ZipArchive(const QByteArray &data);
    ~ZipArchive();
    ZipArchive(const ZipArchive &) = delete;
    ZipArchive &operator=(const ZipArchive &) = delete;

    bool isValid() const;
    QStringList entryNames() const;
    bool contains(const QString &name) const;
    // The member's bytes; empty (and *ok false) when absent, damaged or too big.
    QByteArray read(const QString &name, bool *ok = nullptr) const;
    // At most the first `maxBytes` of the member, inflating no more than
    // that: enough to sniff, never a bomb.
    QByteArray readPrefix(const QString &name, qsizetype maxBytes) const;

    static constexpr qint64 kMaxEntrySize = 256 * 1024 * 1024;

    // A relationship target ("../media/a.png", "/word/x.xml") resolved
    // against the folder of the part that names it, as a member name;
    // empty when it would leave the package.
    static QString resolvePath(const QString &fromFolder, const QString &target);

private:
    struct Private;
    std::unique_ptr<Private> d;
};

} // namespace DocRay
