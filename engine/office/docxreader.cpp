#include "engine/office/docxreader.h"

#include "engine/output/markdownescape.h"
#include "engine/output/markdowntable.h"
#include "engine/core/ziparchive.h"
#include "engine/office/xmlattribute.h"

#include <QBuffer>
#include <QFileInfo>
#include <QHash>
#include <QImage>
#include <QList>
#include <QRegularExpression>
#include <QXmlStreamReader>

namespace DocRay {

namespace {

// <w:b/>, <w:b w:val="true"/> and <w:b w:val="0"/> all occur.
bool onOff(const QXmlStreamReader &xml)
{
    const QString value = xmlAttribute(xml, u"val");
    return value.isEmpty()
        || (value != QLatin1String("0") && value != QLatin1String("false") && value != QLatin1String("off")
            && value != QLatin1String("none"));
}

struct Style {
    QString name;
    QString basedOn;
    int outlineLevel = -1;
    int numId = -1;
    int ilvl = -1;
    int bold = -1; // -1: not set by this style
    int italic = -1;
};

struct Level {
    QString format = QStringLiteral("decimal");
    QString text;
    int start = 1;
};

struct Relationship {
    QString target;
    bool external = false;
};

struct Run {
    QString text;
    bool bold = false;
    bool italic = false;
    bool strike = false;
    bool raw = false; // images and footnote marks: no emphasis, no link
    QString link;
};

struct Block {
    QString text;
    int headingLevel = 0; // Word's Title is 1, Heading 1 is 2 and so on
    bool code = false;    // a line of a listing, or a listing with its line breaks
    bool listItem = false;
    QList<QStringList> table; // set for tables
};

struct RunFormat {
    bool bold = false;
    bool italic = false;
    bool strike = false;
};

QString romanNumeral(int value)
{
    static const std::pair<int, const char *> table[]
        = { { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
              { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" } };
    QString out;
    for (const auto &[amount, digits] : table) {
        while (value >= amount) {
            out += QLatin1String(digits);
            value -= amount;
        }
    }
    return out;
}

QString formatNumber(int value, const QString &format)
{
    if (format == QLatin1String("lowerLetter") || format == QLatin1String("upperLetter")) {
        const QChar base = format == QLatin1String("lowerLetter") ? QLatin1Char('a') : QLatin1Char('A');
        const int index = qMax(0, value - 1);
        return QString(index / 26 + 1, QChar(base.unicode() + index % 26));
    }
    if (format == QLatin1String("lowerRoman"))
        return romanNumeral(value);
    if (format == QLatin1String("upperRoman"))
        return romanNumeral(value).toUpper();
    return QString::number(value);
}

// Joins runs into markdown: runs of equal formatting merge, their text
// escaped where markdown would read it as markup ("<component>" is not an
// HTML tag), and spaces stay outside the emphasis markers so that
// "**bold** text" stays valid markdown.
QString renderRuns(const QList<Run> &runs)
{
    QString out;
    qsizetype i = 0;
    while (i < runs.size()) {
        const Run &first = runs[i];
        if (first.raw) {
            out += first.text;
            ++i;
            continue;
        }
        QString linkText;
        const QString link = first.link;
        while (i < runs.size() && !runs[i].raw && runs[i].link == link) {
            QString text;
            const Run &group = runs[i];
            while (i < runs.size() && !runs[i].raw && runs[i].link == link && runs[i].bold == group.bold
                && runs[i].italic == group.italic && runs[i].strike == group.strike) {
                text += runs[i].text;
                ++i;
            }
            text = escapeInline(text);
            const QString core = text.trimmed();
            if (core.isEmpty()) {
                linkText += text;
                continue;
            }
            const qsizetype lead = text.indexOf(core);
            QString marked = core;
            if (group.strike)
                marked = QStringLiteral("~~") + marked + QStringLiteral("~~");
            if (group.italic)
                marked = QLatin1Char('*') + marked + QLatin1Char('*');
            if (group.bold)
                marked = QStringLiteral("**") + marked + QStringLiteral("**");
            linkText += text.left(lead) + marked + text.mid(lead + core.size());
        }
        if (!link.isEmpty() && !linkText.trimmed().isEmpty())
            out += QLatin1Char('[') + linkText.trimmed() + QStringLiteral("](") + link + QLatin1Char(')');
        else
            out += linkText;
    }
    return out;
}

QString markdownOf(const Block &block)
{
    if (!block.table.isEmpty())
        return MarkdownTable::render(block.table).trimmed();
    if (block.code)
        return QStringLiteral("```\n") + block.text + QStringLiteral("\n```");
    if (block.headingLevel > 0)
        return QString(block.headingLevel, QLatin1Char('#')) + QLatin1Char(' ') + block.text;
    return block.text;
}

// Walks one DOCX package. Lives for one read() call on the caller's thread.
class DocxParser
{
public:
    explicit DocxParser(const ZipArchive &zip)
        : m_zip(zip)
    {
    }

    MarkdownResult run();

private:
    void readStyles();
    void readNumbering();
    QHash<QString, Relationship> readRelationships(const QString &partPath) const;
    QString resolveTarget(const QString &target) const;

    void parseContainer(QXmlStreamReader &xml, QList<Block> &out);
    void parseParagraph(QXmlStreamReader &xml, QList<Block> &out);
    void parseParagraphProperties(
        QXmlStreamReader &xml, QString *styleId, int *numId, int *ilvl, int *outlineLevel);
    void parseInline(QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating, const QString &link);
    void parseRun(QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating, const QString &link);
    RunFormat parseRunProperties(QXmlStreamReader &xml);
    void parseDrawing(QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating);
    QString collectText(QXmlStreamReader &xml);
    void parseTable(QXmlStreamReader &xml, QList<Block> &out);
    QString imageRun(const QString &relationshipId);
    QString noteMark(bool endnote, const QString &id);
    QString notes(bool endnote);

    const Style *style(const QString &id) const
    {
        const auto it = m_styles.constFind(id);
        return it == m_styles.cend() ? nullptr : &it.value();
    }
    int headingLevel(const QString &styleId, int outlineLevel) const;
    bool isCodeStyle(const QString &styleId) const;
    QString listLabel(int numId, int ilvl, bool *bullet, bool *simple);

    const ZipArchive &m_zip;
    QString m_documentPath = QStringLiteral("word/document.xml");
    QHash<QString, Style> m_styles;
    QHash<int, int> m_numToAbstract;
    QHash<int, QList<Level>> m_abstractLevels;
    QHash<int, QList<int>> m_counters; // numId -> count per level
    QHash<QString, Relationship> m_relationships;
    QHash<QString, QString> m_imageNames; // part path -> "images/<name>.png"
    QMap<QString, QByteArray> m_images;
    QList<QPair<bool, QString>> m_noteOrder; // (endnote, id) as first referenced
};

MarkdownResult DocxParser::run()
{
    // The main part is where the package relationships say, usually word/document.xml.
    const QHash<QString, Relationship> packageRels = readRelationships(QString());
    for (const Relationship &rel : packageRels) {
        if (rel.target.endsWith(QLatin1String(".xml")) && rel.target.contains(QLatin1String("document"))) {
            const QString target = ZipArchive::resolvePath(QString(), rel.target);
            if (!target.isEmpty() && m_zip.contains(target))
                m_documentPath = target;
        }
    }
    bool ok = false;
    const QByteArray document = m_zip.read(m_documentPath, &ok);
    if (!ok)
        return Error{ErrorCode::InvalidInput, QStringLiteral("The DOCX file has no readable %1.").arg(m_documentPath)};
    readStyles();
    readNumbering();
    m_relationships = readRelationships(m_documentPath);

    QXmlStreamReader xml(document);
    QList<Block> blocks;
    // One root element; reading on past it would report a premature end.
    if (xml.readNextStartElement() && xml.name() == u"document") {
        while (xml.readNextStartElement()) {
            if (xml.name() == u"body")
                parseContainer(xml, blocks);
            else
                xml.skipCurrentElement();
        }
    }
    if (xml.hasError())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The DOCX file's document.xml is damaged: %1.").arg(xml.errorString())};

    QString markdown;
    for (qsizetype i = 0; i < blocks.size(); ++i) {
        const Block &block = blocks[i];
        if (i > 0)
            markdown
                += block.listItem && blocks[i - 1].listItem ? QStringLiteral("\n") : QStringLiteral("\n\n");
        markdown += markdownOf(block);
    }
    const QString footnotes = notes(false) + notes(true);
    if (!footnotes.isEmpty())
        markdown += QStringLiteral("\n\n") + footnotes.trimmed();
    if (!markdown.isEmpty())
        markdown += QLatin1Char('\n');
    return MarkdownDocument{markdown, m_images};
}

void DocxParser::readStyles()
{
    QXmlStreamReader xml(m_zip.read(QStringLiteral("word/styles.xml")));
    Style *current = nullptr;
    bool inRunProperties = false;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == u"style")
                current = nullptr;
            else if (xml.name() == u"rPr")
                inRunProperties = false;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == u"style") {
            current = &m_styles[xmlAttribute(xml, u"styleId")];
        } else if (!current) {
            continue;
        } else if (name == u"name") {
            current->name = xmlAttribute(xml, u"val").toLower();
        } else if (name == u"basedOn") {
            current->basedOn = xmlAttribute(xml, u"val");
        } else if (name == u"outlineLvl") {
            current->outlineLevel = xmlAttribute(xml, u"val").toInt();
        } else if (name == u"numId") {
            current->numId = xmlAttribute(xml, u"val").toInt();
        } else if (name == u"ilvl") {
            current->ilvl = xmlAttribute(xml, u"val").toInt();
        } else if (name == u"rPr") {
            inRunProperties = true;
        } else if (inRunProperties && name == u"b") {
            current->bold = onOff(xml) ? 1 : 0;
        } else if (inRunProperties && name == u"i") {
            current->italic = onOff(xml) ? 1 : 0;
        }
    }
}

void DocxParser::readNumbering()
{
    QXmlStreamReader xml(m_zip.read(QStringLiteral("word/numbering.xml")));
    int abstractId = -1;
    int numId = -1;
    Level *level = nullptr;
    while (!xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::EndElement) {
            if (xml.name() == u"abstractNum")
                abstractId = -1;
            else if (xml.name() == u"num")
                numId = -1;
            else if (xml.name() == u"lvl")
                level = nullptr;
            continue;
        }
        if (token != QXmlStreamReader::StartElement)
            continue;
        const QStringView name = xml.name();
        if (name == u"abstractNum") {
            abstractId = xmlAttribute(xml, u"abstractNumId").toInt();
        } else if (name == u"num") {
            numId = xmlAttribute(xml, u"numId").toInt();
        } else if (name == u"abstractNumId" && numId >= 0) {
            m_numToAbstract.insert(numId, xmlAttribute(xml, u"val").toInt());
        } else if (name == u"lvl" && abstractId >= 0 && numId < 0) {
            const int ilvl = xmlAttribute(xml, u"ilvl").toInt();
            QList<Level> &levels = m_abstractLevels[abstractId];
            if (ilvl >= 0 && ilvl < 9) {
                while (levels.size() <= ilvl)
                    levels.append(Level());
                level = &levels[ilvl];
            }
        } else if (level && name == u"numFmt") {
            level->format = xmlAttribute(xml, u"val");
        } else if (level && name == u"lvlText") {
            level->text = xmlAttribute(xml, u"val");
        } else if (level && name == u"start") {
            level->start = xmlAttribute(xml, u"val").toInt();
        }
    }
}

QHash<QString, Relationship> DocxParser::readRelationships(const QString &partPath) const
{
    // "word/document.xml" -> "word/_rels/document.xml.rels"; the package's own: "_rels/.rels".
    const QFileInfo part(partPath);
    const QString dir = part.path() == QLatin1String(".") ? QString() : part.path() + QLatin1Char('/');
    const QString relsPath = dir + QStringLiteral("_rels/") + part.fileName() + QStringLiteral(".rels");
    QHash<QString, Relationship> rels;
    QXmlStreamReader xml(m_zip.read(relsPath));
    while (!xml.atEnd()) {
        if (xml.readNext() == QXmlStreamReader::StartElement && xml.name() == u"Relationship") {
            Relationship rel;
            rel.target = xmlAttribute(xml, u"Target");
            rel.external = xmlAttribute(xml, u"TargetMode") == QLatin1String("External");
            rels.insert(xmlAttribute(xml, u"Id"), rel);
        }
    }
    return rels;
}

QString DocxParser::resolveTarget(const QString &target) const
{
    const QString folder = QFileInfo(m_documentPath).path();
    return ZipArchive::resolvePath(folder == QLatin1String(".") ? QString() : folder, target);
}

void DocxParser::parseContainer(QXmlStreamReader &xml, QList<Block> &out)
{
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == u"p")
            parseParagraph(xml, out);
        else if (name == u"tbl")
            parseTable(xml, out);
        else if (name == u"sdt" || name == u"sdtContent" || name == u"customXml" || name == u"ins"
            || name == u"smartTag")
            parseContainer(xml, out);
        else
            xml.skipCurrentElement();
    }
}

