#include "engine/layout/blockclassifier.h"

#include "engine/core/ziparchive.h"

#include <QFile>
#include <QHash>
#include <QMutex>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace DocRay {

namespace {

constexpr qint64 kMaxModelFileBytes = 64 * 1024 * 1024;

Error modelError(const QString &path, const QString &why)
{
    return {ErrorCode::Internal, QStringLiteral("The block-role model file %1 %2.").arg(path, why)};
}

// The raw storages of a LibTorch zip archive ("<name>/data/0", "/data/1", ...)
// in key order, as floats.
QList<std::vector<float>> storages(const ZipArchive &zip)
{
    QString prefix;
    for (const QString &name : zip.entryNames())
        if (name.endsWith(QLatin1String("/data/0")))
            prefix = name.chopped(1);
    QList<std::vector<float>> found;
    if (prefix.isEmpty())
        return found;
    for (int key = 0;; ++key) {
        bool ok = false;
        const QByteArray bytes = zip.read(prefix + QString::number(key), &ok);
        if (!ok || bytes.size() % qsizetype(sizeof(float)) != 0)
            return found;
        std::vector<float> values(size_t(bytes.size()) / sizeof(float));
        std::memcpy(values.data(), bytes.constData(), size_t(bytes.size()));
        found.append(std::move(values));
    }
}

} // namespace

Result<std::shared_ptr<const BlockClassifier>> BlockClassifier::load(const QString &path, int featureCount)
{
    // Every parse classifies, on several threads: the file is read once.
    static QMutex mutex;
    static QHash<QString, std::shared_ptr<const BlockClassifier>> loaded;
    const QMutexLocker lock(&mutex);
    std::shared_ptr<const BlockClassifier> &cached = loaded[path];
    if (!cached) {
        Result<std::shared_ptr<const BlockClassifier>> read = BlockClassifier::read(path, featureCount);
        if (!read) {
            loaded.remove(path);
            return read;
        }
        cached = *read;
    }
    if (cached->featureCount() != featureCount)
        return modelError(path, QStringLiteral("does not fit %1 features").arg(featureCount));
    return cached;
}

Result<std::shared_ptr<const BlockClassifier>> BlockClassifier::read(const QString &path, int featureCount)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly) || file.size() > kMaxModelFileBytes)
        return modelError(path, QStringLiteral("cannot be read"));
    const ZipArchive zip(file.readAll());
    if (!zip.isValid())
        return modelError(path, QStringLiteral("is not a model archive"));
    QList<std::vector<float>> tensors = storages(zip);
    if (tensors.size() < 4 || tensors.size() % 2 != 0 || tensors[0].size() != size_t(featureCount)
        || tensors[1].size() != size_t(featureCount))
        return modelError(path, QStringLiteral("does not fit %1 features").arg(featureCount));
    auto classifier = std::make_shared<BlockClassifier>();
    classifier->m_mean = std::move(tensors[0]);
    classifier->m_scale = std::move(tensors[1]);
    int inputs = featureCount;
    for (qsizetype t = 2; t < tensors.size(); t += 2) {
        Layer layer;
        layer.inputs = inputs;
        layer.outputs = static_cast<int>(tensors[t + 1].size());
        if (layer.outputs == 0 || tensors[t].size() != size_t(layer.outputs) * size_t(inputs))
            return modelError(path, QStringLiteral("has a layer that does not chain"));
        layer.weight = std::move(tensors[t]);
        layer.bias = std::move(tensors[t + 1]);
        inputs = layer.outputs;
        classifier->m_layers.push_back(std::move(layer));
    }
    return std::shared_ptr<const BlockClassifier>(std::move(classifier));
}

int BlockClassifier::classCount() const
{
    return m_layers.back().outputs;
}

void BlockClassifier::forward(const float *row, std::vector<float> &scratch, std::vector<float> &next, float *out) const
{
    scratch.resize(m_mean.size());
    for (size_t f = 0; f < m_mean.size(); ++f)
        scratch[f] = (row[f] - m_mean[f]) / m_scale[f];
    for (size_t l = 0; l < m_layers.size(); ++l) {
        const Layer &layer = m_layers[l];
        next.assign(size_t(layer.outputs), 0.f);
        for (int o = 0; o < layer.outputs; ++o) {
            const float *w = layer.weight.data() + size_t(o) * size_t(layer.inputs);
            float sum = layer.bias[size_t(o)];
            for (int i = 0; i < layer.inputs; ++i)
                sum += w[i] * scratch[size_t(i)];
            next[size_t(o)] = (l + 1 < m_layers.size()) ? std::max(sum, 0.f) : sum;
        }
        scratch.swap(next);
    }
    const float top = *std::max_element(scratch.begin(), scratch.end());
    float total = 0;
    for (size_t c = 0; c < scratch.size(); ++c)
        total += out[c] = std::exp(scratch[c] - top);
    for (size_t c = 0; c < scratch.size(); ++c)
        out[c] /= total;
}

std::vector<float> BlockClassifier::probabilities(const std::vector<float> &features) const
{
    const size_t width = m_mean.size();
    const size_t rows = features.size() / width;
    const size_t classes = size_t(classCount());
    std::vector<float> result(rows * classes);
    std::vector<float> scratch, next;
    for (size_t r = 0; r < rows; ++r)
        forward(features.data() + r * width, scratch, next, result.data() + r * classes);
    return result;
}

std::vector<int> mostLikely(const std::vector<float> &probabilities, int classes)
{
    std::vector<int> roles;
    for (size_t start = 0; start + size_t(classes) <= probabilities.size(); start += size_t(classes)) {
        const auto row = probabilities.begin() + std::ptrdiff_t(start);
        roles.push_back(static_cast<int>(std::max_element(row, row + classes) - row));
    }
    return roles;
}

} // namespace DocRay
