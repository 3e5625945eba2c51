// The project's own per-layer CSV (docs/dataset-format.md): a header row naming the
// columns, comma-separated cells. Known columns carry the record's metadata; every other
// column is a raw feature, empty where it does not apply to a row's kind.

#include <fstream>
#include <iomanip>
#include <optional>
#include <set>
#include <sstream>

#include "snnipred/core/error.h"
#include "snnipred/predict/dataset.h"
#include "text_util.h"

namespace snnipred::predict {
namespace {

using detail::fail_at;

const std::vector<std::string> kMetaColumns{"kind",       "variant",        "party",  "setting", "time_ms",
                                            "bytes_sent", "bytes_received", "rounds", "network", "run"};
const std::set<std::string> kRequiredColumns{"kind", "party", "setting", "time_ms"};

bool is_meta(const std::string& column) {
    for (const std::string& meta : kMetaColumns)
        if (meta == column) return true;
    return false;
}

std::optional<double> optional_number(std::string_view cell, const std::string& file, std::size_t line,
                                      std::string_view column) {
    if (cell.empty()) return std::nullopt;
    return detail::parse_number(cell, file, line, column);
}

std::string format_number(double value) {
    std::ostringstream out;
    out << std::setprecision(17) << value;
    return out.str();
}

}  // namespace

Dataset read_csv_dataset(const std::filesystem::path& path) {
    detail::LineReader reader(path);
    const std::string& file = reader.file();

    std::string_view line;
    std::vector<std::string> columns;
    while (columns.empty() && reader.next(line)) {
        if (line.empty() || line.front() == '#') continue;
        for (std::string_view name : detail::split_fields(line, ',')) columns.emplace_back(name);
    }
    const std::size_t header_line = reader.line_no();
    if (columns.empty()) fail_at(file, header_line, "missing header row");
    std::set<std::string> seen;
    for (const std::string& column : columns) {
        if (column.empty()) fail_at(file, header_line, "empty column name in header");
        if (!seen.insert(column).second) fail_at(file, header_line, "duplicate column '" + column + "'");
    }
    for (const std::string& required : kRequiredColumns)
        if (!seen.contains(required)) fail_at(file, header_line, "header lacks required column '" + required + "'");

    Dataset dataset;
    while (reader.next(line)) {
        const std::size_t line_no = reader.line_no();
        if (line.empty() || line.front() == '#') continue;
        const auto cells = detail::split_fields(line, ',');
        if (cells.size() != columns.size())
            fail_at(file, line_no,
                    "expected " + std::to_string(columns.size()) + " columns, got " + std::to_string(cells.size()));
        LayerRecord record;
        record.source = {file, line_no, "", ""};
        bool has_time = false;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            const std::string& column = columns[i];
            const std::string_view cell = cells[i];
            try {
                if (column == "kind") record.kind = parse_layer_kind(cell);
                else if (column == "party") record.party = parse_party(cell);
            } catch (const InvalidInput& e) {
                fail_at(file, line_no, e.what());
            }
            if (column == "variant") record.variant = cell;
            else if (column == "setting") record.setting = cell;
            else if (column == "network") record.source.network = cell;
            else if (column == "run") record.source.run = cell;
            else if (column == "time_ms") {
                record.time_ms = detail::parse_number(cell, file, line_no, column);
                has_time = true;
            } else if (column == "bytes_sent") record.bytes_sent = optional_number(cell, file, line_no, column);
            else if (column == "bytes_received") record.bytes_received = optional_number(cell, file, line_no, column);
            else if (column == "rounds") record.rounds = optional_number(cell, file, line_no, column);
            else if (!is_meta(column) && !cell.empty())
                record.raw.emplace_back(column, detail::parse_number(cell, file, line_no, column));
        }
        if (!has_time || record.time_ms < 0) fail_at(file, line_no, "time_ms must be a non-negative number");
        if (record.setting.empty()) fail_at(file, line_no, "empty setting");
        for (const std::string& name : required_raw_features(record.kind))
            if (record.raw_value_or(name, -1) < 0)
                fail_at(file, line_no,
                        std::string(layer_kind_name(record.kind)) + " row lacks raw feature '" + name +
                            "' (or it is negative)");
        dataset.records.push_back(std::move(record));
    }
    return dataset;
}

void write_csv_dataset(const std::filesystem::path& path, const Dataset& dataset) {
    std::vector<std::string> features;
    std::set<std::string> seen;
    for (const LayerRecord& record : dataset.records)
        for (const auto& [name, value] : record.raw)
            if (seen.insert(name).second) features.push_back(name);

    std::ofstream out(path);
    SNNIPRED_CHECK(out, InvalidInput, path.string() + ": cannot open for writing");
    std::string header;
    for (const std::string& column : kMetaColumns) header += column + ",";
    for (const std::string& name : features) header += name + ",";
    header.pop_back();
    out << header << '\n';
    auto optional_cell = [](const std::optional<double>& v) { return v ? format_number(*v) : std::string(); };
    for (const LayerRecord& r : dataset.records) {
        out << layer_kind_name(r.kind) << ',' << r.variant << ',' << party_name(r.party) << ',' << r.setting << ','
            << format_number(r.time_ms) << ',' << optional_cell(r.bytes_sent) << ','
            << optional_cell(r.bytes_received) << ',' << optional_cell(r.rounds) << ',' << r.source.network << ','
            << r.source.run;
        for (const std::string& name : features) {
            out << ',';
            for (const auto& [n, value] : r.raw)
                if (n == name) out << format_number(value);
        }
        out << '\n';
    }
    SNNIPRED_CHECK(out.good(), InvalidInput, path.string() + ": write failed");
}

}  // namespace snnipred::predict
