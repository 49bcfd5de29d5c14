#pragma once

#include <QByteArray>
#include <QImage>
#include <QList>
#include <QMap>
#include <QRectF>
#include <QSizeF>
#include <QString>

namespace DocRay {

class JobStateManager;

// One detected block of a page, from the job's middle JSON.
struct PreviewBlock {
    QString type; // "title", "text", "list", "discarded", ...
    QRectF bbox; // PDF points, top-left origin
    QString markdown; // what the block contributes to the markdown
};

struct PreviewPage {
    int pageIndex = 0; // in the PDF; a page range makes it differ from the list position
    QSizeF size; // PDF points
    QList<PreviewBlock> blocks;
};

// A completed job's result, decoded for display and saving. Built off the GUI
// thread by load(); a plain value afterwards.
struct JobResultData {
    QString jobId;
    QString fileName;
    QString markdown;
    QString prettyJson;
    QByteArray pdfData;
    QList<PreviewPage> pages;
    QMap<QString, QByteArray> imageFiles; // "images/x.png" -> file bytes
    QMap<QString, QImage> images; // the same, decoded for the rendered markdown

    bool isValid() const { return !jobId.isEmpty(); }

    // Reads the result from the job layer (any thread); invalid when the job
    // is gone or not completed.
    static JobResultData load(JobStateManager *jobs, const QString &id, const QString &fileName);

    // Writes the markdown to `markdownPath` and every image beside it under
    // the relative path the markdown uses (images/...). False with `error` set.
    bool save(const QString &markdownPath, QString *error) const;
};

} // namespace DocRay
