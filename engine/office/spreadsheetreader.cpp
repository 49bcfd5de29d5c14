#include "engine/office/spreadsheetreader.h"

#include "engine/output/markdownescape.h"
#include "engine/output/markdowntable.h"
#include "engine/core/ziparchive.h"
#include "engine/office/xmlattribute.h"

#include <QFileInfo>
#include <QHash>
#include <QList>
#include <QMap>
#include <QXmlStreamReader>

namespace DocRay {

namespace {

// One sheet as sparse cells; (row, column) are 0-based.
struct Sheet {
    QString name;
    QMap<QPair<int, int>, QString> cells;
    QList<QPair<QPair<int, int>, QPair<int, int>>> merges; // (top-left, bottom-right)
};

// "BC12" -> (11, 54); false for anything else.
bool parseCellReference(const QString &reference, int *row, int *column)
{
    int c = 0;
    qsizetype i = 0;
    while (i < reference.size() && reference[i].isLetter()) {
        c = c * 26 + (reference[i].toUpper().unicode() - 'A' + 1);
        ++i;
    }
    bool ok = false;
    const int r = reference.mid(i).toInt(&ok);
    if (i == 0 || !ok || r < 1)
        return false;
    *row = r - 1;
    *column = c - 1;
    return true;
}

// Cached numbers as a person would type them: 0.30000000000000004 reads 0.3.
QString tidyNumber(const QString &value)
{
    bool ok = false;
    const double number = value.toDouble(&ok);
    return ok ? QString::number(number, 'g', 15) : value;
}

QString renderSheet(const Sheet &sheet)
{
    QMap<QPair<int, int>, QString> cells = sheet.cells;
    for (const auto &merge : sheet.merges) {
        const QString text = cells.value(merge.first);
        if (text.isEmpty())
            continue;
        const int bottom = qMin(merge.second.first, merge.first.first + SpreadsheetReader::kMaxRows);
        const int right = qMin(merge.second.second, merge.first.second + SpreadsheetReader::kMaxColumns);
        for (int r = merge.first.first; r <= bottom; ++r) {
            for (int c = merge.first.second; c <= right; ++c)
                cells.insert({ r, c }, text);
        }
    }
    int top = INT_MAX, left = INT_MAX, bottom = -1, right = -1;
    for (auto it = cells.cbegin(); it != cells.cend(); ++it) {
        if (it.value().trimmed().isEmpty())
            continue;
        top = qMin(top, it.key().first);
        bottom = qMax(bottom, it.key().first);
        left = qMin(left, it.key().second);
        right = qMax(right, it.key().second);
    }
    QString out = QStringLiteral("## ") + escapeInline(sheet.name) + QStringLiteral("\n\n");
    if (bottom < 0)
        return out;
    bottom = qMin(bottom, top + SpreadsheetReader::kMaxRows - 1);
    right = qMin(right, left + SpreadsheetReader::kMaxColumns - 1);
    QList<QStringList> rows;
    for (int r = top; r <= bottom; ++r) {
        QStringList row;
        for (int c = left; c <= right; ++c)
            row.append(escapeInline(cells.value({ r, c }))); // "<b>" in a cell is text
        rows.append(row);
    }
    return out + MarkdownTable::render(rows) + QLatin1Char('\n');
}

// ---- XLSX -------------------------------------------------------------------

QStringList readSharedStrings(const ZipArchive &zip)
{
    QStringList strings;
    QXmlStreamReader xml(zip.read(QStringLiteral("xl/sharedStrings.xml")));
    QString current;
    bool inItem = false;
    int skipDepth = 0; // inside <rPh> (phonetic guides): not part of the value
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            if (xml.name() == u"si") {
                inItem = true;
                current.clear();
            } else if (xml.name() == u"rPh") {
                ++skipDepth;
            } else if (xml.name() == u"t" && inItem && skipDepth == 0) {
                current += xml.readElementText();
            }
        } else if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == u"si") {
                strings.append(current);
                inItem = false;
            } else if (xml.name() == u"rPh") {
                --skipDepth;
            }
        }
    }
    return strings;
}

