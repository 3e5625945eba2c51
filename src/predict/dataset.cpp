#include "snnipred/predict/dataset.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <utility>

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

constexpr std::array<std::pair<LayerKind, std::string_view>, 7> kKindNames{{
    {LayerKind::kConv, "conv"},
    {LayerKind::kFc, "fc"},
    {LayerKind::kMaxPool, "maxpool"},
    {LayerKind::kAvgPool, "avgpool"},
    {LayerKind::kRelu, "relu"},
    {LayerKind::kTrunc, "trunc"},
    {LayerKind::kBatchNorm, "bn"},
}};

std::string describe(const LayerRecord& record) {
    std::string where = record.source.file.empty() ? std::string("record")
                                                   : record.source.file + ":" + std::to_string(record.source.line);
    return where + " (" + std::string(layer_kind_name(record.kind)) + ")";
}

// A raw feature that is a size: positive and integral.
std::int64_t size_feature(const LayerRecord& record, std::string_view name, bool allow_zero = false) {
    const double value = record.raw_value(name);
    const bool ok = std::floor(value) == value && (allow_zero ? value >= 0 : value > 0);
    SNNIPRED_CHECK(ok, InvalidInput,
                   describe(record) + ": raw feature " + std::string(name) + " = " + std::to_string(value) +
                       " is not a " + (allow_zero ? "non-negative" : "positive") + " integer");
    return static_cast<std::int64_t>(value);
}

Window record_window(const LayerRecord& record) {
    Window w;
    w.kernel_h = size_feature(record, "H_F");
    w.kernel_w = size_feature(record, "W_F");
    w.stride_h = size_feature(record, "S_H");
    w.stride_w = size_feature(record, "S_W");
    const std::int64_t pad_h = size_feature(record, "P_H", true);
    const std::int64_t pad_w = size_feature(record, "P_W", true);
    // Only the totals are recorded; split them the way SAME padding does.
    w.pad_top = pad_h / 2;
    w.pad_bottom = pad_h - w.pad_top;
    w.pad_left = pad_w / 2;
    w.pad_right = pad_w - w.pad_left;
    return w;
}

}  // namespace

std::string_view layer_kind_name(LayerKind kind) {
    for (const auto& [k, name] : kKindNames)
        if (k == kind) return name;
    return "unknown";
}

LayerKind parse_layer_kind(std::string_view name) {
    for (const auto& [kind, n] : kKindNames)
        if (n == name) return kind;
    throw InvalidInput("unknown layer kind '" + std::string(name) +
                       "' (expected conv, fc, maxpool, avgpool, relu, trunc or bn)");
}

std::string_view party_name(Party party) { return party == Party::kClient ? "client" : "server"; }

Party parse_party(std::string_view name) {
    if (name == "client") return Party::kClient;
    if (name == "server") return Party::kServer;
    throw InvalidInput("unknown party '" + std::string(name) + "' (expected client or server)");
}

const std::vector<std::string>& required_raw_features(LayerKind kind) {
    static const std::vector<std::string> conv{"C_I", "H_I", "W_I", "C_O", "H_O", "W_O",
                                               "H_F", "W_F", "S_H", "S_W", "P_H", "P_W"};
    static const std::vector<std::string> fc{"N_I", "N_O"};
    static const std::vector<std::string> pool{"C", "H_I", "W_I", "H_O", "W_O", "H_F",
                                               "W_F", "S_H", "S_W", "P_H", "P_W"};
    static const std::vector<std::string> elementwise{"N"};
    static const std::vector<std::string> bn{"C", "H", "W"};
    switch (kind) {
        case LayerKind::kConv: return conv;
        case LayerKind::kFc: return fc;
        case LayerKind::kMaxPool:
        case LayerKind::kAvgPool: return pool;
        case LayerKind::kRelu:
        case LayerKind::kTrunc: return elementwise;
        case LayerKind::kBatchNorm: return bn;
    }
    return elementwise;
}

double LayerRecord::raw_value(std::string_view name) const {
    for (const auto& [n, value] : raw)
        if (n == name) return value;
    throw InvalidInput(describe(*this) + ": missing raw feature " + std::string(name));
}

