#include "tests/support/testsupport.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QDeadlineTimer>
#include <QEventLoop>
#include <QFont>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QThread>
#include <QTimer>

#include <tiffio.h>

#include <csignal>
#include <sys/types.h>

namespace DocRay::Test {

namespace {

quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char byte : data) {
        crc ^= static_cast<quint8>(byte);
        for (int bit = 0; bit < 8; ++bit)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

void putLe(QByteArray &out, quint32 value, int bytes)
{
    for (int i = 0; i < bytes; ++i)
        out.append(static_cast<char>((value >> (8 * i)) & 0xff));
}

} // namespace

QByteArray zipArchive(const QList<QPair<QString, QByteArray>> &members, bool deflate)
{
    QByteArray out;
    QByteArray directory;
    for (const auto &[name, data] : members) {
        const QByteArray fileName = name.toUtf8();
        const quint32 crc = crc32(data);
        const quint32 offset = static_cast<quint32>(out.size());
        // qCompress: a 4-byte length, then a zlib stream (2-byte head, raw deflate, 4-byte check).
        const QByteArray stored = deflate ? qCompress(data, 9).mid(6).chopped(4) : data;
        const quint16 method = deflate ? 8 : 0;
        putLe(out, 0x04034b50, 4);
        putLe(out, 20, 2);  // version needed
        putLe(out, 0, 2);   // flags
        putLe(out, method, 2);
        putLe(out, 0, 4);   // time, date
        putLe(out, crc, 4);
        putLe(out, static_cast<quint32>(stored.size()), 4);
        putLe(out, static_cast<quint32>(data.size()), 4);
        putLe(out, static_cast<quint32>(fileName.size()), 2);
        putLe(out, 0, 2);
        out += fileName + stored;

        putLe(directory, 0x02014b50, 4);
        putLe(directory, 20, 2); // made by
        putLe(directory, 20, 2); // needed
        putLe(directory, 0, 2);
        putLe(directory, method, 2);
        putLe(directory, 0, 4);
        putLe(directory, crc, 4);
        putLe(directory, static_cast<quint32>(stored.size()), 4);
        putLe(directory, static_cast<quint32>(data.size()), 4);
        putLe(directory, static_cast<quint32>(fileName.size()), 2);
        putLe(directory, 0, 2); // extra
        putLe(directory, 0, 2); // comment
        putLe(directory, 0, 2); // disk
        putLe(directory, 0, 2); // internal attributes
        putLe(directory, 0, 4); // external attributes
        putLe(directory, offset, 4);
        directory += fileName;
    }
    const quint32 directoryOffset = static_cast<quint32>(out.size());
    out += directory;
    putLe(out, 0x06054b50, 4);
    putLe(out, 0, 4);
    putLe(out, static_cast<quint32>(members.size()), 2);
    putLe(out, static_cast<quint32>(members.size()), 2);
    putLe(out, static_cast<quint32>(directory.size()), 4);
    putLe(out, directoryOffset, 4);
    putLe(out, 0, 2);
    return out;
}

QByteArray pdfFromHtml(const QString &html)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    QTextDocument document;
    document.setDefaultFont(QFont(QStringLiteral("DejaVu Serif"), 11));
    document.setHtml(html);
    document.print(&writer);
    return pdf;
}

QByteArray paintedPdf(const std::function<void(QPainter &, QPdfWriter &)> &paint)
{
    QByteArray pdf;
    QBuffer buffer(&pdf);
    buffer.open(QIODevice::WriteOnly);
    QPdfWriter writer(&buffer);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    QPainter painter(&writer);
    paint(painter, writer);
    painter.end();
    return pdf;
}

QByteArray encryptedPdf(const QByteArray &pdf, const QString &password)
{
    QTemporaryDir dir;
    const QString plain = dir.filePath(QStringLiteral("plain.pdf"));
    const QString locked = dir.filePath(QStringLiteral("locked.pdf"));
    QFile in(plain);
    if (!in.open(QIODevice::WriteOnly) || in.write(pdf) != pdf.size())
        return {};
    in.close();
    if (QProcess::execute(QStringLiteral("qpdf"), {QStringLiteral("--encrypt"), password, QStringLiteral("owner"),
                                                  QStringLiteral("256"), QStringLiteral("--"), plain, locked})
        != 0)
        return {};
    QFile out(locked);
    return out.open(QIODevice::ReadOnly) ? out.readAll() : QByteArray();
}

QByteArray multiPagePdf(int pages)
{
    return paintedPdf([pages](QPainter &painter, QPdfWriter &writer) {
        for (int page = 1; page <= pages; ++page) {
            if (page > 1)
                writer.newPage();
            painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 20, QFont::Bold));
            painter.drawText(QPointF(60, 80), QStringLiteral("Section %1").arg(page));
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 11));
            painter.drawText(QPointF(60, 120), QStringLiteral("This is the body text of page %1, page-%1-marker.").arg(page));
            painter.drawText(QPointF(60, 135), QStringLiteral("A second line keeps the paragraph going for a while."));
        }
    });
}

QByteArray longDocumentPdf(int pages)
{
    return paintedPdf([pages](QPainter &painter, QPdfWriter &writer) {
        const QFont serif(QStringLiteral("DejaVu Serif"), 11), mono(QStringLiteral("DejaVu Sans Mono"), 9);
        for (int page = 1; page <= pages; ++page) {
            if (page > 1)
                writer.newPage();
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 9));
            painter.drawText(QPointF(60, 40), QStringLiteral("doc-ray field manual"));
            painter.drawText(QPointF(290, 810), QString::number(page));
            double y = 120;
            const bool listingGoesOn = page % 50 == 0;
            if (listingGoesOn) {
                painter.setFont(mono);
                for (int line = 0; line < 3; ++line)
                    painter.drawText(QPointF(60, y + line * 12), QStringLiteral("run_%1_%2();").arg(page).arg(line));
                y += 60;
            }
            if (page % 25 == 1) {
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 20, QFont::Bold));
                painter.drawText(QPointF(60, y), QStringLiteral("Chapter %1").arg(page / 25 + 1));
            } else {
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 14, QFont::Bold));
                painter.drawText(QPointF(60, y), QStringLiteral("Section %1").arg(page));
            }
            painter.setFont(serif);
            for (int line = 0; line < 6; ++line)
                painter.drawText(QPointF(60, y + 30 + line * 15),
                                 QStringLiteral("Page %1 says in its line %2 what the manual has to say there.").arg(page).arg(line));
            if (page % 50 == 49) {
                painter.setFont(mono);
                for (int line = 0; line < 4; ++line)
                    painter.drawText(QPointF(60, 600 + line * 12), QStringLiteral("run_%1_%2();").arg(page).arg(line));
            }
        }
    });
}

