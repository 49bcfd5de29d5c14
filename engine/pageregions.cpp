#include "engine/pageregions.h"

#include "engine/markdownwriter.h"
#include "engine/tensor/pageanalysis.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>
#include <QLibrary>
#include <QRegularExpression>

#include <algorithm>

namespace DocRay {

namespace {

// A shaded box around a paragraph looks like a graphic; real figures carry
// only a few labels.
constexpr double kMaxFigureTextShare = 0.3;
constexpr int kPaintGrey = 245;          // as the tensor module's paintInk
constexpr int kMaxLabelWords = 8;         // on one line inside a figure
constexpr int kMaxLabelCharacters = 200;  // in all of a figure's labels

Tensor::GrayImage toGray(const QImage &image)
{
    const QImage grey = image.format() == QImage::Format_Grayscale8 ? image
                                                                    : image.convertToFormat(QImage::Format_Grayscale8);
    Tensor::GrayImage out;
    out.width = grey.width();
    out.height = grey.height();
    out.pixels.resize(size_t(out.width) * size_t(out.height));
    for (int y = 0; y < out.height; ++y)
        std::copy_n(grey.constScanLine(y), out.width, out.pixels.begin() + qsizetype(y) * out.width);
    return out;
}

QRectF toPoints(const Tensor::PixelBox &box, double scale)
{
    return QRectF(box.left / scale, box.top / scale, box.width() / scale, box.height() / scale);
}

// Words whose centre lies in `area` leave the page's lines and are returned.
QList<TextSpan> takeWords(PageLayout &page, const QRectF &area)
{
    QList<TextSpan> taken;
    QList<TextLine> kept;
    for (const TextLine &line : std::as_const(page.lines)) {
        TextLine rest;
        for (const TextSpan &span : line.spans) {
            if (area.contains(span.bbox.center())) {
                taken.append(span);
            } else {
                rest.bbox = rest.spans.isEmpty() ? span.bbox : rest.bbox.united(span.bbox);
                rest.spans.append(span);
            }
        }
        if (!rest.spans.isEmpty())
            kept.append(rest);
    }
    if (!taken.isEmpty())
        page.lines = kept;
    return taken;
}

// Axis labels and legends sit just outside the paint: short lines that
// touch the figure's box join it. A caption does not, nor does prose.
QRectF labelledArea(const PageLayout &page, QRectF area)
{
    static const QRegularExpression captionStart(QStringLiteral("^(fig|figure|table|chart|image|photo)\\b"),
                                                 QRegularExpression::CaseInsensitiveOption);
    for (int pass = 0; pass < 2; ++pass)
        for (const TextLine &line : page.lines) {
            const double reach = qMax(line.bbox.height(), 4.0);
            if (!line.bbox.intersects(area.adjusted(-reach, -reach, reach, reach)) || area.contains(line.bbox))
                continue;
            const QString text = line.text().trimmed();
            if (line.spans.size() > 4 || line.bbox.width() > 0.5 * area.width() || captionStart.match(text).hasMatch())
                continue;
            area = area.united(line.bbox);
        }
    return area;
}

// Words whose box corners are painted: text set on a filled shape. Four
// samples a word, just inside its corners, where glyphs rarely reach.
qsizetype onFill(const QImage &grey, double scale, const QList<TextSpan> &words)
{
    qsizetype count = 0;
    for (const TextSpan &word : words) {
        const QRect box = QRectF(word.bbox.topLeft() * scale, word.bbox.bottomRight() * scale).toRect().adjusted(1, 1, -1, -1);
        int painted = 0;
        for (const QPoint &p : {box.topLeft(), box.topRight(), box.bottomLeft(), box.bottomRight()})
            painted += grey.valid(p) && qGray(grey.pixel(p)) < kPaintGrey;
        count += painted >= 3;
    }
    return count;
}

double wordArea(const QList<TextSpan> &words)
{
    double area = 0;
    for (const TextSpan &word : words)
        area += word.bbox.width() * word.bbox.height();
    return area;
}

// A cell's text from the page's lines as the reader built them (right-to-
// left lines are already in logical order): the part of each line inside
// the cell, top to bottom.
QString cellText(const QList<TextLine> &lines, const QRectF &cell)
{
    QList<TextLine> parts;
    for (const TextLine &line : lines) {
        TextLine part;
        for (const TextSpan &span : line.spans)
            if (cell.contains(span.bbox.center())) {
                part.bbox = part.spans.isEmpty() ? span.bbox : part.bbox.united(span.bbox);
                part.spans.append(span);
            }
        if (!part.spans.isEmpty()) {
            part.spans.last().spaceAfter = false;
            parts.append(part);
        }
    }
    std::stable_sort(parts.begin(), parts.end(),
                     [](const TextLine &a, const TextLine &b) { return a.bbox.top() < b.bbox.top() - 1; });
    return MarkdownWriter::joinLines(parts);
}

QByteArray toPng(const QImage &image)
{
    QByteArray png;
    QBuffer buffer(&png);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return png;
}

// The page-tensor module, opened once per process on first use. Keeping
// LibTorch out of the executable's link keeps start-up and the window fast.
const Tensor::ModuleApi *tensorModule(QString *error)
{
    struct Loaded {
        const Tensor::ModuleApi *api = nullptr;
        QString error;
    };
    static const Loaded loaded = [] {
        Loaded result;
        // LibTorch narrates through glog on stderr ("... is in beta"); warnings
        // that matter reach the job as errors.
        if (qEnvironmentVariableIsEmpty("GLOG_minloglevel"))
            qputenv("GLOG_minloglevel", "2");
        const QString appDir = QCoreApplication::applicationDirPath();
        QStringList candidates{qEnvironmentVariable("DOCRAY_TENSOR_MODULE"),
                               appDir + QStringLiteral("/libdocray_tensor.so"),
                               appDir + QStringLiteral("/../lib/doc-ray/libdocray_tensor.so"),
                               QStringLiteral(DOCRAY_TENSOR_MODULE_BUILD_PATH)};
        candidates.removeAll(QString());
        QStringList failures;
        for (const QString &path : std::as_const(candidates)) {
            if (!QFile::exists(path))
                continue;
            QLibrary library(path);
            using Entry = const Tensor::ModuleApi *(*)();
            if (auto entry = reinterpret_cast<Entry>(library.resolve("docray_tensor_module"))) {
                result.api = entry(); // the library stays loaded: QLibrary does not unload on destruction
                return result;
            }
            failures.append(library.errorString());
        }
        result.error = QStringLiteral("The page analysis module (libdocray_tensor.so) could not be loaded%1.")
                           .arg(failures.isEmpty() ? QString() : QStringLiteral(": ") + failures.join(QStringLiteral("; ")));
        return result;
    }();
    if (!loaded.api && error)
        *error = loaded.error;
    return loaded.api;
}

} // namespace

const Tensor::ModuleApi *loadTensorModule(QString *error)
{
    return tensorModule(error);
}

QString resolveComputeDevice(const QString &requested, QString *error)
{
    QString loadError;
    const Tensor::ModuleApi *module = tensorModule(&loadError);
    if (!module) {
        if (error)
            *error = loadError;
        return {};
    }
    const Tensor::DeviceChoice choice = module->chooseDevice(requested.trimmed().toLower().toStdString());
    if (error)
        *error = QString::fromStdString(choice.error);
    return QString::fromStdString(choice.device);
}

PageRegionFinder::PageRegionFinder(const Options &options, CropRenderer crop)
    : m_options(options)
    , m_crop(std::move(crop))
{
}

QString PageRegionFinder::process(const QList<PageRender> &batch) const
{
    if (batch.isEmpty() || (!m_options.tables && !m_options.figures))
        return {};
    std::vector<Tensor::PageInput> inputs;
    inputs.reserve(size_t(batch.size()));
    for (const PageRender &render : batch) {
        Tensor::PageInput input;
        input.image = toGray(render.grey);
        const double scale = render.dpi / 72.0;
        for (const TextLine &line : std::as_const(render.page->lines))
            for (const TextSpan &span : line.spans) {
                // Glyphs of large type overshoot their box more: the margin grows with the size.
                const QRectF b = span.bbox.adjusted(-0.15 * span.bbox.height(), -0.15 * span.bbox.height(),
                                                    0.15 * span.bbox.height(), 0.15 * span.bbox.height());
                input.text.push_back({int(b.left() * scale) - 1, int(b.top() * scale) - 1,
                                      int(b.right() * scale) + 2, int(b.bottom() * scale) + 2});
            }
        inputs.push_back(std::move(input));
    }
    QString loadError;
    const Tensor::ModuleApi *module = tensorModule(&loadError);
    if (!module)
        return loadError;
    const Tensor::BatchFindings found = module->analyzePages(inputs, {}, m_options.device.toStdString());
    if (!found.error.empty())
        return QString::fromStdString(found.error);

    for (qsizetype i = 0; i < batch.size(); ++i) {
        PageLayout &page = *batch[i].page;
        const double scale = batch[i].dpi / 72.0;
        const Tensor::PageFindings &findings = found.pages[size_t(i)];
        if (m_options.tables) {
            for (const Tensor::TableGrid &grid : findings.tables) {
                TextBlock table;
                table.type = BlockType::Table;
                table.bbox = toPoints(grid.box, scale);
                table.rows = grid.rows();
                table.columns = grid.columns();
                for (const Tensor::GridCell &gridCell : grid.cells) {
                    TableCell cell;
                    cell.row = gridCell.row;
                    cell.column = gridCell.column;
                    cell.rowSpan = gridCell.rowSpan;
                    cell.columnSpan = gridCell.columnSpan;
                    cell.bbox = toPoints(gridCell.box, scale);
                    cell.text = cellText(page.lines, cell.bbox);
                    table.cells.append(cell);
                }
                takeWords(page, table.bbox);
                page.regions.append(table);
            }
        }
        if (m_options.figures) {
            int figureNumber = 0;
            for (const Tensor::PixelBox &box : findings.graphics) {
                const QRectF paint = toPoints(box, scale).adjusted(-2, -2, 2, 2) & QRectF(QPointF(0, 0), page.size);
                if (paint.isEmpty())
                    continue;
                const QRectF area = labelledArea(page, paint);
                QList<TextSpan> labels;
                bool prose = false;
                for (const TextLine &line : std::as_const(page.lines)) {
                    int inside = 0;
                    for (const TextSpan &span : line.spans)
                        if (area.contains(span.bbox.center())) {
                            labels.append(span);
                            ++inside;
                        }
                    prose |= inside >= kMaxLabelWords;
                }
                int characters = 0;
                for (const TextSpan &label : std::as_const(labels))
                    characters += static_cast<int>(label.text.size());
                // Slide backgrounds and shaded boxes hold running text, or
                // words set on the fill; a figure holds labels, mostly on white.
                if (prose || characters > kMaxLabelCharacters
                    || wordArea(labels) > kMaxFigureTextShare * area.width() * area.height()
                    || onFill(batch[i].grey, scale, labels) * 2 > labels.size())
                    continue;
                const QImage crop = m_crop ? m_crop(page, area) : QImage();
                if (crop.isNull())
                    continue;
                // Axis labels and the like belong to the picture, not the prose.
                takeWords(page, area);
                TextBlock figure;
                figure.type = BlockType::Figure;
                figure.bbox = area;
                figure.imageName = QStringLiteral("%1_%2.png").arg(page.pageIndex + 1).arg(++figureNumber);
                figure.imagePng = toPng(crop);
                page.regions.append(figure);
            }
        }
    }
    return {};
}

} // namespace DocRay