void DocxParser::parseParagraphProperties(
    QXmlStreamReader &xml, QString *styleId, int *numId, int *ilvl, int *outlineLevel)
{
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == u"pStyle") {
            *styleId = xmlAttribute(xml, u"val");
            xml.skipCurrentElement();
        } else if (name == u"numPr") {
            while (xml.readNextStartElement()) {
                if (xml.name() == u"numId")
                    *numId = xmlAttribute(xml, u"val").toInt();
                else if (xml.name() == u"ilvl")
                    *ilvl = xmlAttribute(xml, u"val").toInt();
                xml.skipCurrentElement();
            }
        } else if (name == u"outlineLvl") {
            *outlineLevel = xmlAttribute(xml, u"val").toInt();
            xml.skipCurrentElement();
        } else {
            xml.skipCurrentElement();
        }
    }
}

// Pandoc's "Source Code", Word's "HTML Preformatted" and "Plain Text", a
// "Code" style: paragraphs of a listing, whose line breaks are its lines.
bool DocxParser::isCodeStyle(const QString &styleId) const
{
    static const QRegularExpression code(QStringLiteral("^(source ?code|code|html preformatted|plain text|verbatim)"),
                                         QRegularExpression::CaseInsensitiveOption);
    int depth = 0;
    for (const Style *s = style(styleId); s && depth < 16; s = style(s->basedOn), ++depth)
        if (code.match(s->name).hasMatch())
            return true;
    return false;
}

