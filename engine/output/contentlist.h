#pragma once

#include "engine/output/resultblocks.h"

namespace DocRay {

// MinerU's content_list.json: the flat list of a result's blocks in reading
// order that many RAG tools read, with MinerU's field names (type, text,
// text_level, img_path, table_body, image_caption, ..., page_idx) and its
// bbox: corners in thousandths of the page's width and height.
QByteArray contentListJson(const QList<ResultBlock> &blocks);

} // namespace DocRay
