#include "httpserver/httplistener.h"

#include <QElapsedTimer>
#include <QHash>
#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

namespace DocRay {

class BodyBudget
{
public:
    BodyBudget(qint64 total, qint64 perClient)
        : m_total(total)
        , m_perClient(perClient)
    {
    }

    // False, with nothing charged, when either budget would be passed.
    bool charge(const QHostAddress &client, qint64 bytes)
    {
        qint64 &ofClient = m_byClient[client];
        if (m_used + bytes > m_total || ofClient + bytes > m_perClient)
            return false;
        m_used += bytes;
        ofClient += bytes;
        return true;
    }

    void release(const QHostAddress &client, qint64 bytes)
    {
        m_used -= bytes;
        auto it = m_byClient.find(client);
        if (it != m_byClient.end() && (*it -= bytes) <= 0)
            m_byClient.erase(it);
    }

private:
    const qint64 m_total;
    const qint64 m_perClient;
    qint64 m_used = 0;
    QHash<QHostAddress, qint64> m_byClient;
};

namespace {

constexpr int kDrainMilliseconds = 2000;
constexpr int kCheckIntervalMs = 250;

QByteArray statusLine(int status)
{
    switch (status) {
    case 400: return "400 Bad Request";
    case 401: return "401 Unauthorized";
    case 403: return "403 Forbidden";
    case 408: return "408 Request Timeout";
    case 413: return "413 Content Too Large";
    case 431: return "431 Request Header Fields Too Large";
    case 501: return "501 Not Implemented";
    case 503: return "503 Service Unavailable";
    case 505: return "505 HTTP Version Not Supported";
    default: return QByteArray::number(status);
    }
}

// Answers a request the server will not take, then closes the connection
// once the client had time to read the answer.
void refuse(QTcpSocket *socket, int status, const QString &detail)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("detail"), detail}}).toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 " + statusLine(status) + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                  + (status == 401 ? QByteArray("WWW-Authenticate: Bearer\r\n") : QByteArray())
                  + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->flush();
    // Keep reading (and dropping) what the client sends, so closing does
    // not reset the connection before it has read the answer.
    socket->readAll();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    QTimer::singleShot(kDrainMilliseconds, socket, [socket] { socket->disconnectFromHost(); });
}

// One connection's bytes, framed before QHttpServer reads them; its pace
// and its share of the body budget.
class ConnectionGuard final : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, HttpListener *listener, const ConnectionLimits &limits,
                    const HttpListener::HeadCheck &headCheck, std::shared_ptr<BodyBudget> budget)
        : QObject(socket)
        , m_socket(socket)
        , m_listener(listener)
        , m_limits(limits)
        , m_peer(socket->peerAddress())
        , m_budget(std::move(budget))
        , m_framer(FramingLimits{limits.maxBodyBytes, limits.maxHeaderBytes, limits.maxHeaderCount},
                   [this, headCheck](const RequestHead &head) {
                       m_method = head.method;
                       m_path = head.path();
                       return headCheck ? headCheck(head, m_peer) : std::nullopt;
                   })
    {
        m_phaseClock.start();
        m_writeClock.start();
        // An answer on its way counts as activity: a long download is not idle.
        connect(socket, &QTcpSocket::bytesWritten, this, [this] {
            m_writeClock.restart();
            if (m_framer.phase() == RequestFramer::Phase::Idle)
                m_phaseClock.restart();
        });
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, &ConnectionGuard::checkPace);
        timer->start(kCheckIntervalMs);
    }

    ~ConnectionGuard() override { m_budget->release(m_peer, m_charged); }

    // Runs before QHttpServer's own readyRead handler, which reads everything.
    void inspect()
    {
        if (m_refused) {
            m_socket->readAll();
            return;
        }
        // QHttpServer may leave bytes unread (the rest of a pipelined
        // request): those at the front were framed already.
        const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable()).mid(m_framedAhead);
        m_framedAhead += chunk.size();
        const RequestFramer::Phase before = m_framer.phase();
        std::optional<FramingRefusal> refusal = m_framer.feed(chunk);
        if (!refusal)
            refusal = chargeBody();
        if (refusal)
            return reject(refusal->status, refusal->detail);
        if (m_framer.takeContinueRequest())
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        if (m_framer.phase() != before) {
            m_phaseClock.restart();
            m_windowBytes = 0;
        }
        m_windowBytes += chunk.size();
    }

    // Runs after QHttpServer's readyRead handler: what it left unread.
    void afterServerRead() { m_framedAhead = m_refused ? 0 : m_socket->bytesAvailable(); }

