#pragma once
// Lowering: the sequence of protocol steps the Cheetah backend (OpenCheetah running an
// EzPC/Athos-compiled network) executes for a Network, each described like a dataset
// record (kind + raw features), so that summing per-step predictions gives a whole-network
// time comparable with a measured SNNI run. docs/cheetah-networks.md explains the rules.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "snnipred/model/network.h"
#include "snnipred/predict/dataset.h"
#include "snnipred/protocol/options.h"
#include "snnipred/protocol/step.h"

namespace snnipred::predict {

/// Where truncations (fixed-point rescaling after a product) are placed.
enum class TruncationPlacement {
    kAthos,  // as Athos compiles: lazily, on the tensor actually consumed next (before a
             // conv / fc / bn / avgpool, per scaled concat input, fused into a ReLU)
    kEager,  // one truncation of the output after every conv, fc and bn
};

/// "athos" / "eager".
std::string_view truncation_placement_name(TruncationPlacement placement);
/// Inverse of truncation_placement_name; throws InvalidInput on an unknown name.
TruncationPlacement parse_truncation_placement(std::string_view name);

struct LoweringOptions {
    /// The steps of the engine's protocol plan (protocol/plan.h: the snnipred backend)
    /// instead of Cheetah's rules; the options below then apply only to fuse_truncation.
    bool protocol_plan = false;
    TruncationPlacement truncation = TruncationPlacement::kAthos;
    /// Athos commutes ReLU -> MaxPool into MaxPool -> ReLU (the ReLU then runs on the
    /// pooled, smaller tensor). Applied when the ReLU's only reader is the max pool.
    bool swap_relu_maxpool = true;
    /// A truncation right after a product of the same layer (conv, fc, bn, avg pool) is
    /// part of that layer's step instead of a step of its own. The snnipred backend fuses:
    /// there a party that finishes a product first waits for the other one inside the
    /// truncation (the server for the client's decryption), so only the pair has a time
    /// that the layer's own shape determines.
    bool fuse_truncation = false;
    /// With protocol_plan: the engine options whose costed plan gives every step its raw
    /// feature kCotRefillsFeature, the Ferret main iterations (one round trip and about a
    /// quarter second each) the step triggers. Unset: every step's is 0 (IKNP never
    /// refills; lowering then needs only the plan's step sequence, a fraction of the time).
    std::optional<protocol::PlanOptions> refill_plan;
};

/// The raw feature a step's COT refills are recorded under (feature set "plan" reads it;
/// the protocol plan's lowering gives it to every step).
inline constexpr std::string_view kCotRefillsFeature = "cot_refills";
/// The raw feature marking the first comparison (ReLU, ReLU6, max pool) of a run, 1 or 0
/// (the protocol plan's lowering gives it to every step). The first comparison of a
/// process touches the OT buffers first: on the development machine its page faults cost
/// 100-170 ms of CPU per party that no later comparison pays (docs/RESULTS.md), a fixed
/// cost that per-step models must not spread over every comparison.
inline constexpr std::string_view kFirstComparisonFeature = "first_comparison";

/// The engine options the snnipred backend's campaigns run (campaigns/*.json: HE cheetah,
/// approximate truncation) with OT extension `ot`: what a bundle's times are profiled under.
protocol::PlanOptions profiled_plan_options(protocol::OtExtension ot);

/// The lowering of a bundle's backend: "cheetah" (OpenCheetah running an Athos-compiled
/// network: Athos truncation, ReLU/MaxPool swap) or "snnipred" (this project's secure
/// executor: the steps of its protocol plan, each truncation fused into the product or
/// average pool before it; a ReLU6 of n values is a relu step of 2n values). Throws
/// InvalidInput on another name. With the snnipred backend and a Ferret `ot`, every step
/// carries its refills under profiled_plan_options(ot) (LoweringOptions::refill_plan).
LoweringOptions lowering_for_backend(std::string_view backend, protocol::OtExtension ot = protocol::OtExtension::kIknp);

/// The snnipred backend without fusion: the protocol plan's predicted steps
/// (protocol::is_predicted_step), one to one with the engine's spans of those steps; with
/// Ferret, their refills under `engine` (the options the spans were measured with).
LoweringOptions engine_span_lowering(const protocol::PlanOptions& engine = profiled_plan_options(protocol::OtExtension::kIknp));

/// One protocol step: what Cheetah runs, described as the record a per-step predictor
/// takes (kind, variant, raw features; party and setting are left for the caller).
struct ProtocolStep {
    LayerRecord record;     // kind, variant (e.g. "BN2_3D"), raw: at least required_raw_features(kind)
    std::size_t layer = 0;  // index in Network::layers() of the layer the step comes from
    std::string_view role;  // why it runs, e.g. "conv", "trunc:input" (a static string)
    /// With LoweringOptions::protocol_plan: the plan steps [first, first + count) it stands
    /// for (a product and its fused truncation are two); count 0 otherwise.
    std::size_t first_plan_step = 0, plan_steps = 0;
    protocol::StepKind plan_kind = protocol::StepKind::kLocal;  // the first plan step's kind
};

/// Lowers `network` to the protocol steps of options' backend in execution order (with
/// protocol_plan, the plan's steps as plan_protocol builds them for any PlanOptions: the
/// step sequence does not depend on them). Cheetah's rules: layers without a secure
/// protocol (input, add, concat's copy, flatten, identity, pad) add no step; ReLU6
/// becomes two ReLU steps (max(x,0) and min(.,6) = y - ReLU(y-6)); a grouped conv is one
/// conv step with C_I/G input channels per filter. Throws Unsupported for a layer type it
/// cannot lower.
std::vector<ProtocolStep> lower_network(const Network& network, const LoweringOptions& options = {});

/// Whether steps[i] is a truncation of the same layer as steps[i - 1], the step that
/// LoweringOptions::fuse_truncation folds into its predecessor.
bool truncates_previous_step(const std::vector<ProtocolStep>& steps, std::size_t i);

/// The record a predictor takes for `step` on `party` in `setting` (time_ms = 0).
LayerRecord step_record(const ProtocolStep& step, Party party, const std::string& setting);

}  // namespace snnipred::predict
