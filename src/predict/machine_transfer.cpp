#include "snnipred/predict/machine_transfer.h"

#include "snnipred/core/error.h"

namespace snnipred::predict {
namespace {

double ratio(double target_ms, double profiled_ms) { return profiled_ms > 0 ? target_ms / profiled_ms : 1.0; }

}  // namespace

std::vector<StepPrediction> lowered_step_times(const PhysicalPrediction& prediction,
                                               const std::vector<ProtocolStep>& steps) {
    std::vector<StepPrediction> out;
    out.reserve(steps.size());
    for (const ProtocolStep& step : steps) {
        SNNIPRED_CHECK(step.first_plan_step + step.plan_steps <= prediction.steps.size(), InvalidInput,
                       "a lowered step outside the plan (lower with the protocol plan)");
        StepPrediction sum;
        for (std::size_t k = step.first_plan_step; k < step.first_plan_step + step.plan_steps; ++k) {
            sum.client_ms += prediction.steps[k].time_ms[party_index(Party::kClient)];
            sum.server_ms += prediction.steps[k].time_ms[party_index(Party::kServer)];
        }
        out.push_back(sum);
    }
    return out;
}

MachineRatios machine_ratios(const protocol::ProtocolPlan& plan, const std::vector<ProtocolStep>& steps,
                             const machine::MachineProfile& profiled, const machine::MachineProfile& target,
                             const LinkProfile& link) {
    // Like with like: between a profile with OT costs by role and one without, the roles'
    // shift of CPU from one party to the other would pass for a change of machine.
    if (profiled.has_role_costs() != target.has_role_costs())
        return machine_ratios(plan, steps, profiled.without_role_costs(), target.without_role_costs(), link);
    // Likewise the lean protocols' AND: where one profile lacks it, both cost the classic one.
    const machine::UnitKey lean_and = machine::UnitKey::lean_and_gate();
    if (profiled.costs.contains(lean_and) != target.costs.contains(lean_and))
        return machine_ratios(plan, steps, profiled.without_cost(lean_and), target.without_cost(lean_and), link);
    const PhysicalPrediction from = predict_physical(plan, profiled, link);
    const PhysicalPrediction to = predict_physical(plan, target, link);
    const std::vector<StepPrediction> from_steps = lowered_step_times(from, steps);
    const std::vector<StepPrediction> to_steps = lowered_step_times(to, steps);
    MachineRatios ratios;
    ratios.steps.reserve(steps.size());
    for (std::size_t i = 0; i < steps.size(); ++i)
        ratios.steps.push_back({ratio(to_steps[i].client_ms, from_steps[i].client_ms),
                                ratio(to_steps[i].server_ms, from_steps[i].server_ms)});
    for (std::size_t p = 0; p < 2; ++p) ratios.online[p] = ratio(to.online_ms[p], from.online_ms[p]);
    return ratios;
}

NetworkPrediction move_to_machine(NetworkPrediction prediction, const MachineRatios& ratios) {
    SNNIPRED_CHECK(prediction.steps.size() == ratios.steps.size(), InvalidInput,
                   "move_to_machine: the prediction and the ratios are for different steps");
    constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);
    // Totals move by their steps' changes: after a link move they also hold traffic of
    // plan steps no predictor times, which stays as it is.
    for (std::size_t i = 0; i < prediction.steps.size(); ++i) {
        StepPrediction& step = prediction.steps[i];
        const StepPrediction before = step;
        step.client_ms *= ratios.steps[i][kC];
        step.server_ms *= ratios.steps[i][kS];
        prediction.client_ms += step.client_ms - before.client_ms;
        prediction.server_ms += step.server_ms - before.server_ms;
    }
    return prediction;
}

PartyTimes move_to_machine(PartyTimes times, const MachineRatios& ratios) {
    times.client_ms *= ratios.online[party_index(Party::kClient)];
    times.server_ms *= ratios.online[party_index(Party::kServer)];
    return times;
}

}  // namespace snnipred::predict
