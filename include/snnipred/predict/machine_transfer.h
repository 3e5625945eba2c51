#pragma once
// Moving a prediction from the machine a bundle was profiled on to another machine. The
// bundle's models learn each step's time on their profiling machine, including what the
// physical model (physical_model.h) misses there; the physical model knows how both
// machines differ (unit costs and CPU share, from their calibrations). So each step and
// party is scaled by physical(target) / physical(profiled), both costing the same plan
// steps on the same link: a compute-bound step scales with the machines' unit costs, a
// link-bound one hardly moves. A whole-network prediction scales by the online totals'
// ratio. The correction the models learned is carried over as a ratio to the physical
// model, the unit that does not depend on the machine.

#include <array>
#include <vector>

#include "snnipred/link/link_profile.h"
#include "snnipred/machine/machine_profile.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/predict/physical_model.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {

/// `prediction`'s time per lowered step (the sum of the plan steps each stands for), for
/// `steps` lowered with the protocol plan it was made on. Throws InvalidInput for a step
/// outside the plan.
std::vector<StepPrediction> lowered_step_times(const PhysicalPrediction& prediction,
                                               const std::vector<ProtocolStep>& steps);

/// Target over profiled physical time, by party_index: per lowered step (1 where the
/// profiled machine's physical time is zero) and for the whole online phase.
struct MachineRatios {
    std::vector<std::array<double, 2>> steps;  // parallel to the lowered steps
    std::array<double, 2> online{1.0, 1.0};
};

/// The ratios of `plan` between machines `profiled` and `target` on `link`; `steps` are
/// the lowered steps (with their plan ranges) predictions are parallel to. When one profile
/// has OT costs by role and the other does not, both are compared by their means. Throws as
/// predict_physical (ConfigError for a profile that lacks a cost the plan needs).
MachineRatios machine_ratios(const protocol::ProtocolPlan& plan, const std::vector<ProtocolStep>& steps,
                             const machine::MachineProfile& profiled, const machine::MachineProfile& target,
                             const LinkProfile& link);

/// A per-step prediction moved by `ratios`; its totals move by the steps' changes.
NetworkPrediction move_to_machine(NetworkPrediction prediction, const MachineRatios& ratios);
/// A whole-network prediction moved by the online ratio.
PartyTimes move_to_machine(PartyTimes times, const MachineRatios& ratios);

}  // namespace snnipred::predict
