// Seeded mutation fuzzing of the handshake as a server receives it (support/mutation_fuzz.h):
// a client's handshake frame, header included (length and arrival-time fields), damaged at
// random and sent from a raw socket that then closes, must end run_secure_server in a
// snnipred::Error within the timeout, never in another exception or a crash.
#include <chrono>
#include <string>

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include "snnipred/engine/secure_executor.h"
#include "snnipred/model/network_digest.h"
#include "snnipred/model/zoo.h"
#include "snnipred/protocol/plan.h"
#include "support/mutation_fuzz.h"
#include "support/raw_peer.h"

namespace snnipred::engine {
namespace {

TEST(HandshakeFuzz, MutatedFramesEndTheServerCleanly) {
    const Network network = zoo_network("lenet5");
    const NetworkWeights weights = random_weights(network, 1);
    SecureOptions options;
    options.he = HomConfig::cheetah_n4096();
    const std::string frame = test_support::raw_frame(
        protocol::handshake_message(network, options.plan_options(), network_digest(network)));
    net::Listener listener("127.0.0.1", 0);
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::milliseconds(2000);
    const auto stats = test_support::fuzz("handshake-wire", {frame}, [&](const std::string& bytes) {
        const int peer = test_support::raw_connect(listener.port());
        if (!bytes.empty()) ::send(peer, bytes.data(), bytes.size(), MSG_NOSIGNAL);
        ::shutdown(peer, SHUT_WR);
        net::Channel server = listener.accept(channel_options);
        Trace trace(Party::kServer);
        try {
            run_secure_server(server, network, weights, options, trace);
        } catch (...) {
            ::close(peer);
            throw;
        }
        ::close(peer);
        ADD_FAILURE() << "a run completed without a client";
    });
    EXPECT_EQ(stats.failures, 0u);
}

}  // namespace
}  // namespace snnipred::engine
