// Both parties as processes of this machine (engine/local_pair.h): the isolated run, in a
// forked run process, gives what the in-process run gives, and names the run's error.
#include "snnipred/engine/local_pair.h"

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/engine/reference_executor.h"

namespace snnipred::engine {
namespace {

constexpr std::uint64_t kWeightsSeed = 5;

Network conv_relu_fc() {
    Network net("pair", Shape{2, 6, 6});
    net.add(conv_layer("conv", "input", 3, 3, 1, 1, 1, true));
    net.add(simple_layer(LayerType::kRelu, "relu", {"conv"}));
    net.add(simple_layer(LayerType::kFlatten, "flat", {"relu"}));
    net.add(fc_layer("fc", "flat", 4));
    return net;
}

SecureOptions exact_options() {
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    options.truncation = TruncationMode::kFaithful;
    return options;
}

net::ChannelOptions channel_options() {
    net::ChannelOptions options;
    options.timeout = std::chrono::milliseconds(30'000);
    return options;
}

TEST(LocalPair, IsolatedRunGivesTheInProcessRunsOutputAndTraffic) {
    const Network net = conv_relu_fc();
    const SecureOptions options = exact_options();
    const std::vector<std::uint64_t> input = seeded_input(net, 3, options.ring);
    const LocalPairResult isolated = run_local_pair_isolated(net, kWeightsSeed, input, options, channel_options());
    const LocalPairResult in_process = run_local_pair(net, kWeightsSeed, input, options, channel_options());

    EXPECT_EQ(isolated.output, run_reference(net, random_weights(net, kWeightsSeed, options.ring), input, options.ring));
    EXPECT_EQ(isolated.output, in_process.output);
    EXPECT_GT(isolated.client_end_to_end_s, 0.0);
    for (const auto& [mine, theirs] : {std::pair{&isolated.client, &in_process.client},
                                       std::pair{&isolated.server, &in_process.server}}) {
        ASSERT_EQ(mine->records().size(), theirs->records().size());
        for (std::size_t i = 0; i < mine->records().size(); ++i) {
            const SpanRecord& a = mine->records()[i];
            const SpanRecord& b = theirs->records()[i];
            EXPECT_EQ(a.step, b.step) << "span " << i;
            EXPECT_EQ(a.comm.bytes_sent, b.comm.bytes_sent) << "span " << i;
            EXPECT_EQ(a.comm.rounds, b.comm.rounds) << "span " << i;
            EXPECT_GE(a.cpu_seconds, 0.0);
        }
    }
    EXPECT_GT(isolated.client.total(false).comm.bytes_sent, 0u);
}

TEST(LocalPair, IsolatedRunNamesTheRunsError) {
    const Network net = conv_relu_fc();
    const SecureOptions options = exact_options();
    const std::vector<std::uint64_t> too_short(3, 0);
    try {
        run_local_pair_isolated(net, kWeightsSeed, too_short, options, channel_options());
        FAIL() << "an input of 3 values for 72 ran";
    } catch (const Error& error) {
        EXPECT_NE(std::string(error.what()).find("run: "), std::string::npos) << error.what();
    }
}

}  // namespace
}  // namespace snnipred::engine
