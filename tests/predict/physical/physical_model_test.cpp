#include "snnipred/predict/physical_model.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/ferret_layout.h"
#include "support/expect_error.h"
#include "support/machine_profiles.h"

namespace snnipred::predict {
namespace {

using machine::UnitKey;
using machine::UnitKind;
using protocol::HeSet;
using protocol::OtExtension;
using protocol::PlanStep;
using protocol::StepKind;
constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);

// Round unit costs for the hand computations below; every other cost stays distinct.
machine::MachineProfile round_profile() {
    machine::MachineProfile p = test_support::distinct_profile();
    auto set = [&](const UnitKey& key, double seconds) { p.costs[key] = {seconds, 1}; };
    set(UnitKey::cot(UnitKind::kChosenCot, OtExtension::kIknp), 1e-6);
    set(UnitKey::plain(UnitKind::kCorrelatedOt), 2e-6);
    set(UnitKey::plain(UnitKind::kChannelMessage), 10e-6);
    set(UnitKey::plain(UnitKind::kChannelByte), 1e-9);
    set(UnitKey::he_op(UnitKind::kHeEncryption, HeSet::kCheetah), 100e-6);
    set(UnitKey::he_op(UnitKind::kHeDecryption, HeSet::kCheetah), 50e-6);
    set(UnitKey::he_op(UnitKind::kHeInputLift, HeSet::kCheetah), 20e-6);
    set(UnitKey::he_op(UnitKind::kHePlainPrepare, HeSet::kCheetah), 10e-6);
    set(UnitKey::he_op(UnitKind::kHeProduct, HeSet::kCheetah), 5e-6);
    set(UnitKey::he_op(UnitKind::kHeResponse, HeSet::kCheetah), 30e-6);
    set(UnitKey::cot(UnitKind::kFerretSetup, OtExtension::kFerret), 0.25);
    return p;
}

protocol::ProtocolPlan cheetah_plan() {
    protocol::ProtocolPlan plan;
    plan.options.he = protocol::he_layout(HeSet::kCheetah, protocol::TruncationMode::kFaithful);
    return plan;
}

// A ReLU-like OT step: 1000 chosen COTs and correlated OTs from the server (each party
// takes part in all), 2 flights each way, taking turns (4 hops).
PlanStep ot_step() {
    PlanStep step;
    step.kind = StepKind::kRelu;
    step.of(Party::kServer).primitives.sent.chosen_cots = 1000;
    step.of(Party::kServer).primitives.sent.correlated_ots = 1000;
    for (const Party party : kParties) step.of(party).comm.rounds = 2;
    step.hops = 4;
    step.of(Party::kClient).comm.bytes_sent = 100;
    step.of(Party::kServer).comm.bytes_sent = 5000;
    return step;
}

// A conv: 2 ciphertexts in (1000 bytes), 3 prepared weights, 6 products, 1 response (500 bytes).
PlanStep conv_step() {
    PlanStep step;
    step.kind = StepKind::kConv;
    protocol::PrimitiveCounts& client = step.of(Party::kClient).primitives;
    client.he_encryptions = 2;
    client.he_decryptions = 1;
    protocol::PrimitiveCounts& server = step.of(Party::kServer).primitives;
    server.he_plain_prepares = 3;
    server.he_products = 6;
    server.he_responses = 1;
    step.of(Party::kClient).comm = {1000, 500, 1, 1, 1};
    step.of(Party::kServer).comm = {500, 1000, 1, 1, 1};
    return step;
}

// The OT step's compute: 3 ms per party, the busier party's and a share of the other's.
constexpr double kOtCompute = 3.0 + kOtIdlePartyShare * 3.0;
// Its traffic without a link: 4 flights × 10 us and 5100 bytes × 1 ns on the local channel.
constexpr double kOtChannel = 0.040 + 0.0051;

TEST(PhysicalModel, OtStepOverlapsComputeAndTraffic) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {ot_step()};
    const PhysicalPrediction none = predict_physical(plan, round_profile(), LinkProfile{});
    // cpu 1000 × (1 + 2) us = 3 ms per party; the traffic mostly hides under the compute.
    for (const std::size_t p : {kC, kS}) {
        EXPECT_NEAR(none.steps[0].cpu_ms[p], 3.0, 1e-9);
        EXPECT_NEAR(none.steps[0].time_ms[p], kOtCompute + kOtUnhiddenShare * kOtChannel, 1e-9);
    }
    // LAN adds 5100 bytes at 3 Gbit/s (13.6 us) and 4 one-way latencies of 0.25 ms.
    const double lan_traffic = kOtChannel + 0.0136 + 1.0;
    const PhysicalPrediction lan = predict_physical(plan, round_profile(), named_link("lan"));
    EXPECT_NEAR(lan.steps[0].time_ms[kC], kOtCompute + kOtUnhiddenShare * lan_traffic, 1e-9);
    EXPECT_NEAR(lan.online_ms[kS], kOtCompute + kOtUnhiddenShare * lan_traffic, 1e-9);
    // WAN: 5100 bytes at 400 Mbit/s (102 us) and 4 × 5 ms; now the compute hides under the traffic.
    const double wan_traffic = kOtChannel + 0.102 + 20.0;
    const PhysicalPrediction wan = predict_physical(plan, round_profile(), named_link("wan"));
    EXPECT_NEAR(wan.steps[0].time_ms[kC], wan_traffic + kOtUnhiddenShare * kOtCompute, 1e-9);
    // A busier server (400 HE products more: 5 ms) sets the compute; the client adds its share.
    plan.steps[0].of(Party::kServer).primitives.he_products = 400;
    const PhysicalPrediction busier = predict_physical(plan, round_profile(), LinkProfile{});
    EXPECT_NEAR(busier.steps[0].time_ms[kC], 5.0 + kOtIdlePartyShare * 3.0 + kOtUnhiddenShare * kOtChannel, 1e-9);
}

