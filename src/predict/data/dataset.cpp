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

// The raw features record_dimensions reads. It runs for every prediction (feature sets
// build their counts from a record's dimensions), so it decodes each name once by its
// characters instead of searching the record by string once per feature.
enum RawSlot { kCI, kHI, kWI, kCO, kHO, kWO, kHF, kWF, kSH, kSW, kPH, kPW, kG, kNI, kNO, kC, kH, kW, kN, kSlotCount };

constexpr std::array<std::string_view, kSlotCount> kSlotNames{"C_I", "H_I", "W_I", "C_O", "H_O", "W_O", "H_F",
                                                              "W_F", "S_H", "S_W", "P_H", "P_W", "G",   "N_I",
                                                              "N_O", "C",   "H",   "W",   "N"};

// The slot of a raw feature name, or kSlotCount for a name record_layer does not read.
constexpr RawSlot slot_of(std::string_view n) {
    if (n.size() == 1) {
        switch (n[0]) {
            case 'C': return kC;
            case 'H': return kH;
            case 'W': return kW;
            case 'N': return kN;
            case 'G': return kG;
            default: return kSlotCount;
        }
    }
    if (n.size() != 3 || n[1] != '_') return kSlotCount;
    const char second = n[2];
    switch (n[0]) {
        case 'C': return second == 'I' ? kCI : second == 'O' ? kCO : kSlotCount;
        case 'H': return second == 'I' ? kHI : second == 'O' ? kHO : second == 'F' ? kHF : kSlotCount;
        case 'W': return second == 'I' ? kWI : second == 'O' ? kWO : second == 'F' ? kWF : kSlotCount;
        case 'S': return second == 'H' ? kSH : second == 'W' ? kSW : kSlotCount;
        case 'P': return second == 'H' ? kPH : second == 'W' ? kPW : kSlotCount;
        case 'N': return second == 'I' ? kNI : second == 'O' ? kNO : kSlotCount;
        default: return kSlotCount;
    }
}

constexpr bool slot_of_decodes_every_name() {
    for (int s = 0; s < kSlotCount; ++s)
        if (slot_of(kSlotNames[static_cast<std::size_t>(s)]) != s) return false;
    return true;
}
static_assert(slot_of_decodes_every_name(), "slot_of and kSlotNames disagree");

// A record's raw features by slot; like LayerRecord::raw_value, the first of repeated
// names wins.
class RawSlots {
public:
    explicit RawSlots(const LayerRecord& record) : record_(record) {
        for (const auto& [name, value] : record.raw) {
            const RawSlot slot = slot_of(name);
            if (slot == kSlotCount || present(slot)) continue;
            present_ |= 1u << slot;
            values_[slot] = value;
        }
    }

    // Throws InvalidInput naming the record, as LayerRecord::raw_value does, if absent.
    double value(RawSlot slot) const {
        if (!present(slot)) missing(slot);
        return values_[slot];
    }
    double value_or(RawSlot slot, double fallback) const { return present(slot) ? values_[slot] : fallback; }

    // A raw feature that is a size: positive and integral.
    std::int64_t size(RawSlot slot, bool allow_zero = false) const {
        const double v = value(slot);
        if (!(std::floor(v) == v && (allow_zero ? v >= 0 : v > 0))) not_a_size(slot, v, allow_zero);
        return static_cast<std::int64_t>(v);
    }

    Window window() const {
        Window w;
        w.kernel_h = size(kHF);
        w.kernel_w = size(kWF);
        w.stride_h = size(kSH);
        w.stride_w = size(kSW);
        const std::int64_t pad_h = size(kPH, true);
        const std::int64_t pad_w = size(kPW, true);
        // Only the totals are recorded; split them the way SAME padding does.
        w.pad_top = pad_h / 2;
        w.pad_bottom = pad_h - w.pad_top;
        w.pad_left = pad_w / 2;
        w.pad_right = pad_w - w.pad_left;
        return w;
    }

private:
    bool present(RawSlot slot) const { return (present_ >> slot & 1u) != 0; }

    // The errors are built out of line, so that the reads inline into record_dimensions.
    [[noreturn, gnu::noinline, gnu::cold]] void missing(RawSlot slot) const {
        throw InvalidInput(describe(record_) + ": missing raw feature " + std::string(kSlotNames[slot]));
    }
    [[noreturn, gnu::noinline, gnu::cold]] void not_a_size(RawSlot slot, double v, bool allow_zero) const {
        throw InvalidInput(describe(record_) + ": raw feature " + std::string(kSlotNames[slot]) + " = " +
                           std::to_string(v) + " is not a " + (allow_zero ? "non-negative" : "positive") +
                           " integer");
    }

    const LayerRecord& record_;
    // Read only where present_ has the slot's bit: left uninitialised, as zeroing it
    // cost more than decoding a record.
    std::array<double, kSlotCount> values_;
    std::uint32_t present_ = 0;
};
static_assert(kSlotCount <= 32, "present_ has a bit per slot");

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

LayerDimensions record_dimensions(const LayerRecord& record) {
    const RawSlots raw(record);
    LayerDimensions dims;
    switch (record.kind) {
        case LayerKind::kConv:
            dims.type = LayerType::kConv;
            dims.window = raw.window();
            dims.groups = static_cast<std::int64_t>(raw.value_or(kG, 1));
            dims.out_channels = raw.size(kCO);
            dims.input = {raw.size(kCI), raw.size(kHI), raw.size(kWI)};
            dims.output = {dims.out_channels, raw.size(kHO), raw.size(kWO)};
            break;
        case LayerKind::kFc:
            dims.type = LayerType::kFullyConnected;
            dims.out_channels = raw.size(kNO);
            dims.input = {raw.size(kNI), 1, 1};
            dims.output = {dims.out_channels, 1, 1};
            break;
        case LayerKind::kMaxPool:
        case LayerKind::kAvgPool: {
            dims.type = record.kind == LayerKind::kMaxPool ? LayerType::kMaxPool : LayerType::kAvgPool;
            dims.window = raw.window();
            const std::int64_t c = raw.size(kC);
            dims.input = {c, raw.size(kHI), raw.size(kWI)};
            dims.output = {c, raw.size(kHO), raw.size(kWO)};
            break;
        }
        case LayerKind::kRelu:
        case LayerKind::kTrunc:
            dims.type = record.kind == LayerKind::kRelu ? LayerType::kRelu : LayerType::kIdentity;
            dims.input = {raw.size(kN), 1, 1};
            dims.output = dims.input;
            break;
        case LayerKind::kBatchNorm:
            dims.type = LayerType::kBatchNorm;
            dims.input = {raw.size(kC), raw.size(kH), raw.size(kW)};
            dims.output = dims.input;
            break;
    }
    dims.input_elements = dims.input.elements();
    return dims;
}

Layer record_layer(const LayerRecord& record) {
    const LayerDimensions dims = record_dimensions(record);
    Layer layer;
    layer.name = std::string(layer_kind_name(record.kind));
    layer.type = dims.type;
    layer.inputs = {"input"};
    layer.out_channels = dims.out_channels;
    layer.groups = dims.groups;
    layer.bias = record.kind == LayerKind::kFc;
    layer.window = dims.window;
    layer.input_shapes = {dims.input};
    layer.output = dims.output;
    return layer;
}

CompositeFeatures record_composite_features(const LayerRecord& record) {
    CompositeFeatures features = composite_features(record_dimensions(record));
    // Truncation shifts every element once: as many operations as elements.
    if (record.kind == LayerKind::kTrunc) features.n_op = features.s_in;
    return features;
}

}  // namespace snnipred::predict
