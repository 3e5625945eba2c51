#include "snnipred/crypto/he/response_wire.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/decryptor.h"
#include "snnipred/crypto/he/encryptor.h"
#include "snnipred/crypto/he/evaluator.h"
#include "snnipred/crypto/he/keys.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/crypto/he/response.h"

namespace snnipred::crypto::he {
namespace {

using Client = testing::Party;

// A response at the first prime whose noise is the switched bound itself in every
// coefficient (with alternating signs): the worst case the rounding must survive.
Ciphertext worst_case_response(Client& c, const Plaintext& m, double switched_log2) {
    Ciphertext ct = c.encryptor.encrypt(m, c.prng);
    c.evaluator.mod_switch_to(ct, 1);
    const Modulus& q0 = c.ctx->moduli()[0];
    const auto injected = static_cast<std::uint64_t>(std::exp2(switched_log2));
    for (std::size_t j = 0; j < c.ctx->n(); ++j) {
        std::uint64_t& x = ct.mutable_c0().row(0)[j];
        x = j % 2 == 1 ? q0.sub(x, injected) : q0.add(x, injected);
    }
    return ct;
}

ReadPositions every_other(std::size_t count, std::size_t n) {
    ReadPositions positions(count);
    for (auto& list : positions) {
        for (std::size_t j = 0; j < n; j += 2) list.push_back(static_cast<std::uint32_t>(j));
    }
    return positions;
}

void expect_rounding_within_bound(const std::shared_ptr<const HeContext>& ctx, double full_noise_log2,
                                  std::uint8_t tag) {
    Client c(ctx, tag);
    const double switched = switched_noise_bound_log2(*ctx, full_noise_log2);
    const ResponseRounding rounding = response_rounding(*ctx, switched, 0);
    const ResponseCodec codec(ctx, rounding);
    std::printf("[ N=%zu ] switched noise bound 2^%.2f: drop %d bits of c0 (%d sent), %d of c1 (%d sent)\n", ctx->n(),
                switched, rounding.c0_drop_bits, codec.c0_bits(), rounding.c1_drop_bits, codec.c1_bits());
    EXPECT_GT(rounding.c0_drop_bits, 0);
    EXPECT_GT(rounding.c1_drop_bits, 0);
    // The extra error is inside the margin the choice promises.
    const double margin = static_cast<double>(ctx->moduli()[0].value()) / std::exp2(ctx->plain_bits() + 1) - 1;
    EXPECT_LE(std::exp2(switched) + std::exp2(rounding.c0_drop_bits - 1) +
                  std::exp2(c1_rounding_bound_log2(ctx->n(), rounding.c1_drop_bits)),
              margin);

    std::vector<Plaintext> messages;
    std::vector<Ciphertext> responses;
    for (int k = 0; k < 3; ++k) {
        messages.push_back(testing::random_plaintext(*ctx, c.prng));
        responses.push_back(worst_case_response(c, messages.back(), switched));
    }
    ReadPositions all(responses.size());
    for (auto& list : all) {
        for (std::size_t j = 0; j < ctx->n(); ++j) list.push_back(static_cast<std::uint32_t>(j));
    }
    const std::vector<std::byte> bytes = codec.encode(responses, all);
    ASSERT_EQ(bytes.size(), codec.size(responses.size(), responses.size() * ctx->n()));
    const std::vector<Ciphertext> received = codec.decode(bytes, all);
    for (std::size_t k = 0; k < responses.size(); ++k) {
        EXPECT_EQ(c.decryptor.decrypt(received[k]), messages[k]) << "response " << k;
        const double before = c.decryptor.noise(responses[k]).noise_bits;
        const double after = c.decryptor.noise(received[k]).noise_bits;
        std::printf("[ N=%zu ] injected worst case: noise 2^%.2f before rounding, 2^%.2f after\n", ctx->n(), before,
                    after);
        EXPECT_LE(std::exp2(after), std::exp2(before) + std::exp2(rounding.c0_drop_bits - 1) +
                                        std::exp2(c1_rounding_bound_log2(ctx->n(), rounding.c1_drop_bits)));
    }
}

TEST(ResponseRounding, WorstCaseNoiseStillDecryptsAtN4096) {
    const auto ctx = testing::cheetah_context();
    expect_rounding_within_bound(ctx, rerandomized_noise_bound_log2(*ctx), 60);
}

TEST(ResponseRounding, WorstCaseNoiseStillDecryptsAtN8192WithFlooding) {
    expect_rounding_within_bound(testing::n8192_context(), flooded_noise_bound_log2(*testing::n8192_context()), 61);
}

TEST(ResponseRounding, RefusesParametersWithoutMargin) {
    const auto ctx = testing::cheetah_context();
    EXPECT_THROW(response_rounding(*ctx, 18.0, 0), ConfigError);
    EXPECT_THROW(ResponseCodec(ctx, ResponseRounding{.c0_drop_bits = 60, .c1_drop_bits = 0}), ConfigError);
}

// Responses that may be wrong in their low k bits (approximate truncation discards them):
// the margin grows 2^k-fold, both drops grow by k bits, and a response whose switched noise
// is the whole room left for the inputs, rounded, decrypts within 2^(k-1) of its message.
TEST(ResponseRounding, ResponsesWrongInTheirLowBitsDecryptWithinThem) {
    const auto ctx = testing::cheetah_context();
    const int k = 12;
    const double sized_for = switched_noise_bound_log2(*ctx, rerandomized_noise_bound_log2(*ctx));
    const ResponseRounding exact = response_rounding(*ctx, sized_for, 0);
    const ResponseRounding rounding = response_rounding(*ctx, sized_for, k);
    EXPECT_DOUBLE_EQ(decryption_margin(*ctx, k) + 1, (decryption_margin(*ctx, 0) + 1) * std::exp2(k));
    EXPECT_EQ(rounding.c0_drop_bits, exact.c0_drop_bits + k);
    EXPECT_EQ(rounding.c1_drop_bits, exact.c1_drop_bits + k);
    const double room = switched_noise_room_log2(*ctx, rounding, k);
    EXPECT_NEAR(room, switched_noise_room_log2(*ctx, exact, 0) + k, 0.1);
    EXPECT_THROW(decryption_margin(*ctx, ctx->plain_bits()), ConfigError);

    Client c(ctx, 63);
    const ResponseCodec codec(ctx, rounding);
    const Plaintext m = testing::random_plaintext(*ctx, c.prng);
    const Ciphertext ct = worst_case_response(c, m, std::log2(std::exp2(room) - 64));
    ReadPositions all(1);
    for (std::size_t j = 0; j < ctx->n(); ++j) all[0].push_back(static_cast<std::uint32_t>(j));
    const Plaintext got = c.decryptor.decrypt(codec.decode(codec.encode(std::span(&ct, 1), all), all)[0]);
    const std::uint64_t t = std::uint64_t{1} << ctx->plain_bits();
    std::int64_t worst = 0;
    for (std::size_t j = 0; j < ctx->n(); ++j) {
        const std::uint64_t d = (got.coeffs[j] - m.coeffs[j]) & (t - 1);
        worst = std::max(worst, std::abs(d >= t / 2 ? static_cast<std::int64_t>(d) - static_cast<std::int64_t>(t)
                                                    : static_cast<std::int64_t>(d)));
    }
    std::printf("[ N=4096 ] wrong in %d low bits: drops %d / %d, room 2^%.2f, worst error %lld\n", k,
                rounding.c0_drop_bits, rounding.c1_drop_bits, room, static_cast<long long>(worst));
    EXPECT_LE(worst, std::int64_t{1} << (k - 1));
    EXPECT_GT(worst, std::int64_t{1} << (k - 3));  // the injected noise did shift the values
}

TEST(ResponseCodec, SendsOnlyTheReadCoefficientsOfC0) {
    const auto ctx = testing::cheetah_context();
    Client c(ctx, 62);
    const double switched = switched_noise_bound_log2(*ctx, rerandomized_noise_bound_log2(*ctx));
    const ResponseCodec codec(ctx, response_rounding(*ctx, switched, 0));
    std::vector<Plaintext> messages;
    std::vector<Ciphertext> responses;
    for (int k = 0; k < 2; ++k) {
        messages.push_back(testing::random_plaintext(*ctx, c.prng));
        responses.push_back(c.encryptor.encrypt(messages.back(), c.prng));
        c.evaluator.mod_switch_to(responses.back(), 1);
    }
    const ReadPositions positions = every_other(responses.size(), ctx->n());
    const std::vector<std::byte> bytes = codec.encode(responses, positions);
    const std::size_t reads = responses.size() * ctx->n() / 2;
    EXPECT_EQ(bytes.size(), 17 + responses.size() * ctx->n() * codec.c1_bits() / 8 + (reads * codec.c0_bits() + 7) / 8);
    const std::vector<Ciphertext> received = codec.decode(bytes, positions);
    for (std::size_t k = 0; k < responses.size(); ++k) {
        const Plaintext m = c.decryptor.decrypt(received[k]);
        for (const std::uint32_t j : positions[k]) ASSERT_EQ(m.coeffs[j], messages[k].coeffs[j]) << "coefficient " << j;
    }
}

// Residues near q0 round up to 2^bits(q0), which wraps to 0 = q0: still within half a step.
TEST(ResponseCodec, RoundingErrorStaysWithinHalfAStepAtTheEdges) {
    const auto ctx = testing::cheetah_context();
    const ResponseRounding rounding{.c0_drop_bits = 17, .c1_drop_bits = 9};
    const ResponseCodec codec(ctx, rounding);
    const std::uint64_t q0 = ctx->moduli()[0].value();
    const std::vector<std::uint64_t> edges{0, 1, (1u << 16) - 1, 1u << 16, q0 - (1u << 16), q0 - (1u << 8), q0 - 1,
                                           q0 / 2, q0 / 2 + 1};
    Ciphertext ct(RnsPoly(ctx->n(), 1), RnsPoly(ctx->n(), 1), false);
    ReadPositions positions(1);
    for (std::size_t j = 0; j < edges.size(); ++j) {
        ct.mutable_c0().row(0)[j] = ct.mutable_c1().row(0)[j] = edges[j];
        positions[0].push_back(static_cast<std::uint32_t>(j));
    }
    const Ciphertext back = codec.decode(codec.encode(std::span(&ct, 1), positions), positions)[0];
    // Centered distance in Z_q0.
    const auto distance = [q0](std::uint64_t a, std::uint64_t b) {
        const std::uint64_t d = a >= b ? a - b : b - a;
        return std::min(d, q0 - d);
    };
    for (std::size_t j = 0; j < edges.size(); ++j) {
        EXPECT_LE(distance(back.c0().row(0)[j], edges[j]), std::uint64_t{1} << 16) << edges[j];
        EXPECT_LE(distance(back.c1().row(0)[j], edges[j]), std::uint64_t{1} << 8) << edges[j];
        EXPECT_LT(back.c0().row(0)[j], q0);
        EXPECT_LT(back.c1().row(0)[j], q0);
    }
}

TEST(ResponseCodec, RejectsMessagesThatDoNotFitTheLayer) {
    const auto ctx = testing::cheetah_context();
    Client c(ctx, 63);
    const ResponseCodec codec(ctx, ResponseRounding{.c0_drop_bits = 17, .c1_drop_bits = 9});
    Ciphertext ct = c.encryptor.encrypt(testing::random_plaintext(*ctx, c.prng), c.prng);
    c.evaluator.mod_switch_to(ct, 1);
    // Three reads of 43 bits: the stream ends in 7 padding bits.
    ASSERT_EQ(codec.c0_bits(), 43);
    const ReadPositions positions{{0, 5, 4095}};
    const std::vector<std::byte> good = codec.encode(std::span(&ct, 1), positions);
    ASSERT_NO_THROW(codec.decode(good, positions));

    std::vector<std::byte> shorter(good.begin(), good.end() - 1);
    EXPECT_THROW(codec.decode(shorter, positions), InvalidInput);
    std::vector<std::byte> longer = good;
    longer.push_back(std::byte{0});
    EXPECT_THROW(codec.decode(longer, positions), InvalidInput);
    EXPECT_THROW(codec.decode(good, every_other(2, ctx->n())), InvalidInput);
    std::vector<std::byte> magic = good;
    magic[0] = std::byte{'X'};
    EXPECT_THROW(codec.decode(magic, positions), InvalidInput);
    std::vector<std::byte> padding = good;
    padding.back() |= std::byte{0x80};
    EXPECT_THROW(codec.decode(padding, positions), InvalidInput);
    ReadPositions outside = positions;
    outside[0].back() = static_cast<std::uint32_t>(ctx->n());
    EXPECT_THROW(codec.encode(std::span(&ct, 1), outside), InvalidInput);
}

}  // namespace
}  // namespace snnipred::crypto::he
