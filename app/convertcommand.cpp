#include "app/convertcommand.h"
#include "app/processlimits.h"

#include "engine/documentparser.h"
#include "engine/output/chunker.h"
#include "engine/output/contentlist.h"
#include "engine/output/resultarchive.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <csignal>
#include <cstdio>
#include <cstring>
#include <new>
#include <optional>

#include <unistd.h>

namespace DocRay {

namespace {

// What the process says on its way out when a limit stops the parse: set
// before, written from a signal handler (nothing but write and _exit).
char g_timeoutMessage[160];
char g_abortMessage[200];

extern "C" void stopAtTimeout(int)
{
    [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, g_timeoutMessage, std::strlen(g_timeoutMessage));
    _exit(1);
}

extern "C" void stopAtAbort(int)
{
    [[maybe_unused]] const ssize_t written = write(STDERR_FILENO, g_abortMessage, std::strlen(g_abortMessage));
    _exit(1);
}

// A hostile document (a decompression bomb in a page, a page that takes
// an hour) stops as it does in a server's worker: within an address space
// and a time, with a message. Poppler aborts when it cannot allocate.
void limitTheParse(unsigned seconds, quint64 memoryMb)
{
    limitAddressSpace(memoryMb);
    std::snprintf(g_abortMessage, sizeof g_abortMessage,
                  "doc-ray convert: the parser stopped: out of memory (--max-memory-mb %llu) or a library failed\n",
                  static_cast<unsigned long long>(memoryMb));
    std::signal(SIGABRT, stopAtAbort);
    if (seconds > 0) {
        std::snprintf(g_timeoutMessage, sizeof g_timeoutMessage,
                      "doc-ray convert: gave up on the document after %u s (--timeout)\n", seconds);
        std::signal(SIGALRM, stopAtTimeout);
        alarm(seconds);
    }
}

int fail(int code, const QString &message)
{
    std::fprintf(stderr, "doc-ray convert: %s\n", qPrintable(message));
    return code;
}

// A file's bytes in one allocation of its size: readAll() grows its buffer
// in steps, which for a large PDF holds up to twice the file for the whole
// parse. A pipe or a file that grows meanwhile is read to its end.
QByteArray readWhole(QFile &input)
{
    QByteArray data;
    if (!input.isSequential() && input.size() > 0) {
        data.resize(input.size());
        data.resize(qMax<qint64>(0, input.read(data.data(), data.size())));
    }
    data += input.readAll();
    return data;
}

bool writeFile(const QString &path, const QByteArray &data, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(data) != data.size() || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// Where an output goes: its folder made if missing, and checked before the
// parse, which may take minutes, rather than after it.
bool prepareOutputPath(const QString &path, QString *error)
{
    const QFileInfo file(path);
    if (file.isDir()) {
        *error = QStringLiteral("cannot write %1: it is a directory").arg(path);
        return false;
    }
    const QString folder = file.absolutePath();
    if (!QDir().mkpath(folder)) {
        *error = QStringLiteral("cannot write %1: cannot make the folder %2").arg(path, folder);
        return false;
    }
    if (!QFileInfo(folder).isWritable()) {
        *error = QStringLiteral("cannot write %1: the folder %2 is not writable").arg(path, folder);
        return false;
    }
    return true;
}

// Packed bytes (packedbytes.h) written unpacked, piece by piece.
bool writeUnpacked(const QString &path, const QByteArray &packed, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !unpackTo(packed, &file) || !file.commit()) {
        *error = QStringLiteral("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

// The pictures written beside the markdown as they are cut
// (ParseControl::pictures), so that a long document's are not held until
// its end; taken back where the parse fails.
class PictureFiles final
{
public:
    explicit PictureFiles(const QString &markdownPath)
        : m_dir(QFileInfo(markdownPath).absoluteDir())
    {
    }

    void write(const QString &name, const QByteArray &png)
    {
        const QString path = m_dir.filePath(name);
        if (m_error.isEmpty() && QDir().mkpath(QFileInfo(path).absolutePath()) && writeFile(path, png, &m_error))
            m_written.append(path);
    }
    void removeWritten()
    {
        for (const QString &path : std::as_const(m_written))
            QFile::remove(path);
    }
    const QString &error() const { return m_error; }

private:
    QDir m_dir;
    QStringList m_written;
    QString m_error;
};

// What RAG pipelines read, where asked for: the content list, the chunks,
// the archive of everything.
struct RagOutputs {
    QString contentList;
    QString chunks;
    ChunkOptions chunkOptions;
    QString archive;
};

bool writeRagOutputs(const RagOutputs &outputs, const ParsedDocument &parsed, const QString &fileName, QString *error)
{
    if (outputs.contentList.isEmpty() && outputs.chunks.isEmpty() && outputs.archive.isEmpty())
        return true;
    const QByteArray middleJson = parsed.middleJson();
    const Result<QList<ResultBlock>> blocks = readResultBlocks(middleJson);
    if (!blocks) {
        *error = blocks.errorMessage();
        return false;
    }
    if (!outputs.contentList.isEmpty() && !writeFile(outputs.contentList, contentListJson(*blocks), error))
        return false;
    if (!outputs.chunks.isEmpty() && !writeFile(outputs.chunks, chunksJson(*blocks, outputs.chunkOptions), error))
        return false;
    if (outputs.archive.isEmpty())
        return true;
    const Result<QByteArray> archive
        = resultArchive({fileName, unpack(parsed.packedMarkdown), middleJson, parsed.images, parsed.pdfData});
    if (!archive) {
        *error = archive.errorMessage();
        return false;
    }
    return writeFile(outputs.archive, *archive, error);
}

} // namespace

int runConvertCommand(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Parse one document to markdown without a server."));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("INPUT"), QStringLiteral("The document to parse."));
    const QCommandLineOption output({QStringLiteral("o"), QStringLiteral("output")},
                                    QStringLiteral("Write markdown here (images beside it); default stdout."),
                                    QStringLiteral("OUT.md"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("Also write the middle JSON here."),
                                  QStringLiteral("OUT.json"));
    const QCommandLineOption params(QStringLiteral("params"),
                                    QStringLiteral("parser_params as a JSON object, e.g. '{\"lang\":\"deu\"}'."),
                                    QStringLiteral("JSON"));
    const QCommandLineOption pdf(QStringLiteral("pdf"),
                                 QStringLiteral("Also write the pages the JSON's boxes refer to (result.pdf_data) here."),
                                 QStringLiteral("OUT.pdf"));
    const QCommandLineOption contentList(QStringLiteral("content-list"),
                                         QStringLiteral("Also write MinerU's content_list.json here."), QStringLiteral("OUT.json"));
    const QCommandLineOption chunks(QStringLiteral("chunks"),
                                    QStringLiteral("Also write chunks for retrieval, with their headings, pages and boxes, here."),
                                    QStringLiteral("OUT.json"));
    const QCommandLineOption chunkChars(QStringLiteral("chunk-chars"),
                                        QStringLiteral("Largest chunk in characters (default 1500)."), QStringLiteral("N"));
    const QCommandLineOption chunkOverlap(QStringLiteral("chunk-overlap"),
                                          QStringLiteral("Characters of whole blocks a chunk repeats from the one before (default 0)."),
                                          QStringLiteral("N"));
    const QCommandLineOption archive(QStringLiteral("archive"),
                                     QStringLiteral("Also write a zip of the markdown, images, middle JSON, content list and PDF here."),
                                     QStringLiteral("OUT.zip"));
    const QCommandLineOption timeout(QStringLiteral("timeout"),
                                     QStringLiteral("Give up on the document after this many seconds (default 300; 0: never)."),
                                     QStringLiteral("SECONDS"), QStringLiteral("300"));
    const QCommandLineOption maxMemory(QStringLiteral("max-memory-mb"),
                                       QStringLiteral("Address space the parse may take, in MB (default 2048; 0: no limit)."),
                                       QStringLiteral("MB"), QStringLiteral("2048"));
    parser.addOptions({output, json, pdf, params, contentList, chunks, chunkChars, chunkOverlap, archive, timeout, maxMemory});
    QStringList args = arguments;
    args.removeAt(1); // the "convert" verb
    if (!parser.parse(args))
        return fail(2, parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.positionalArguments().size() != 1)
        return fail(2, QStringLiteral("expected exactly one INPUT file (see convert --help)"));

    const Result<ChunkOptions> chunking = ChunkOptions::parse(parser.value(chunkChars), parser.value(chunkOverlap));
    if (!chunking)
        return fail(2, chunking.errorMessage());
    const RagOutputs rag{parser.value(contentList), parser.value(chunks), *chunking, parser.value(archive)};
    bool secondsOk = false, memoryOk = false;
    const unsigned seconds = parser.value(timeout).toUInt(&secondsOk);
    const quint64 memoryMb = parser.value(maxMemory).toULongLong(&memoryOk);
    if (!secondsOk || !memoryOk || (memoryMb > 0 && memoryMb < 256))
        return fail(2, QStringLiteral("--timeout takes whole seconds, --max-memory-mb 0 or at least 256"));
    limitTheParse(seconds, memoryMb);

    QString error;
    for (const QCommandLineOption &option : {output, json, pdf, contentList, chunks, archive})
        if (parser.isSet(option) && !prepareOutputPath(parser.value(option), &error))
            return fail(1, error);

    const QString inputPath = parser.positionalArguments().first();
    QFile input(inputPath);
    if (!input.open(QIODevice::ReadOnly))
        return fail(1, QStringLiteral("cannot read %1: %2").arg(inputPath, input.errorString()));

    ParseRequest request;
    request.fileName = QFileInfo(inputPath).fileName();
    // A PDF in a file is read from it as its pages need it, never whole.
    const QByteArray head = input.isSequential() ? QByteArray() : input.peek(1024);
    if (hasPdfHeader(head))
        request.path = inputPath;
    else
        request.data = readWhole(input);
    if (request.data.isEmpty() && request.path.isEmpty())
        return fail(1, QStringLiteral("%1 is empty").arg(inputPath));
    if (parser.isSet(params)) {
        const QJsonDocument document = QJsonDocument::fromJson(parser.value(params).toUtf8());
        if (!document.isObject())
            return fail(2, QStringLiteral("--params must be a JSON object"));
        const Result<ParserParams> read = ParserParams::fromJson(document.object());
        if (!read)
            return fail(2, read.errorMessage());
        request.params = *read;
    }
    const FormatDetection detection = detectFormat(request.path.isEmpty() ? request.data : head, request.fileName);
    if (!detection.parseable)
        return fail(1, QStringLiteral("unsupported file format: %1 (supported: %2)")
                           .arg(detection.extension.isEmpty() ? QStringLiteral("(unknown)") : detection.extension,
                                supportedExtensions().join(QStringLiteral(", "))));
    request.format = detection.format;

    // The archive holds the pictures itself; markdown on stdout has none beside it.
    std::optional<PictureFiles> pictures;
    ParseControl control;
    if (parser.isSet(output) && !parser.isSet(archive)) {
        pictures.emplace(parser.value(output));
        control.pictures = [&pictures](const QString &name, const QByteArray &png) { pictures->write(name, png); };
    } else if (!parser.isSet(archive)) {
        control.pictures = [](const QString &, const QByteArray &) {};
    }
    ParseResult result = Error{ErrorCode::Internal, QString()};
    try {
        result = DocumentParser().parse(request, control);
    } catch (const std::bad_alloc &) {
        result = Error{ErrorCode::Internal,
                       QStringLiteral("the parser ran out of memory (--max-memory-mb %1)").arg(memoryMb)};
    }
    alarm(0); // the outputs are written whatever they take
    if (!result.ok() && pictures)
        pictures->removeWritten();
    if (!result.ok())
        return fail(1, QStringLiteral("%1: %2").arg(inputPath, result.errorMessage()));
    if (result->pdfData.isEmpty() && (parser.isSet(pdf) || parser.isSet(archive)))
        result->pdfData = readWhole(input); // the input itself, as it was parsed from its file

    if (parser.isSet(output)) {
        const QString outPath = parser.value(output);
        if (!writeUnpacked(outPath, result->packedMarkdown, &error))
            return fail(1, error);
        if (!pictures)
            pictures.emplace(outPath);
        for (auto it = result->images.cbegin(); it != result->images.cend(); ++it)
            pictures->write(it.key(), it.value());
        if (!pictures->error().isEmpty())
            return fail(1, pictures->error());
    } else {
        const QByteArray markdown = unpack(result->packedMarkdown);
        std::fwrite(markdown.constData(), 1, static_cast<size_t>(markdown.size()), stdout);
    }
    if (parser.isSet(json) && !writeUnpacked(parser.value(json), result->packedMiddleJson, &error))
        return fail(1, error);
    if (parser.isSet(pdf) && !writeFile(parser.value(pdf), result->pdfData, &error))
        return fail(1, error);
    if (!writeRagOutputs(rag, *result, request.fileName, &error))
        return fail(1, error);
    return 0;
}

} // namespace DocRay