namespace {

// One page of richDocumentPdf, its parts below each other from `top`.
void paintRichPage(QPainter &painter, int page)
{
    const QFont body(QStringLiteral("DejaVu Serif"), 11);
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 18, QFont::Bold));
    painter.drawText(QPointF(60, 70), QStringLiteral("%1 Results of run %1").arg(page));
    painter.setFont(body);
    painter.drawText(QPointF(60, 100), QStringLiteral("The measurements of run %1 are listed below, rich-%1-marker.").arg(page));
    // A ruled table, 4 x 3 cells of 110 x 22 points.
    const QStringList cells{QStringLiteral("Sample"), QStringLiteral("Mass"), QStringLiteral("Error"),
                            QStringLiteral("alpha"), QStringLiteral("%1.25").arg(page), QStringLiteral("0.01"),
                            QStringLiteral("beta"), QStringLiteral("%1.75").arg(page), QStringLiteral("0.02")};
    painter.setPen(QPen(Qt::black, 0.8));
    for (int r = 0; r <= 3; ++r)
        painter.drawLine(QPointF(60, 120 + r * 22), QPointF(390, 120 + r * 22));
    for (int c = 0; c <= 3; ++c)
        painter.drawLine(QPointF(60 + c * 110, 120), QPointF(60 + c * 110, 186));
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    for (int i = 0; i < cells.size(); ++i)
        painter.drawText(QPointF(66 + (i % 3) * 110, 135 + (i / 3) * 22), cells[i]);
    // A figure: filled bars on axes, with its caption under it.
    painter.drawLine(QPointF(100, 330), QPointF(360, 330));
    painter.drawLine(QPointF(100, 330), QPointF(100, 210));
    const QList<QColor> colours{QColor(200, 60, 60), QColor(60, 120, 200), QColor(80, 160, 80)};
    for (int i = 0; i < 3; ++i)
        painter.fillRect(QRectF(130 + i * 70, 330 - (40 + 30 * i), 40, 40 + 30 * i), colours[i]);
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
    painter.drawText(QPointF(100, 348), QStringLiteral("Figure %1: Yield of run %1 by batch.").arg(page));
    // Chinese prose, a numbered list and a code line.
    painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 11));
    painter.drawText(QPointF(60, 380), QStringLiteral("第%1次实验的结果与预期一致。").arg(page));
    painter.setFont(body);
    painter.drawText(QPointF(60, 410), QStringLiteral("1. Weigh every sample twice."));
    painter.drawText(QPointF(60, 426), QStringLiteral("2. Record the mean of the two."));
    painter.setFont(QFont(QStringLiteral("DejaVu Sans Mono"), 10));
    painter.drawText(QPointF(60, 456), QStringLiteral("mean = (first + second) / 2"));
    painter.setFont(body);
    painter.drawText(QPointF(60, 486), QStringLiteral("The second weighing agreed with the first in every case."));
    // An unruled table: columns kept apart by space alone, its caption
    // above and a note under it.
    painter.setFont(body);
    painter.drawText(QPointF(60, 508), QStringLiteral("Table %1: Shifts of run %1.").arg(page));
    const QStringList plainCells{QStringLiteral("Batch"), QStringLiteral("Start"), QStringLiteral("Hours"),
                                 QStringLiteral("A%1").arg(page), QStringLiteral("08:00"), QStringLiteral("%1.5").arg(page),
                                 QStringLiteral("B%1").arg(page), QStringLiteral("13:30"), QStringLiteral("%1.0").arg(page),
                                 QStringLiteral("C%1").arg(page), QStringLiteral("17:45"), QStringLiteral("0.%1").arg(page)};
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    for (int i = 0; i < plainCells.size(); ++i)
        painter.drawText(QPointF(60 + (i % 3) * 120, 534 + (i / 3) * 18), plainCells[i]);
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 9));
    painter.drawText(QPointF(60, 606), QStringLiteral("Source: the shift log of run %1.").arg(page));
    // A display formula, centred on its own line.
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 12, QFont::Normal, true));
    painter.drawText(QPointF(220, 646), QStringLiteral("σ² = ∑ (xᵢ − μ)² / (n − 1)"));
}

} // namespace

QByteArray richDocumentPdf(int pages)
{
    return paintedPdf([pages](QPainter &painter, QPdfWriter &writer) {
        for (int page = 1; page <= pages; ++page) {
            if (page > 1)
                writer.newPage();
            paintRichPage(painter, page);
        }
    });
}

double paintRulesOnlyTable(QPainter &painter, double top)
{
    painter.save();
    painter.setPen(QPen(Qt::black, 0.8));
    painter.drawLine(QPointF(60, top), QPointF(535, top));
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 8, QFont::Bold));
    const QList<double> columnX{64, 160, 360};
    const QStringList header{QStringLiteral("Operator"), QStringLiteral("Description"), QStringLiteral("Example")};
    for (int c = 0; c < 3; ++c)
        painter.drawText(QPointF(columnX[c], top + 12), header[c]);
    painter.drawLine(QPointF(60, top + 17), QPointF(535, top + 17));
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 8));
    painter.drawText(QPointF(230, top + 29), QStringLiteral("Comparison operators and their examples"));
    const QList<QStringList> rows{
        {QStringLiteral(">"), QStringLiteral("Any version greater than|the specified version."), QStringLiteral(">3.1: any version|greater than 3.1.")},
        {QStringLiteral("<="), QStringLiteral("Any version less than|or equal to the|specified version."), QStringLiteral("<=3.1: any version less|than or equal to 3.1.")},
        {QStringLiteral("=="), QStringLiteral("Exactly the specified version."), QStringLiteral("==3.1: only 3.1.")},
        {QStringLiteral("~="), QStringLiteral("Any compatible|version."), QStringLiteral("~=3.1: any compatible|version.")},
    };
    double y = top + 41;
    for (const QStringList &row : rows) {
        int lines = 1;
        for (int c = 0; c < 3; ++c) {
            const QStringList parts = row[c].split(QLatin1Char('|'));
            for (int l = 0; l < parts.size(); ++l)
                painter.drawText(QPointF(columnX[c], y + l * 10), parts[l]);
            lines = qMax(lines, int(parts.size()));
        }
        y += lines * 10 + 2;
    }
    painter.drawLine(QPointF(60, y), QPointF(535, y));
    painter.restore();
    return y;
}

void paintRightToLeftTable(QPainter &painter, double top)
{
    painter.save();
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 12));
    painter.setLayoutDirection(Qt::RightToLeft);
    painter.drawText(QRectF(60, top, 470, 20), Qt::AlignRight, QStringLiteral("الأهداف الاستراتيجية للكالا"));
    const QStringList labels{QStringLiteral("نام استاندارد"), QStringLiteral("شماره استاندارد"), QStringLiteral("تاريخ پذيرش")};
    const QStringList values{QStringLiteral("فولاد"), QStringLiteral("20300"), QStringLiteral("1403/10/04")};
    for (int row = 0; row < labels.size(); ++row) {
        const double y = top + 60 + row * 24;
        painter.drawRect(QRectF(60, y, 300, 24));
        painter.drawRect(QRectF(360, y, 170, 24));
        painter.drawText(QRectF(66, y, 288, 24), Qt::AlignRight | Qt::AlignVCenter, values[row]);
        painter.drawText(QRectF(366, y, 158, 24), Qt::AlignRight | Qt::AlignVCenter, labels[row]);
    }
    painter.restore();
}

