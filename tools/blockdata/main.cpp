// Training data for the block-role model: paints varied documents whose
// every block's role is known, reads them back with doc-ray's own PDF reader
// and layout rules, and writes one CSV row per block: the document's number,
// the role and the engine's feature vector (engine/layout/blockfeatures.h).
//
//   block_data OUT.csv [--documents N] [--seed S] [--keep-pdf FIRST.pdf]
//   block_data --explain REAL.pdf     (rules' type, model's role and features per block)
//
// Same seed, same fonts: the same file, byte for byte.

#include "engine/layout/blockclassifier.h"
#include "engine/layout/blockfeatures.h"
#include "engine/layout/blockmodel.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/ocr/ocrengine.h"
#include "engine/core/parsetypes.h"
#include "engine/pdf/pdftextreader.h"
#include "tools/blockdata/documentpainter.h"

#include <QCommandLineParser>
#include <QFile>
#include <QGuiApplication>
#include <QTextStream>

using namespace DocRay;

namespace {

// The painted element a block comes from: the one its box overlaps most.
int roleOf(const TextBlock &block, const QList<BlockData::Painted> &painted)
{
    int best = -1;
    double bestArea = 0;
    for (const BlockData::Painted &item : painted) {
        const QRectF common = item.box.adjusted(-2, -2, 2, 2).intersected(block.bbox);
        const double area = common.width() * common.height();
        if (common.isValid() && area > bestArea) {
            best = static_cast<int>(item.role);
            bestArea = area;
        }
    }
    // Blocks that mostly cover nothing painted are merges or strays: skipped.
    return bestArea >= 0.4 * block.bbox.width() * block.bbox.height() ? best : -1;
}

// Why the model decides what it does on a real document.
int explain(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return 1;
    OcrEngine ocr; // scans too: their blocks come from OCR
    PdfReadResult read = PdfTextReader(&ocr).read(file.readAll(), ParserParams(), ParseControl());
    if (!read) {
        qCritical("%s", qPrintable(read.errorMessage()));
        return 1;
    }
    LayoutAnalyzer().analyze(read->pages, read->outline);
    std::vector<float> rows;
    QList<BlockRef> refs;
    BlockFeatures::compute(read->pages, read->outline, &rows, &refs);
    const QStringList names = BlockFeatures::names();
    const Result<std::shared_ptr<const BlockClassifier>> classifier =
        BlockClassifier::load(BlockRoleModel::defaultPath(), static_cast<int>(names.size()));
    if (!classifier) {
        qCritical("%s", qPrintable(classifier.errorMessage()));
        return 1;
    }
    const std::vector<float> probabilities = (*classifier)->probabilities(rows);
    const std::vector<int> roles = mostLikely(probabilities, kBlockRoleCount);
    QTextStream out(stdout);
    const QStringList types{QStringLiteral("text"), QStringLiteral("title"), QStringLiteral("list"), QStringLiteral("discarded"),
                            QStringLiteral("table"), QStringLiteral("figure"), QStringLiteral("formula")};
    for (qsizetype i = 0; i < refs.size(); ++i) {
        const TextBlock &block = read->pages[refs[i].page].blocks[refs[i].block];
        const int role = roles[size_t(i)];
        out << refs[i].page << ' ' << types[int(block.type)] << " -> " << blockRoleNames()[role] << ' '
            << QString::number(probabilities[size_t(i) * kBlockRoleCount + size_t(role)], 'f', 2) << " | "
            << block.text().left(60) << "\n   ";
        for (qsizetype c = 0; c < names.size(); ++c)
            out << names[c] << '=' << QString::number(rows[size_t(i * names.size() + c)], 'g', 3) << ' ';
        out << '\n';
    }
    return 0;
}

} // namespace

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addPositionalArgument(QStringLiteral("out"), QStringLiteral("CSV file to write"));
    parser.addOption({QStringLiteral("documents"), QStringLiteral("documents to generate"), QStringLiteral("n"), QStringLiteral("400")});
    parser.addOption({QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("s"), QStringLiteral("1")});
    parser.addOption({QStringLiteral("keep-pdf"), QStringLiteral("also write the first document as PDF here"), QStringLiteral("file")});
    parser.addOption({QStringLiteral("explain"), QStringLiteral("print the rules' type, the model's role and confidence and the features of each block of this PDF, then stop"), QStringLiteral("pdf")});
    parser.addHelpOption();
    parser.process(app);
    if (parser.isSet(QStringLiteral("explain")))
        return explain(parser.value(QStringLiteral("explain")));
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);

    QFile out(parser.positionalArguments().first());
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        qCritical("cannot write %s", qPrintable(out.fileName()));
        return 1;
    }
    QTextStream csv(&out);
    csv << "document,role," << BlockFeatures::names().join(QLatin1Char(',')) << '\n';

    BlockData::RandomText random(parser.value(QStringLiteral("seed")).toUInt());
    BlockData::DocumentPainter generator(random);
    const int documents = parser.value(QStringLiteral("documents")).toInt();
    const QStringList roles = blockRoleNames();
    QList<int> counts(kBlockRoleCount, 0);
    int skipped = 0;
    for (int d = 0; d < documents; ++d) {
        QList<QList<BlockData::Painted>> painted;
        const QByteArray pdf = generator.document(&painted);
        if (d == 0 && parser.isSet(QStringLiteral("keep-pdf"))) {
            QFile keep(parser.value(QStringLiteral("keep-pdf")));
            if (keep.open(QIODevice::WriteOnly))
                keep.write(pdf);
        }
        PdfTextReader reader;
        reader.setRegionAnalysis(false);
        PdfReadResult read = reader.read(pdf, ParserParams(), ParseControl());
        if (!read) {
            qCritical("document %d: %s", d, qPrintable(read.errorMessage()));
            return 1;
        }
        LayoutAnalyzer().analyze(read->pages, read->outline);
        std::vector<float> rows;
        QList<BlockRef> refs;
        BlockFeatures::compute(read->pages, read->outline, &rows, &refs);
        const size_t width = size_t(BlockFeatures::names().size());
        for (qsizetype r = 0; r < refs.size(); ++r) {
            const BlockRef &ref = refs[r];
            const int role = ref.page < painted.size() ? roleOf(read->pages[ref.page].blocks[ref.block], painted[ref.page]) : -1;
            if (role < 0) {
                ++skipped;
                continue;
            }
            ++counts[role];
            csv << d << ',' << roles[role];
            for (size_t c = 0; c < width; ++c)
                csv << ',' << QString::number(rows[size_t(r) * width + c], 'g', 6);
            csv << '\n';
        }
    }
    QTextStream err(stderr);
    for (int i = 0; i < kBlockRoleCount; ++i)
        err << roles[i] << ' ' << counts[i] << '\n';
    err << "skipped " << skipped << '\n';
    return 0;
}
