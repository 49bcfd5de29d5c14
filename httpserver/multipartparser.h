#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace DocRay {

struct MultipartPart {
    QString name;
    QString fileName;
    QByteArray contentType;
    QByteArray data;
};

// Reads a multipart/form-data body (RFC 7578). Returns false with `error`
// set for a body that does not follow the format.
bool parseMultipart(const QByteArray &contentType, const QByteArray &body,
                    QList<MultipartPart> *parts, QString *error);

} // namespace DocRay
