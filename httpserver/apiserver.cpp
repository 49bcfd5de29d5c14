#include "httpserver/apiserver.h"

#include "engine/jobs/jobstatemanager.h"
#include "engine/ocrengine.h"
#include "httpserver/httplistener.h"
#include "httpserver/multipartparser.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrlQuery>

namespace DocRay {

namespace {

using Status = QHttpServerResponder::StatusCode;

QHttpServerResponse errorResponse(Status status, const QString &detail)
{
    return QHttpServerResponse(QJsonObject{{QStringLiteral("detail"), detail}}, status);
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

// Either a Submission or the error response that says why there is none.
struct SubmissionOrError {
    Submission submission;
    std::optional<QHttpServerResponse> error;
};

// parser_params arrives as a JSON string (multipart, the original's form) or
// as an object (the JSON body form).
std::optional<QHttpServerResponse> readParserParams(const QJsonValue &value, QJsonObject *out)
{
    if (value.isUndefined() || value.isNull())
        return std::nullopt;
    if (value.isObject()) {
        *out = value.toObject();
        return std::nullopt;
    }
    if (!value.isString())
        return errorResponse(Status::BadRequest, QStringLiteral("parser_params must be a valid JSON object string."));
    const QString text = value.toString().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return errorResponse(Status::BadRequest, QStringLiteral("Invalid JSON format for parser_params."));
    if (!document.isObject())
        return errorResponse(Status::BadRequest, QStringLiteral("parser_params must be a valid JSON object string."));
    *out = document.object();
    return std::nullopt;
}

SubmissionOrError readMultipart(const QHttpServerRequest &request, const QByteArray &contentType)
{
    SubmissionOrError out;
    QList<MultipartPart> parts;
    QString error;
    if (!parseMultipart(contentType, request.body(), &parts, &error)) {
        out.error = errorResponse(Status::BadRequest, QStringLiteral("Malformed multipart body: %1").arg(error));
        return out;
    }
    const MultipartPart *file = nullptr;
    for (const MultipartPart &part : std::as_const(parts)) {
        if (part.name == QLatin1String("file") && !file) {
            file = &part;
        } else if (part.name == QLatin1String("parser_params")) {
            out.error = readParserParams(QString::fromUtf8(part.data), &out.submission.parserParams);
            if (out.error)
                return out;
        }
    }
    if (!file) {
        out.error = errorResponse(Status::BadRequest,
                                  QStringLiteral("No file in the form: send the document as the multipart field 'file'."));
        return out;
    }
    out.submission.fileName = file->fileName;
    out.submission.data = file->data;
    return out;
}

SubmissionOrError readJsonBody(const QHttpServerRequest &request)
{
    SubmissionOrError out;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        out.error = errorResponse(Status::BadRequest, QStringLiteral("The request body is not a valid JSON object."));
        return out;
    }
    const QJsonObject json = document.object();
    const QJsonValue data = json.value(QStringLiteral("document_data"));
    if (!data.isString()) {
        out.error = errorResponse(Status::BadRequest, QStringLiteral("document_data is required and must be a string."));
        return out;
    }
    const QString encoding = json.value(QStringLiteral("encoding")).toString(QStringLiteral("text")).toLower();
    if (encoding == QLatin1String("base64")) {
        const auto decoded = QByteArray::fromBase64Encoding(data.toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded) {
            out.error = errorResponse(Status::BadRequest, QStringLiteral("document_data is not valid base64."));
            return out;
        }
        out.submission.data = *decoded;
    } else if (encoding == QLatin1String("text")) {
        out.submission.data = data.toString().toUtf8();
    } else {
        out.error = errorResponse(Status::BadRequest, QStringLiteral("encoding must be \"text\" or \"base64\"."));
        return out;
    }
    const QJsonValue fileName = json.value(QStringLiteral("filename"));
    out.submission.fileName = fileName.isString()
        ? fileName.toString()
        : (encoding == QLatin1String("text") ? QStringLiteral("document.md") : QString());
    out.error = readParserParams(json.value(QStringLiteral("parser_params")), &out.submission.parserParams);
    return out;
}

} // namespace

ApiServer::ApiServer(JobStateManager *jobs, const ApiSettings &settings, QObject *parent)
    : QObject(parent)
    , m_jobs(jobs)
    , m_settings(settings)
{
    registerRoutes();
}

ApiServer::~ApiServer() = default;

bool ApiServer::listen(const QHostAddress &address, quint16 port, QString *error)
{
    auto listener = std::make_unique<HttpListener>(m_settings.maxUploadBytes, this);
    if (!listener->listen(address, port)) {
        *error = QStringLiteral("cannot listen on %1:%2: %3")
                     .arg(address.toString())
                     .arg(port)
                     .arg(listener->errorString());
        return false;
    }
    m_listener = listener.release();
    m_server.bind(m_listener);
    return true;
}

quint16 ApiServer::port() const
{
    return m_listener ? m_listener->serverPort() : 0;
}

void ApiServer::registerRoutes()
{
    using Method = QHttpServerRequest::Method;
    m_server.route(QStringLiteral("/submit"), Method::Post,
                   [this](const QHttpServerRequest &request) { return submit(request); });
    m_server.route(QStringLiteral("/status/<arg>"), Method::Get,
                   [this](const QString &id) { return status(id); });
    m_server.route(QStringLiteral("/result/<arg>"), Method::Get,
                   [this](const QString &id, const QHttpServerRequest &request) { return result(id, request); });
    m_server.route(QStringLiteral("/result/<arg>"), Method::Delete,
                   [this](const QString &id) { return remove(id); });
    m_server.route(QStringLiteral("/health"), Method::Get, [this] { return health(); });
    m_server.route(QStringLiteral("/"), Method::Get, [] {
        return QJsonObject{{QStringLiteral("service"), QStringLiteral("doc-ray")},
                           {QStringLiteral("version"), QStringLiteral(DOCRAY_VERSION)},
                           {QStringLiteral("endpoints"),
                            QJsonArray{QStringLiteral("POST /submit"), QStringLiteral("GET /status/{job_id}"),
                                       QStringLiteral("GET /result/{job_id}"),
                                       QStringLiteral("DELETE /result/{job_id}"), QStringLiteral("GET /health")}}};
    });
}

QHttpServerResponse ApiServer::submit(const QHttpServerRequest &request)
{
    if (request.body().size() > m_settings.maxUploadBytes)
        return errorResponse(Status::PayloadTooLarge,
                             QStringLiteral("File too large: the limit is %1 MB.")
                                 .arg(m_settings.maxUploadBytes / (1024 * 1024)));

    const QByteArray contentType = headerValue(request, "Content-Type");
    const QByteArray mediaType = contentType.split(';').first().trimmed().toLower();
    SubmissionOrError read;
    if (mediaType == "multipart/form-data")
        read = readMultipart(request, contentType);
    else if (mediaType == "application/json" || (mediaType.isEmpty() && request.body().startsWith('{')))
        read = readJsonBody(request);
    else
        return errorResponse(Status::UnsupportedMediaType,
                             QStringLiteral("Send the document as multipart/form-data (field 'file') or as "
                                            "application/json with document_data; got '%1'.")
                                 .arg(QString::fromLatin1(mediaType)));
    if (read.error)
        return std::move(*read.error);

    const Submission &submission = read.submission;
    if (submission.data.trimmed().isEmpty())
        return errorResponse(Status::BadRequest, QStringLiteral("File seems to be empty or invalid."));

    ParserParams params;
    const QString paramsError = ParserParams::fromJson(submission.parserParams, &params);
    if (!paramsError.isEmpty())
        return errorResponse(Status::BadRequest, paramsError);

    const FormatDetection detection = detectFormat(submission.data, submission.fileName);
    if (!detection.parseable)
        return errorResponse(Status::UnsupportedMediaType,
                             QStringLiteral("Unsupported file format: %1. Supported formats are: %2")
                                 .arg(detection.extension.isEmpty() ? QStringLiteral("(unknown)") : detection.extension,
                                      supportedExtensions().join(QStringLiteral(", "))));

    QString error;
    const QString fileName = submission.fileName.isEmpty()
        ? QStringLiteral("document") + detection.extension
        : submission.fileName;
    const QString id = m_jobs->submit(fileName, submission.data, detection.format, params, &error);
    if (id.isEmpty())
        return errorResponse(Status::InternalServerError, error);
    return QHttpServerResponse(QJsonObject{{QStringLiteral("job_id"), id},
                                           {QStringLiteral("message"), QStringLiteral("Document submitted for parsing.")}},
                               Status::Accepted);
}

QHttpServerResponse ApiServer::status(const QString &id)
{
    const std::optional<JobRecord> job = m_jobs->job(id);
    if (!job)
        return errorResponse(Status::NotFound, QStringLiteral("Job ID '%1' not found.").arg(id));
    const int position = job->state == JobState::Queued ? m_jobs->queuePosition(id) : -1;
    return QJsonObject{
        {QStringLiteral("job_id"), job->id},
        {QStringLiteral("status"), wireStatus(job->state)},
        {QStringLiteral("error"), nullable(job->error)},
        {QStringLiteral("state"), stateName(job->state)},
        {QStringLiteral("filename"), job->fileName},
        {QStringLiteral("created_at"), job->createdAt.toString(Qt::ISODateWithMs)},
        {QStringLiteral("progress"), QJsonObject{{QStringLiteral("pages_done"), job->pagesDone},
                                                 {QStringLiteral("pages_total"), job->pagesTotal}}},
        {QStringLiteral("queue_position"), position >= 0 ? QJsonValue(position) : QJsonValue(QJsonValue::Null)},
    };
}

QHttpServerResponse ApiServer::result(const QString &id, const QHttpServerRequest &request)
{
    const std::optional<JobRecord> job = m_jobs->job(id);
    if (!job)
        return errorResponse(Status::NotFound, QStringLiteral("Job ID '%1' not found.").arg(id));
    if (job->state == JobState::Failed)
        return QJsonObject{{QStringLiteral("job_id"), id},
                           {QStringLiteral("status"), wireStatus(job->state)},
                           {QStringLiteral("result"), QJsonValue::Null},
                           {QStringLiteral("error"), job->error},
                           {QStringLiteral("message"), QStringLiteral("Parsing failed.")}};
    if (job->state != JobState::Completed)
        return QJsonObject{{QStringLiteral("job_id"), id},
                           {QStringLiteral("status"), wireStatus(job->state)},
                           {QStringLiteral("result"), QJsonValue::Null},
                           {QStringLiteral("error"), QJsonValue::Null},
                           {QStringLiteral("message"), QStringLiteral("Parsing is still in progress.")}};

    // ?exclude=pdf_data,images leaves the heavy fields out.
    const QStringList excluded = request.query().queryItemValue(QStringLiteral("exclude"))
                                     .split(QLatin1Char(','), Qt::SkipEmptyParts);
    const bool withPdf = !excluded.contains(QLatin1String("pdf_data"));
    const bool withImages = !excluded.contains(QLatin1String("images"));
    const std::optional<JobResult> stored = m_jobs->result(id, withPdf, withImages);
    if (!stored)
        return errorResponse(Status::NotFound, QStringLiteral("Job ID '%1' not found.").arg(id));

    QJsonObject result{{QStringLiteral("markdown"), stored->markdown},
                       {QStringLiteral("middle_json"), QString::fromUtf8(stored->middleJson)}};
    if (withImages)
        result.insert(QStringLiteral("images"), QJsonDocument::fromJson(stored->imagesJson).object());
    if (withPdf)
        result.insert(QStringLiteral("pdf_data"), QString::fromLatin1(stored->pdfData.toBase64()));
    return QJsonObject{{QStringLiteral("job_id"), id},
                       {QStringLiteral("status"), wireStatus(job->state)},
                       {QStringLiteral("result"), result},
                       {QStringLiteral("error"), QJsonValue::Null},
                       {QStringLiteral("message"), QJsonValue::Null}};
}

QHttpServerResponse ApiServer::remove(const QString &id)
{
    // Idempotent, as the original: an unknown id is answered the same way.
    m_jobs->remove(id);
    return QJsonObject{{QStringLiteral("job_id"), id},
                       {QStringLiteral("message"), QStringLiteral("Job and result deleted successfully.")}};
}

QHttpServerResponse ApiServer::health()
{
    if (m_ocrLanguages.isEmpty())
        m_ocrLanguages = OcrEngine::installedLanguages();
    const JobStateManager::Counts counts = m_jobs->counts();
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                       {QStringLiteral("version"), QStringLiteral(DOCRAY_VERSION)},
                       {QStringLiteral("device"), m_settings.device},
                       {QStringLiteral("workers"), m_jobs->workerCount()},
                       {QStringLiteral("queued"), counts.queued},
                       {QStringLiteral("running"), counts.running},
                       {QStringLiteral("completed"), counts.completed},
                       {QStringLiteral("failed"), counts.failed},
                       {QStringLiteral("ocr_languages"), QJsonArray::fromStringList(m_ocrLanguages)},
                       {QStringLiteral("max_upload_mb"), m_settings.maxUploadBytes / (1024 * 1024)}};
}

} // namespace DocRay