// Flights both parties send at once wait out one latency together: the link charges the
// step's critical path (hops), not every flight.
TEST(PhysicalModel, OtStepPaysTheLatenciesOfItsCriticalPath) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {ot_step()};
    plan.steps[0].hops = 2;  // both flights of each party crossed the peer's
    const PhysicalPrediction wan = predict_physical(plan, round_profile(), named_link("wan"));
    // 5100 bytes at 400 Mbit/s (102 us) and 2 × 5 ms instead of 4 × 5 ms.
    const double wan_traffic = kOtChannel + 0.102 + 10.0;
    EXPECT_NEAR(wan.steps[0].time_ms[kC], wan_traffic + kOtUnhiddenShare * kOtCompute, 1e-9);
}

// A Ferret refill stops the step's stream: both parties expand the LPN code at once (the
// longer half counts), then its two flights cross; the rest of the step overlaps as before.
TEST(PhysicalModel, AFerretRefillIsNotHiddenUnderTheStepsTraffic) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.options.ot = OtExtension::kFerret;
    machine::MachineProfile profile = round_profile();
    const UnitKey refill = UnitKey::cot(UnitKind::kCotRefill, OtExtension::kFerret);
    profile.costs[refill] = {.seconds = 0.2, .repeats = 1, .by_role = std::array<double, 2>{0.25, 0.15}};
    profile.costs[UnitKey::cot(UnitKind::kChosenCot, OtExtension::kFerret)] = {1e-6, 1};
    PlanStep step = ot_step();
    step.of(Party::kServer).primitives.sent.cot_refills = 1;
    const protocol::LpnShape main = protocol::ferret_layout().main;
    step.of(Party::kClient).comm.bytes_sent += main.receiver_bytes();  // one more flight each, in turn
    step.of(Party::kServer).comm.bytes_sent += main.sender_bytes();
    for (const Party party : kParties) ++step.of(party).comm.rounds;
    step.hops += 2;
    plan.steps = {step};
    const PhysicalPrediction wan = predict_physical(plan, profile, named_link("wan"));
    // Sender (server) 3 + 250 ms, receiver (client) 3 + 150 ms of CPU.
    EXPECT_NEAR(wan.steps[0].cpu_ms[kS], 253.0, 1e-9);
    EXPECT_NEAR(wan.steps[0].cpu_ms[kC], 153.0, 1e-9);
    // The refill: 250 ms of expansion, then its flights on the channel (2 × 10 us and 1 ns a
    // byte) and the link (a latency and 400 Mbit/s each).
    const auto on_wan = [](double bytes) { return 0.010 + bytes * 1e-6 + 5.0 + bytes * 8 / 400e3; };
    const double refill_ms =
        250.0 + on_wan(static_cast<double>(main.receiver_bytes())) + on_wan(static_cast<double>(main.sender_bytes()));
    // The streamed rest is the step without its refill, as in OtStepOverlapsComputeAndTraffic.
    const double wan_traffic = kOtChannel + 0.102 + 20.0;
    EXPECT_NEAR(wan.steps[0].time_ms[kC], refill_ms + wan_traffic + kOtUnhiddenShare * kOtCompute, 1e-6);
    EXPECT_NEAR(wan.steps[0].time_ms[kS], wan.steps[0].time_ms[kC], 1e-9);
}

