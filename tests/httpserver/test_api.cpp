// The REST API over real HTTP on loopback, in process with the real job
// layer and engine: the original service's contract, its errors, the
// connection guard's answers to Expect and oversized uploads, and the
// additions: OpenAPI and Swagger UI, metrics, job listing, long poll,
// callbacks, the access log and X-Request-Id.
#include "engine/jobs/jobstatemanager.h"
#include "engine/jobs/stores/sqlitejobstore.h"
#include "httpserver/apiserver.h"
#include "tests/support/testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QMutex>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

using namespace DocRay;
using Test::httpRequest;

namespace {

const QByteArray kBoundary = "----docray-test-boundary";
// OCR on every page keeps a worker busy for many seconds, for tests that
// need a job that is still running (or one still queued behind it).
const QByteArray kSlowParams = "{\"force_ocr\": true}";

struct ApiFixture {
    QTemporaryDir dir;
    std::unique_ptr<JobStateManager> jobs;
    std::unique_ptr<ApiServer> api;
    QUrl base;

    explicit ApiFixture(int workers = 2, int maxUploadMb = 200)
    {
        ApiSettings apiSettings;
        apiSettings.maxUploadBytes = qint64(maxUploadMb) * 1024 * 1024;
        start(workers, apiSettings);
    }
    ApiFixture(int workers, const ApiSettings &apiSettings) { start(workers, apiSettings); }

    void start(int workers, const ApiSettings &apiSettings)
    {
        JobManagerSettings settings;
        settings.workers = workers;
        jobs = std::make_unique<JobStateManager>(
            std::make_unique<SqliteJobStore>(dir.filePath(QStringLiteral("jobs.sqlite"))), settings);
        if (const Result<void> started = jobs->start(); !started)
            qFatal("cannot start jobs: %s", qPrintable(started.errorMessage()));
        api = std::make_unique<ApiServer>(jobs.get(), apiSettings);
        if (const Result<void> listening = api->listen(QHostAddress::LocalHost, 0); !listening)
            qFatal("cannot listen: %s", qPrintable(listening.errorMessage()));
        base = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api->port()));
    }
    QUrl url(const QString &path) const { return base.resolved(QUrl(path)); }
};

Test::HttpReply submitFile(QNetworkAccessManager &network, const ApiFixture &api, const QByteArray &data,
                           const QByteArray &fileName, const QByteArray &parserParams = {})
{
    QList<Test::FormPart> parts{{"file", fileName, data}};
    if (!parserParams.isNull())
        parts.append({"parser_params", {}, parserParams});
    return httpRequest(network, "POST", api.url(QStringLiteral("/submit")),
                       Test::multipartBody(parts, kBoundary), Test::multipartContentType(kBoundary));
}

// Raw HTTP on a socket, for what QNetworkAccessManager will not send.
QByteArray readUntil(QTcpSocket &socket, const QByteArray &marker, int timeoutMs)
{
    QByteArray received;
    QElapsedTimer clock;
    clock.start();
    while (!received.contains(marker) && clock.elapsed() < timeoutMs) {
        QTest::qWait(10);
        received += socket.readAll();
    }
    return received;
}

// ---- A JSON-schema subset, enough for the OpenAPI document's schemas:
// $ref, type (one or a list, "null" included), nullable, enum, required,
// properties, additionalProperties, items and anyOf.
class SchemaValidator
{
public:
    explicit SchemaValidator(const QJsonObject &openApi)
        : m_schemas(openApi[QStringLiteral("components")][QStringLiteral("schemas")].toObject())
    {
    }

    // Empty when `value` fits `schema`, else one line per mismatch.
    QStringList validate(const QJsonValue &value, const QJsonObject &schema, const QString &where = QStringLiteral("$")) const
    {
        QStringList errors;
        check(value, schema, where, &errors);
        return errors;
    }

private:
    static bool hasType(const QJsonValue &value, const QString &type)
    {
        if (type == QLatin1String("null")) return value.isNull();
        if (type == QLatin1String("string")) return value.isString();
        if (type == QLatin1String("boolean")) return value.isBool();
        if (type == QLatin1String("object")) return value.isObject();
        if (type == QLatin1String("array")) return value.isArray();
        if (type == QLatin1String("number")) return value.isDouble();
        if (type == QLatin1String("integer")) return value.isDouble() && value.toDouble() == std::floor(value.toDouble());
        return false;
    }

    void check(const QJsonValue &value, QJsonObject schema, const QString &where, QStringList *errors) const
    {
        const QString ref = schema.value(QStringLiteral("$ref")).toString();
        if (!ref.isEmpty()) {
            const QString name = ref.section(QLatin1Char('/'), -1);
            if (!ref.startsWith(QLatin1String("#/components/schemas/")) || !m_schemas.contains(name)) {
                errors->append(where + QStringLiteral(": unresolved $ref ") + ref);
                return;
            }
            schema = m_schemas.value(name).toObject();
        }
        if (schema.contains(QStringLiteral("anyOf"))) {
            for (const QJsonValue &option : schema.value(QStringLiteral("anyOf")).toArray()) {
                QStringList optionErrors;
                check(value, option.toObject(), where, &optionErrors);
                if (optionErrors.isEmpty())
                    return;
            }
            errors->append(where + QStringLiteral(": matches none of anyOf"));
            return;
        }
        if (value.isNull() && schema.value(QStringLiteral("nullable")).toBool())
            return;
        const QJsonValue typeValue = schema.value(QStringLiteral("type"));
        if (!typeValue.isUndefined()) {
            QStringList types;
            if (typeValue.isArray())
                for (const QJsonValue &t : typeValue.toArray())
                    types.append(t.toString());
            else
                types.append(typeValue.toString());
            if (std::none_of(types.cbegin(), types.cend(), [&value](const QString &t) { return hasType(value, t); })) {
                errors->append(QStringLiteral("%1: expected %2, got %3")
                                   .arg(where, types.join(QLatin1Char('|')),
                                        QString::fromUtf8(QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact)).left(80)));
                return;
            }
        }
        if (schema.contains(QStringLiteral("enum")) && !schema.value(QStringLiteral("enum")).toArray().contains(value))
            errors->append(where + QStringLiteral(": not one of the enum values"));
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (const QJsonValue &name : schema.value(QStringLiteral("required")).toArray())
                if (!object.contains(name.toString()))
                    errors->append(where + QStringLiteral(": missing required ") + name.toString());
            const QJsonObject properties = schema.value(QStringLiteral("properties")).toObject();
            const QJsonValue additional = schema.value(QStringLiteral("additionalProperties"));
            for (auto it = object.begin(); it != object.end(); ++it) {
                if (properties.contains(it.key()))
                    check(it.value(), properties.value(it.key()).toObject(), where + QLatin1Char('.') + it.key(), errors);
                else if (additional.isObject())
                    check(it.value(), additional.toObject(), where + QLatin1Char('.') + it.key(), errors);
                else if (!properties.isEmpty())
                    errors->append(where + QStringLiteral(": undocumented property ") + it.key());
            }
        }
        if (value.isArray() && schema.contains(QStringLiteral("items"))) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                check(array[i], schema.value(QStringLiteral("items")).toObject(), QStringLiteral("%1[%2]").arg(where).arg(i), errors);
        }
    }

    QJsonObject m_schemas;
};

QJsonObject responseSchema(const QJsonObject &openApi, const QString &path, const QString &method, int status)
{
    return openApi[QStringLiteral("paths")][path][method.toLower()][QStringLiteral("responses")][QString::number(status)]
        [QStringLiteral("content")][QStringLiteral("application/json")][QStringLiteral("schema")].toObject();
}

// ---- Prometheus text exposition, parsed strictly enough to catch a
// malformed line: every sample belongs to a family with # TYPE.
struct Scrape {
    QHash<QString, QString> types;  // family -> counter|gauge|histogram
    QHash<QString, double> samples; // name{labels} exactly as written -> value
    QStringList errors;

    double value(const QString &key) const { return samples.value(key, -1); }
};

