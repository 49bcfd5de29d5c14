#pragma once

#include "engine/core/result.h"

#include <QByteArray>
#include <QMap>
#include <QString>

namespace DocRay {

// A result as MinerU's command line leaves it, in one zip: NAME.md,
// images/, NAME_middle.json, NAME_content_list.json and NAME.pdf (the pages
// the boxes refer to; left out when there is none).
struct ResultFiles {
    QString name; // the document's file name, or empty
    QByteArray markdown; // UTF-8
    QByteArray middleJson;
    QMap<QString, QByteArray> images; // "images/<name>.png" -> PNG
    QByteArray pdf;
};

Result<QByteArray> resultArchive(const ResultFiles &files);

// The document's name without its extension and without anything that
// would leave the archive's folder ("../../x.pdf" -> "x"); "document" when
// nothing is left.
QString archiveStem(const QString &fileName);

} // namespace DocRay
