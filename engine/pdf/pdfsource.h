#pragma once

#include <QByteArray>
#include <QString>

namespace DocRay {

// Where a PDF's bytes are: in memory, or in a file Poppler reads as its
// pages need them, so that a long document is not held in the process
// (`convert` reads the user's file; a worker spools its upload to one). A
// value: copies share the bytes.
class PdfSource final
{
public:
    PdfSource() = default;
    // Bytes are a source as they are (every caller that has them in memory).
    PdfSource(QByteArray bytes) // NOLINT(google-explicit-constructor)
        : m_bytes(std::move(bytes))
    {
    }
    static PdfSource file(const QString &path)
    {
        PdfSource source;
        source.m_path = path;
        return source;
    }

    bool isFile() const { return !m_path.isEmpty(); }
    const QString &path() const { return m_path; }
    const QByteArray &bytes() const { return m_bytes; } // empty for a file
    // The whole PDF either way: a file is read now (empty where it cannot be).
    QByteArray readAll() const;

private:
    QByteArray m_bytes;
    QString m_path;
};

} // namespace DocRay
