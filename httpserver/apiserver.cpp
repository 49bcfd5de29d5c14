#include "httpserver/apiserver.h"

#include "engine/jobs/jobstatemanager.h"
#include "engine/ocr/ocrengine.h"
#include "engine/output/chunker.h"
#include "engine/output/contentlist.h"
#include "engine/output/resultarchive.h"
#include "httpserver/httperror.h"
#include "httpserver/httplistener.h"
#include "httpserver/multipartparser.h"

#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QStorageInfo>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <limits>

namespace DocRay {

namespace {

using Status = QHttpServerResponder::StatusCode;

// Qt 6.8 hands route handlers the responder by reference; earlier versions
// by rvalue. Either way it is moved out and may answer later.
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
using ResponderArg = QHttpServerResponder &;
#else
using ResponderArg = QHttpServerResponder &&;
#endif

void setResponseHeader(QHttpServerResponse &response, const QByteArray &name, const QByteArray &value)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    QHttpHeaders headers = response.headers();
    headers.replaceOrAppend(name, value);
    response.setHeaders(std::move(headers));
#else
    response.setHeader(name, value);
#endif
}

void sendResponse(QHttpServerResponder &responder, QHttpServerResponse &&response)
{
#if QT_VERSION >= QT_VERSION_CHECK(6, 5, 0)
    responder.sendResponse(response);
#else
    response.write(std::move(responder));
#endif
}

QByteArray methodName(QHttpServerRequest::Method method)
{
    using Method = QHttpServerRequest::Method;
    switch (method) {
    case Method::Get: return QByteArrayLiteral("GET");
    case Method::Put: return QByteArrayLiteral("PUT");
    case Method::Delete: return QByteArrayLiteral("DELETE");
    case Method::Post: return QByteArrayLiteral("POST");
    case Method::Head: return QByteArrayLiteral("HEAD");
    case Method::Options: return QByteArrayLiteral("OPTIONS");
    case Method::Patch: return QByteArrayLiteral("PATCH");
    default: return QByteArrayLiteral("OTHER");
    }
}

// "/status/{job_id}" (OpenAPI) -> "/status/<arg>" (QHttpServer).
QString qtPattern(const QString &path)
{
    QString pattern = path;
    const qsizetype open = pattern.indexOf(QLatin1Char('{'));
    if (open >= 0)
        pattern.replace(open, pattern.indexOf(QLatin1Char('}')) - open + 1, QStringLiteral("<arg>"));
    return pattern;
}

// Files compiled in from resources/, by the name /docs/<name> (the Swagger
// UI) or /ui/<name> (the browser UI) serves them under.
struct StaticAsset {
    const char *name;
    const char *mimeType;
};
constexpr StaticAsset kDocsAssets[] = {
    {"swagger-ui.css", "text/css; charset=utf-8"},
    {"swagger-ui-bundle.js", "application/javascript; charset=utf-8"},
    {"favicon-32x32.png", "image/png"},
    {"LICENSE", "text/plain; charset=utf-8"},
    {"NOTICE", "text/plain; charset=utf-8"},
};
constexpr StaticAsset kUiAssets[] = {
    {"app.js", "text/javascript; charset=utf-8"},
    {"app.css", "text/css; charset=utf-8"},
    {"marked.esm.js", "text/javascript; charset=utf-8"},
    {"purify.es.mjs", "text/javascript; charset=utf-8"},
    {"pdf.min.mjs", "text/javascript; charset=utf-8"},
    {"pdf.worker.min.mjs", "text/javascript; charset=utf-8"},
    {"katex.min.js", "text/javascript; charset=utf-8"},
    {"katex.min.css", "text/css; charset=utf-8"},
    {"doc-ray.svg", "image/svg+xml"},
    {"LICENSES.txt", "text/plain; charset=utf-8"},
};

// The asset's type by its name; empty for a name not in the list.
template<std::size_t N>
QByteArray assetType(const StaticAsset (&assets)[N], const QString &name)
{
    for (const StaticAsset &asset : assets)
        if (name == QLatin1String(asset.name))
            return QByteArray(asset.mimeType);
    return {};
}

// The browser UI runs only its own scripts: a document's text that gets
// past the sanitiser still cannot run, load or send anything.
constexpr QByteArrayView kUiSecurityPolicy
    = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; "
      "img-src 'self' data: blob:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

constexpr int kDefaultJobsLimit = 50;
// A waiting status request is answered at once when its job's state
// changes, and on progress alone no sooner than this after it came: a
// long poll of a fast job would otherwise be answered page by page.
constexpr int kProgressAnswerMs = 250;
constexpr int kMaxJobsLimit = 1000;

// A client's file name is only a label: no directories, no control characters.
QString sanitizedFileName(const QString &name)
{
    QString base = name.mid(qMax(name.lastIndexOf(QLatin1Char('/')), name.lastIndexOf(QLatin1Char('\\'))) + 1);
    base.removeIf([](QChar c) { return c.category() == QChar::Other_Control || c.category() == QChar::Other_Format; });
    base = base.trimmed().left(255);
    return base == QLatin1String(".") || base == QLatin1String("..") ? QString() : base;
}

QJsonValue nullable(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

QByteArray headerValue(const QHttpServerRequest &request, const QByteArray &name)
{
    const auto headers = request.headers();
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

// A submission taken apart, before any of it is stored.
struct Submission {
    QString fileName;
    QByteArray data;
    QJsonObject parserParams;
};

// parser_params arrives as a JSON string (multipart, the original's form) or
// as an object (the JSON body form); absent or empty reads as no keys.
Result<QJsonObject> readParserParams(const QJsonValue &value)
{
    if (value.isUndefined() || value.isNull())
        return QJsonObject();
    if (value.isObject())
        return value.toObject();
    const Error notAnObject{ErrorCode::InvalidInput, QStringLiteral("parser_params must be a valid JSON object string.")};
    if (!value.isString())
        return notAnObject;
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return QJsonObject();
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorCode::InvalidInput, QStringLiteral("Invalid JSON format for parser_params.")};
    if (!document.isObject())
        return notAnObject;
    return document.object();
}

Result<Submission> readMultipart(const QHttpServerRequest &request, const QByteArray &contentType)
{
    QList<MultipartPart> parts;
    QString error;
    if (!parseMultipart(contentType, request.body(), &parts, &error))
        return Error{ErrorCode::InvalidInput, QStringLiteral("Malformed multipart body: %1").arg(error)};
    Submission submission;
    const MultipartPart *file = nullptr;
    for (const MultipartPart &part : std::as_const(parts)) {
        if (part.name == QLatin1String("file") && !file) {
            file = &part;
        } else if (part.name == QLatin1String("parser_params")) {
            const Result<QJsonObject> params = readParserParams(QString::fromUtf8(part.data));
            if (!params)
                return params.error();
            submission.parserParams = *params;
        }
    }
    if (!file)
        return Error{ErrorCode::InvalidInput,
                     QStringLiteral("No file in the form: send the document as the multipart field 'file'.")};
    submission.fileName = sanitizedFileName(file->fileName);
    submission.data = file->data;
    return submission;
}

Result<QByteArray> decodeDocumentData(const QJsonValue &data, const QString &encoding)
{
    if (encoding == QLatin1String("text"))
        return data.toString().toUtf8();
    if (encoding != QLatin1String("base64"))
        return Error{ErrorCode::InvalidInput, QStringLiteral("encoding must be \"text\" or \"base64\".")};
    const auto decoded
        = QByteArray::fromBase64Encoding(data.toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error{ErrorCode::InvalidInput, QStringLiteral("document_data is not valid base64.")};
    return *decoded;
}

Result<Submission> readJsonBody(const QHttpServerRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The request body is not a valid JSON object.")};
    const QJsonObject json = document.object();
    const QJsonValue data = json.value(QStringLiteral("document_data"));
    if (!data.isString())
        return Error{ErrorCode::InvalidInput, QStringLiteral("document_data is required and must be a string.")};
    const QString encoding = json.value(QStringLiteral("encoding")).toString(QStringLiteral("text")).toLower();
    const Result<QByteArray> decoded = decodeDocumentData(data, encoding);
    if (!decoded)
        return decoded.error();
    Submission submission;
    submission.data = *decoded;
    const QJsonValue fileName = json.value(QStringLiteral("filename"));
    submission.fileName = fileName.isString()
        ? sanitizedFileName(fileName.toString())
        : (encoding == QLatin1String("text") ? QStringLiteral("document.md") : QString());
    const Result<QJsonObject> params = readParserParams(json.value(QStringLiteral("parser_params")));
    if (!params)
        return params.error();
    submission.parserParams = *params;
    return submission;
}

// The body in either of the forms /submit takes, with something in it.
Result<Submission> readSubmission(const QHttpServerRequest &request)
{
    const QByteArray contentType = headerValue(request, "Content-Type");
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    Result<Submission> read = Error{ErrorCode::Unsupported,
                                    QStringLiteral("Send the document as multipart/form-data (field 'file') or as "
                                                   "application/json with document_data; got '%1'.")
                                        .arg(QString::fromLatin1(mediaType))};
    if (mediaType == "multipart/form-data")
        read = readMultipart(request, contentType);
    else if (mediaType == "application/json" || (mediaType.isEmpty() && request.body().startsWith('{')))
        read = readJsonBody(request);
    if (read && read->data.trimmed().isEmpty())
        return Error{ErrorCode::InvalidInput, QStringLiteral("File seems to be empty or invalid.")};
    return read;
}

// A submission whose parameters, callback and format were checked.
struct AcceptedSubmission {
    ParserParams params;
    QUrl callbackUrl; // empty: none
    DocumentFormat format = DocumentFormat::Unknown;
    QString fileName;
};

// What a submission asks for, checked: its parser parameters, an allowed
// callback URL and a format doc-ray reads.
Result<AcceptedSubmission> acceptSubmission(const Submission &submission, const CallbackNotifier &callbacks)
{
    const Result<ParserParams> params = ParserParams::fromJson(submission.parserParams);
    if (!params)
        return params.error();
    if (!params->language.isEmpty())
        if (const Result<void> languages = OcrEngine::checkLanguages(params->language); !languages)
            return languages.error();
    AcceptedSubmission accepted;
    accepted.params = *params;
    const QJsonValue callback = submission.parserParams.value(QStringLiteral("callback_url"));
    if (!callback.isUndefined() && !callback.isNull()) {
        if (!callback.isString())
            return Error{ErrorCode::InvalidInput, QStringLiteral("parser_params.callback_url must be a string.")};
        accepted.callbackUrl = QUrl(callback.toString(), QUrl::StrictMode);
        const QString refusal = callbacks.refusal(accepted.callbackUrl);
        if (!refusal.isEmpty())
            return Error{ErrorCode::InvalidInput, refusal};
    }
    const FormatDetection detection = detectFormat(submission.data, submission.fileName);
    if (!detection.parseable)
        return Error{ErrorCode::Unsupported,
                     QStringLiteral("Unsupported file format: %1. Supported formats are: %2")
                         .arg(detection.extension.isEmpty() ? QStringLiteral("(unknown)") : detection.extension,
                              supportedExtensions().join(QStringLiteral(", ")))};
    accepted.format = detection.format;
    accepted.fileName = submission.fileName.isEmpty() ? QStringLiteral("document") + detection.extension
                                                      : submission.fileName;
    return accepted;
}

#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
// Writes a file to a connection a piece at a time, keeping at most about
// kSendAhead bytes in the socket's buffer: a client that reads slowly, or
// not at all, costs a file descriptor, not the answer in memory. Child of
// the socket; main thread.
class FileSender final : public QObject
{
public:
    FileSender(QTcpSocket *socket, AnswerFile file, const QByteArray &headLines)
        : QObject(socket)
        , m_socket(socket)
        , m_file(std::move(file))
    {
        socket->write(headLines + "Content-Length: " + QByteArray::number(m_file->size()) + "\r\n\r\n");
        connect(socket, &QTcpSocket::bytesWritten, this, &FileSender::pump);
        pump();
    }

private:
    static constexpr qint64 kSendAhead = 256 * 1024;
    static constexpr qint64 kPiece = 64 * 1024;

    void pump()
    {
        while (m_socket->bytesToWrite() < kSendAhead && !m_file->atEnd()) {
            const QByteArray piece = m_file->read(kPiece);
            if (piece.isEmpty())
                break;
            m_socket->write(piece);
        }
        if (m_file->atEnd())
            deleteLater();
    }

    QTcpSocket *m_socket;
    AnswerFile m_file;
};
#endif

} // namespace

// One request on its way to an answer: the responder, moved out of the
// route handler so the answer may come later, and what the access log and
// metrics need. Answered at most once; main thread.
class ApiServer::Exchange final
{
public:
    Exchange(ApiServer *server, const RouteSpec *route, const QHttpServerRequest &request,
             QHttpServerResponder &&responder)
        : m_server(server)
        , m_route(route)
        , m_responder(std::move(responder))
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
        , m_socket(m_responder.socket())
#endif
        , method(methodName(request.method()))
        , path(request.url().path())
        , requestId(server->m_log.requestId(headerValue(request, "X-Request-Id")))
    {
        clock.start();
    }

    void answer(QHttpServerResponse &&response, const QString &jobId = {})
    {
        const int status = static_cast<int>(response.statusCode());
        setResponseHeader(response, QByteArrayLiteral("X-Request-Id"), requestId);
        if (isConnected())
            sendResponse(m_responder, std::move(response));
        m_server->finished(*this, status, jobId);
    }

    // A body too large to hold in memory, sent from its file no faster
    // than the client reads it.
    // `disposition`: a Content-Disposition for a download, or empty.
    void answer(AnswerFile body, const QByteArray &contentType, const QByteArray &disposition, const QString &jobId)
    {
        if (isConnected()) {
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
            QHttpHeaders headers;
            headers.append(QHttpHeaders::WellKnownHeader::ContentType, contentType);
            if (!disposition.isEmpty())
                headers.append(QHttpHeaders::WellKnownHeader::ContentDisposition, disposition);
            headers.append(QByteArrayLiteral("X-Request-Id"), requestId);
            m_responder.write(body.release(), headers);
#else
            // Qt 6.4's responder copies a whole device into the socket's
            // buffer at once: the file is pumped here instead.
            QByteArray head = "HTTP/1.1 200 OK\r\nContent-Type: " + contentType + "\r\nX-Request-Id: " + requestId + "\r\n";
            if (!disposition.isEmpty())
                head += "Content-Disposition: " + disposition + "\r\n";
            new FileSender(m_socket, std::move(body), head);
#endif
        }
        m_server->finished(*this, 200, jobId);
    }

    bool isConnected() const
    {
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
        // Qt 6.4's responder writes to the socket unchecked; the client may
        // have gone while a ?wait= request was pending.
        return m_socket && m_socket->state() == QAbstractSocket::ConnectedState;
#else
        return true;
#endif
    }
    QObject *connection() const
    {
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
        return m_socket.data();
#else
        return nullptr;
#endif
    }
    const RouteSpec *route() const { return m_route; }

private:
    ApiServer *m_server;
    const RouteSpec *m_route;
    QHttpServerResponder m_responder;
#if QT_VERSION < QT_VERSION_CHECK(6, 8, 0)
    QPointer<QTcpSocket> m_socket;
#endif

public:
    const QByteArray method;
    const QString path;
    const QByteArray requestId;
    QElapsedTimer clock;
};

// A GET /status/{id}?wait=N waiting for the job to change or for N seconds
// to pass, whichever comes first. Holds no worker and no thread: just the
// exchange and a timer. Owned by the ApiServer; main thread.
class ApiServer::PendingStatus final : public QObject
{
    Q_DISABLE_COPY_MOVE(PendingStatus)

public:
    PendingStatus(ApiServer *server, std::unique_ptr<Exchange> exchange, const QString &jobId, JobState state, int waitMs)
        : QObject(server)
        , exchange(std::move(exchange))
        , jobId(jobId)
        , stateAtStart(state)
    {
        m_age.start();
        m_timer.setSingleShot(true);
        connect(&m_timer, &QTimer::timeout, this, [server, this] { server->answerWaiter(this); });
        m_timer.start(waitMs);
        // A client that hangs up frees its slot at once.
        if (QObject *connection = this->exchange->connection())
            connect(connection, &QObject::destroyed, this, [server, this] {
                server->m_waiters.remove(this->jobId, this);
                deleteLater();
            });
    }

    // Progress answers the request once it has waited kProgressAnswerMs.
    void answerProgress(ApiServer *server)
    {
        const qint64 left = kProgressAnswerMs - m_age.elapsed();
        if (left <= 0)
            server->answerWaiter(this);
        else if (left < m_timer.remainingTime())
            m_timer.start(static_cast<int>(left));
    }

    std::unique_ptr<Exchange> exchange;
    const QString jobId;
    const JobState stateAtStart;

private:
    QElapsedTimer m_age;
    QTimer m_timer;
};

struct ApiServer::RouteSpec {
    QHttpServerRequest::Method method;
    const char *path; // OpenAPI form; "{name}" is the one path argument
    void (ApiServer::*handler)(std::unique_ptr<Exchange>, const QHttpServerRequest &, const QString &);
};

// A finished job's blocks, read back from its stored middle JSON.
static Result<QList<ResultBlock>> storedBlocks(JobStateManager *jobs, const QString &id)
{
    const std::optional<JobResult> stored = jobs->result(id, false, false);
    if (!stored)
        return Error{ErrorCode::NotFound, QStringLiteral("Job %1 not found.").arg(id)};
    return readResultBlocks(stored->middleJson);
}

// The one route table: registered with QHttpServer, listed by GET / and
// checked against the OpenAPI document by the tests.
const QList<ApiServer::RouteSpec> &ApiServer::routeTable()
{
    using Method = QHttpServerRequest::Method;
    static const QList<RouteSpec> table{
        {Method::Post, "/submit", &ApiServer::submit},
        {Method::Get, "/status/{job_id}", &ApiServer::status},
        {Method::Get, "/result/{job_id}", &ApiServer::result},
        {Method::Get, "/result/{job_id}/pdf", &ApiServer::resultPdf},
        {Method::Get, "/result/{job_id}/content_list", &ApiServer::resultContentList},
        {Method::Get, "/result/{job_id}/chunks", &ApiServer::resultChunks},
        {Method::Get, "/result/{job_id}/archive", &ApiServer::resultArchiveZip},
        {Method::Get, "/result/{job_id}/blocks", &ApiServer::resultBlocks},
        {Method::Delete, "/result/{job_id}", &ApiServer::remove},
        {Method::Get, "/jobs", &ApiServer::listJobs},
        {Method::Post, "/jobs/{job_id}/cancel", &ApiServer::cancel},
        {Method::Post, "/jobs/{job_id}/retry", &ApiServer::retry},
        {Method::Get, "/health", &ApiServer::health},
        {Method::Get, "/metrics", &ApiServer::metrics},
        {Method::Get, "/openapi.json", &ApiServer::openApi},
        {Method::Get, "/docs", &ApiServer::docs},
        {Method::Get, "/docs/{asset}", &ApiServer::docsAsset},
        {Method::Get, "/ui/{asset}", &ApiServer::uiAsset},
        {Method::Get, "/ui/fonts/{font}", &ApiServer::uiFont},
        {Method::Get, "/ui/pdfjs/{file}", &ApiServer::uiPdfjsFile},
        {Method::Get, "/", &ApiServer::index},
    };
    return table;
}

QList<ApiRoute> ApiServer::routes()
{
    QList<ApiRoute> list;
    for (const RouteSpec &spec : routeTable())
        list.append({QString::fromLatin1(methodName(spec.method)), QString::fromLatin1(spec.path)});
    return list;
}

ApiServer::ApiServer(JobStateManager *jobs, const ApiSettings &settings, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_settings(settings)
    , m_log(settings.jsonLogs)
    , m_metrics(jobs, settings.device)
    , m_callbacks(settings.callbacks)
{
    // Two at a time: each holds one stored result in memory while it writes.
    m_answerPool.setMaxThreadCount(2);
    registerRoutes();
    connect(m_jobs, &JobStateManager::jobUpdated, this, &ApiServer::answerWaiters);
    connect(m_jobs, &JobStateManager::jobRemoved, this, &ApiServer::answerWaiters);
    connect(m_jobs, &JobStateManager::jobFinished, this,
            [this](const JobSummary &summary) { onJobFinished(summary.id); });
}

ApiServer::~ApiServer()
{
    m_answerPool.waitForDone();
    // Pending answers go while the server and its connections still exist.
    const QList<PendingStatus *> waiters = m_waiters.values();
    m_waiters.clear();
    qDeleteAll(waiters);
}

Result<void> ApiServer::listen(const QHostAddress &address, quint16 port)
{
    ConnectionLimits limits = m_settings.connections;
    limits.maxBodyBytes = m_settings.maxUploadBytes;
    // Admission runs on each request's head, in the listener, before its body.
    auto listener = std::make_unique<HttpListener>(
        limits, [this](const RequestHead &head, const QHostAddress &peer) { return headRefusal(head, peer); }, this);
    connect(listener.get(), &HttpListener::refused, this, &ApiServer::recordRefusal);
    if (!listener->listen(address, port))
        return Error{ErrorCode::Unavailable, QStringLiteral("cannot listen on %1:%2: %3")
                                                 .arg(address.toString())
                                                 .arg(port)
                                                 .arg(listener->errorString())};
    m_listener = listener.release();
    m_server.bind(m_listener);
    return {};
}

quint16 ApiServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void ApiServer::registerRoutes()
{
    for (const RouteSpec &spec : routeTable()) {
        const RouteSpec *route = &spec;
        const QString pattern = qtPattern(QString::fromLatin1(spec.path));
        if (pattern.contains(QLatin1String("<arg>")))
            m_server.route(pattern, spec.method,
                           [this, route](const QString &arg, const QHttpServerRequest &request, ResponderArg responder) {
                               run(*route, arg, request, std::move(responder));
                           });
        else
            m_server.route(pattern, spec.method, [this, route](const QHttpServerRequest &request, ResponderArg responder) {
                run(*route, QString(), request, std::move(responder));
            });
    }
    // FastAPI's answer for a path it does not know, logged like any other.
    auto notFound = [this](const QHttpServerRequest &request, ResponderArg responder) {
        Exchange exchange(this, nullptr, request, std::move(responder));
        exchange.answer(errorResponse(ErrorCode::NotFound, QStringLiteral("Not Found")));
    };
#if QT_VERSION >= QT_VERSION_CHECK(6, 8, 0)
    m_server.setMissingHandler(this, notFound);
#else
    m_server.setMissingHandler(notFound);
#endif
}

void ApiServer::run(const RouteSpec &route, const QString &arg, const QHttpServerRequest &request,
                    QHttpServerResponder &&responder)
{
    (this->*route.handler)(std::make_unique<Exchange>(this, &route, request, std::move(responder)), request, arg);
}

std::optional<FramingRefusal> ApiServer::headRefusal(const RequestHead &head, const QHostAddress &peer) const
{
    const AdmissionRequest request{head.path(), [&head](QByteArrayView name) { return head.header(name); }, peer};
    if (const std::optional<Error> error = admissionError(m_settings.admission, request))
        return FramingRefusal{int(httpStatus(error->code)), error->message};
    return std::nullopt;
}

void ApiServer::recordRefusal(const QByteArray &method, const QByteArray &path, int status)
{
    RequestRecord record;
    record.method = method;
    record.path = QString::fromUtf8(path);
    record.status = status;
    record.requestId = m_log.requestId({});
    m_log.record(record);
    m_metrics.countRequest(method, QStringLiteral("unmatched"), status);
}

void ApiServer::finished(const Exchange &exchange, int status, const QString &jobId)
{
    RequestRecord record;
    record.method = exchange.method;
    record.path = exchange.path;
    record.status = status;
    record.milliseconds = exchange.clock.nsecsElapsed() / 1e6;
    record.jobId = jobId;
    record.requestId = exchange.requestId;
    m_log.record(record);
    m_metrics.countRequest(exchange.method,
                           exchange.route() ? QString::fromLatin1(exchange.route()->path) : QStringLiteral("unmatched"),
                           status);
}

void ApiServer::submit(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &)
{
    QString jobId;
    QHttpServerResponse response = submitResponse(request, &jobId);
    exchange->answer(std::move(response), jobId);
}

// Never a 202 the server cannot keep: a full queue, a full disk or an
// upload over the limit is refused before the body is read.
std::optional<QHttpServerResponse> ApiServer::capacityRefusal(const QHttpServerRequest &request) const
{
    const int queued = m_jobs->counts().queued;
    if (queued >= m_settings.maxQueuedJobs) {
        QHttpServerResponse response = errorResponse(
            ErrorCode::Busy, QStringLiteral("The queue is full (%1 jobs waiting); try again later.").arg(queued));
        response.setHeader("Retry-After", QByteArray::number(qBound(5, queued / qMax(1, m_jobs->workerCount()), 300)));
        return response;
    }
    if (!m_settings.dataDirectory.isEmpty()) {
        QStorageInfo storage(m_settings.dataDirectory);
        storage.refresh();
        if (storage.isValid() && storage.bytesAvailable() < m_settings.minFreeDiskBytes + 2 * request.body().size())
            return errorResponse(ErrorCode::StorageFull,
                                 QStringLiteral("Not enough free disk space to store the document; try again later."));
    }
    if (request.body().size() > m_settings.maxUploadBytes)
        return errorResponse(ErrorCode::TooLarge, QStringLiteral("File too large: the limit is %1 MB.")
                                                      .arg(m_settings.maxUploadBytes / (1024 * 1024)));
    return std::nullopt;
}

QHttpServerResponse ApiServer::submitResponse(const QHttpServerRequest &request, QString *jobId)
{
    if (std::optional<QHttpServerResponse> refusal = capacityRefusal(request))
        return std::move(*refusal);
    const Result<Submission> submission = readSubmission(request);
    if (!submission)
        return errorResponse(submission.error());
    const Result<AcceptedSubmission> accepted = acceptSubmission(*submission, m_callbacks);
    if (!accepted)
        return errorResponse(accepted.error());
    const Result<QString> submitted = m_jobs->submit(accepted->fileName, submission->data, accepted->format,
                                                     accepted->params, accepted->callbackUrl);
    if (!submitted)
        return errorResponse(submitted.error());
    *jobId = *submitted;
    return QHttpServerResponse(QJsonObject{{QStringLiteral("job_id"), *submitted},
                                           {QStringLiteral("message"), QStringLiteral("Document submitted for parsing.")}},
                               Status::Accepted);
}

QJsonObject ApiServer::statusJson(const JobRecord &job) const
{
    const int position = job.state == JobState::Queued ? m_jobs->queuePosition(job.id) : -1;
    return QJsonObject{
        {QStringLiteral("job_id"), job.id},
        {QStringLiteral("status"), wireStatus(job.state)},
        {QStringLiteral("error"), nullable(job.error)},
        {QStringLiteral("state"), stateName(job.state)},
        {QStringLiteral("filename"), job.fileName},
        {QStringLiteral("created_at"), job.createdAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("progress"), QJsonObject{{QStringLiteral("pages_done"), job.pagesDone},
                                                 {QStringLiteral("pages_total"), job.pagesTotal}}},
        {QStringLiteral("queue_position"), position >= 0 ? QJsonValue(position) : QJsonValue(QJsonValue::Null)},
    };
}

QHttpServerResponse ApiServer::notFound(const QString &id) const
{
    // A cluster's database that is down (restarting) cannot say a job is
    // gone: clients must retry, not give the job up.
    if (!m_jobs->storeReachable())
        return errorResponse(ErrorCode::Unavailable,
                             QStringLiteral("The job database cannot be reached; try again shortly."));
    return errorResponse(ErrorCode::NotFound, QStringLiteral("Job ID '%1' not found.").arg(id));
}

void ApiServer::status(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id)
{
    const std::optional<JobRecord> job = m_jobs->job(id);
    if (!job) {
        exchange->answer(notFound(id), id);
        return;
    }
    const QUrlQuery query = request.query();
    if (query.hasQueryItem(QStringLiteral("wait"))) {
        bool ok = false;
        const double seconds = query.queryItemValue(QStringLiteral("wait")).toDouble(&ok);
        if (!ok || seconds < 0 || !qIsFinite(seconds)) {
            exchange->answer(errorResponse(ErrorCode::InvalidInput,
                                           QStringLiteral("wait must be a number of seconds (at most %1 are waited).")
                                               .arg(m_settings.maxWaitSeconds)),
                             id);
            return;
        }
        const int waitMs = static_cast<int>(qMin<double>(seconds, m_settings.maxWaitSeconds) * 1000);
        // A finished job will not change any more: answer now.
        if (waitMs > 0 && !isFinished(job->state)) {
            m_waiters.insert(id, new PendingStatus(this, std::move(exchange), id, job->state, waitMs));
            return;
        }
    }
    exchange->answer(statusJson(*job), id);
}

void ApiServer::answerWaiter(PendingStatus *waiter)
{
    if (m_waiters.contains(waiter->jobId, waiter))
        answerWaiter(waiter, m_jobs->job(waiter->jobId));
}

void ApiServer::answerWaiter(PendingStatus *waiter, const std::optional<JobRecord> &job)
{
    if (!m_waiters.remove(waiter->jobId, waiter))
        return; // already answered
    if (job)
        waiter->exchange->answer(statusJson(*job), waiter->jobId);
    else
        waiter->exchange->answer(
            errorResponse(ErrorCode::NotFound, QStringLiteral("Job ID '%1' not found.").arg(waiter->jobId)), waiter->jobId);
    waiter->deleteLater();
}

void ApiServer::answerWaiters(const QString &jobId)
{
    if (!m_waiters.contains(jobId))
        return;
    const std::optional<JobRecord> job = m_jobs->job(jobId);
    const QList<PendingStatus *> waiters = m_waiters.values(jobId);
    for (PendingStatus *waiter : waiters) {
        if (job && job->state == waiter->stateAtStart)
            waiter->answerProgress(this);
        else
            answerWaiter(waiter, job);
    }
}

// This process ran the job's last task: it calls back, whichever replica
// took the submit.
void ApiServer::onJobFinished(const QString &jobId)
{
    const std::optional<JobRecord> job = m_jobs->job(jobId, false);
    const QUrl url = job ? callbackUrl(*job) : QUrl();
    if (!url.isEmpty())
        m_callbacks.deliver(jobId, url, QJsonDocument(statusJson(*job)).toJson(QJsonDocument::Compact));
}

// The answer for a job that has no result to send: unknown, failed or not yet done.
std::optional<QHttpServerResponse> ApiServer::unfinishedResult(const QString &id, JobRecord *finished) const
{
    const std::optional<JobRecord> job = m_jobs->job(id);
    if (!job)
        return notFound(id);
    if (job->state == JobState::Failed)
        return QHttpServerResponse(QJsonObject{{QStringLiteral("job_id"), id},
                                               {QStringLiteral("status"), wireStatus(job->state)},
                                               {QStringLiteral("result"), QJsonValue::Null},
                                               {QStringLiteral("error"), job->error},
                                               {QStringLiteral("message"), QStringLiteral("Parsing failed.")}});
    if (job->state != JobState::Completed)
        return QHttpServerResponse(QJsonObject{{QStringLiteral("job_id"), id},
                                               {QStringLiteral("status"), wireStatus(job->state)},
                                               {QStringLiteral("result"), QJsonValue::Null},
                                               {QStringLiteral("error"), QJsonValue::Null},
                                               {QStringLiteral("message"), QStringLiteral("Parsing is still in progress.")}});
    if (finished)
        *finished = *job;
    return std::nullopt;
}

// Results are read from the store and written out on the answer pool; the
// event loop only hands the file to the connection.
void ApiServer::answerFromFile(std::unique_ptr<Exchange> exchange, const QString &id, const QByteArray &contentType,
                               std::function<Result<AnswerFile>()> write, const QByteArray &disposition)
{
    auto pending = std::make_shared<std::unique_ptr<Exchange>>(std::move(exchange));
    QPointer<ApiServer> self(this);
    m_answerPool.start([self, home = thread(), pending, id, contentType, disposition, write = std::move(write)]() mutable {
        auto written = std::make_shared<Result<AnswerFile>>(write());
        // The responder reads the file from this thread's event loop.
        if (*written)
            (**written)->moveToThread(home);
        QMetaObject::invokeMethod(self, [self, pending, id, contentType, disposition, written]() mutable {
            if (!self)
                return;
            if (!*written)
                return (*pending)->answer(errorResponse(written->error()), id);
            (*pending)->answer(std::move(**written), contentType, disposition, id);
        });
    });
}

void ApiServer::result(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id)
{
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id))
        return exchange->answer(std::move(*answer), id);
    // ?exclude=pdf_data,images leaves the heavy fields out.
    const QStringList excluded = request.query().queryItemValue(QStringLiteral("exclude"))
                                     .split(QLatin1Char(','), Qt::SkipEmptyParts);
    const bool withPdf = !excluded.contains(QLatin1String("pdf_data"));
    const bool withImages = !excluded.contains(QLatin1String("images"));
    answerFromFile(std::move(exchange), id, "application/json",
                   [jobs = m_jobs, id, withPdf, withImages, directory = m_settings.dataDirectory]() -> Result<AnswerFile> {
                       const std::optional<JobResult> stored = jobs->result(id, withPdf, withImages);
                       if (!stored)
                           return Error{ErrorCode::NotFound, QStringLiteral("Job %1 not found.").arg(id)};
                       return writeResultFile(id, *stored, withPdf, withImages, directory);
                   });
}

// The PDF the middle JSON's boxes refer to, as bytes: no base64 to undo.
void ApiServer::resultPdf(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id))
        return exchange->answer(std::move(*answer), id);
    answerFromFile(std::move(exchange), id, "application/pdf",
                   [jobs = m_jobs, id, directory = m_settings.dataDirectory]() -> Result<AnswerFile> {
                       const std::optional<JobResult> stored = jobs->result(id, true, false);
                       if (!stored)
                           return Error{ErrorCode::NotFound, QStringLiteral("Job %1 not found.").arg(id)};
                       return writeBytesFile(stored->pdfData, directory);
                   });
}

