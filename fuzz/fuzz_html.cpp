// Any bytes as an HTML upload: the HTML reader, then the typesetting of its
// markdown into pages (Qt's markdown parser and layout) under a small page
// limit. Must end in pages or a typed error.
#include "engine/html/htmlreader.h"
#include "engine/typeset/typesetter.h"

#include <QGuiApplication>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    setenv("QT_QPA_PLATFORM", "offscreen", 1);
    static QGuiApplication app(*argc, *argv);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace DocRay;
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const MarkdownResult read = HtmlReader().read(bytes);
    if (read)
        [[maybe_unused]] const Result<TypesetDocument> typeset = typesetText(read->markdown, true, read->images, 3, ParseControl());
    // The bytes as markdown themselves, too.
    [[maybe_unused]] const Result<TypesetDocument> raw = typesetText(QString::fromUtf8(bytes), true, {}, 3, ParseControl());
    return 0;
}
