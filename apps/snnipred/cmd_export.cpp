// snnipred export: the store's runs as per-step records (project CSV) and, optionally,
// whole-network samples (JSON Lines) for the predictors (profile/export.h).
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "commands.h"
#include "snnipred/predict/dataset.h"
#include "snnipred/predict/network_dataset.h"
#include "snnipred/profile/export.h"

namespace snnipred::cli {
namespace {

struct ExportCommand {
    std::string db;
    std::string out;
    std::string networks;
    std::vector<std::string> campaigns;
    bool median_of_repeats = false;
};

void run_export(const ExportCommand& command) {
    const profile::Store store(command.db, true);
    profile::ExportedData data = profile::export_store(store, command.campaigns);
    if (command.median_of_repeats) data = profile::median_over_repeats(data);
    predict::write_csv_dataset(command.out, data.layers);
    fmt::print("{}: {} per-step records from {} runs\n", command.out, data.layers.size(), data.networks.size());
    if (!command.networks.empty()) {
        predict::write_network_samples(command.networks, data.networks);
        fmt::print("{}: {} network samples\n", command.networks, data.networks.size());
    }
}

}  // namespace

void register_export(CLI::App& app) {
    auto command = std::make_shared<ExportCommand>();
    CLI::App* sub = app.add_subcommand("export", "Export a profile store as datasets for the predictors");
    sub->add_option("--db", command->db, "SQLite store written by snnipred profile")->required();
    sub->add_option("--out", command->out, "Per-step records, project CSV (docs/dataset-format.md)")->required();
    sub->add_option("--networks", command->networks, "Whole-network samples, JSON Lines");
    sub->add_option("--campaign", command->campaigns, "Export only these campaigns (repeatable; default all)");
    sub->add_flag("--median-of-repeats", command->median_of_repeats,
                  "One record per step and one sample per network and setting: the median over its repeats");
    sub->callback([command] { run_export(*command); });
}

}  // namespace snnipred::cli