double paintTableUnderColouredHeader(QPainter &painter, double top)
{
    const double x0 = 60, w = 110, h = 24;
    const QList<QStringList> rows = {{QStringLiteral("Region"), QStringLiteral("Before"), QStringLiteral("After")},
                                     {QStringLiteral("north"), QStringLiteral("12 sites"), QStringLiteral("15 sites")},
                                     {QStringLiteral("south"), QStringLiteral("7 sites"), QStringLiteral("9 sites")}};
    painter.save();
    painter.fillRect(QRectF(x0, top, 3 * w, h), QColor(70, 130, 200));
    painter.setPen(QPen(Qt::white, 0.6));
    for (int c = 1; c < 3; ++c)
        painter.drawLine(QPointF(x0 + c * w, top), QPointF(x0 + c * w, top + h));
    painter.setPen(QPen(Qt::black, 0.8));
    for (int r = 1; r <= 3; ++r)
        painter.drawLine(QPointF(x0, top + r * h), QPointF(x0 + 3 * w, top + r * h));
    for (int c = 0; c <= 3; ++c)
        painter.drawLine(QPointF(x0 + c * w, top + h), QPointF(x0 + c * w, top + 3 * h));
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    for (int r = 0; r < 3; ++r) {
        painter.setPen(r == 0 ? Qt::white : Qt::black);
        for (int c = 0; c < 3; ++c)
            painter.drawText(QPointF(x0 + c * w + 6, top + r * h + 16), rows[r][c]);
    }
    painter.restore();
    return top + 3 * h;
}

QByteArray layoutsDocumentPdf()
{
    return paintedPdf([](QPainter &painter, QPdfWriter &writer) {
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
        painter.drawText(QPointF(60, 100), QStringLiteral("Python packaging supports several ways of specifying versions:"));
        const double bottom = paintRulesOnlyTable(painter, 120);
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
        painter.drawText(QPointF(60, bottom + 30), QStringLiteral("The detailed specification can be found in the standard."));
        writer.newPage();
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
        painter.drawText(QPointF(60, 100), QStringLiteral("Sites counted before and after the survey:"));
        paintTableUnderColouredHeader(painter, 120);
        writer.newPage();
        paintRightToLeftTable(painter, 60);
        writer.newPage();
        paintListingInColumns(painter);
        writer.newPage();
        paintSidewaysSurvey(painter, 3);
        writer.newPage();
        painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
        painter.drawText(QPointF(60, 100), QStringLiteral("What each role may do with a file:"));
        paintTableWithTurnedHeadings(painter, 120);
    });
}

void paintSidewaysSurvey(QPainter &painter, int quarterTurns)
{
    painter.save();
    const double width = painter.device()->width(), height = painter.device()->height();
    if (quarterTurns == 3) {
        painter.translate(0, height);
        painter.rotate(-90);
    } else if (quarterTurns == 2) {
        painter.translate(width, height);
        painter.rotate(180);
    } else {
        painter.translate(width, 0);
        painter.rotate(90);
    }
    // From here on a landscape page, `height` wide and `width` high (upside
    // down: a portrait one, as wide as the page).
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 16, QFont::Bold));
    painter.drawText(QPointF(60, 70), QStringLiteral("Landscape summary of the survey"));
    painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
    painter.drawText(QPointF(60, 100), QStringLiteral("Every site was visited twice, once in spring and once in autumn."));
    const QList<QStringList> rows{{QStringLiteral("Site"), QStringLiteral("Spring"), QStringLiteral("Autumn")},
                                  {QStringLiteral("Harbour"), QStringLiteral("14"), QStringLiteral("17")},
                                  {QStringLiteral("Quarry"), QStringLiteral("9"), QStringLiteral("11")}};
    const double column = ((quarterTurns == 2 ? width : height) - 120) / 3;
    painter.setPen(QPen(Qt::black, 0.8));
    for (int r = 0; r <= rows.size(); ++r)
        painter.drawLine(QPointF(60, 120 + r * 24), QPointF(60 + 3 * column, 120 + r * 24));
    for (int c = 0; c <= 3; ++c)
        painter.drawLine(QPointF(60 + c * column, 120), QPointF(60 + c * column, 120 + rows.size() * 24));
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < 3; ++c)
            painter.drawText(QPointF(66 + c * column, 137 + r * 24), rows[r][c]);
    painter.drawText(QPointF(60, 230), QStringLiteral("The autumn counts were taken by the same two observers."));
    painter.restore();
}

double paintTableWithTurnedHeadings(QPainter &painter, double top)
{
    const QList<double> columns{60, 240, 280, 320};
    const double headingHeight = 90, rowHeight = 22;
    const double bottom = top + headingHeight + 2 * rowHeight;
    painter.save();
    painter.setPen(QPen(Qt::black, 0.8));
    for (const double y : {top, top + headingHeight, top + headingHeight + rowHeight, bottom})
        painter.drawLine(QPointF(columns.first(), y), QPointF(columns.last(), y));
    for (const double x : columns)
        painter.drawLine(QPointF(x, top), QPointF(x, bottom));
    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 10));
    painter.drawText(QPointF(66, top + 16), QStringLiteral("Action"));
    const QStringList turned{QStringLiteral("Read only"), QStringLiteral("No Authority")};
    for (int i = 0; i < turned.size(); ++i) {
        painter.save();
        painter.translate(columns[i + 1] + 25, top + headingHeight - 6);
        painter.rotate(-90);
        painter.drawText(QPointF(0, 0), turned[i]);
        painter.restore();
    }
    const QList<QStringList> rows{{QStringLiteral("Open a file"), QStringLiteral("X"), QStringLiteral("X")},
                                  {QStringLiteral("Delete a file"), QString(), QStringLiteral("X")}};
    for (int r = 0; r < rows.size(); ++r)
        for (int c = 0; c < 3; ++c)
            painter.drawText(QPointF(columns[c] + 6, top + headingHeight + 16 + r * rowHeight), rows[r][c]);
    painter.restore();
    return bottom;
}

