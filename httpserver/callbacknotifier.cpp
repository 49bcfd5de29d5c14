#include "httpserver/callbacknotifier.h"

#include <QLoggingCategory>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QTimer>

Q_LOGGING_CATEGORY(lcCallbacks, "docray.callbacks")

namespace DocRay {

CallbackNotifier::CallbackNotifier(const CallbackSettings &settings, QObject *parent)
    : QObject(parent)
    , m_settings(settings)
{
    for (QString &host : m_settings.allowedHosts)
        host = host.trimmed().toLower();
    m_settings.allowedHosts.removeAll(QString());
}

namespace {

// One --callback-allow-host entry: "host" (the scheme's own port),
// "host:8080", "host:*" (any port), each optionally "https://"-prefixed
// to allow that scheme only. IPv6 addresses in brackets.
bool allows(const QString &entry, const QUrl &url)
{
    QString rest = entry;
    QString scheme;
    if (const qsizetype colonSlashes = rest.indexOf(QLatin1String("://")); colonSlashes > 0) {
        scheme = rest.left(colonSlashes);
        rest = rest.mid(colonSlashes + 3);
    }
    QString host = rest, port;
    const qsizetype bracket = rest.lastIndexOf(QLatin1Char(']'));
    const qsizetype colon = rest.lastIndexOf(QLatin1Char(':'));
    if (colon > bracket && (bracket >= 0 || rest.count(QLatin1Char(':')) == 1)) {
        host = rest.left(colon);
        port = rest.mid(colon + 1);
    }
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if ((!scheme.isEmpty() && scheme != url.scheme()) || host != url.host().toLower())
        return false;
    const int defaultPort = url.scheme() == QLatin1String("https") ? 443 : 80;
    const int asked = url.port(defaultPort);
    return port == QLatin1String("*") || (port.isEmpty() ? asked == defaultPort : port.toInt() == asked);
}

} // namespace

QString CallbackNotifier::refusal(const QUrl &url) const
{
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty())
        return QStringLiteral("parser_params.callback_url must be an absolute http or https URL.");
    if (!url.userInfo().isEmpty())
        return QStringLiteral("parser_params.callback_url must not carry a user name or password.");
    for (const QString &entry : m_settings.allowedHosts)
        if (allows(entry, url))
            return {};
    return QStringLiteral("parser_params.callback_url: %1 is not allowed; the operator allows callback hosts "
                          "(and ports) with --callback-allow-host.")
        .arg(url.toDisplayString(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment));
}

void CallbackNotifier::deliver(const QString &jobId, const QUrl &url, const QByteArray &body)
{
    if (const QString refused = refusal(url); !refused.isEmpty()) {
        qCWarning(lcCallbacks).noquote() << "job" << jobId << "callback not sent:" << refused;
        return;
    }
    attempt(jobId, url, body, 1);
}

void CallbackNotifier::attempt(const QString &jobId, const QUrl &url, const QByteArray &body, int number)
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setHeader(QNetworkRequest::UserAgentHeader, QByteArrayLiteral("doc-ray/" DOCRAY_VERSION));
    request.setRawHeader("X-DocRay-Job-Id", jobId.toUtf8());
    request.setRawHeader("X-DocRay-Attempt", QByteArray::number(number));
    // A redirect could lead to a host nobody allowed.
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    request.setTransferTimeout(m_settings.attemptTimeoutMs);
    QNetworkReply *reply = m_network.post(request, body);
    connect(reply, &QNetworkReply::finished, this, [this, reply, jobId, url, body, number] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (reply->error() == QNetworkReply::NoError && status >= 200 && status < 300) {
            qCInfo(lcCallbacks).noquote()
                << "job" << jobId << "callback delivered to" << url.toDisplayString(QUrl::RemoveUserInfo) << "on attempt" << number;
            Q_EMIT finished(jobId, true, number);
            return;
        }
        const QString why = status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        if (number >= m_settings.maxAttempts) {
            qCWarning(lcCallbacks).noquote()
                << "job" << jobId << "callback to" << url.toDisplayString(QUrl::RemoveUserInfo) << "failed:" << why << "- gave up after"
                << number << "attempt(s)";
            Q_EMIT finished(jobId, false, number);
            return;
        }
        const int delay = m_settings.firstRetryMs * (1 << qMin(number - 1, 16));
        qCInfo(lcCallbacks).noquote() << "job" << jobId << "callback to" << url.toDisplayString(QUrl::RemoveUserInfo) << "failed:" << why
                                      << "- retrying in" << delay << "ms";
        QTimer::singleShot(
            delay, this, [this, jobId, url, body, number] { attempt(jobId, url, body, number + 1); });
    });
}

} // namespace DocRay
