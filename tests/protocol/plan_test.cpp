// The plan's own invariants; tests/profile/plan_match_test.cpp checks it against the engine.
#include "snnipred/protocol/plan.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/packing.h"

namespace snnipred::protocol {
namespace {

PlanOptions cheetah_options() {
    return {.ring = {}, .he = he_layout(HeSet::kCheetah, TruncationMode::kApproximate), .truncation = TruncationMode::kApproximate};
}

TEST(Plan, StepsRunInTheEnginesOrder) {
    Network net("small", Shape{1, 8, 8});
    net.add(conv_layer("c", "input", 2, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(pool_layer(LayerType::kMaxPool, "m", "r", 2, 2));
    net.add(simple_layer(LayerType::kFlatten, "f", {"m"}));
    net.add(fc_layer("fc", "f", 3));
    const ProtocolPlan plan = plan_protocol(net, cheetah_options());
    std::vector<StepKind> kinds;
    for (const PlanStep& step : plan.steps) kinds.push_back(step.kind);
    using K = StepKind;
    EXPECT_EQ(kinds, (std::vector<K>{K::kHandshake, K::kHeKeygen, K::kBaseOt, K::kConv, K::kTruncate, K::kRelu,
                                     K::kMaxPool, K::kLocal, K::kFc, K::kTruncate, K::kReveal}));
    EXPECT_EQ(plan.steps[3].phase, Phase::kOnline);
    EXPECT_EQ(plan.steps[3].layer, 1u);
    EXPECT_EQ(plan.steps[0].layer, PlanStep::kNoLayer);
    // The outline has the same steps.
    const std::vector<StepOutline> outline = plan_outline(net);
    ASSERT_EQ(outline.size(), plan.steps.size());
    for (std::size_t i = 0; i < outline.size(); ++i) {
        EXPECT_EQ(outline[i].kind, plan.steps[i].kind);
        EXPECT_EQ(outline[i].phase, plan.steps[i].phase);
        EXPECT_EQ(outline[i].layer, plan.steps[i].layer);
        EXPECT_EQ(outline[i].elements, plan.steps[i].elements);
    }
}

TEST(Plan, OutlinesEveryStepOfZooNetworksAsThePlanDoes) {
    for (const char* name : {"resnet50", "densenet121", "mobilenet_v2", "squeezenet1_1"}) {
        const Network net = zoo_network(name);
        const ProtocolPlan plan = plan_protocol(net, {.ot = OtExtension::kFerret});
        const std::vector<StepOutline> outline = plan_outline(net);
        ASSERT_EQ(outline.size(), plan.steps.size()) << name;
        for (std::size_t i = 0; i < outline.size(); ++i) {
            EXPECT_EQ(outline[i].kind, plan.steps[i].kind) << name << " step " << i;
            EXPECT_EQ(outline[i].layer, plan.steps[i].layer) << name << " step " << i;
            EXPECT_EQ(outline[i].elements, plan.steps[i].elements) << name << " step " << i;
        }
    }
}

TEST(Plan, WhatOnePartySendsTheOtherReceives) {
    for (const char* name : {"lenet5", "minionn", "squeezenet1_1@32"}) {
        for (const HeSet he : {HeSet::kSecure, HeSet::kCheetah})
            for (const TruncationMode mode : {TruncationMode::kFaithful, TruncationMode::kApproximate}) {
                const ProtocolPlan plan =
                    plan_protocol(zoo_network(name), {.ring = {}, .he = he_layout(he, mode), .truncation = mode});
                for (const PlanStep& step : plan.steps) {
                    const CommStats& client = step.of(Party::kClient).comm;
                    const CommStats& server = step.of(Party::kServer).comm;
                    EXPECT_EQ(client.bytes_sent, server.bytes_received) << name << " " << step_kind_name(step.kind);
                    EXPECT_EQ(client.messages_sent, server.messages_received) << name;
                    EXPECT_EQ(server.bytes_sent, client.bytes_received) << name;
                }
            }
    }
}

TEST(Plan, CountsThePrimitivesOfAReluLayer) {
    // A ReLU of n elements in a 41-bit ring: one 40-bit comparison (10 digits of 4 bits:
    // 10 1-of-16 OTs, 9 triple pairs from 2 random OTs each, 2 ANDs per pair) and a
    // multiplexer (one correlated OT each way).
    Network net("relu", Shape{1, 10, 10});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    const ProtocolPlan plan = plan_protocol(net, cheetah_options());
    const PlanStep& relu = plan.steps[3];
    ASSERT_EQ(relu.kind, StepKind::kRelu);
    constexpr std::uint64_t n = 100;
    // The server sends the leaves (and so owns the ANDs' sender side) and one of each pair
    // of random OTs and of the multiplexer's correlated OTs.
    const OtCounts& sent = relu.ots(Party::kServer, OtRole::kSender);
    EXPECT_EQ(sent.one_of_n, (std::vector<OneOfNCount>{{4, 8, 10 * n}}));
    EXPECT_EQ(sent.random_ots, 9 * n);
    EXPECT_EQ(sent.and_gates, 2 * 9 * n);
    EXPECT_EQ(sent.correlated_ots, n);
    EXPECT_EQ(sent.chosen_cots, 10 * n * 4 + n);
    const OtCounts& received = relu.ots(Party::kServer, OtRole::kReceiver);
    EXPECT_TRUE(received.one_of_n.empty());
    EXPECT_EQ(received.random_ots, 9 * n);
    EXPECT_EQ(received.and_gates, 0u);
    EXPECT_EQ(received.correlated_ots, n);
    EXPECT_EQ(received.chosen_cots, n);
    // Every OT has both parties in it, in opposite roles.
    EXPECT_EQ(&relu.ots(Party::kClient, OtRole::kReceiver), &sent);
    EXPECT_EQ(&relu.ots(Party::kClient, OtRole::kSender), &received);
    EXPECT_EQ(relu.ots_in_either_role(&OtCounts::random_ots), 2 * 9 * n);
}

TEST(Plan, CountsTheLeanPrimitivesOfAReluLayerWithFerret) {
    // The same ReLU with Ferret runs the lean protocols: DReLU reads ℓ − s + 1 = 30 bits
    // (protocol::sign_bits), a comparison of 29 bits in 10 digits (9 of 3 bits, the top one
    // of 2 bits), bit entries (1 bit for digit 0, 2 for the others); 9 merges, of which the 4
    // above digit 0 (one a level: 10 → 5 → 3 → 2 → 1) compute lt only.
    Network net("relu", Shape{1, 10, 10});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    PlanOptions options = cheetah_options();
    options.ot = OtExtension::kFerret;
    const ProtocolPlan plan = plan_protocol(net, options);
    const PlanStep& relu = plan.steps[3];
    const OtCounts& p = relu.ots(Party::kClient, OtRole::kReceiver);
    constexpr std::uint64_t n = 100;
    EXPECT_EQ(p.one_of_n, (std::vector<OneOfNCount>{{3, 1, n}, {3, 2, 8 * n}, {2, 2, n}}));
    EXPECT_EQ(p.random_ots, 9 * n);
    EXPECT_EQ(p.and_gates, (2 * 9 - 4) * n);
    EXPECT_EQ(p.chosen_cots, 29 * n + n);
    // Each party: the AND openings (23 bits over four levels), one multiplexer message of
    // 41 bits and the flip bit of the other's; the server the tables (144 bits each), the
    // client the flips of the leaves' 29 chosen COTs.
    const CommStats& server = relu.of(Party::kServer).comm;
    const CommStats& client = relu.of(Party::kClient).comm;
    const std::uint64_t both = (14 * n + 7) / 8 + (5 * n + 7) / 8 + (2 * n + 7) / 8 + (2 * n + 7) / 8 +
                               (41 * n + 7) / 8 + (n + 7) / 8;
    EXPECT_EQ(server.bytes_sent, (144 * n + 7) / 8 + both);
    EXPECT_EQ(client.bytes_sent, (29 * n + 7) / 8 + both);
}

TEST(Plan, CountsTheHeWorkOfALinearLayer) {
    Network net("fc", Shape{4, 5, 5});
    net.add(simple_layer(LayerType::kFlatten, "flat", {"input"}));
    net.add(fc_layer("fc", "flat", 10));
    for (const HeSet he : {HeSet::kSecure, HeSet::kCheetah}) {
        const ProtocolPlan plan = plan_protocol(net, {.ring = {}, .he = he_layout(he, TruncationMode::kFaithful), .truncation = TruncationMode::kFaithful});
        const PlanStep& fc = plan.steps[4];
        ASSERT_EQ(fc.kind, StepKind::kFc);
        const FcPlan packing = plan_fc(100, 10, he_layout(he, TruncationMode::kFaithful));
        const int drop = input_drop_bits(he_layout(he, TruncationMode::kFaithful), packing.fan_in);
        EXPECT_EQ(fc.of(Party::kClient).comm.bytes_sent,
                  static_cast<std::uint64_t>(input_message_bytes(he_layout(he, TruncationMode::kFaithful), packing.input_cts, drop)));
        EXPECT_EQ(fc.of(Party::kClient).primitives.he_encryptions, static_cast<std::uint64_t>(packing.input_cts));
        EXPECT_EQ(fc.of(Party::kServer).primitives.he_products, static_cast<std::uint64_t>(packing.products));
        EXPECT_EQ(fc.of(Party::kServer).primitives.he_floodings,
                  he == HeSet::kSecure ? static_cast<std::uint64_t>(packing.output_cts) : 0u);
    }
}

TEST(Plan, RejectsWhatTheEngineCannotRun) {
    Network net("clip", Shape{1, 2, 2});
    Layer clip = simple_layer(LayerType::kRelu6, "clip", {"input"});
    clip.clip_max = 4.0;
    net.add(clip);
    EXPECT_THROW(plan_protocol(net, cheetah_options()), Unsupported);
}

}  // namespace
}  // namespace snnipred::protocol
