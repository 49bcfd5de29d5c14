#include "httpserver/multipartparser.h"

#include <QByteArrayView>
#include <QUrl>

namespace DocRay {

namespace {

// The value of `key` in a header such as `form-data; name="file"; filename="a.pdf"`.
QByteArray headerParameter(const QByteArray &header, const QByteArray &key)
{
    const QList<QByteArray> pieces = header.split(';');
    for (const QByteArray &piece : pieces) {
        const QByteArray trimmed = piece.trimmed();
        const int equals = static_cast<int>(trimmed.indexOf('='));
        if (equals <= 0 || trimmed.left(equals).trimmed().toLower() != key)
            continue;
        QByteArray value = trimmed.mid(equals + 1).trimmed();
        if (value.size() >= 2 && value.startsWith('"') && value.endsWith('"'))
            value = value.mid(1, value.size() - 2).replace("\\\"", "\"");
        return value;
    }
    return {};
}

QString decodeFileName(const QByteArray &disposition)
{
    // RFC 5987 form (filename*=UTF-8''na%C3%AFve.pdf) wins over the plain one.
    const QByteArray extended = headerParameter(disposition, "filename*");
    const int quote = static_cast<int>(extended.indexOf("''"));
    if (quote >= 0)
        return QUrl::fromPercentEncoding(extended.mid(quote + 2));
    return QString::fromUtf8(headerParameter(disposition, "filename"));
}

} // namespace

bool parseMultipart(const QByteArray &contentType, const QByteArray &body,
                    QList<MultipartPart> *parts, QString *error)
{
    const QByteArray boundary = headerParameter(contentType, "boundary");
    if (boundary.isEmpty() || boundary.size() > 200) {
        *error = QStringLiteral("The multipart body has no valid boundary.");
        return false;
    }
    const QByteArray delimiter = "--" + boundary;
    const QByteArray partDelimiter = "\r\n" + delimiter;
    const QByteArrayView view(body);

    qsizetype pos = view.indexOf(QByteArrayView(delimiter));
    if (pos < 0) {
        *error = QStringLiteral("The multipart body does not contain its boundary.");
        return false;
    }
    pos += delimiter.size();
    while (true) {
        if (body.mid(pos, 2) == "--")
            return true; // closing delimiter
        if (body.mid(pos, 2) != "\r\n") {
            *error = QStringLiteral("The multipart body is malformed after a boundary.");
            return false;
        }
        pos += 2;
        const qsizetype headersEnd = view.indexOf(QByteArrayView("\r\n\r\n"), pos);
        if (headersEnd < 0) {
            *error = QStringLiteral("A multipart part has no end of headers.");
            return false;
        }
        MultipartPart part;
        const QList<QByteArray> headerLines = body.mid(pos, headersEnd - pos).split('\n');
        for (const QByteArray &rawLine : headerLines) {
            const QByteArray line = rawLine.trimmed();
            const int colon = static_cast<int>(line.indexOf(':'));
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-disposition") {
                part.name = QString::fromUtf8(headerParameter(value, "name"));
                part.fileName = decodeFileName(value);
            } else if (name == "content-type") {
                part.contentType = value;
            }
        }
        const qsizetype dataStart = headersEnd + 4;
        const qsizetype dataEnd = view.indexOf(QByteArrayView(partDelimiter), dataStart);
        if (dataEnd < 0) {
            *error = QStringLiteral("A multipart part is not terminated by the boundary.");
            return false;
        }
        part.data = body.mid(dataStart, dataEnd - dataStart);
        parts->append(part);
        pos = dataEnd + partDelimiter.size();
    }
}

} // namespace DocRay
