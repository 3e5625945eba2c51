#include "dataset_options.h"

#include <algorithm>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::cli {

void add_dataset_options(CLI::App& command, DatasetOptions& options, bool data_required) {
    command.add_option("--data", options.path, "Dataset: a cheetah-sec24 directory or a project CSV file")
        ->required(data_required);
    command.add_option("--format", options.format, "auto, cheetah or csv")->capture_default_str();
    command.add_option("--setting", options.setting, "Keep only this network setting (e.g. LAN)");
    command.add_option("--kinds", options.kinds, "Keep only these layer kinds (comma-separated, e.g. fc,relu)");
}

predict::Dataset load_selected(const DatasetOptions& options) {
    predict::Dataset data = predict::load_dataset(options.path, predict::parse_dataset_format(options.format));
    if (!options.setting.empty()) {
        data = data.filter_setting(options.setting);
        SNNIPRED_CHECK(!data.empty(), InvalidInput, options.path + ": no records for setting '" + options.setting + "'");
    }
    if (!options.kinds.empty()) {
        std::vector<predict::LayerKind> kinds;
        std::size_t start = 0;
        while (start <= options.kinds.size()) {
            const std::size_t comma = std::min(options.kinds.find(',', start), options.kinds.size());
            kinds.push_back(predict::parse_layer_kind(options.kinds.substr(start, comma - start)));
            start = comma + 1;
        }
        std::erase_if(data.records, [&](const predict::LayerRecord& r) {
            return std::find(kinds.begin(), kinds.end(), r.kind) == kinds.end();
        });
        SNNIPRED_CHECK(!data.empty(), InvalidInput, options.path + ": no records of kinds '" + options.kinds + "'");
    }
    return data;
}

}  // namespace snnipred::cli
