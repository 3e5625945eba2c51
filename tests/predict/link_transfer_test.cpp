#include "snnipred/predict/link_transfer.h"

#include <gtest/gtest.h>

#include "snnipred/model/zoo.h"
#include "snnipred/predict/machine_transfer.h"
#include "snnipred/predict/physical_model.h"
#include "support/machine_profiles.h"

namespace snnipred::predict {
namespace {

TEST(LinkTransfer, ChargesBothDirectionsBytesAndOneLatencyPerFlight) {
    const CommStats client{.bytes_sent = 1'000'000, .bytes_received = 500'000, .rounds = 3};
    const CommStats server{.bytes_sent = 500'000, .bytes_received = 1'000'000, .rounds = 2};
    const LinkProfile link{100e6, std::chrono::milliseconds(10)};
    // 1.5 MB at 100 Mbit/s = 120 ms, plus 5 flights of 10 ms.
    EXPECT_NEAR(link_ms(client, server, link), 120.0 + 50.0, 1e-9);
    EXPECT_EQ(link_ms(client, server, named_link("none")), 0.0);
}

TEST(LinkTransfer, MovesEveryStepByItsOwnTrafficAndTheTotalsByAll) {
    const Network network = zoo_network("lenet5");
    const protocol::ProtocolPlan plan = protocol::plan_protocol(network, protocol::PlanOptions{});
    const std::vector<ProtocolStep> steps = lower_network(network, lowering_for_backend("snnipred"));
    NetworkPrediction lan;
    for (std::size_t i = 0; i < steps.size(); ++i) lan.steps.push_back({100.0, 90.0});
    lan.client_ms = 100.0 * static_cast<double>(steps.size());
    lan.server_ms = 90.0 * static_cast<double>(steps.size());
    const LinkProfile from = named_link("LAN"), to = named_link("WAN");

    const NetworkPrediction same = move_to_link(lan, steps, plan, traffic_change(plan, from, from));
    EXPECT_NEAR(same.client_ms, lan.client_ms, 1e-9);

    const NetworkPrediction wan = move_to_link(lan, steps, plan, traffic_change(plan, from, to));
    double expected_delta = 0;
    for (const protocol::PlanStep& step : plan.steps)
        if (step.phase == protocol::Phase::kOnline)
            expected_delta += link_ms(step.of(Party::kClient).comm, step.of(Party::kServer).comm, to) -
                              link_ms(step.of(Party::kClient).comm, step.of(Party::kServer).comm, from);
    EXPECT_GT(expected_delta, 0.0);
    EXPECT_NEAR(wan.client_ms - lan.client_ms, expected_delta, 1e-6 * expected_delta);
    EXPECT_NEAR(wan.server_ms - lan.server_ms, expected_delta, 1e-6 * expected_delta);
    const PartyTimes whole = move_to_link(PartyTimes{1000.0, 900.0}, traffic_change(plan, from, to));
    EXPECT_NEAR(whole.client_ms - 1000.0, expected_delta, 1e-6 * expected_delta);
    // A faster link never makes a time negative.
    const NetworkPrediction fast = move_to_link(NetworkPrediction{lan.steps, 0, 0}, steps, plan,
                                                traffic_change(plan, to, LinkProfile{1e12, std::chrono::nanoseconds(0)}));
    for (const StepPrediction& step : fast.steps) EXPECT_GE(step.client_ms, 0.0);
}

TEST(LinkTransfer, OnAMachineEveryStepMovesByThePhysicalModelsChange) {
    const Network network = zoo_network("lenet5");
    const protocol::ProtocolPlan plan = protocol::plan_protocol(network, protocol::PlanOptions{});
    const std::vector<ProtocolStep> steps = lower_network(network, lowering_for_backend("snnipred"));
    // A local channel as fast as the development machine's, and OTs slow enough that the
    // comparisons' compute outlasts their traffic on both links.
    machine::MachineProfile machine = test_support::distinct_profile();
    machine.costs[machine::UnitKey::plain(machine::UnitKind::kChannelMessage)] = {20e-6, 1};
    machine.costs[machine::UnitKey::plain(machine::UnitKind::kChannelByte)] = {0.5e-9, 1};
    for (const machine::UnitKind kind : {machine::UnitKind::kRandomCot, machine::UnitKind::kChosenCot})
        machine.costs[machine::UnitKey::cot(kind, protocol::OtExtension::kIknp)] = {1e-5, 1};
    NetworkPrediction lan;
    for (std::size_t i = 0; i < steps.size(); ++i) lan.steps.push_back({100.0, 90.0});
    const LinkProfile from = named_link("LAN"), to{1e9, std::chrono::milliseconds(1)};

    const NetworkPrediction same = move_to_link(lan, steps, plan, physical_change(plan, machine, from, from));
    for (std::size_t i = 0; i < steps.size(); ++i) EXPECT_NEAR(same.steps[i].client_ms, 100.0, 1e-9);

    const PhysicalPrediction before = predict_physical(plan, machine, from), after = predict_physical(plan, machine, to);
    const std::vector<StepPrediction> was = lowered_step_times(before, steps), will = lowered_step_times(after, steps);
    const NetworkPrediction moved = move_to_link(lan, steps, plan, physical_change(plan, machine, from, to));
    bool hid_traffic = false;
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_NEAR(moved.steps[i].client_ms - 100.0, will[i].client_ms - was[i].client_ms, 1e-9) << steps[i].role;
        EXPECT_NEAR(moved.steps[i].server_ms - 90.0, will[i].server_ms - was[i].server_ms, 1e-9) << steps[i].role;
        // The slower link adds at most the step's extra traffic, and less where an OT step
        // hides part of it under its compute.
        double traffic = 0;
        for (std::size_t k = steps[i].first_plan_step; k < steps[i].first_plan_step + steps[i].plan_steps; ++k) {
            const auto& client = plan.steps[k].of(Party::kClient).comm;
            const auto& server = plan.steps[k].of(Party::kServer).comm;
            traffic += link_ms(client, server, to) - link_ms(client, server, from);
        }
        EXPECT_LE(moved.steps[i].client_ms - 100.0, traffic + 1e-9) << steps[i].role;
        hid_traffic = hid_traffic || moved.steps[i].client_ms - 100.0 < traffic - 1e-6;
    }
    EXPECT_TRUE(hid_traffic);
    // The totals move by the whole online phase's change, the unpredicted steps' included.
    const std::size_t kC = party_index(Party::kClient);
    const double online_delta = after.online_ms[kC] - before.online_ms[kC];
    EXPECT_NEAR(moved.client_ms - 100.0 * static_cast<double>(steps.size()), online_delta, 1e-6);
    EXPECT_NEAR(move_to_link(PartyTimes{1000.0, 900.0}, physical_change(plan, machine, from, to)).client_ms - 1000.0, online_delta, 1e-9);
}

}  // namespace
}  // namespace snnipred::predict
