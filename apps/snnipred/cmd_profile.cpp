// snnipred profile: runs a campaign's networks through the secure engine on this machine
// and stores every run durably (profile/runner.h, profile/store.h). Safe to kill and
// restart: stored runs are skipped.
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "calibration_run.h"
#include "commands.h"
#include "progress.h"
#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/profile/runner.h"

namespace snnipred::cli {
namespace {

struct ProfileCommand {
    std::string campaign;
    std::string db;
    std::optional<std::string> setting;
    std::optional<int> repeats;
    std::string shard = "0/1";
    std::optional<std::size_t> limit;
    std::string calibrate = "full";
};

// Calibrates this machine before the runs and records the profile with the campaign, so
// the store says what its times were measured on (export --machine, train --machine).
void record_machine(const ProfileCommand& command, const profile::Campaign& campaign, profile::Store& store) {
    SNNIPRED_CHECK(command.calibrate == "full" || command.calibrate == "quick" || command.calibrate == "none",
                   ConfigError, "--calibrate " + command.calibrate + ": expected full, quick or none");
    if (command.calibrate == "none") {
        fmt::print(stderr, "profile: --calibrate none: the store records no machine profile for these runs\n");
        return;
    }
    const machine::MachineProfile calibrated = calibrate_in_child_process(command.calibrate == "quick");
    store.add_campaign({campaign.name, campaign.definition()});
    store.add_machine({campaign.name, calibrated.date, machine::profile_json(calibrated).dump()});
}

// One progress line per run on stderr (progress.h): count/total, rate, ETA, the run and its
// time. Failures always get their own line.
class RunProgress {
public:
    void operator()(const profile::ProfileEvent& event) {
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        const double rate = elapsed > 0 ? static_cast<double>(event.done) / elapsed : 0;
        const int eta = rate > 0 ? static_cast<int>(static_cast<double>(event.total - event.done) / rate + 0.5) : 0;
        const std::string run = event.key->network + " " + event.key->setting + " #" + std::to_string(event.key->repeat);
        if (!event.error.empty()) {
            line_.show(fmt::format("profile: {} FAILED: {}", run, event.error));
            line_.end();
        }
        line_.show(fmt::format("profile: {}/{} runs, {:.2f} runs/min, ETA {}h{:02}m{:02}s, {} {:.1f} s", event.done,
                               event.total, rate * 60, eta / 3600, eta / 60 % 60, eta % 60, run, event.seconds));
        if (event.done == event.total) line_.end();
    }

private:
    ProgressLine line_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void run_profile(const ProfileCommand& command) {
    const profile::Campaign campaign = profile::load_campaign(command.campaign);
    profile::Store store(command.db);
    record_machine(command, campaign, store);
    profile::ProfileOptions options;
    options.setting = command.setting;
    options.repeats = command.repeats;
    options.shard = profile::parse_shard(command.shard);
    options.limit = command.limit;
    RunProgress progress;
    const profile::ProfileSummary summary = profile::run_campaign(campaign, store, options, std::ref(progress));
    fmt::print("campaign {}: {} networks in shard {}, {} runs already stored, {} stored now, {} failed\n",
               campaign.name, summary.networks, command.shard, summary.already_done, summary.stored, summary.failed);
    SNNIPRED_CHECK(summary.failed == 0, Error,
                   std::to_string(summary.failed) + " runs failed (see above); run the command again to retry them");
}

}  // namespace

void register_profile(CLI::App& app) {
    auto command = std::make_shared<ProfileCommand>();
    CLI::App* sub = app.add_subcommand("profile", "Run a measurement campaign into an SQLite store (resumable)");
    sub->add_option("--campaign", command->campaign, "Campaign file (JSON, docs/profiling.md)")->required();
    sub->add_option("--db", command->db, "SQLite store to append to (created if absent)")->required();
    sub->add_option("--setting", command->setting, "Run only this setting of the campaign");
    sub->add_option("--repeats", command->repeats, "Repetitions per network and setting (default: the campaign's)");
    sub->add_option("--shard", command->shard, "I/N: run only the networks whose index % N == I")
        ->capture_default_str();
    sub->add_option("--limit", command->limit, "Stop after this many runs");
    sub->add_option("--calibrate", command->calibrate,
                    "Calibrate this machine first and record its profile in the store: full (about 30 s), quick "
                    "or none")
        ->capture_default_str();
    sub->callback([command] { run_profile(*command); });
}

}  // namespace snnipred::cli
