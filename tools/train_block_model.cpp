// Trains the block-role model on the CSV that block_data writes: a small
// MLP, on one thread, seeded, a fixed number of epochs, so the same data
// gives the same file. Documents whose number is 4 mod 5 are held out and
// only scored.
//
//   train_block_model DATA.csv MODEL.pt MANIFEST.json [--seed S] [--epochs E] [--generator "how DATA was made"]
//
// The model file holds tensors in this order: feature mean, feature scale,
// then weight and bias of each linear layer; the engine's BlockClassifier
// (engine/layout/blockclassifier.h) runs the same forward pass (ReLU between layers).

#include <torch/torch.h>

#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

struct Dataset {
    std::vector<std::string> featureNames;
    std::vector<std::string> classes;
    std::vector<float> features; // row-major
    std::vector<int64_t> labels;
    std::vector<int> documents;
};

std::vector<std::string> split(const std::string &line)
{
    std::vector<std::string> fields;
    std::stringstream stream(line);
    std::string field;
    while (std::getline(stream, field, ','))
        fields.push_back(field);
    return fields;
}

// The class order is the engine's (engine/layout/blockfeatures.cpp blockRoleNames).
const std::vector<std::string> kClasses{"paragraph", "title",       "heading", "subheading", "list_item", "caption",
                                        "header",    "footer",      "page_number", "footnote", "code",
                                        "formula",   "table"};

bool load(const std::string &path, Dataset *data)
{
    std::ifstream in(path);
    std::string line;
    if (!std::getline(in, line))
        return false;
    const std::vector<std::string> header = split(line);
    if (header.size() < 3)
        return false;
    data->featureNames.assign(header.begin() + 2, header.end());
    for (const char *rulesColumn : {"rules_text", "rules_heading", "rules_list", "rules_discarded"})
        if (std::find(data->featureNames.begin(), data->featureNames.end(), rulesColumn) == data->featureNames.end())
            return false;
    data->classes = kClasses;
    while (std::getline(in, line)) {
        const std::vector<std::string> fields = split(line);
        if (fields.size() != header.size())
            return false;
        const auto role = std::find(kClasses.begin(), kClasses.end(), fields[1]);
        if (role == kClasses.end())
            return false;
        try {
            data->documents.push_back(std::stoi(fields[0]));
            for (size_t i = 2; i < fields.size(); ++i)
                data->features.push_back(std::stof(fields[i]));
        } catch (const std::exception &) {
            return false; // not a number where one belongs
        }
        data->labels.push_back(role - kClasses.begin());
    }
    return true;
}

struct Scores {
    double accuracy = 0;
    double macroF1 = 0;
    std::vector<double> precision, recall, f1;
    std::vector<int64_t> support;
};

Scores score(const torch::Tensor &predicted, const torch::Tensor &truth, int classes)
{
    Scores s;
    const auto p = predicted.accessor<int64_t, 1>();
    const auto t = truth.accessor<int64_t, 1>();
    std::vector<int64_t> tp(classes, 0), fp(classes, 0), fn(classes, 0);
    int64_t correct = 0;
    for (int64_t i = 0; i < p.size(0); ++i) {
        if (p[i] == t[i]) {
            ++correct;
            ++tp[t[i]];
        } else {
            ++fp[p[i]];
            ++fn[t[i]];
        }
    }
    s.accuracy = p.size(0) ? double(correct) / p.size(0) : 0;
    int present = 0;
    for (int c = 0; c < classes; ++c) {
        const double precision = tp[c] + fp[c] ? double(tp[c]) / (tp[c] + fp[c]) : 0;
        const double recall = tp[c] + fn[c] ? double(tp[c]) / (tp[c] + fn[c]) : 0;
        const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        s.precision.push_back(precision);
        s.recall.push_back(recall);
        s.f1.push_back(f1);
        s.support.push_back(tp[c] + fn[c]);
        if (tp[c] + fn[c] > 0) {
            s.macroF1 += f1;
            ++present;
        }
    }
    s.macroF1 = present ? s.macroF1 / present : 0;
    return s;
}

// What the engine does with a class: 0 text, 1 heading, 2 list, 3 discarded
// (engine/layout/blockmodel.cpp). The rules only ever make these four.
int engineType(int64_t role)
{
    static const int types[] = {0, 1, 1, 1, 2, 0, 3, 3, 3, 0, 0};
    return types[role];
}

