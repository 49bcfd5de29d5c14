#include "app/logoutput.h"

#include <QByteArray>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>

#include <atomic>
#include <cstdio>

namespace DocRay {

namespace {

// qInstallMessageHandler takes a plain function, so the format lives here.
std::atomic_bool g_json { false };

const char *levelName(QtMsgType type)
{
    switch (type) {
    case QtDebugMsg:
        return "debug";
    case QtInfoMsg:
        return "info";
    case QtWarningMsg:
        return "warning";
    case QtCriticalMsg:
        return "error";
    case QtFatalMsg:
        return "fatal";
    }
    return "info";
}

QByteArray jsonString(const QString &text)
{
    // A one-element array is the cheapest way to get QJson's string escaping.
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

void writeLine(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    const QByteArray time = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs).toLatin1();
    const QByteArray category = context.category ? QByteArray(context.category) : QByteArray("default");
    QByteArray line;
    line.reserve(message.size() + 96);
    if (g_json.load(std::memory_order_relaxed)) {
        line += "{\"time\":\"" + time + "\",\"level\":\"" + levelName(type)
            + "\",\"category\":" + jsonString(QString::fromLatin1(category));
        const QByteArray text = message.toUtf8();
        if (text.startsWith('{') && text.endsWith('}') && text.size() > 2)
            line += ',' + text.mid(1);
        else
            line += ",\"message\":" + jsonString(message) + '}';
    } else {
        line += time + ' ' + levelName(type) + ' ' + category + ' ' + message.toUtf8();
    }
    line += '\n';
    // One write per line keeps lines from different threads whole.
    std::fwrite(line.constData(), 1, static_cast<size_t>(line.size()), stderr);
    if (type == QtFatalMsg)
        std::abort();
}

} // namespace

LogOutput::LogOutput(bool json)
{
    g_json = json;
    m_previous = qInstallMessageHandler(writeLine);
}

LogOutput::~LogOutput()
{
    qInstallMessageHandler(m_previous);
}

} // namespace DocRay