int DocxParser::headingLevel(const QString &styleId, int outlineLevel) const
{
    // Word's "Title" is above "Heading 1", so headings sit one level down, as
    // docling's output for Word documents has them.
    int depth = 0;
    for (const Style *s = style(styleId); s && depth < 16; s = style(s->basedOn), ++depth) {
        if (s->name == QLatin1String("title"))
            return 1;
        if (s->name.startsWith(QLatin1String("heading "))) {
            bool ok = false;
            const int n = s->name.mid(8).toInt(&ok);
            if (ok && n >= 1 && n <= 9)
                return qMin(6, n + 1);
        }
        if (outlineLevel < 0 && s->outlineLevel >= 0)
            outlineLevel = s->outlineLevel;
    }
    if (outlineLevel >= 0 && outlineLevel < 9)
        return qMin(6, outlineLevel + 2);
    return 0;
}

QString DocxParser::listLabel(int numId, int ilvl, bool *bullet, bool *simple)
{
    *bullet = true;
    *simple = true;
    const QList<Level> levels = m_abstractLevels.value(m_numToAbstract.value(numId, -1));
    if (ilvl < 0 || ilvl >= levels.size())
        return {};
    QList<int> &counters = m_counters[numId];
    while (counters.size() < levels.size())
        counters.append(levels[counters.size()].start - 1);
    counters[ilvl] += 1;
    for (qsizetype deeper = ilvl + 1; deeper < counters.size(); ++deeper)
        counters[deeper] = levels[deeper].start - 1;

    const Level &level = levels[ilvl];
    if (level.format == QLatin1String("bullet") || level.format == QLatin1String("none"))
        return {};
    *bullet = false;
    QString label = level.text;
    for (int i = 0; i < levels.size() && i < 9; ++i) {
        const QString placeholder = QLatin1Char('%') + QString::number(i + 1);
        if (label.contains(placeholder))
            label.replace(placeholder, formatNumber(qMax(1, counters[i]), levels[i].format));
    }
    // "%1." (or "%2." at the second level) is an ordinary ordered list item;
    // "%1.%2." carries its parents' numbers and is kept as written.
    *simple = level.text == QLatin1Char('%') + QString::number(ilvl + 1) + QLatin1Char('.')
        || level.text == QLatin1Char('%') + QString::number(ilvl + 1) + QLatin1Char(')');
    return label;
}

