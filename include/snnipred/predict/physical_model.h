#pragma once
// The physical model: a network's secure-inference time from first principles, with no
// fitted parameter beyond the machine's unit costs and two shares of the engine's OT
// pipelining (machine-independent, fitted once per engine). For each protocol plan step and party,
// compute = Σ primitive count × unit cost (a machine profile, machine/machine_profile.h),
// and the step's bytes, flights and rounds cost the local channel (per flight and per
// byte, from the same profile) plus the link (bandwidth, one-way latency per flight, as
// predict/link_transfer.h charges it). The parties are sequenced as the engine runs them:
//
//   HE linear (conv, fc, batchnorm): client encrypts → ciphertexts cross → server lifts,
//     prepares, multiplies, responds → responses cross → client decrypts
//   handshake, base OTs: the parties take turns (one computes and sends, the other waits,
//     then computes on it), so both parties' compute and all traffic add up
//   OT steps (trunc, relu, relu6, maxpool): the protocols stream
//     their batches (one party computes the next while the other works on the last and the
//     link carries a third), so the step runs from the later party's start for the longer
//     of its compute (the busier party's CPU plus a share of the other's) and its traffic
//     (both parties' bytes and flights, but one latency per hop of the step's critical
//     path, protocol::PlanStep::hops: flights both send at once wait out one latency),
//     plus the share of the shorter that the pipeline does not hide; both end together.
//     The two shares are fitted to the engine's measured comparison steps
//     (bench/overlap_fit.py). Ferret's refills in the step stop that stream and come on
//     top: both parties' halves of each LPN expansion at once (the longer counts), then
//     its two flights (docs/RESULTS.md, 2026-12-07: hidden, they left the large ReLU and
//     max-pool steps of 224×224 networks 14–22 % short at the mid links)
//   he_keygen: the client generates, the server waits for the public key
//   reveal: the server sends, the client waits for it
//   local steps: each party on its own, both at once
//
// Compute is thread CPU time, turned into wall time by the profile's CPU share
// (machine::CpuShare: a CPU quota or neighbours' load, measured by calibrate; a free
// machine's for a profile without it). Each step is sequenced twice and ends at the later:
// with compute at the unthrottled share plus the traffic (a party computing between waits),
// and with compute at the single-thread share and no traffic (the sustained rate, which a
// quota's budget holds it to however it waits). When both compute at once (the local
// steps, the OT steps) the pair needs at least (c_client + c_server) / concurrent_cores.
// Under a fair share among neighbours the two shares are equal and the first sequence
// decides; under a half-CPU quota c CPU seconds take 2c unless the link's waits hide them.
// Predicted CPU seconds stay CPU seconds.
//
// Pure arithmetic over the plan: no crypto, no torch.

#include <array>
#include <vector>

#include "snnipred/link/link_profile.h"
#include "snnipred/machine/machine_profile.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {

/// The overlap of an OT step (see above), fitted by bench/overlap_fit.py to the comparison
/// steps of the 2026-12-06 campaigns (docs/RESULTS.md): the share of the shorter of the
/// step's compute and traffic that the pipeline does not hide, and the share of the less
/// busy party's CPU that adds to the busier one's.
inline constexpr double kOtUnhiddenShare = 0.375;
inline constexpr double kOtIdlePartyShare = 0.10;

/// Seconds per unit of every count the plan has, for one engine configuration: the one
/// place a PrimitiveCounts field meets its unit cost. OT costs are by role
/// (protocol::ot_role_index): the profile's per-role costs, or its mean for both roles when
/// it has none (by_role false).
struct UnitCosts {
    using ByRole = std::array<double, 2>;
    double base_ot = 0, ferret_setup = 0;
    ByRole random_cot{}, chosen_cot{}, cot_refill{}, random_ot{}, correlated_ot{}, and_gate{};
    double share_op = 0;
    double he_keygen = 0, he_encryption = 0, he_input_lift = 0, he_decryption = 0, he_plain_prepare = 0;
    double he_product = 0, he_response = 0, he_flooding = 0;
    double channel_message = 0, channel_byte = 0;
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    bool by_role = false;
    /// The lean protocols' ANDs costed as the classic ones': the profile has no
    /// and_gate.ferret (calibrated before it was measured).
    bool lean_and_from_classic = false;
    const machine::MachineProfile* profile = nullptr;  // 1-of-N costs by N and message size

    /// Resolves the costs of `options` (its OT extension and HE set) from `profile`, which
    /// must outlive the result. Throws ConfigError when the options' HE layout is neither
    /// named set or the profile lacks a cost.
    static UnitCosts of(const machine::MachineProfile& profile, const protocol::PlanOptions& options);
};

/// Seconds `party` computes in `step` (its primitives × their unit costs; the server also
/// lifts every ciphertext the client sent). Throws ConfigError for a 1-of-N OT the profile has no cost of.
double compute_seconds(const protocol::PlanStep& step, Party party, const UnitCosts& costs);

/// One plan step's prediction, milliseconds, by party_index.
struct PhysicalStep {
    std::array<double, 2> time_ms{};  // from the party's start of the step to its end
    std::array<double, 2> cpu_ms{};   // the party's own compute
};

struct PhysicalPrediction {
    std::vector<PhysicalStep> steps;  // parallel to plan.steps
    machine::CpuShare cpu_share;      // what the times assume (windows 0: not measured, a free machine's)
    bool ot_costs_by_role = false;    // false: the profile has no per-role OT costs, each party was charged their mean
    bool lean_and_from_classic = false;  // UnitCosts::lean_and_from_classic
    /// Sums over the steps of each phase, by party_index.
    std::array<double, 2> setup_ms{}, online_ms{}, setup_cpu_ms{}, online_cpu_ms{};
};

/// Predicts every step of `plan` on the machine of `profile` over `link` (no emulation:
/// the local channel only). Throws as UnitCosts::of and compute_seconds.
PhysicalPrediction predict_physical(const protocol::ProtocolPlan& plan, const machine::MachineProfile& profile,
                                    const LinkProfile& link);

}  // namespace snnipred::predict
