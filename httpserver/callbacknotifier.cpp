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

QString CallbackNotifier::refusal(const QUrl &url) const
{
    if (!url.isValid() || (url.scheme() != QLatin1String("http") && url.scheme() != QLatin1String("https"))
        || url.host().isEmpty())
        return QStringLiteral("parser_params.callback_url must be an absolute http or https URL.");
    if (!m_settings.allowedHosts.contains(url.host().toLower()))
        return QStringLiteral("parser_params.callback_url: host '%1' is not allowed; the operator allows "
                              "callback hosts with --callback-allow-host.")
            .arg(url.host());
    return {};
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
                << "job" << jobId << "callback delivered to" << url.toString() << "on attempt" << number;
            Q_EMIT finished(jobId, true, number);
            return;
        }
        const QString why = status > 0 ? QStringLiteral("HTTP %1").arg(status) : reply->errorString();
        if (number >= m_settings.maxAttempts) {
            qCWarning(lcCallbacks).noquote()
                << "job" << jobId << "callback to" << url.toString() << "failed:" << why << "- gave up after"
                << number << "attempt(s)";
            Q_EMIT finished(jobId, false, number);
            return;
        }
        const int delay = m_settings.firstRetryMs * (1 << qMin(number - 1, 16));
        qCInfo(lcCallbacks).noquote() << "job" << jobId << "callback to" << url.toString() << "failed:" << why
                                      << "- retrying in" << delay << "ms";
        QTimer::singleShot(
            delay, this, [this, jobId, url, body, number] { attempt(jobId, url, body, number + 1); });
    });
}

} // namespace DocRay