double LayerRecord::raw_value_or(std::string_view name, double fallback) const {
    for (const auto& [n, value] : raw)
        if (n == name) return value;
    return fallback;
}

Dataset Dataset::filter(LayerKind kind, Party party, std::string_view setting) const {
    Dataset out;
    for (const LayerRecord& r : records)
        if (r.kind == kind && r.party == party && (setting.empty() || r.setting == setting)) out.records.push_back(r);
    return out;
}

Dataset Dataset::filter_setting(std::string_view setting) const {
    Dataset out;
    for (const LayerRecord& r : records)
        if (r.setting == setting) out.records.push_back(r);
    return out;
}

void Dataset::append(const Dataset& other) {
    records.insert(records.end(), other.records.begin(), other.records.end());
}

DatasetFormat parse_dataset_format(std::string_view name) {
    if (name == "auto") return DatasetFormat::kAuto;
    if (name == "cheetah") return DatasetFormat::kCheetah;
    if (name == "csv") return DatasetFormat::kCsv;
    throw InvalidInput("unknown dataset format '" + std::string(name) + "' (expected auto, cheetah or csv)");
}

Dataset load_dataset(const std::filesystem::path& path, DatasetFormat format) {
    SNNIPRED_CHECK(std::filesystem::exists(path), InvalidInput, path.string() + ": no such file or directory");
    if (format == DatasetFormat::kAuto)
        format = std::filesystem::is_directory(path) ? DatasetFormat::kCheetah : DatasetFormat::kCsv;
    Dataset dataset = format == DatasetFormat::kCheetah ? read_cheetah_directory(path) : read_csv_dataset(path);
    SNNIPRED_CHECK(!dataset.empty(), InvalidInput, path.string() + ": no layer records");
    return dataset;
}

Layer record_layer(const LayerRecord& record) {
    Layer layer;
    layer.name = std::string(layer_kind_name(record.kind));
    layer.inputs = {"input"};
    switch (record.kind) {
        case LayerKind::kConv: {
            layer.type = LayerType::kConv;
            layer.window = record_window(record);
            layer.groups = static_cast<std::int64_t>(record.raw_value_or("G", 1));
            layer.out_channels = size_feature(record, "C_O");
            layer.input_shapes = {{size_feature(record, "C_I"), size_feature(record, "H_I"), size_feature(record, "W_I")}};
            layer.output = {layer.out_channels, size_feature(record, "H_O"), size_feature(record, "W_O")};
            break;
        }
        case LayerKind::kFc:
            layer.type = LayerType::kFullyConnected;
            layer.bias = true;
            layer.out_channels = size_feature(record, "N_O");
            layer.input_shapes = {{size_feature(record, "N_I"), 1, 1}};
            layer.output = {layer.out_channels, 1, 1};
            break;
        case LayerKind::kMaxPool:
        case LayerKind::kAvgPool: {
            layer.type = record.kind == LayerKind::kMaxPool ? LayerType::kMaxPool : LayerType::kAvgPool;
            layer.window = record_window(record);
            const std::int64_t c = size_feature(record, "C");
            layer.input_shapes = {{c, size_feature(record, "H_I"), size_feature(record, "W_I")}};
            layer.output = {c, size_feature(record, "H_O"), size_feature(record, "W_O")};
            break;
        }
        case LayerKind::kRelu:
        case LayerKind::kTrunc:
            layer.type = record.kind == LayerKind::kRelu ? LayerType::kRelu : LayerType::kIdentity;
            layer.input_shapes = {{size_feature(record, "N"), 1, 1}};
            layer.output = layer.input_shapes.front();
            break;
        case LayerKind::kBatchNorm:
            layer.type = LayerType::kBatchNorm;
            layer.input_shapes = {{size_feature(record, "C"), size_feature(record, "H"), size_feature(record, "W")}};
            layer.output = layer.input_shapes.front();
            break;
    }
    return layer;
}

CompositeFeatures record_composite_features(const LayerRecord& record) {
    CompositeFeatures features = composite_features(record_layer(record));
    // Truncation shifts every element once: as many operations as elements.
    if (record.kind == LayerKind::kTrunc) features.n_op = features.s_in;
    return features;
}

}  // namespace snnipred::predict