void DocxParser::parseParagraph(QXmlStreamReader &xml, QList<Block> &out)
{
    QString styleId;
    int numId = -1;
    int ilvl = -1;
    int outlineLevel = -1;
    QList<Run> runs;
    QList<Block> floating; // text boxes anchored in this paragraph
    while (xml.readNextStartElement()) {
        if (xml.name() == u"pPr")
            parseParagraphProperties(xml, &styleId, &numId, &ilvl, &outlineLevel);
        else
            parseInline(xml, runs, floating, QString());
    }

    // Paragraph style emphasis applies to every run (e.g. a "Quote" style in italics).
    int depth = 0;
    int styleBold = -1;
    int styleItalic = -1;
    for (const Style *s = style(styleId); s && depth < 16; s = style(s->basedOn), ++depth) {
        if (numId < 0 && s->numId >= 0)
            numId = s->numId;
        if (ilvl < 0 && s->ilvl >= 0)
            ilvl = s->ilvl;
        if (styleBold < 0)
            styleBold = s->bold;
        if (styleItalic < 0)
            styleItalic = s->italic;
    }
    const int heading = headingLevel(styleId, outlineLevel);
    if (heading == 0) {
        for (Run &run : runs) {
            run.bold = run.bold || styleBold == 1;
            run.italic = run.italic || styleItalic == 1;
        }
    } else {
        for (Run &run : runs)
            run.bold = run.italic = false; // the heading marker says it already
    }

    if (isCodeStyle(styleId)) {
        QString listing;
        for (const Run &run : std::as_const(runs))
            listing += run.text;
        if (!listing.trimmed().isEmpty()) {
            if (out.isEmpty() || !out.last().code) {
                out.append(Block());
                out.last().code = true;
            } else {
                out.last().text += QLatin1Char('\n'); // a listing set a paragraph per line is one listing
            }
            out.last().text += listing;
        }
        out += floating;
        return;
    }
    QString text = escapeBlockStart(renderRuns(runs).replace(QLatin1Char('\n'), QLatin1Char(' ')).trimmed());
    if (!text.isEmpty()) {
        Block block;
        bool bullet = true;
        bool simple = true;
        const QString label = numId > 0 ? listLabel(numId, qMax(0, ilvl), &bullet, &simple) : QString();
        if (heading > 0) {
            block.headingLevel = heading;
            block.text = label.isEmpty() ? text : label + QLatin1Char(' ') + text;
        } else if (numId > 0 && m_numToAbstract.contains(numId)) {
            block.listItem = true;
            const QString indent(4 * qBound(0, ilvl, 8), QLatin1Char(' '));
            if (bullet || label.isEmpty())
                block.text = indent + QStringLiteral("- ") + text;
            else if (simple)
                block.text = indent + QString::number(m_counters[numId][qMax(0, ilvl)]) + QStringLiteral(". ")
                    + text;
            else
                block.text = indent + QStringLiteral("- ") + label + QLatin1Char(' ') + text;
        } else {
            block.text = text;
        }
        out.append(block);
    }
    out += floating;
}

