#include "snnipred/predict/link_transfer.h"

#include <algorithm>
#include <array>
#include <utility>

#include "snnipred/predict/physical_model.h"

namespace snnipred::predict {
namespace {

using PartyDelta = std::array<double, 2>;  // ms, by party_index

double link_delta_ms(const CommStats& client, const CommStats& server, const LinkProfile& from,
                     const LinkProfile& to) {
    return link_ms(client, server, to) - link_ms(client, server, from);
}

double link_delta_ms(const protocol::PlanStep& step, const LinkProfile& from, const LinkProfile& to) {
    return link_delta_ms(step.of(Party::kClient).comm, step.of(Party::kServer).comm, from, to);
}

// Adds each plan step's change to the lowered step it belongs to; the online plan steps no
// predictor times add theirs to the totals. Times never fall below zero.
template <typename DeltaOfPlanStep>
NetworkPrediction move_by(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                          const protocol::ProtocolPlan& plan, const DeltaOfPlanStep& delta_of) {
    constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);
    std::vector<bool> timed(plan.steps.size(), false);
    prediction.client_ms = prediction.server_ms = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        PartyDelta delta{};
        for (std::size_t k = steps[i].first_plan_step; k < steps[i].first_plan_step + steps[i].plan_steps; ++k) {
            const PartyDelta d = delta_of(k);
            delta = {delta[kC] + d[kC], delta[kS] + d[kS]};
            timed[k] = true;
        }
        StepPrediction& step = prediction.steps[i];
        step.client_ms = std::max(0.0, step.client_ms + delta[kC]);
        step.server_ms = std::max(0.0, step.server_ms + delta[kS]);
        prediction.client_ms += step.client_ms;
        prediction.server_ms += step.server_ms;
    }
    PartyDelta untimed{};
    for (std::size_t k = 0; k < plan.steps.size(); ++k) {
        if (timed[k] || plan.steps[k].phase != protocol::Phase::kOnline) continue;
        const PartyDelta d = delta_of(k);
        untimed = {untimed[kC] + d[kC], untimed[kS] + d[kS]};
    }
    prediction.client_ms = std::max(0.0, prediction.client_ms + untimed[kC]);
    prediction.server_ms = std::max(0.0, prediction.server_ms + untimed[kS]);
    return prediction;
}

PartyTimes move_by(PartyTimes times, const PartyDelta& online) {
    return {std::max(0.0, times.client_ms + online[party_index(Party::kClient)]),
            std::max(0.0, times.server_ms + online[party_index(Party::kServer)])};
}

}  // namespace

double link_ms(const CommStats& client, const CommStats& server, const LinkProfile& link) {
    return link.traffic_ms(static_cast<double>(client.bytes_sent + server.bytes_sent),
                           static_cast<double>(client.rounds + server.rounds));
}

NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const LinkProfile& from, const LinkProfile& to) {
    return move_by(std::move(prediction), steps, plan, [&](std::size_t k) {
        const double delta = link_delta_ms(plan.steps[k], from, to);
        return PartyDelta{delta, delta};
    });
}

PartyTimes move_to_link(PartyTimes times, const protocol::ProtocolPlan& plan, const LinkProfile& from,
                        const LinkProfile& to) {
    const double delta = link_delta_ms(plan.total(Party::kClient, protocol::Phase::kOnline).comm,
                                       plan.total(Party::kServer, protocol::Phase::kOnline).comm, from, to);
    return move_by(times, PartyDelta{delta, delta});
}

NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const machine::MachineProfile& machine,
                               const LinkProfile& from, const LinkProfile& to) {
    const PhysicalPrediction before = predict_physical(plan, machine, from);
    const PhysicalPrediction after = predict_physical(plan, machine, to);
    return move_by(std::move(prediction), steps, plan, [&](std::size_t k) {
        PartyDelta delta{};
        for (std::size_t p = 0; p < delta.size(); ++p) delta[p] = after.steps[k].time_ms[p] - before.steps[k].time_ms[p];
        return delta;
    });
}

PartyTimes move_to_link(PartyTimes times, const protocol::ProtocolPlan& plan, const machine::MachineProfile& machine,
                        const LinkProfile& from, const LinkProfile& to) {
    const PhysicalPrediction before = predict_physical(plan, machine, from);
    const PhysicalPrediction after = predict_physical(plan, machine, to);
    PartyDelta online{};
    for (std::size_t p = 0; p < online.size(); ++p) online[p] = after.online_ms[p] - before.online_ms[p];
    return move_by(times, online);
}

}  // namespace snnipred::predict
