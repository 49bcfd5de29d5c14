#pragma once

#include "httpserver/requestframer.h"

#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>

#include <memory>

namespace DocRay {

// What one connection, and all of them together, may cost the server
// before QHttpServer sees a request.
struct ConnectionLimits {
    qint64 maxBodyBytes = 200LL * 1024 * 1024;
    int maxHeaderBytes = 32 * 1024;
    int maxHeaderCount = 100;
    int headerTimeoutMs = 10'000;     // from a head's first byte to its end
    int minBodyBytesPerSecond = 1024; // averaged over each window of an upload
    int bodyRateWindowMs = 10'000;
    int idleTimeoutMs = 120'000;      // between requests (longer than any long-poll)
    int writeTimeoutMs = 60'000;      // an answer that makes no progress (the client stopped reading)
    int maxConnections = 512;
    // Request bodies on their way in are held in memory by QHttpServer:
    // all clients together, and each client address, get this much (0:
    // four and two times maxBodyBytes); past it, 503.
    qint64 maxBufferedBytes = 0;
    qint64 maxBufferedBytesPerClient = 0;
};

// The bytes of request bodies being received, by client address. Shared by
// the listener and its connections' guards; main thread.
class BodyBudget;

// The listening socket in front of QHttpServer, which in Qt 6.4 has no
// limits of its own. It frames every request on its connection before
// QHttpServer reads it (RequestFramer): refuses malformed or ambiguous
// framing (400), a body over the limit as soon as it passes it (413),
// oversized heads (431) and requests the head check refuses (401, 403)
// before any body is read; answers `Expect: 100-continue` only then; drops
// slow or idle clients and clients that stop reading an answer; caps
// connections and the body bytes held for all clients and for each (503).
// Lives on the main thread.
class HttpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)

public:
    // Decides on each request's head, with the client's address.
    using HeadCheck = std::function<std::optional<FramingRefusal>(const RequestHead &, const QHostAddress &peer)>;

    HttpListener(const ConnectionLimits &limits, HeadCheck headCheck, QObject *parent = nullptr);
    ~HttpListener() override;

    int openConnections() const { return m_openConnections; }

Q_SIGNALS:
    // A request answered here, never seen by QHttpServer (for the access log).
    void refused(const QByteArray &method, const QByteArray &path, int status);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    void followServer();

    ConnectionLimits m_limits;
    HeadCheck m_headCheck;
    std::shared_ptr<BodyBudget> m_budget;
    int m_openConnections = 0;
    QList<QPointer<QObject>> m_awaitingServer; // guards of connections QHttpServer is about to take
    bool m_followsServer = false;
};

} // namespace DocRay
