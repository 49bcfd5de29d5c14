#pragma once

#include <QHostAddress>
#include <QHttpServer>
#include <QObject>
#include <QStringList>

namespace DocRay {

class HttpListener;
class JobStateManager;

struct ApiSettings {
    qint64 maxUploadBytes = 200LL * 1024 * 1024;
    QString device = QStringLiteral("cpu");
};

// The REST API, wire-compatible with the original doc-ray service: one route
// table, each route validating, handing off to the JobStateManager and
// answering at once. Lives on the main thread; parsing never runs here.
class ApiServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiServer)

public:
    ApiServer(JobStateManager *jobs, const ApiSettings &settings, QObject *parent = nullptr);
    ~ApiServer() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const;

private:
    void registerRoutes();
    QHttpServerResponse submit(const QHttpServerRequest &request);
    QHttpServerResponse status(const QString &id);
    QHttpServerResponse result(const QString &id, const QHttpServerRequest &request);
    QHttpServerResponse remove(const QString &id);
    QHttpServerResponse health();

    JobStateManager *m_jobs;
    ApiSettings m_settings;
    QHttpServer m_server;
    HttpListener *m_listener = nullptr;
    QStringList m_ocrLanguages; // looked up once, on the first /health
};

} // namespace DocRay
