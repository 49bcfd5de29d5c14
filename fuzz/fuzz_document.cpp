// Any bytes as an uploaded document: type sniffing, then a parse of its
// first page under tight limits. Must end in a result or a typed error.
#include "engine/documentparser.h"

#include <QGuiApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    // Text documents are laid out with QtGui's fonts: an offscreen application.
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    setenv("OMP_THREAD_LIMIT", "1", 1);
    static QGuiApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace DocRay;
    ParseRequest request;
    request.data = QByteArray(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    // Let the extension vary with the content so every reader gets its turn.
    static const char *const names[] = {"a.pdf", "a.png", "a.md", "a.txt", "a.tif", "a.html", "a.docx", "a.xlsx"};
    request.fileName = QString::fromLatin1(names[size % (sizeof names / sizeof *names)]);
    const FormatDetection detection = detectFormat(request.data, request.fileName);
    if (!detection.parseable || detection.format == DocumentFormat::Office)
        return 0; // LibreOffice runs outside the process; not this target's business
    request.format = detection.format;
    request.params.endPage = 0;
    request.params.language = QStringLiteral("eng");
    request.limits.maxPages = 2;
    request.limits.maxRenderPixels = 2'000'000;
    request.limits.maxImagePixels = 4'000'000;
    [[maybe_unused]] const ParseResult parsed = DocumentParser().parse(request, ParseControl());
    return 0;
}
