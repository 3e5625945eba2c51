#pragma once
// Moving a prediction to another link. A step's time on the link its predictor was
// trained for includes the time the step's traffic held that link: the bytes of both
// directions at the link's bandwidth (the parties take turns, so one waits while the
// other transmits) and one one-way latency per flight (a round of either party), as the
// engine's link emulation charges them (net/channel.h). With the protocol plan's exact
// bytes and rounds, swapping that term for another link's predicts the step there. The
// model has no fitted parameter; compute is taken as the trained link's.

#include <vector>

#include "snnipred/core/comm_stats.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {

/// Milliseconds the traffic of one step (both parties' counts) holds `link`.
double link_ms(const CommStats& client, const CommStats& server, const LinkProfile& link);

/// Per-step and total times moved from link `from` to link `to`; `steps` are the lowered
/// steps the prediction is parallel to (with their plan ranges), `plan` the network's
/// protocol plan. The online plan steps no predictor times (local layers, the reveal) add
/// their traffic to the totals. Times never fall below zero.
NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const LinkProfile& from, const LinkProfile& to);

/// A whole-network prediction moved by the plan's online traffic.
PartyTimes move_to_link(PartyTimes times, const protocol::ProtocolPlan& plan, const LinkProfile& from,
                        const LinkProfile& to);

}  // namespace snnipred::predict
