#include "snnipred/engine/nonlinear.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "two_party.h"

namespace snnipred::engine {
namespace {

class Nonlinear : public ::testing::TestWithParam<protocol::OtExtension> {
protected:
    // Values whose sign DReLU reads (protocol::sign_bits), with their edges.
    std::vector<std::uint64_t> inputs(std::size_t random) {
        return testing::edge_and_random(ring(), sign_bits(), random, rng_);
    }
    int sign_bits() const { return protocol::sign_bits(ring(), protocol::nonlinear_protocols(GetParam())); }
    const RingConfig& ring() const { return parties_.ring(); }

    // Runs `protocol(session, own share)` on shares of `values`; returns the reconstruction.
    template <typename Protocol>
    std::vector<std::uint64_t> secure(const std::vector<std::uint64_t>& values, Protocol protocol) {
        const auto [server, client] = testing::split(values, ring(), rng_);
        const auto [out0, out1] =
            parties_.run([&](OtSession& s) { return protocol(s, s.is_server() ? server : client); });
        return testing::join(out0, out1, ring());
    }

    testing::TwoParties parties_{RingConfig{}, GetParam()};
    std::mt19937_64 rng_{7};
};

TEST_P(Nonlinear, DreluIsSignOfTheSharedValue) {
    const auto values = inputs(2000);
    const auto [server, client] = testing::split(values, ring(), rng_);
    const auto [b0, b1] = parties_.run([&](OtSession& s) { return drelu(s, s.is_server() ? server : client); });
    for (std::size_t i = 0; i < values.size(); ++i)
        ASSERT_EQ(b0[i] ^ b1[i], ring().to_signed(values[i]) >= 0 ? 1 : 0) << ring().to_signed(values[i]);
}

TEST_P(Nonlinear, MultiplexerSelectsSharedValue) {
    const auto values = inputs(1000);
    const auto [server, client] = testing::split(values, ring(), rng_);
    std::vector<std::uint8_t> b0(values.size()), b1(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) b0[i] = rng_() & 1, b1[i] = rng_() & 1;
    const auto [y0, y1] =
        parties_.run([&](OtSession& s) { return s.is_server() ? multiplex(s, b0, server) : multiplex(s, b1, client); });
    const auto y = testing::join(y0, y1, ring());
    for (std::size_t i = 0; i < values.size(); ++i) ASSERT_EQ(y[i], (b0[i] ^ b1[i]) ? values[i] : 0) << i;
}

TEST_P(Nonlinear, ReluMatchesPlaintext) {
    const auto values = inputs(5000);
    const auto y = secure(values, [](OtSession& s, const ShareVector& x) { return relu(s, x); });
    for (std::size_t i = 0; i < values.size(); ++i)
        ASSERT_EQ(y[i], ring().to_signed(values[i]) > 0 ? values[i] : 0) << ring().to_signed(values[i]);
}

TEST_P(Nonlinear, Relu6MatchesPlaintext) {
    auto values = inputs(3000);
    const std::int64_t six = std::int64_t{6} << ring().scale;
    for (const std::int64_t v : {six - 1, six, six + 1, std::int64_t{3} << ring().scale, -six})
        values.push_back(ring().from_signed(v));
    for (int i = 0; i < 2000; ++i)  // the interesting region, 8 units wide around [0, 6]
        values.push_back(ring().from_signed(static_cast<std::int64_t>(rng_() % (16 << ring().scale)) - six));
    const auto y = secure(values, [](OtSession& s, const ShareVector& x) { return relu6(s, x); });
    for (std::size_t i = 0; i < values.size(); ++i) {
        const std::int64_t v = ring().to_signed(values[i]);
        ASSERT_EQ(ring().to_signed(y[i]), std::clamp<std::int64_t>(v, 0, six)) << v;
    }
}

// Plaintext twin: the maximum over each window clipped to the input.
std::vector<std::uint64_t> plain_max_pool(const std::vector<std::uint64_t>& x, const PoolShape& p,
                                          const RingConfig& ring) {
    std::vector<std::uint64_t> out;
    for (int c = 0; c < p.channels; ++c)
        for (int oy = 0; oy < p.out_height(); ++oy)
            for (int ox = 0; ox < p.out_width(); ++ox) {
                std::int64_t best = INT64_MIN;
                for (int ky = 0; ky < p.kernel; ++ky)
                    for (int kx = 0; kx < p.kernel; ++kx) {
                        const int y = oy * p.stride - p.padding + ky, xx = ox * p.stride - p.padding + kx;
                        if (y < 0 || y >= p.height || xx < 0 || xx >= p.width) continue;
                        best = std::max(best, ring.to_signed(x[(c * p.height + y) * p.width + xx]));
                    }
                out.push_back(ring.from_signed(best));
            }
    return out;
}

TEST_P(Nonlinear, MaxPoolKernel3Stride2MatchesPlaintext) {
    for (const int padding : {0, 1}) {
        const PoolShape shape{.channels = 3, .height = 9, .width = 8, .kernel = 3, .stride = 2, .padding = padding};
        // Within the documented range [−2^{b−2}, 2^{b−2}), b the sign bits, including its ends.
        const std::int64_t quarter = std::int64_t{1} << (sign_bits() - 2);
        std::vector<std::uint64_t> values(static_cast<std::size_t>(shape.channels * shape.height * shape.width));
        for (auto& v : values) v = ring().from_signed(static_cast<std::int64_t>(rng_() % (1 << 20)) - (1 << 19));
        values[0] = ring().from_signed(quarter - 1);
        values[1] = ring().from_signed(-quarter);
        values[9] = 0;
        for (std::size_t i = 72; i < 144; ++i) values[i] = ring().from_signed(-quarter + static_cast<std::int64_t>(i));
        const auto y = secure(values, [&](OtSession& s, const ShareVector& x) { return max_pool(s, x, shape); });
        EXPECT_EQ(y, plain_max_pool(values, shape, ring())) << "padding " << padding;
        std::printf("[ max pool ] %s, 3x3 stride 2 padding %d: %.1f bytes per output, %llu flights\n",
                    std::string(protocol::ot_extension_name(GetParam())).c_str(), padding,
                    static_cast<double>(parties_.last_bytes()) / static_cast<double>(y.size()),
                    static_cast<unsigned long long>(parties_.last_flights()));
    }
}

TEST_P(Nonlinear, MaxPoolRejectsWrongSize) {
    const PoolShape shape{.channels = 1, .height = 4, .width = 4, .kernel = 3, .stride = 2};
    const ShareVector x(15);
    EXPECT_THROW(parties_.run([&](OtSession& s) { return max_pool(s, x, shape); }), InvalidInput);
}

TEST_P(Nonlinear, CommunicationPerRelu) {
    constexpr std::size_t n = 8192;
    std::vector<std::uint64_t> values(n);
    for (auto& v : values) v = ring().reduce(rng_());
    const auto [server, client] = testing::split(values, ring(), rng_);
    parties_.refill_silent_ot();  // Ferret: the batch below pays no refill
    parties_.run([&](OtSession& s) { return relu(s, s.is_server() ? server : client); });
    const double per = static_cast<double>(parties_.last_bytes()) / n;
    std::printf("[ relu ] %s, l=%d: %.2f bytes (%.0f bits) per ReLU, %llu flights per batch\n",
                std::string(protocol::ot_extension_name(GetParam())).c_str(), ring().bits, per, 8 * per,
                static_cast<unsigned long long>(parties_.last_flights()));
    EXPECT_LT(per, 1200.0);
    // Lean: the 29-bit comparison (millionaire_test.cpp: 27.375 bytes beside its COTs) and
    // the multiplexer, 41 bits and one flip bit from each party.
    if (GetParam() == protocol::OtExtension::kFerret) EXPECT_DOUBLE_EQ(per, 27.375 + 2 * 42 / 8.0);
    parties_.run([&](OtSession& s) { return relu6(s, s.is_server() ? server : client); });
    std::printf("[ relu6 ] %s, l=%d: %.2f bytes per ReLU6, %llu flights per batch\n",
                std::string(protocol::ot_extension_name(GetParam())).c_str(), ring().bits,
                static_cast<double>(parties_.last_bytes()) / n,
                static_cast<unsigned long long>(parties_.last_flights()));
}

INSTANTIATE_TEST_SUITE_P(Extensions, Nonlinear, testing::both_extensions(), testing::extension_name);

}  // namespace
}  // namespace snnipred::engine