private:
    // The body bytes of the request in progress are what QHttpServer holds
    // for this connection; a finished request's were handed on.
    std::optional<FramingRefusal> chargeBody()
    {
        const qint64 held = m_framer.bodyBytes();
        if (held < m_charged || m_framer.completedRequests() != m_completed) {
            m_budget->release(m_peer, m_charged);
            m_charged = 0;
            m_completed = m_framer.completedRequests();
        }
        if (held > m_charged) {
            if (!m_budget->charge(m_peer, held - m_charged))
                return FramingRefusal{503, QStringLiteral("The server is receiving too many uploads at once; try again shortly.")};
            m_charged = held;
        }
        return std::nullopt;
    }

    // Slow clients hold a connection and a buffer each: drop them.
    void checkPace()
    {
        if (m_refused)
            return;
        // An answer waiting to be read holds its buffer (and, for results,
        // a file): a client that stopped reading loses the connection.
        if (m_socket->bytesToWrite() == 0)
            m_writeClock.restart();
        else if (m_writeClock.elapsed() > m_limits.writeTimeoutMs)
            return m_socket->abort();
        const qint64 elapsed = m_phaseClock.elapsed();
        switch (m_framer.phase()) {
        case RequestFramer::Phase::Idle:
            if (elapsed > m_limits.idleTimeoutMs)
                m_socket->disconnectFromHost();
            break;
        case RequestFramer::Phase::Head:
            if (elapsed > m_limits.headerTimeoutMs)
                reject(408, QStringLiteral("The request headers did not arrive within %1 s.").arg(m_limits.headerTimeoutMs / 1000));
            break;
        case RequestFramer::Phase::Body:
            if (elapsed >= m_limits.bodyRateWindowMs) {
                if (m_windowBytes * 1000 < qint64(m_limits.minBodyBytesPerSecond) * elapsed)
                    return reject(408, QStringLiteral("The upload is slower than %1 bytes/s.").arg(m_limits.minBodyBytesPerSecond));
                m_phaseClock.restart();
                m_windowBytes = 0;
            }
            break;
        }
    }

    void reject(int status, const QString &detail)
    {
        m_refused = true;
        m_budget->release(m_peer, m_charged);
        m_charged = 0;
        Q_EMIT m_listener->refused(m_method, m_path, status);
        refuse(m_socket, status, detail);
    }

    QTcpSocket *m_socket;
    HttpListener *m_listener;
    const ConnectionLimits m_limits;
    const QHostAddress m_peer;
    std::shared_ptr<BodyBudget> m_budget;
    RequestFramer m_framer;
    QByteArray m_method, m_path; // of the last head, for the access log
    QElapsedTimer m_phaseClock;
    QElapsedTimer m_writeClock; // since the answer last made progress
    qint64 m_windowBytes = 0;
    qint64 m_framedAhead = 0; // unread bytes at the front of the socket's buffer, framed already
    qint64 m_charged = 0;
    int m_completed = 0;
    bool m_refused = false;
};

} // namespace

HttpListener::HttpListener(const ConnectionLimits &limits, HeadCheck headCheck, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
    , m_headCheck(std::move(headCheck))
    , m_budget(std::make_shared<BodyBudget>(limits.maxBufferedBytes > 0 ? limits.maxBufferedBytes : 4 * limits.maxBodyBytes,
                                            limits.maxBufferedBytesPerClient > 0 ? limits.maxBufferedBytesPerClient
                                                                                 : 2 * limits.maxBodyBytes))
{
}

HttpListener::~HttpListener() = default;

void HttpListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    ++m_openConnections;
    connect(socket, &QObject::destroyed, this, [this] { --m_openConnections; });
    if (m_openConnections > m_limits.maxConnections) {
        // Never handed to QHttpServer: answered here and closed.
        refuse(socket, 503, QStringLiteral("Too many connections; try again shortly."));
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    auto *guard = new ConnectionGuard(socket, this, m_limits, m_headCheck, m_budget);
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::inspect);
    addPendingConnection(socket);
    // QHttpServer connects its own readyRead handler when newConnection is
    // emitted, right after this returns; the guard's second handler must
    // come after it, so it is connected by a slot that runs after
    // QHttpServer's (connected here, later than QHttpServer's own).
    m_awaitingServer.append(guard);
    if (!m_followsServer) {
        m_followsServer = true;
        connect(this, &QTcpServer::newConnection, this, &HttpListener::followServer);
    }
}

void HttpListener::followServer()
{
    for (const QPointer<QObject> &object : std::as_const(m_awaitingServer))
        if (auto *guard = static_cast<ConnectionGuard *>(object.data()))
            connect(static_cast<QTcpSocket *>(guard->parent()), &QTcpSocket::readyRead, guard, &ConnectionGuard::afterServerRead);
    m_awaitingServer.clear();
}

} // namespace DocRay
