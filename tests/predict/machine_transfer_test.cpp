#include "snnipred/predict/machine_transfer.h"

#include <gtest/gtest.h>

#include "snnipred/model/zoo.h"
#include "snnipred/predict/physical_model.h"
#include "support/machine_profiles.h"

namespace snnipred::predict {
namespace {

constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);

struct Fixture {
    Network network = zoo_network("lenet5");
    protocol::PlanOptions options = [] {
        protocol::PlanOptions o;
        o.he = protocol::he_layout(protocol::HeSet::kCheetah, o.truncation);
        o.ot = protocol::OtExtension::kFerret;
        return o;
    }();
    protocol::ProtocolPlan plan = protocol::plan_protocol(network, options);
    std::vector<ProtocolStep> steps = lower_network(network, lowering_for_backend("snnipred"));
};

machine::MachineProfile scaled(machine::MachineProfile profile, double factor) {
    for (auto& [key, cost] : profile.costs) cost.seconds *= factor;
    return profile;
}

NetworkPrediction flat(std::size_t steps) {
    NetworkPrediction prediction;
    for (std::size_t i = 0; i < steps; ++i) prediction.steps.push_back({100.0, 80.0});
    prediction.client_ms = 100.0 * static_cast<double>(steps) + 7.0;  // 7 ms of untimed plan steps
    prediction.server_ms = 80.0 * static_cast<double>(steps) + 7.0;
    return prediction;
}

TEST(MachineTransfer, TheSameMachineMovesNothing) {
    Fixture f;
    const machine::MachineProfile profile = test_support::distinct_profile();
    const MachineRatios ratios = machine_ratios(f.plan, f.steps, profile, profile, named_link("wan"));
    ASSERT_EQ(ratios.steps.size(), f.steps.size());
    const NetworkPrediction before = flat(f.steps.size());
    const NetworkPrediction after = move_to_machine(before, ratios);
    for (std::size_t i = 0; i < f.steps.size(); ++i) EXPECT_EQ(after.steps[i].client_ms, 100.0);
    EXPECT_EQ(after.client_ms, before.client_ms);
    EXPECT_EQ(move_to_machine(PartyTimes{10.0, 9.0}, ratios).server_ms, 9.0);
}

// Two calibrations of one machine that differ in what they measured, whose physical
// predictions differ: moving between them, either way, changes no step.
void expect_the_same_machine(const Fixture& f, const machine::MachineProfile& a, const machine::MachineProfile& b) {
    ASSERT_NE(predict_physical(f.plan, a, LinkProfile{}).online_cpu_ms[kS],
              predict_physical(f.plan, b, LinkProfile{}).online_cpu_ms[kS]);
    for (const auto& [from, to] : {std::pair(&a, &b), std::pair(&b, &a)}) {
        const MachineRatios ratios = machine_ratios(f.plan, f.steps, *from, *to, LinkProfile{});
        for (const auto& step : ratios.steps) {
            EXPECT_DOUBLE_EQ(step[kC], 1.0);
            EXPECT_DOUBLE_EQ(step[kS], 1.0);
        }
    }
}

TEST(MachineTransfer, AProfileWithRolesAndOneWithoutCompareByTheirMeans) {
    // The same machine, once calibrated before roles were measured: no change, though with
    // roles the physical model puts more of a ReLU's CPU on the server.
    Fixture f;
    const machine::MachineProfile roles = test_support::distinct_profile_with_roles();
    expect_the_same_machine(f, roles, roles.without_role_costs());
}

TEST(MachineTransfer, AProfileWithTheLeanAndAndOneWithoutCompareByTheClassicOne) {
    // The same machine, once calibrated before the lean AND was measured (here 5x the classic
    // one, so the physical model's ReLUs differ between the two): no change.
    Fixture f;
    const machine::MachineProfile older = test_support::distinct_profile();
    machine::MachineProfile newer = older;
    const machine::UnitKey classic = machine::UnitKey::plain(machine::UnitKind::kAndGate);
    newer.costs[machine::UnitKey::cot(machine::UnitKind::kAndGate, protocol::OtExtension::kFerret)] = {
        5 * older.seconds(classic), 3};
    expect_the_same_machine(f, older, newer);
}

TEST(MachineTransfer, AMachineTwiceAsSlowEverywhereDoublesEveryStepWithoutALink) {
    Fixture f;
    const machine::MachineProfile fast = test_support::distinct_profile();
    const MachineRatios ratios = machine_ratios(f.plan, f.steps, fast, scaled(fast, 2.0), LinkProfile{});
    for (const auto& step : ratios.steps) {
        EXPECT_NEAR(step[kC], 2.0, 1e-9);
        EXPECT_NEAR(step[kS], 2.0, 1e-9);
    }
    EXPECT_NEAR(ratios.online[kC], 2.0, 1e-9);
    const NetworkPrediction moved = move_to_machine(flat(f.steps.size()), ratios);
    // The steps double; the 7 ms the totals hold beyond them stay.
    EXPECT_NEAR(moved.client_ms, 200.0 * static_cast<double>(f.steps.size()) + 7.0, 1e-6);
    const PartyTimes whole = move_to_machine(PartyTimes{10.0, 9.0}, ratios);
    EXPECT_NEAR(whole.client_ms, 20.0, 1e-9);
    EXPECT_NEAR(whole.server_ms, 18.0, 1e-9);
}

TEST(MachineTransfer, ASlowLinkHidesPartOfASlowerCpu) {
    Fixture f;
    const machine::MachineProfile fast = test_support::distinct_profile();
    const machine::MachineProfile slow = scaled(fast, 2.0);
    const MachineRatios local = machine_ratios(f.plan, f.steps, fast, slow, LinkProfile{});
    const MachineRatios far = machine_ratios(f.plan, f.steps, fast, slow, custom_link("wan", 10.0, 200.0));
    bool any_lower = false;
    for (std::size_t i = 0; i < f.steps.size(); ++i) {
        EXPECT_GE(far.steps[i][kC], 1.0 - 1e-12);
        EXPECT_LE(far.steps[i][kC], local.steps[i][kC] + 1e-12);
        any_lower = any_lower || far.steps[i][kC] < local.steps[i][kC] - 0.1;
    }
    EXPECT_TRUE(any_lower) << "no step's traffic diluted the CPU ratio";
    EXPECT_LT(far.online[kS], local.online[kS]);
}

TEST(MachineTransfer, StepsThatDoNotMatchThePredictionAreRejected) {
    Fixture f;
    const machine::MachineProfile profile = test_support::distinct_profile();
    const MachineRatios ratios = machine_ratios(f.plan, f.steps, profile, profile, LinkProfile{});
    EXPECT_THROW(move_to_machine(flat(f.steps.size() + 1), ratios), InvalidInput);
}

}  // namespace
}  // namespace snnipred::predict