void paintListingInColumns(QPainter &painter)
{
    const QFont serif(QStringLiteral("DejaVu Serif"), 10), mono(QStringLiteral("DejaVu Sans Mono"), 9);
    const QString prose = QStringLiteral("Prose of the column the listing is in");
    const double width = QFontMetricsF(serif, painter.device()).horizontalAdvance(prose);
    const int fits = int(width / QFontMetricsF(mono, painter.device()).horizontalAdvance(QLatin1Char('0')));
    painter.setFont(serif);
    for (int i = 0; i < 8; ++i) {
        painter.drawText(QPointF(60, 70 + i * 13), prose);
        painter.drawText(QPointF(340, 70 + i * 13), prose);
    }
    const QStringList code{QStringLiteral("{"), QStringLiteral("    \"program\":"),
                           QStringLiteral("    \"/usr/lib/%1\",").arg(QString(fits - 17, QLatin1Char('x'))), QStringLiteral("}")};
    painter.setFont(mono);
    for (int i = 0; i < code.size(); ++i)
        painter.drawText(QPointF(60, 190 + i * 12), code[i]);
    // In the right column, a line run past the page's edge by a name too
    // long for it.
    painter.setFont(serif);
    QString line = QStringLiteral("The buffer is one of");
    while (340 + QFontMetricsF(serif, painter.device()).horizontalAdvance(line + QLatin1Char(' ')) < painter.device()->width() - 60)
        line += QStringLiteral(" these");
    painter.drawText(QPointF(340, 190), line + QStringLiteral(" {Buffer|TypedArray|DataView|ArrayBuffer|string}"));
}