// A JSON answer made from a finished job's blocks, read back from its
// stored middle JSON on the answer pool.
void ApiServer::answerFromBlocks(std::unique_ptr<Exchange> exchange, const QString &id,
                                 std::function<QByteArray(const QList<ResultBlock> &)> format)
{
    answerFromFile(std::move(exchange), id, "application/json",
                   [jobs = m_jobs, id, format = std::move(format), directory = m_settings.dataDirectory]() -> Result<AnswerFile> {
                       const Result<QList<ResultBlock>> blocks = storedBlocks(jobs, id);
                       if (!blocks)
                           return blocks.error();
                       return writeBytesFile(format(*blocks), directory);
                   });
}

// MinerU's content_list.json, from the stored middle JSON.
void ApiServer::resultContentList(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id))
        return exchange->answer(std::move(*answer), id);
    answerFromBlocks(std::move(exchange), id, contentListJson);
}

// Chunks for retrieval with their provenance, from the stored middle JSON.
void ApiServer::resultChunks(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &id)
{
    const QUrlQuery query = request.query();
    const Result<ChunkOptions> options
        = ChunkOptions::parse(query.queryItemValue(QStringLiteral("max_chars")), query.queryItemValue(QStringLiteral("overlap")));
    if (!options)
        return exchange->answer(errorResponse(options.error()), id);
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id))
        return exchange->answer(std::move(*answer), id);
    answerFromBlocks(std::move(exchange), id,
                     [options = *options](const QList<ResultBlock> &blocks) { return chunksJson(blocks, options); });
}

