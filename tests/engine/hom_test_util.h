#pragma once
// Test helper for the HE linear layers: a HomServer and a HomClient connected over
// loopback TCP, each protocol step run with the server on this thread and the client on
// a second one; seeded randomness throughout. Shares are made and opened with split()
// and join() from two_party.h.

#include <chrono>
#include <cstdint>
#include <future>
#include <memory>
#include <random>
#include <utility>
#include <vector>

#include "snnipred/crypto/he/prng.h"
#include "snnipred/engine/hom_session.h"
#include "snnipred/net/channel.h"
#include "support/loopback.h"
#include "two_party.h"

namespace snnipred::engine::testing {

inline crypto::he::Prng seeded(std::uint8_t tag) {
    crypto::he::Seed seed{};
    seed[0] = tag;
    seed[1] = 0x5e;
    return crypto::he::Prng(seed);
}

class HomPair {
public:
    explicit HomPair(const HomConfig& config, const RingConfig& ring = {}) {
        auto [server_end, client_end] = test_support::connect_loopback(std::chrono::milliseconds(60'000));
        server_channel_ = std::make_unique<net::Channel>(std::move(server_end));
        client_channel_ = std::make_unique<net::Channel>(std::move(client_end));
        auto client = std::async(std::launch::async, [&] {
            return HomClient::setup(config, ring, *client_channel_, client_prng_);
        });
        server_ = std::make_unique<HomServer>(HomServer::setup(config, ring, *server_channel_));
        client_ = std::make_unique<HomClient>(client.get());
    }

    const HomServer& server() const { return *server_; }
    const HomClient& client() const { return *client_; }

    /// Runs server(channel, prng) here and client(channel, prng) on a second thread;
    /// returns {server result, client result}; records the client's traffic.
    template <typename ServerFn, typename ClientFn>
    auto run(ServerFn&& server_fn, ClientFn&& client_fn) {
        const net::CommStats before = client_channel_->stats();
        auto client = std::async(std::launch::async, [&] { return client_fn(*client_channel_, client_prng_); });
        auto server_result = server_fn(*server_channel_, server_prng_);
        auto client_result = client.get();
        last_ = client_channel_->stats() - before;
        return std::pair{std::move(server_result), std::move(client_result)};
    }
    /// What the client sent and received during the last run().
    const net::CommStats& last_client_stats() const { return last_; }

private:
    std::unique_ptr<net::Channel> server_channel_, client_channel_;
    crypto::he::Prng server_prng_ = seeded(1);
    crypto::he::Prng client_prng_ = seeded(2);
    std::unique_ptr<HomServer> server_;
    std::unique_ptr<HomClient> client_;
    net::CommStats last_;
};

/// Uniform ring elements (the whole ring, as an activation share's sum may be anything).
inline std::vector<std::uint64_t> random_ring(std::size_t count, const RingConfig& ring, std::mt19937_64& rng) {
    std::vector<std::uint64_t> v(count);
    for (auto& x : v) x = ring.reduce(rng());
    return v;
}

/// Signed weights with |w| < 2^bits, the extremes included.
inline std::vector<std::int64_t> random_weights(std::size_t count, int bits, std::mt19937_64& rng) {
    std::vector<std::int64_t> v(count);
    const std::int64_t top = (std::int64_t{1} << bits) - 1;
    std::uniform_int_distribution<std::int64_t> dist(-top, top);
    for (auto& x : v) x = dist(rng);
    if (count > 1) v[0] = top, v[1] = -top;
    return v;
}

}  // namespace snnipred::engine::testing
