#pragma once

#include <QTcpServer>

namespace DocRay {

// What one connection may cost the server before QHttpServer sees it.
struct ConnectionLimits {
    qint64 maxBodyBytes = 200LL * 1024 * 1024;
    int maxHeaderBytes = 32 * 1024;
    int maxHeaderCount = 100;
    int headerTimeoutMs = 10'000;     // from a head's first byte to its end
    int minBodyBytesPerSecond = 1024; // averaged over each window of an upload
    int bodyRateWindowMs = 10'000;
    int idleTimeoutMs = 120'000;      // between requests (longer than any long-poll)
    int maxConnections = 512;
};

// The listening socket in front of QHttpServer, which in Qt 6.4 has no
// limits of its own. It reads each request's head before QHttpServer does:
// answers `Expect: 100-continue` (curl waits a second for it on every
// upload), refuses a Content-Length over the limit with 413 and oversized
// heads with 431 before any body is read, drops slow or idle clients, and
// caps concurrent connections (503). Lives on the main thread.
class HttpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)

public:
    explicit HttpListener(const ConnectionLimits &limits, QObject *parent = nullptr);

    int openConnections() const { return m_openConnections; }

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    ConnectionLimits m_limits;
    int m_openConnections = 0;
};

} // namespace DocRay
