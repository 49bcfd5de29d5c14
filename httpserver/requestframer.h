#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>
#include <QString>

#include <functional>
#include <optional>

namespace DocRay {

struct RequestHead {
    QByteArray method;
    QByteArray target;                            // as sent: path and query
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed

    QByteArray header(QByteArrayView lowerName) const; // the first value, or empty
    QByteArray path() const;                            // the target without its query
};

// Why a connection ends before its request reaches the server: the status
// and the {"detail": ...} text of the answer.
struct FramingRefusal {
    int status = 400;
    QString detail;
};

struct FramingLimits {
    qint64 maxBodyBytes = 200LL * 1024 * 1024;
    int maxHeaderBytes = 32 * 1024;
    int maxHeaderCount = 100;
};

// Follows one connection's bytes request by request as an HTTP/1.1 server
// must (RFC 9112), stricter than the parser behind it so the two can never
// disagree on where a request ends: bare LF, folded headers, a repeated or
// malformed Content-Length, and Transfer-Encoding beside Content-Length are
// refused; chunked bodies are followed chunk by chunk and counted against
// the limit as they arrive. Pure: no sockets or timers; owned by one
// connection's guard.
class RequestFramer
{
public:
    enum class Phase { Idle, Head, Body };
    // Looks at each complete head (the API key, Host, Origin) and may refuse
    // the request before any of its body is read.
    using HeadCheck = std::function<std::optional<FramingRefusal>(const RequestHead &)>;

    explicit RequestFramer(const FramingLimits &limits, HeadCheck check = {});

    // Consumes bytes as they arrive. A refusal ends the connection: later
    // calls return it again.
    std::optional<FramingRefusal> feed(QByteArrayView bytes);

    Phase phase() const;
    // True once after a head that asked for "100 Continue" with a body to come.
    bool takeContinueRequest();
    qint64 bodyBytes() const { return m_bodyBytes; } // of the request in progress
    int completedRequests() const { return m_completed; }

private:
    enum class State { Idle, Head, FixedBody, ChunkSize, ChunkData, ChunkDataEnd, Trailer, Refused };

    qsizetype consumeLine(QByteArrayView bytes, qsizetype pos, int maxBytes, const QString &what);
    std::optional<FramingRefusal> onHead();
    std::optional<FramingRefusal> onChunkSize();
    std::optional<FramingRefusal> onTrailerLine();
    std::optional<FramingRefusal> refuse(int status, const QString &detail);
    void completeRequest();

    FramingLimits m_limits;
    HeadCheck m_check;
    State m_state = State::Idle;
    QByteArray m_line;        // the head, or the chunk-size / trailer line, so far
    bool m_lineDone = false;  // consumeLine() ended a line
    qint64 m_remaining = 0;   // of the Content-Length body or the current chunk
    qint64 m_bodyBytes = 0;
    int m_completed = 0;
    bool m_continue = false;
    FramingRefusal m_refusal;
};

} // namespace DocRay