TEST(PhysicalModel, EachPartyPaysItsRoleInItsOts) {
    // The server sends 100 1-of-16 OTs of bytes and 50 correlated OTs, the client sends 20
    // correlated OTs; the profile's sender pays 1.5x and its receiver 0.5x the mean.
    protocol::ProtocolPlan plan = cheetah_plan();
    PlanStep step;
    step.kind = StepKind::kRelu;
    step.of(Party::kServer).primitives.sent.add_one_of_n(4, 8, 100);
    step.of(Party::kServer).primitives.sent.correlated_ots = 50;
    step.of(Party::kClient).primitives.sent.correlated_ots = 20;
    plan.steps = {step};
    const machine::MachineProfile mean = test_support::distinct_profile();
    const double one_of_n = mean.seconds(UnitKey::one_of_n(4, 8));
    const double correlated = mean.seconds(UnitKey::plain(UnitKind::kCorrelatedOt));

    const PhysicalPrediction by_role = predict_physical(plan, test_support::distinct_profile_with_roles(), LinkProfile{});
    EXPECT_TRUE(by_role.ot_costs_by_role);
    EXPECT_NEAR(by_role.steps[0].cpu_ms[kS], 1e3 * (1.5 * (100 * one_of_n + 50 * correlated) + 0.5 * 20 * correlated), 1e-9);
    EXPECT_NEAR(by_role.steps[0].cpu_ms[kC], 1e3 * (0.5 * (100 * one_of_n + 50 * correlated) + 1.5 * 20 * correlated), 1e-9);

    // A profile without role costs charges both parties the mean, and says so.
    const PhysicalPrediction without = predict_physical(plan, mean, LinkProfile{});
    EXPECT_FALSE(without.ot_costs_by_role);
    for (const std::size_t p : {kC, kS})
        EXPECT_NEAR(without.steps[0].cpu_ms[p], 1e3 * (100 * one_of_n + 70 * correlated), 1e-9);
}

// The lean protocols' ANDs cost what the lean ReLU probe measured (and_gate.ferret); a
// profile from before it has only the classic ones', which the lean ones then borrow, and
// the prediction says so. The classic protocols always take the classic cost.
TEST(PhysicalModel, LeanAndsHaveTheirOwnCostOrSayTheyBorrowTheClassicOne) {
    PlanStep step;
    step.kind = StepKind::kRelu;
    step.of(Party::kServer).primitives.sent.and_gates = 100;
    const UnitKey classic = UnitKey::plain(UnitKind::kAndGate);
    const UnitKey lean = UnitKey::cot(UnitKind::kAndGate, OtExtension::kFerret);
    machine::MachineProfile measured = test_support::distinct_profile();
    ASSERT_FALSE(measured.costs.contains(lean));
    const machine::MachineProfile older = measured;
    measured.costs[lean] = {7 * measured.seconds(classic), 3};
    for (const OtExtension ot : {OtExtension::kIknp, OtExtension::kFerret}) {
        protocol::ProtocolPlan plan = cheetah_plan();
        plan.options.ot = ot;
        plan.steps = {step};
        const bool ferret = ot == OtExtension::kFerret;
        const PhysicalPrediction with_lean = predict_physical(plan, measured, LinkProfile{});
        EXPECT_FALSE(with_lean.lean_and_from_classic);
        EXPECT_NEAR(with_lean.steps[0].cpu_ms[kS], 1e3 * 100 * (ferret ? 7 : 1) * measured.seconds(classic), 1e-9);
        const PhysicalPrediction borrowed = predict_physical(plan, older, LinkProfile{});
        EXPECT_EQ(borrowed.lean_and_from_classic, ferret);
        EXPECT_NEAR(borrowed.steps[0].cpu_ms[kS], 1e3 * 100 * older.seconds(classic), 1e-9);
    }
}

