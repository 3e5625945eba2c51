#pragma once
// Moving a prediction to another link. A step's time on the link its predictor was
// trained for includes the time the step's traffic held that link: the bytes of both
// directions at the link's bandwidth and one one-way latency per flight (a round of either
// party), as the engine's link emulation charges them (net/channel.h).
//
// With the machine the prediction is for (the bundle's profiling machine), a step moves by
// the physical model's change between the two links on that machine (physical_model.h):
// its OT steps hide part of their traffic under their compute, so a faster link saves less
// than the traffic it no longer carries. Without one, a step moves by its traffic alone
// (the plan's exact bytes and rounds, swapped for the other link's; compute taken as the
// trained link's), which assumes that nothing of the traffic was hidden.

#include <array>
#include <vector>

#include "snnipred/core/comm_stats.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/machine/machine_profile.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {

/// Milliseconds the traffic of one step (both parties' counts) holds `link`.
double link_ms(const CommStats& client, const CommStats& server, const LinkProfile& link);

/// How much longer each plan step and the online phase take on one link than on another,
/// ms by party_index.
struct LinkChange {
    std::vector<std::array<double, 2>> steps;  // parallel to the plan's steps
    std::array<double, 2> online{};
};

/// The change by the traffic alone: each plan step's bytes and rounds on `to` instead of
/// `from`, the same for both parties.
LinkChange traffic_change(const protocol::ProtocolPlan& plan, const LinkProfile& from, const LinkProfile& to);

/// The change by the physical model on `machine`: an OT step's traffic hides in part under
/// its compute. Throws as predict_physical (ConfigError for a profile that lacks a cost the
/// plan needs).
LinkChange physical_change(const protocol::ProtocolPlan& plan, const machine::MachineProfile& machine,
                           const LinkProfile& from, const LinkProfile& to);

/// Per-step and total times moved by `change`; `steps` are the lowered steps the prediction
/// is parallel to (with their plan ranges), `plan` the network's protocol plan. The online
/// plan steps no predictor times (local layers, the reveal) add their change to the totals.
/// Times never fall below zero.
NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const LinkChange& change);

/// A whole-network prediction moved by the online phase's change.
PartyTimes move_to_link(PartyTimes times, const LinkChange& change);

}  // namespace snnipred::predict
