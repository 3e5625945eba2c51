#include "snnipred/calibrate/calibration.h"

#include <algorithm>
#include <chrono>
#include <fstream>
#include <thread>

#include <fmt/chrono.h>
#include <fmt/core.h>

#include "probes.h"
#include "snnipred/calibrate/cpu_share.h"
#include "snnipred/core/error.h"
#include "snnipred/core/statistics.h"
#include "snnipred/model/network.h"
#include "snnipred/predict/physical_model.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::calibrate {
namespace {

using machine::UnitKey;
using machine::UnitKind;
using protocol::OtExtension;

constexpr int kRounds = 7, kQuickRounds = 3;
// Two CFS periods (100 ms by default) per window, so a quota's on/off throttling averages
// out within each; 10 alternating windows of each kind take 4 s.
constexpr int kShareWindows = 10;
constexpr std::chrono::milliseconds kShareWindow{200};

std::string cpu_model() {
    std::ifstream in("/proc/cpuinfo");
    for (std::string line; std::getline(in, line);)
        if (line.starts_with("model name")) return line.substr(line.find(':') + 2);
    return "unknown";
}

std::string load_average() {
    std::ifstream in("/proc/loadavg");
    std::string one, five, fifteen;
    in >> one >> five >> fifteen;
    return in ? one + " " + five + " " + fifteen : "unknown";
}

// A ReLU step of n elements, as the protocol plan counts it with `options`.
protocol::PlanStep relu_step(std::size_t n, const protocol::PlanOptions& options) {
    Network network("calibration", Shape{1, 1, static_cast<std::int64_t>(n)});
    network.add(simple_layer(LayerType::kRelu, "relu", {"input"}));
    for (const protocol::PlanStep& step : protocol::plan_protocol(network, options).steps)
        if (step.kind == protocol::StepKind::kRelu) return step;
    throw Error("calibrate: the plan of a ReLU has no ReLU step");
}

// Raw samples include the OTs under them (probes.h); what each unit adds on its own, in
// each role (the probes' server sends every OT, the ReLU's leaves too). Every OT cost has
// both roles (Samples::add); its mean is set last.
void subtract_underlying(machine::MachineProfile& profile, const detail::Sizes& sizes) {
    using protocol::OtRole;
    auto less = [](double raw, double part) { return std::max(0.0, raw - part); };
    auto role_costs = [&](const UnitKey& key) -> std::array<double, 2>& { return *profile.costs.at(key).by_role; };
    const UnitKey random_cot = UnitKey::cot(UnitKind::kRandomCot, OtExtension::kIknp);
    const UnitKey chosen_cot = UnitKey::cot(UnitKind::kChosenCot, OtExtension::kIknp);
    // Takes `times` x `part` from `whole`, in each role.
    auto subtract = [&](const UnitKey& whole, const UnitKey& part, double times) {
        for (std::size_t r = 0; r < 2; ++r) role_costs(whole)[r] = less(role_costs(whole)[r], times * role_costs(part)[r]);
    };
    subtract(UnitKey::plain(UnitKind::kRandomOt), random_cot, 1);
    subtract(UnitKey::plain(UnitKind::kCorrelatedOt), chosen_cot, 1);
    for (const auto& entry : profile.costs)
        if (entry.first.kind == UnitKind::kOneOfN) subtract(entry.first, chosen_cot, entry.first.log_n);
    // The ReLUs' samples are per element; each party's ANDs take what its OTs leave, costed
    // as the physical model costs the step (the classic protocols on IKNP, the default plan
    // options; the lean ones on Ferret) with no AND cost yet. The server sends the leaves, so
    // its ANDs are the sender's.
    protocol::PlanOptions lean;
    lean.ot = OtExtension::kFerret;
    struct ReluProbe {
        UnitKey and_gate;
        protocol::PlanOptions options;
        std::size_t relus;
    };
    for (const auto& [key, options, relus] : {ReluProbe{UnitKey::plain(UnitKind::kAndGate), {}, sizes.relus},
                                              ReluProbe{UnitKey::lean_and_gate(), lean, sizes.lean_relus}}) {
        const protocol::PlanStep relu = relu_step(relus, options);
        std::array<double, 2>& and_gate = role_costs(key);
        predict::UnitCosts costs = predict::UnitCosts::of(profile, options);
        costs.and_gate = {};
        costs.cot_refill = {};  // the lean sample ran none (ot_probes.cpp)
        for (const OtRole role : protocol::kOtRoles) {
            const Party party = role == OtRole::kSender ? Party::kServer : Party::kClient;
            const double ots = predict::compute_seconds(relu, party, costs);
            const auto ands = static_cast<double>(std::max<std::uint64_t>(relu.ots(party, role).and_gates, 1));
            double& cost = and_gate[protocol::ot_role_index(role)];
            cost = less(cost * static_cast<double>(relus), ots) / ands;
        }
    }
    for (auto& [key, cost] : profile.costs)
        if (cost.by_role) cost.seconds = (cost.of(OtRole::kSender) + cost.of(OtRole::kReceiver)) / 2;
}

}  // namespace

