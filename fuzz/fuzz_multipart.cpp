// Any bytes as a multipart/form-data body: the parser must answer parts or
// an error, never crash or read out of bounds.
#include "httpserver/multipartparser.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray body(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    // The first line, when there is one, is the boundary a client declared.
    const qsizetype newline = body.indexOf('\n');
    const QByteArray boundary = newline > 0 ? body.left(qMin<qsizetype>(newline, 70)) : QByteArray("b");
    QList<DocRay::MultipartPart> parts;
    QString error;
    DocRay::parseMultipart("multipart/form-data; boundary=" + boundary, body, &parts, &error);
    DocRay::parseMultipart("multipart/form-data; boundary=\"" + boundary + "\"", body.mid(newline + 1), &parts, &error);
    return 0;
}