TEST(PhysicalModel, ConvSequencesEncryptServerDecrypt) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {conv_step(), ot_step()};
    const PhysicalPrediction out = predict_physical(plan, round_profile(), LinkProfile{});
    // Client encrypts 2 × 100 us, ciphertexts cross in 10 us + 1 us; server: 2 lifts × 20,
    // 3 prepares × 10, 6 products × 5, 1 response × 30 = 130 us, done at 341 us; the
    // response crosses in 10.5 us; the client decrypts 50 us: 401.5 us.
    EXPECT_NEAR(out.steps[0].time_ms[kS], 0.341, 1e-9);
    EXPECT_NEAR(out.steps[0].time_ms[kC], 0.4015, 1e-9);
    EXPECT_NEAR(out.steps[0].cpu_ms[kC], 0.250, 1e-9);
    EXPECT_NEAR(out.steps[0].cpu_ms[kS], 0.130, 1e-9);
    // The server starts the next OT step 60.5 us before the client and waits for it.
    EXPECT_NEAR(out.steps[1].time_ms[kC], kOtCompute + kOtUnhiddenShare * kOtChannel, 1e-9);
    EXPECT_NEAR(out.steps[1].time_ms[kS], kOtCompute + kOtUnhiddenShare * kOtChannel + 0.0605, 1e-9);
    EXPECT_NEAR(out.online_ms[kC], out.online_ms[kS], 1e-9);
    EXPECT_NEAR(out.online_cpu_ms[kS], 0.130 + 3.0, 1e-9);
}

TEST(PhysicalModel, FerretSetupIsMeasuredWholePerDirection) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.options.ot = OtExtension::kFerret;
    PlanStep base_ot;
    base_ot.kind = StepKind::kBaseOt;
    base_ot.phase = protocol::Phase::kSetup;
    for (const Party party : kParties) {
        base_ot.of(party).primitives.base_ots = 256;       // inside Ferret's setup cost
        base_ot.of(party).primitives.sent.random_cots = 70000;  // its IKNP bootstrap, likewise
    }
    plan.steps = {base_ot};
    const PhysicalPrediction out = predict_physical(plan, round_profile(), LinkProfile{});
    EXPECT_NEAR(out.setup_cpu_ms[kC], 500.0, 1e-9);
    EXPECT_NEAR(out.setup_ms[kS], 1000.0, 1e-9);
    EXPECT_EQ(out.online_ms[kS], 0.0);
}

