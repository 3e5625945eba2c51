// The protocol plan (protocol/plan.h) must be what the secure engine does: every span of
// both parties crosses exactly the plan's bytes, frames and rounds, under both HE sets and
// both truncation modes, with IKNP and (on a subset) Ferret; and the "snnipred" lowering
// (predict/lowering.h) must match the engine's online protocol steps one to one, as
// export relies on. Both parties run over
// loopback in this process; networks are kept tiny (bench/plan_match_bench.cpp runs the
// zoo at 32x32 and 100 generated networks).
#include <future>

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/engine/local_pair.h"
#include "snnipred/engine/secure_executor.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/packing.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/profile/export.h"
#include "snnipred/profile/generator.h"
#include "snnipred/profile/runner.h"
#include "support/loopback.h"

namespace snnipred::profile {
namespace {

struct EngineConfig {
    protocol::HeSet he;
    protocol::TruncationMode truncation;
    protocol::OtExtension ot = protocol::OtExtension::kIknp;
    protocol::ConvPacking packing = protocol::ConvPacking::kCheetah;
};

constexpr EngineConfig kConfigs[] = {{protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate},
                                     {protocol::HeSet::kCheetah, protocol::TruncationMode::kFaithful},
                                     {protocol::HeSet::kSecure, protocol::TruncationMode::kApproximate},
                                     {protocol::HeSet::kSecure, protocol::TruncationMode::kFaithful}};
// Ferret's silent OT under two configurations that between them use both HE sets and
// both truncations: a Ferret setup costs about a second per party, so not all four.
constexpr EngineConfig kFerretConfigs[] = {
    {protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate, protocol::OtExtension::kFerret},
    {protocol::HeSet::kSecure, protocol::TruncationMode::kFaithful, protocol::OtExtension::kFerret}};

void expect_spans_as_planned(const engine::Trace& trace) {
    for (const engine::SpanRecord& span : trace.records()) {
        ASSERT_TRUE(span.planned.has_value());
        EXPECT_EQ(span.comm, *span.planned)
            << party_name(trace.party()) << " " << span.layer << " " << protocol::step_kind_name(span.step)
            << ": measured " << span.comm.bytes_sent << " B sent, " << span.comm.bytes_received << " B received, "
            << span.comm.rounds << " rounds; planned " << span.planned->bytes_sent << ", "
            << span.planned->bytes_received << ", " << span.planned->rounds;
    }
}

// A run record holding both parties' spans of one in-process secure inference, whose
// spans are checked against the plan on the way.
RunRecord run_in_process(const Network& network, const EngineConfig& config = kConfigs[0]) {
    engine::SecureOptions options;
    options.he = engine::HomConfig::of(config.he);
    options.he.conv_packing = config.packing;
    options.truncation = config.truncation;
    options.ot = config.ot;
    options.seed = 5;
    auto [server_channel, client_channel] = test_support::connect_loopback(std::chrono::milliseconds(60'000));
    const engine::NetworkWeights weights = engine::random_weights(network, 1, options.ring);
    const std::vector<std::uint64_t> input = engine::seeded_input(network, 1, options.ring);
    engine::Trace client(snnipred::Party::kClient), server(snnipred::Party::kServer);
    auto client_done = std::async(std::launch::async, [&] {
        return engine::run_secure_client(client_channel, network, input, options, client);
    });
    engine::run_secure_server(server_channel, network, weights, options, server);
    client_done.get();
    expect_spans_as_planned(client);
    expect_spans_as_planned(server);
    RunRecord run;
    run.key = {"match", network.name(), "none", 0};
    run.spans = stored_spans(client);
    for (StoredSpan& span : stored_spans(server)) run.spans.push_back(std::move(span));
    return run;
}

void expect_match(const Network& network, const EngineConfig& config = kConfigs[0]) {
    SCOPED_TRACE(network.name() + " " + std::string(protocol::he_set_name(config.he)) + " " +
                 std::string(protocol::truncation_mode_name(config.truncation)) + " " +
                 std::string(protocol::ot_extension_name(config.ot)));
    const RunRecord run = run_in_process(network, config);
    const auto steps = predict::lower_network(network, predict::engine_span_lowering());
    for (const Party party : kParties) {
        std::size_t spans = 0;
        for (const StoredSpan& span : run.spans) spans += span.party == party && is_protocol_step(span);
        EXPECT_EQ(spans, steps.size()) << party_name(party);
        EXPECT_NO_THROW(zip_spans(run, party, network, steps)) << party_name(party);
    }
}

// ReLU6, pad, depthwise conv, concat, ceil-mode max pool, global average pool, flatten,
// identity: the layers the generator does not draw.
Network odd_layers() {
    Network net("odd_layers", Shape{4, 6, 6});
    net.add(simple_layer(LayerType::kRelu6, "r6", {"input"}));
    Layer pad = simple_layer(LayerType::kPad, "pad", {"r6"});
    pad.window.pad_top = pad.window.pad_bottom = pad.window.pad_left = pad.window.pad_right = 1;
    net.add(pad);
    net.add(conv_layer("dw", "pad", 4, 3, 1, 0, 4));
    net.add(simple_layer(LayerType::kRelu6, "r6b", {"dw"}));
    net.add(simple_layer(LayerType::kConcat, "cat", {"r6b", "r6"}));
    net.add(pool_layer(LayerType::kMaxPool, "mp", "cat", 3, 2, 0, true));
    net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"mp"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"gap"}));
    net.add(simple_layer(LayerType::kIdentity, "id", {"flat"}));
    net.add(fc_layer("fc", "id", 3));
    return net;
}

TEST(PlanMatchesEngine, GeneratedNetworksOfEveryFamilyUnderEveryConfiguration) {
    const Campaign campaign = testing::tiny_campaign();
    int index = 0;
    for (const EngineConfig& config : kConfigs)
        for (const std::string& family : generator_families())
            expect_match(generate_network(family, index++, campaign.generator, campaign.seed), config);
}

TEST(PlanMatchesEngine, SweepsOfEveryKind) {
    CostModel cost;
    cost.cap_s = 0.003;
    for (const std::string& kind : sweep_kinds()) expect_match(generate_sweep(kind, 0, cost, 2));
}

TEST(PlanMatchesEngine, LayersTheGeneratorDoesNotDrawUnderEveryConfiguration) {
    const Network net = odd_layers();
    for (const EngineConfig& config : kConfigs) expect_match(net, config);
}

// Tiny networks live on what setup leaves in Ferret's buffers; lenet5 and minionn need
// refills.
TEST(PlanMatchesEngine, FerretOnGeneratedNetworksLayersTheGeneratorDoesNotDrawAndZooModels) {
    const Campaign campaign = testing::tiny_campaign();
    int index = 0;
    for (const std::string& family : generator_families())
        expect_match(generate_network(family, index++, campaign.generator, campaign.seed), kFerretConfigs[0]);
    expect_match(odd_layers(), kFerretConfigs[1]);
    for (const EngineConfig& config : kFerretConfigs)
        for (const char* name : {"lenet5", "minionn"}) expect_match(zoo_network(name), config);
}

TEST(PlanMatchesEngine, ZooModelsAtTheirSizeUnderEveryConfiguration) {
    for (const EngineConfig& config : kConfigs)
        for (const char* name : {"lenet5", "minionn"}) expect_match(zoo_network(name), config);
}

// Dense packing: several filters per response, and strided kernels split into phases (the
// plan must count the phases' input and response ciphertexts as the engine sends them).
TEST(PlanMatchesEngine, DensePackingWithStridedKernelsInPhases) {
    Network net("strided", Shape{3, 64, 64});
    net.add(conv_layer("stem", "input", 16, 3, 2, 0));
    net.add(simple_layer(LayerType::kRelu, "r1", {"stem"}));
    net.add(conv_layer("wide", "r1", 24, 7, 2, 3));
    net.add(simple_layer(LayerType::kRelu, "r2", {"wide"}));
    net.add(conv_layer("down", "r2", 32, 1, 2, 0));
    net.add(simple_layer(LayerType::kRelu, "r3", {"down"}));
    net.add(conv_layer("same", "r3", 8, 3, 1, 1));
    engine::HomConfig dense = engine::HomConfig::cheetah_n4096();
    dense.conv_packing = protocol::ConvPacking::kDense;
    EXPECT_GT(protocol::plan_conv(protocol::ConvShape::from_layer(net.layers()[1]), dense.layout()).phases_h, 1);
    const EngineConfig config{protocol::HeSet::kCheetah, protocol::TruncationMode::kApproximate,
                              protocol::OtExtension::kIknp, protocol::ConvPacking::kDense};
    expect_match(net, config);
}

}  // namespace
}  // namespace snnipred::profile