// Each block's markdown beside its box, for viewers that outline a page.
void ApiServer::resultBlocks(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id))
        return exchange->answer(std::move(*answer), id);
    answerFromBlocks(std::move(exchange), id, blocksJson);
}

// Everything in one zip, as MinerU's command line leaves it.
void ApiServer::resultArchiveZip(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    JobRecord job;
    if (std::optional<QHttpServerResponse> answer = unfinishedResult(id, &job))
        return exchange->answer(std::move(*answer), id);
    const QString fileName = job.fileName;
    const QByteArray disposition = "attachment; filename=\"" + archiveStem(fileName).toUtf8().replace('"', '_') + ".zip\"";
    answerFromFile(
        std::move(exchange), id, "application/zip",
        [jobs = m_jobs, id, fileName, directory = m_settings.dataDirectory]() -> Result<AnswerFile> {
            const std::optional<JobResult> stored = jobs->result(id, true, true);
            if (!stored)
                return Error{ErrorCode::NotFound, QStringLiteral("Job %1 not found.").arg(id)};
            const Result<QByteArray> archive
                = resultArchive({fileName, stored->markdown, stored->middleJson, stored->images(), stored->pdfData});
            if (!archive)
                return archive.error();
            return writeBytesFile(*archive, directory);
        },
        disposition);
}

