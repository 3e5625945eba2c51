#pragma once
// Test helper: a whole secure run over loopback TCP, the server on a second thread, with
// separate options per party (so tests can make them disagree).

#include <chrono>
#include <future>
#include <optional>
#include <random>
#include <vector>

#include "snnipred/engine/fixed_point.h"
#include "snnipred/engine/secure_executor.h"

namespace snnipred::engine::testing {

struct SecureRunResult {
    std::vector<std::uint64_t> output;
    Trace client{Party::kClient};
    Trace server{Party::kServer};
};

/// Runs both parties; `server_network` defaults to the client's. Rethrows the client's
/// error (the server's, when the client succeeded). Each party owns its channel, so a
/// party that throws closes its socket and the other fails fast.
inline SecureRunResult run_secure_pair(const Network& network, const NetworkWeights& weights,
                                       const std::vector<std::uint64_t>& input, const SecureOptions& client_options,
                                       const SecureOptions& server_options,
                                       const Network* server_network = nullptr) {
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::milliseconds(30'000);
    net::Listener listener("127.0.0.1", 0);
    SecureRunResult run;
    auto server = std::async(std::launch::async, [&] {
        net::Channel channel = listener.accept(channel_options);
        run_secure_server(channel, server_network ? *server_network : network, weights, server_options, run.server);
    });
    std::optional<net::Channel> channel;
    try {
        channel.emplace(net::Channel::connect("127.0.0.1", listener.port(), channel_options));
        run.output = run_secure_client(*channel, network, input, client_options, run.client);
    } catch (...) {
        channel.reset();
        server.wait();
        throw;
    }
    server.get();
    return run;
}

/// Options of a quick secure run: HE at N = 4096 (Cheetah's set) and the OT extension `ot`.
inline SecureOptions cheetah_options(protocol::OtExtension ot = protocol::OtExtension::kFerret) {
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    options.ot = ot;
    return options;
}

/// Inputs uniform in [-1, 1], encoded for the default ring.
inline std::vector<std::uint64_t> uniform_input(const Network& network, std::uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(static_cast<std::size_t>(network.input().output.elements()));
    for (double& v : input) v = dist(rng);
    return encode_all(input, RingConfig{});
}

}  // namespace snnipred::engine::testing
