#include "engine/pdf/pdfcomposer.h"

#include <QBuffer>
#include <QDir>
#include <QFileInfo>
#include <QFont>
#include <QImage>
#include <QPageLayout>
#include <QPainter>
#include <QPdfWriter>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QUrl>

namespace DocRay::PdfComposer {

namespace {

// Wider than the text column (in the document's 96-per-inch units), an
// image would run off the page.
constexpr int kMaxImageWidth = 600;

// The pictures as files under `dir`, scaled to fit the text width: print()
// lays out a copy of the document, which has none of its resources but
// loads what its base URL points at.
bool writePictures(const QTemporaryDir &dir, const QMap<QString, QByteArray> &images)
{
    bool any = false;
    for (auto it = images.cbegin(); it != images.cend(); ++it) {
        QImage image = QImage::fromData(it.value());
        if (image.isNull() || it.key().contains(QLatin1String("..")))
            continue;
        if (image.width() > kMaxImageWidth)
            image = image.scaledToWidth(kMaxImageWidth, Qt::SmoothTransformation);
        const QString path = dir.filePath(it.key());
        QDir().mkpath(QFileInfo(path).absolutePath());
        any = image.save(path, "PNG") || any;
    }
    return any;
}

} // namespace

QByteArray fromText(const QString &text, bool isMarkdown, const QMap<QString, QByteArray> &images)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    {
        QPdfWriter writer(&buffer);
        writer.setCreator(QStringLiteral("doc-ray"));
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(20, 20, 20, 20), QPageLayout::Millimeter);

        QTextDocument document;
        document.setDefaultFont(QFont(QStringLiteral("DejaVu Sans"), 10));
        const QTemporaryDir pictures;
        if (!images.isEmpty() && pictures.isValid() && writePictures(pictures, images))
            document.setMetaInformation(QTextDocument::DocumentUrl,
                                        QUrl::fromLocalFile(pictures.path() + QLatin1Char('/')).toString());
        // Qt's markdown reader drops an image whose alt text is empty.
        if (isMarkdown)
            document.setMarkdown(images.isEmpty() ? text : QString(text).replace(QStringLiteral("![]("), QStringLiteral("![image](")));
        else
            document.setPlainText(text);
        document.print(&writer);
    }
    return pdf;
}

QByteArray fromImages(const QList<QImage> &images, double dpi)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setCreator(QStringLiteral("doc-ray"));
    writer.setResolution(static_cast<int>(dpi));
    writer.setPageMargins(QMarginsF(0, 0, 0, 0));
    QPainter painter;
    for (qsizetype i = 0; i < images.size(); ++i) {
        const QImage &image = images[i];
        const QSizeF pointSize(image.width() * 72.0 / dpi, image.height() * 72.0 / dpi);
        writer.setPageSize(QPageSize(pointSize, QPageSize::Point));
        if (i == 0)
            painter.begin(&writer);
        else
            writer.newPage();
        painter.drawImage(QRect(0, 0, image.width(), image.height()), image);
    }
    painter.end();
    return pdf;
}

} // namespace DocRay::PdfComposer