TEST(PhysicalModel, EveryEngineConfigurationOfARealNetworkIsCosted) {
    const Network network = zoo_network("minionn");
    const machine::MachineProfile profile = test_support::distinct_profile();
    for (const HeSet he : {HeSet::kCheetah, HeSet::kSecure})
        for (const OtExtension ot : {OtExtension::kIknp, OtExtension::kFerret})
            for (const auto truncation : {protocol::TruncationMode::kFaithful, protocol::TruncationMode::kApproximate}) {
                const protocol::ProtocolPlan plan =
                    protocol::plan_protocol(network, {protocol::RingConfig{}, protocol::he_layout(he, truncation), truncation, ot});
                const PhysicalPrediction out = predict_physical(plan, profile, named_link("lan"));
                ASSERT_EQ(out.steps.size(), plan.steps.size());
                double client = 0;
                for (std::size_t i = 0; i < plan.steps.size(); ++i) {
                    for (const std::size_t p : {kC, kS}) {
                        EXPECT_GE(out.steps[i].time_ms[p], 0.0);
                        EXPECT_GE(out.steps[i].cpu_ms[p], 0.0);
                    }
                    if (plan.steps[i].phase == protocol::Phase::kOnline) client += out.steps[i].time_ms[kC];
                }
                EXPECT_NEAR(out.online_ms[kC], client, 1e-6);
                // Both parties finish with the reveal's message: the client at most one flight later.
                EXPECT_GE(out.online_ms[kC] + out.setup_ms[kC], out.online_ms[kS] + out.setup_ms[kS] - 1e-9);
                EXPECT_GT(out.online_cpu_ms[kS], 0.0);
            }
}

// A measured CPU share; by default a rate (neighbours' load: unthrottled = sustained).
machine::MachineProfile with_share(double single_thread, double concurrent_cores, double unthrottled = 0) {
    machine::MachineProfile p = round_profile();
    p.cpu_share = machine::CpuShare{single_thread, concurrent_cores, unthrottled > 0 ? unthrottled : single_thread, 10};
    return p;
}

TEST(PhysicalModel, HalfTheCpuDoublesComputeButNotCpuSecondsOrTraffic) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {conv_step(), ot_step()};
    const PhysicalPrediction free = predict_physical(plan, with_share(1.0, 2.0), named_link("lan"));
    const PhysicalPrediction quota = predict_physical(plan, with_share(0.5, 0.5), named_link("lan"));
    EXPECT_NEAR(quota.cpu_share.single_thread_share, 0.5, 0);
    for (const std::size_t p : {kC, kS})
        for (std::size_t i = 0; i < plan.steps.size(); ++i)
            EXPECT_DOUBLE_EQ(quota.steps[i].cpu_ms[p], free.steps[i].cpu_ms[p]) << i;
    // The OT step: both parties compute through it, 3 ms each, and together get half a
    // CPU: 12 ms, which hides the LAN traffic; the server, done with the conv first, waits
    // for the client as long as the client's conv outlasted its own.
    EXPECT_NEAR(quota.steps[1].time_ms[kC], 12.0, 1e-9);
    EXPECT_NEAR(quota.steps[1].time_ms[kS] - quota.steps[1].time_ms[kC],
                quota.steps[0].time_ms[kC] - quota.steps[0].time_ms[kS], 1e-9);
    // The conv's server: 200 us of encryption and its own 130 us, each twice as long.
    EXPECT_NEAR(quota.steps[0].time_ms[kS] - free.steps[0].time_ms[kS], 0.330, 1e-9);
    // The client: the server's end plus its 50 us of decryption, doubled.
    EXPECT_NEAR(quota.steps[0].time_ms[kC] - free.steps[0].time_ms[kC], 0.380, 1e-9);
}

// A half-CPU quota on an otherwise free machine: full speed between waits, half on average.
TEST(PhysicalModel, AQuotaHoldsComputeToItsBudgetUnlessTheLinkWaitsHideIt) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {ot_step()};
    const machine::MachineProfile quota = with_share(0.5, 0.5, 1.0);
    // No link: the pair's 6 ms of CPU at half a CPU, its traffic hidden.
    for (const std::size_t p : {kC, kS})
        EXPECT_NEAR(predict_physical(plan, quota, LinkProfile{}).steps[0].time_ms[p], 12.0, 1e-9);
    // WAN: 20 ms of latency alone; the parties compute at full speed while they wait for it.
    const PhysicalPrediction free_wan = predict_physical(plan, with_share(1.0, 2.0), named_link("wan"));
    const PhysicalPrediction quota_wan = predict_physical(plan, quota, named_link("wan"));
    EXPECT_GT(free_wan.steps[0].time_ms[kC], 2 * kOtCompute);
    for (const std::size_t p : {kC, kS}) EXPECT_NEAR(quota_wan.steps[0].time_ms[p], free_wan.steps[0].time_ms[p], 1e-9);
    // A fair share of half a CPU among neighbours is a rate: the part of its doubled
    // compute that the link does not hide takes twice as long.
    const PhysicalPrediction shared_wan = predict_physical(plan, with_share(0.5, 0.5), named_link("wan"));
    EXPECT_NEAR(shared_wan.steps[0].time_ms[kC], free_wan.steps[0].time_ms[kC] + kOtUnhiddenShare * kOtCompute, 1e-9);
    EXPECT_DOUBLE_EQ(quota_wan.online_cpu_ms[kS], free_wan.online_cpu_ms[kS]);
}

