// Office documents, spreadsheets and HTML made here from their XML: the native
// DOCX, XLSX, ODS and HTML readers, and LibreOffice's conversion (DOCX, ODT,
// PPTX, RTF) with its failure modes (missing program, time limit) and page ranges.
#include "engine/documentparser.h"
#include "tests/support/parsedocument.h"
#include "tests/support/testsupport.h"

#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QtTest>

using namespace DocRay;

namespace {

using Members = QList<QPair<QString, QByteArray>>;

ParseResult parseBytes(const QByteArray &data, const QString &name, const ParserParams &params = {})
{
    ParseRequest request;
    request.data = data;
    request.fileName = name;
    request.format = detectFormat(data, name).format;
    request.params = params;
    return DocumentParser().parse(request, ParseControl());
}

ParserParams viaLibreOffice()
{
    ParserParams params;
    params.docxNative = false;
    return params;
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv
{
public:
    ScopedEnv(const char *name, const QByteArray &value)
        : m_name(name)
        , m_had(qEnvironmentVariableIsSet(name))
        , m_old(qgetenv(name))
    {
        qputenv(name, value);
    }
    ~ScopedEnv()
    {
        if (m_had)
            qputenv(m_name, m_old);
        else
            qunsetenv(m_name);
    }

private:
    const char *m_name;
    bool m_had;
    QByteArray m_old;
};

const QByteArray kXmlHead = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
const QByteArray kWordNs
    = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" "
      "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" "
      "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" "
      "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"";

QByteArray paragraph(const QByteArray &text, const QByteArray &style = {}, int numId = 0, int level = 0)
{
    QByteArray properties;
    if (!style.isEmpty())
        properties += "<w:pStyle w:val=\"" + style + "\"/>";
    if (numId > 0)
        properties += "<w:numPr><w:ilvl w:val=\"" + QByteArray::number(level) + "\"/><w:numId w:val=\""
            + QByteArray::number(numId) + "\"/></w:numPr>";
    return "<w:p>" + (properties.isEmpty() ? QByteArray() : "<w:pPr>" + properties + "</w:pPr>")
        + "<w:r><w:t xml:space=\"preserve\">" + text + "</w:t></w:r></w:p>";
}

QByteArray duckPng()
{
    QImage image(40, 30, QImage::Format_RGB32);
    image.fill(Qt::yellow);
    return Test::encodeImage(image, "PNG");
}

// A complete DOCX package around a body, with heading styles, a bulleted and
// a numbered list definition, a footnote, a hyperlink and an image.
QByteArray docxPackage(const QByteArray &body)
{
    const QByteArray contentTypes = kXmlHead
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"rels\" "
          "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          "<Default Extension=\"png\" ContentType=\"image/png\"/>"
          "<Override PartName=\"/word/document.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
          "<Override PartName=\"/word/styles.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
          "<Override PartName=\"/word/numbering.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml\"/>"
          "<Override PartName=\"/word/footnotes.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml\"/>"
          "</Types>";
    const QByteArray packageRels = kXmlHead
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
          "Target=\"word/document.xml\"/>"
          "</Relationships>";
    const QByteArray documentRels = kXmlHead
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
          "Target=\"styles.xml\"/>"
          "<Relationship Id=\"rId2\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering\" "
          "Target=\"numbering.xml\"/>"
          "<Relationship Id=\"rId3\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes\" "
          "Target=\"footnotes.xml\"/>"
          "<Relationship Id=\"rId4\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
          "Target=\"media/duck.png\"/>"
          "<Relationship Id=\"rId5\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink\" "
          "Target=\"https://example.org/survey\" TargetMode=\"External\"/>"
          "</Relationships>";
    auto headingStyle = [](const QByteArray &id, const QByteArray &name, int halfPoints) {
        return "<w:style w:type=\"paragraph\" w:styleId=\"" + id + "\"><w:name w:val=\"" + name
            + "\"/><w:basedOn w:val=\"Normal\"/><w:pPr><w:keepNext/><w:spacing w:before=\"240\" "
              "w:after=\"120\"/></w:pPr>"
              "<w:rPr><w:b/><w:sz w:val=\""
            + QByteArray::number(halfPoints) + "\"/></w:rPr></w:style>";
    };
    const QByteArray styles = kXmlHead + "<w:styles " + kWordNs + ">"
        + "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
          "<w:pPr><w:spacing w:after=\"200\"/></w:pPr><w:rPr><w:sz w:val=\"22\"/></w:rPr></w:style>"
        + headingStyle("Title", "Title", 56) + headingStyle("Heading1", "heading 1", 36)
        + headingStyle("Heading2", "heading 2", 28)
        + "<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"SourceCode\"><w:name w:val=\"Source Code\"/>"
          "<w:basedOn w:val=\"Normal\"/></w:style></w:styles>";
    const QByteArray numbering = kXmlHead + "<w:numbering " + kWordNs + ">"
        + "<w:abstractNum w:abstractNumId=\"0\">"
          "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText "
          "w:val=\"\xe2\x80\xa2\"/>"
          "<w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl>"
          "<w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"o\"/>"
          "<w:pPr><w:ind w:left=\"1440\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>"
          "<w:abstractNum w:abstractNumId=\"1\">"
          "<w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/>"
          "<w:pPr><w:ind w:left=\"720\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>"
          "<w:num w:numId=\"1\"><w:abstractNumId w:val=\"0\"/></w:num>"
          "<w:num w:numId=\"2\"><w:abstractNumId w:val=\"1\"/></w:num>"
          "</w:numbering>";
    const QByteArray footnotes = kXmlHead + "<w:footnotes " + kWordNs + ">"
        + "<w:footnote w:type=\"separator\" w:id=\"-1\"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"
          "<w:footnote w:id=\"1\"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space=\"preserve\"> Counted "
          "in 2023.</w:t></w:r></w:p></w:footnote>"
          "</w:footnotes>";
    const QByteArray document = kXmlHead + "<w:document " + kWordNs + "><w:body>" + body
        + "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1440\" w:right=\"1440\" "
          "w:bottom=\"1440\" "
          "w:left=\"1440\" w:header=\"708\" w:footer=\"708\" "
          "w:gutter=\"0\"/></w:sectPr></w:body></w:document>";
    return Test::zipArchive({ { QStringLiteral("[Content_Types].xml"), contentTypes },
        { QStringLiteral("_rels/.rels"), packageRels },
        { QStringLiteral("word/_rels/document.xml.rels"), documentRels },
        { QStringLiteral("word/document.xml"), document }, { QStringLiteral("word/styles.xml"), styles },
        { QStringLiteral("word/numbering.xml"), numbering },
        { QStringLiteral("word/footnotes.xml"), footnotes },
        { QStringLiteral("word/media/duck.png"), duckPng() } });
}

QByteArray tableCell(const QByteArray &text, const QByteArray &properties = {})
{
    return "<w:tc><w:tcPr><w:tcW w:w=\"3000\" w:type=\"dxa\"/>" + properties + "</w:tcPr>" + paragraph(text)
        + "</w:tc>";
}

QByteArray fieldGuideDocx()
{
    const QByteArray emphasis
        = "<w:p><w:r><w:t xml:space=\"preserve\">Ducks live near </w:t></w:r>"
          "<w:r><w:rPr><w:b/></w:rPr><w:t>calm water</w:t></w:r>"
          "<w:r><w:t xml:space=\"preserve\"> and </w:t></w:r>"
          "<w:r><w:rPr><w:i/></w:rPr><w:t>quiet reeds</w:t></w:r>"
          "<w:r><w:t xml:space=\"preserve\">, see </w:t></w:r>"
          "<w:hyperlink r:id=\"rId5\"><w:r><w:t>the survey</w:t></w:r></w:hyperlink>"
          "<w:r><w:t>.</w:t></w:r>"
          "<w:r><w:rPr><w:vertAlign w:val=\"superscript\"/></w:rPr><w:footnoteReference "
          "w:id=\"1\"/></w:r></w:p>";
    const QByteArray table
        = "<w:tbl><w:tblPr><w:tblW w:w=\"9000\" w:type=\"dxa\"/><w:tblBorders>"
          "<w:top w:val=\"single\" w:sz=\"4\"/><w:left w:val=\"single\" w:sz=\"4\"/><w:bottom "
          "w:val=\"single\" w:sz=\"4\"/>"
          "<w:right w:val=\"single\" w:sz=\"4\"/><w:insideH w:val=\"single\" w:sz=\"4\"/><w:insideV "
          "w:val=\"single\" w:sz=\"4\"/>"
          "</w:tblBorders></w:tblPr>"
          "<w:tblGrid><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"3000\"/><w:gridCol w:w=\"3000\"/></w:tblGrid>"
          "<w:tr>"
        + tableCell("Name") + tableCell("Weight") + tableCell("Notes")
        + "</w:tr>"
          "<w:tr>"
        + tableCell("Mallard", "<w:vMerge w:val=\"restart\"/>")
        + tableCell("1.1 kg", "<w:gridSpan w:val=\"2\"/>")
        + "</w:tr>"
          "<w:tr>"
        + tableCell("", "<w:vMerge/>") + tableCell("0.9 kg") + tableCell("small")
        + "</w:tr>"
          "</w:tbl>";
    const QByteArray image
        = "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"381000\" cy=\"285750\"/><wp:docPr id=\"1\" "
          "name=\"duck\"/>"
          "<a:graphic><a:graphicData "
          "uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic>"
          "<pic:nvPicPr><pic:cNvPr id=\"1\" name=\"duck.png\"/><pic:cNvPicPr/></pic:nvPicPr>"
          "<pic:blipFill><a:blip r:embed=\"rId4\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>"
          "<pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"381000\" cy=\"285750\"/></a:xfrm>"
          "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>"
          "</wp:inline></w:drawing></w:r></w:p>";
    return docxPackage(paragraph("Field Guide to Ducks", "Title") + paragraph("Habitat", "Heading1")
        + emphasis + paragraph("Mallard", {}, 1, 0) + paragraph("Drake plumage", {}, 1, 1)
        + paragraph("Teal", {}, 1, 0) + paragraph("Observers should follow these steps.")
        + paragraph("Find a pond", {}, 2) + paragraph("Bring binoculars", {}, 2)
        + paragraph("Weights", "Heading2") + table + image);
}

QByteArray threePageDocx()
{
    QByteArray body;
    for (int page = 1; page <= 3; ++page) {
        body += paragraph("Chapter " + QByteArray::number(page), "Heading1");
        body += paragraph(
            "This page carries the marker page-" + QByteArray::number(page) + "-marker in its text.");
        if (page < 3)
            body += "<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>";
    }
    return docxPackage(body);
}

const QByteArray kOdfNs
    = "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:draw=\"urn:oasis:names:tc:opendocument:xmlns:drawing:1.0\" "
      "xmlns:presentation=\"urn:oasis:names:tc:opendocument:xmlns:presentation:1.0\" "
      "xmlns:svg=\"urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0\" "
      "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
      "xmlns:fo=\"urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0\" "
      "xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" office:version=\"1.3\"";

QByteArray odfPackage(const QByteArray &mimetype, const QByteArray &body, const QByteArray &styles = {})
{
    const QByteArray manifest = kXmlHead + "<manifest:manifest " + kOdfNs + ">"
        + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"" + mimetype + "\"/>"
        + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
          "</manifest:manifest>";
    const QByteArray content = kXmlHead + "<office:document-content " + kOdfNs + "><office:automatic-styles>"
        + styles + "</office:automatic-styles><office:body>" + body
        + "</office:body></office:document-content>";
    return Test::zipArchive({ { QStringLiteral("mimetype"), mimetype },
        { QStringLiteral("META-INF/manifest.xml"), manifest }, { QStringLiteral("content.xml"), content } });
}

QByteArray paragraphStyle(const QByteArray &name, const QByteArray &size, bool bold)
{
    return "<style:style style:name=\"" + name
        + "\" style:family=\"paragraph\">"
          "<style:paragraph-properties fo:margin-top=\"0.3cm\" fo:margin-bottom=\"0.3cm\"/>"
          "<style:text-properties fo:font-size=\""
        + size + "\"" + (bold ? QByteArray(" fo:font-weight=\"bold\"") : QByteArray()) + "/></style:style>";
}

const QByteArray kBulletStyle
    = "<text:list-style style:name=\"L1\"><text:list-level-style-bullet text:level=\"1\" "
      "text:bullet-char=\"\xe2\x80\xa2\"><style:list-level-properties text:space-before=\"0.6cm\" "
      "text:min-label-width=\"0.5cm\"/></text:list-level-style-bullet></text:list-style>";

QByteArray gardenOdt()
{
    return odfPackage("application/vnd.oasis.opendocument.text",
        "<office:text>"
        "<text:h text:style-name=\"H1\" text:outline-level=\"1\">Garden Journal</text:h>"
        "<text:p text:style-name=\"Body\">The tomatoes ripened early this year after a warm and sunny "
        "spring.</text:p>"
        "<text:h text:style-name=\"H2\" text:outline-level=\"2\">Tasks</text:h>"
        "<text:list text:style-name=\"L1\"><text:list-item><text:p>Water the beans</text:p></text:list-item>"
        "<text:list-item><text:p>Weed the carrots</text:p></text:list-item></text:list>"
        "<text:p text:style-name=\"Body\">The harvest so far is in the table below.</text:p>"
        "<table:table table:name=\"Harvest\"><table:table-column table:number-columns-repeated=\"2\"/>"
        "<table:table-row><table:table-cell><text:p>Crop</text:p></table:table-cell>"
        "<table:table-cell><text:p>Kilograms</text:p></table:table-cell></table:table-row>"
        "<table:table-row><table:table-cell><text:p>Tomatoes</text:p></table:table-cell>"
        "<table:table-cell><text:p>42</text:p></table:table-cell></table:table-row>"
        "</table:table></office:text>",
        paragraphStyle("H1", "22pt", true) + paragraphStyle("H2", "17pt", true)
            + paragraphStyle("Body", "11pt", false) + kBulletStyle);
}

QByteArray slidesOdp()
{
    auto frame = [](const QByteArray &cls, const QByteArray &y, const QByteArray &content) {
        return "<draw:frame presentation:class=\"" + cls + "\" svg:x=\"2cm\" svg:y=\"" + y
            + "\" svg:width=\"24cm\" svg:height=\"3cm\"><draw:text-box>" + content
            + "</draw:text-box></draw:frame>";
    };
    return odfPackage("application/vnd.oasis.opendocument.presentation",
        "<office:presentation><draw:page draw:name=\"one\">"
            + frame("title", "1cm", "<text:p>Migration Routes</text:p>")
            + frame("outline", "5cm",
                "<text:list text:style-name=\"L1\"><text:list-item><text:p text:style-name=\"Body\">Northern "
                "flyway</text:p></text:list-item>"
                "<text:list-item><text:p text:style-name=\"Body\">Coastal "
                "corridor</text:p></text:list-item></text:list>"
                "<text:p text:style-name=\"Body\">Most birds leave the wetlands in late autumn and return "
                "when the ice melts.</text:p>")
            + "</draw:page></office:presentation>",
        paragraphStyle("Title", "40pt", true) + paragraphStyle("Body", "20pt", false) + kBulletStyle);
}

QByteArray workbookXlsx(const QByteArray &pear = "Pear")
{
    const QByteArray contentTypes = kXmlHead
        + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
          "<Default Extension=\"rels\" "
          "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
          "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
          "<Override PartName=\"/xl/workbook.xml\" "
          "ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
          "</Types>";
    const QByteArray workbook = kXmlHead
        + "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
          "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
          "<sheet name=\"Prices\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Notes\" sheetId=\"2\" "
          "r:id=\"rId2\"/>"
          "</sheets></workbook>";
    const QByteArray rels = kXmlHead
        + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
          "<Relationship Id=\"rId1\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
          "Target=\"worksheets/sheet1.xml\"/>"
          "<Relationship Id=\"rId2\" "
          "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
          "Target=\"worksheets/sheet2.xml\"/>"
          "</Relationships>";
    const QByteArray shared = kXmlHead
        + "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">"
          "<si><t>Fruit</t></si><si><t>Price</t></si><si><r><t>App</t></r><r><t>le</t></r></si>"
          "<si><t>" + pear + "</t></si><si><t>Total</t></si><si><t>In stock</t></si></sst>";
    // Data starts at B2: the used range, not A1, is the table.
    const QByteArray sheet1 = kXmlHead
        + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
          "<row r=\"2\"><c r=\"B2\" t=\"s\"><v>0</v></c><c r=\"C2\" t=\"s\"><v>1</v></c><c r=\"D2\" "
          "t=\"s\"><v>5</v></c></row>"
          "<row r=\"3\"><c r=\"B3\" t=\"s\"><v>2</v></c><c r=\"C3\"><v>1.25</v></c><c r=\"D3\" "
          "t=\"b\"><v>1</v></c></row>"
          "<row r=\"4\"><c r=\"B4\" t=\"s\"><v>3</v></c><c r=\"C4\"><v>0.30000000000000004</v></c><c "
          "r=\"D4\" t=\"b\"><v>0</v></c></row>"
          "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>4</v></c><c r=\"C5\"><f>SUM(C3:C4)</f><v>1.55</v></c></row>"
          "</sheetData></worksheet>";
    const QByteArray sheet2 = kXmlHead
        + "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>"
          "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>Remark</t></is></c><c r=\"B1\" "
          "t=\"inlineStr\"><is><t>Owner</t></is></c></row>"
          "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t>Restock on Mondays</t></is></c></row>"
          "</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A2:B2\"/></mergeCells></worksheet>";
    return Test::zipArchive({ { QStringLiteral("[Content_Types].xml"), contentTypes },
        { QStringLiteral("xl/workbook.xml"), workbook },
        { QStringLiteral("xl/_rels/workbook.xml.rels"), rels },
        { QStringLiteral("xl/sharedStrings.xml"), shared },
        { QStringLiteral("xl/worksheets/sheet1.xml"), sheet1 },
        { QStringLiteral("xl/worksheets/sheet2.xml"), sheet2 } });
}

QByteArray budgetOds()
{
    return odfPackage("application/vnd.oasis.opendocument.spreadsheet",
        "<office:spreadsheet><table:table table:name=\"Budget\">"
        "<table:table-column table:number-columns-repeated=\"3\"/>"
        "<table:table-row><table:table-cell "
        "office:value-type=\"string\"><text:p>Item</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"string\"><text:p>Cost</text:p></table:table-cell>"
        "<table:table-cell table:number-columns-repeated=\"1020\"/></table:table-row>"
        "<table:table-row><table:table-cell "
        "office:value-type=\"string\"><text:p>Seeds</text:p></table:table-cell>"
        "<table:table-cell office:value-type=\"float\" "
        "office:value=\"12.5\"><text:p>12.50</text:p></table:table-cell>"
        "</table:table-row>"
        "<table:table-row><table:table-cell "
        "office:value-type=\"string\"><text:p>Sum</text:p></table:table-cell>"
        "<table:table-cell table:formula=\"of:=SUM([.B2])\" office:value-type=\"float\" "
        "office:value=\"12.5\">"
        "<text:p>12.50</text:p></table:table-cell></table:table-row>"
        "<table:table-row table:number-rows-repeated=\"1048573\"><table:table-cell "
        "table:number-columns-repeated=\"1024\"/></table:table-row>"
        "</table:table>"
        "<table:table "
        "table:name=\"Plan\"><table:table-row><table:table-cell><text:p>Spring</text:p></table:table-cell>"
        "</table:table-row></table:table></office:spreadsheet>");
}

QString libreOffice()
{
    return QStandardPaths::findExecutable(QStringLiteral("soffice"));
}

int pageCount(const QJsonObject &middle)
{
    return int(middle.value(QStringLiteral("pdf_info")).toArray().size());
}


// The middle JSON's blocks in order, one line each: "page:type[:level] text",
// with a table's html and an image's path as their text. Every box is
// checked to lie inside its page on the way.
QStringList blockOutline(const QByteArray &middleJson)
{
    QStringList outline;
    const QJsonArray pages = QJsonDocument::fromJson(middleJson).object().value(QStringLiteral("pdf_info")).toArray();
    for (const QJsonValue &page : pages) {
        const QJsonArray size = page[QStringLiteral("page_size")].toArray();
        for (const QJsonValue &value : page[QStringLiteral("para_blocks")].toArray()) {
            const QJsonObject block = value.toObject();
            const QJsonArray box = block.value(QStringLiteral("bbox")).toArray();
            if (box[0].toDouble() < 0 || box[1].toDouble() < 0 || box[2].toDouble() > size[0].toDouble()
                || box[3].toDouble() > size[1].toDouble() || box[0].toDouble() >= box[2].toDouble()
                || box[1].toDouble() >= box[3].toDouble())
                outline.append(QStringLiteral("bad bbox"));
            QString type = block.value(QStringLiteral("type")).toString();
            if (block.contains(QStringLiteral("level")))
                type += QLatin1Char(':') + QString::number(block.value(QStringLiteral("level")).toInt());
            QString text = block.value(QStringLiteral("merged_text")).toString();
            if (type == QLatin1String("table") || type == QLatin1String("image")) {
                const QJsonArray parts = block.value(QStringLiteral("blocks")).toArray();
                const QJsonObject span = parts[0][QStringLiteral("lines")][0][QStringLiteral("spans")][0].toObject();
                text = span.value(type == QLatin1String("table") ? QStringLiteral("html") : QStringLiteral("image_path")).toString();
                if (parts.size() > 1)
                    text += QStringLiteral(" / ") + parts[1][QStringLiteral("merged_text")].toString();
            }
            outline.append(QStringLiteral("%1:%2 %3").arg(page[QStringLiteral("page_idx")].toInt()).arg(type, text));
        }
    }
    return outline;
}

} // namespace

class TestOffice : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        // install-deps installs LibreOffice; the conversion tests need it.
        QVERIFY2(!libreOffice().isEmpty(), "soffice not found: run packaging/install-deps.sh");
    }

    void detectsOfficeKindsByContent_data()
    {
        QTest::addColumn<QByteArray>("data");
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("format");
        QTest::addColumn<int>("kind");
        QTest::newRow("docx named .bin")
            << fieldGuideDocx() << "upload.bin" << int(DocumentFormat::Office) << int(OfficeKind::Docx);
        QTest::newRow("xlsx named .docx")
            << workbookXlsx() << "sheet.docx" << int(DocumentFormat::Office) << int(OfficeKind::Xlsx);
        QTest::newRow("odt without a name")
            << gardenOdt() << "" << int(DocumentFormat::Office) << int(OfficeKind::Odt);
        QTest::newRow("ods") << budgetOds() << "budget.ods" << int(DocumentFormat::Office)
                             << int(OfficeKind::Ods);
        QTest::newRow("odp") << slidesOdp() << "talk.odp" << int(DocumentFormat::Office)
                             << int(OfficeKind::Odp);
        QTest::newRow("plain zip") << Test::zipArchive({ { QStringLiteral("notes.txt"), "hello" } })
                                   << "archive.zip" << int(DocumentFormat::Unknown) << int(OfficeKind::None);
        QByteArray ole("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
        ole += QByteArray(504, '\0') + QByteArray("W\0o\0r\0d\0D\0o\0c\0u\0m\0e\0n\0t\0", 24);
        QTest::newRow("ole word stream named .xls")
            << ole << "old.xls" << int(DocumentFormat::Office) << int(OfficeKind::Doc);
        QByteArray oleUnknown("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8);
        oleUnknown += QByteArray(504, '\0');
        QTest::newRow("ole, the name breaks the tie")
            << oleUnknown << "old.ppt" << int(DocumentFormat::Office) << int(OfficeKind::Ppt);
        QTest::newRow("rtf") << QByteArray("{\\rtf1\\ansi hello}") << "letter.txt"
                             << int(DocumentFormat::Office) << int(OfficeKind::Rtf);
        QTest::newRow("html by content") << QByteArray("<!DOCTYPE html><html><body>x</body></html>") << "page"
                                         << int(DocumentFormat::Html) << int(OfficeKind::None);
        QTest::newRow("html fragment by name") << QByteArray("<h1>Notes</h1><p>x</p>") << "notes.htm"
                                               << int(DocumentFormat::Html) << int(OfficeKind::None);
    }
    void detectsOfficeKindsByContent()
    {
        QFETCH(QByteArray, data);
        QFETCH(QString, name);
        QFETCH(int, format);
        QFETCH(int, kind);
        const FormatDetection detection = detectFormat(data, name);
        QCOMPARE(int(detection.format), format);
        QCOMPARE(int(detection.officeKind), kind);
        QCOMPARE(detection.parseable, format != int(DocumentFormat::Unknown));
        for (const char *extension : { ".docx", ".xlsx", ".pptx", ".doc", ".xls", ".ppt", ".odt", ".ods",
                 ".odp", ".rtf", ".html", ".htm", ".tif", ".tiff", ".webp", ".gif", ".md", ".txt" })
            QVERIFY2(supportedExtensions().contains(QLatin1String(extension)), extension);
    }

    void docxReadNatively()
    {
        const ParseResult result = parseBytes(fieldGuideDocx(), QStringLiteral("guide.docx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("# Field Guide to Ducks\n\n## Habitat\n\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\n### Weights\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Ducks live near **calm water** and *quiet reeds*, see "
                                            "[the survey](https://example.org/survey).[^1]")),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\n- Mallard\n    - Drake plumage\n- Teal\n")), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("\n1. Find a pond\n2. Bring binoculars\n")), qPrintable(md));
        // Merged cells repeat over the grid cells they cover.
        QVERIFY2(md.contains(QStringLiteral("| Name | Weight | Notes |\n| --- | --- | --- |\n"
                                            "| Mallard | 1.1 kg | 1.1 kg |\n| Mallard | 0.9 kg | small |")),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("![](images/duck.png)")), qPrintable(md));
        QVERIFY2(md.trimmed().endsWith(QStringLiteral("[^1]: Counted in 2023.")), qPrintable(md));

        // The document's picture, and the typeset table's for consumers that show one.
        QCOMPARE(result->images.keys(), (QStringList{QStringLiteral("images/1_table_1.png"), QStringLiteral("images/duck.png")}));
        const QImage image
            = QImage::fromData(result->images.value(QStringLiteral("images/duck.png")), "PNG");
        QCOMPARE(image.size(), QSize(40, 30));
        // Every job has pages and a middle JSON, rendered from the markdown.
        QVERIFY(result->pdfData.startsWith("%PDF-"));
        const QJsonObject middle = QJsonDocument::fromJson(result->middleJson()).object();
        QVERIFY(pageCount(middle) >= 1);
        QVERIFY(
            QString::fromUtf8(result->middleJson()).contains(QStringLiteral("Field Guide to Ducks")));
        // The picture is in pdf_data and in the middle JSON as an image block
        // naming its file in images, inside the page: consumers that read only
        // the middle JSON see it.
        QStringList imagePaths;
        for (const QJsonValue &page : middle.value(QStringLiteral("pdf_info")).toArray()) {
            const QJsonArray size = page[QStringLiteral("page_size")].toArray();
            for (const QJsonValue &block : page[QStringLiteral("images")].toArray()) {
                const QJsonArray bbox = block[QStringLiteral("bbox")].toArray();
                QVERIFY(bbox[0].toDouble() >= 0 && bbox[1].toDouble() >= 0);
                QVERIFY(bbox[2].toDouble() <= size[0].toDouble() && bbox[3].toDouble() <= size[1].toDouble());
                const QJsonArray parts = block[QStringLiteral("blocks")].toArray();
                imagePaths.append(parts[0][QStringLiteral("lines")][0][QStringLiteral("spans")][0]
                                      [QStringLiteral("image_path")].toString());
            }
        }
        QCOMPARE(imagePaths, QStringList{QStringLiteral("duck.png")});
    }

    // A listing keeps its lines: Pandoc writes one "Source Code" paragraph
    // with line breaks, others a paragraph per line; either is one fence.
    void docxListingsKeepTheirLines()
    {
        auto code = [](const QByteArray &runs) {
            return "<w:p><w:pPr><w:pStyle w:val=\"SourceCode\"/></w:pPr>" + runs + "</w:p>";
        };
        auto text = [](const QByteArray &value) {
            return "<w:r><w:t xml:space=\"preserve\">" + value + "</w:t></w:r>";
        };
        const QByteArray body = "<w:p>" + text("Set it up:") + "</w:p>"
            + code(text("const a = 1;") + "<w:r><w:br/></w:r>" + text("if (a) {") + "<w:r><w:br/></w:r>" + text("  run();"))
            + code(text("}")) + "<w:p>" + text("Then go on.") + "</w:p>";
        const ParseResult result = parseBytes(docxPackage(body), QStringLiteral("listing.docx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("Set it up:\n\n```\nconst a = 1;\nif (a) {\n  run();\n}\n```\n\nThen go on.")),
                 qPrintable(result->markdown()));
        // In the middle JSON too it is code, one line per line, as the PDF path writes it.
        QStringList codeLines;
        for (const QJsonValue &block : QJsonDocument::fromJson(result->middleJson()).object()[QStringLiteral("pdf_info")][0][QStringLiteral("para_blocks")].toArray())
            if (block[QStringLiteral("sub_type")].toString() == QLatin1String("code"))
                for (const QJsonValue &line : block[QStringLiteral("lines")].toArray())
                    codeLines.append(line[QStringLiteral("spans")][0][QStringLiteral("content")].toString().trimmed());
        QCOMPARE(codeLines, (QStringList{QStringLiteral("const a = 1;"), QStringLiteral("if (a) {"), QStringLiteral("run();"), QStringLiteral("}")}));
    }

    // Text that markdown would read as markup stays text: an argument in
    // angle brackets is not an HTML tag (which swallowed everything after it
    // in the typeset pages, and so in the middle JSON), a line opening with
    // "#" is not a heading, stars are not emphasis.
    void docxTextIsEscaped()
    {
        auto paragraph = [](const QByteArray &value, const QByteArray &style = {}) {
            return "<w:p>" + (style.isEmpty() ? QByteArray() : "<w:pPr><w:pStyle w:val=\"" + style + "\"/></w:pPr>")
                + "<w:r><w:t xml:space=\"preserve\">" + value + "</w:t></w:r></w:p>";
        };
        const QByteArray body = paragraph("Run systemctl show --value &lt;component&gt; in the container.")
            + paragraph("# not a heading, *not emphasis*") + paragraph("Next section", "Heading2")
            + paragraph("This paragraph follows it.");
        const ParseResult result = parseBytes(docxPackage(body), QStringLiteral("escaped.docx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QRegularExpression(QStringLiteral("^Run systemctl show --value \\\\<component> in the container.\n\n"
                                                               "\\\\# not a heading, \\\\\\*not emphasis\\\\\\*\n\n#+ Next section\n\n"
                                                               "This paragraph follows it.$"),
                                                QRegularExpression::MultilineOption)),
                 qPrintable(md));
        const QString middle = QString::fromUtf8(result->middleJson());
        for (const QString &text : {QStringLiteral("--value <component> in the container."), QStringLiteral("# not a heading, *not emphasis*"),
                                    QStringLiteral("Next section"), QStringLiteral("This paragraph follows it.")})
            QVERIFY2(middle.contains(text), qPrintable(text + QStringLiteral(" not in ") + middle.left(3000)));
    }

    void xlsxCellsAreEscaped()
    {
        const ParseResult result = parseBytes(workbookXlsx("&lt;b&gt;Pear*&lt;/b&gt;"), QStringLiteral("cells.xlsx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("| \\<b>Pear\\*\\</b> | 0.3 | FALSE |")), qPrintable(result->markdown()));
        QVERIFY2(QString::fromUtf8(result->middleJson()).contains(QStringLiteral("<td>&lt;b&gt;Pear*&lt;/b&gt;</td>")),
                 qPrintable(QString::fromUtf8(result->middleJson()).left(3000)));
    }

    // Relationship targets that climb out of the package ("../../media/x")
    // are refused; the picture they name is not looked up, nothing crashes.
    void docxTargetsOutsideThePackageAreRefused()
    {
        const QByteArray rels = kXmlHead
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
              "<Relationship Id=\"rIdOut\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
              "Target=\"../../../../media/duck.png\"/>"
              "<Relationship Id=\"rIdIn\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/image\" "
              "Target=\"../word/media/duck (1).png\"/></Relationships>";
        auto picture = [](const QByteArray &id) {
            return "<w:p><w:r><w:drawing><wp:inline><wp:extent cx=\"381000\" cy=\"285750\"/><a:graphic><a:graphicData>"
                   "<pic:pic><pic:blipFill><a:blip r:embed=\"" + id + "\"/></pic:blipFill></pic:pic>"
                   "</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>";
        };
        const QByteArray document = kXmlHead + "<w:document " + kWordNs + "><w:body>" + paragraph("Before the pictures.")
            + picture("rIdOut") + picture("rIdIn") + paragraph("After the pictures.") + "</w:body></w:document>";
        const QByteArray docx = Test::zipArchive(
            {{QStringLiteral("[Content_Types].xml"), kXmlHead + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
             {QStringLiteral("_rels/.rels"),
              kXmlHead + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                         "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
                         "Target=\"../../word/document.xml\"/></Relationships>"},
             {QStringLiteral("word/_rels/document.xml.rels"), rels},
             {QStringLiteral("word/document.xml"), document},
             {QStringLiteral("media/duck.png"), duckPng()},
             {QStringLiteral("word/media/duck (1).png"), duckPng()}});
        const ParseResult result = parseBytes(docx, QStringLiteral("evil.docx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("Before the pictures.\n\n![](images/duck__1_.png)\n\nAfter the pictures.")),
                 qPrintable(result->markdown()));
        QCOMPARE(result->images.keys(), QStringList{QStringLiteral("images/duck__1_.png")});
    }

    void docxThroughLibreOffice()
    {
        const ParseResult result
            = parseBytes(fieldGuideDocx(), QStringLiteral("guide.docx"), viaLibreOffice());
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        // pdf_data is LibreOffice's PDF, not one doc-ray rendered from markdown.
        QVERIFY(result->pdfData.startsWith("%PDF-"));
        // "LibreOffice" in the UTF-16 hex of the PDF's /Producer.
        QVERIFY(
            result->pdfData.contains("/Producer<FEFF004C0069006200720065004F006600660069006300650"));
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^#+ Field Guide to Ducks$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(
                     QRegularExpression(QStringLiteral("^#+ Habitat$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("Ducks live near calm water and quiet reeds")), qPrintable(md));
        // The PDF round trip keeps the numbered list; the bullets after a
        // footnote mark run into the paragraph, one reason DOCX is read natively.
        QVERIFY2(
            md.contains(QRegularExpression(QStringLiteral("^ *1\\. Find a pond\n *2\\. Bring binoculars$"),
                QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Mallard")) < md.indexOf(QStringLiteral("Teal")), qPrintable(md));
        const qsizetype name = md.indexOf(QStringLiteral("Name"));
        QVERIFY2(name >= 0 && name < md.indexOf(QStringLiteral("0.9 kg"))
                && md.indexOf(QStringLiteral("0.9 kg")) < md.indexOf(QStringLiteral("small")),
            qPrintable(md));
        QCOMPARE(result->pageCount, 1);
    }

    // A document that links a picture from this machine's disk (or a URL)
    // gets no picture: LibreOffice runs with untrusted links blocked and
    // macros off, and the secret never reaches pdf_data.
    void linkedFilesAreNotFetched()
    {
        QTemporaryDir dir;
        const QString secret = dir.filePath(QStringLiteral("secret.png"));
        QImage image(300, 200, QImage::Format_RGB32);
        image.fill(QColor(200, 30, 30));
        QVERIFY(image.save(secret));
        const QByteArray frame = "<draw:frame draw:name=\"pic\" svg:width=\"6cm\" svg:height=\"4cm\" text:anchor-type=\"paragraph\">"
                                 "<draw:image xlink:href=\"" + QUrl::fromLocalFile(secret).toEncoded()
            + "\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/></draw:frame>";
        QByteArray odt = odfPackage("application/vnd.oasis.opendocument.text",
                                    "<office:text><text:p>Linked picture below." + frame + "</text:p></office:text>");
        const ParseResult result = parseBytes(odt, QStringLiteral("linked.odt"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QVERIFY2(result->markdown().contains(QStringLiteral("Linked picture below.")), qPrintable(result->markdown()));
        QVERIFY(!result->pdfData.contains("/Subtype /Image") && !result->pdfData.contains("/Subtype/Image"));
        QVERIFY(result->images.isEmpty());
    }

    void odtThroughLibreOffice()
    {
        const ParseResult result = parseBytes(gardenOdt(), QStringLiteral("journal.odt"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^#+ Garden Journal$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(
                     QRegularExpression(QStringLiteral("^#+ Tasks$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The tomatoes ripened early this year")), qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^ *- Water the beans$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^ *- Weed the carrots$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.indexOf(QStringLiteral("Crop")) < md.indexOf(QStringLiteral("Tomatoes"))
                && md.contains(QStringLiteral("42")),
            qPrintable(md));
    }

    void pptxThroughLibreOffice()
    {
        // A PPTX made by LibreOffice itself from an ODP written here.
        QTemporaryDir dir;
        QFile odp(dir.filePath(QStringLiteral("talk.odp")));
        QVERIFY(odp.open(QIODevice::WriteOnly));
        odp.write(slidesOdp());
        odp.close();
        QProcess soffice;
        soffice.start(libreOffice(),
            { QStringLiteral("-env:UserInstallation=")
                    + QUrl::fromLocalFile(dir.filePath(QStringLiteral("profile"))).toString(),
                QStringLiteral("--headless"), QStringLiteral("--convert-to"), QStringLiteral("pptx"),
                QStringLiteral("--outdir"), dir.path(), odp.fileName() });
        QVERIFY(soffice.waitForFinished(120000));
        QFile pptxFile(dir.filePath(QStringLiteral("talk.pptx")));
        QVERIFY2(pptxFile.open(QIODevice::ReadOnly),
            qPrintable(QString::fromUtf8(soffice.readAllStandardError())));
        const QByteArray pptx = pptxFile.readAll();
        QCOMPARE(int(detectFormat(pptx, QStringLiteral("talk.pptx")).officeKind), int(OfficeKind::Pptx));

        const ParseResult result = parseBytes(pptx, QStringLiteral("talk.pptx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        // Slide titles are typed by the PDF layout analysis; here it is checked to lead the slide.
        QVERIFY2(md.startsWith(QStringLiteral("Migration Routes\n"))
                || md.startsWith(QStringLiteral("# Migration Routes\n")),
            qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^ *- Northern flyway$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(
            md.contains(QStringLiteral("Northern flyway")) && md.contains(QStringLiteral("Coastal corridor")),
            qPrintable(md));
        QVERIFY(
            md.indexOf(QStringLiteral("Northern flyway")) < md.indexOf(QStringLiteral("Coastal corridor")));
        QVERIFY(result->pdfData.startsWith("%PDF-"));
    }

    void rtfThroughLibreOffice()
    {
        const QByteArray rtf
            = "{\\rtf1\\ansi{\\fonttbl\\f0\\fswiss Helvetica;}\\f0"
              "\\pard\\fs48\\b Quarterly Notes\\b0\\par"
              "\\pard\\fs22 The rabbit crossed the field at dawn and nobody noticed it.\\par}";
        const ParseResult result = parseBytes(rtf, QStringLiteral("notes.rtf"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("^#+ Quarterly Notes$"), QRegularExpression::MultilineOption)),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("The rabbit crossed the field at dawn")), qPrintable(md));
    }

    void xlsxSheetsBecomeTables()
    {
        const ParseResult result = parseBytes(workbookXlsx(), QStringLiteral("prices.xlsx"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QCOMPARE(md,
            QStringLiteral(
                "## Prices\n\n"
                "| Fruit | Price | In stock |\n| --- | --- | --- |\n"
                "| Apple | 1.25 | TRUE |\n| Pear | 0.3 | FALSE |\n| Total | 1.55 |  |\n\n"
                "## Notes\n\n"
                "| Remark | Owner |\n| --- | --- |\n| Restock on Mondays | Restock on Mondays |\n"));
        QVERIFY(result->pdfData.startsWith("%PDF-"));
        QVERIFY(QString::fromUtf8(result->middleJson()).contains(QStringLiteral("Prices")));
    }

    void odsSheetsBecomeTables()
    {
        const ParseResult result = parseBytes(budgetOds(), QStringLiteral("budget.ods"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(result->markdown(),
            QStringLiteral(
                "## Budget\n\n| Item | Cost |\n| --- | --- |\n| Seeds | 12.50 |\n| Sum | 12.50 |\n\n"
                "## Plan\n\n| Spring |\n| --- |\n"));
    }

    void htmlToMarkdown()
    {
        const QByteArray html
            = "<!DOCTYPE html><html><head><title>Guide</title><style>p{color:red}</style>"
              "<script>var hidden = 1;</script></head><body>"
              "<h1>Field Guide</h1><p>Ducks are <b>birds</b> with <a "
              "href=\"https://example.org/ducks\">webbed feet</a>.</p>"
              "<h2>Species</h2><ul><li>Mallard<ul><li>Drake</li></ul></li><li>Teal</li></ul>"
              "<ol><li>First</li><li>Second</li></ol>"
              "<table><tr><th>Name</th><th>Weight</th></tr><tr><td>Mallard</td><td>1.1 kg</td></tr></table>"
              "<pre><code>quack(3);\nswim();</code></pre><p>Call <code>fly()</code> last.</p>"
              "<p># Run quack --times &lt;count&gt; *twice*</p><p>The end.</p></body></html>";
        const ParseResult result = parseBytes(html, QStringLiteral("guide.html"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        const QString md = result->markdown();
        QVERIFY2(md.startsWith(QStringLiteral("# Field Guide\n\nDucks are **birds** with "
                                              "[webbed feet](https://example.org/ducks).\n\n## Species\n")),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("- Mallard\n  - Drake\n- Teal\n\n1. First\n2. Second\n")),
            qPrintable(md));
        QVERIFY2(md.contains(QRegularExpression(
                     QStringLiteral("\\|Name *\\|Weight\\|\n\\|-+\\|-+\\|\n\\|Mallard\\|1.1 kg\\|"))),
            qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("```\nquack(3);\nswim();\n```\n\nCall `fly()` last.")),
            qPrintable(md));
        QVERIFY2(!md.contains(QStringLiteral("hidden")) && !md.contains(QStringLiteral("color:red")),
            qPrintable(md));
        // Text stays text: no heading, no tag (which swallowed the rest of
        // the typeset page), no emphasis.
        QVERIFY2(md.contains(QStringLiteral("\n\n\\# Run quack --times \\<count> \\*twice\\*\n\nThe end.")), qPrintable(md));
        QVERIFY2(QString::fromUtf8(result->middleJson()).contains(QStringLiteral("The end.")), qPrintable(md));
        QVERIFY(result->pdfData.startsWith("%PDF-"));
    }

    // The middle JSON of a document a reader wrote as markdown comes from
    // the document's own structure, laid out on the pages of pdf_data.
    void nativeReadersKeepStructureInMiddleJson()
    {
        const ParseResult docx = parseBytes(fieldGuideDocx(), QStringLiteral("guide.docx"));
        QVERIFY2(docx.ok(), qPrintable(docx.errorMessage()));
        QCOMPARE(blockOutline(docx->middleJson()),
                 (QStringList{QStringLiteral("0:title:1 Field Guide to Ducks"), QStringLiteral("0:title:2 Habitat"),
                              QStringLiteral("0:text Ducks live near calm water and quiet reeds, see the survey.[^1]"),
                              QStringLiteral("0:list • Mallard • Drake plumage • Teal"),
                              QStringLiteral("0:text Observers should follow these steps."),
                              QStringLiteral("0:list 1. Find a pond 2. Bring binoculars"), QStringLiteral("0:title:3 Weights"),
                              QStringLiteral("0:table <table><tr><td>Name</td><td>Weight</td><td>Notes</td></tr>"
                                             "<tr><td>Mallard</td><td>1.1 kg</td><td>1.1 kg</td></tr>"
                                             "<tr><td>Mallard</td><td>0.9 kg</td><td>small</td></tr></table>"),
                              QStringLiteral("0:image duck.png"), QStringLiteral("0:text [^1]: Counted in 2023.")}));

        const QByteArray html = "<h1>Report</h1><p>Before.</p><table><tr><th>Name</th><th>Weight</th></tr>"
                                "<tr><td>Teal</td><td>0.3 kg</td></tr></table><pre><code>swim(1);\nquack();</code></pre>";
        const ParseResult fromHtml = parseBytes(html, QStringLiteral("report.html"));
        QVERIFY2(fromHtml.ok(), qPrintable(fromHtml.errorMessage()));
        QCOMPARE(blockOutline(fromHtml->middleJson()),
                 (QStringList{QStringLiteral("0:title:1 Report"), QStringLiteral("0:text Before."),
                              QStringLiteral("0:table <table><tr><td>Name</td><td>Weight</td></tr>"
                                             "<tr><td>Teal</td><td>0.3 kg</td></tr></table>"),
                              QStringLiteral("0:text swim(1); quack();")}));

        // A sheet longer than a page: its rows continue in a table on the next page.
        QByteArray rows;
        for (int row = 1; row <= 120; ++row)
            rows += "<tr><td>item " + QByteArray::number(row) + "</td><td>" + QByteArray::number(row * 3) + "</td></tr>";
        const ParseResult longTable = parseBytes("<table><tr><th>Item</th><th>Count</th></tr>" + rows + "</table>",
                                                 QStringLiteral("long.html"));
        QVERIFY2(longTable.ok(), qPrintable(longTable.errorMessage()));
        const QStringList parts = blockOutline(longTable->middleJson());
        QVERIFY2(parts.size() >= 2 && parts.size() == longTable->pageCount, qPrintable(parts.join(QLatin1Char('\n'))));
        QVERIFY(parts.first().startsWith(QStringLiteral("0:table <table><tr><td>Item</td>")));
        QVERIFY(parts.at(1).startsWith(QStringLiteral("1:table <table><tr><td>item ")));
        QVERIFY(parts.last().endsWith(QStringLiteral("<td>item 120</td><td>360</td></tr></table>")));
        QCOMPARE(parts.join(QString()).count(QStringLiteral("<td>item ")), 120);
    }

    // A reader's markdown names pictures; only the ones it extracted are
    // drawn. A path on the machine or a URL is dropped, never loaded.
    void typesetPicturesComeOnlyFromTheDocument()
    {
        QTemporaryDir dir;
        const QString secret = dir.filePath(QStringLiteral("secret.png"));
        QVERIFY(Test::textImage({QStringLiteral("PRIVATE")}, 72).save(secret));
        const QByteArray html = "<p>Look:</p><img src=\"" + secret.toUtf8() + "\"><img src=\"file://" + secret.toUtf8()
            + "\"><img src=\"http://169.254.169.254/latest\"><p>After.</p>";
        const ParseResult result = parseBytes(html, QStringLiteral("page.html"));
        QVERIFY2(result.ok(), qPrintable(result.errorMessage()));
        QCOMPARE(blockOutline(result->middleJson()), (QStringList{QStringLiteral("0:text Look:"), QStringLiteral("0:text After.")}));
        QVERIFY(!result->pdfData.contains("/Subtype /Image"));
        QVERIFY(result->images.isEmpty());
    }

    void missingLibreOfficeFailsClearly()
    {
        const ScopedEnv env("DOCRAY_SOFFICE", "/nonexistent/libreoffice/soffice");
        const ParseResult result
            = parseBytes(fieldGuideDocx(), QStringLiteral("guide.docx"), viaLibreOffice());
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), int(ErrorCode::Unsupported));
        QVERIFY2(result.errorMessage().startsWith(QStringLiteral("LibreOffice is not installed")),
            qPrintable(result.errorMessage()));
        // The native readers need no LibreOffice.
        QVERIFY(parseBytes(fieldGuideDocx(), QStringLiteral("guide.docx")).ok());
        QVERIFY(parseBytes(workbookXlsx(), QStringLiteral("prices.xlsx")).ok());
    }

    void slowLibreOfficeIsStopped()
    {
        const ScopedEnv env("DOCRAY_OFFICE_TIMEOUT", "0.2");
        QElapsedTimer timer;
        timer.start();
        const ParseResult result = parseBytes(gardenOdt(), QStringLiteral("journal.odt"));
        QVERIFY(!result.ok());
        QCOMPARE(int(result.error().code), int(ErrorCode::InvalidInput));
        QVERIFY2(result.errorMessage().contains(QStringLiteral("did not finish converting the document within 0.2 s")),
            qPrintable(result.errorMessage()));
        QVERIFY2(timer.elapsed() < 10000, "the conversion was not stopped at its time limit");
    }

    void pageRangeOfAConvertedDocument()
    {
        ParserParams params;
        params.startPage = 1;
        params.endPage = 1;
        const ParseResult middle = parseBytes(threePageDocx(), QStringLiteral("chapters.docx"), params);
        QVERIFY2(middle.ok(), qPrintable(middle.errorMessage()));
        QCOMPARE(middle->pageCount, 1);
        QVERIFY2(middle->markdown().contains(QStringLiteral("page-2-marker")),
            qPrintable(middle->markdown()));
        QVERIFY(!middle->markdown().contains(QStringLiteral("page-1-marker")));
        QVERIFY(!middle->markdown().contains(QStringLiteral("page-3-marker")));
        const QJsonObject json = QJsonDocument::fromJson(middle->middleJson()).object();
        QCOMPARE(pageCount(json), 1);
        QCOMPARE(
            json[QStringLiteral("pdf_info")].toArray().first().toObject()[QStringLiteral("page_idx")].toInt(),
            1);

        params.startPage = 1;
        params.endPage = 2;
        const ParseResult tail = parseBytes(threePageDocx(), QStringLiteral("chapters.docx"), params);
        QVERIFY2(tail.ok(), qPrintable(tail.errorMessage()));
        QCOMPARE(tail->pageCount, 2);
        QVERIFY(!tail->markdown().contains(QStringLiteral("page-1-marker")));
        QVERIFY(tail->markdown().indexOf(QStringLiteral("page-2-marker"))
            < tail->markdown().indexOf(QStringLiteral("page-3-marker")));

        // Without a range the same file is read natively, all three chapters.
        const ParseResult all = parseBytes(threePageDocx(), QStringLiteral("chapters.docx"));
        QVERIFY(all.ok());
        QVERIFY(all->markdown().contains(QStringLiteral("## Chapter 1"))
            && all->markdown().contains(QStringLiteral("## Chapter 3")));
    }

    void docxNativeParameter()
    {
        ParserParams params;
        QVERIFY(params.docxNative);
        QVERIFY(Test::readParams(QJsonObject { { QStringLiteral("docx_native"), false } }, &params)
                    .isEmpty());
        QVERIFY(!params.docxNative);
        QCOMPARE(Test::readParams(
                     QJsonObject { { QStringLiteral("docx_native"), QStringLiteral("yes") } }, &params),
            QStringLiteral("parser_params.docx_native must be true or false."));
    }
};

QTEST_MAIN(TestOffice)
#include "test_office.moc"
