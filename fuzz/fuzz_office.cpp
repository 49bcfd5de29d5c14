// Any bytes as an Office package read natively: the ZIP reader (names,
// members, relationship paths), the DOCX reader and the XLSX/ODS reader.
// Each must end in markdown or a typed error.
#include "engine/core/ziparchive.h"
#include "engine/office/docxreader.h"
#include "engine/office/spreadsheetreader.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    using namespace DocRay;
    const QByteArray bytes(reinterpret_cast<const char *>(data), static_cast<qsizetype>(size));
    const ZipArchive zip(bytes);
    for (const QString &name : zip.entryNames()) {
        [[maybe_unused]] const QByteArray prefix = zip.readPrefix(name, 64);
        [[maybe_unused]] const QString resolved = ZipArchive::resolvePath(QStringLiteral("word"), name);
    }
    [[maybe_unused]] const MarkdownResult docx = DocxReader().read(bytes);
    [[maybe_unused]] const MarkdownResult sheet
        = SpreadsheetReader().read(bytes, size % 2 ? OfficeKind::Xlsx : OfficeKind::Ods);
    return 0;
}