// A local step: the client writes 1,000 shares (1 ms), the server 3,000 (3 ms), at once.
std::array<double, 2> local_step_ms(double single_thread, double concurrent_cores) {
    protocol::ProtocolPlan plan = cheetah_plan();
    PlanStep local;
    local.kind = StepKind::kLocal;
    local.of(Party::kClient).primitives.share_ops = 1000;
    local.of(Party::kServer).primitives.share_ops = 3000;
    plan.steps = {local};
    machine::MachineProfile profile = with_share(single_thread, concurrent_cores);
    profile.costs[UnitKey::plain(UnitKind::kShareOp)] = {1e-6, 1};
    return predict_physical(plan, profile, LinkProfile{}).steps[0].time_ms;
}

TEST(PhysicalModel, PartiesComputingAtOnceShareTheCpusTheyGet) {
    // Two free cores: each party on its own core.
    EXPECT_NEAR(local_step_ms(1.0, 2.0)[kC], 1.0, 1e-9);
    EXPECT_NEAR(local_step_ms(1.0, 2.0)[kS], 3.0, 1e-9);
    // One core for both: half a core each while both run; the pair needs 4 ms of CPU.
    EXPECT_NEAR(local_step_ms(1.0, 1.0)[kC], 2.0, 1e-9);
    EXPECT_NEAR(local_step_ms(1.0, 1.0)[kS], 4.0, 1e-9);
    // Half a CPU for both: a quarter each while both run, then the server alone at half.
    EXPECT_NEAR(local_step_ms(0.5, 0.5)[kC], 4.0, 1e-9);
    EXPECT_NEAR(local_step_ms(0.5, 0.5)[kS], 8.0, 1e-9);
    // A thread gets 0.9 and the pair 1.5: 0.75 each, then the server's last 2 ms at 0.9.
    EXPECT_NEAR(local_step_ms(0.9, 1.5)[kC], 1.0 / 0.75, 1e-9);
    EXPECT_NEAR(local_step_ms(0.9, 1.5)[kS], 1.0 / 0.75 + 2.0 / 0.9, 1e-9);
    // A pair measured below one thread's share (noise): never faster than the pair's bound.
    EXPECT_NEAR(local_step_ms(1.0, 0.8)[kS], 4.0 / 0.8, 1e-9);
}

TEST(PhysicalModel, AProfileWithoutACpuShareIsAFreeMachine) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.steps = {conv_step(), ot_step()};
    const PhysicalPrediction old = predict_physical(plan, round_profile(), named_link("lan"));
    const PhysicalPrediction free = predict_physical(plan, with_share(1.0, 2.0), named_link("lan"));
    EXPECT_FALSE(old.cpu_share.measured());
    EXPECT_TRUE(free.cpu_share.measured());
    for (const std::size_t p : {kC, kS}) EXPECT_DOUBLE_EQ(old.online_ms[p], free.online_ms[p]);
}

TEST(PhysicalModel, UnknownHeLayoutIsAConfigError) {
    protocol::ProtocolPlan plan = cheetah_plan();
    plan.options.he.n = 16384;
    test_support::expect_error_containing<ConfigError>(
        [&] { predict_physical(plan, round_profile(), LinkProfile{}); }, "not N=16384");
}

}  // namespace
}  // namespace snnipred::predict
