#include "engine/output/resultarchive.h"

#include "engine/core/zipwriter.h"
#include "engine/output/contentlist.h"

#include <QFileInfo>
#include <QRegularExpression>

namespace DocRay {

QString archiveStem(const QString &fileName)
{
    static const QRegularExpression unsafe(QStringLiteral("[\\\\/:*?\"<>|\\x00-\\x1f]"));
    QString stem = QFileInfo(QString(fileName).replace(QLatin1Char('\\'), QLatin1Char('/'))).completeBaseName();
    stem.remove(unsafe);
    stem = stem.trimmed();
    while (stem.startsWith(QLatin1Char('.')))
        stem.remove(0, 1);
    return stem.isEmpty() ? QStringLiteral("document") : stem.left(120);
}

Result<QByteArray> resultArchive(const ResultFiles &files)
{
    const Result<QList<ResultBlock>> blocks = readResultBlocks(files.middleJson);
    if (!blocks)
        return blocks.error();
    const QString stem = archiveStem(files.name);
    ZipWriter zip;
    zip.add(stem + QStringLiteral(".md"), files.markdown, true);
    for (auto it = files.images.cbegin(); it != files.images.cend(); ++it)
        zip.add(QStringLiteral("images/") + QFileInfo(it.key()).fileName(), it.value(), false);
    zip.add(stem + QStringLiteral("_middle.json"), files.middleJson, true);
    zip.add(stem + QStringLiteral("_content_list.json"), contentListJson(*blocks), true);
    if (!files.pdf.isEmpty())
        zip.add(stem + QStringLiteral(".pdf"), files.pdf, false);
    return zip.finish();
}

} // namespace DocRay
