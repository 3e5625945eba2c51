#pragma once
// A measurement campaign (docs/profiling.md): which networks to run (generated families,
// per-layer sweeps, explicit models), with which engine options, under which emulated
// links, how many times. Read from a JSON file.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "snnipred/engine/secure_executor.h"
#include "snnipred/protocol/options.h"
#include "snnipred/model/shape.h"
#include "snnipred/link/link_profile.h"

namespace snnipred::profile {

/// One link setting: its name (the dataset's "setting", e.g. "LAN") and the emulation.
struct LinkSetting {
    std::string name;
    std::string net = "none";  // none | lan | wan
    std::optional<double> bandwidth_mbit;
    std::optional<double> rtt_ms;

    LinkProfile link() const { return custom_link(net, bandwidth_mbit, rtt_ms); }
};

/// The cost estimate that caps generated networks (profile/cost.h):
///   cost_s = relu_s * (ReLU elements + max-pool comparisons) + trunc_s * truncated
///            elements + mac_s * HE multiply-accumulates (conv, fc, bn)
/// A generated network whose cost_s exceeds cap_s, or is below floor_s, is redrawn (a floor
/// concentrates a campaign on large layers, which log-uniform draws rarely reach).
/// Defaults: measured under --net lan, he cheetah, approximate truncation, on the
/// development machine (2 cores, busy): ReLU 1.8e-5 s, truncation 2e-7 s per element,
/// conv 9e-9 s per MAC.
struct CostModel {
    double relu_s = 1.8e-5;
    double trunc_s = 2e-7;
    double mac_s = 1e-8;
    double cap_s = 2.0;
    double floor_s = 0.0;
};

/// Shapes of generated networks.
struct GeneratorSpec {
    std::vector<std::pair<std::string, int>> families;  // family name, how many networks
    std::vector<Shape> input_sizes = std::vector<Shape>(1, Shape{3, 224, 224});  // drawn per network
    int max_blocks = 4;                                  // blocks per network: 1..max_blocks
    CostModel cost;
};

struct Campaign {
    std::string name;
    std::uint64_t seed = 1;
    protocol::HeSet he = protocol::HeSet::kCheetah;
    protocol::TruncationMode truncation = protocol::TruncationMode::kApproximate;
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    std::vector<LinkSetting> settings;
    int repeats = 1;
    int timeout_s = 600;  // longest wait for the peer in one run
    GeneratorSpec generator;
    std::vector<std::pair<std::string, int>> sweeps;  // layer kind, how many networks
    std::vector<std::string> models;                  // zoo:NAME, .onnx or .json

    /// The engine options of every run (PRGs seeded by the OS).
    engine::SecureOptions secure_options() const;
    /// What determines the campaign's networks and runs' meaning (seed, engine options,
    /// generator, sweeps, models) as canonical JSON: two stores may be merged, and a
    /// store resumed, only under the same definition. Settings and repeats may grow.
    std::string definition() const;
};

/// Family names the generator knows, in canonical order.
const std::vector<std::string>& generator_families();
/// Layer kinds the sweeps know: conv, fc, maxpool, avgpool, relu, bn.
const std::vector<std::string>& sweep_kinds();

/// The engine options a stored campaign definition (Campaign::definition) names: HE set,
/// truncation and OT extension (absent: IKNP, as stores that predate the option). Throws
/// InvalidInput naming `source` on text that is not such a definition.
protocol::PlanOptions definition_plan_options(const std::string& definition, const std::string& source);

/// Parses a campaign. Throws ConfigError naming `source` and the field at fault.
Campaign parse_campaign(const std::string& text, const std::string& source);
/// Reads and parses a campaign file. Throws ConfigError (unreadable file, bad field).
Campaign load_campaign(const std::string& path);

}  // namespace snnipred::profile
