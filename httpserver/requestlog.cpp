#include "httpserver/requestlog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRandomGenerator>

Q_LOGGING_CATEGORY(lcHttp, "docray.http")

namespace DocRay {

namespace {

constexpr qsizetype kMaxClientIdLength = 128;

// Client ids are echoed into a header and a log line: only plain token
// characters keep both well-formed.
bool usableClientId(const QByteArray &id)
{
    if (id.isEmpty() || id.size() > kMaxClientIdLength)
        return false;
    for (const char c : id) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
            || c == '_' || c == '.' || c == ':';
        if (!ok)
            return false;
    }
    return true;
}

// A field of the text line as the client sent it, but unable to end the
// line or shift the fields after it: controls, separators and spaces are
// percent-encoded.
QString logField(const QString &text)
{
    QString safe;
    safe.reserve(text.size());
    for (const QChar c : text) {
        const bool plain = c.unicode() > 0x20 && c.unicode() != 0x7f && c.category() != QChar::Other_Format
            && c.category() != QChar::Separator_Line && c.category() != QChar::Separator_Paragraph
            && c.category() != QChar::Other_Control && !c.isSpace();
        if (plain)
            safe += c;
        else
            for (const char byte : QString(c).toUtf8())
                safe += QStringLiteral("%%1").arg(uchar(byte), 2, 16, QLatin1Char('0')).toUpper();
    }
    return safe;
}

} // namespace

RequestLog::RequestLog(bool json)
    : m_json(json)
    , m_prefix(QByteArray::number(QRandomGenerator::global()->generate(), 16).rightJustified(8, '0') + '-')
{
}

QByteArray RequestLog::requestId(const QByteArray &fromClient)
{
    if (usableClientId(fromClient))
        return fromClient;
    return m_prefix + QByteArray::number(++m_counter, 16).rightJustified(6, '0');
}

void RequestLog::record(const RequestRecord &record) const
{
    if (!lcHttp().isInfoEnabled())
        return;
    if (m_json) {
        QJsonObject line { { QStringLiteral("method"), QString::fromLatin1(record.method) },
            { QStringLiteral("path"), record.path }, { QStringLiteral("status"), record.status },
            { QStringLiteral("ms"), qRound(record.milliseconds * 100) / 100.0 },
            { QStringLiteral("request_id"), QString::fromLatin1(record.requestId) } };
        if (!record.jobId.isEmpty())
            line.insert(QStringLiteral("job_id"), record.jobId);
        qCInfo(lcHttp).noquote() << QString::fromUtf8(QJsonDocument(line).toJson(QJsonDocument::Compact));
        return;
    }
    // Joined, not QString::arg()-chained: a path holding "%1" must stay text.
    qCInfo(lcHttp).noquote() << logField(QString::fromLatin1(record.method)) + QLatin1Char(' ') + logField(record.path)
            + QLatin1Char(' ') + QString::number(record.status) + QLatin1Char(' ')
            + QString::number(record.milliseconds, 'f', 2) + QStringLiteral("ms job=")
            + (record.jobId.isEmpty() ? QStringLiteral("-") : logField(record.jobId)) + QStringLiteral(" request_id=")
            + QString::fromLatin1(record.requestId);
}

} // namespace DocRay
