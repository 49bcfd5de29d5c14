#include "httpserver/requestframer.h"

#include <cctype>
#include <cstring>
#include <utility>

namespace DocRay {

namespace {

constexpr int kMaxChunkLineBytes = 1024;

bool isTokenChar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || std::strchr("!#$%&'*+-.^_`|~", c) != nullptr;
}

bool isToken(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (!isTokenChar(c))
            return false;
    return true;
}

bool isDigits(const QByteArray &text)
{
    if (text.isEmpty())
        return false;
    for (const char c : text)
        if (c < '0' || c > '9')
            return false;
    return true;
}

bool isVisible(const QByteArray &text)
{
    for (const char c : text)
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return false;
    return !text.isEmpty();
}

QString tooLarge(qint64 maxBodyBytes)
{
    return QStringLiteral("File too large: the request body is over the limit of %1 MB.").arg(maxBodyBytes / (1024 * 1024));
}

} // namespace

QByteArray RequestHead::header(QByteArrayView lowerName) const
{
    for (const auto &[name, value] : headers)
        if (name == lowerName)
            return value;
    return {};
}

QByteArray RequestHead::path() const
{
    const qsizetype query = target.indexOf('?');
    return query < 0 ? target : target.left(query);
}

RequestFramer::RequestFramer(const FramingLimits &limits, HeadCheck check)
    : m_limits(limits)
    , m_check(std::move(check))
{
}

RequestFramer::Phase RequestFramer::phase() const
{
    switch (m_state) {
    case State::Idle:
    case State::Refused: return Phase::Idle;
    case State::Head: return Phase::Head;
    default: return Phase::Body;
    }
}

bool RequestFramer::takeContinueRequest()
{
    return std::exchange(m_continue, false);
}

std::optional<FramingRefusal> RequestFramer::feed(QByteArrayView bytes)
{
    qsizetype pos = 0;
    while (pos < bytes.size() && m_state != State::Refused) {
        std::optional<FramingRefusal> refusal;
        switch (m_state) {
        case State::Idle:
            // Blank lines before a request are allowed (RFC 9112, 2.2).
            if (bytes[pos] == '\r' || bytes[pos] == '\n') {
                ++pos;
            } else {
                m_state = State::Head;
                m_line.clear();
            }
            break;
        case State::Head:
            pos = consumeLine(bytes, pos, m_limits.maxHeaderBytes, QStringLiteral("Request headers"));
            if (m_lineDone && m_line.endsWith("\r\n\r\n"))
                refusal = onHead();
            break;
        case State::FixedBody:
        case State::ChunkData: {
            const qsizetype taken = qMin<qint64>(m_remaining, bytes.size() - pos);
            pos += taken;
            m_remaining -= taken;
            m_bodyBytes += taken;
            if (m_remaining == 0 && m_state == State::FixedBody) {
                completeRequest();
            } else if (m_remaining == 0) {
                m_state = State::ChunkDataEnd;
                m_line.clear();
            }
            break;
        }
        case State::ChunkDataEnd:
            m_line.append(bytes[pos++]);
            if (m_line.back() != (m_line.size() == 1 ? '\r' : '\n')) {
                refusal = refuse(400, QStringLiteral("A chunk of the request body does not end where its size says."));
            } else if (m_line.size() == 2) {
                m_state = State::ChunkSize;
                m_line.clear();
            }
            break;
        case State::ChunkSize:
            pos = consumeLine(bytes, pos, kMaxChunkLineBytes, QStringLiteral("A chunk-size line"));
            if (m_lineDone)
                refusal = onChunkSize();
            break;
        case State::Trailer:
            pos = consumeLine(bytes, pos, m_limits.maxHeaderBytes, QStringLiteral("Trailer fields"));
            if (m_lineDone)
                refusal = onTrailerLine();
            break;
        case State::Refused: break;
        }
        if (refusal)
            return refusal;
    }
    if (m_state == State::Refused)
        return m_refusal;
    return std::nullopt;
}

// Takes bytes up to and including the next LF into m_line; a line must end
// in CRLF and stay within `maxBytes`.
qsizetype RequestFramer::consumeLine(QByteArrayView bytes, qsizetype pos, int maxBytes, const QString &what)
{
    m_lineDone = false;
    const void *found = std::memchr(bytes.data() + pos, '\n', size_t(bytes.size() - pos));
    const qsizetype end = found ? static_cast<const char *>(found) - bytes.data() + 1 : bytes.size();
    m_line.append(bytes.data() + pos, end - pos);
    if (m_line.size() > maxBytes) {
        refuse(m_state == State::ChunkSize ? 400 : 431, QStringLiteral("%1 are larger than %2 bytes.").arg(what).arg(maxBytes));
        return end;
    }
    if (found) {
        if (m_line.size() < 2 || m_line.at(m_line.size() - 2) != '\r')
            refuse(400, QStringLiteral("A line of the request ends in a bare LF; HTTP lines end in CRLF."));
        else
            m_lineDone = true;
    }
    return end;
}

