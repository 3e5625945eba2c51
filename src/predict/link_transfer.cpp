#include "snnipred/predict/link_transfer.h"

#include <algorithm>
#include <cstddef>

#include "snnipred/predict/physical_model.h"

namespace snnipred::predict {
namespace {

constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);

void add(std::array<double, 2>& sum, const std::array<double, 2>& change) {
    sum[kC] += change[kC];
    sum[kS] += change[kS];
}

}  // namespace

double link_ms(const CommStats& client, const CommStats& server, const LinkProfile& link) {
    return link.traffic_ms(static_cast<double>(client.bytes_sent + server.bytes_sent),
                           static_cast<double>(client.rounds + server.rounds));
}

LinkChange traffic_change(const protocol::ProtocolPlan& plan, const LinkProfile& from, const LinkProfile& to) {
    LinkChange change;
    change.steps.reserve(plan.steps.size());
    for (const protocol::PlanStep& step : plan.steps) {
        const CommStats& client = step.of(Party::kClient).comm;
        const CommStats& server = step.of(Party::kServer).comm;
        const double delta = link_ms(client, server, to) - link_ms(client, server, from);
        change.steps.push_back({delta, delta});
        if (step.phase == protocol::Phase::kOnline) add(change.online, change.steps.back());
    }
    return change;
}

LinkChange physical_change(const protocol::ProtocolPlan& plan, const machine::MachineProfile& machine,
                           const LinkProfile& from, const LinkProfile& to) {
    const PhysicalPrediction before = predict_physical(plan, machine, from);
    const PhysicalPrediction after = predict_physical(plan, machine, to);
    LinkChange change;
    change.steps.reserve(plan.steps.size());
    for (std::size_t k = 0; k < plan.steps.size(); ++k)
        change.steps.push_back({after.steps[k].time_ms[kC] - before.steps[k].time_ms[kC],
                                after.steps[k].time_ms[kS] - before.steps[k].time_ms[kS]});
    change.online = {after.online_ms[kC] - before.online_ms[kC], after.online_ms[kS] - before.online_ms[kS]};
    return change;
}

NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const LinkChange& change) {
    std::vector<bool> timed(plan.steps.size(), false);
    prediction.client_ms = prediction.server_ms = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::array<double, 2> delta{};
        for (std::size_t k = steps[i].first_plan_step; k < steps[i].first_plan_step + steps[i].plan_steps; ++k) {
            add(delta, change.steps[k]);
            timed[k] = true;
        }
        StepPrediction& step = prediction.steps[i];
        step.client_ms = std::max(0.0, step.client_ms + delta[kC]);
        step.server_ms = std::max(0.0, step.server_ms + delta[kS]);
        prediction.client_ms += step.client_ms;
        prediction.server_ms += step.server_ms;
    }
    std::array<double, 2> untimed{};
    for (std::size_t k = 0; k < plan.steps.size(); ++k)
        if (!timed[k] && plan.steps[k].phase == protocol::Phase::kOnline) add(untimed, change.steps[k]);
    prediction.client_ms = std::max(0.0, prediction.client_ms + untimed[kC]);
    prediction.server_ms = std::max(0.0, prediction.server_ms + untimed[kS]);
    return prediction;
}

PartyTimes move_to_link(PartyTimes times, const LinkChange& change) {
    return {std::max(0.0, times.client_ms + change.online[kC]), std::max(0.0, times.server_ms + change.online[kS])};
}

}  // namespace snnipred::predict
