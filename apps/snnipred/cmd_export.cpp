// snnipred export: the store's runs as per-step records (project CSV) and, optionally,
// whole-network samples (JSON Lines) for the predictors (profile/export.h).
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/machine/median_profile.h"
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
    std::string machine;
};

bool by_date(const machine::MachineProfile& a, const machine::MachineProfile& b) { return a.date < b.date; }

// The median of the machine profiles the exported campaigns recorded when their runs began.
void export_machine(const profile::Store& store, const ExportCommand& command) {
    std::vector<machine::MachineProfile> profiles;
    for (const profile::RecordedMachine& recorded : store.machines()) {
        if (!command.campaigns.empty() &&
            std::find(command.campaigns.begin(), command.campaigns.end(), recorded.campaign) == command.campaigns.end())
            continue;
        const std::string source = command.db + ": machine profile of campaign '" + recorded.campaign + "' at " +
                                   recorded.recorded_at;
        try {
            profiles.push_back(machine::parse_profile(nlohmann::json::parse(recorded.profile_json), source));
        } catch (const nlohmann::json::exception& error) {
            throw InvalidInput(source + ": not JSON (" + error.what() + ")");
        }
    }
    SNNIPRED_CHECK(!profiles.empty(), InvalidInput,
                   command.db + ": the exported campaigns recorded no machine profile (profiled before the store "
                                "kept them, or with --calibrate none); run `snnipred calibrate --out FILE` on the "
                                "machine they ran on instead");
    machine::write_profile(machine::median_profile(profiles), command.machine);
    fmt::print("{}: the median of {} machine profiles recorded from {} to {}\n", command.machine, profiles.size(),
               std::min_element(profiles.begin(), profiles.end(), by_date)->date,
               std::max_element(profiles.begin(), profiles.end(), by_date)->date);
}

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
    if (!command.machine.empty()) export_machine(store, command);
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
    sub->add_option("--machine", command->machine,
                    "Also write the machine the runs were measured on: the median of the profiles the campaigns "
                    "recorded when their runs began (for train --machine)");
    sub->callback([command] { run_export(*command); });
}

}  // namespace snnipred::cli
