#include "httpserver/httplistener.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTcpSocket>
#include <QTimer>

namespace DocRay {

namespace {

constexpr qsizetype kMaxHeadBytes = 64 * 1024;
constexpr int kDrainMilliseconds = 2000;

// Follows one connection's byte stream request by request, looking only at
// heads; the bodies are skipped by their Content-Length.
class RequestHeadWatcher final : public QObject
{
public:
    RequestHeadWatcher(QTcpSocket *socket, qint64 maxBodyBytes)
        : QObject(socket)
        , m_socket(socket)
        , m_maxBodyBytes(maxBodyBytes)
    {
    }

    // Runs before QHttpServer's own readyRead handler, which reads everything.
    void inspect()
    {
        if (m_draining) {
            m_socket->readAll();
            return;
        }
        if (m_stopped)
            return;
        const QByteArray chunk = m_socket->peek(m_socket->bytesAvailable());
        qsizetype pos = 0;
        while (pos < chunk.size() && !m_stopped) {
            if (m_bodyRemaining > 0) {
                const qsizetype skipped = qMin<qint64>(m_bodyRemaining, chunk.size() - pos);
                m_bodyRemaining -= skipped;
                pos += skipped;
                continue;
            }
            const qsizetype scanFrom = qMax<qsizetype>(0, m_head.size() - 3);
            m_head += chunk.mid(pos);
            const qsizetype end = m_head.indexOf("\r\n\r\n", scanFrom);
            if (end < 0) {
                if (m_head.size() > kMaxHeadBytes)
                    m_stopped = true; // QHttpServer answers or drops it
                return;
            }
            const qsizetype consumedHere = end + 4 - (m_head.size() - (chunk.size() - pos));
            handleHead(m_head.left(end));
            m_head.clear();
            pos += consumedHere;
        }
    }

private:
    void handleHead(const QByteArray &head)
    {
        qint64 contentLength = 0;
        bool expectContinue = false;
        const QList<QByteArray> lines = head.split('\n');
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
                m_stopped = true; // body length unknown: QHttpServer's checks apply
        }
        if (contentLength > m_maxBodyBytes) {
            refuseTooLarge(contentLength);
            return;
        }
        m_bodyRemaining = contentLength;
        if (expectContinue && contentLength > 0)
            m_socket->write("HTTP/1.1 100 Continue\r\n\r\n");
    }

    void refuseTooLarge(qint64 contentLength)
    {
        const QByteArray body = QJsonDocument(QJsonObject{
            {QStringLiteral("detail"),
             QStringLiteral("File too large: %1 bytes sent, the limit is %2 MB.")
                 .arg(contentLength)
                 .arg(m_maxBodyBytes / (1024 * 1024))}}).toJson(QJsonDocument::Compact);
        m_socket->write("HTTP/1.1 413 Content Too Large\r\nContent-Type: application/json\r\n"
                        "Connection: close\r\nContent-Length: "
                        + QByteArray::number(body.size()) + "\r\n\r\n" + body);
        m_socket->flush();
        // Keep reading what the client already sent, so closing does not
        // reset the connection before it has read the answer.
        m_draining = true;
        m_socket->readAll();
        QTimer::singleShot(kDrainMilliseconds, m_socket, [socket = m_socket] { socket->disconnectFromHost(); });
    }

    QTcpSocket *m_socket;
    qint64 m_maxBodyBytes;
    qint64 m_bodyRemaining = 0;
    QByteArray m_head;
    bool m_stopped = false;
    bool m_draining = false;
};

} // namespace

HttpListener::HttpListener(qint64 maxBodyBytes, QObject *parent)
    : QTcpServer(parent)
    , m_maxBodyBytes(maxBodyBytes)
{
}

void HttpListener::incomingConnection(qintptr socketDescriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(socketDescriptor)) {
        delete socket;
        return;
    }
    auto *watcher = new RequestHeadWatcher(socket, m_maxBodyBytes);
    connect(socket, &QTcpSocket::readyRead, watcher, &RequestHeadWatcher::inspect);
    addPendingConnection(socket);
}

} // namespace DocRay
