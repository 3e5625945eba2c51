// Whole networks through the secure executor, both parties over loopback TCP (the server
// on a second thread), compared with the plaintext ring reference. The HE layers use
// HomConfig::cheetah_n4096() here: N = 4096 runs about twice as fast as the flooded
// N = 8192 default and the shares it produces are the same values; one test runs the
// secure default on a small network.
#include "snnipred/engine/secure_executor.h"

#include <algorithm>
#include <random>
#include <utility>

#include <gtest/gtest.h>

#include "snnipred/engine/fixed_point.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/model/zoo.h"
#include "secure_run.h"

namespace snnipred::engine {
namespace {

const RingConfig kRing{};

using testing::run_secure_pair;
using SecureRun = testing::SecureRunResult;

SecureRun run_both(const Network& net, const NetworkWeights& weights, const std::vector<std::uint64_t>& input,
                   const SecureOptions& client_options, const SecureOptions& server_options) {
    return run_secure_pair(net, weights, input, client_options, server_options);
}

SecureRun run_both(const Network& net, const NetworkWeights& weights, const std::vector<std::uint64_t>& input,
             const SecureOptions& options) {
    return run_both(net, weights, input, options, options);
}

SecureOptions fast_options(TruncationMode mode, std::uint64_t seed = 7) {
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    options.truncation = mode;
    options.seed = seed;
    return options;
}

std::vector<std::uint64_t> random_input(const Network& net, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(static_cast<std::size_t>(net.input().output.elements()));
    for (double& v : input) v = dist(rng);
    return encode_all(input, kRing);
}

std::int64_t max_ulps(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b) {
    std::int64_t worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, std::abs(kRing.to_signed(kRing.reduce(a[i] - b[i]))));
    return worst;
}

std::size_t argmax(const std::vector<std::uint64_t>& v) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (kRing.to_signed(v[i]) > kRing.to_signed(v[best])) best = i;
    return best;
}

// Every layer type of the IR at 3x12x12, including rectangular and ceil-mode pooling,
// explicit padding, a depthwise conv and a residual add.
Network all_layer_types() {
    Network net("all_layers", Shape{3, 12, 12});
    net.add(conv_layer("c1", "input", 8, 3, 1, 1, 1, true));
    net.add(simple_layer(LayerType::kBatchNorm, "bn1", {"c1"}));
    net.add(simple_layer(LayerType::kRelu, "r1", {"bn1"}));
    net.add(pool_layer(LayerType::kMaxPool, "mp1", "r1", 2, 2));                  // 8x6x6
    net.add(conv_layer("c2", "mp1", 8, 3, 1, 1));                                  // no bias
    net.add(simple_layer(LayerType::kRelu6, "r2", {"c2"}));
    net.add(simple_layer(LayerType::kAdd, "add", {"mp1", "r2"}));
    net.add(conv_layer("dw", "add", 8, 3, 1, 1, 8, true));                         // depthwise
    net.add(simple_layer(LayerType::kConcat, "cat", {"add", "dw"}));                // 16x6x6
    Layer pad = simple_layer(LayerType::kPad, "pad", {"cat"});
    pad.window.pad_top = 1, pad.window.pad_left = 1, pad.window.pad_bottom = 0, pad.window.pad_right = 1;
    net.add(pad);                                                                  // 16x7x8
    Layer rect = pool_layer(LayerType::kMaxPool, "mp2", "pad", 3, 2, 0, true);
    rect.window.kernel_w = 2;
    net.add(rect);
    net.add(pool_layer(LayerType::kAvgPool, "ap", "cat", 3, 2, 1, true));
    net.add(simple_layer(LayerType::kShiftedRelu, "shifted", {"ap"}));            // the server's signs
    net.add(simple_layer(LayerType::kFlatten, "flat", {"shifted"}));
    net.add(fc_layer("fc1", "flat", 16));
    net.add(simple_layer(LayerType::kRelu, "r3", {"fc1"}));
    net.add(simple_layer(LayerType::kGlobalAvgPool, "gap", {"mp2"}));
    net.add(simple_layer(LayerType::kFlatten, "gflat", {"gap"}));
    net.add(simple_layer(LayerType::kAdd, "sum", {"r3", "gflat"}));
    net.add(simple_layer(LayerType::kIdentity, "drop", {"sum"}));
    net.add(fc_layer("fc2", "drop", 10));
    return net;
}