Sheet readXlsxSheet(const QByteArray &bytes, const QStringList &shared)
{
    Sheet sheet;
    QXmlStreamReader xml(bytes);
    int nextRow = 0;
    int nextColumn = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == u"row") {
            const int r = xmlAttribute(xml, u"r").toInt();
            nextRow = r > 0 ? r - 1 : nextRow + 1;
            nextColumn = 0;
        } else if (xml.name() == u"c") {
            int row = nextRow;
            int column = nextColumn;
            parseCellReference(xmlAttribute(xml, u"r"), &row, &column);
            nextColumn = column + 1;
            const QString type = xmlAttribute(xml, u"t");
            QString value;
            QString inlineText;
            while (xml.readNextStartElement()) {
                if (xml.name() == u"v") {
                    value = xml.readElementText();
                } else if (xml.name() == u"is") {
                    while (!xml.atEnd()) {
                        const QXmlStreamReader::TokenType token = xml.readNext();
                        if (token == QXmlStreamReader::StartElement && xml.name() == u"t")
                            inlineText += xml.readElementText();
                        else if (token == QXmlStreamReader::EndElement && xml.name() == u"is")
                            break;
                    }
                } else {
                    xml.skipCurrentElement(); // <f>: the formula; its cached value is in <v>
                }
            }
            QString text;
            if (type == QLatin1String("s"))
                text = shared.value(value.toInt());
            else if (type == QLatin1String("inlineStr"))
                text = inlineText;
            else if (type == QLatin1String("b"))
                text = value == QLatin1String("1") ? QStringLiteral("TRUE") : QStringLiteral("FALSE");
            else if (type == QLatin1String("str") || type == QLatin1String("e"))
                text = value;
            else
                text = tidyNumber(value);
            if (!text.isEmpty() && row < SpreadsheetReader::kMaxRows * 4)
                sheet.cells.insert({ row, column }, text);
        } else if (xml.name() == u"mergeCell") {
            const QStringList corners = xmlAttribute(xml, u"ref").split(QLatin1Char(':'));
            int r0, c0, r1, c1;
            if (corners.size() == 2 && parseCellReference(corners[0], &r0, &c0)
                && parseCellReference(corners[1], &r1, &c1))
                sheet.merges.append({ { r0, c0 }, { r1, c1 } });
        }
    }
    return sheet;
}

MarkdownResult readXlsx(const ZipArchive &zip)
{
    bool ok = false;
    const QByteArray workbook = zip.read(QStringLiteral("xl/workbook.xml"), &ok);
    if (!ok)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The XLSX file has no readable xl/workbook.xml.")};
    QHash<QString, QString> targets;
    QXmlStreamReader rels(zip.read(QStringLiteral("xl/_rels/workbook.xml.rels")));
    while (!rels.atEnd()) {
        if (rels.readNext() == QXmlStreamReader::StartElement && rels.name() == u"Relationship") {
            QString target = xmlAttribute(rels, u"Target");
            target = ZipArchive::resolvePath(QStringLiteral("xl"), target);
            targets.insert(xmlAttribute(rels, u"Id"), target);
        }
    }
    const QStringList shared = readSharedStrings(zip);
    QString markdown;
    QXmlStreamReader xml(workbook);
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement || xml.name() != u"sheet")
            continue;
        const QString name = xmlAttribute(xml, u"name");
        const QString target = targets.value(xmlAttribute(xml, u"id"));
        bool found = false;
        const QByteArray bytes = zip.read(target, &found);
        if (!found)
            continue; // a chart sheet or a dangling reference
        Sheet sheet = readXlsxSheet(bytes, shared);
        sheet.name = name;
        markdown += renderSheet(sheet);
    }
    if (xml.hasError())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The XLSX workbook is damaged: %1.").arg(xml.errorString())};
    return MarkdownDocument{markdown.trimmed() + QLatin1Char('\n'), {}};
}

