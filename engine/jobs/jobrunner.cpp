#include "engine/jobs/jobrunner.h"

#include "engine/documentparser.h"
#include "engine/jobs/jobstore.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <exception>

namespace DocRay {

namespace {

QByteArray imagesAsJson(const QMap<QString, QByteArray> &images)
{
    QJsonObject json;
    for (auto it = images.cbegin(); it != images.cend(); ++it)
        json.insert(it.key(), QString::fromLatin1(it.value().toBase64()));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

// Counts pages by how their text was obtained, from the middle JSON the
// parser wrote (pdf_info[].extraction_method).
void countExtractionMethods(const QByteArray &middleJson, int *textLayer, int *ocr)
{
    const QJsonArray pages = QJsonDocument::fromJson(middleJson).object().value(QStringLiteral("pdf_info")).toArray();
    for (const QJsonValue &page : pages) {
        if (page.toObject().value(QStringLiteral("extraction_method")).toString() == QLatin1String("ocr"))
            ++*ocr;
        else
            ++*textLayer;
    }
}

} // namespace

ParseOutcome parseStoredJob(JobStore &store, const JobRecord &job, const ParseControl &control,
                            const ParseLimits &limits)
{
    ParseOutcome outcome;
    try {
        ParseRequest request;
        request.data = store.upload(job.id);
        if (request.data.isEmpty()) {
            outcome.cancelled = true; // deleted before its parse began
            return outcome;
        }
        request.fileName = job.fileName;
        request.format = detectFormat(request.data, job.fileName).format;
        ParserParams::fromJson(job.parserParams, &request.params);
        request.limits = limits;

        QElapsedTimer parseClock;
        parseClock.start();
        const ParseResult parsed = DocumentParser().parse(request, control);
        outcome.parseSeconds = parseClock.nsecsElapsed() / 1e9;
        outcome.pageCount = parsed.document.pageCount;
        if (control.cancelled() || parsed.code == ParseErrorCode::Cancelled) {
            outcome.cancelled = true;
        } else if (parsed.ok()) {
            JobResult result;
            result.markdown = parsed.document.markdown;
            result.middleJson = parsed.document.middleJson;
            result.imagesJson = imagesAsJson(parsed.document.images);
            // A PDF upload is its own pdf_data: do not store it twice.
            if (parsed.document.pdfData != request.data)
                result.pdfData = parsed.document.pdfData;
            outcome.ok = store.saveResult(job.id, result, outcome.pageCount, QDateTime::currentDateTimeUtc());
            countExtractionMethods(parsed.document.middleJson, &outcome.textLayerPages, &outcome.ocrPages);
            if (!outcome.ok)
                outcome.error = QStringLiteral("The result could not be stored; see the server log.");
        } else {
            outcome.error = parsed.error;
        }
    } catch (const std::bad_alloc &) {
        outcome.error = QStringLiteral("The parser ran out of memory.");
    } catch (const std::exception &e) {
        outcome.error = QStringLiteral("Internal parser error: %1").arg(QString::fromLocal8Bit(e.what()));
    } catch (...) {
        outcome.error = QStringLiteral("Internal parser error.");
    }
    return outcome;
}

} // namespace DocRay