void DocxParser::parseInline(
    QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating, const QString &link)
{
    const QStringView name = xml.name();
    if (name == u"r") {
        parseRun(xml, runs, floating, link);
    } else if (name == u"hyperlink") {
        const Relationship rel = m_relationships.value(xmlAttribute(xml, u"id"));
        const QString target = rel.external ? rel.target : QString();
        while (xml.readNextStartElement())
            parseInline(xml, runs, floating, target.isEmpty() ? link : target);
    } else if (name == u"oMath" || name == u"oMathPara") {
        // Equations: their text, so that no words are lost.
        Run run;
        run.text = collectText(xml);
        run.link = link;
        runs.append(run);
    } else if (name == u"ins" || name == u"smartTag" || name == u"sdt" || name == u"sdtContent"
        || name == u"customXml" || name == u"fldSimple" || name == u"dir" || name == u"bdo"
        || name == u"AlternateContent" || name == u"Choice") {
        while (xml.readNextStartElement())
            parseInline(xml, runs, floating, link);
    } else {
        xml.skipCurrentElement(); // pPr, del, bookmarks, proofing marks, Fallback, ...
    }
}

RunFormat DocxParser::parseRunProperties(QXmlStreamReader &xml)
{
    RunFormat format;
    int bold = -1;
    int italic = -1;
    QString runStyle;
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == u"b")
            bold = onOff(xml) ? 1 : 0;
        else if (name == u"i")
            italic = onOff(xml) ? 1 : 0;
        else if (name == u"strike" || name == u"dstrike")
            format.strike = onOff(xml);
        else if (name == u"rStyle")
            runStyle = xmlAttribute(xml, u"val");
        xml.skipCurrentElement();
    }
    int depth = 0;
    for (const Style *s = style(runStyle); s && depth < 16; s = style(s->basedOn), ++depth) {
        if (bold < 0)
            bold = s->bold;
        if (italic < 0)
            italic = s->italic;
    }
    format.bold = bold == 1;
    format.italic = italic == 1;
    return format;
}

