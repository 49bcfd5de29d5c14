#include "httpserver/admission.h"

#include <QUrl>

namespace DocRay {

namespace {

// Compares without an early exit, so the time taken says nothing about the key.
bool sameSecret(const QByteArray &presented, const QByteArray &secret)
{
    unsigned char difference = presented.size() == secret.size() ? 0 : 1;
    for (qsizetype i = 0; i < secret.size(); ++i) {
        const char offered = presented.isEmpty() ? '\0' : presented.at(i % presented.size());
        difference |= static_cast<unsigned char>(offered ^ secret.at(i));
    }
    return difference == 0;
}

bool isLoopbackName(const QString &host)
{
    const QString name = host.toLower();
    return name == QLatin1String("localhost") || QHostAddress(name).isLoopback();
}

// "127.0.0.1:8639", "[::1]:8639", "localhost"
QString hostOfHostHeader(const QByteArray &host)
{
    if (host.startsWith('['))
        return QString::fromLatin1(host.mid(1, host.indexOf(']') - 1));
    return QString::fromLatin1(host.split(':').first());
}

// Health checks, the API's own documentation and the browser UI's files
// carry no data (the UI asks for the key and sends it with its requests).
bool isOpenPath(const QByteArray &path)
{
    return path == "/health" || path == "/docs" || path.startsWith("/docs/") || path == "/openapi.json" || path == "/"
        || path.startsWith("/ui/");
}

std::optional<Error> localClientError(const AdmissionRequest &request)
{
    if (!isLoopbackName(hostOfHostHeader(request.header("host"))))
        return Error{ErrorCode::Forbidden, QStringLiteral("This server only answers requests addressed to localhost.")};
    // A page on any web site can make the user's browser post to
    // 127.0.0.1; the browser names that site in Origin.
    const QByteArray origin = request.header("origin");
    const bool foreignOrigin = !origin.isEmpty() && !isLoopbackName(QUrl(QString::fromLatin1(origin)).host());
    if (foreignOrigin || request.header("sec-fetch-site") == "cross-site")
        return Error{ErrorCode::Forbidden, QStringLiteral("Requests from web pages of other sites are refused.")};
    return std::nullopt;
}

} // namespace

std::optional<Error> admissionError(const AdmissionPolicy &policy, const AdmissionRequest &request)
{
    if (policy.localClientsOnly)
        if (std::optional<Error> error = localClientError(request))
            return error;
    if (policy.apiKey.isEmpty()) {
        if (request.path == "/jobs" && !request.peer.isLoopback())
            return Error{ErrorCode::Forbidden, QStringLiteral("The job list is only served to clients on this machine unless the "
                                                              "server has an API key (start it with --api-key).")};
        return std::nullopt;
    }
    if (isOpenPath(request.path))
        return std::nullopt;
    QByteArray presented = request.header("x-api-key");
    const QByteArray authorization = request.header("authorization");
    if (authorization.startsWith("Bearer "))
        presented = authorization.mid(7).trimmed();
    if (!sameSecret(presented, policy.apiKey))
        return Error{ErrorCode::Unauthorized,
                     QStringLiteral("A valid API key is required: send 'Authorization: Bearer <key>' or 'X-API-Key: <key>'.")};
    return std::nullopt;
}

} // namespace DocRay