void ApiServer::remove(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    // Idempotent, as the original: an unknown id is answered the same way.
    m_jobs->remove(id);
    exchange->answer(QJsonObject{{QStringLiteral("job_id"), id},
                                 {QStringLiteral("message"), QStringLiteral("Job and result deleted successfully.")}},
                     id);
}

// The job's status after a change; another replica may have deleted it since.
void ApiServer::answerStatusNow(std::unique_ptr<Exchange> exchange, const QString &id)
{
    const std::optional<JobRecord> job = m_jobs->job(id, false);
    exchange->answer(job ? QHttpServerResponse(statusJson(*job)) : notFound(id), id);
}

void ApiServer::cancel(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    if (!m_jobs->job(id, false))
        return exchange->answer(notFound(id), id);
    if (!m_jobs->cancel(id))
        return exchange->answer(errorResponse(ErrorCode::Conflict, QStringLiteral("Job %1 has already finished.").arg(id)), id);
    answerStatusNow(std::move(exchange), id);
}

void ApiServer::retry(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &id)
{
    const std::optional<JobRecord> job = m_jobs->job(id, false);
    if (!job)
        return exchange->answer(notFound(id), id);
    if (!isFinished(job->state) || !m_jobs->retry(id))
        return exchange->answer(
            errorResponse(ErrorCode::Conflict, QStringLiteral("Job %1 is still queued or running; only a finished job is retried.").arg(id)),
            id);
    answerStatusNow(std::move(exchange), id);
}