void DocxParser::parseRun(
    QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating, const QString &link)
{
    RunFormat format;
    auto appendText = [&](const QString &text) {
        Run run;
        run.text = text;
        run.bold = format.bold;
        run.italic = format.italic;
        run.strike = format.strike;
        run.link = link;
        runs.append(run);
    };
    auto appendRaw = [&](const QString &text) {
        Run run;
        run.text = text;
        run.raw = true;
        runs.append(run);
    };
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == u"rPr") {
            format = parseRunProperties(xml);
        } else if (name == u"t") {
            appendText(xml.readElementText());
        } else if (name == u"br" || name == u"cr") {
            appendText(QStringLiteral("\n")); // a line break: a listing keeps it, prose makes it a space
            xml.skipCurrentElement();
        } else if (name == u"tab") {
            appendText(QStringLiteral(" "));
            xml.skipCurrentElement();
        } else if (name == u"noBreakHyphen") {
            appendText(QStringLiteral("-"));
            xml.skipCurrentElement();
        } else if (name == u"drawing" || name == u"pict" || name == u"object") {
            QList<Run> images;
            parseDrawing(xml, images, floating);
            runs += images;
        } else if (name == u"AlternateContent") {
            // Choice holds the modern drawing; Fallback repeats it for old readers.
            while (xml.readNextStartElement()) {
                if (xml.name() == u"Choice") {
                    QList<Run> images;
                    parseDrawing(xml, images, floating);
                    runs += images;
                } else {
                    xml.skipCurrentElement();
                }
            }
        } else if (name == u"footnoteReference" || name == u"endnoteReference") {
            appendRaw(noteMark(name == u"endnoteReference", xmlAttribute(xml, u"id")));
            xml.skipCurrentElement();
        } else {
            xml.skipCurrentElement(); // instrText (field codes), delText, fldChar, ...
        }
    }
}