namespace detail {

// The classic ReLU probe runs 2^19 elements (2^17 quick), as the engine's large ReLU layers
// (10^5 to 10^6): at 2^16 (in cache) its per-element CPU fell further under theirs
// (docs/RESULTS.md, 2026-12-06 fourth). The lean one runs 2^17, which takes under half of
// a Ferret buffer in either direction (ot_probes.cpp).
Sizes Sizes::of(bool quick) {
    if (quick) return {1 << 18, 1 << 17, 1 << 14, 1 << 17, 1 << 17, 1 << 20, 4, 32};
    return {1 << 20, 1 << 19, 1 << 16, 1 << 19, 1 << 17, 1 << 22, 64, 128};
}

}  // namespace detail

machine::MachineProfile calibrate_machine(const CalibrationOptions& options, const std::string& version) {
    const auto start = std::chrono::steady_clock::now();
    const detail::Sizes sizes = detail::Sizes::of(options.quick);
    detail::PartyPair pair;
    std::vector<detail::Probe> probes = detail::local_probes(pair, sizes);
    for (auto&& group : {detail::ot_probes(pair, sizes), detail::he_probes(pair, sizes)})
        probes.insert(probes.end(), group.begin(), group.end());
    const int rounds = options.quick ? kQuickRounds : kRounds;
    detail::Samples samples;
    CalibrationProgress progress{0, rounds * static_cast<int>(probes.size()) + 1, 0, ""};
    const auto finished = [&](const std::string& name) {
        ++progress.done;
        progress.elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        progress.probe = name;
        if (options.on_progress) options.on_progress(progress);
    };
    // Rounds interleave the probes, so a burst of load on the machine lands in one sample
    // of many costs rather than in every sample of one.
    for (int round = 0; round < rounds; ++round)
        for (const detail::Probe& probe : probes) {
            probe.run(samples);
            finished(probe.name);
        }
    const machine::CpuShare cpu_share = measure_cpu_share(kShareWindows, kShareWindow);
    finished("CPU share");

    machine::MachineProfile profile;
    profile.cpu_model = cpu_model();
    profile.cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    profile.date = fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", fmt::gmtime(std::time(nullptr)));
    profile.snnipred_version = version;
    profile.load_average = load_average();
    for (const auto& [key, values] : samples.seconds)
        profile.costs[key] = {median(values), static_cast<int>(values.size()), {}};
    for (const auto& [key, roles] : samples.by_role)
        profile.costs[key] = {0, static_cast<int>(roles[0].size()),
                              std::array<double, 2>{median(roles[0]), median(roles[1])}};
    profile.cpu_share = cpu_share;
    subtract_underlying(profile, sizes);
    return profile;
}

}  // namespace snnipred::calibrate
