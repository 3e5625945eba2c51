// Reader for the published Cheetah per-layer timings (shared/data/cheetah-sec24): one
// whitespace-separated file per layer type and party, a header row of column names, an
// unnamed index column in front of every data row, and time_cost in milliseconds last.

#include <algorithm>
#include <cmath>
#include <map>
#include <string>

#include "snnipred/core/error.h"
#include "snnipred/predict/dataset.h"
#include "text_util.h"

namespace snnipred::predict {
namespace {

using detail::fail_at;

struct FileKind {
    LayerKind kind;
    std::string variant;
    std::string prefix;  // column-name prefix, e.g. "conv_"
    Party party;
};

// "<type>_onlyTime[_3D]_<party>.csv", e.g. "BN2_onlyTime_3D_client.csv".
FileKind parse_file_name(const std::filesystem::path& file) {
    const std::string stem = file.stem().string();
    const std::size_t marker = stem.find("_onlyTime");
    const std::size_t last = stem.rfind('_');
    SNNIPRED_CHECK(marker != std::string::npos && last != std::string::npos && last >= marker, InvalidInput,
                   file.string() + ": file name is not <type>_onlyTime_<party>.csv");
    const std::string type = stem.substr(0, marker);
    const std::string middle = stem.substr(marker + 9, last - marker - 9);  // "" or "_3D"
    FileKind out{LayerKind::kRelu, "", type + "_", parse_party(stem.substr(last + 1))};
    static const std::map<std::string, LayerKind> kinds{
        {"conv", LayerKind::kConv},       {"FC", LayerKind::kFc},     {"maxpool", LayerKind::kMaxPool},
        {"avgpool", LayerKind::kAvgPool}, {"relu", LayerKind::kRelu}, {"trunc", LayerKind::kTrunc},
        {"BN1", LayerKind::kBatchNorm},   {"BN2", LayerKind::kBatchNorm}};
    const auto it = kinds.find(type);
    SNNIPRED_CHECK(it != kinds.end(), InvalidInput, file.string() + ": unknown layer type '" + type + "'");
    out.kind = it->second;
    if (out.kind == LayerKind::kBatchNorm) out.variant = type + middle;
    return out;
}

// One data row, its columns addressed by name without the type prefix.
class Row {
public:
    Row(const std::map<std::string, double>& values, const std::string& file, std::size_t line)
        : values_(values), file_(file), line_(line) {}
    double operator[](const std::string& column) const {
        const auto it = values_.find(column);
        if (it == values_.end()) fail_at(file_, line_, "missing column '" + column + "'");
        return it->second;
    }

private:
    const std::map<std::string, double>& values_;
    const std::string& file_;
    std::size_t line_;
};

double window_output(const Row& row, const std::string& axis, const std::string& file, std::size_t line) {
    const double in = row[axis];
    const double pad = row["zPad" + axis + "Left"] + row["zPad" + axis + "Right"];
    const double kernel = row["F" + axis];
    const double stride = row["stride" + axis];
    if (stride <= 0 || kernel <= 0) fail_at(file, line, "non-positive kernel or stride along " + axis);
    if (in + pad < kernel) fail_at(file, line, "kernel larger than padded input along " + axis);
    return std::floor((in + pad - kernel) / stride) + 1;
}

RawFeatures map_columns(LayerKind kind, const Row& row, const std::string& file, std::size_t line) {
    switch (kind) {
        case LayerKind::kConv:
            return {{"C_I", row["CI"]},
                    {"H_I", row["H"]},
                    {"W_I", row["W"]},
                    {"C_O", row["CO"]},
                    {"H_O", window_output(row, "H", file, line)},
                    {"W_O", window_output(row, "W", file, line)},
                    {"H_F", row["FH"]},
                    {"W_F", row["FW"]},
                    {"S_H", row["strideH"]},
                    {"S_W", row["strideW"]},
                    {"P_H", row["zPadHLeft"] + row["zPadHRight"]},
                    {"P_W", row["zPadWLeft"] + row["zPadWRight"]}};
        case LayerKind::kFc: return {{"N_I", row["CI"]}, {"N_O", row["CO"]}};
        case LayerKind::kMaxPool:
        case LayerKind::kAvgPool:
            // H, W, C describe the pool's output; imgH, imgW, C1 its input.
            if (row["C"] != row["C1"]) fail_at(file, line, "input channels C1 differ from output channels C");
            return {{"C", row["C"]},
                    {"H_I", row["imgH"]},
                    {"W_I", row["imgW"]},
                    {"H_O", row["H"]},
                    {"W_O", row["W"]},
                    {"H_F", row["ksizeH"]},
                    {"W_F", row["ksizeW"]},
                    {"S_H", row["strideH"]},
                    {"S_W", row["strideW"]},
                    {"P_H", row["zPadHLeft"] + row["zPadHRight"]},
                    {"P_W", row["zPadWLeft"] + row["zPadWRight"]}};
        case LayerKind::kRelu:
        case LayerKind::kTrunc: return {{"N", row["coeff"]}};
        case LayerKind::kBatchNorm: return {{"C", row["C"]}, {"H", row["H"]}, {"W", row["W"]}};
    }
    return {};
}

}  // namespace

std::vector<LayerRecord> read_cheetah_file(const std::filesystem::path& path, const std::string& setting) {
    const FileKind file_kind = parse_file_name(path);
    detail::LineReader reader(path);
    const std::string& file = reader.file();

    std::string_view line;
    std::vector<std::string> columns;
    while (columns.empty() && reader.next(line)) {
        for (std::string_view name : detail::split_whitespace(line)) {
            std::string column(name);
            if (column.starts_with(file_kind.prefix)) column.erase(0, file_kind.prefix.size());
            columns.push_back(std::move(column));
        }
    }
    if (columns.empty()) fail_at(file, reader.line_no(), "missing header row");
    if (columns.back() != "time_cost") fail_at(file, reader.line_no(), "last column must be time_cost");

    std::vector<LayerRecord> records;
    std::map<std::string, double> values;
    while (reader.next(line)) {
        const std::size_t line_no = reader.line_no();
        const auto fields = detail::split_whitespace(line);
        if (fields.empty()) continue;
        if (fields.size() != columns.size() + 1)
            fail_at(file, line_no,
                    "expected " + std::to_string(columns.size() + 1) + " columns (index + header), got " +
                        std::to_string(fields.size()));
        values.clear();
        for (std::size_t i = 0; i < columns.size(); ++i)
            values[columns[i]] = detail::parse_number(fields[i + 1], file, line_no, columns[i]);
        const Row row(values, file, line_no);

        LayerRecord record;
        record.kind = file_kind.kind;
        record.variant = file_kind.variant;
        record.party = file_kind.party;
        record.setting = setting;
        record.time_ms = row["time_cost"];
        if (record.time_ms < 0) fail_at(file, line_no, "negative time_cost");
        record.raw = map_columns(file_kind.kind, row, file, line_no);
        for (const auto& [name, value] : record.raw)
            if (value < 0) fail_at(file, line_no, "negative " + name);
        record.source = {file, line_no, "", std::string(fields[0])};
        records.push_back(std::move(record));
    }
    return records;
}

Dataset read_cheetah_directory(const std::filesystem::path& path) {
    SNNIPRED_CHECK(std::filesystem::is_directory(path), InvalidInput, path.string() + ": not a directory");
    auto csv_files = [](const std::filesystem::path& dir) {
        std::vector<std::filesystem::path> files;
        for (const auto& entry : std::filesystem::directory_iterator(dir))
            if (entry.is_regular_file() && entry.path().extension() == ".csv" &&
                entry.path().filename().string().find("_onlyTime") != std::string::npos)
                files.push_back(entry.path());
        std::sort(files.begin(), files.end());
        return files;
    };
    Dataset dataset;
    auto read_setting = [&](const std::filesystem::path& dir) {
        std::filesystem::path named = dir.lexically_normal();
        if (named.filename().empty()) named = named.parent_path();  // "LAN/" names the setting LAN
        const std::string setting = named.filename().string();
        for (const auto& file : csv_files(dir)) {
            auto records = read_cheetah_file(file, setting);
            dataset.records.insert(dataset.records.end(), std::make_move_iterator(records.begin()),
                                   std::make_move_iterator(records.end()));
        }
    };
    if (!csv_files(path).empty()) {
        read_setting(path);
        return dataset;
    }
    std::vector<std::filesystem::path> settings;
    for (const auto& entry : std::filesystem::directory_iterator(path))
        if (entry.is_directory()) settings.push_back(entry.path());
    std::sort(settings.begin(), settings.end());
    for (const auto& dir : settings) read_setting(dir);
    SNNIPRED_CHECK(!dataset.empty(), InvalidInput,
                   path.string() + ": no <type>_onlyTime_<party>.csv files here or in its subdirectories");
    return dataset;
}

}  // namespace snnipred::predict
