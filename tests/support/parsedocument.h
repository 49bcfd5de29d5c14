#pragma once

#include "engine/documentparser.h"

namespace DocRay::Test {

// One document through the real engine, its format sniffed as /submit does.
inline ParseResult parseDocument(const QByteArray &data, const QString &fileName, const ParserParams &params = {},
                                 const ParseLimits &limits = {}, const ParseControl &control = {})
{
    ParseRequest request;
    request.data = data;
    request.fileName = fileName;
    request.format = detectFormat(data, fileName).format;
    request.params = params;
    request.limits = limits;
    return DocumentParser().parse(request, control);
}

// parser_params read as /submit reads them: the problem, or empty with `out` set.
inline QString readParams(const QJsonObject &json, ParserParams *out)
{
    const Result<ParserParams> read = ParserParams::fromJson(json);
    if (read)
        *out = *read;
    return read.errorMessage();
}

} // namespace DocRay::Test