// Share of rows whose engine type is right: the rules' (from their feature
// columns) or the model's.
double typeAccuracy(const torch::Tensor &predicted, const torch::Tensor &truth)
{
    const auto p = predicted.accessor<int64_t, 1>();
    const auto t = truth.accessor<int64_t, 1>();
    int64_t right = 0;
    for (int64_t i = 0; i < p.size(0); ++i)
        right += p[i] == engineType(t[i]);
    return p.size(0) ? double(right) / p.size(0) : 0;
}

std::string quoted(const std::string &text)
{
    std::string out = "\"";
    for (char c : text) {
        if (c == '"' || c == '\\')
            out += '\\';
        out += c;
    }
    return out + "\"";
}

template<typename T>
std::string list(const std::vector<T> &values)
{
    std::ostringstream out;
    out << std::setprecision(4) << std::fixed;
    out << '[';
    for (size_t i = 0; i < values.size(); ++i)
        out << (i ? ", " : "") << values[i];
    return out.str() + ']';
}

std::string names(const std::vector<std::string> &values)
{
    std::string out = "[";
    for (size_t i = 0; i < values.size(); ++i)
        out += (i ? ", " : "") + quoted(values[i]);
    return out + "]";
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 4) {
        std::cerr << "usage: train_block_model DATA.csv MODEL.pt MANIFEST.json [--seed S] [--epochs E] [--generator TEXT]\n";
        return 2;
    }
    int64_t seed = 7;
    int epochs = 60;
    std::string generator;
    for (int i = 4; i + 1 < argc; i += 2) {
        const std::string option = argv[i];
        if (option == "--seed")
            seed = std::stoll(argv[i + 1]);
        else if (option == "--epochs")
            epochs = std::stoi(argv[i + 1]);
        else if (option == "--generator")
            generator = argv[i + 1];
    }
    const int hidden = 64;
    const int batchSize = 256;
    const double learningRate = 2e-3;
    const double weightDecay = 1e-4;

    torch::set_num_threads(1);
    torch::manual_seed(seed);
    const auto started = std::chrono::steady_clock::now();

    Dataset data;
    if (!load(argv[1], &data) || data.labels.empty()) {
        std::cerr << "cannot read " << argv[1] << '\n';
        return 1;
    }
    const int64_t rows = int64_t(data.labels.size());
    const int64_t width = int64_t(data.featureNames.size());
    const int classes = int(data.classes.size());
    const torch::Tensor all = torch::from_blob(data.features.data(), {rows, width}, torch::kFloat32).clone();
    const torch::Tensor labels = torch::from_blob(data.labels.data(), {rows}, torch::kInt64).clone();
    std::vector<int64_t> trainRows, heldRows;
    std::map<bool, std::set<int>> documents;
    for (int64_t i = 0; i < rows; ++i) {
        const bool held = data.documents[size_t(i)] % 5 == 4;
        (held ? heldRows : trainRows).push_back(i);
        documents[held].insert(data.documents[size_t(i)]);
    }
    const torch::Tensor trainIndex = torch::tensor(trainRows, torch::kInt64);
    const torch::Tensor heldIndex = torch::tensor(heldRows, torch::kInt64);
    const torch::Tensor trainX = all.index_select(0, trainIndex), trainY = labels.index_select(0, trainIndex);
    const torch::Tensor heldX = all.index_select(0, heldIndex), heldY = labels.index_select(0, heldIndex);

    const torch::Tensor mean = trainX.mean(0);
    const torch::Tensor scale = trainX.std(0).clamp_min(1e-3);
    auto normalise = [&](const torch::Tensor &x) { return (x - mean) / scale; };

    torch::nn::Sequential net(torch::nn::Linear(width, hidden), torch::nn::ReLU(), torch::nn::Linear(hidden, hidden),
                              torch::nn::ReLU(), torch::nn::Linear(hidden, classes));
    torch::optim::Adam optimizer(net->parameters(), torch::optim::AdamOptions(learningRate).weight_decay(weightDecay));
    const torch::Tensor x = normalise(trainX);
    const int64_t n = x.size(0);
    for (int epoch = 0; epoch < epochs; ++epoch) {
        net->train();
        const torch::Tensor order = torch::randperm(n, torch::kInt64);
        double total = 0;
        for (int64_t start = 0; start < n; start += batchSize) {
            const torch::Tensor index = order.slice(0, start, std::min(n, start + batchSize));
            optimizer.zero_grad();
            const torch::Tensor loss = torch::nn::functional::cross_entropy(net->forward(x.index_select(0, index)),
                                                                            trainY.index_select(0, index));
            loss.backward();
            optimizer.step();
            total += loss.item<double>() * index.size(0);
        }
        if (epoch % 10 == 9 || epoch + 1 == epochs)
            std::cerr << "epoch " << epoch + 1 << " loss " << total / n << '\n';
    }
    net->eval();
    torch::NoGradGuard noGrad;
    const Scores train = score(net->forward(x).argmax(1), trainY, classes);
    const Scores held = score(net->forward(normalise(heldX)).argmax(1), heldY, classes);
    // The rules' own typing, read back from its feature columns.
    auto column = [&](const std::string &name) {
        return int64_t(std::find(data.featureNames.begin(), data.featureNames.end(), name) - data.featureNames.begin());
    };
    const torch::Tensor rulesType = torch::stack({heldX.select(1, column("rules_text")), heldX.select(1, column("rules_heading")),
                                                  heldX.select(1, column("rules_list")), heldX.select(1, column("rules_discarded"))},
                                                 1)
                                        .argmax(1);
    const torch::Tensor modelClass = net->forward(normalise(heldX)).argmax(1);
    std::vector<int64_t> modelTypes;
    for (int64_t i = 0; i < modelClass.size(0); ++i)
        modelTypes.push_back(engineType(modelClass[i].item<int64_t>()));
    const double rulesTypeAccuracy = typeAccuracy(rulesType, heldY);
    const double modelTypeAccuracy = typeAccuracy(torch::tensor(modelTypes, torch::kInt64), heldY);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();

    std::vector<torch::Tensor> tensors{mean, scale};
    for (const auto &module : net->children())
        if (auto linear = module->as<torch::nn::Linear>()) {
            tensors.push_back(linear->weight.detach().clone());
            tensors.push_back(linear->bias.detach().clone());
        }
    torch::save(tensors, argv[2]);

    std::vector<int64_t> trainCounts(size_t(classes), 0), heldCounts(size_t(classes), 0);
    for (int64_t i : trainRows)
        ++trainCounts[size_t(data.labels[size_t(i)])];
    for (int64_t i : heldRows)
        ++heldCounts[size_t(data.labels[size_t(i)])];

    std::ofstream manifest(argv[3]);
    manifest << std::setprecision(4) << std::fixed;
    manifest << "{\n"
             << "  \"model\": \"block_roles\",\n"
             << "  \"format\": \"torch::save of tensors: feature mean, feature scale, then weight and bias per linear layer; ReLU between layers\",\n"
             << "  \"classes\": " << names(data.classes) << ",\n"
             << "  \"features\": " << names(data.featureNames) << ",\n"
             << "  \"architecture\": {\"layers\": [" << width << ", " << hidden << ", " << hidden << ", " << classes << "], \"activation\": \"relu\"},\n"
             << "  \"recipe\": {\"optimizer\": \"adam\", \"learning_rate\": " << learningRate << ", \"weight_decay\": " << weightDecay
             << ", \"batch_size\": " << batchSize << ", \"epochs\": " << epochs << ", \"seed\": " << seed
             << ", \"threads\": 1, \"held_out\": \"documents numbered 4 mod 5\", \"data\": " << quoted(generator) << "},\n"
             << "  \"data\": {\"train_documents\": " << documents[false].size() << ", \"held_out_documents\": " << documents[true].size()
             << ", \"train_blocks\": " << trainRows.size() << ", \"held_out_blocks\": " << heldRows.size()
             << ", \"train_blocks_per_class\": " << list(trainCounts) << ", \"held_out_blocks_per_class\": " << list(heldCounts) << "},\n"
             << "  \"scores\": {\"train_accuracy\": " << train.accuracy << ", \"held_out_accuracy\": " << held.accuracy
             << ", \"held_out_macro_f1\": " << held.macroF1 << ",\n"
             << "             \"held_out_precision\": " << list(held.precision) << ",\n"
             << "             \"held_out_recall\": " << list(held.recall) << ",\n"
             << "             \"held_out_f1\": " << list(held.f1) << ",\n"
             << "             \"held_out_engine_type_accuracy\": {\"rules\": " << rulesTypeAccuracy << ", \"model\": " << modelTypeAccuracy
             << ", \"types\": \"text, heading, list, discarded\"}},\n"
             << "  \"training_seconds\": " << std::setprecision(1) << seconds << "\n"
             << "}\n";
    std::cerr << "train accuracy " << train.accuracy << ", held-out accuracy " << held.accuracy << ", macro F1 "
              << held.macroF1 << ", " << seconds << " s\n"
              << "engine types right on held-out blocks: rules " << rulesTypeAccuracy << ", model " << modelTypeAccuracy << '\n';
    for (int c = 0; c < classes; ++c)
        std::cerr << "  " << data.classes[size_t(c)] << ": f1 " << held.f1[size_t(c)] << " (" << held.support[size_t(c)] << ")\n";
    return 0;
}
