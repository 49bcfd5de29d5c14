#pragma once

#include <QTcpServer>

namespace DocRay {

// The listening socket in front of QHttpServer. It reads each request's
// head before QHttpServer does, to do what Qt 6.4's server does not: answer
// `Expect: 100-continue` (curl waits a second for it on every upload) and
// refuse a Content-Length over the upload limit with a 413 before any of the
// body is read. Lives on the main thread.
class HttpListener final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)

public:
    explicit HttpListener(qint64 maxBodyBytes, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr socketDescriptor) override;

private:
    qint64 m_maxBodyBytes;
};

} // namespace DocRay