// ---- ODS --------------------------------------------------------------------

QString odfParagraphText(QXmlStreamReader &xml)
{
    // text:s is a run of spaces, text:tab and text:line-break are white space.
    QString text;
    int depth = 1;
    while (depth > 0 && !xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement) {
            ++depth;
            if (xml.name() == u"s")
                text += QString(qMax(1, xmlAttribute(xml, u"c").toInt()), QLatin1Char(' '));
            else if (xml.name() == u"tab" || xml.name() == u"line-break")
                text += QLatin1Char(' ');
            else if (xml.name() == u"annotation") {
                xml.skipCurrentElement();
                --depth;
            }
        } else if (token == QXmlStreamReader::EndElement) {
            --depth;
        } else if (token == QXmlStreamReader::Characters) {
            text += xml.text();
        }
    }
    return text;
}

MarkdownResult readOds(const ZipArchive &zip)
{
    bool ok = false;
    const QByteArray content = zip.read(QStringLiteral("content.xml"), &ok);
    if (!ok)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The ODS file has no readable content.xml.")};
    QString markdown;
    QXmlStreamReader xml(content);
    Sheet sheet;
    bool inTable = false;
    int row = 0;
    int column = 0;
    int rowRepeat = 1;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == u"table" && inTable) {
                markdown += renderSheet(sheet);
                inTable = false;
            } else if (xml.name() == u"table-row") {
                row += rowRepeat;
            }
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == u"table" && !inTable) {
            sheet = Sheet();
            sheet.name = xmlAttribute(xml, u"name");
            inTable = true;
            row = 0;
        } else if (name == u"table-row" && inTable) {
            column = 0;
            rowRepeat = qMax(1, xmlAttribute(xml, u"number-rows-repeated").toInt());
        } else if ((name == u"table-cell" || name == u"covered-table-cell") && inTable) {
            const int repeat = qMax(1, xmlAttribute(xml, u"number-columns-repeated").toInt());
            const int rowSpan = xmlAttribute(xml, u"number-rows-spanned").toInt();
            const int columnSpan = xmlAttribute(xml, u"number-columns-spanned").toInt();
            // The displayed text is the cached value; office:value is the raw number.
            QStringList paragraphs;
            while (xml.readNextStartElement()) {
                if (xml.name() == u"p")
                    paragraphs.append(odfParagraphText(xml));
                else
                    xml.skipCurrentElement();
            }
            const QString text = paragraphs.join(QLatin1Char(' ')).trimmed();
            // Repeats of empty cells (to column 1024, row 1048576) are layout, not data.
            if (!text.isEmpty() && row < SpreadsheetReader::kMaxRows * 4) {
                for (int rr = 0; rr < qMin(rowRepeat, SpreadsheetReader::kMaxRows); ++rr) {
                    for (int c = 0; c < qMin(repeat, SpreadsheetReader::kMaxColumns); ++c)
                        sheet.cells.insert({ row + rr, column + c }, text);
                }
                if (rowSpan > 1 || columnSpan > 1)
                    sheet.merges.append({ { row, column },
                        { row + qMax(1, rowSpan) - 1, column + qMax(1, columnSpan) - 1 } });
            }
            column += repeat;
        }
    }
    if (xml.hasError())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The ODS file's content.xml is damaged: %1.").arg(xml.errorString())};
    return MarkdownDocument{markdown.trimmed() + QLatin1Char('\n'), {}};
}

} // namespace

MarkdownResult SpreadsheetReader::read(const QByteArray &data, OfficeKind kind) const
{
    const ZipArchive zip(data);
    if (!zip.isValid())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The spreadsheet is not a readable ZIP container.")};
    return kind == OfficeKind::Ods ? readOds(zip) : readXlsx(zip);
}

} // namespace DocRay
