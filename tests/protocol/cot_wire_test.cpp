// How the plan counts the OT extensions (src/protocol/cot_wire.cpp), seen through
// plan_protocol; tests/profile/plan_match_test.cpp checks the same against the engine.
#include <gtest/gtest.h>

#include "snnipred/model/zoo.h"
#include "snnipred/protocol/ferret_layout.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::protocol {
namespace {

PlanOptions options(OtExtension ot) {
    return {.ring = {}, .he = he_layout(HeSet::kCheetah, TruncationMode::kApproximate), .truncation = TruncationMode::kApproximate, .ot = ot};
}

Network relu_network(std::int64_t channels, std::int64_t side) {
    Network net("relu", Shape{channels, side, side});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    return net;
}

const PlanStep& step_of(const ProtocolPlan& plan, StepKind kind) {
    for (const PlanStep& step : plan.steps)
        if (step.kind == kind) return step;
    throw InvalidInput("no such step");
}

TEST(CotWire, FerretSetupSendsBaseOtsSeedBootstrapCotsAndTwoIterations) {
    const FerretLayout f = ferret_layout();
    // Per direction: the COT receiver sends the base OT's point, the IKNP matrix of the
    // bootstrap reserve (chunks of 2^14) and its GGM choice bits of both iterations; the
    // sender 128 points, the seed and both iterations' level sums.
    const std::uint64_t reserve = f.bootstrap.reserve();
    const std::uint64_t matrix = (reserve / 16384) * 128 * 2048 + 128 * ((reserve % 16384 + 7) / 8);
    const std::uint64_t as_receiver = 32 + matrix + f.bootstrap.receiver_bytes() + f.main.receiver_bytes();
    const std::uint64_t as_sender = 128 * 32 + kFerretSeedBytes + f.bootstrap.sender_bytes() + f.main.sender_bytes();
    EXPECT_EQ(as_receiver + as_sender, 1'728'860u);  // docs/RESULTS.md, one extension's setup
    const ProtocolPlan plan = plan_protocol(relu_network(1, 10), options(OtExtension::kFerret));
    for (const Party party : kParties) {
        const PartyCost& setup = step_of(plan, StepKind::kBaseOt).of(party);
        EXPECT_EQ(setup.comm.bytes_sent, as_receiver + as_sender + kReadyBytes) << party_name(party);
        EXPECT_EQ(setup.primitives.base_ots, 256u);
        EXPECT_EQ(step_of(plan, StepKind::kBaseOt).ots_in_either_role(&OtCounts::random_cots), 2 * reserve);
        EXPECT_EQ(step_of(plan, StepKind::kBaseOt).ots_in_either_role(&OtCounts::cot_refills), 0u);
    }
}

TEST(CotWire, IknpSetupIsTheBaseOtsAlone) {
    const ProtocolPlan plan = plan_protocol(relu_network(1, 10), options(OtExtension::kIknp));
    for (const Party party : kParties)
        EXPECT_EQ(step_of(plan, StepKind::kBaseOt).of(party).comm.bytes_sent, 32u + 128 * 32 + kReadyBytes);
}

TEST(CotWire, FerretRefillsOnlyWhenTheBufferRunsDry) {
    const FerretLayout f = ferret_layout();
    // 100 ReLUs use fewer COTs per direction than setup leaves (a whole batch): no refill.
    const PlanStep small = step_of(plan_protocol(relu_network(1, 10), options(OtExtension::kFerret)), StepKind::kRelu);
    EXPECT_LT(small.ots(Party::kServer, OtRole::kSender).chosen_cots, f.batch());
    EXPECT_EQ(small.ots_in_either_role(&OtCounts::cot_refills), 0u);
    // 2.5 M ReLUs need about 100 M COTs in the main direction: one refill per batch, each a
    // round trip of the documented sizes, booked to this step.
    const ProtocolPlan plan = plan_protocol(relu_network(250, 100), options(OtExtension::kFerret));
    const OtCounts& counts = step_of(plan, StepKind::kRelu).ots(Party::kServer, OtRole::kSender);
    const std::uint64_t cots = counts.random_cots + counts.chosen_cots;
    EXPECT_GE(counts.cot_refills, cots / f.batch() - 1);
    EXPECT_LE(counts.cot_refills, cots / f.batch() + 2);
}

TEST(CotWire, FerretSendsLessThanIknpOnceSetUp) {
    const Network net = zoo_network("squeezenet1_1@32");
    const ProtocolPlan iknp = plan_protocol(net, options(OtExtension::kIknp));
    const ProtocolPlan ferret = plan_protocol(net, options(OtExtension::kFerret));
    for (const Party party : kParties) {
        EXPECT_LT(ferret.total(party, Phase::kOnline).comm.bytes_sent, iknp.total(party, Phase::kOnline).comm.bytes_sent);
        EXPECT_GT(ferret.total(party, Phase::kSetup).comm.bytes_sent, iknp.total(party, Phase::kSetup).comm.bytes_sent);
    }
}

// The critical path of a step (PlanStep::hops): the lean ReLU's AND openings cross at
// once, so fewer latencies lie on its path than the two parties have flights.
TEST(CotWire, SimultaneousOpeningsShortenTheCriticalPath) {
    for (const OtExtension ot : {OtExtension::kFerret, OtExtension::kIknp}) {
        const PlanStep relu = step_of(plan_protocol(relu_network(1, 10), options(ot)), StepKind::kRelu);
        const std::uint64_t client = relu.of(Party::kClient).comm.rounds, server = relu.of(Party::kServer).comm.rounds;
        EXPECT_GE(relu.hops, std::max(client, server));
        EXPECT_LT(relu.hops, client + server);
    }
}

}  // namespace
}  // namespace snnipred::protocol
