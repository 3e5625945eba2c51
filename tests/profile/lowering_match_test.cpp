// The "snnipred" lowering (predict/lowering.h) must reproduce the secure engine's online
// protocol steps one to one: export relies on it to give each span its raw features.
// Both parties run over loopback in this process; networks are kept tiny.
#include <future>

#include <gtest/gtest.h>

#include "profile/profile_test_util.h"
#include "snnipred/engine/local_pair.h"
#include "snnipred/engine/secure_executor.h"
#include "snnipred/model/zoo.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/profile/export.h"
#include "snnipred/profile/generator.h"
#include "snnipred/profile/runner.h"
#include "support/loopback.h"

namespace snnipred::profile {
namespace {

// A run record holding both parties' spans of one in-process secure inference.
RunRecord run_in_process(const Network& network) {
    engine::SecureOptions options;
    options.he = engine::HomConfig::cheetah_n4096();
    options.truncation = engine::TruncationMode::kApproximate;
    options.seed = 5;
    auto [server_channel, client_channel] = test_support::connect_loopback(std::chrono::milliseconds(60'000));
    const engine::NetworkWeights weights = engine::random_weights(network, 1, options.ring);
    const std::vector<std::uint64_t> input = engine::seeded_input(network, 1, options.ring);
    engine::Trace client(engine::Party::kClient), server(engine::Party::kServer);
    auto client_done = std::async(std::launch::async, [&] {
        return engine::run_secure_client(client_channel, network, input, options, client);
    });
    engine::run_secure_server(server_channel, network, weights, options, server);
    client_done.get();
    RunRecord run;
    run.key = {"match", network.name(), "none", 0};
    run.spans = stored_spans(client);
    for (StoredSpan& span : stored_spans(server)) run.spans.push_back(std::move(span));
    return run;
}

void expect_match(const Network& network) {
    SCOPED_TRACE(network.name());
    const RunRecord run = run_in_process(network);
    const auto steps = predict::lower_network(network, predict::engine_span_lowering());
    for (const std::string party : {"client", "server"}) {
        std::size_t spans = 0;
        for (const StoredSpan& span : run.spans) spans += span.party == party && is_protocol_step(span);
        EXPECT_EQ(spans, steps.size()) << party;
        EXPECT_NO_THROW(zip_spans(run, party, network, steps)) << party;
    }
}

TEST(LoweringMatchesEngine, GeneratedNetworksOfEveryFamily) {
    const Campaign campaign = testing::tiny_campaign();
    for (const std::string& family : generator_families())
        expect_match(generate_network(family, 0, campaign.generator, campaign.seed));
}

TEST(LoweringMatchesEngine, SweepsOfEveryKind) {
    CostModel cost;
    cost.cap_s = 0.003;
    for (const std::string& kind : sweep_kinds()) expect_match(generate_sweep(kind, 0, cost, 2));
}

TEST(LoweringMatchesEngine, LayersTheGeneratorDoesNotDraw) {
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
    expect_match(net);
}

TEST(LoweringMatchesEngine, ZooModelsAtSmallInput) {
    for (const char* name : {"lenet5", "minionn"}) expect_match(zoo_network(name));
}

}  // namespace
}  // namespace snnipred::profile
