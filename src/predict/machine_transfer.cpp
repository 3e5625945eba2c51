#include "snnipred/predict/machine_transfer.h"

#include "snnipred/core/error.h"
#include "snnipred/predict/physical_model.h"

namespace snnipred::predict {
namespace {

double ratio(double target_ms, double profiled_ms) { return profiled_ms > 0 ? target_ms / profiled_ms : 1.0; }

}  // namespace

MachineRatios machine_ratios(const protocol::ProtocolPlan& plan, const std::vector<ProtocolStep>& steps,
                             const machine::MachineProfile& profiled, const machine::MachineProfile& target,
                             const LinkProfile& link) {
    const PhysicalPrediction from = predict_physical(plan, profiled, link);
    const PhysicalPrediction to = predict_physical(plan, target, link);
    MachineRatios ratios;
    ratios.steps.reserve(steps.size());
    for (const ProtocolStep& step : steps) {
        SNNIPRED_CHECK(step.first_plan_step + step.plan_steps <= plan.steps.size(), InvalidInput,
                       "machine_ratios: a lowered step outside the plan (lower with the protocol plan)");
        std::array<double, 2> from_ms{}, to_ms{};
        for (std::size_t k = step.first_plan_step; k < step.first_plan_step + step.plan_steps; ++k)
            for (std::size_t p = 0; p < 2; ++p) {
                from_ms[p] += from.steps[k].time_ms[p];
                to_ms[p] += to.steps[k].time_ms[p];
            }
        ratios.steps.push_back({ratio(to_ms[0], from_ms[0]), ratio(to_ms[1], from_ms[1])});
    }
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