namespace {

// A chart as a PNG, the picture of the rich DOCX.
QByteArray chartPng()
{
    QImage image(240, 160, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    const QList<QColor> colours{QColor(200, 60, 60), QColor(60, 120, 200), QColor(80, 160, 80)};
    for (int i = 0; i < 3; ++i)
        painter.fillRect(QRect(30 + i * 70, 140 - (40 + 30 * i), 40, 40 + 30 * i), colours[i]);
    painter.end();
    return encodeImage(image, "PNG");
}

QByteArray wordParagraph(const QByteArray &text, const QByteArray &style = {})
{
    const QByteArray properties = style.isEmpty() ? QByteArray() : "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>";
    return "<w:p>" + properties + "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

QByteArray wordTable(const QList<QByteArrayList> &rows)
{
    QByteArray table = "<w:tbl><w:tblPr><w:tblBorders><w:top w:val=\"single\"/><w:bottom w:val=\"single\"/>"
                       "<w:insideH w:val=\"single\"/><w:insideV w:val=\"single\"/></w:tblBorders></w:tblPr>";
    for (const QByteArrayList &row : rows) {
        table += "<w:tr>";
        for (const QByteArray &cell : row)
            table += "<w:tc>" + wordParagraph(cell) + "</w:tc>";
        table += "</w:tr>";
    }
    return table + "</w:tbl>";
}

} // namespace

QByteArray richDocumentDocx()
{
    const QByteArray head = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
    const QByteArray wordNs = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
                              "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
                              "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
                              "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
                              "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";
    const QByteArray picture
        = "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"2286000\" cy=\"1524000\"/><wp:docPr id=\"1\" name=\"chart\"/>"
          "<a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
          "<pic:blipFill><a:blip r:embed=\"rIdChart\"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>"
          "</wp:inline></w:drawing></w:r></w:p>";
    QByteArray body = wordParagraph("Yield report", "Heading1")
        + wordParagraph("The runs of the week are summarised below, docx-rich-marker.")
        + wordTable({{"Run", "Mass", "Error"}, {"alpha", "1.25", "0.01"}, {"beta", "1.75", "0.02"}}) + picture
        + wordParagraph("Figure 1: Yield by batch.") + wordParagraph("Method", "Heading2")
        + wordParagraph("\xe7\xac\xac\xe4\xb8\x80\xe6\xac\xa1\xe5\xae\x9e\xe9\xaa\x8c\xe7\x9a\x84\xe7\xbb\x93\xe6\x9e\x9c"
                        "\xe4\xb8\x8e\xe9\xa2\x84\xe6\x9c\x9f\xe4\xb8\x80\xe8\x87\xb4\xe3\x80\x82"); // 第一次实验的结果与预期一致。
    for (int i = 1; i <= 40; ++i) // enough prose for a second page
        body += wordParagraph("Paragraph " + QByteArray::number(i) + " of the method, weighed and recorded twice.");
    const QByteArray styles = head + "<w:styles " + wordNs + ">"
        + "<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/></w:style>"
          "<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style></w:styles>";
    return zipArchive(
        {{QStringLiteral("[Content_Types].xml"),
          head + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                 "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                 "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
                 "<Default Extension=\"png\" ContentType=\"image/png\"/>"
                 "<Override PartName=\"/word/document.xml\" "
                 "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                 "</Types>"},
         {QStringLiteral("_rels/.rels"),
          head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rId1\" "
                 "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                 "Target=\"word/document.xml\"/></Relationships>"},
         {QStringLiteral("word/_rels/document.xml.rels"),
          head + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                 "<Relationship Id=\"rIdStyles\" "
                 "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
                 "<Relationship Id=\"rIdChart\" "
                 "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
                 "Target=\"media/chart.png\"/></Relationships>"},
         {QStringLiteral("word/document.xml"), head + "<w:document " + wordNs + "><w:body>" + body + "</w:body></w:document>"},
         {QStringLiteral("word/styles.xml"), styles},
         {QStringLiteral("word/media/chart.png"), chartPng()}});
}

QByteArray pdfStream(const QByteArray &data)
{
    return "<< /Length " + QByteArray::number(data.size()) + " >>\nstream\n" + data + "\nendstream";
}

QByteArray pdfFromObjects(const QList<QByteArray> &objects)
{
    QByteArray pdf = "%PDF-1.4\n";
    QList<qsizetype> offsets;
    for (qsizetype i = 0; i < objects.size(); ++i) {
        offsets.append(pdf.size());
        pdf += QByteArray::number(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
    }
    const qsizetype xref = pdf.size();
    pdf += "xref\n0 " + QByteArray::number(objects.size() + 1) + "\n0000000000 65535 f \n";
    for (qsizetype offset : offsets)
        pdf += QByteArray::number(offset).rightJustified(10, '0') + " 00000 n \n";
    pdf += "trailer\n<< /Size " + QByteArray::number(objects.size() + 1) + " /Root 1 0 R >>\nstartxref\n"
        + QByteArray::number(xref) + "\n%%EOF\n";
    return pdf;
}


// A fixed-pitch face as TeX embeds Latin Modern Mono: every glyph 0.525 em
// wide, its descriptor not flagged fixed-pitch (Poppler then breaks words
// at gaps as in proportional text).
QByteArray monospaceFont()
{
    QByteArray widths;
    for (int code = 32; code <= 126; ++code)
        widths += "525 ";
    return "<< /Type /Font /Subtype /Type1 /BaseFont /LMMono10-Regular /FirstChar 32 /LastChar 126 /Widths [" + widths
        + "] /FontDescriptor << /Type /FontDescriptor /FontName /LMMono10-Regular /Flags 32 /FontBBox [-451 -316 731 1016]"
          " /ItalicAngle 0 /Ascent 611 /Descent -222 /CapHeight 611 /StemV 69 >> >>";
}

QByteArray rawPdf(const QSizeF &pageSize, const QByteArray &content, int pages, const QByteArray &pageKeys,
                  const QByteArray &toUnicode)
{
    QList<QByteArray> objects{"<< /Type /Catalog /Pages 2 0 R >>", QByteArray(),
                              "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", pdfStream(content),
                              monospaceFont()};
    if (!toUnicode.isEmpty()) {
        objects[2].replace(" >>", " /ToUnicode " + QByteArray::number(objects.size() + 1) + " 0 R >>");
        objects.append(pdfStream("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
                                 "1 begincodespacerange <00> <FF> endcodespacerange\n"
                                 + QByteArray::number(toUnicode.count('\n') + 1) + " beginbfchar\n" + toUnicode
                                 + "\nendbfchar\nendcmap CMapName currentdict /CMap defineresource pop end end"));
    }
    QByteArray kids;
    for (int page = 0; page < pages; ++page) {
        objects.append("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + QByteArray::number(pageSize.width()) + ' '
                       + QByteArray::number(pageSize.height())
                       + "] " + pageKeys + " /Contents 4 0 R /Resources << /Font << /F1 3 0 R /F2 5 0 R >> >> >>");
        kids += QByteArray::number(objects.size()) + " 0 R ";
    }
    objects[1] = "<< /Type /Pages /Kids [" + kids + "] /Count " + QByteArray::number(pages) + " >>";
    return pdfFromObjects(objects);
}

const QStringList kGridListing{QStringLiteral("function add(a, b) {"), QStringLiteral("    return a + b;"),
                               QStringLiteral("}"), QStringLiteral("console.log(add(3, 5));")};

QByteArray gridListingPdf()
{
    // The face's glyphs advance 0.525 em; the letters of a token stand 0.08
    // em apart, tokens 0.135 em, and a space is a whole cell.
    static const QRegularExpression tokens(QStringLiteral("\\w+|\\s|[^\\w\\s]"));
    auto gridLine = [](const QString &text, double y) {
        QByteArray ops = "BT /F2 9 Tf 72 " + QByteArray::number(y) + " Td ";
        int spaces = 0;
        bool first = true;
        for (const QRegularExpressionMatch &token : tokens.globalMatch(text)) {
            if (token.captured() == QLatin1String(" ")) {
                ++spaces;
                continue;
            }
            QByteArrayList glyphs;
            for (const QChar c : token.captured())
                glyphs.append(QByteArray(c == u'(' || c == u')' ? "(\\" : "(") + char(c.unicode()) + ')');
            const int shift = spaces > 0 ? (first ? 525 : 660) * spaces : (first ? 0 : 135);
            ops += "[-" + QByteArray::number(shift) + ' ' + glyphs.join(" -80 ") + "] TJ ";
            spaces = 0;
            first = false;
        }
        return ops + "ET\n";
    };
    QByteArray content = "BT /F2 15 Tf 60 740 Td [(THEM,) -180 (SOON)] TJ ET\n"
                         "BT /F1 11 Tf 60 700 Td (The listing below adds two numbers and prints the sum.) Tj ET\n";
    for (int row = 0; row < kGridListing.size(); ++row)
        content += gridLine(kGridListing[row], 670 - 12 * row);
    content += "BT /F1 11 Tf 60 600 Td (It prints 8 and nothing else.) Tj ET\n";
    return rawPdf(QSizeF(595, 842), content);
}

QByteArray imagePagePdf(const QSizeF &pageSize, const QImage &image, const QByteArray &content, bool pngPredictor)
{
    // Samples and colour space as a scanner writes them: grey, bilevel, a palette, or RGB.
    QImage samplesImage;
    QByteArray colourSpace = "/DeviceGray";
    int bitsPerComponent = 8, components = 1;
    if (image.format() == QImage::Format_Mono) {
        // Bit 1 is white, as DeviceGray reads it.
        samplesImage = image.convertToFormat(QImage::Format_Mono, {qRgb(0, 0, 0), qRgb(255, 255, 255)});
        bitsPerComponent = 1;
    } else if (image.format() == QImage::Format_Indexed8) {
        samplesImage = image;
        QByteArray hex;
        for (const QRgb colour : image.colorTable())
            hex += QByteArray(1, char(qRed(colour))) + char(qGreen(colour)) + char(qBlue(colour));
        colourSpace = "[/Indexed /DeviceRGB " + QByteArray::number(image.colorCount() - 1) + " <" + hex.toHex() + ">]";
    } else if (image.allGray() && !image.hasAlphaChannel()) {
        samplesImage = image.convertToFormat(QImage::Format_Grayscale8);
    } else {
        samplesImage = image.convertToFormat(QImage::Format_RGB888);
        colourSpace = "/DeviceRGB";
        components = 3;
    }
    const qsizetype rowBytes = (qsizetype(samplesImage.width()) * components * bitsPerComponent + 7) / 8;
    QByteArray samples;
    samples.reserve((rowBytes + 1) * samplesImage.height());
    for (int y = 0; y < samplesImage.height(); ++y) {
        if (pngPredictor)
            samples.append(char(0)); // PNG's filter "None"
        samples.append(reinterpret_cast<const char *>(samplesImage.constScanLine(y)), rowBytes);
    }
    const QByteArray deflated = qCompress(samples).mid(4); // qCompress puts the length before the zlib stream
    const QByteArray width = QByteArray::number(samplesImage.width());
    const QByteArray bits = QByteArray::number(bitsPerComponent);
    const QByteArray decodeParms = pngPredictor ? " /DecodeParms << /Predictor 15 /Colors " + QByteArray::number(components)
                                                      + " /BitsPerComponent " + bits + " /Columns " + width + " >>"
                                                : QByteArray();
    // An alpha channel goes with the picture as its soft mask, as PNGs do.
    QByteArray softMask, maskObject;
    if (image.hasAlphaChannel()) {
        const QImage alpha = image.convertToFormat(QImage::Format_Alpha8);
        QByteArray alphaSamples;
        for (int y = 0; y < alpha.height(); ++y)
            alphaSamples.append(reinterpret_cast<const char *>(alpha.constScanLine(y)), alpha.width());
        const QByteArray deflatedAlpha = qCompress(alphaSamples).mid(4);
        softMask = " /SMask 7 0 R";
        maskObject = "<< /Type /XObject /Subtype /Image /Width " + QByteArray::number(alpha.width()) + " /Height "
            + QByteArray::number(alpha.height()) + " /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode"
            + " /Length " + QByteArray::number(deflatedAlpha.size()) + " >>\nstream\n" + deflatedAlpha + "\nendstream";
    }
    QList<QByteArray> objects{
        "<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + QByteArray::number(pageSize.width()) + ' '
            + QByteArray::number(pageSize.height())
            + "] /Contents 4 0 R /Resources << /Font << /F1 6 0 R >> /XObject << /Im0 5 0 R >> >> >>",
        pdfStream(content),
        "<< /Type /XObject /Subtype /Image /Width " + width + " /Height " + QByteArray::number(samplesImage.height())
            + " /ColorSpace " + colourSpace + " /BitsPerComponent " + bits + " /Filter /FlateDecode" + decodeParms
            + softMask + " /Length " + QByteArray::number(deflated.size()) + " >>\nstream\n" + deflated + "\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
    if (!maskObject.isEmpty())
        objects.append(maskObject);
    return pdfFromObjects(objects);
}

QImage textImage(const QStringList &lines, int dpi, int pointSize)
{
    const int width = dpi * 8;
    const int lineHeight = pointSize * dpi / 72 * 2;
    QImage image(width, lineHeight * (static_cast<int>(lines.size()) + 2), QImage::Format_RGB32);
    image.fill(Qt::white);
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    QPainter painter(&image);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(pointSize * dpi / 72);
    painter.setFont(font);
    painter.setPen(Qt::black);
    for (int i = 0; i < lines.size(); ++i)
        painter.drawText(QPointF(dpi / 2.0, lineHeight * (i + 1.5)), lines[i]);
    return image;
}

QStringList scannedListing()
{
    return {QStringLiteral("function handle(request, response) {"), QStringLiteral("    count += 1;"),
            QStringLiteral("    if (request.url === '/hello') {"), QStringLiteral("        response.end('hello world');"),
            QStringLiteral("    }"), QStringLiteral("}")};
}

QImage blankPage(int dpi, const QSizeF &inches)
{
    QImage image(qRound(dpi * inches.width()), qRound(dpi * inches.height()), QImage::Format_RGB32);
    image.fill(Qt::white);
    image.setDotsPerMeterX(qRound(dpi / 0.0254));
    image.setDotsPerMeterY(qRound(dpi / 0.0254));
    return image;
}

namespace {

// A headline over a dark photo, and beside the photo 60 lines of a story
// repeated, printed grey (150): a page-wide threshold's loss.
QImage pageWithPhoto(const QString &headline, int headlinePixels, const QString &family, const QStringList &story,
                     int bodyPixels)
{
    QImage image = blankPage(100, QSizeF(8, 10));
    QPainter painter(&image);
    QFont headlineFont(family);
    headlineFont.setPixelSize(headlinePixels);
    headlineFont.setBold(true);
    painter.setFont(headlineFont);
    painter.setPen(Qt::black);
    painter.drawText(QPointF(40, 30 + headlinePixels), headline);
    const int top = 60 + headlinePixels;
    painter.fillRect(QRect(40, top, 360, 960 - top), QColor(35, 35, 35));
    QFont body(family);
    body.setPixelSize(bodyPixels);
    painter.setFont(body);
    painter.setPen(QColor(150, 150, 150));
    for (int i = 0; top + 20 + i * (bodyPixels + 3) < 970; ++i)
        painter.drawText(QPointF(430, top + 20 + i * (bodyPixels + 3)), story[i % story.size()]);
    painter.end();
    return image;
}

} // namespace

QImage newspaperPage(int headlinePixels)
{
    return pageWithPhoto(QStringLiteral("Harbour Reopens"), headlinePixels, QStringLiteral("DejaVu Sans"),
                         {QStringLiteral("The harbour reopened on Monday"), QStringLiteral("after the storm damaged the"),
                          QStringLiteral("northern pier and two cranes."), QStringLiteral("Fishing boats returned at"),
                          QStringLiteral("dawn and the market opened"), QStringLiteral("again before noon with fresh"),
                          QStringLiteral("cod, herring and mackerel.")},
                         11);
}

QImage chineseNewspaperPage(int headlinePixels, int bodyPixels)
{
    return pageWithPhoto(QStringLiteral("茶农迎来又一春"), headlinePixels, QStringLiteral("WenQuanYi Micro Hei"),
                         {QStringLiteral("今年全省茶园面积达到三百万亩，"), QStringLiteral("茶叶产量超过二十七万吨，"),
                          QStringLiteral("居全国第一位。中央财政连续"), QStringLiteral("三年注入资金，带动了现代"),
                          QStringLiteral("茶产业加速发展。")},
                         bodyPixels);
}

QImage sidebarReportPage()
{
    QImage image = blankPage(200, QSizeF(8, 10));
    QPainter painter(&image);
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPixelSize(26);
    painter.setFont(font);
    painter.setPen(Qt::black);
    const QStringList facts{QStringLiteral("Rating: Buy, kept"), QStringLiteral("Price: 7.15 yuan"), QStringLiteral("Sector: Banks"),
                            QStringLiteral("Shares: 2,741 million"), QStringLiteral("Float: 2,643 million"), QStringLiteral("Holder: Bocom, 9.01%"),
                            QStringLiteral("Book value: 8.32"), QStringLiteral("Leverage: 92.1%"), QStringLiteral("Analyst: Yuan Zheqi"),
                            QStringLiteral("Phone: 4008 866 338"), QStringLiteral("Desk: Shanghai"), QStringLiteral("Updated: 25 June")};
    const QStringList body{QStringLiteral("Revenue grew twelve percent in the first half"),
                           QStringLiteral("of the year, and net profit rose by a fifth,"),
                           QStringLiteral("helped by lower funding costs and a steady"),
                           QStringLiteral("rise in small business loans across the"),
                           QStringLiteral("rural branches of the province. The bank"),
                           QStringLiteral("kept its margin near three percent while"),
                           QStringLiteral("most of its peers saw theirs narrow, and"),
                           QStringLiteral("its bad loans stayed under one percent of"),
                           QStringLiteral("the book. We keep our rating and expect"),
                           QStringLiteral("the recovery in micro lending to go on"),
                           QStringLiteral("through the second half as demand for"),
                           QStringLiteral("credit in the countryside comes back.")};
    for (int i = 0; i < facts.size(); ++i) {
        const int baseline = 200 + i * 44;
        painter.drawText(QPointF(120, baseline), facts[i]);
        painter.drawText(QPointF(420, baseline), body[i]);
    }
    painter.end();
    return image;
}

QImage scannedManualPage()
{
    const int dpi = 200;
    QImage image = blankPage(dpi, QSizeF(8, 6));
    QPainter painter(&image);
    painter.setPen(Qt::black);
    const int pixels = 11 * dpi / 72, lineHeight = pixels * 3 / 2;
    int y = dpi / 2;
    auto write = [&](const QString &family, bool bold, const QString &text) {
        QFont font(family);
        font.setPixelSize(pixels);
        font.setBold(bold);
        painter.setFont(font);
        painter.drawText(QPointF(dpi / 2.0, y), text);
        y += lineHeight;
    };
    const QString serif = QStringLiteral("DejaVu Serif");
    write(serif, false, QStringLiteral("The server reads its settings once, when it starts, and keeps"));
    write(serif, false, QStringLiteral("them until it is stopped; change them and start it again."));
    y += lineHeight;
    write(serif, true, QStringLiteral("Handling requests"));
    y += lineHeight / 2;
    write(serif, false, QStringLiteral("Every request is answered by the function given below, which"));
    write(serif, false, QStringLiteral("counts the requests and writes a greeting back to the client."));
    y += lineHeight / 2;
    for (const QString &line : scannedListing())
        write(QStringLiteral("DejaVu Sans Mono"), false, line); // spaces of a font of code are letters wide
    y += lineHeight / 2;
    write(serif, false, QStringLiteral("The count starts at zero whenever the server is started again."));
    y += lineHeight / 2;
    // A list as LaTeX sets one: the bullet, then the text an em or so further on.
    for (const QString &item : {QStringLiteral("port {number} The port the server listens on."),
                                QStringLiteral("host {string} The name of the host it answers as.")}) {
        QFont font(serif);
        font.setPixelSize(pixels);
        painter.setFont(font);
        painter.drawText(QPointF(dpi / 2.0 + pixels, y), QStringLiteral("\u2022"));
        painter.drawText(QPointF(dpi / 2.0 + pixels * 2.2, y), item);
        y += lineHeight;
    }
    return image;
}

QByteArray encodeImage(const QImage &image, const char *format)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, format);
    return bytes;
}

QByteArray multiPageTiff(const QList<QImage> &pages, int dpi)
{
    // Baseline TIFF, little-endian, one uncompressed 8-bit grey strip per
    // page, the pages chained through their IFDs.
    QByteArray tiff("II*\0", 4);
    auto u16 = [](QByteArray &out, quint16 v) { out.append(char(v & 0xff)).append(char(v >> 8)); };
    auto u32 = [&u16](QByteArray &out, quint32 v) { u16(out, quint16(v & 0xffff)); u16(out, quint16(v >> 16)); };
    u32(tiff, 8);
    for (qsizetype p = 0; p < pages.size(); ++p) {
        const QImage grey = pages[p].convertToFormat(QImage::Format_Grayscale8);
        const int entries = 12;
        const quint32 ifdAt = quint32(tiff.size());
        const quint32 rationalAt = ifdAt + 2 + entries * 12 + 4;
        const quint32 pixelsAt = rationalAt + 16;
        const quint32 pixelBytes = quint32(grey.width() * grey.height());
        auto entry = [&](quint16 tag, quint16 type, quint32 value) {
            u16(tiff, tag);
            u16(tiff, type);
            u32(tiff, 1);
            if (type == 3) {
                u16(tiff, quint16(value));
                u16(tiff, 0);
            } else {
                u32(tiff, value);
            }
        };
        u16(tiff, entries);
        entry(256, 4, quint32(grey.width()));
        entry(257, 4, quint32(grey.height()));
        entry(258, 3, 8);
        entry(259, 3, 1);
        entry(262, 3, 1);
        entry(273, 4, pixelsAt);
        entry(277, 3, 1);
        entry(278, 4, quint32(grey.height()));
        entry(279, 4, pixelBytes);
        entry(282, 5, rationalAt);
        entry(283, 5, rationalAt + 8);
        entry(296, 3, 2);
        const quint32 nextAt = (pixelsAt + pixelBytes + 1) & ~1u; // IFDs start on a word boundary
        u32(tiff, p + 1 < pages.size() ? nextAt : 0);
        for (int i = 0; i < 2; ++i) {
            u32(tiff, quint32(dpi));
            u32(tiff, 1);
        }
        for (int y = 0; y < grey.height(); ++y)
            tiff.append(reinterpret_cast<const char *>(grey.constScanLine(y)), grey.width());
        if (tiff.size() % 2)
            tiff.append('\0');
    }
    return tiff;
}

QJsonObject HttpReply::json() const
{
    return QJsonDocument::fromJson(body).object();
}

QByteArray HttpReply::header(const QByteArray &name) const
{
    for (const auto &[key, value] : headers)
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    return {};
}

HttpReply httpRequest(QNetworkAccessManager &network, const QByteArray &method, const QUrl &url,
                      const QByteArray &body, const QByteArray &contentType, int timeoutMs,
                      const QList<QPair<QByteArray, QByteArray>> &headers)
{
    QNetworkRequest request(url);
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    if (!contentType.isEmpty())
        request.setHeader(QNetworkRequest::ContentTypeHeader, contentType);
    QNetworkReply *reply = network.sendCustomRequest(request, method, body);
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();

    HttpReply result;
    if (!reply->isFinished()) {
        reply->abort();
        result.networkError = QStringLiteral("timed out");
    }
    result.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    result.body = reply->readAll();
    result.headers = reply->rawHeaderPairs();
    if (result.status == 0 && result.networkError.isEmpty())
        result.networkError = reply->errorString();
    reply->deleteLater();
    return result;
}

QByteArray multipartBody(const QList<FormPart> &parts, const QByteArray &boundary)
{
    QByteArray body;
    for (const FormPart &part : parts) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part.name + "\"";
        if (!part.fileName.isEmpty())
            body += "; filename=\"" + part.fileName + "\"\r\nContent-Type: application/octet-stream";
        body += "\r\n\r\n" + part.data + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    return body;
}

QByteArray multipartContentType(const QByteArray &boundary)
{
    return "multipart/form-data; boundary=" + boundary;
}

QJsonObject waitForJob(QNetworkAccessManager &network, const QUrl &base, const QString &jobId, int timeoutMs)
{
    QDeadlineTimer deadline(timeoutMs);
    QJsonObject status;
    while (!deadline.hasExpired()) {
        status = httpRequest(network, "GET", base.resolved(QUrl(QStringLiteral("/status/") + jobId))).json();
        if (status.value(QStringLiteral("status")).toString() != QLatin1String("processing"))
            return status;
        QEventLoop loop;
        QTimer::singleShot(50, &loop, &QEventLoop::quit);
        loop.exec();
    }
    return status;
}

QByteArray checkeredMaskBits(int width, int rows)
{
    QByteArray bits;
    for (int y = 0; y < rows; ++y) {
        QByteArray row((width + 7) / 8, '\0');
        for (int x = 0; x < width; ++x)
            if (((x / 40 + y / 40) % 2 == 0) != (qAbs(x - y) < 9))
                row[x / 8] = char(row[x / 8] | (0x80 >> (x % 8)));
        bits += row;
    }
    return bits;
}

QByteArray ccittGroupFour(const QByteArray &packedRows, int width, int rows)
{
    QTemporaryDir dir;
    const QByteArray path = dir.filePath(QStringLiteral("g4.tif")).toLocal8Bit();
    TIFF *out = TIFFOpen(path.constData(), "w");
    TIFFSetField(out, TIFFTAG_IMAGEWIDTH, width);
    TIFFSetField(out, TIFFTAG_IMAGELENGTH, rows);
    TIFFSetField(out, TIFFTAG_BITSPERSAMPLE, 1);
    TIFFSetField(out, TIFFTAG_SAMPLESPERPIXEL, 1);
    TIFFSetField(out, TIFFTAG_COMPRESSION, COMPRESSION_CCITTFAX4);
    TIFFSetField(out, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_MINISWHITE);
    TIFFSetField(out, TIFFTAG_ROWSPERSTRIP, rows);
    QByteArray bits = packedRows;
    for (int y = 0; y < rows; ++y)
        TIFFWriteScanline(out, bits.data() + qsizetype(y) * ((width + 7) / 8), quint32(y));
    TIFFClose(out);
    TIFF *in = TIFFOpen(path.constData(), "r");
    QByteArray encoded(qsizetype(TIFFRawStripSize(in, 0)), '\0');
    encoded.resize(qsizetype(TIFFReadRawStrip(in, 0, encoded.data(), encoded.size())));
    TIFFClose(in);
    return encoded;
}

QString docRayBinary()
{
    return QStringLiteral(DOCRAY_BINARY);
}

int freeLocalPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

QProcessEnvironment desktopEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    environment.remove(QStringLiteral("DOCRAY_SERVER"));
    return environment;
}

ServerProcess::ServerProcess(const QString &dataDir, const QStringList &extraArguments)
    : m_process(std::make_unique<QProcess>())
    , m_dataDir(dataDir)
    , m_extraArguments(extraArguments)
{
    m_process->setProcessChannelMode(QProcess::MergedChannels);
}

ServerProcess::~ServerProcess()
{
    if (m_process->state() != QProcess::NotRunning)
        kill();
}

void ServerProcess::setEnvironment(const QProcessEnvironment &environment)
{
    m_process->setProcessEnvironment(environment);
}

bool ServerProcess::start(QString *error)
{
    // A log file, not a pipe: a chatty server must never block on a full pipe.
    const QString logPath = m_dataDir + QStringLiteral("/server.log");
    QFile::remove(logPath);
    QDir().mkpath(m_dataDir);
    m_process->setStandardOutputFile(logPath);
    m_process->start(docRayBinary(), QStringList{QStringLiteral("--server"), QStringLiteral("--host"),
                                                 QStringLiteral("127.0.0.1"), QStringLiteral("--port"),
                                                 QStringLiteral("0"), QStringLiteral("--data-dir"), m_dataDir}
                                         + m_extraArguments);
    if (!m_process->waitForStarted(10000)) {
        *error = m_process->errorString();
        return false;
    }
    static const QRegularExpression listening(QStringLiteral("listening on (http://[^ ]+)"));
    QDeadlineTimer deadline(20000);
    while (!deadline.hasExpired()) {
        QThread::msleep(50);
        const QRegularExpressionMatch match = listening.match(output());
        if (match.hasMatch()) {
            m_url = QUrl(match.captured(1));
            return true;
        }
        if (m_process->state() == QProcess::NotRunning)
            break;
    }
    *error = QStringLiteral("server did not start: ") + output();
    return false;
}

void ServerProcess::signalAll(int signal)
{
    const qint64 pid = m_process->processId();
    QFile children(QStringLiteral("/proc/%1/task/%1/children").arg(pid));
    if (children.open(QIODevice::ReadOnly))
        for (const QByteArray &child : children.readAll().split(' '))
            if (child.trimmed().toLongLong() > 0)
                ::kill(static_cast<pid_t>(child.trimmed().toLongLong()), signal);
    ::kill(static_cast<pid_t>(pid), signal);
}

void ServerProcess::pause()
{
    signalAll(SIGSTOP);
}

void ServerProcess::resume()
{
    signalAll(SIGCONT);
}

void ServerProcess::kill()
{
    m_process->kill();
    m_process->waitForFinished(10000);
}

bool ServerProcess::terminate()
{
    m_process->terminate();
    const bool finished = m_process->waitForFinished(20000);
    return finished && m_process->exitStatus() == QProcess::NormalExit && m_process->exitCode() == 0;
}

qint64 ServerProcess::pid() const
{
    return m_process->processId();
}

double processMemoryMb(qint64 pid, const QByteArray &field)
{
    QFile status(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid) : QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field + ':'))
            return line.mid(field.size() + 1).trimmed().split(' ').first().toDouble() / 1024.0;
    return -1;
}