void ApiServer::health(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &)
{
    const JobStateManager::Counts counts = m_jobs->counts();
    exchange->answer(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                 {QStringLiteral("version"), QStringLiteral(DOCRAY_VERSION)},
                                 {QStringLiteral("device"), m_settings.device},
                                 {QStringLiteral("workers"), m_jobs->workerCount()},
                                 {QStringLiteral("queued"), counts.queued},
                                 {QStringLiteral("running"), counts.running},
                                 {QStringLiteral("completed"), counts.completed},
                                 {QStringLiteral("failed"), counts.failed},
                                 {QStringLiteral("ocr_languages"), QJsonArray::fromStringList(OcrEngine::installedLanguages())},
                                 {QStringLiteral("max_upload_mb"), m_settings.maxUploadBytes / (1024 * 1024)},
                                 {QStringLiteral("warnings"), QJsonArray::fromStringList(m_settings.warnings)}});
}

void ApiServer::listJobs(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &)
{
    const QUrlQuery query = request.query();
    const QString filter = query.queryItemValue(QStringLiteral("status"));
    static const QStringList filters{QStringLiteral("processing"), QStringLiteral("completed"),
                                     QStringLiteral("failed"), QStringLiteral("queued"), QStringLiteral("running")};
    if (!filter.isEmpty() && !filters.contains(filter))
        return exchange->answer(errorResponse(ErrorCode::InvalidInput,
                                              QStringLiteral("status must be one of: %1.").arg(filters.join(QStringLiteral(", ")))));
    auto number = [&query](const char *name, int fallback, int minimum, int maximum, bool *ok) {
        const QString text = query.queryItemValue(QLatin1String(name));
        if (text.isEmpty())
            return fallback;
        const int value = text.toInt(ok);
        *ok = *ok && value >= minimum && value <= maximum;
        return value;
    };
    bool limitOk = true;
    bool offsetOk = true;
    const int limit = number("limit", kDefaultJobsLimit, 1, kMaxJobsLimit, &limitOk);
    const int offset = number("offset", 0, 0, std::numeric_limits<int>::max(), &offsetOk);
    if (!limitOk || !offsetOk)
        return exchange->answer(errorResponse(
            ErrorCode::InvalidInput,
            QStringLiteral("limit must be from 1 to %1 and offset a non-negative whole number.").arg(kMaxJobsLimit)));

    // jobs() is oldest first; a listing does not count as touching a job.
    const QList<JobRecord> all = m_jobs->jobs();
    QJsonArray page;
    int matched = 0;
    for (auto it = all.crbegin(); it != all.crend(); ++it) {
        const bool matches = filter.isEmpty() || filter == wireStatus(it->state) || filter == stateName(it->state);
        if (!matches)
            continue;
        if (matched >= offset && page.size() < limit)
            page.append(statusJson(*it));
        ++matched;
    }
    exchange->answer(QJsonObject{{QStringLiteral("jobs"), page},
                                 {QStringLiteral("total"), matched},
                                 {QStringLiteral("limit"), limit},
                                 {QStringLiteral("offset"), offset}});
}

