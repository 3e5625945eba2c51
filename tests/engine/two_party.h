#pragma once
// Test helper: both parties of an engine session over loopback TCP in one process, the
// server on the calling thread and the client on a second one.

#include <gtest/gtest.h>

#include <cstdint>
#include <future>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "snnipred/crypto/ot/prg.h"
#include "snnipred/engine/millionaire.h"
#include "snnipred/engine/ot_session.h"
#include "snnipred/net/channel.h"
#include "support/loopback.h"

namespace snnipred::engine::testing {

class TwoParties {
public:
    /// Runs `protocol(session)` for both parties; returns {server result, client result}
    /// and records what crossed the wire during the call.
    template <typename Protocol>
    auto run(Protocol&& protocol) {
        const net::CommStats server_before = links_.first.stats();
        const net::CommStats client_before = links_.second.stats();
        auto client = std::async(std::launch::async, [&] { return protocol(client_); });
        auto server_result = protocol(server_);
        auto client_result = client.get();
        const net::CommStats server_cost = links_.first.stats() - server_before;
        const net::CommStats client_cost = links_.second.stats() - client_before;
        last_bytes_ = server_cost.bytes_sent + client_cost.bytes_sent;
        last_messages_ = server_cost.rounds + client_cost.rounds;
        return std::pair{std::move(server_result), std::move(client_result)};
    }

    explicit TwoParties(const RingConfig& ring = {}, protocol::OtExtension ot = protocol::OtExtension::kIknp)
        : links_(connect()),
          server_(Party::kServer, links_.first, server_prg_, ring, 1, ot),
          client_(Party::kClient, links_.second, client_prg_, ring, 1, ot) {
        run([](OtSession& session) {
            session.setup();
            return 0;
        });
    }

    /// Makes each direction's Ferret extension refill its buffer (the ANDs' triples take
    /// more random OTs each way than setup leaves), so that a measured batch of up to a few
    /// million COTs pays no refill. With IKNP it is just a batch of ANDs.
    void refill_silent_ot() {
        const std::vector<std::uint8_t> zeros(50'000, 0);
        run([&](OtSession& s) { return and_bits(s, zeros, zeros); });
    }

    /// Bytes both parties sent in the last run().
    std::uint64_t last_bytes() const { return last_bytes_; }
    /// Flights in the last run(): each time a party started sending after receiving.
    std::uint64_t last_flights() const { return last_messages_; }
    const RingConfig& ring() const { return server_.ring(); }

private:
    static std::pair<net::Channel, net::Channel> connect() {
        return test_support::connect_loopback(std::chrono::milliseconds(20'000));
    }

    std::pair<net::Channel, net::Channel> links_;  // server end, client end
    crypto::ot::Prg server_prg_{crypto::ot::Block{1, 2}};
    crypto::ot::Prg client_prg_{crypto::ot::Block{3, 4}};
    OtSession server_;
    OtSession client_;
    std::uint64_t last_bytes_ = 0;
    std::uint64_t last_messages_ = 0;
};

/// Additive shares {server, client} of ring values, the client share drawn from `rng`.
inline std::pair<std::vector<std::uint64_t>, std::vector<std::uint64_t>> split(const std::vector<std::uint64_t>& values,
                                                                               const RingConfig& ring,
                                                                               std::mt19937_64& rng) {
    std::vector<std::uint64_t> server(values.size()), client(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        client[i] = ring.reduce(rng());
        server[i] = ring.reduce(values[i] - client[i]);
    }
    return {server, client};
}

inline std::vector<std::uint64_t> join(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b,
                                       const RingConfig& ring) {
    std::vector<std::uint64_t> out(a.size());
    for (std::size_t i = 0; i < a.size(); ++i) out[i] = ring.reduce(a[i] + b[i]);
    return out;
}

/// Signed values of `bits` bits (2 ≤ bits ≤ ring.bits) as ring elements, the edge cases
/// first: 0, ±1, the largest positive and the most negative value, then `random` uniform
/// ones.
inline std::vector<std::uint64_t> edge_and_random(const RingConfig& ring, int bits, std::size_t random,
                                                  std::mt19937_64& rng) {
    const std::int64_t top = (std::int64_t{1} << (bits - 1)) - 1;
    std::vector<std::uint64_t> values;
    for (const std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, top, -top - 1, top - 1, -top})
        values.push_back(ring.from_signed(v));
    const int unused = 64 - bits;
    for (std::size_t i = 0; i < random; ++i)  // the top `bits` bits of a draw, sign-extended
        values.push_back(ring.from_signed(static_cast<std::int64_t>(rng() >> unused << unused) >> unused));
    return values;
}

/// The same over the whole ring.
inline std::vector<std::uint64_t> edge_and_random(const RingConfig& ring, std::size_t random, std::mt19937_64& rng) {
    return edge_and_random(ring, ring.bits, random, rng);
}

/// The OT extensions as test parameters, named iknp and ferret.
inline auto both_extensions() {
    return ::testing::Values(protocol::OtExtension::kIknp, protocol::OtExtension::kFerret);
}
inline std::string extension_name(const ::testing::TestParamInfo<protocol::OtExtension>& info) {
    return std::string(protocol::ot_extension_name(info.param));
}

}  // namespace snnipred::engine::testing