void DocxParser::parseDrawing(QXmlStreamReader &xml, QList<Run> &runs, QList<Block> &floating)
{
    while (xml.readNextStartElement()) {
        const QStringView name = xml.name();
        if (name == u"blip" || name == u"imagedata") {
            const QString id = name == u"blip" ? xmlAttribute(xml, u"embed") : xmlAttribute(xml, u"id");
            const QString image = imageRun(id);
            if (!image.isEmpty()) {
                Run run;
                run.text = image;
                run.raw = true;
                runs.append(run);
            }
            xml.skipCurrentElement();
        } else if (name == u"txbxContent") {
            parseContainer(xml, floating);
        } else if (name == u"Fallback") {
            xml.skipCurrentElement();
        } else {
            parseDrawing(xml, runs, floating);
        }
    }
}

QString DocxParser::collectText(QXmlStreamReader &xml)
{
    QString text;
    int depth = 1;
    while (depth > 0 && !xml.atEnd()) {
        const QXmlStreamReader::TokenType token = xml.readNext();
        if (token == QXmlStreamReader::StartElement)
            ++depth;
        else if (token == QXmlStreamReader::EndElement)
            --depth;
        else if (token == QXmlStreamReader::Characters && !xml.isWhitespace())
            text += xml.text();
    }
    return text;
}

QString DocxParser::imageRun(const QString &relationshipId)
{
    const Relationship rel = m_relationships.value(relationshipId);
    if (rel.target.isEmpty() || rel.external)
        return {};
    const QString part = resolveTarget(rel.target);
    if (part.isEmpty())
        return {};
    QString key = m_imageNames.value(part);
    if (key.isEmpty()) {
        // The images map holds PNG; EMF/WMF and other formats Qt cannot decode are left out.
        const QImage image = QImage::fromData(m_zip.read(part));
        if (image.isNull())
            return {};
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        image.save(&buffer, "PNG");
        // The name goes into markdown as a link target: plain characters only.
        QString base = QFileInfo(part).completeBaseName().left(64);
        for (QChar &c : base)
            if (!(c.isLetterOrNumber() && c.unicode() < 128) && c != QLatin1Char('-') && c != QLatin1Char('_'))
                c = QLatin1Char('_');
        if (base.isEmpty())
            base = QStringLiteral("image");
        key = QStringLiteral("images/%1.png").arg(base);
        for (int n = 2; m_images.contains(key); ++n)
            key = QStringLiteral("images/%1-%2.png").arg(base).arg(n);
        m_images.insert(key, png);
        m_imageNames.insert(part, key);
    }
    return QStringLiteral("![](%1)").arg(key);
}

QString DocxParser::noteMark(bool endnote, const QString &id)
{
    const QPair<bool, QString> note(endnote, id);
    qsizetype index = m_noteOrder.indexOf(note);
    if (index < 0) {
        m_noteOrder.append(note);
        index = m_noteOrder.size() - 1;
    }
    return QStringLiteral("[^%1]").arg(index + 1);
}

QString DocxParser::notes(bool endnote)
{
    bool any = false;
    for (const auto &note : std::as_const(m_noteOrder))
        any = any || note.first == endnote;
    if (!any)
        return {};
    const QString part = endnote ? QStringLiteral("word/endnotes.xml") : QStringLiteral("word/footnotes.xml");
    const QString element = endnote ? QStringLiteral("endnote") : QStringLiteral("footnote");
    QHash<QString, QString> texts;
    QXmlStreamReader xml(m_zip.read(part));
    if (xml.readNextStartElement()) {
        while (xml.readNextStartElement()) {
            if (xml.name() == element) {
                const QString id = xmlAttribute(xml, u"id");
                QList<Block> blocks;
                parseContainer(xml, blocks);
                QStringList pieces;
                for (const Block &block : std::as_const(blocks))
                    pieces.append(block.code ? block.text.simplified() : block.text);
                texts.insert(id, pieces.join(QLatin1Char(' ')).trimmed());
            } else {
                xml.skipCurrentElement();
            }
        }
    }
    QString out;
    for (qsizetype i = 0; i < m_noteOrder.size(); ++i) {
        if (m_noteOrder[i].first == endnote)
            out += QStringLiteral("[^%1]: %2\n").arg(i + 1).arg(texts.value(m_noteOrder[i].second));
    }
    return out;
}