void ApiServer::metrics(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &)
{
    exchange->answer(QHttpServerResponse(QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"),
                                         m_metrics.render()));
}

QByteArray ApiServer::resource(const QString &path)
{
    auto it = m_resources.find(path);
    if (it == m_resources.end()) {
        QFile file(path);
        it = m_resources.insert(path, file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray());
    }
    return *it;
}

QByteArray ApiServer::resourceTag(const QString &path)
{
    auto it = m_resourceTags.find(path);
    if (it == m_resourceTags.end()) {
        const QByteArray bytes = resource(path);
        it = m_resourceTags.insert(path, '"' + QByteArray::number(qHash(bytes), 16) + '-' + QByteArray::number(bytes.size()) + '"');
    }
    return *it;
}

void ApiServer::openApi(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &)
{
    static const QString key = QStringLiteral("openapi.json (versioned)");
    if (!m_resources.contains(key)) {
        QJsonObject document = QJsonDocument::fromJson(resource(QStringLiteral(":/docray/openapi.json"))).object();
        QJsonObject info = document.value(QStringLiteral("info")).toObject();
        info.insert(QStringLiteral("version"), QStringLiteral(DOCRAY_VERSION));
        document.insert(QStringLiteral("info"), info);
        m_resources.insert(key, QJsonDocument(document).toJson(QJsonDocument::Compact));
    }
    exchange->answer(QHttpServerResponse(QByteArrayLiteral("application/json"), m_resources.value(key)));
}

