#pragma once
// Per-layer timing records: what predictors train on and are evaluated against. A record
// is one measured execution of one layer on one party: the layer's kind and raw dimensions
// (the paper's Table 1 names), where it ran, how long it took, and where the row came from.
// Two readers fill a Dataset: the published Cheetah per-layer files (cheetah-sec24) and
// the project's own CSV (docs/dataset-format.md).

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/core/party.h"
#include "snnipred/model/features.h"
#include "snnipred/model/layer.h"

namespace snnipred::predict {

/// Layer kinds that have their own secure protocol. Cheetah's truncation after a linear
/// layer is timed on its own, so it is a kind here although the IR has no trunc layer.
enum class LayerKind { kConv, kFc, kMaxPool, kAvgPool, kRelu, kTrunc, kBatchNorm };

inline constexpr LayerKind kAllLayerKinds[] = {LayerKind::kConv,    LayerKind::kFc,    LayerKind::kMaxPool,
                                               LayerKind::kAvgPool, LayerKind::kRelu,  LayerKind::kTrunc,
                                               LayerKind::kBatchNorm};

/// "conv", "fc", "maxpool", "avgpool", "relu", "trunc", "bn".
std::string_view layer_kind_name(LayerKind kind);
/// Inverse of layer_kind_name; throws InvalidInput on an unknown name.
LayerKind parse_layer_kind(std::string_view name);

/// The raw features each kind must carry, in their canonical order:
/// conv C_I,H_I,W_I,C_O,H_O,W_O,H_F,W_F,S_H,S_W,P_H,P_W; fc N_I,N_O;
/// pools C,H_I,W_I,H_O,W_O,H_F,W_F,S_H,S_W,P_H,P_W; relu/trunc N; bn C,H,W.
/// P_H / P_W are total paddings (top+bottom, left+right).
const std::vector<std::string>& required_raw_features(LayerKind kind);

/// Where a record came from, for error messages and grouping by run.
struct Provenance {
    std::string file;      // source file
    std::size_t line = 0;  // 1-based line in it
    std::string network;   // network the layer belonged to, if known
    std::string run;       // run / repetition identifier, if known
};

struct LayerRecord {
    LayerKind kind = LayerKind::kRelu;
    std::string variant;  // sub-protocol, e.g. "BN1" or "BN2_3D" for bn; empty if none
    RawFeatures raw;      // named dimensions, at least required_raw_features(kind)
    Party party = Party::kClient;
    std::string setting;  // network setting, e.g. "LAN" or "WAN"
    double time_ms = 0;
    std::optional<double> bytes_sent, bytes_received, rounds;
    Provenance source;

    /// Value of a raw feature; throws InvalidInput naming the record if absent.
    double raw_value(std::string_view name) const;
    /// Value of a raw feature, or `fallback` when absent.
    double raw_value_or(std::string_view name, double fallback) const;
};

struct Dataset {
    std::vector<LayerRecord> records;

    std::size_t size() const { return records.size(); }
    bool empty() const { return records.empty(); }
    /// Records of one kind and party (and setting unless `setting` is empty).
    Dataset filter(LayerKind kind, Party party, std::string_view setting = {}) const;
    /// Records whose setting is `setting`.
    Dataset filter_setting(std::string_view setting) const;
    void append(const Dataset& other);
};

enum class DatasetFormat {
    kAuto,     // a directory is read as cheetah-sec24, a file as the project CSV
    kCheetah,  // the published Cheetah per-layer layout
    kCsv,      // the project's own CSV, docs/dataset-format.md
};

/// Parses "auto", "cheetah", "csv"; throws InvalidInput otherwise.
DatasetFormat parse_dataset_format(std::string_view name);

/// Loads a dataset from a file or directory. Throws InvalidInput ("file:line: reason")
/// on a malformed row, and InvalidInput if the path does not exist or holds no records.
Dataset load_dataset(const std::filesystem::path& path, DatasetFormat format = DatasetFormat::kAuto);

/// Reads a cheetah-sec24 directory. `path` is either the root holding LAN/ and WAN/
/// (every setting subdirectory is read, its name becoming the setting) or one setting
/// directory holding `<type>_onlyTime_<party>.csv` files. Throws InvalidInput.
Dataset read_cheetah_directory(const std::filesystem::path& path);

/// Reads one `<type>_onlyTime[_3D]_<party>.csv` file; kind, variant and party come from
/// the file name. Throws InvalidInput ("file:line: reason") on a malformed row or an
/// unrecognised file name.
std::vector<LayerRecord> read_cheetah_file(const std::filesystem::path& file, const std::string& setting);

/// Reads the project's CSV format. Throws InvalidInput ("file:line: reason").
Dataset read_csv_dataset(const std::filesystem::path& file);
/// Writes `dataset` in the project's CSV format (readable by read_csv_dataset).
/// Throws InvalidInput if the file cannot be written.
void write_csv_dataset(const std::filesystem::path& file, const Dataset& dataset);

/// The IR layer a record describes, with input_shapes and output filled from the raw
/// features (no shape inference: measured shapes are taken as they are). trunc, which
/// has no IR type, becomes an identity layer over N elements. Throws InvalidInput if a
/// required raw feature is missing or not a positive size.
Layer record_layer(const LayerRecord& record);
/// layer_dimensions(record_layer(record)) without building the layer, so without
/// allocating (feature sets compute it for every predicted step). Throws likewise.
LayerDimensions record_dimensions(const LayerRecord& record);

/// The paper's composite features (Table 2) of a record, computed by features.h on
/// record_dimensions(record); trunc uses S_in = S_out = N_op = N, S_par = 0.
CompositeFeatures record_composite_features(const LayerRecord& record);

}  // namespace snnipred::predict