Scrape parsePrometheus(const QByteArray &text)
{
    Scrape scrape;
    static const QRegularExpression sampleLine(
        QStringLiteral("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})? (-?[0-9.eE+-]+|\\+Inf|NaN)$"));
    static const QRegularExpression typeLine(QStringLiteral("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$"));
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &raw : lines) {
        const QString line = QString::fromUtf8(raw);
        if (line.isEmpty() || line.startsWith(QLatin1String("# HELP ")))
            continue;
        if (line.startsWith(QLatin1Char('#'))) {
            const auto match = typeLine.match(line);
            if (match.hasMatch())
                scrape.types.insert(match.captured(1), match.captured(2));
            else
                scrape.errors.append(QStringLiteral("bad comment: ") + line);
            continue;
        }
        const auto match = sampleLine.match(line);
        if (!match.hasMatch()) {
            scrape.errors.append(QStringLiteral("bad sample: ") + line);
            continue;
        }
        QString family = match.captured(1);
        for (const char *suffix : {"_bucket", "_sum", "_count"})
            if (!scrape.types.contains(family) && family.endsWith(QLatin1String(suffix)))
                family.chop(int(qstrlen(suffix)));
        if (!scrape.types.contains(family))
            scrape.errors.append(QStringLiteral("sample without # TYPE: ") + line);
        scrape.samples.insert(match.captured(1) + match.captured(2), match.captured(4).toDouble());
    }
    return scrape;
}

// ---- The access log, captured from Qt's message handler.
QMutex g_logMutex;
QStringList g_accessLog;
QtMessageHandler g_previousHandler = nullptr;

void captureAccessLog(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (context.category && qstrcmp(context.category, "docray.http") == 0) {
        QMutexLocker locker(&g_logMutex);
        g_accessLog.append(message);
        return;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

QStringList accessLog()
{
    QMutexLocker locker(&g_logMutex);
    return g_accessLog;
}

Test::HttpReply getWithRequestId(QNetworkAccessManager &network, const QUrl &url, const QByteArray &requestId)
{
    QNetworkRequest request(url);
    request.setRawHeader("X-Request-Id", requestId);
    QNetworkReply *reply = network.get(request);
    Test::HttpReply result;
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 10000))
        result.networkError = QStringLiteral("timed out");
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return result;
}

QString submitText(QNetworkAccessManager &network, const ApiFixture &api, const QString &text,
                   const QJsonObject &parserParams = {}, int *status = nullptr)
{
    QJsonObject body{{QStringLiteral("document_data"), text}};
    if (!parserParams.isEmpty())
        body.insert(QStringLiteral("parser_params"), parserParams);
    const Test::HttpReply reply = httpRequest(network, "POST", api.url(QStringLiteral("/submit")),
                                              QJsonDocument(body).toJson(), "application/json");
    if (status)
        *status = reply.status;
    return reply.json().value(QStringLiteral("job_id")).toString();
}


} // namespace

class TestApi : public QObject
{
    Q_OBJECT

private:
    QNetworkAccessManager m_network;

private Q_SLOTS:
    void multipartSubmitPollResultDelete()
    {
        ApiFixture api;
        const QByteArray pdf = Test::multiPagePdf(3);
        const Test::HttpReply submitted = submitFile(m_network, api, pdf, "three.pdf", R"({"table_enable": true})");
        QCOMPARE(submitted.status, 202);
        const QString id = submitted.json().value(QStringLiteral("job_id")).toString();
        QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"))
                    .match(id).hasMatch());
        QCOMPARE(submitted.json().value(QStringLiteral("message")).toString(), QStringLiteral("Document submitted for parsing."));