void ApiServer::docs(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &, const QString &)
{
    exchange->answer(QHttpServerResponse(QByteArrayLiteral("text/html; charset=utf-8"),
                                         resource(QStringLiteral(":/docray/docs/index.html"))));
}

void ApiServer::docsAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name)
{
    answerAsset(std::move(exchange), request, QStringLiteral(":/docray/swagger-ui/") + name, assetType(kDocsAssets, name));
}

void ApiServer::uiAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name)
{
    answerAsset(std::move(exchange), request, QStringLiteral(":/docray/ui/") + name, assetType(kUiAssets, name));
}

void ApiServer::uiFont(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name)
{
    answerFolderFile(std::move(exchange), request, QStringLiteral("fonts"), name);
}

void ApiServer::uiPdfjsFile(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &name)
{
    answerFolderFile(std::move(exchange), request, QStringLiteral("pdfjs"), name);
}

// A file of a compiled-in folder of the UI by its own name (KaTeX's fonts;
// pdf.js's character maps, standard fonts, colour profile and decoders):
// only names the folder holds, so the answer cache stays as small as it.
void ApiServer::answerFolderFile(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request,
                                 const QString &folder, const QString &name)
{
    static const QRegularExpression plainName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9_.+-]*$"));
    static const QHash<QString, QByteArray> types{{QStringLiteral("woff2"), "font/woff2"},
                                                  {QStringLiteral("ttf"), "font/ttf"},
                                                  {QStringLiteral("wasm"), "application/wasm"},
                                                  {QStringLiteral("js"), "text/javascript; charset=utf-8"}};
    const QString path = QStringLiteral(":/docray/ui/%1/%2").arg(folder, name);
    QByteArray type;
    if (plainName.match(name).hasMatch() && QFile::exists(path))
        type = types.value(name.section(QLatin1Char('.'), -1), QByteArrayLiteral("application/octet-stream"));
    answerAsset(std::move(exchange), request, path, type);
}