std::optional<FramingRefusal> RequestFramer::onHead()
{
    QList<QByteArray> lines = m_line.chopped(4).split('\n');
    for (qsizetype i = 0; i + 1 < lines.size(); ++i)
        lines[i].chop(1); // the CR of its CRLF
    m_line.clear();
    for (const QByteArray &line : std::as_const(lines))
        if (line.contains('\r'))
            return refuse(400, QStringLiteral("The request head holds a bare CR."));
    const QList<QByteArray> requestLine = lines.first().split(' ');
    if (requestLine.size() != 3 || !isToken(requestLine[0]) || !isVisible(requestLine[1]) || !requestLine[2].startsWith("HTTP/"))
        return refuse(400, QStringLiteral("The request line is malformed."));
    if (requestLine[2] != "HTTP/1.1" && requestLine[2] != "HTTP/1.0")
        return refuse(505, QStringLiteral("Only HTTP/1.1 and HTTP/1.0 are served."));
    if (lines.size() - 1 > m_limits.maxHeaderCount)
        return refuse(431, QStringLiteral("More than %1 request headers.").arg(m_limits.maxHeaderCount));

    RequestHead head{requestLine[0], requestLine[1], {}};
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray &line = lines[i];
        if (line.startsWith(' ') || line.startsWith('\t'))
            return refuse(400, QStringLiteral("Folded header lines are not accepted."));
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || !isToken(line.left(colon)))
            return refuse(400, QStringLiteral("A header line is malformed."));
        head.headers.append({line.left(colon).toLower(), line.mid(colon + 1).trimmed()});
    }

    QByteArrayList lengths, encodings;
    for (const auto &[name, value] : std::as_const(head.headers)) {
        if (name == "content-length")
            lengths.append(value);
        else if (name == "transfer-encoding")
            encodings.append(value);
    }
    if (lengths.size() > 1 || encodings.size() > 1)
        return refuse(400, QStringLiteral("Content-Length or Transfer-Encoding is given more than once."));
    if (!lengths.isEmpty() && !encodings.isEmpty())
        return refuse(400, QStringLiteral("Content-Length and Transfer-Encoding together are not accepted."));
    const bool chunked = !encodings.isEmpty();
    if (chunked && encodings.first().toLower() != "chunked")
        return refuse(501, QStringLiteral("Transfer-Encoding '%1' is not supported; send chunked or a Content-Length.")
                               .arg(QString::fromLatin1(encodings.first()).left(64)));
    if (chunked && requestLine[2] == "HTTP/1.0")
        return refuse(400, QStringLiteral("HTTP/1.0 has no chunked bodies."));
    qint64 length = 0;
    if (!lengths.isEmpty()) {
        if (!isDigits(lengths.first()) || lengths.first().size() > 18)
            return refuse(400, QStringLiteral("Content-Length is not a number."));
        length = lengths.first().toLongLong();
    }
    if (length > m_limits.maxBodyBytes)
        return refuse(413, QStringLiteral("File too large: %1 bytes sent, the limit is %2 MB.")
                               .arg(length)
                               .arg(m_limits.maxBodyBytes / (1024 * 1024)));
    if (m_check)
        if (std::optional<FramingRefusal> refusal = m_check(head))
            return refuse(refusal->status, refusal->detail);

    m_bodyBytes = 0;
    const bool bodyToCome = chunked || length > 0;
    m_continue = bodyToCome && head.header("expect").toLower() == "100-continue";
    if (chunked) {
        m_state = State::ChunkSize;
    } else if (length > 0) {
        m_state = State::FixedBody;
        m_remaining = length;
    } else {
        completeRequest();
    }
    return std::nullopt;
}

std::optional<FramingRefusal> RequestFramer::onChunkSize()
{
    QByteArray size = m_line.chopped(2);
    m_line.clear();
    if (const qsizetype extension = size.indexOf(';'); extension >= 0)
        size = size.left(extension);
    while (size.endsWith(' ') || size.endsWith('\t'))
        size.chop(1);
    bool ok = !size.isEmpty() && size.size() <= 15;
    for (const char c : std::as_const(size))
        ok = ok && std::isxdigit(static_cast<unsigned char>(c));
    const qint64 bytes = ok ? size.toLongLong(&ok, 16) : 0;
    if (!ok)
        return refuse(400, QStringLiteral("A chunk size of the request body is malformed."));
    if (bytes == 0) {
        m_state = State::Trailer;
    } else if (m_bodyBytes + bytes > m_limits.maxBodyBytes) {
        return refuse(413, tooLarge(m_limits.maxBodyBytes));
    } else {
        m_state = State::ChunkData;
        m_remaining = bytes;
    }
    return std::nullopt;
}

// Qt 6.4's parser loses its place in a trailer section, so the two would
// disagree on where the next request starts: only the empty trailer is taken.
std::optional<FramingRefusal> RequestFramer::onTrailerLine()
{
    const bool last = m_line == "\r\n";
    m_line.clear();
    if (!last)
        return refuse(400, QStringLiteral("Trailer fields after a chunked body are not accepted."));
    completeRequest();
    return std::nullopt;
}

std::optional<FramingRefusal> RequestFramer::refuse(int status, const QString &detail)
{
    m_state = State::Refused;
    m_refusal = FramingRefusal{status, detail};
    return m_refusal;
}

void RequestFramer::completeRequest()
{
    m_state = State::Idle;
    m_bodyBytes = 0;
    m_remaining = 0;
    m_continue = false;
    m_line.clear();
    ++m_completed;
}

} // namespace DocRay
