#pragma once

#include "engine/core/packedbytes.h"
#include "engine/core/pagelayout.h"

#include <QByteArray>

namespace DocRay {

// Writes analysed pages in MinerU's pipeline "middle JSON" schema
// (pdf_info[].para_blocks[].lines[].spans[]), which the original service's
// clients read from result.middle_json.
//
// Pages are added one at a time, in order, each written and packed as it
// comes (a long document's JSON is several times its pages' text) and free
// to be released once added. Owned by one thread.
class MiddleJsonWriter final
{
public:
    MiddleJsonWriter();

    void addPage(const PageLayout &page);
    QByteArray finish(); // the JSON of the pages added, packed (packedbytes.h); the writer starts over

    static QByteArray write(const QList<PageLayout> &pages); // unpacked

private:
    PackingStream m_json;
    int m_pages = 0;
};

} // namespace DocRay