// Revalidated on every load (the files change with each build, their
// names do not), answered 304 while the browser's copy is current.
void ApiServer::answerAsset(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &path,
                            const QByteArray &mimeType)
{
    if (mimeType.isEmpty())
        return exchange->answer(errorResponse(ErrorCode::NotFound, QStringLiteral("Not Found")));
    const QByteArray tag = resourceTag(path);
    const bool current = request.value(QByteArrayLiteral("if-none-match")) == tag;
    QHttpServerResponse response = current ? QHttpServerResponse(QHttpServerResponse::StatusCode::NotModified)
                                           : QHttpServerResponse(mimeType, resource(path));
    setResponseHeader(response, QByteArrayLiteral("ETag"), tag);
    setResponseHeader(response, QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
    setResponseHeader(response, QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
    exchange->answer(std::move(response));
}

// A browser asking for a page gets the UI; a client asking for data gets
// the list of endpoints.
void ApiServer::index(std::unique_ptr<Exchange> exchange, const QHttpServerRequest &request, const QString &)
{
    if (request.value(QByteArrayLiteral("accept")).contains("text/html")) {
        QHttpServerResponse response(QByteArrayLiteral("text/html; charset=utf-8"),
                                     resource(QStringLiteral(":/docray/ui/index.html")));
        setResponseHeader(response, QByteArrayLiteral("Content-Security-Policy"), kUiSecurityPolicy.toByteArray());
        setResponseHeader(response, QByteArrayLiteral("X-Content-Type-Options"), QByteArrayLiteral("nosniff"));
        setResponseHeader(response, QByteArrayLiteral("Cache-Control"), QByteArrayLiteral("no-cache"));
        return exchange->answer(std::move(response));
    }
    QJsonArray endpoints;
    for (const ApiRoute &route : routes())
        endpoints.append(route.method + QLatin1Char(' ') + route.path);
    exchange->answer(QJsonObject{{QStringLiteral("service"), QStringLiteral("doc-ray")},
                                 {QStringLiteral("version"), QStringLiteral(DOCRAY_VERSION)},
                                 {QStringLiteral("docs"), QStringLiteral("/docs")},
                                 {QStringLiteral("ui"), QStringLiteral("/")},
                                 {QStringLiteral("endpoints"), endpoints}});
}

} // namespace DocRay
