#pragma once

#include "engine/core/pagelayout.h"

#include <QByteArray>

namespace DocRay {

// Writes analysed pages in MinerU's pipeline "middle JSON" schema
// (pdf_info[].para_blocks[].lines[].spans[]), which the original service's
// clients read from result.middle_json.
class MiddleJsonWriter final
{
public:
    QByteArray write(const QList<PageLayout> &pages) const;
};

} // namespace DocRay
