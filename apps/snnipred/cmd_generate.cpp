// snnipred generate: writes a campaign's networks as JSON files, for inspection.
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/model/json_format.h"
#include "snnipred/profile/cost.h"
#include "snnipred/profile/generator.h"

namespace snnipred::cli {
namespace {

struct GenerateCommand {
    std::string campaign;
    std::string out;
};

void run_generate(const GenerateCommand& command) {
    const profile::Campaign campaign = profile::load_campaign(command.campaign);
    std::error_code error;
    std::filesystem::create_directories(command.out, error);
    SNNIPRED_CHECK(!error, InvalidInput, command.out + ": cannot create the directory: " + error.message());
    for (const profile::CampaignNetwork& entry : profile::campaign_networks(campaign)) {
        const std::filesystem::path path = std::filesystem::path(command.out) / (entry.network.name() + ".json");
        std::ofstream out(path);
        out << network_to_json(entry.network);
        SNNIPRED_CHECK(out.good(), InvalidInput, path.string() + ": cannot write");
        fmt::print("{:5} {:<28} {:<14} {:>4} layers, estimated {:.2f} s\n", entry.index, entry.network.name(),
                   entry.family, entry.network.layers().size(),
                   profile::estimated_cost_s(profile::count_costs(entry.network), campaign.generator.cost));
    }
}

}  // namespace

void register_generate(CLI::App& app) {
    auto command = std::make_shared<GenerateCommand>();
    CLI::App* sub = app.add_subcommand("generate", "Write a campaign's networks as JSON files");
    sub->add_option("--campaign", command->campaign, "Campaign file (JSON, docs/profiling.md)")->required();
    sub->add_option("--out", command->out, "Directory for the <network>.json files")->required();
    sub->callback([command] { run_generate(*command); });
}

}  // namespace snnipred::cli
