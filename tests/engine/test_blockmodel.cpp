// The block-role model shipped in models/: its file loads in the tensor
// module, its manifest names the features and classes the engine computes,
// and on a page drawn here it gives the roles the page was drawn with.
#include "engine/core/ziparchive.h"
#include "engine/core/zipwriter.h"
#include "engine/layout/blockclassifier.h"
#include "engine/layout/blockfeatures.h"
#include "engine/layout/blockmodel.h"
#include "engine/layout/layoutanalyzer.h"
#include "engine/pdf/pdftextreader.h"
#include "tests/support/parsedocument.h"
#include "tests/support/testsupport.h"

#include <QFile>
#include <QFontMetricsF>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPdfWriter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QRegularExpression>
#include <QtTest>

#ifdef DOCRAY_TEST_AGAINST_TORCH
#include <torch/torch.h>
#endif

using namespace DocRay;

namespace {

const QString kModel = QStringLiteral(DOCRAY_SOURCE_DIR "/models/block_roles.pt");
const QString kManifest = QStringLiteral(DOCRAY_SOURCE_DIR "/models/block_roles.json");

QStringList strings(const QJsonArray &array)
{
    QStringList out;
    for (const QJsonValue &value : array)
        out.append(value.toString());
    return out;
}

// Two pages, each: a title (page 1) or a numbered heading, two paragraphs,
// a bulleted list and a centred page number at the foot.
QByteArray articlePdf()
{
    return Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
        const QString paragraph = QStringLiteral(
            "The measured values agree with the model within the error of the method, and the %1 shows no drift over "
            "the whole period of the study.");
        for (int page = 1; page <= 2; ++page) {
            if (page > 1)
                writer.newPage();
            double y = 80;
            if (page == 1) {
                painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 22, QFont::Bold));
                painter.drawText(QPointF(60, y), QStringLiteral("Water Pressure in Small Engines"));
                y += 50;
            }
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 14, QFont::Bold));
            // Different on each page: the same words at the top of every
            // page, a number aside, are what a running head is.
            painter.drawText(QPointF(60, y), page == 1 ? QStringLiteral("1 Results of the Study")
                                                       : QStringLiteral("2 Methods of the Analysis"));
            y += 30;
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            for (int p = 0; p < 2; ++p) {
                const QStringList words = paragraph.arg(p ? QStringLiteral("sample") : QStringLiteral("signal")).split(QLatin1Char(' '));
                painter.drawText(QPointF(60, y), words.mid(0, 12).join(QLatin1Char(' ')));
                painter.drawText(QPointF(60, y + 13), words.mid(12).join(QLatin1Char(' ')));
                y += 40;
            }
            for (int item = 1; item <= 3; ++item) {
                painter.drawText(QPointF(70, y), QStringLiteral("•"));
                painter.drawText(QPointF(85, y), QStringLiteral("Item number %1 of the list").arg(item));
                y += 16;
            }
            painter.drawText(QPointF(290, 800), QString::number(page));
        }
    });
}

// Prose around a display equation (italic variables, Greek, a superscript,
// an operator) centred and numbered "(7)" at the right margin, and a table
// of two rows set in whitespace: the page's table pass wants three rows.
QByteArray mathPagePdf()
{
    return Test::paintedPdf([](QPainter &painter, QPdfWriter &) {
        const QFont body(QStringLiteral("DejaVu Serif"), 10);
        QFont italic = body;
        italic.setItalic(true);
        QFont small = body;
        small.setPointSizeF(7);
        painter.setFont(body);
        const QString prose = QStringLiteral(
            "The energy of the system follows from the sum over all states, weighted by their probability, as the "
            "derivation in the previous section showed for the simple case of two states.");
        const QStringList words = prose.split(QLatin1Char(' '));
        double y = 90;
        for (int p = 0; p < 2; ++p) {
            painter.drawText(QPointF(60, y), words.mid(0, 14).join(QLatin1Char(' ')));
            painter.drawText(QPointF(60, y + 13), words.mid(14).join(QLatin1Char(' ')));
            y += 40;
            if (p == 1)
                break;
            // E(θ) = ∑ λ_i x² + σ            (7)
            struct Piece {
                QString text;
                QFont font;
                double rise;
            };
            const QList<Piece> pieces{{QStringLiteral("E"), italic, 0},   {QStringLiteral("(θ)"), body, 0},
                                      {QStringLiteral("="), body, 0},     {QStringLiteral("∑"), body, 0},
                                      {QStringLiteral("λ"), italic, 0},   {QStringLiteral("i"), small, -3},
                                      {QStringLiteral("x"), italic, 0},   {QStringLiteral("2"), small, 4},
                                      {QStringLiteral("+"), body, 0},     {QStringLiteral("σ"), italic, 0},
                                      {QStringLiteral("−"), body, 0},     {QStringLiteral("μ"), italic, 0}};
            double x = 220;
            y += 8;
            for (const Piece &piece : pieces) {
                painter.setFont(piece.font);
                painter.drawText(QPointF(x, y - piece.rise), piece.text);
                x += QFontMetricsF(piece.font, painter.device()).horizontalAdvance(piece.text) + 3;
            }
            painter.setFont(body);
            painter.drawText(QPointF(510, y), QStringLiteral("(7)"));
            y += 30;
        }
        y += 10;
        const QList<QStringList> rows{{QStringLiteral("Sample"), QStringLiteral("Mass"), QStringLiteral("Energy")},
                                      {QStringLiteral("Copper"), QStringLiteral("12.5"), QStringLiteral("3400")}};
        for (const QStringList &row : rows) {
            for (int c = 0; c < row.size(); ++c)
                painter.drawText(QPointF(60 + 150 * c, y), row[c]);
            y += 14;
        }
        y += 20;
        painter.drawText(QPointF(60, y), words.mid(0, 14).join(QLatin1Char(' ')));
        painter.drawText(QPointF(60, y + 13), words.mid(14).join(QLatin1Char(' ')));
    });
}

} // namespace

class TestBlockModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void manifestMatchesTheCode()
    {
        QFile file(kManifest);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(kManifest));
        const QJsonObject manifest = QJsonDocument::fromJson(file.readAll()).object();
        QCOMPARE(strings(manifest.value(QStringLiteral("features")).toArray()), BlockFeatures::names());
        QCOMPARE(strings(manifest.value(QStringLiteral("classes")).toArray()), blockRoleNames());
        QCOMPARE(blockRoleNames().size(), kBlockRoleCount);
        // The recipe is reproducible only with its seed written down.
        QVERIFY(manifest.value(QStringLiteral("recipe")).toObject().contains(QStringLiteral("seed")));
        QVERIFY(manifest.value(QStringLiteral("scores")).toObject().value(QStringLiteral("held_out_accuracy")).toDouble() > 0.8);
    }

    void modelFileLoads()
    {
        const int width = static_cast<int>(BlockFeatures::names().size());
        const Result<std::shared_ptr<const BlockClassifier>> classifier = BlockClassifier::load(kModel, width);
        QVERIFY2(classifier.ok(), qPrintable(classifier.errorMessage()));
        QCOMPARE((*classifier)->classCount(), kBlockRoleCount);
        const std::vector<float> p = (*classifier)->probabilities(std::vector<float>(size_t(2 * width), 0.5f));
        QCOMPARE(p.size(), size_t(2 * kBlockRoleCount));
        QVERIFY(qAbs(std::accumulate(p.begin(), p.begin() + kBlockRoleCount, 0.0) - 1.0) < 1e-5);
        QCOMPARE(mostLikely(p, kBlockRoleCount).size(), size_t(2));
        // The wrong width, a missing file, a file that is no model, a model
        // whose layers do not chain: errors, not crashes.
        QVERIFY(!BlockClassifier::load(kModel, width + 1).ok());
        QVERIFY(!BlockClassifier::load(QStringLiteral("/nonexistent/model.pt"), width).ok());
        QTemporaryDir dir;
        const QString notAModel = dir.filePath(QStringLiteral("broken.pt"));
        QFile broken(notAModel);
        QVERIFY(broken.open(QIODevice::WriteOnly) && broken.write("PK\x03\x04 not a zip") > 0);
        broken.close();
        QVERIFY(!BlockClassifier::load(notAModel, width).ok());
        // The real model without its first layer's bias.
        QFile model(kModel);
        QVERIFY(model.open(QIODevice::ReadOnly));
        const ZipArchive original(model.readAll());
        ZipWriter writer;
        for (const QString &name : original.entryNames())
            if (name != QLatin1String("block_roles/data/3"))
                writer.add(name, original.read(name), false);
        const Result<QByteArray> packed = writer.finish();
        QVERIFY(packed.ok());
        const QString unchained = dir.filePath(QStringLiteral("unchained.pt"));
        QFile out(unchained);
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(*packed) == packed->size());
        out.close();
        const Result<std::shared_ptr<const BlockClassifier>> refused = BlockClassifier::load(unchained, width);
        QVERIFY(!refused.ok());
    }

    // The engine's forward pass gives what LibTorch gives on the file the
    // trainer wrote, on rows spread over the features' real ranges.
    void classifierMatchesLibTorch()
    {
#ifndef DOCRAY_TEST_AGAINST_TORCH
        QSKIP("built without LibTorch: nothing to compare with");
#else
        const int width = static_cast<int>(BlockFeatures::names().size());
        const Result<std::shared_ptr<const BlockClassifier>> classifier = BlockClassifier::load(kModel, width);
        QVERIFY2(classifier.ok(), qPrintable(classifier.errorMessage()));
        std::vector<torch::Tensor> tensors;
        torch::load(tensors, kModel.toStdString());
        QRandomGenerator random(17);
        const int rows = 300;
        std::vector<float> features(size_t(rows * width));
        for (size_t i = 0; i < features.size(); ++i) {
            const size_t column = i % size_t(width);
            const float mean = tensors[0][int64_t(column)].item<float>(), scale = tensors[1][int64_t(column)].item<float>();
            features[i] = mean + scale * float(random.generateDouble() * 6 - 3);
        }
        torch::NoGradGuard noGrad;
        torch::Tensor x = (torch::from_blob(features.data(), {rows, width}).clone() - tensors[0]) / tensors[1];
        for (size_t layer = 2; layer < tensors.size(); layer += 2) {
            x = torch::nn::functional::linear(x, tensors[layer], tensors[layer + 1]);
            if (layer + 2 < tensors.size())
                x = torch::relu(x);
        }
        const torch::Tensor expected = torch::softmax(x, 1).contiguous();
        const std::vector<float> got = (*classifier)->probabilities(features);
        QCOMPARE(got.size(), size_t(expected.numel()));
        const float *want = expected.data_ptr<float>();
        double worst = 0;
        for (size_t i = 0; i < got.size(); ++i)
            worst = qMax(worst, double(qAbs(got[i] - want[i])));
        QVERIFY2(worst < 1e-5, qPrintable(QString::number(worst)));
        const torch::Tensor best = expected.argmax(1).to(torch::kInt32).contiguous();
        QVERIFY(mostLikely(got, kBlockRoleCount) == std::vector<int>(best.data_ptr<int>(), best.data_ptr<int>() + rows));
#endif
    }

    void predictsTheRolesOfAGeneratedPage()
    {
        PdfTextReader reader;
        reader.setRegionAnalysis(false);
        PdfReadResult read = reader.read(articlePdf(), ParserParams(), ParseControl());
        QVERIFY2(read.ok(), qPrintable(read.errorMessage()));
        LayoutAnalyzer().analyze(read->pages, read->outline);
        std::vector<float> rows;
        QList<BlockRef> refs;
        BlockFeatures::compute(read->pages, read->outline, &rows, &refs);
        QVERIFY(!refs.isEmpty());
        const Result<std::shared_ptr<const BlockClassifier>> classifier =
            BlockClassifier::load(kModel, static_cast<int>(BlockFeatures::names().size()));
        QVERIFY2(classifier.ok(), qPrintable(classifier.errorMessage()));
        const std::vector<int> predicted = mostLikely((*classifier)->probabilities(rows), kBlockRoleCount);

        const QStringList roles = blockRoleNames();
        int checked = 0;
        for (qsizetype i = 0; i < refs.size(); ++i) {
            const QString text = read->pages[refs[i].page].blocks[refs[i].block].text();
            const BlockRole role = static_cast<BlockRole>(predicted[size_t(i)]);
            const QString got = roles[int(role)] + QStringLiteral(" for: ") + text;
            if (text.startsWith(QLatin1String("Water Pressure"))) {
                QVERIFY2(role == BlockRole::Title || role == BlockRole::Heading, qPrintable(got));
            } else if (text.contains(QLatin1String("Results of the Study")) || text.contains(QLatin1String("Methods of the"))) {
                QVERIFY2(role == BlockRole::Heading || role == BlockRole::Subheading, qPrintable(got));
            } else if (text.startsWith(QLatin1String("The measured"))) {
                QCOMPARE(role, BlockRole::Paragraph);
            } else if (text.contains(QLatin1String("Item number"))) {
                QVERIFY2(role == BlockRole::ListItem, qPrintable(got));
            } else if (text == QLatin1String("1") || text == QLatin1String("2")) {
                QVERIFY2(role == BlockRole::PageNumber, qPrintable(got));
            } else {
                continue;
            }
            ++checked;
        }
        QVERIFY2(checked >= 10, qPrintable(QString::number(checked)));
    }

    void parserParamTurnsTheModelOn()
    {
        ParserParams params;
        QVERIFY(Test::readParams(QJsonObject{{QStringLiteral("block_model"), true}}, &params).isEmpty());
        QVERIFY(params.blockModel);
        QVERIFY(!Test::readParams(QJsonObject{{QStringLiteral("block_model"), 1}}, &params).isEmpty());
        QVERIFY(!BlockRoleModel::defaultPath().isEmpty());

        params.blockModel = true;
        const ParseResult parsed = Test::parseDocument(articlePdf(), QStringLiteral("article.pdf"), params);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        const QString markdown = parsed->markdown();
        QVERIFY2(markdown.contains(QLatin1String("# Water Pressure in Small Engines")), qPrintable(markdown));
        QVERIFY2(markdown.contains(QLatin1String("# 1 Results of the Study")), qPrintable(markdown));
        QVERIFY2(markdown.contains(QLatin1String("- Item number 2 of the list")), qPrintable(markdown));
        QVERIFY2(!markdown.contains(QLatin1String("\n2\n")), qPrintable(markdown));
    }

    void slideTitleIsKept()
    {
        // Slides converted to PDF: a large centred title at the very top of
        // each page, where running headers sit, above a subtitle and a chart.
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter, QPdfWriter &writer) {
            const QStringList titles{QStringLiteral("Quarterly Duck Survey"), QStringLiteral("Quarterly revenue")};
            for (int slide = 0; slide < titles.size(); ++slide) {
                if (slide > 0)
                    writer.newPage();
                painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 44));
                painter.drawText(QRectF(0, 42, 595, 60), Qt::AlignHCenter | Qt::AlignTop, titles[slide]);
                if (slide == 0) {
                    painter.setFont(QFont(QStringLiteral("DejaVu Sans"), 21));
                    painter.drawText(QRectF(0, 130, 595, 30), Qt::AlignHCenter | Qt::AlignTop,
                                     QStringLiteral("Wild Duck Observations by Year"));
                }
                for (int bar = 0; bar < 4; ++bar)
                    painter.fillRect(QRectF(100 + 110 * bar, 420 - 50 * (bar + 1), 60, 50 * (bar + 1)), QColor(70, 110, 190));
            }
        });
        const ParseResult parsed = Test::parseDocument(pdf, QStringLiteral("slides.pdf"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        const QString markdown = parsed->markdown();
        QVERIFY2(markdown.startsWith(QLatin1String("Quarterly Duck Survey")) || markdown.startsWith(QLatin1String("# Quarterly Duck Survey")),
                 qPrintable(markdown));
        QVERIFY2(markdown.contains(QLatin1String("Quarterly revenue")), qPrintable(markdown));
    }

    void formulaAndTwoRowTableFromTheModel()
    {
        ParserParams params;
        params.blockModel = true;
        const ParseResult parsed = Test::parseDocument(mathPagePdf(), QStringLiteral("math.pdf"), params);
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        const QString markdown = parsed->markdown();
        // Display math on lines of its own, not run into the prose.
        const qsizetype open = markdown.indexOf(QLatin1String("$$\n"));
        QVERIFY2(open >= 0, qPrintable(markdown));
        const qsizetype close = markdown.indexOf(QLatin1String("\n$$"), open + 3);
        QVERIFY2(close > open, qPrintable(markdown));
        const QString formula = markdown.mid(open + 3, close - open - 3);
        QVERIFY2(formula.contains(QStringLiteral("∑")) && formula.contains(QStringLiteral("σ")), qPrintable(markdown));
        // Its number at the margin is part of it, on its line.
        QVERIFY2(formula.contains(QStringLiteral("μ (7)")), qPrintable(formula));
        QVERIFY2(!formula.contains(QLatin1String("energy")), qPrintable(formula));
        QVERIFY2(markdown.contains(QLatin1String("| Sample | Mass | Energy |")), qPrintable(markdown));
        QVERIFY2(markdown.contains(QLatin1String("| Copper | 12.5 | 3400 |")), qPrintable(markdown));

        const QJsonObject page = QJsonDocument::fromJson(parsed->middleJson())
                                     .object()
                                     .value(QStringLiteral("pdf_info"))
                                     .toArray()
                                     .first()
                                     .toObject();
        const QJsonArray equations = page.value(QStringLiteral("interline_equations")).toArray();
        QCOMPARE(equations.size(), 1);
        const QJsonObject span = equations.first()
                                     .toObject()
                                     .value(QStringLiteral("lines"))
                                     .toArray()
                                     .first()
                                     .toObject()
                                     .value(QStringLiteral("spans"))
                                     .toArray()
                                     .first()
                                     .toObject();
        QCOMPARE(span.value(QStringLiteral("type")).toString(), QStringLiteral("interline_equation"));
        QVERIFY(span.value(QStringLiteral("content")).toString().contains(QStringLiteral("λ")));
        QCOMPARE(page.value(QStringLiteral("tables")).toArray().size(), 1);

        // formula_enable and table_enable turn them off; the rules alone make neither.
        params.formulaEnable = false;
        params.tableEnable = false;
        const QString off = Test::parseDocument(mathPagePdf(), QStringLiteral("math.pdf"), params)->markdown();
        QVERIFY2(!off.contains(QLatin1String("$$")) && !off.contains(QLatin1String("| Copper")), qPrintable(off));
        QVERIFY2(off.contains(QStringLiteral("σ")) && off.contains(QLatin1String("Copper")), qPrintable(off));
        params = ParserParams();
        params.blockModel = false;
        const QString rules = Test::parseDocument(mathPagePdf(), QStringLiteral("math.pdf"), params)->markdown();
        QVERIFY2(!rules.contains(QLatin1String("$$")) && !rules.contains(QLatin1String("| Copper")), qPrintable(rules));
    }

    // Greek letters are variables in math, but a Greek paragraph is prose.
    void greekProseIsNoFormula()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("DejaVu Serif"), 10));
            const QStringList lines{QStringLiteral("Η μέτρηση της πίεσης έγινε σε όλους τους κινητήρες της μελέτης"),
                                    QStringLiteral("και τα αποτελέσματα συμφωνούν με το μοντέλο μέσα στο σφάλμα."),
                                    QStringLiteral("Οι τιμές δεν δείχνουν καμία μεταβολή σε όλη τη διάρκεια της"),
                                    QStringLiteral("περιόδου, ούτε στο δείγμα ούτε στο σήμα που μετρήθηκε.")};
            for (int paragraph = 0; paragraph < 3; ++paragraph)
                for (int l = 0; l < lines.size(); ++l)
                    painter.drawText(QPointF(60, 90 + paragraph * 70 + l * 13), lines[l]);
        });
        const ParseResult parsed = Test::parseDocument(pdf, QStringLiteral("greek.pdf"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        QVERIFY2(parsed->markdown().contains(QStringLiteral("μέτρηση")), qPrintable(parsed->markdown()));
        QVERIFY2(!parsed->markdown().contains(QLatin1String("$$")), qPrintable(parsed->markdown()));
    }

    // A Chinese sentence set large (a caption over a photo) is no heading,
    // whatever the model makes of its size; the chapter's title is one.
    void chineseSentenceInLargeTypeIsNoHeading()
    {
        const QByteArray pdf = Test::paintedPdf([](QPainter &painter) {
            painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 18));
            painter.drawText(QPointF(60, 80), QStringLiteral("第一章 傩与社火"));
            painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 10));
            for (int l = 0; l < 12; ++l)
                painter.drawText(QPointF(60, 120 + l * 16), QStringLiteral("场子设在村边低洼处一块地里，四面土坡都是看台，几张桌子一字排开。"));
            painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 14));
            painter.drawText(QPointF(60, 340), QStringLiteral("这一笔娟秀的行书，不知是出自谁人之手。"));
            painter.setFont(QFont(QStringLiteral("WenQuanYi Micro Hei"), 10));
            for (int l = 0; l < 6; ++l)
                painter.drawText(QPointF(60, 380 + l * 16), QStringLiteral("终于开始了，一阵激情四射的起火当头，欢声雷动，场子里壮汉们装火。"));
        });
        const ParseResult parsed = Test::parseDocument(pdf, QStringLiteral("zh-caption.pdf"));
        QVERIFY2(parsed.ok(), qPrintable(parsed.errorMessage()));
        const QString md = parsed->markdown();
        QVERIFY2(md.contains(QRegularExpression(QStringLiteral("^#+ 第一章 傩与社火$"), QRegularExpression::MultilineOption)), qPrintable(md));
        QVERIFY2(md.contains(QStringLiteral("这一笔娟秀的行书")), qPrintable(md));
        QVERIFY2(!md.contains(QRegularExpression(QStringLiteral("^#+ .*。$"), QRegularExpression::MultilineOption)), qPrintable(md));
    }

    void missingModelFallsBackToTheRules()
    {
        QList<PageLayout> pages;
        QCOMPARE(BlockRoleModel::apply(pages, {}, {}, QString()).isEmpty(), false);
    }
};

QTEST_MAIN(TestBlockModel)
#include "test_blockmodel.moc"
