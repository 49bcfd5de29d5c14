#pragma once

#include <QNetworkAccessManager>
#include <QObject>
#include <QStringList>
#include <QUrl>

namespace DocRay {

struct CallbackSettings {
    // "host" (its scheme's port), "host:port", "host:*", optionally with
    // "https://" in front; empty: callbacks are refused.
    QStringList allowedHosts;
    int maxAttempts = 5;
    int firstRetryMs = 1000; // doubles after each failed attempt
    int attemptTimeoutMs = 10000;
};

// Delivers a job's final status to the callback_url its client gave (stored
// with the job, so in a cluster the replica that finishes it calls back),
// with a POST retried with backoff a bounded number of times. Only hosts the
// operator allowed are ever contacted, and redirects are not followed, so
// the service cannot be used to reach other machines. Main thread; the
// requests are asynchronous and never hold a worker.
class CallbackNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallbackNotifier)

public:
    explicit CallbackNotifier(const CallbackSettings &settings, QObject *parent = nullptr);

    // Empty when `url` may be called back, else why not (for a 400 answer).
    QString refusal(const QUrl &url) const;

    // Sends `body` to `url`, unless the operator does not allow it (any more).
    void deliver(const QString &jobId, const QUrl &url, const QByteArray &body);

Q_SIGNALS:
    // Once per callback: delivered, or given up after the last attempt.
    void finished(const QString &jobId, bool delivered, int attempts);

private:
    void attempt(const QString &jobId, const QUrl &url, const QByteArray &body, int number);

    CallbackSettings m_settings;
    QNetworkAccessManager m_network;
};

} // namespace DocRay