        const QJsonObject status = Test::waitForJob(m_network, api.base, id);
        QCOMPARE(status.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(status.value(QStringLiteral("error")).isNull());
        QCOMPARE(status[QStringLiteral("progress")][QStringLiteral("pages_total")].toInt(), 3);
        QCOMPARE(status.value(QStringLiteral("filename")).toString(), QStringLiteral("three.pdf"));

        const Test::HttpReply result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id));
        QCOMPARE(result.status, 200);
        QVERIFY(result.header("Content-Type").startsWith("application/json"));
        const QJsonObject body = result.json();
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QVERIFY(body.value(QStringLiteral("error")).isNull());
        QVERIFY(body.contains(QStringLiteral("message")));
        const QJsonObject payload = body.value(QStringLiteral("result")).toObject();
        QVERIFY(payload.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-2-marker")));
        QVERIFY(payload.value(QStringLiteral("middle_json")).isString());
        const QJsonObject middle = QJsonDocument::fromJson(payload.value(QStringLiteral("middle_json")).toString().toUtf8()).object();
        QCOMPARE(middle.value(QStringLiteral("pdf_info")).toArray().size(), 3);
        QVERIFY(payload.value(QStringLiteral("images")).isObject());
        QCOMPARE(QByteArray::fromBase64(payload.value(QStringLiteral("pdf_data")).toString().toLatin1()), pdf);

        const Test::HttpReply light = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1?exclude=pdf_data,images").arg(id)));
        const QJsonObject lightResult = light.json().value(QStringLiteral("result")).toObject();
        QVERIFY(!lightResult.contains(QStringLiteral("pdf_data")));
        QVERIFY(!lightResult.contains(QStringLiteral("images")));
        QVERIFY(lightResult.contains(QStringLiteral("markdown")));

        const Test::HttpReply deleted = httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id));
        QCOMPARE(deleted.status, 200);
        QCOMPARE(deleted.json().value(QStringLiteral("message")).toString(), QStringLiteral("Job and result deleted successfully."));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + id)).status, 404);
        // Idempotent, as the original.
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id)).status, 200);
    }

    void jsonSubmitForms()
    {
        ApiFixture api;
        const QJsonObject textForm{{QStringLiteral("document_data"), QStringLiteral("# Memo\n\nMeet at noon.")}};
        Test::HttpReply reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")),
                                            QJsonDocument(textForm).toJson(), "application/json");
        QCOMPARE(reply.status, 202);
        QString id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        QJsonObject result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)).json()[QStringLiteral("result")].toObject();
        QCOMPARE(result.value(QStringLiteral("markdown")).toString(), QStringLiteral("# Memo\n\nMeet at noon.\n"));
        QVERIFY(QByteArray::fromBase64(result.value(QStringLiteral("pdf_data")).toString().toLatin1()).startsWith("%PDF"));

        const QJsonObject base64Form{{QStringLiteral("document_data"), QString::fromLatin1(Test::multiPagePdf(2).toBase64())},
                                     {QStringLiteral("filename"), QStringLiteral("two.pdf")},
                                     {QStringLiteral("encoding"), QStringLiteral("base64")},
                                     {QStringLiteral("parser_params"), QJsonObject{{QStringLiteral("start_page"), 1}}}};
        reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")), QJsonDocument(base64Form).toJson(), "application/json");
        QCOMPARE(reply.status, 202);
        id = reply.json().value(QStringLiteral("job_id")).toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        result = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)).json()[QStringLiteral("result")].toObject();
        QVERIFY(!result.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-1-marker")));
        QVERIFY(result.value(QStringLiteral("markdown")).toString().contains(QStringLiteral("page-2-marker")));
    }

    void badInputGetsClearErrors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("detail");
        const QByteArray pdf = Test::multiPagePdf(1);
        auto form = [](const QList<Test::FormPart> &parts) { return Test::multipartBody(parts, kBoundary); };
        const QByteArray multipart = Test::multipartContentType(kBoundary);

        QTest::newRow("empty file") << form({{"file", "empty.pdf", ""}}) << multipart << 400 << "File seems to be empty or invalid.";
        QTest::newRow("parser_params not JSON") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, "{oops"}}) << multipart << 400 << "Invalid JSON format for parser_params.";
        QTest::newRow("parser_params not an object") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, "[1, 2]"}}) << multipart << 400 << "parser_params must be a valid JSON object string.";
        QTest::newRow("parser_params ill-typed") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, R"({"start_page": "one"})"}}) << multipart << 400 << "parser_params.start_page must be a non-negative integer.";
        QTest::newRow("unsupported format") << form({{"file", "data.xyz", "\x01\x02\x03 binary"}}) << multipart << 415 << "Unsupported file format: .xyz. Supported formats are: .pdf";
        QTest::newRow("text named as something else") << form({{"file", "sheet.csv", "a,b\n1,2\n"}}) << multipart << 415 << "Unsupported file format: .csv.";
        QTest::newRow("no file part") << form({{"document", "a.pdf", pdf}}) << multipart << 400 << "No file in the form";
        QTest::newRow("truncated multipart") << form({{"file", "a.pdf", pdf}}).left(200) << multipart << 400 << "Malformed multipart body";
        QTest::newRow("multipart without boundary") << form({{"file", "a.pdf", pdf}}) << QByteArray("multipart/form-data") << 400 << "Malformed multipart body";
        QTest::newRow("broken JSON") << QByteArray("{\"document_data\": ") << QByteArray("application/json") << 400 << "not a valid JSON object";
        QTest::newRow("JSON without document_data") << QByteArray("{\"filename\": \"a.txt\"}") << QByteArray("application/json") << 400 << "document_data is required";
        QTest::newRow("bad base64") << QByteArray(R"({"document_data": "@@@not base64@@@", "encoding": "base64"})") << QByteArray("application/json") << 400 << "not valid base64";
        QTest::newRow("unknown encoding") << QByteArray(R"({"document_data": "x", "encoding": "rot13"})") << QByteArray("application/json") << 400 << "encoding must be";
        QTest::newRow("JSON empty document") << QByteArray(R"({"document_data": ""})") << QByteArray("application/json") << 400 << "File seems to be empty or invalid.";
        QTest::newRow("lang as a path") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, R"({"lang": "../../../../tmp/x"})"}}) << multipart << 400 << "installed OCR languages joined by '+' (installed: ";
        QTest::newRow("lang repeated") << form({{"file", "a.pdf", pdf}, {"parser_params", {}, R"({"lang": "eng+eng+eng"})"}}) << multipart << 400 << "installed OCR languages";
        QTest::newRow("other content type") << QByteArray("hello") << QByteArray("text/plain") << 415 << "multipart/form-data";
    }
    void badInputGetsClearErrors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(int, status);
        QFETCH(QString, detail);
        ApiFixture api;
        const Test::HttpReply reply = httpRequest(m_network, "POST", api.url(QStringLiteral("/submit")), body, contentType);
        QCOMPARE(reply.status, status);
        QVERIFY2(reply.json().value(QStringLiteral("detail")).toString().contains(detail), reply.body.constData());
        QVERIFY(api.jobs->jobs().isEmpty()); // nothing half-stored
    }

    void unknownIds()
    {
        ApiFixture api;
        Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/nope")));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(QStringLiteral("detail")).toString(), QStringLiteral("Job ID 'nope' not found."));
        reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope")));
        QCOMPARE(reply.status, 404);
        QCOMPARE(reply.json().value(QStringLiteral("detail")).toString(), QStringLiteral("Job ID 'nope' not found."));
        reply = httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/nope")));
        QCOMPARE(reply.status, 200);
        QCOMPARE(reply.json().value(QStringLiteral("job_id")).toString(), QStringLiteral("nope"));
    }

    void processingAndFailedResults()
    {
        ApiFixture api(1);
        const QString busy = submitFile(m_network, api, Test::multiPagePdf(200), "busy.pdf").json()[QStringLiteral("job_id")].toString();
        const QString waiting = submitFile(m_network, api, Test::multiPagePdf(1), "waiting.pdf").json()[QStringLiteral("job_id")].toString();
        const QString broken = submitFile(m_network, api, "%PDF-1.4 but nothing more", "broken.pdf").json()[QStringLiteral("job_id")].toString();

        const QJsonObject waitingStatus = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + waiting)).json();
        QCOMPARE(waitingStatus.value(QStringLiteral("status")).toString(), QStringLiteral("processing")); // queued is processing on the wire
        QCOMPARE(waitingStatus.value(QStringLiteral("state")).toString(), QStringLiteral("queued"));
        QCOMPARE(waitingStatus.value(QStringLiteral("queue_position")).toInt(), 0);

        const QJsonObject pending = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + waiting)).json();
        QCOMPARE(pending.value(QStringLiteral("status")).toString(), QStringLiteral("processing"));
        QVERIFY(pending.value(QStringLiteral("result")).isNull());
        QCOMPARE(pending.value(QStringLiteral("message")).toString(), QStringLiteral("Parsing is still in progress."));

        // Status stays quick while a parse runs.
        for (int i = 0; i < 20; ++i) {
            QElapsedTimer clock;
            clock.start();
            QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + busy)).status, 200);
            QVERIFY2(clock.elapsed() < 1000, "a status request waited for the parser");
        }

        const QJsonObject failed = Test::waitForJob(m_network, api.base, broken);
        QCOMPARE(failed.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(failed.value(QStringLiteral("error")).toString().contains(QStringLiteral("not a readable PDF")));
        const QJsonObject failedResult = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + broken)).json();
        QCOMPARE(failedResult.value(QStringLiteral("status")).toString(), QStringLiteral("failed"));
        QVERIFY(failedResult.value(QStringLiteral("result")).isNull());
        QVERIFY(!failedResult.value(QStringLiteral("error")).toString().isEmpty());
    }

    void deletingARunningJobCancelsIt()
    {
        ApiFixture api(1);
        const QString big = submitFile(m_network, api, Test::multiPagePdf(400), "big.pdf").json()[QStringLiteral("job_id")].toString();
        QTRY_VERIFY_WITH_TIMEOUT(api.jobs->job(big, false)->pagesDone > 0, 30000);
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + big)).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + big)).status, 404);
        const QString next = submitFile(m_network, api, Test::multiPagePdf(1), "next.pdf").json()[QStringLiteral("job_id")].toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, next, 20000).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    }

    void fiftyConcurrentSubmitsAllComplete()
    {
        ApiFixture api(2);
        const QByteArray pdf = Test::multiPagePdf(2);
        QList<QNetworkReply *> replies;
        for (int i = 0; i < 50; ++i) {
            QNetworkRequest request(api.url(QStringLiteral("/submit")));
            request.setHeader(QNetworkRequest::ContentTypeHeader, Test::multipartContentType(kBoundary));
            replies.append(m_network.post(request, Test::multipartBody({{"file", QByteArray("doc-") + QByteArray::number(i) + ".pdf", pdf}}, kBoundary)));
        }
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(replies.begin(), replies.end(), [](QNetworkReply *r) { return r->isFinished(); }), 30000);
        QSet<QString> ids;
        for (QNetworkReply *reply : std::as_const(replies)) {
            QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 202);
            ids.insert(QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("job_id")).toString());
            reply->deleteLater();
        }
        QCOMPARE(ids.size(), 50);
        for (const QString &id : std::as_const(ids))
            QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
    }

    void expectContinueIsAnswered()
    {
        ApiFixture api;
        const QByteArray body = Test::multipartBody({{"file", "a.pdf", Test::multiPagePdf(1)}}, kBoundary);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, api.api->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Test::multipartContentType(kBoundary)
                     + "\r\nContent-Length: " + QByteArray::number(body.size()) + "\r\nExpect: 100-continue\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        const QByteArray interim = readUntil(socket, "\r\n\r\n", 3000);
        QVERIFY2(interim.startsWith("HTTP/1.1 100 Continue\r\n\r\n"), interim.constData());
        QVERIFY2(clock.elapsed() < 500, "100 Continue came late");
        socket.write(body);
        const QByteArray response = readUntil(socket, "job_id", 10000);
        QVERIFY2(response.startsWith("HTTP/1.1 202"), response.constData());

        // The same connection carries a second request after the body.
        socket.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const QByteArray health = readUntil(socket, "\"status\"", 5000);
        QVERIFY2(health.contains("HTTP/1.1 200"), health.constData());
    }

    void oversizedUploadIsRefusedBeforeTheBody()
    {
        ApiFixture api(1, /*maxUploadMb*/ 1);
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, api.api->port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("POST /submit HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + Test::multipartContentType(kBoundary)
                     + "\r\nContent-Length: 52428800\r\nExpect: 100-continue\r\n\r\n");
        QElapsedTimer clock;
        clock.start();
        const QByteArray response = readUntil(socket, "}", 3000);
        QVERIFY2(response.startsWith("HTTP/1.1 413"), response.constData());
        QVERIFY(!response.contains("100 Continue"));
        QVERIFY2(clock.elapsed() < 1000, "413 came late");
        QVERIFY(response.contains("\"detail\":\"File too large"));

        // A body over the limit sent without waiting is refused as well.
        const QByteArray big(2 * 1024 * 1024, 'x');
        const Test::HttpReply reply = submitFile(m_network, api, "%PDF-" + big, "big.pdf");
        QCOMPARE(reply.status, 413);
        QVERIFY(api.jobs->jobs().isEmpty());
    }

    void healthReportsTheService()
    {
        ApiFixture api(3);
        const QJsonObject health = httpRequest(m_network, "GET", api.url(QStringLiteral("/health"))).json();
        QCOMPARE(health.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
        QCOMPARE(health.value(QStringLiteral("version")).toString(), QStringLiteral(DOCRAY_VERSION));
        QCOMPARE(health.value(QStringLiteral("device")).toString(), QStringLiteral("cpu"));
        QCOMPARE(health.value(QStringLiteral("workers")).toInt(), 3);
        QCOMPARE(health.value(QStringLiteral("queued")).toInt(), 0);
        QCOMPARE(health.value(QStringLiteral("running")).toInt(), 0);
        QVERIFY(health.value(QStringLiteral("ocr_languages")).toArray().contains(QStringLiteral("eng")));
    }

    // ---- OpenAPI and Swagger UI ---------------------------------------------

    void openApiDocumentsExactlyTheRegisteredRoutes()
    {
        ApiFixture api;
        const Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/openapi.json")));
        QCOMPARE(reply.status, 200);
        QVERIFY(reply.header("Content-Type").startsWith("application/json"));
        const QJsonObject document = reply.json();
        QCOMPARE(document.value(QStringLiteral("openapi")).toString(), QStringLiteral("3.1.0"));
        QCOMPARE(document[QStringLiteral("info")][QStringLiteral("version")].toString(), QStringLiteral(DOCRAY_VERSION));

        QSet<QString> documented;
        const QJsonObject paths = document.value(QStringLiteral("paths")).toObject();
        for (auto path = paths.begin(); path != paths.end(); ++path) {
            const QJsonObject operations = path.value().toObject();
            for (auto op = operations.begin(); op != operations.end(); ++op)
                documented.insert(op.key().toUpper() + QLatin1Char(' ') + path.key());
        }
        QSet<QString> registered;
        for (const ApiRoute &route : ApiServer::routes())
            registered.insert(route.method + QLatin1Char(' ') + route.path);
        QVERIFY(registered.size() >= 11);
        QCOMPARE(documented - registered, QSet<QString>());
        QCOMPARE(registered - documented, QSet<QString>());

        // Every documented route is really served: none falls through to
        // the not-found handler.
        for (const QString &route : std::as_const(documented)) {
            const QString method = route.section(QLatin1Char(' '), 0, 0);
            QString path = route.section(QLatin1Char(' '), 1);
            const QJsonArray parameters = paths[path][method.toLower()][QStringLiteral("parameters")].toArray();
            for (const QJsonValue &parameter : parameters) {
                if (parameter[QStringLiteral("in")].toString() != QLatin1String("path"))
                    continue;
                const QJsonArray values = parameter[QStringLiteral("schema")][QStringLiteral("enum")].toArray();
                path.replace(QLatin1Char('{') + parameter[QStringLiteral("name")].toString() + QLatin1Char('}'),
                             values.isEmpty() ? QStringLiteral("some-id") : values.first().toString());
            }
            const Test::HttpReply answer = httpRequest(m_network, method.toLatin1(), api.url(path));
            QVERIFY2(answer.status != 0, qPrintable(route));
            QVERIFY2(!(answer.status == 404 && answer.json().value(QStringLiteral("detail")).toString() == QLatin1String("Not Found")),
                     qPrintable(route + QStringLiteral(" is documented but not served")));
        }
        // And an undocumented one is not.
        const Test::HttpReply unknown = httpRequest(m_network, "GET", api.url(QStringLiteral("/no-such-route")));
        QCOMPARE(unknown.status, 404);
        QCOMPARE(unknown.json().value(QStringLiteral("detail")).toString(), QStringLiteral("Not Found"));
    }

    void responsesValidateAgainstTheDocumentedSchemas()
    {
        ApiFixture api(1);
        const QJsonObject document = httpRequest(m_network, "GET", api.url(QStringLiteral("/openapi.json"))).json();
        const SchemaValidator validator(document);
        int checked = 0;
        auto expect = [&](const Test::HttpReply &reply, const QString &path, const QString &method, int status) {
            if (reply.status != status)
                return QStringLiteral("%1 %2: status %3, expected %4").arg(method, path).arg(reply.status).arg(status);
            if (reply.header("X-Request-Id").isEmpty())
                return QStringLiteral("%1 %2: no X-Request-Id").arg(method, path);
            const QJsonObject schema = responseSchema(document, path, method, status);
            if (schema.isEmpty())
                return QStringLiteral("%1 %2 %3 is not documented").arg(method, path).arg(status);
            ++checked;
            return validator.validate(QJsonDocument::fromJson(reply.body).object(), schema).join(QLatin1Char('\n'));
        };
        // The validator itself catches a missing field and a wrong enum.
        QVERIFY(!validator.validate(QJsonObject{{QStringLiteral("job_id"), QStringLiteral("x")}},
                                    responseSchema(document, QStringLiteral("/submit"), QStringLiteral("POST"), 202)).isEmpty());
        QVERIFY(!validator.validate(QJsonObject{{QStringLiteral("job_id"), QStringLiteral("x")}, {QStringLiteral("message"), QStringLiteral("other")}},
                                    responseSchema(document, QStringLiteral("/submit"), QStringLiteral("POST"), 202)).isEmpty());

        const QString busy = submitFile(m_network, api, Test::multiPagePdf(300), "busy.pdf").json()[QStringLiteral("job_id")].toString();
        const Test::HttpReply submitted = submitFile(m_network, api, Test::multiPagePdf(2), "two.pdf");
        QCOMPARE(expect(submitted, QStringLiteral("/submit"), QStringLiteral("POST"), 202), QString());
        const QString id = submitted.json()[QStringLiteral("job_id")].toString();
        const QString status = QStringLiteral("/status/{job_id}");
        const QString result = QStringLiteral("/result/{job_id}");
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + id)), status, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)), result, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs"))), QStringLiteral("/jobs"), QStringLiteral("GET"), 200), QString());
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + busy)).status, 200);
        Test::waitForJob(m_network, api.base, id);
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + id)), status, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + id)), result, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1?exclude=pdf_data,images").arg(id))), result, QStringLiteral("GET"), 200), QString());

        const QString broken = submitFile(m_network, api, "%PDF-1.4 broken", "broken.pdf").json()[QStringLiteral("job_id")].toString();
        Test::waitForJob(m_network, api.base, broken);
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + broken)), status, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/") + broken)), result, QStringLiteral("GET"), 200), QString());

        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs?status=completed"))), QStringLiteral("/jobs"), QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs?limit=0"))), QStringLiteral("/jobs"), QStringLiteral("GET"), 400), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/health"))), QStringLiteral("/health"), QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/"))), QStringLiteral("/"), QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/nope"))), status, QStringLiteral("GET"), 404), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=soon").arg(id))), status, QStringLiteral("GET"), 400), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope"))), result, QStringLiteral("GET"), 404), QString());
        QCOMPARE(expect(submitFile(m_network, api, "", "empty.pdf"), QStringLiteral("/submit"), QStringLiteral("POST"), 400), QString());
        QCOMPARE(expect(submitFile(m_network, api, "a,b\n", "x.csv"), QStringLiteral("/submit"), QStringLiteral("POST"), 415), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/docs/missing.js"))), QStringLiteral("/docs/{asset}"), QStringLiteral("GET"), 404), QString());
        const QString chunks = QStringLiteral("/result/{job_id}/chunks");
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/chunks?max_chars=200").arg(id))), chunks, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/chunks?max_chars=5").arg(id))), chunks, QStringLiteral("GET"), 400), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/chunks?overlap=-1").arg(id))), chunks, QStringLiteral("GET"), 400), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope/content_list"))), QStringLiteral("/result/{job_id}/content_list"), QStringLiteral("GET"), 404), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope/archive"))), QStringLiteral("/result/{job_id}/archive"), QStringLiteral("GET"), 404), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/chunks").arg(broken))), chunks, QStringLiteral("GET"), 200), QString());
        const Test::HttpReply archive = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/archive").arg(id)));
        QCOMPARE(archive.header("Content-Type"), QByteArray("application/zip"));
        QCOMPARE(archive.header("Content-Disposition"), QByteArray("attachment; filename=\"two.zip\""));
        QVERIFY(archive.body.startsWith("PK\x03\x04"));
        const QString blocks = QStringLiteral("/result/{job_id}/blocks");
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/blocks").arg(id))), blocks, QStringLiteral("GET"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "GET", api.url(QStringLiteral("/result/nope/blocks"))), blocks, QStringLiteral("GET"), 404), QString());
        const QString cancel = QStringLiteral("/jobs/{job_id}/cancel");
        const QString retry = QStringLiteral("/jobs/{job_id}/retry");
        QCOMPARE(expect(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/cancel").arg(id))), cancel, QStringLiteral("POST"), 409), QString());
        QCOMPARE(expect(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/nope/cancel"))), cancel, QStringLiteral("POST"), 404), QString());
        QCOMPARE(expect(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/nope/retry"))), retry, QStringLiteral("POST"), 404), QString());
        QCOMPARE(expect(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/retry").arg(broken))), retry, QStringLiteral("POST"), 200), QString());
        QCOMPARE(expect(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id)), result, QStringLiteral("DELETE"), 200), QString());
        QCOMPARE(checked, 32);
    }

    // A finished job's blocks carry the markdown the result has, on the
    // page they came from, inside it.
    void blocksTieMarkdownToBoxes()
    {
        ApiFixture api(1);
        const QString id = submitFile(m_network, api, Test::richDocumentPdf(2), "rich.pdf").json()[QStringLiteral("job_id")].toString();
        QCOMPARE(Test::waitForJob(m_network, api.base, id).value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const QString markdown = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1?exclude=pdf_data,images").arg(id)))
                                     .json()[QStringLiteral("result")][QStringLiteral("markdown")].toString();
        const QJsonArray blocks = httpRequest(m_network, "GET", api.url(QStringLiteral("/result/%1/blocks").arg(id)))
                                      .json()[QStringLiteral("blocks")].toArray();
        QVERIFY(blocks.size() > 10);
        QSet<QString> types;
        QSet<int> pages;
        for (int i = 0; i < blocks.size(); ++i) {
            const QJsonObject block = blocks[i].toObject();
            QCOMPARE(block[QStringLiteral("index")].toInt(), i);
            types.insert(block[QStringLiteral("type")].toString());
            pages.insert(block[QStringLiteral("page_idx")].toInt());
            const QJsonArray box = block[QStringLiteral("bbox")].toArray();
            const QJsonArray size = block[QStringLiteral("page_size")].toArray();
            QVERIFY(box[0].toDouble() >= 0 && box[0].toDouble() < box[2].toDouble() && box[2].toDouble() <= size[0].toDouble() + 1);
            QVERIFY(box[1].toDouble() >= 0 && box[1].toDouble() < box[3].toDouble() && box[3].toDouble() <= size[1].toDouble() + 1);
            // Tables come as html, as in the chunks; the result may set them as pipes.
            const QString text = block[QStringLiteral("markdown")].toString();
            const QString sample = block[QStringLiteral("type")].toString() == QLatin1String("table")
                ? QString(text).remove(QRegularExpression(QStringLiteral("<[^>]+>"))).left(6)
                : text.left(40);
            QVERIFY2(!sample.isEmpty() && markdown.contains(sample), qPrintable(text));
        }
        QCOMPARE(pages, (QSet<int>{0, 1}));
        for (const char *type : {"title", "text", "table", "image", "list"})
            QVERIFY2(types.contains(QLatin1String(type)), type);
        const QJsonObject first = blocks[0].toObject();
        QCOMPARE(first[QStringLiteral("type")].toString(), QStringLiteral("title"));
        QVERIFY(first[QStringLiteral("markdown")].toString().startsWith(QStringLiteral("# 1 Results of run 1")));
        QCOMPARE(first[QStringLiteral("level")].toInt(), 1);
    }

    // Cancel keeps the job (failed, "Cancelled."); retry parses it again.
    void cancelAndRetryKeepTheJob()
    {
        ApiFixture api(1);
        const QString big = submitFile(m_network, api, Test::multiPagePdf(150), "big.pdf").json()[QStringLiteral("job_id")].toString();
        QTRY_VERIFY_WITH_TIMEOUT(api.jobs->job(big, false)->pagesDone > 0, 30000);
        const Test::HttpReply cancelled = httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/cancel").arg(big)));
        QCOMPARE(cancelled.status, 200);
        QCOMPARE(cancelled.json()[QStringLiteral("state")].toString(), QStringLiteral("failed"));
        QCOMPARE(cancelled.json()[QStringLiteral("error")].toString(), QStringLiteral("Cancelled."));
        QCOMPARE(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/cancel").arg(big))).status, 409);
        // 409 while the cancelled parse winds down.
        int retried = 0;
        for (QDeadlineTimer deadline(90000); !deadline.hasExpired() && retried != 200; QTest::qWait(50))
            retried = httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/retry").arg(big))).status;
        QCOMPARE(retried, 200);
        const QString state = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + big)).json()[QStringLiteral("state")].toString();
        QVERIFY2(state == QLatin1String("queued") || state == QLatin1String("running"), qPrintable(state));
        QCOMPARE(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/%1/retry").arg(big))).status, 409);
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + big)).status, 200);
    }

    // The page comes to browsers, the endpoint list to other clients; the
    // page and its files need no key (they hold no data) but the data does.
    void browserUiServedFromTheBinary()
    {
        ApiSettings settings;
        settings.admission.apiKey = "ui-test-key";
        ApiFixture api(1, settings);
        const QList<QPair<QByteArray, QByteArray>> browser{{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}};
        const Test::HttpReply page = httpRequest(m_network, "GET", api.url(QStringLiteral("/")), {}, {}, 30000, browser);
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("Content-Type").startsWith("text/html"));
        const QByteArray policy = page.header("Content-Security-Policy");
        QVERIFY2(policy.contains("script-src 'self'") && !policy.contains("unsafe-inline' 'self'") && !policy.contains("script-src 'self' 'unsafe-inline'"),
                 policy.constData());
        QVERIFY(!page.body.contains("<script>")); // no inline script: the policy would block it
        QVERIFY(!page.body.contains("https://"));
        const Test::HttpReply listing = httpRequest(m_network, "GET", api.url(QStringLiteral("/")));
        QCOMPARE(listing.json()[QStringLiteral("ui")].toString(), QStringLiteral("/"));

        static const QRegularExpression reference(QStringLiteral("(?:src|href)=\"(/ui/[^\"]+)\"|from '(/ui/[^']+)'|import\\('(/ui/[^']+)'\\)|workerSrc = '(/ui/[^']+)'"));
        QStringList assets;
        QByteArray scanned = page.body;
        for (int round = 0; round < 2; ++round) {
            for (auto it = reference.globalMatch(QString::fromUtf8(scanned)); it.hasNext();) {
                const QRegularExpressionMatch match = it.next();
                for (int group = 1; group <= 4; ++group)
                    if (!match.captured(group).isEmpty() && !assets.contains(match.captured(group)))
                        assets.append(match.captured(group));
            }
            scanned = httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/app.js"))).body;
        }
        for (const char *expected : {"/ui/app.js", "/ui/app.css", "/ui/katex.min.js", "/ui/katex.min.css", "/ui/marked.esm.js", "/ui/purify.es.mjs", "/ui/pdf.min.mjs", "/ui/pdf.worker.min.mjs"})
            QVERIFY2(assets.contains(QLatin1String(expected)), qPrintable(assets.join(u' ')));
        for (const QString &asset : std::as_const(assets)) {
            const Test::HttpReply file = httpRequest(m_network, "GET", api.url(asset));
            QVERIFY2(file.status == 200 && file.body.size() > 100, qPrintable(asset));
            QCOMPARE(file.header("X-Content-Type-Options"), QByteArray("nosniff"));
        }
        QVERIFY(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/LICENSES.txt"))).body.contains("dompurify 3."));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/..%2Fopenapi.json"))).status, 404);
        const Test::HttpReply font = httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/fonts/KaTeX_Main-Regular.woff2")));
        QCOMPARE(font.status, 200);
        QCOMPARE(font.header("Content-Type"), QByteArray("font/woff2"));
        QVERIFY(font.body.startsWith("wOF2"));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/fonts/KaTeX_Nope.woff2"))).status, 404);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/fonts/..%2F..%2Fopenapi.json"))).status, 404);
        const Test::HttpReply cmap = httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/pdfjs/UniGB-UCS2-H.bcmap")));
        QCOMPARE(cmap.status, 200);
        QVERIFY(cmap.body.size() > 1000);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/pdfjs/openjpeg.wasm"))).header("Content-Type"), QByteArray("application/wasm"));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/pdfjs/.hidden"))).status, 404);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/pdfjs/nothing.bcmap"))).status, 404);
        // Revalidated, never stale: the same bytes are a 304, with no body.
        const Test::HttpReply script = httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/app.js")));
        QCOMPARE(script.header("Cache-Control"), QByteArray("no-cache"));
        QVERIFY(!script.header("ETag").isEmpty());
        const Test::HttpReply again = httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/app.js")), {}, {}, 30000,
                                                  {{"If-None-Match", script.header("ETag")}});
        QCOMPARE(again.status, 304);
        QVERIFY(again.body.isEmpty());
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/ui/app.js")), {}, {}, 30000, {{"If-None-Match", "\"stale\""}}).status, 200);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs"))).status, 401);
        QCOMPARE(httpRequest(m_network, "POST", api.url(QStringLiteral("/jobs/x/retry"))).status, 401);
    }

    void docsServeSwaggerUiFromTheBinary()
    {
        ApiFixture api;
        const Test::HttpReply page = httpRequest(m_network, "GET", api.url(QStringLiteral("/docs")));
        QCOMPARE(page.status, 200);
        QVERIFY(page.header("Content-Type").startsWith("text/html"));
        QVERIFY(page.body.contains("url: \"/openapi.json\""));
        QVERIFY(!page.body.contains("https://")); // nothing fetched from elsewhere

        static const QRegularExpression reference(QStringLiteral("(?:src|href)=\"(/docs/[^\"]+)\""));
        QStringList assets;
        for (auto it = reference.globalMatch(QString::fromUtf8(page.body)); it.hasNext();)
            assets.append(it.next().captured(1));
        QVERIFY2(assets.contains(QStringLiteral("/docs/swagger-ui-bundle.js")), qPrintable(assets.join(u' ')));
        QVERIFY(assets.contains(QStringLiteral("/docs/swagger-ui.css")));
        for (const QString &asset : std::as_const(assets)) {
            const Test::HttpReply file = httpRequest(m_network, "GET", api.url(asset));
            QVERIFY2(file.status == 200 && !file.body.isEmpty(), qPrintable(asset));
        }
        const Test::HttpReply bundle = httpRequest(m_network, "GET", api.url(QStringLiteral("/docs/swagger-ui-bundle.js")));
        QVERIFY(bundle.header("Content-Type").startsWith("application/javascript"));
        QVERIFY(bundle.body.size() > 500 * 1024);
        QVERIFY(bundle.body.contains("SwaggerUIBundle"));
        const Test::HttpReply css = httpRequest(m_network, "GET", api.url(QStringLiteral("/docs/swagger-ui.css")));
        QVERIFY(css.header("Content-Type").startsWith("text/css"));
        QVERIFY(css.body.contains(".swagger-ui"));
        const Test::HttpReply license = httpRequest(m_network, "GET", api.url(QStringLiteral("/docs/LICENSE")));
        QCOMPARE(license.status, 200);
        QVERIFY(license.body.contains("Apache License"));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/docs/..%2Fopenapi.json"))).status, 404);
    }

    // ---- Metrics ----------------------------------------------------------

    void metricsParseAndFollowTheJobs()
    {
        ApiFixture api(2);
        auto scrape = [&] {
            const Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/metrics")));
            [&] {
                QCOMPARE(reply.status, 200);
                QVERIFY(reply.header("Content-Type").startsWith("text/plain; version=0.0.4"));
            }();
            return parsePrometheus(reply.body);
        };
        const Scrape before = scrape();
        QCOMPARE(before.errors, QStringList());
        for (const char *family : {"docray_jobs", "docray_jobs_submitted_total", "docray_jobs_completed_total",
                                   "docray_jobs_failed_total", "docray_pages_parsed_total", "docray_job_parse_seconds",
                                   "docray_page_parse_seconds", "docray_queue_depth", "docray_workers",
                                   "docray_workers_busy", "docray_device_info", "docray_build_info",
                                   "docray_http_requests_total"})
            QVERIFY2(before.types.contains(QLatin1String(family)), family);
        QCOMPARE(before.types.value(QStringLiteral("docray_job_parse_seconds")), QStringLiteral("histogram"));
        QCOMPARE(before.types.value(QStringLiteral("docray_jobs_submitted_total")), QStringLiteral("counter"));
        QCOMPARE(before.value(QStringLiteral("docray_jobs_submitted_total")), 0.0);
        QCOMPARE(before.value(QStringLiteral("docray_workers")), 2.0);
        QCOMPARE(before.value(QStringLiteral("docray_device_info{device=\"cpu\"}")), 1.0);
        QVERIFY(before.samples.contains(QStringLiteral("docray_build_info{version=\"" DOCRAY_VERSION "\",qt=\"%1\"}").arg(QString::fromLatin1(qVersion()))));

        const QString text = submitFile(m_network, api, Test::multiPagePdf(3), "three.pdf").json()[QStringLiteral("job_id")].toString();
        const QByteArray scan = Test::encodeImage(Test::textImage({QStringLiteral("Scanned words for recognition")}), "PNG");
        const QString ocr = submitFile(m_network, api, scan, "scan.png").json()[QStringLiteral("job_id")].toString();
        const QString broken = submitFile(m_network, api, "%PDF-1.4 broken", "broken.pdf").json()[QStringLiteral("job_id")].toString();
        for (const QString &id : {text, ocr, broken})
            Test::waitForJob(m_network, api.base, id);

        const Scrape after = scrape();
        QCOMPARE(after.errors, QStringList());
        QCOMPARE(after.value(QStringLiteral("docray_jobs_submitted_total")), 3.0);
        QCOMPARE(after.value(QStringLiteral("docray_jobs_completed_total")), 2.0);
        QCOMPARE(after.value(QStringLiteral("docray_jobs_failed_total")), 1.0);
        QCOMPARE(after.value(QStringLiteral("docray_jobs{state=\"completed\"}")), 2.0);
        QCOMPARE(after.value(QStringLiteral("docray_jobs{state=\"failed\"}")), 1.0);
        QCOMPARE(after.value(QStringLiteral("docray_queue_depth")), 0.0);
        QCOMPARE(after.value(QStringLiteral("docray_pages_parsed_total{method=\"text_layer\"}")), 3.0);
        QCOMPARE(after.value(QStringLiteral("docray_pages_parsed_total{method=\"ocr\"}")), 1.0);
        QCOMPARE(after.value(QStringLiteral("docray_job_parse_seconds_count")), 2.0);
        QCOMPARE(after.value(QStringLiteral("docray_page_parse_seconds_count")), 4.0);
        QVERIFY(after.value(QStringLiteral("docray_job_parse_seconds_sum")) > 0);
        QCOMPARE(after.value(QStringLiteral("docray_job_parse_seconds_bucket{le=\"+Inf\"}")), 2.0);
        // Buckets are cumulative.
        QVERIFY(after.value(QStringLiteral("docray_job_parse_seconds_bucket{le=\"0.1\"}"))
                <= after.value(QStringLiteral("docray_job_parse_seconds_bucket{le=\"1\"}")));
        QVERIFY(after.value(QStringLiteral("docray_http_requests_total{method=\"POST\",route=\"/submit\",status=\"202\"}")) >= 3);
        QVERIFY(after.value(QStringLiteral("docray_http_requests_total{method=\"GET\",route=\"/metrics\",status=\"200\"}")) >= 1);
    }

    // ---- Job listing --------------------------------------------------------

    void jobsAreListedNewestFirstPagedAndFiltered()
    {
        ApiFixture api(2);
        QStringList ids;
        for (int i = 0; i < 5; ++i) {
            ids.append(submitText(m_network, api, QStringLiteral("# Note %1\n\nText.").arg(i)));
            QTest::qWait(3); // distinct creation times
        }
        const QString broken = submitFile(m_network, api, "%PDF-1.4 broken", "broken.pdf").json()[QStringLiteral("job_id")].toString();
        ids.append(broken);
        for (const QString &id : std::as_const(ids))
            Test::waitForJob(m_network, api.base, id);

        auto list = [&](const QString &query) { return httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs") + query)); };
        auto idsOf = [](const QJsonObject &page) {
            QStringList out;
            for (const QJsonValue &job : page.value(QStringLiteral("jobs")).toArray())
                out.append(job[QStringLiteral("job_id")].toString());
            return out;
        };
        QStringList newestFirst = ids;
        std::reverse(newestFirst.begin(), newestFirst.end());

        const QJsonObject all = list(QString()).json();
        QCOMPARE(all.value(QStringLiteral("total")).toInt(), 6);
        QCOMPARE(all.value(QStringLiteral("limit")).toInt(), 50);
        QCOMPARE(idsOf(all), newestFirst);

        const QJsonObject page = list(QStringLiteral("?limit=2&offset=1")).json();
        QCOMPARE(page.value(QStringLiteral("total")).toInt(), 6);
        QCOMPARE(idsOf(page), newestFirst.mid(1, 2));
        QCOMPARE(idsOf(list(QStringLiteral("?limit=2&offset=5")).json()), newestFirst.mid(5));
        QCOMPARE(idsOf(list(QStringLiteral("?offset=10")).json()), QStringList());

        const QJsonObject failed = list(QStringLiteral("?status=failed")).json();
        QCOMPARE(idsOf(failed), QStringList{broken});
        QCOMPARE(failed[QStringLiteral("jobs")][0][QStringLiteral("status")].toString(), QStringLiteral("failed"));
        QCOMPARE(list(QStringLiteral("?status=completed")).json().value(QStringLiteral("total")).toInt(), 5);
        QCOMPARE(list(QStringLiteral("?status=processing")).json().value(QStringLiteral("total")).toInt(), 0);

        QCOMPARE(list(QStringLiteral("?status=done")).status, 400);
        QCOMPARE(list(QStringLiteral("?limit=0")).status, 400);
        QCOMPARE(list(QStringLiteral("?limit=5000")).status, 400);
        QCOMPARE(list(QStringLiteral("?offset=-1")).status, 400);
    }

    // ---- Long poll ------------------------------------------------------------

    // A job that reads many pages a second answers its waiters with its
    // progress a quarter of a second after they asked, not page by page.
    void waitAnswersProgressAQuarterSecondOn()
    {
        ApiFixture api(1);
        const QString id = submitFile(m_network, api, Test::longDocumentPdf(1000), "long.pdf").json()[QStringLiteral("job_id")].toString();
        QTRY_VERIFY_WITH_TIMEOUT(api.jobs->job(id, false)->pagesDone > 0, 30000);
        int pagesBefore = 0;
        for (int i = 0; i < 3; ++i) {
            QElapsedTimer clock;
            clock.start();
            const Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=20").arg(id)));
            const qint64 waited = clock.elapsed();
            QCOMPARE(reply.status, 200);
            const QJsonObject status = reply.json();
            QCOMPARE(status[QStringLiteral("state")].toString(), QStringLiteral("running"));
            QVERIFY2(waited >= 200 && waited < 5000, qPrintable(QString::number(waited)));
            const int pages = status[QStringLiteral("progress")][QStringLiteral("pages_done")].toInt();
            QVERIFY2(pages > pagesBefore, qPrintable(QStringLiteral("%1 after %2").arg(pages).arg(pagesBefore)));
            pagesBefore = pages;
        }
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + id)).status, 200);
    }

    void waitAnswersOnChangeOrAfterTheTimeout()
    {
        ApiFixture api(1);
        const QString busy = submitFile(m_network, api, Test::multiPagePdf(60), "busy.pdf", kSlowParams).json()[QStringLiteral("job_id")].toString();
        const QString queued = submitText(m_network, api, QStringLiteral("# Queued\n\nBehind the busy one."));
        QTRY_VERIFY_WITH_TIMEOUT(api.jobs->job(busy, false)->pagesDone > 0, 30000);

        // Progress of a running job ends the wait early.
        QElapsedTimer clock;
        clock.start();
        Test::HttpReply reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=20").arg(busy)));
        QCOMPARE(reply.status, 200);
        QVERIFY2(clock.elapsed() < 5000, "the wait did not end on progress");
        QCOMPARE(reply.json()[QStringLiteral("state")].toString(), QStringLiteral("running"));

        // Nothing happens to a queued job: the answer comes after N seconds.
        clock.restart();
        reply = httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=1.5").arg(queued)));
        QCOMPARE(reply.status, 200);
        QVERIFY2(clock.elapsed() >= 1400 && clock.elapsed() < 4000, qPrintable(QString::number(clock.elapsed())));
        QCOMPARE(reply.json()[QStringLiteral("state")].toString(), QStringLiteral("queued"));

        // Many waiters at once do not hold up plain status requests.
        QList<QTcpSocket *> waiters;
        for (int i = 0; i < 100; ++i) {
            auto *socket = new QTcpSocket(this);
            socket->connectToHost(QHostAddress::LocalHost, api.api->port());
            socket->write(QStringLiteral("GET /status/%1?wait=30 HTTP/1.1\r\nHost: localhost\r\n\r\n").arg(queued).toLatin1());
            waiters.append(socket);
        }
        QTest::qWait(300);
        for (int i = 0; i < 10; ++i) {
            clock.restart();
            QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + busy)).status, 200);
            QVERIFY2(clock.elapsed() < 500, "a plain status request waited behind long polls");
        }
        QVERIFY(std::all_of(waiters.cbegin(), waiters.cend(), [](QTcpSocket *s) { return s->bytesAvailable() == 0; }));

        // The queued job starts once the busy one is deleted: every waiter
        // hears of it at once.
        clock.restart();
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + busy)).status, 200);
        QTRY_VERIFY_WITH_TIMEOUT(std::all_of(waiters.cbegin(), waiters.cend(), [](QTcpSocket *s) {
                                     return s->peek(s->bytesAvailable()).contains("\"job_id\"");
                                 }),
                                 10000);
        QVERIFY(clock.elapsed() < 10000);
        for (QTcpSocket *socket : std::as_const(waiters)) {
            const QByteArray answer = socket->readAll();
            QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
            QVERIFY(!answer.contains("\"state\":\"queued\""));
            delete socket;
        }

        // A finished job is answered at once; a deleted one while waiting gets 404.
        Test::waitForJob(m_network, api.base, queued);
        clock.restart();
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=30").arg(queued))).status, 200);
        QVERIFY(clock.elapsed() < 1000);
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/%1?wait=-1").arg(queued))).status, 400);

        const QString big = submitFile(m_network, api, Test::multiPagePdf(60), "big.pdf", kSlowParams).json()[QStringLiteral("job_id")].toString();
        const QString last = submitText(m_network, api, QStringLiteral("# Last"));
        QTcpSocket waiter;
        waiter.connectToHost(QHostAddress::LocalHost, api.api->port());
        waiter.write(QStringLiteral("GET /status/%1?wait=30 HTTP/1.1\r\nHost: localhost\r\n\r\n").arg(last).toLatin1());
        QTest::qWait(200);
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + last)).status, 200);
        const QByteArray gone = readUntil(waiter, "}", 5000);
        QVERIFY2(gone.startsWith("HTTP/1.1 404"), gone.constData());
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + big)).status, 200);
    }

    void aWaiterThatHangsUpIsDropped()
    {
        ApiFixture api(1);
        const QString busy = submitFile(m_network, api, Test::multiPagePdf(60), "busy.pdf", kSlowParams).json()[QStringLiteral("job_id")].toString();
        const QString queued = submitText(m_network, api, QStringLiteral("# Queued"));
        {
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, api.api->port());
            QVERIFY(socket.waitForConnected(5000));
            socket.write(QStringLiteral("GET /status/%1?wait=30 HTTP/1.1\r\nHost: localhost\r\n\r\n").arg(queued).toLatin1());
            socket.flush();
            QTest::qWait(200);
        }
        QTest::qWait(200);
        // The job changing after the client left must not write to a dead connection.
        QCOMPARE(httpRequest(m_network, "DELETE", api.url(QStringLiteral("/result/") + busy)).status, 200);
        QCOMPARE(Test::waitForJob(m_network, api.base, queued)[QStringLiteral("status")].toString(), QStringLiteral("completed"));
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/health"))).status, 200);
    }

    // ---- Callbacks ------------------------------------------------------------

    void callbackIsDeliveredAndRetried()
    {
        Test::CallbackReceiver receiver(/*failures*/ 2);
        ApiSettings settings;
        settings.callbacks.allowedHosts = {QStringLiteral("127.0.0.1:*")};
        settings.callbacks.maxAttempts = 4;
        settings.callbacks.firstRetryMs = 50;
        ApiFixture api(1, settings);
        const QString hook = QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.serverPort());
        int status = 0;
        const QString id = submitText(m_network, api, QStringLiteral("# Called back"), {{QStringLiteral("callback_url"), hook}}, &status);
        QCOMPARE(status, 202);
        QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 3, 15000);
        QTest::qWait(300);
        QCOMPARE(receiver.received.size(), 3); // no more once one got through

        for (int i = 0; i < 3; ++i) {
            QVERIFY(receiver.received[i].head.startsWith("POST /hook HTTP/1.1"));
            QVERIFY(receiver.received[i].head.contains("X-DocRay-Attempt: " + QByteArray::number(i + 1)));
        }
        const QJsonObject body = QJsonDocument::fromJson(receiver.received.last().body).object();
        QCOMPARE(body.value(QStringLiteral("job_id")).toString(), id);
        QCOMPARE(body.value(QStringLiteral("status")).toString(), QStringLiteral("completed"));
        const QJsonObject document = httpRequest(m_network, "GET", api.url(QStringLiteral("/openapi.json"))).json();
        QCOMPARE(SchemaValidator(document).validate(body, QJsonObject{{QStringLiteral("$ref"), QStringLiteral("#/components/schemas/JobStatus")}}),
                 QStringList());
        // The status a poller reads is the one that was called back.
        QCOMPARE(httpRequest(m_network, "GET", api.url(QStringLiteral("/status/") + id)).json()[QStringLiteral("status")].toString(),
                 QStringLiteral("completed"));
    }

    void callbackGivesUpAfterTheLastAttempt()
    {
        Test::CallbackReceiver receiver(/*failures*/ 1000);
        ApiSettings settings;
        settings.callbacks.allowedHosts = {QStringLiteral("127.0.0.1:*")};
        settings.callbacks.maxAttempts = 3;
        settings.callbacks.firstRetryMs = 50;
        ApiFixture api(1, settings);
        const QString hook = QStringLiteral("http://127.0.0.1:%1/hook").arg(receiver.serverPort());
        const QString id = submitText(m_network, api, QStringLiteral("# Broken hook"), {{QStringLiteral("callback_url"), hook}});
        QTRY_COMPARE_WITH_TIMEOUT(receiver.received.size(), 3, 15000);
        QTest::qWait(800); // longer than the next backoff would be
        QCOMPARE(receiver.received.size(), 3);
        QCOMPARE(Test::waitForJob(m_network, api.base, id)[QStringLiteral("status")].toString(), QStringLiteral("completed"));
    }

    void callbackToAHostNotAllowedIsRefused_data()
    {
        QTest::addColumn<QJsonValue>("callback");
        QTest::addColumn<QString>("detail");
        QTest::newRow("other host") << QJsonValue(QStringLiteral("http://localhost:9/hook")) << "http://localhost:9 is not allowed";
        QTest::newRow("user and password") << QJsonValue(QStringLiteral("http://user:secret@127.0.0.1:9/hook")) << "must not carry a user name";
        QTest::newRow("metadata address") << QJsonValue(QStringLiteral("http://169.254.169.254/latest")) << "is not allowed";
        QTest::newRow("not http") << QJsonValue(QStringLiteral("file:///etc/passwd")) << "absolute http or https URL";
        QTest::newRow("relative") << QJsonValue(QStringLiteral("/hook")) << "absolute http or https URL";
        QTest::newRow("not a string") << QJsonValue(42) << "callback_url must be a string";
    }
    void callbackToAHostNotAllowedIsRefused()
    {
        QFETCH(QJsonValue, callback);
        QFETCH(QString, detail);
        ApiSettings settings;
        settings.callbacks.allowedHosts = {QStringLiteral("127.0.0.1:*")};
        ApiFixture api(1, settings);
        int status = 0;
        submitText(m_network, api, QStringLiteral("# Hook"), {{QStringLiteral("callback_url"), callback}}, &status);
        QCOMPARE(status, 400);
        const Test::HttpReply reply = submitFile(m_network, api, Test::multiPagePdf(1), "a.pdf",
                                                 QJsonDocument(QJsonObject{{QStringLiteral("callback_url"), callback}}).toJson());
        QCOMPARE(reply.status, 400);
        QVERIFY2(reply.json().value(QStringLiteral("detail")).toString().contains(detail), reply.body.constData());
        QVERIFY(api.jobs->jobs().isEmpty());
        // Without any allowed host, every callback is refused.
        ApiFixture closed(1);
        const Test::HttpReply refused = submitFile(m_network, closed, Test::multiPagePdf(1), "a.pdf",
                                                   "{\"callback_url\": \"http://127.0.0.1:9/hook\"}");
        QCOMPARE(refused.status, 400);
    }

    // An allowed host is allowed on its scheme's port unless the entry names
    // a port (or any port, "*"); a scheme in the entry holds too.
    void callbackAllowEntriesMatchHostAndPort()
    {
        CallbackSettings settings;
        settings.allowedHosts = {QStringLiteral("hooks.example"), QStringLiteral("127.0.0.1:8080"),
                                 QStringLiteral("https://secure.example"), QStringLiteral("[::1]:*")};
        const CallbackNotifier notifier(settings);
        auto allowed = [&notifier](const char *url) { return notifier.refusal(QUrl(QString::fromLatin1(url))).isEmpty(); };
        QVERIFY(allowed("http://hooks.example/done"));
        QVERIFY(allowed("https://hooks.example/done"));
        QVERIFY(!allowed("http://hooks.example:6379/"));
        QVERIFY(allowed("http://127.0.0.1:8080/hook"));
        QVERIFY(!allowed("http://127.0.0.1/hook"));
        QVERIFY(!allowed("http://127.0.0.1:22/hook"));
        QVERIFY(allowed("https://secure.example/x"));
        QVERIFY(!allowed("http://secure.example/x"));
        QVERIFY(allowed("http://[::1]:9999/x"));
        QVERIFY(!allowed("http://evil.example/?hooks.example"));
        QVERIFY(!allowed("http://a:b@hooks.example/"));
    }

    // ---- Access log and X-Request-Id -------------------------------------------

    void everyRequestIsLoggedOnceWithItsRequestId()
    {
        ApiFixture api(1);
        const QString id = submitText(m_network, api, QStringLiteral("# Logged"));
        Test::waitForJob(m_network, api.base, id);
        {
            QMutexLocker locker(&g_logMutex);
            g_accessLog.clear();
        }
        g_previousHandler = qInstallMessageHandler(captureAccessLog);
        const Test::HttpReply own = getWithRequestId(m_network, api.url(QStringLiteral("/status/") + id), "client-id-42");
        const Test::HttpReply unusable = getWithRequestId(m_network, api.url(QStringLiteral("/status/nope")), "bad id\twith spaces");
        const Test::HttpReply plain = httpRequest(m_network, "GET", api.url(QStringLiteral("/health")));
        const Test::HttpReply plain2 = httpRequest(m_network, "GET", api.url(QStringLiteral("/jobs?limit=1")));
        qInstallMessageHandler(g_previousHandler);

        QCOMPARE(own.header("X-Request-Id"), QByteArray("client-id-42"));
        QVERIFY(!unusable.header("X-Request-Id").isEmpty());
        QVERIFY(!unusable.header("X-Request-Id").contains(' '));
        QVERIFY(!plain.header("X-Request-Id").isEmpty());
        QVERIFY(plain.header("X-Request-Id") != plain2.header("X-Request-Id"));

        const QStringList lines = accessLog();
        QCOMPARE(lines.size(), 4);
        QVERIFY2(lines[0].startsWith(QStringLiteral("GET /status/%1 200 ").arg(id)), qPrintable(lines[0]));
        QVERIFY(lines[0].contains(QStringLiteral("job=") + id));
        QVERIFY(lines[0].contains(QLatin1String("request_id=client-id-42")));
        QVERIFY(QRegularExpression(QStringLiteral(" \\d+\\.\\d\\dms ")).match(lines[0]).hasMatch());
        QVERIFY2(lines[1].startsWith(QLatin1String("GET /status/nope 404 ")), qPrintable(lines[1]));
        QVERIFY(lines[1].contains(QLatin1String("request_id=") + QString::fromLatin1(unusable.header("X-Request-Id"))));
        QVERIFY(lines[2].startsWith(QLatin1String("GET /health 200 ")));
        QVERIFY(lines[2].contains(QLatin1String("job=-")));
        QVERIFY(lines[3].startsWith(QLatin1String("GET /jobs 200 ")));
    }

    void jsonAccessLogLines()
    {
        ApiSettings settings;
        settings.jsonLogs = true;
        ApiFixture api(1, settings);
        {
            QMutexLocker locker(&g_logMutex);
            g_accessLog.clear();
        }
        g_previousHandler = qInstallMessageHandler(captureAccessLog);
        const Test::HttpReply reply = getWithRequestId(m_network, api.url(QStringLiteral("/status/abc")), "json-7");
        qInstallMessageHandler(g_previousHandler);
        QCOMPARE(reply.status, 404);
        const QStringList lines = accessLog();
        QCOMPARE(lines.size(), 1);
        QJsonParseError error;
        const QJsonObject line = QJsonDocument::fromJson(lines[0].toUtf8(), &error).object();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QCOMPARE(line.value(QStringLiteral("method")).toString(), QStringLiteral("GET"));
        QCOMPARE(line.value(QStringLiteral("path")).toString(), QStringLiteral("/status/abc"));
        QCOMPARE(line.value(QStringLiteral("status")).toInt(), 404);
        QCOMPARE(line.value(QStringLiteral("job_id")).toString(), QStringLiteral("abc"));
        QCOMPARE(line.value(QStringLiteral("request_id")).toString(), QStringLiteral("json-7"));
        QVERIFY(line.value(QStringLiteral("ms")).isDouble());
    }
};

QTEST_MAIN(TestApi)
#include "test_api.moc"
