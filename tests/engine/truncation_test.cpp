#include "snnipred/engine/truncation.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "snnipred/engine/fixed_point.h"
#include "two_party.h"

namespace snnipred::engine {
namespace {

class Truncation : public ::testing::TestWithParam<protocol::OtExtension> {
protected:
    const RingConfig& ring() const { return parties_.ring(); }
    testing::TwoParties parties_{RingConfig{}, GetParam()};
    std::mt19937_64 rng_{11};
};

TEST_P(Truncation, BitsToRingConvertsXorShares) {
    constexpr std::size_t n = 1000;
    std::vector<std::uint8_t> b0(n), b1(n);
    for (std::size_t i = 0; i < n; ++i) b0[i] = rng_() & 1, b1[i] = rng_() & 1;
    const auto [y0, y1] = parties_.run([&](OtSession& s) { return bits_to_ring(s, s.is_server() ? b0 : b1); });
    const auto y = testing::join(y0, y1, ring());
    for (std::size_t i = 0; i < n; ++i) ASSERT_EQ(y[i], static_cast<std::uint64_t>(b0[i] ^ b1[i])) << i;
}

TEST_P(Truncation, FaithfulIsExactOnTheWholeRing) {
    const auto values = testing::edge_and_random(ring(), 4000, rng_);
    const auto [server, client] = testing::split(values, ring(), rng_);
    for (const int shift : {1, ring().scale, 2 * ring().scale, ring().bits - 3}) {
        const auto [y0, y1] = parties_.run([&](OtSession& s) {
            return truncate_shares(s, s.is_server() ? server : client, shift, TruncationMode::kFaithful);
        });
        const auto y = testing::join(y0, y1, ring());
        for (std::size_t i = 0; i < values.size(); ++i) {
            const std::int64_t v = ring().to_signed(values[i]);
            const std::int64_t floor_div = v >= 0 ? v >> shift : -((-v + (std::int64_t{1} << shift) - 1) >> shift);
            ASSERT_EQ(ring().to_signed(y[i]), floor_div) << "shift " << shift << " value " << v;
            ASSERT_EQ(y[i], truncate(values[i], shift, ring())) << "shift " << shift << " value " << v;
        }
    }
}

TEST_P(Truncation, ApproximateDropsOnlyTheLowCarry) {
    // Cheetah's variant needs x in [-2^{l-2}, 2^{l-2}): its ends, 0, ±1 and uniform values.
    const std::int64_t quarter = std::int64_t{1} << (ring().bits - 2);
    std::vector<std::uint64_t> values;
    for (const std::int64_t v : {std::int64_t{0}, std::int64_t{1}, std::int64_t{-1}, quarter - 1, -quarter})
        values.push_back(ring().from_signed(v));
    for (int i = 0; i < 4000; ++i)
        values.push_back(ring().from_signed(static_cast<std::int64_t>(rng_() % (2 * quarter)) - quarter));
    const auto [server, client] = testing::split(values, ring(), rng_);
    const int shift = ring().scale;
    const auto [y0, y1] = parties_.run([&](OtSession& s) {
        return truncate_shares(s, s.is_server() ? server : client, shift, TruncationMode::kApproximate);
    });
    const auto y = testing::join(y0, y1, ring());
    std::size_t off_by_one = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::uint64_t faithful = truncate(values[i], shift, ring());
        ASSERT_TRUE(within_ulps(y[i], faithful, kTruncationUlpError, ring())) << ring().to_signed(values[i]);
        // The error is exactly the documented one: the carry out of the shares' low bits.
        ASSERT_EQ(y[i], truncate_dropping_carry(server[i], client[i], shift, ring())) << i;
        off_by_one += y[i] != faithful;
    }
    // Uniform shares carry about half the time.
    EXPECT_GT(off_by_one, values.size() / 4);
    EXPECT_LT(off_by_one, 3 * values.size() / 4);
}

TEST_P(Truncation, RejectsShiftOutsideTheRing) {
    const ShareVector x(4);
    EXPECT_THROW(parties_.run([&](OtSession& s) { return truncate_shares(s, x, 0); }), ConfigError);
    EXPECT_THROW(parties_.run([&](OtSession& s) { return truncate_shares(s, x, ring().bits - 2); }), ConfigError);
}

TEST_P(Truncation, CommunicationPerTruncation) {
    constexpr std::size_t n = 8192;
    std::vector<std::uint64_t> values(n);
    for (auto& v : values) v = ring().reduce(rng_());
    const auto [server, client] = testing::split(values, ring(), rng_);
    parties_.refill_silent_ot();  // Ferret: the batches below pay no refill
    for (const auto mode : {TruncationMode::kFaithful, TruncationMode::kApproximate}) {
        parties_.run(
            [&](OtSession& s) { return truncate_shares(s, s.is_server() ? server : client, ring().scale, mode); });
        std::printf("[ truncation ] %s, %s, l=%d s=%d: %.2f bytes per element, %llu flights per batch\n",
                    std::string(protocol::ot_extension_name(GetParam())).c_str(),
                    mode == TruncationMode::kFaithful ? "faithful" : "approximate", ring().bits, ring().scale,
                    static_cast<double>(parties_.last_bytes()) / n,
                    static_cast<unsigned long long>(parties_.last_flights()));
        // Lean approximate: the wrap's correlated OT over s bits, and its flip bit.
        if (GetParam() == protocol::OtExtension::kFerret && mode == TruncationMode::kApproximate)
            EXPECT_DOUBLE_EQ(static_cast<double>(parties_.last_bytes()) / n, (ring().scale + 1) / 8.0);
    }
}

INSTANTIATE_TEST_SUITE_P(Extensions, Truncation, testing::both_extensions(), testing::extension_name);

}  // namespace
}  // namespace snnipred::engine
