// Any bytes as the JSON a client sends (a body or parser_params): parsing
// and validating the parameters must end in values or an error message.
#include "engine/core/parsetypes.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const QJsonDocument document = QJsonDocument::fromJson(bytes);
    QJsonObject params = document.object();
    if (params.contains(QStringLiteral("parser_params")))
        params = params.value(QStringLiteral("parser_params")).toObject();
    if (const auto parsed = DocRay::ParserParams::fromJson(params))
        [[maybe_unused]] const auto again = DocRay::ParserParams::fromJson(parsed->toJson()); // what is accepted round-trips
    return 0;
}
