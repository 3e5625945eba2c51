// The handshake of the secure executor: both parties stop with a ConfigError naming
// what differs before any HE or OT work.
#include <future>

#include <gtest/gtest.h>

#include "secure_run.h"
#include "snnipred/core/error.h"
#include "snnipred/model/network_digest.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/plan.h"
#include "support/expect_error.h"
#include "support/loopback.h"
#include "support/raw_peer.h"

namespace snnipred::engine {
namespace {

using testing::run_secure_pair;
using testing::uniform_input;

SecureOptions fast() {
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    options.seed = 3;
    return options;
}

Network tiny(std::int64_t size) {
    Network net("tiny", Shape{2, size, size});
    net.add(conv_layer("c", "input", 2, 3, 1, 1));
    net.add(simple_layer(LayerType::kRelu, "r", {"c"}));
    return net;
}

TEST(Handshake, ShapeMismatchStopsBothPartiesNamingTheDigests) {
    const Network client = tiny(6), server = tiny(5);
    const NetworkWeights weights = random_weights(server, 1);
    try {
        run_secure_pair(client, weights, uniform_input(client, 1), fast(), fast(), &server);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("network digest differs: client tiny 2x6x6 -> 2x6x6"), std::string::npos) << message;
        EXPECT_NE(message.find("vs server tiny 2x5x5 -> 2x5x5"), std::string::npos) << message;
        EXPECT_NE(message.find(network_digest(client)), std::string::npos) << message;
        EXPECT_NE(message.find(network_digest(server)), std::string::npos) << message;
    }
}

TEST(Handshake, ServerSeesTheSameDifference) {
    const Network client = tiny(6), server = tiny(5);
    const NetworkWeights weights = random_weights(server, 1);
    // The client's channel closes only after the server has answered, so the server's
    // own check decides its error: run the server alone against a failing client.
    net::ChannelOptions options;
    options.timeout = std::chrono::milliseconds(20'000);
    net::Listener listener("127.0.0.1", 0);
    auto server_run = std::async(std::launch::async, [&] {
        net::Channel channel = listener.accept(options);
        Trace trace(Party::kServer);
        run_secure_server(channel, server, weights, fast(), trace);
    });
    {
        net::Channel channel = net::Channel::connect("127.0.0.1", listener.port(), options);
        Trace trace(Party::kClient);
        EXPECT_THROW(run_secure_client(channel, client, uniform_input(client, 1), fast(), trace), ConfigError);
    }
    try {
        server_run.get();
        FAIL() << "expected a ConfigError on the server";
    } catch (const ConfigError& error) {
        EXPECT_NE(std::string(error.what()).find("network digest differs: client tiny 2x6x6"), std::string::npos)
            << error.what();
    }
}

TEST(Handshake, OptionMismatchNamesEachOption) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    SecureOptions client = fast();
    client.truncation = TruncationMode::kApproximate;
    SecureOptions server = fast();
    server.he = HomConfig::secure();
    server.he.conv_packing = protocol::ConvPacking::kDense;
    server.ot = protocol::OtExtension::kFerret;
    try {
        run_secure_pair(net, weights, uniform_input(net, 1), client, server);
        FAIL() << "expected a ConfigError";
    } catch (const ConfigError& error) {
        const std::string message = error.what();
        EXPECT_NE(message.find("he_n differs: client 4096 vs server 8192"), std::string::npos) << message;
        EXPECT_NE(message.find("truncation differs: client approximate vs server faithful"), std::string::npos)
            << message;
        EXPECT_NE(message.find("ot differs: client iknp vs server ferret"), std::string::npos) << message;
        EXPECT_NE(message.find("conv_packing differs: client cheetah vs server dense"), std::string::npos) << message;
        EXPECT_EQ(message.find("network digest differs"), std::string::npos) << message;
    }
}

TEST(Handshake, FrameLargerThanAHandshakeIsRefusedBeforeBuffering) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    auto [server, client] = test_support::connect_loopback(std::chrono::milliseconds(20'000));
    client.send(std::vector<std::byte>(std::size_t{100} << 10));
    client.flush();
    Trace trace(Party::kServer);
    test_support::expect_error_containing<NetworkError>(
        [&] { run_secure_server(server, net, weights, fast(), trace); }, "102400 bytes, over the limit of 65536");
}

TEST(Handshake, TricklingPeerIsCutOffAfterOneTimeout) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    net::Listener listener("127.0.0.1", 0);
    test_support::TricklingPeer peer(listener.port(), std::chrono::milliseconds(300));
    net::ChannelOptions options;
    options.timeout = std::chrono::milliseconds(1000);
    const auto start = std::chrono::steady_clock::now();
    net::Channel server = listener.accept(options);
    Trace trace(Party::kServer);
    test_support::expect_error_containing<NetworkError>(
        [&] { run_secure_server(server, net, weights, fast(), trace); }, "deadline passed");
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(2000));
}

// A valid client handshake for `net` under fast(), as a raw peer writes it.
std::string handshake_frame(const Network& net) {
    return test_support::raw_frame(protocol::handshake_message(net, fast().plan_options(), network_digest(net)));
}

TEST(Handshake, RunDeadlineStopsAPeerTricklingAfterTheHandshake) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    net::Listener listener("127.0.0.1", 0);
    // A header is 12 bytes: at one byte per 400 ms no frame completes before the deadline.
    test_support::TricklingPeer peer(listener.port(), std::chrono::milliseconds(400), handshake_frame(net));
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::milliseconds(5000);
    SecureOptions options = fast();
    options.deadline = std::chrono::milliseconds(1500);
    net::Channel server = listener.accept(channel_options);
    const auto start = std::chrono::steady_clock::now();
    Trace trace(Party::kServer);
    test_support::expect_error_containing<NetworkError>(
        [&] { run_secure_server(server, net, weights, options, trace); }, "deadline passed");
    // The deadline, plus the 1 s the issue allows, plus slack for a loaded machine.
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(1500 + 1000 + 1000));
}

TEST(Handshake, GarbageLengthAfterTheHandshakeIsRefusedAtThePlansLargestStep) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    const std::uint64_t largest = protocol::plan_protocol(net, fast().plan_options()).largest_step_bytes();
    ASSERT_GT(largest, 0u);
    net::Listener listener("127.0.0.1", 0);
    const int peer = test_support::raw_connect(listener.port());
    test_support::raw_send(peer, handshake_frame(net) + test_support::raw_frame("abc", std::uint32_t{1} << 30));
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::milliseconds(5000);
    net::Channel server = listener.accept(channel_options);
    Trace trace(Party::kServer);
    test_support::expect_error_containing<NetworkError>(
        [&] { run_secure_server(server, net, weights, fast(), trace); },
        "peer sent a frame of 1073741824 bytes, over the limit of " + std::to_string(largest) +
            " (the run's largest planned step; garbage or a different protocol)");
    ::close(peer);
}

TEST(Handshake, ThreadCountsNeedNotAgree) {
    const Network net = tiny(4);
    const NetworkWeights weights = random_weights(net, 1);
    SecureOptions client = fast();
    client.threads = 2;
    const std::vector<std::uint64_t> input = uniform_input(net, 2);
    EXPECT_EQ(run_secure_pair(net, weights, input, client, fast()).output,
              run_reference(net, weights, input, RingConfig{}));
}

}  // namespace
}  // namespace snnipred::engine