TEST(SecureExecutor, EveryLayerTypeMatchesTheReferenceExactlyWithFaithfulTruncation) {
    const Network net = all_layer_types();
    const NetworkWeights weights = random_weights(net, 11);
    for (const std::uint64_t seed : {1, 2}) {
        const std::vector<std::uint64_t> input = random_input(net, seed);
        const SecureRun run = run_both(net, weights, input, fast_options(TruncationMode::kFaithful, seed));
        EXPECT_EQ(run.output, run_reference(net, weights, input, kRing)) << "input seed " << seed;
    }
}

// Ferret brings the lean protocols: DReLU on the sign bits only, separable max pools (mp2).
TEST(SecureExecutor, EveryLayerTypeWithFerretMatchesTheReferenceExactly) {
    const Network net = all_layer_types();
    const NetworkWeights weights = random_weights(net, 13);
    const std::vector<std::uint64_t> input = random_input(net, 5);
    SecureOptions options = fast_options(TruncationMode::kFaithful);
    options.ot = protocol::OtExtension::kFerret;
    EXPECT_EQ(run_both(net, weights, input, options).output, run_reference(net, weights, input, kRing));
}

TEST(SecureExecutor, EveryLayerTypeGivesTheSameOutputWithOneAndThreeThreads) {
    const Network net = all_layer_types();
    const NetworkWeights weights = random_weights(net, 12);
    const std::vector<std::uint64_t> input = random_input(net, 3);
    const std::vector<std::uint64_t> expected = run_reference(net, weights, input, kRing);
    for (const int threads : {1, 3}) {
        SecureOptions options = fast_options(TruncationMode::kFaithful, 4);
        options.threads = threads;
        EXPECT_EQ(run_both(net, weights, input, options).output, expected) << threads << " threads";
    }
}

// Measured over 12 inputs: at most 3 ulps (2^-12 each) at the output. Each truncation
// drops at most one ulp; later layers' weights (RMS-normalised) carry the drops on.
constexpr std::int64_t kApproximateNetworkUlps = 8;

TEST(SecureExecutor, EveryLayerTypeWithApproximateTruncationStaysWithinUlps) {
    const Network net = all_layer_types();
    const NetworkWeights weights = random_weights(net, 11);
    std::int64_t worst = 0;
    for (std::uint64_t seed = 1; seed <= 4; ++seed) {
        const std::vector<std::uint64_t> input = random_input(net, seed);
        const std::vector<std::uint64_t> expected = run_reference(net, weights, input, kRing);
        const SecureRun run = run_both(net, weights, input, fast_options(TruncationMode::kApproximate, seed));
        worst = std::max(worst, max_ulps(run.output, expected));
        EXPECT_EQ(argmax(run.output), argmax(expected));
    }
    RecordProperty("max_ulps", static_cast<int>(worst));
    std::printf("approximate truncation, all_layers: max error %lld ulps\n", static_cast<long long>(worst));
    EXPECT_LE(worst, kApproximateNetworkUlps);
}

TEST(SecureExecutor, SecureHeDefaultMatchesTheReference) {
    Network net("small", Shape{2, 6, 6});
    net.add(conv_layer("c", "input", 4, 3, 1, 1, 1, true));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(simple_layer(LayerType::kFlatten, "f", {"r"}));
    net.add(fc_layer("fc", "f", 5));
    const NetworkWeights weights = random_weights(net, 3);
    const std::vector<std::uint64_t> input = random_input(net, 4);
    for (const int threads : {1, 2}) {  // 2: each flooded response from its own generator
        SecureOptions options;
        options.seed = 9;
        options.threads = threads;
        const SecureRun run = run_both(net, weights, input, options);
        EXPECT_EQ(run.output, run_reference(net, weights, input, kRing)) << threads << " threads";
    }
}

TEST(SecureExecutor, ZooLenet5AndMinionnEndToEnd) {
    for (const char* name : {"lenet5", "minionn"}) {
        const Network net = zoo_network(name);
        const NetworkWeights weights = random_weights(net, 5);
        const std::vector<std::uint64_t> input = random_input(net, 6);
        const std::vector<std::uint64_t> expected = run_reference(net, weights, input, kRing);
        const SecureRun run = run_both(net, weights, input, fast_options(TruncationMode::kFaithful));
        EXPECT_EQ(run.output, expected) << name;
        EXPECT_EQ(argmax(run.output), argmax(expected)) << name;
    }
}

