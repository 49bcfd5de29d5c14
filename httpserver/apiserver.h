#pragma once

#include "httpserver/admission.h"
#include "httpserver/callbacknotifier.h"
#include "httpserver/metrics.h"
#include "httpserver/requestlog.h"
#include "httpserver/resultfile.h"

#include "engine/core/result.h"
#include "httpserver/httplistener.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QMultiHash>
#include <QObject>
#include <QStringList>
#include <QThreadPool>

#include <functional>

#include <memory>
#include <optional>

namespace DocRay {

class HttpListener;
class JobStateManager;
struct JobRecord;
struct ResultBlock;

struct ApiSettings {
    qint64 maxUploadBytes = 200LL * 1024 * 1024;
    ConnectionLimits connections;   // maxBodyBytes follows maxUploadBytes
    AdmissionPolicy admission;      // the API key; the desktop's local-clients-only rule
    QStringList warnings;           // what the operator should fix, shown by /health
    int maxQueuedJobs = 1000;       // past it /submit answers 429
    QString dataDirectory;          // where uploads go: watched for free space
    qint64 minFreeDiskBytes = 256LL * 1024 * 1024;
    QString device = QStringLiteral("cpu");
    bool jsonLogs = false;          // access log lines as JSON objects
    int maxWaitSeconds = 60;        // cap of GET /status/{id}?wait=N
    CallbackSettings callbacks;
};

// A route as the OpenAPI document names it, e.g. {"GET", "/status/{job_id}"}.
struct ApiRoute {
    QString method;
    QString path;
};

// The REST API, wire-compatible with the original doc-ray service: one route
// table, each route validating, handing off to the JobStateManager and
// answering at once (or, for ?wait=, when the job changes). Every answer
// carries X-Request-Id and makes one access log line. Lives on the main
// thread; parsing never runs here.
class ApiServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiServer)

public:
    ApiServer(JobStateManager *jobs, const ApiSettings &settings, QObject *parent = nullptr);
    ~ApiServer() override;

    Result<void> listen(const QHostAddress &address, quint16 port);
    quint16 port() const;

    // Every route the server registers, from the same table it registers.
    static QList<ApiRoute> routes();

private:
    QHttpServerResponse notFound(const QString &id) const;
    class Exchange;
    class PendingStatus;
    struct RouteSpec;
    static const QList<RouteSpec> &routeTable();

    void registerRoutes();
    std::optional<FramingRefusal> headRefusal(const RequestHead &head, const QHostAddress &peer) const;
    void recordRefusal(const QByteArray &method, const QByteArray &path, int status);
    void run(const RouteSpec &route, const QString &arg, const QHttpServerRequest &request,
             QHttpServerResponder &&responder);
    void finished(const Exchange &exchange, int status, const QString &jobId);

    void submit(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &);
    void status(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id);
    void result(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id);
    void resultPdf(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void resultContentList(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void resultChunks(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id);
    void resultArchiveZip(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void resultBlocks(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void cancel(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void retry(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void remove(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id);
    void health(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &);
    void listJobs(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &);
    void metrics(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &);
    void openApi(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &);
    void docs(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &);
    void docsAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name);
    void uiAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name);
    void uiFont(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name);
    void uiPdfjsFile(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name);
    void answerFolderFile(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &folder,
                          const QString &name);
    void answerAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &path,
                     const QByteArray &mimeType);
    void answerStatusNow(std::unique_ptr<Exchange> exchange, const QString &id);
    void index(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &);

    std::optional<QHttpServerResponse> capacityRefusal(const QHttpServerRequest &request) const;
    QHttpServerResponse submitResponse(const QHttpServerRequest &request, QString *jobId);
    QJsonObject statusJson(const JobRecord &job) const;
    void answerWaiter(PendingStatus *waiter);
    void answerWaiter(PendingStatus *waiter, const std::optional<JobRecord> &job); // `job` as it is now
    void answerWaiters(const QString &jobId);
    void onJobFinished(const QString &jobId);
    QByteArray resource(const QString &path);
    QByteArray resourceTag(const QString &path);
    // The answer for a job with no result to give (none, running, failed);
    // nullopt for a completed one, whose record goes to `finished`.
    std::optional<QHttpServerResponse> unfinishedResult(const QString &id, JobRecord *finished = nullptr) const;
    void answerFromBlocks(std::unique_ptr<Exchange> exchange, const QString &id,
                          std::function<QByteArray(const QList<ResultBlock> &)> format);
    void answerFromFile(std::unique_ptr<Exchange> exchange, const QString &id, const QByteArray &contentType,
                        std::function<Result<AnswerFile>()> write, const QByteArray &disposition = {});

    JobStateManager *m_jobs;
    ApiSettings m_settings;
    RequestLog m_log;
    ApiMetrics m_metrics;
    CallbackNotifier m_callbacks;
    QHttpServer m_server;
    HttpListener *m_listener = nullptr;
    QMultiHash<QString, PendingStatus *> m_waiters; // job id -> ?wait= requests, owned
    QHash<QString, QByteArray> m_resources;         // compiled-in files, read once
    QHash<QString, QByteArray> m_resourceTags;      // their ETags, made once
    // Reads results from the store and writes answer files, off the event
    // loop; waited for before the server goes.
    QThreadPool m_answerPool;
};

} // namespace DocRay
