#pragma once

#include "engine/core/documentformat.h"
#include "engine/core/parsetypes.h"

#include <QByteArray>
#include <QString>

namespace DocRay {

// Converts an Office file to PDF with LibreOffice headless (soffice). Each
// conversion runs in its own temporary profile, so conversions may run in
// parallel and a stuck one cannot wedge the next; a time limit kills it.
// Reentrant: any worker thread may call convert().
class OfficeConverter final
{
public:
    struct Options {
        QString soffice; // program name or path; empty: "soffice" on PATH
        int timeoutMs = 180000;
    };
    // DOCRAY_SOFFICE names the program, DOCRAY_OFFICE_TIMEOUT the limit in seconds.
    static Options optionsFromEnvironment();

    explicit OfficeConverter(Options options = optionsFromEnvironment());

    // The PDF, or a failure (Unsupported when LibreOffice is missing,
    // InvalidInput when it fails or times out, Cancelled).
    Result<QByteArray> convert(const QByteArray &data, OfficeKind kind, const ParseControl &control) const;

private:
    Options m_options;
};

} // namespace DocRay