void DocxParser::parseTable(QXmlStreamReader &xml, QList<Block> &out)
{
    struct Cell {
        QString text;
        int span = 1;
        bool continuesAbove = false;
    };
    QList<QList<Cell>> rows;
    QList<int> skips; // gridBefore: a row that starts in a later column
    while (xml.readNextStartElement()) {
        if (xml.name() != u"tr") {
            xml.skipCurrentElement();
            continue;
        }
        QList<Cell> row;
        int gridBefore = 0;
        while (xml.readNextStartElement()) {
            if (xml.name() == u"trPr") {
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"gridBefore")
                        gridBefore = xmlAttribute(xml, u"val").toInt();
                    xml.skipCurrentElement();
                }
            } else if (xml.name() == u"tc") {
                Cell cell;
                QList<Block> content;
                while (xml.readNextStartElement()) {
                    if (xml.name() == u"tcPr") {
                        while (xml.readNextStartElement()) {
                            if (xml.name() == u"gridSpan")
                                cell.span = qBound(1, xmlAttribute(xml, u"val").toInt(), 64);
                            else if (xml.name() == u"vMerge")
                                cell.continuesAbove = xmlAttribute(xml, u"val") != QLatin1String("restart");
                            xml.skipCurrentElement();
                        }
                    } else if (xml.name() == u"p") {
                        parseParagraph(xml, content);
                    } else if (xml.name() == u"tbl") {
                        parseTable(xml, content);
                    } else if (xml.name() == u"sdt" || xml.name() == u"customXml") {
                        parseContainer(xml, content);
                    } else {
                        xml.skipCurrentElement();
                    }
                }
                QStringList pieces;
                for (const Block &block : std::as_const(content)) {
                    if (block.table.isEmpty()) {
                        pieces.append(block.code ? block.text.simplified() : block.text.trimmed()); // a cell is one line
                    } else {
                        for (const QStringList &nestedRow : block.table)
                            pieces += nestedRow;
                    }
                }
                pieces.removeAll(QString());
                cell.text = pieces.join(QLatin1Char(' '));
                row.append(cell);
            } else if (xml.name() == u"sdt" || xml.name() == u"customXml") {
                xml.skipCurrentElement();
            } else {
                xml.skipCurrentElement();
            }
        }
        rows.append(row);
        skips.append(qBound(0, gridBefore, 64));
    }

    // Merged cells repeat their text in every grid cell they cover, so each
    // row reads on its own (GFM has no spans).
    QList<QStringList> grid;
    for (qsizetype r = 0; r < rows.size(); ++r) {
        QStringList line;
        for (int i = 0; i < skips[r]; ++i)
            line.append(QString());
        for (const Cell &cell : std::as_const(rows[r])) {
            const qsizetype column = line.size();
            QString text = cell.text;
            if (cell.continuesAbove && r > 0 && column < grid[r - 1].size())
                text = grid[r - 1][column];
            for (int s = 0; s < cell.span; ++s)
                line.append(text);
        }
        grid.append(line);
    }
    if (grid.isEmpty())
        return;
    Block block;
    block.table = grid;
    out.append(block);
}

} // namespace

MarkdownResult DocxReader::read(const QByteArray &data) const
{
    const ZipArchive zip(data);
    if (!zip.isValid())
        return Error{ErrorCode::InvalidInput, QStringLiteral("The DOCX file is not a readable ZIP container.")};
    return DocxParser(zip).run();
}

} // namespace DocRay