bool workerPrepared(const QString &pid, const QString &device)
{
    constexpr qint64 kOcrPacksBytes = 12 << 20;
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    QFile maps(QStringLiteral("/proc/%1/maps").arg(pid));
    if (!io.open(QIODevice::ReadOnly) || !maps.open(QIODevice::ReadOnly))
        return false;
    qint64 read = 0;
    for (const QByteArray &line : io.readAll().split('\n'))
        if (line.startsWith("rchar:"))
            read = line.mid(6).trimmed().toLongLong();
    const bool libTorch = maps.readAll().contains("libtorch");
    return read > kOcrPacksBytes && libTorch == (device == QLatin1String("cuda"));
}

double ServerProcess::peakRssMb() const
{
    return processMemoryMb(pid(), "VmHWM");
}

double ServerProcess::rssMb() const
{
    return processMemoryMb(pid(), "VmRSS");
}

QString ServerProcess::output() const
{
    QFile log(m_dataDir + QStringLiteral("/server.log"));
    return log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
}


CallbackReceiver::CallbackReceiver(int failures)
    : m_failures(failures)
{
    listen(QHostAddress::LocalHost, 0);
    connect(this, &QTcpServer::newConnection, this, [this] {
        while (QTcpSocket *socket = nextPendingConnection())
            connect(socket, &QTcpSocket::readyRead, this, [this, socket] { read(socket); });
    });
}

void CallbackReceiver::read(QTcpSocket *socket)
{
    QByteArray &buffer = m_buffers[socket];
    buffer += socket->readAll();
    const qsizetype headEnd = buffer.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return;
    const QByteArray head = buffer.left(headEnd);
    static const QRegularExpression length(QStringLiteral("(?i)content-length: *(\\d+)"));
    const qsizetype bodyLength = length.match(QString::fromLatin1(head)).captured(1).toLongLong();
    if (buffer.size() < headEnd + 4 + bodyLength)
        return;
    received.append({head, buffer.mid(headEnd + 4, bodyLength)});
    m_buffers.remove(socket);
    const bool fail = received.size() <= m_failures;
    socket->write(fail ? "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                       : "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

} // namespace DocRay::Test
