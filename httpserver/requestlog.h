#pragma once

#include <QByteArray>
#include <QString>

#include <atomic>

namespace DocRay {

// One finished request as the access log sees it.
struct RequestRecord {
    QByteArray method;
    QString path;
    int status = 0;
    double milliseconds = 0;
    QString jobId; // empty when the request names no job
    QByteArray requestId;
};

// The access log: one line per request in the "docray.http" category, plain
// text or one JSON object per line (the form the log output then merges into
// its own JSON line). Also hands out request ids. Main thread.
class RequestLog final
{
public:
    explicit RequestLog(bool json);

    // The client's X-Request-Id when it sent a usable one, else a fresh id
    // (a per-process random prefix and a counter: no syscall per request).
    QByteArray requestId(const QByteArray &fromClient);
    void record(const RequestRecord &record) const;

private:
    bool m_json;
    QByteArray m_prefix;
    quint64 m_counter = 0;
};

} // namespace DocRay
