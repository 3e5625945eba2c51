#include <fstream>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/model/description.h"
#include "snnipred/model/features.h"
#include "snnipred/model/json_format.h"
#include "snnipred/model/load.h"

namespace snnipred::cli {
namespace {

struct DescribeOptions {
    std::string model;
    bool json = false;
    std::string export_json;
};

void print_table(const Network& network) {
    constexpr auto kRow = "{:<36} {:<14} {:>14} {:>12} {:>12} {:>16} {:>12}\n";
    fmt::print(kRow, "layer", "type", "output (CxHxW)", "S_in", "S_par", "N_op", "S_out");
    for (const Layer& layer : network.layers()) {
        const CompositeFeatures c = composite_features(layer);
        fmt::print(kRow, layer.name, layer_type_name(layer.type), layer.output.str(), c.s_in, c.s_par, c.n_op,
                   c.s_out);
    }
    const NetworkTotals totals = network_totals(network);
    fmt::print("\n{}: {} layers, {} parameters, {} MACs, {} ReLUs, {} secure comparisons\n", network.name(),
               totals.layers, totals.params, totals.macs, totals.relus, totals.comparisons);
    std::string by_type;
    for (const auto& [type, count] : totals.layers_by_type) by_type += fmt::format(" {}={}", type, count);
    fmt::print("layers by type:{}\n", by_type);
}

void run_describe(const DescribeOptions& options) {
    const Network network = load_network(options.model);
    if (!options.export_json.empty()) {
        std::ofstream file(options.export_json);
        SNNIPRED_CHECK(file, InvalidInput, options.export_json + ": cannot open for writing");
        file << network_to_json(network);
        SNNIPRED_CHECK(file.flush(), InvalidInput, options.export_json + ": write failed");
    }
    if (options.json) fmt::print("{}\n", network_description(network).dump(2));
    else print_table(network);
}

}  // namespace

void register_describe(CLI::App& app) {
    auto options = std::make_shared<DescribeOptions>();
    CLI::App* command = app.add_subcommand("describe", "Per-layer features and totals of a network");
    command->add_option("model", options->model, "zoo:NAME, a .onnx file or a .json network")->required();
    command->add_flag("--json", options->json, "Print JSON instead of a table");
    command->add_option("--export-json", options->export_json, "Also write the network in the JSON format");
    command->callback([options] { run_describe(*options); });
}

}  // namespace snnipred::cli
