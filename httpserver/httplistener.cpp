#include "httpserver/httplistener.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

namespace DocRay {

namespace {

constexpr int kDrainMilliseconds = 2000;
constexpr int kCheckIntervalMs = 250;

QByteArray statusLine(int status)
{
    switch (status) {
    case 408: return "408 Request Timeout";
    case 413: return "413 Content Too Large";
    case 431: return "431 Request Header Fields Too Large";
    case 503: return "503 Service Unavailable";
    default: return QByteArray::number(status);
    }
}

// Answers a request the server will not take, then closes the connection
// once the client had time to read the answer.
void refuse(QTcpSocket *socket, int status, const QString &detail)
{
    const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("detail"), detail}}).toJson(QJsonDocument::Compact);
    socket->write("HTTP/1.1 " + statusLine(status) + "\r\nContent-Type: application/json\r\nConnection: close\r\n"
                  "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body);
    socket->flush();
    // Keep reading what the client already sent, so closing does not reset
    // the connection before it has read the answer.
    socket->readAll();
    QObject::connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    QTimer::singleShot(kDrainMilliseconds, socket, [socket] { socket->disconnectFromHost(); });
}

// Follows one connection's byte stream request by request, looking only at
// heads; bodies are skipped by their Content-Length.
class ConnectionGuard final : public QObject
{
public:
    ConnectionGuard(QTcpSocket *socket, const ConnectionLimits &limits)
        : QObject(socket)
        , m_socket(socket)
        , m_limits(limits)
    {
        m_stateClock.start();
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, &ConnectionGuard::checkPace);
        timer->start(kCheckIntervalMs);
    }

    // Runs before QHttpServer's own readyRead handler, which reads everything.
    void inspect()
    {
        if (m_refused) {
            m_socket->readAll();
            return;
        }
        const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
        qsizetype pos = 0;
        while (pos < chunk.size() && !m_refused) {
            if (m_state == State::Body && !m_chunked) {
                const qsizetype skipped = qMin<qint64>(m_bodyRemaining, chunk.size() - pos);
                m_bodyRemaining -= skipped;
                m_windowBytes += skipped;
                pos += skipped;
                if (m_bodyRemaining == 0)
                    enter(State::Idle);
                continue;
            }
            if (m_chunked) {
                // Chunked bodies have no length to follow: pace only.
                m_windowBytes += chunk.size() - pos;
                return;
            }
            if (m_state == State::Idle)
                enter(State::Head);
            const qsizetype scanFrom = qMax<qsizetype>(0, m_head.size() - 3);
            m_head += chunk.mid(pos);
            const qsizetype end = m_head.indexOf("\r\n\r\n", scanFrom);
            if (end < 0) {
                if (m_head.size() > m_limits.maxHeaderBytes)
                    reject(431, QStringLiteral("Request headers are larger than %1 bytes.").arg(m_limits.maxHeaderBytes));
                return;
            }
            const qsizetype consumedHere = end + 4 - (m_head.size() - (chunk.size() - pos));
            const QByteArray head = m_head.left(end);
            m_head.clear();
            pos += consumedHere;
            handleHead(head);
        }
    }

private:
    enum class State { Idle, Head, Body };

    void enter(State state)
    {
        m_state = state;
        m_stateClock.restart();
        m_windowBytes = 0;
    }

    void handleHead(const QByteArray &head)
    {
        if (head.size() > m_limits.maxHeaderBytes) {
            reject(431, QStringLiteral("Request headers are larger than %1 bytes.").arg(m_limits.maxHeaderBytes));
            return;
        }
        const QList<QByteArray> lines = head.split('\n');
        if (lines.size() - 1 > m_limits.maxHeaderCount) {
            reject(431, QStringLiteral("More than %1 request headers.").arg(m_limits.maxHeaderCount));
            return;
        }
        qint64 contentLength = 0;
        bool expectContinue = false;
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray line = lines[i].trimmed();
            const int colon = static_cast<int>(line.indexOf(':'));
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed().toLower();
            if (name == "content-length")
                contentLength = value.toLongLong();
            else if (name == "expect")
                expectContinue = value == "100-continue";
            else if (name == "transfer-encoding" && value.contains("chunked"))
                m_chunked = true;
        }
        if (contentLength > m_limits.maxBodyBytes) {
            reject(413, QStringLiteral("File too large: %1 bytes sent, the limit is %2 MB.")
                            .arg(contentLength)
                            .arg(m_limits.maxBodyBytes / (1024 * 1024)));
            return;
        }
        m_bodyRemaining = contentLength;
        enter(contentLength > 0 || m_chunked ? State::Body : State::Idle);
        if (expectContinue && (contentLength > 0 || m_chunked))
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }

    // Slow clients hold a connection and a buffer each: drop them.
    void checkPace()
    {
        if (m_refused)
            return;
        const qint64 elapsed = m_stateClock.elapsed();
        switch (m_state) {
        case State::Idle:
            if (elapsed > m_limits.idleTimeoutMs)
                m_socket->disconnectFromHost();
            break;
        case State::Head:
            if (elapsed > m_limits.headerTimeoutMs)
                reject(408, QStringLiteral("The request headers did not arrive within %1 s.").arg(m_limits.headerTimeoutMs / 1000));
            break;
        case State::Body:
            if (elapsed >= m_limits.bodyRateWindowMs) {
                if (m_windowBytes * 1000 < qint64(m_limits.minBodyBytesPerSecond) * elapsed) {
                    reject(408, QStringLiteral("The upload is slower than %1 bytes/s.").arg(m_limits.minBodyBytesPerSecond));
                    return;
                }
                m_stateClock.restart();
                m_windowBytes = 0;
            }
            break;
        }
    }

    void reject(int status, const QString &detail)
    {
        m_refused = true;
        refuse(m_socket, status, detail);
    }

    QTcpSocket *m_socket;
    ConnectionLimits m_limits;
    State m_state = State::Idle;
    QElapsedTimer m_stateClock;
    qint64 m_bodyRemaining = 0;
    qint64 m_windowBytes = 0;
    QByteArray m_head;
    bool m_chunked = false;
    bool m_refused = false;
};

} // namespace

HttpListener::HttpListener(const ConnectionLimits &limits, QObject *parent)
    : QTcpServer(parent)
    , m_limits(limits)
{
}

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
    auto *guard = new ConnectionGuard(socket, m_limits);
    connect(socket, &QTcpSocket::readyRead, guard, &ConnectionGuard::inspect);
    addPendingConnection(socket);
}

} // namespace DocRay