TEST(SecureExecutor, ZooLenet5AndMinionnWithFerretMatchTheReference) {
    for (const char* name : {"lenet5", "minionn"}) {
        const Network net = zoo_network(name);
        const NetworkWeights weights = random_weights(net, 5);
        const std::vector<std::uint64_t> input = random_input(net, 6);
        SecureOptions options = fast_options(TruncationMode::kFaithful);
        options.ot = protocol::OtExtension::kFerret;
        const SecureRun run = run_both(net, weights, input, options);
        EXPECT_EQ(run.output, run_reference(net, weights, input, kRing)) << name;
    }
}

// Measured with 4 weight/input seeds: lenet5 3..6 ulps, minionn 8..11 ulps (7 convs and
// an FC, each truncation dropping up to one ulp that later layers carry and amplify).
constexpr std::int64_t kApproximateZooUlps = 32;

TEST(SecureExecutor, ZooWithApproximateTruncationStaysWithinUlpsAndKeepsTheArgmax) {
    for (const char* name : {"lenet5", "minionn"}) {
        const Network net = zoo_network(name);
        const NetworkWeights weights = random_weights(net, 1);
        const std::vector<std::uint64_t> input = random_input(net, 101);
        const std::vector<std::uint64_t> expected = run_reference(net, weights, input, kRing);
        const SecureRun run = run_both(net, weights, input, fast_options(TruncationMode::kApproximate, 1));
        const std::int64_t ulps = max_ulps(run.output, expected);
        std::printf("approximate truncation, %s: max error %lld ulps\n", name, static_cast<long long>(ulps));
        EXPECT_LE(ulps, kApproximateZooUlps) << name;
        EXPECT_EQ(argmax(run.output), argmax(expected)) << name;
    }
}

TEST(SecureExecutor, TraceHasSetupSpansAndOneSpanPerProtocolStep) {
    Network net("traced", Shape{1, 4, 4});
    net.add(conv_layer("c", "input", 2, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    net.add(pool_layer(LayerType::kAvgPool, "a", "r", 2, 2));
    const NetworkWeights weights = random_weights(net, 1);
    const SecureRun run = run_both(net, weights, random_input(net, 2), fast_options(TruncationMode::kFaithful));
    std::vector<std::string> steps;
    for (const SpanRecord& r : run.client.records()) steps.push_back((r.setup ? "setup:" : r.layer + ":") +
                                                                        std::string(protocol::step_kind_name(r.step)));
    const std::vector<std::string> expected{"setup:handshake", "setup:he_keygen", "setup:base_ot", "c:conv",
                                            "c:trunc",         "r:relu",          "a:avgpool",     "a:trunc",
                                            "a:reveal"};
    EXPECT_EQ(steps, expected);
    EXPECT_GT(run.client.total(true).comm.bytes_sent, 0u);   // the public key
    const SpanRecord& conv = run.client.records()[3];
    EXPECT_GT(conv.comm.bytes_sent, 0u);
    EXPECT_GT(conv.comm.bytes_received, 0u);
    // The client's ciphertexts continue the flight that ended its base OTs, so the round
    // of the conv falls to the server (its response).
    EXPECT_GE(conv.comm.rounds + run.server.records()[3].comm.rounds, 1u);
    EXPECT_EQ(run.client.records()[6].comm.bytes_sent, 0u);  // the avgpool sum is local
    // Both parties' traffic agrees span by span (server sends what the client receives).
    for (std::size_t k = 0; k < run.client.records().size(); ++k)
        EXPECT_EQ(run.client.records()[k].comm.bytes_received, run.server.records()[k].comm.bytes_sent) << k;
    const std::string csv = traces_to_csv({&run.client, &run.server});
    EXPECT_EQ(csv.substr(0, csv.find('\n')),
              "party,phase,layer,layer_type,step,wall_s,cpu_s,bytes_sent,bytes_received,messages_sent,"
              "messages_received,rounds");
    const Trace back = trace_from_json(traces_to_json({&run.client, &run.server}), Party::kServer);
    ASSERT_EQ(back.records().size(), run.server.records().size());
    EXPECT_EQ(back.records()[3].comm, run.server.records()[3].comm);
}

TEST(SecureExecutor, MismatchedOptionsFailOnBothSidesWithoutHanging) {
    Network net("m", Shape{1, 2, 2});
    net.add(simple_layer(LayerType::kRelu, "r", {"input"}));
    const NetworkWeights weights = random_weights(net, 1);
    EXPECT_THROW(run_both(net, weights, random_input(net, 1), fast_options(TruncationMode::kFaithful),
                          fast_options(TruncationMode::kApproximate)),
                 ConfigError);
}

}  // namespace
}  // namespace snnipred::engine
