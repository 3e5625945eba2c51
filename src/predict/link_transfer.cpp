#include "snnipred/predict/link_transfer.h"

#include <algorithm>

namespace snnipred::predict {
namespace {

double link_delta_ms(const CommStats& client, const CommStats& server, const LinkProfile& from,
                     const LinkProfile& to) {
    return link_ms(client, server, to) - link_ms(client, server, from);
}

double link_delta_ms(const protocol::PlanStep& step, const LinkProfile& from, const LinkProfile& to) {
    return link_delta_ms(step.of(Party::kClient).comm, step.of(Party::kServer).comm, from, to);
}

}  // namespace

double link_ms(const CommStats& client, const CommStats& server, const LinkProfile& link) {
    return link.traffic_ms(static_cast<double>(client.bytes_sent + server.bytes_sent),
                           static_cast<double>(client.rounds + server.rounds));
}

NetworkPrediction move_to_link(NetworkPrediction prediction, const std::vector<ProtocolStep>& steps,
                               const protocol::ProtocolPlan& plan, const LinkProfile& from, const LinkProfile& to) {
    std::vector<bool> timed(plan.steps.size(), false);
    prediction.client_ms = prediction.server_ms = 0;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        double delta = 0;
        for (std::size_t k = steps[i].first_plan_step; k < steps[i].first_plan_step + steps[i].plan_steps; ++k) {
            delta += link_delta_ms(plan.steps[k], from, to);
            timed[k] = true;
        }
        StepPrediction& step = prediction.steps[i];
        step.client_ms = std::max(0.0, step.client_ms + delta);
        step.server_ms = std::max(0.0, step.server_ms + delta);
        prediction.client_ms += step.client_ms;
        prediction.server_ms += step.server_ms;
    }
    double untimed = 0;
    for (std::size_t k = 0; k < plan.steps.size(); ++k)
        if (!timed[k] && plan.steps[k].phase == protocol::Phase::kOnline) untimed += link_delta_ms(plan.steps[k], from, to);
    prediction.client_ms = std::max(0.0, prediction.client_ms + untimed);
    prediction.server_ms = std::max(0.0, prediction.server_ms + untimed);
    return prediction;
}

PartyTimes move_to_link(PartyTimes times, const protocol::ProtocolPlan& plan, const LinkProfile& from,
                        const LinkProfile& to) {
    const double delta = link_delta_ms(plan.total(Party::kClient, protocol::Phase::kOnline).comm,
                                       plan.total(Party::kServer, protocol::Phase::kOnline).comm, from, to);
    return {std::max(0.0, times.client_ms + delta), std::max(0.0, times.server_ms + delta)};
}

}  // namespace snnipred::predict
