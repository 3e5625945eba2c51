#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <fmt/core.h>

#include "calibration_run.h"
#include "commands.h"
#include "predictor_files.h"
#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/machine/median_profile.h"

namespace snnipred::cli {
namespace {

struct CalibrateOptions {
    std::string out;  // empty: the per-user profile
    bool quick = false;
    int repeats = 1;
    bool json = false;
};

// Per unit cost, how far apart the calibrations were: (largest - smallest) / median, as text.
std::map<machine::UnitKey, std::string> spreads(const std::vector<machine::MachineProfile>& profiles,
                                                const machine::MachineProfile& median) {
    std::map<machine::UnitKey, std::string> out;
    if (profiles.size() < 2) return out;
    for (const auto& [key, cost] : median.costs) {
        double low = cost.seconds, high = cost.seconds;
        for (const machine::MachineProfile& profile : profiles)
            if (const auto it = profile.costs.find(key); it != profile.costs.end()) {
                low = std::min(low, it->second.seconds);
                high = std::max(high, it->second.seconds);
            }
        out[key] = cost.seconds > 0 ? fmt::format("{:.0f}%", 100 * (high - low) / cost.seconds) : "-";
    }
    return out;
}

std::string share_text(const machine::MachineProfile& profile) {
    if (!profile.cpu_share) return "not measured";
    return fmt::format("{:.2f} / {:.2f} / {:.2f}", profile.cpu_share->single_thread_share,
                       profile.cpu_share->concurrent_cores, profile.cpu_share->unthrottled_share);
}

// What the engine's threads get of the CPU per wall second (a quota or neighbours' load
// lowers it), beside the reference machine's.
void print_cpu_share(const machine::MachineProfile& profile, const std::optional<machine::MachineProfile>& reference) {
    fmt::print("\nCPU share (CPU s per wall s, one busy thread / two together / one outside throttling stalls; medians of {} "
               "windows): "
               "this {}, reference {}\n",
               profile.cpu_share ? profile.cpu_share->windows : 0, share_text(profile),
               reference ? share_text(*reference) : "-");
}

// Each unit cost beside the reference machine's, or alone when no reference is found, and
// with several calibrations their spread.
void print_comparison(const machine::MachineProfile& profile, const std::map<machine::UnitKey, std::string>& spread,
                      const std::filesystem::path& written) {
    std::optional<machine::MachineProfile> reference;
    try {
        reference = machine::read_profile(machine::reference_profile_path(predictor_dirs()));
    } catch (const InvalidInput& error) {
        fmt::print("(no reference profile to compare with: {})\n", error.what());
    }
    fmt::print("{:<28} {:<18} {:>12} {:>12} {:>8} {:>7} {:>7}  {}\n", "unit cost", "unit", "this (us)", "reference",
               "ratio", "repeats", "spread", "sender / receiver (us)");
    for (const auto& [key, cost] : profile.costs) {
        const double us = cost.seconds * 1e6;
        std::string reference_us = "-", ratio = "-";
        if (reference && reference->costs.contains(key)) {
            const double ref = reference->costs.at(key).seconds * 1e6;
            reference_us = fmt::format("{:.4g}", ref);
            if (ref > 0) ratio = fmt::format("{:.2f}x", us / ref);
        }
        const std::string roles =
            cost.by_role ? fmt::format("{:.4g} / {:.4g}", cost.of(protocol::OtRole::kSender) * 1e6,
                                       cost.of(protocol::OtRole::kReceiver) * 1e6)
                         : "";
        const auto spread_of = spread.find(key);
        fmt::print("{:<28} {:<18} {:>12.4g} {:>12} {:>8} {:>7} {:>7}  {}\n", machine::unit_key_name(key),
                   machine::unit_kind_unit(key.kind), us, reference_us, ratio, cost.repeats,
                   spread_of == spread.end() ? "-" : spread_of->second, roles);
    }
    print_cpu_share(profile, reference);
    fmt::print("{} ({} cores), load average {} while measuring\n", profile.cpu_model, profile.cores,
               profile.load_average);
    if (reference)
        fmt::print("reference: {} ({} cores), {}, load average {}\n", reference->cpu_model, reference->cores,
                   reference->date, reference->load_average);
    fmt::print("machine profile written to {}\n", written.string());
}

void run_calibrate(const CalibrateOptions& options) {
    const std::filesystem::path out =
        options.out.empty() ? machine::user_profile_path() : std::filesystem::path(options.out);
    SNNIPRED_CHECK(options.repeats >= 1 && options.repeats <= 9, ConfigError,
                   "--repeats must be in 1..9, not " + std::to_string(options.repeats));
    std::vector<machine::MachineProfile> calibrations;
    for (int i = 0; i < options.repeats; ++i) {
        if (options.repeats > 1) fmt::print(stderr, "calibration {} of {}\n", i + 1, options.repeats);
        calibrations.push_back(calibrate_with_progress(options.quick));
    }
    const machine::MachineProfile profile = machine::median_profile(calibrations);
    machine::write_profile(profile, out);
    if (options.json) fmt::print("{}\n", machine::profile_json(profile).dump(2));
    else print_comparison(profile, spreads(calibrations, profile), out);
}

}  // namespace

void register_calibrate(CLI::App& app) {
    auto options = std::make_shared<CalibrateOptions>();
    CLI::App* command = app.add_subcommand(
        "calibrate", "Measure this machine's unit cost of every protocol primitive into a machine profile");
    command->add_option("--out", options->out,
                        "Write the profile here instead of $SNNIPRED_MACHINE_PROFILE, "
                        "$XDG_CONFIG_HOME/snnipred/machine.json or ~/.config/snnipred/machine.json");
    command->add_flag("--quick", options->quick, "3 rounds of smaller batches instead of 7: about 20 s instead of 1 min");
    command
        ->add_option("--repeats", options->repeats,
                     "Calibrate this many times in a row and keep each unit's median (1..9; the table shows "
                     "their spread): steadier on a noisy machine, this many times as long")
        ->capture_default_str();
    command->add_flag("--json", options->json, "Print the profile as JSON instead of the comparison table");
    command->callback([options] { run_calibrate(*options); });
}

}  // namespace snnipred::cli
