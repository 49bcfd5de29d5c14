#include "engine/jobs/executors/jobrunner.h"

#include "engine/documentparser.h"
#include "engine/jobs/executors/picturespool.h"
#include "engine/jobs/executors/uploadspool.h"
#include "engine/jobs/stores/sharedjobstore.h"
#include "engine/layout/layoutcodec.h"
#include "engine/pdf/pdftextreader.h"

#include <QDateTime>
#include <QFile>
#include <QElapsedTimer>

#include <exception>

namespace DocRay {

namespace {

// A final write: done; superseded (another replica holds the task now, so
// this parse counts as cancelled); or failed.
void recordWrite(const Result<void> &written, ParseOutcome &outcome)
{
    outcome.ok = written.ok();
    outcome.cancelled = !written && written.error().code == ErrorCode::Conflict;
    if (!written && !outcome.cancelled)
        outcome.error = written.errorMessage();
}

// The thread's copy of the upload it reads (see UploadSpool).
UploadSpool &threadUploads()
{
    thread_local UploadSpool uploads;
    return uploads;
}

// The thread's copy of the job's upload; cancelled where the job is gone.
Result<QString> uploadFile(JobStore &store, const JobRecord &job)
{
    Result<QString> path = threadUploads().fileOf(store, job.id);
    if (!path && path.error().code == ErrorCode::NotFound)
        return cancelledError();
    return path;
}

// A task that stops before its parse: cancelled, or failed with the reason.
ParseOutcome stoppedBefore(const Error &error)
{
    ParseOutcome outcome;
    outcome.cancelled = error.code == ErrorCode::Cancelled;
    outcome.error = outcome.cancelled ? QString() : error.message;
    return outcome;
}

// The job's upload as the engine reads it: a PDF from the spooled file,
// anything else in memory. Cancelled where the job is gone.
Result<ParseRequest> storedRequest(JobStore &store, const JobRecord &job)
{
    const Result<QString> path = uploadFile(store, job);
    if (!path)
        return path.error();
    QFile file(*path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{ErrorCode::Internal, QStringLiteral("The upload's file cannot be read: %1").arg(file.errorString())};
    ParseRequest request;
    request.fileName = job.fileName;
    request.params = storedParams(job);
    if (hasPdfHeader(file.peek(1024))) {
        request.path = *path;
        request.format = DocumentFormat::Pdf;
    } else {
        request.data = file.readAll();
        request.format = detectFormat(request.data, job.fileName).format;
    }
    return request;
}

// Stores a finished document as the job's result, with the pictures the
// parse spooled. The document is taken: each part is released once the
// store has its own form of it, so a long document's outputs are not held
// twice over. A PDF upload is its own pdf_data (the parse leaves it empty):
// it is not stored twice.
void saveParsed(JobStore &store, const JobRecord &job, ParsedDocument parsed, PictureSpool &pictures,
                ParseOutcome &outcome)
{
    outcome.ocrPages = parsed.ocrPages;
    outcome.textLayerPages = parsed.pageCount - parsed.ocrPages;
    Result<QByteArray> images = pictures.packedJson(std::exchange(parsed.images, {}));
    if (!images) {
        outcome.error = images.errorMessage();
        return;
    }
    JobResult result;
    result.pdfData = std::exchange(parsed.pdfData, QByteArray());
    result.markdown = std::move(parsed.packedMarkdown);
    result.middleJson = std::move(parsed.packedMiddleJson);
    result.imagesJson = std::move(*images);
    recordWrite(store.saveResult(job, std::move(result), outcome.pageCount, QDateTime::currentDateTimeUtc()), outcome);
}

// One batch of a PDF's pages, read and stored as layouts for the merge.
ParseOutcome readStoredBatch(JobStore &store, const JobRecord &job, const ParseControl &control,
                             const ParseLimits &limits)
{
    Result<ParseRequest> stored = storedRequest(store, job);
    if (stored && stored->format != DocumentFormat::Pdf)
        stored = Error{ErrorCode::InvalidInput, QStringLiteral("The upload is not a PDF.")};
    if (!stored)
        return stoppedBefore(stored.error());
    ParseOutcome outcome;
    ParseRequest &request = *stored;
    request.params.startPage = job.task.firstPage;
    request.params.endPage = job.task.lastPage;
    request.limits = limits;
    QElapsedTimer parseClock;
    parseClock.start();
    const PdfReadResult read = DocumentParser().readPdfPages(request, control);
    outcome.parseSeconds = parseClock.nsecsElapsed() / 1e9;
    outcome.pageCount = read ? static_cast<int>(read->pages.size()) : 0;
    if (control.cancelled() || isCancelled(read)) {
        outcome.cancelled = true;
    } else if (!read) {
        outcome.error = read.errorMessage();
    } else {
        recordWrite(store.saveBatch(job, encodePdfRead(*read), outcome.pageCount), outcome);
    }
    return outcome;
}

// Every batch's layouts analysed as one document and written: the same
// result a single parse of all the pages gives.
ParseOutcome mergeStoredBatches(JobStore &store, const JobRecord &job)
{
    ParseOutcome outcome;
    QElapsedTimer parseClock;
    parseClock.start();
    DocumentComposer composer;
    std::optional<QList<OutlineEntry>> outline; // every batch carries the document's
    const Result<void> read = store.readBatches(job.id, [&composer, &outline](const QByteArray &part) {
        std::optional<PdfPages> batch = decodePdfRead(part);
        if (!batch)
            return false;
        if (!outline)
            outline = batch->outline;
        for (PageLayout &page : batch->pages)
            composer.addPage(std::exchange(page, PageLayout()));
        return true;
    });
    if (!read) {
        // Deleted, or not ready: nothing to write.
        outcome.cancelled = read.error().code == ErrorCode::NotFound;
        outcome.error = outcome.cancelled ? QString() : read.errorMessage();
        return outcome;
    }
    // The PDF itself for the pictures of its tables and formulas.
    const Result<QString> pdf = uploadFile(store, job);
    if (!pdf)
        return stoppedBefore(pdf.error());
    PictureSpool pictures;
    ParseResult parsed = composer.finish(outline.value_or(QList<OutlineEntry>()), PdfSource::file(*pdf),
                                         storedParams(job), pictures.sink());
    outcome.parseSeconds = parseClock.nsecsElapsed() / 1e9;
    outcome.pageCount = parsed ? parsed->pageCount : 0;
    if (parsed.ok())
        saveParsed(store, job, std::move(*parsed), pictures, outcome);
    else
        outcome.error = parsed.errorMessage();
    return outcome;
}

// A whole-PDF task for a document worth batching becomes its page batches:
// a shared store queues them for every replica; a store of one service
// hands them back in the outcome for its scheduler to queue. False when the
// document is read whole here.
bool splitIntoBatches(JobStore &store, const JobRecord &job, const ParseRequest &request, int batchPages,
                      ParseOutcome &outcome)
{
    if (batchPages <= 0 || request.format != DocumentFormat::Pdf)
        return false;
    const int pageCount = PdfTextReader::pageCount(PdfSource::file(request.path), request.params);
    const QList<JobTask> batches = pageBatches(pageCount, request.params, batchPages, request.limits.maxPages);
    if (batches.isEmpty())
        return false;
    int pages = 0;
    for (const JobTask &batch : batches)
        pages += batch.kind == TaskKind::Pages ? batch.lastPage - batch.firstPage + 1 : 0;
    if (auto *shared = dynamic_cast<SharedJobStore *>(&store)) {
        recordWrite(shared->splitTask(job, batches, pages), outcome);
    } else {
        outcome.ok = true;
        outcome.batches = batches;
    }
    outcome.split = outcome.ok;
    outcome.pageCount = pages;
    return true;
}

} // namespace

ParseOutcome parseStoredJob(JobStore &store, const JobRecord &job, const ParseControl &control,
                            const ParseLimits &limits, int batchPages)
{
    ParseOutcome outcome;
    try {
        if (job.task.kind != TaskKind::Whole)
            return job.task.kind == TaskKind::Pages ? readStoredBatch(store, job, control, limits)
                                                    : mergeStoredBatches(store, job);
        Result<ParseRequest> stored = storedRequest(store, job);
        if (!stored)
            return stoppedBefore(stored.error()); // deleted before its parse began
        ParseRequest &request = *stored;
        request.limits = limits;
        if (splitIntoBatches(store, job, request, batchPages, outcome))
            return outcome;

        QElapsedTimer parseClock;
        parseClock.start();
        PictureSpool pictures;
        ParseControl spooling = control;
        spooling.pictures = pictures.sink();
        ParseResult parsed = DocumentParser().parse(request, spooling);
        outcome.parseSeconds = parseClock.nsecsElapsed() / 1e9;
        outcome.pageCount = parsed ? parsed->pageCount : 0;
        if (control.cancelled() || isCancelled(parsed)) {
            outcome.cancelled = true;
        } else if (parsed.ok()) {
            request.data = QByteArray();
            saveParsed(store, job, std::move(*parsed), pictures, outcome);
        } else {
            outcome.error = parsed.errorMessage();
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
