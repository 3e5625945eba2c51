#include "snnipred/crypto/he/input_wire.h"

#include <cmath>
#include <cstdio>

#include <gtest/gtest.h>

#include "he_test_util.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/he/noise_bound.h"
#include "snnipred/crypto/he/response.h"
#include "snnipred/crypto/he/response_wire.h"
#include "snnipred/crypto/he/rns_poly.h"
#include "../../../src/crypto/he/sampling.h"

namespace snnipred::crypto::he {
namespace {

using Client = testing::Party;

// Encrypts, sends with `drop` bits rounded off c0, and checks what arrives: the same seed
// and c1, the same message, and a noise at most the fresh bound plus half a step.
void expect_round_trip(const std::shared_ptr<const HeContext>& ctx, int drop, std::uint8_t tag) {
    Client c(ctx, tag);
    const InputCodec codec(ctx, drop);
    std::vector<Plaintext> messages;
    std::vector<Ciphertext> inputs;
    for (int k = 0; k < 3; ++k) {
        messages.push_back(testing::random_plaintext(*ctx, c.prng));
        inputs.push_back(c.encryptor.encrypt(messages.back(), c.prng));
    }
    const std::vector<std::byte> bytes = codec.encode(inputs);
    int modulus_bits = 0;
    for (const Modulus& q : ctx->moduli()) modulus_bits += q.bits();
    ASSERT_EQ(bytes.size(), 14 + inputs.size() * (32 + ctx->n() * static_cast<std::size_t>(modulus_bits - drop) / 8));
    ASSERT_EQ(bytes.size(), codec.size(inputs.size()));
    const std::vector<Ciphertext> received = codec.decode(bytes, inputs.size());
    const std::vector<Ciphertext> by_two = codec.decode(bytes, inputs.size(), 2);
    const double bound = std::log2(kErrorBound + 0.5 + (drop == 0 ? 0 : std::exp2(drop - 1)));
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        EXPECT_EQ(received[k].c1(), inputs[k].c1());
        EXPECT_EQ(by_two[k].c0(), received[k].c0());
        EXPECT_EQ(received[k].seed(), inputs[k].seed());
        EXPECT_TRUE(received[k].ntt_form());
        EXPECT_EQ(c.decryptor.decrypt(received[k]), messages[k]) << "drop " << drop << ", input " << k;
        const double noise = c.decryptor.noise(received[k]).noise_bits;
        EXPECT_LE(noise, bound) << "drop " << drop;
        if (drop == 0) EXPECT_EQ(received[k].c0(), inputs[k].c0());
        // Rounding by 2^d moves the noise by up to 2^(d-1): far beyond the fresh 21 for large d.
        if (drop >= 12) EXPECT_GT(noise, drop - 3.0) << "drop " << drop;
    }
}

TEST(InputCodec, RoundedInputsDecryptWithinHalfAStepMoreNoise) {
    for (const int drop : {0, 1, 9, 13, 30, 60}) expect_round_trip(testing::cheetah_context(), drop, 70);
}

// Four primes, a modulus of four words: the composition and the residues across words.
TEST(InputCodec, RoundsAcrossTheWordsOfAWideModulus) {
    for (const int drop : {0, 9, 70, 150}) expect_round_trip(testing::n8192_context(), drop, 71);
}

// Past the decryption budget (log2 Q - 42 at t = 2^41) a rounded c0 no longer decrypts:
// the test above would notice a rounding that ignored the drop.
TEST(InputCodec, DroppingMoreThanTheBudgetLosesTheMessage) {
    const auto ctx = testing::cheetah_context();
    Client c(ctx, 72);
    const InputCodec codec(ctx, 70);
    const Plaintext m = testing::random_plaintext(*ctx, c.prng);
    const Ciphertext input = c.encryptor.encrypt(m, c.prng);
    EXPECT_NE(c.decryptor.decrypt(codec.decode(codec.encode(std::span(&input, 1)), 1)[0]), m);
}

// Values near Q round up to Q / 2^d, which is sent as 0 (= Q): still within half a step.
TEST(InputCodec, RoundingErrorStaysWithinHalfAStepAtTheEdgesOfQ) {
    const auto ctx = testing::cheetah_context();
    const Modulus& q0 = ctx->moduli()[0];
    const Modulus& q1 = ctx->moduli()[1];
    const u128 q = static_cast<u128>(q0.value()) * q1.value();
    const int drop = 9;
    const u128 half = u128{1} << (drop - 1);
    const std::vector<u128> edges{0, 1, half - 1, half, half + 1, q / 2, q / 2 + 1, q - half - 1, q - half, q - 1};
    RnsPoly c0(ctx->n(), 2);
    for (std::size_t j = 0; j < edges.size(); ++j) {
        c0.row(0)[j] = q0.reduce128(edges[j]);
        c0.row(1)[j] = q1.reduce128(edges[j]);
    }
    forward_ntt(c0, ctx->tables());
    Seed seed{};
    Prng expander(seed);
    const Ciphertext ct(c0, detail::sample_uniform(expander, ctx->n(), ctx->moduli()), true, seed);
    const InputCodec codec(ctx, drop);
    RnsPoly back = codec.decode(codec.encode(std::span(&ct, 1)), 1)[0].c0();
    inverse_ntt(back, ctx->tables());
    for (std::size_t j = 0; j < edges.size(); ++j) {
        // The value back, from its residues: k0 + q0 * ((r1 - k0) / q0 mod q1).
        const std::uint64_t r0 = back.row(0)[j];
        const std::uint64_t k1 = q1.mul(q1.sub(back.row(1)[j], q1.reduce(r0)), q1.inverse(q1.reduce(q0.value())));
        const u128 value = static_cast<u128>(k1) * q0.value() + r0;
        const u128 distance = value >= edges[j] ? value - edges[j] : edges[j] - value;
        EXPECT_LE(std::min(distance, q - distance), half) << "edge " << j;
    }
}

TEST(InputCodec, RejectsMessagesThatAreNotRoundedInputs) {
    const auto ctx = testing::cheetah_context();
    Client c(ctx, 73);
    const InputCodec codec(ctx, 9);
    const Ciphertext input = c.encryptor.encrypt(testing::random_plaintext(*ctx, c.prng), c.prng);
    std::vector<std::byte> bytes = codec.encode(std::span(&input, 1));
    EXPECT_THROW(codec.decode(bytes, 2), InvalidInput);                     // count
    EXPECT_THROW(InputCodec(ctx, 10).decode(bytes, 1), InvalidInput);       // another drop, other size
    std::vector<std::byte> shorter(bytes.begin(), bytes.end() - 1);
    EXPECT_THROW(codec.decode(shorter, 1), InvalidInput);
    std::vector<std::byte> bad_magic = bytes;
    bad_magic[0] = std::byte{'X'};
    EXPECT_THROW(codec.decode(bad_magic, 1), InvalidInput);
    // The first coefficient all ones: 2^100 - 1 is at least Q / 2^9.
    std::vector<std::byte> too_large = bytes;
    for (std::size_t i = 14 + 32; i < 14 + 32 + 12; ++i) too_large[i] = std::byte{0xff};
    too_large[14 + 32 + 12] |= std::byte{0x0f};
    EXPECT_THROW(codec.decode(too_large, 1), InvalidInput);
    std::vector<std::byte> two = codec.encode(std::vector<Ciphertext>{input, input});
    for (std::size_t i = 14 + (two.size() - 14) / 2 + 32; i < 14 + (two.size() - 14) / 2 + 32 + 13; ++i)
        two[i] = std::byte{0xff};
    EXPECT_THROW(codec.decode(two, 2, 2), InvalidInput);  // the second input, on a worker
    // Not a fresh seeded ciphertext.
    Ciphertext switched = input;
    c.evaluator.mod_switch_to(switched, 1);
    EXPECT_THROW(codec.encode(std::span(&switched, 1)), InvalidInput);
    EXPECT_THROW(InputCodec(ctx, -1), ConfigError);
    EXPECT_THROW(InputCodec(ctx, 108), ConfigError);
}

// What the unflooded set's responses leave for the inputs: a switched noise up to the room
// still decrypts after the responses' rounding, and the room is what the engine's input
// noise room is computed from.
TEST(InputCodec, TheResponsesRoomHoldsTheRoundedInputsAtTheLargestFanIn) {
    const auto ctx = testing::cheetah_context();
    const double sized_for = switched_noise_bound_log2(*ctx, rerandomized_noise_bound_log2(*ctx));
    const ResponseRounding rounding = response_rounding(*ctx, sized_for, 0);
    const double room = switched_noise_room_log2(*ctx, rounding, 0);
    std::printf("[ N=4096 ] responses sized for a switched noise of 2^%.2f; room 2^%.2f\n", sized_for, room);
    EXPECT_GT(room, sized_for + 3);
    const double product_room = rerandomized_product_room_log2(*ctx, room);
    // At the largest fan-in of weights at the public bound, inputs rounded by 22 bits fit;
    // by 23 they do not.
    const double fits = rounded_product_noise_bound_log2(*ctx, kMaxFanIn, 22);
    const double too_many = rounded_product_noise_bound_log2(*ctx, kMaxFanIn, 23);
    EXPECT_LE(fits, product_room);
    EXPECT_GT(too_many, product_room);
    EXPECT_GE(input_noise_room(*ctx, product_room), 43u * kMaxFanIn);

    // A response whose switched noise is the room in every coefficient still decrypts.
    Client c(ctx, 74);
    const ResponseCodec codec(ctx, rounding);
    const Plaintext m = testing::random_plaintext(*ctx, c.prng);
    Ciphertext ct = c.encryptor.encrypt(m, c.prng);
    c.evaluator.mod_switch_to(ct, 1);
    const Modulus& q0 = ctx->moduli()[0];
    const auto injected = static_cast<std::uint64_t>(std::exp2(room)) - 64;  // its own noise and the switch's
    for (std::size_t j = 0; j < ctx->n(); ++j) {
        std::uint64_t& x = ct.mutable_c0().row(0)[j];
        x = j % 2 == 1 ? q0.sub(x, injected) : q0.add(x, injected);
    }
    ReadPositions all(1);
    for (std::size_t j = 0; j < ctx->n(); ++j) all[0].push_back(static_cast<std::uint32_t>(j));
    EXPECT_EQ(c.decryptor.decrypt(codec.decode(codec.encode(std::span(&ct, 1), all), all)[0]), m);
}

}  // namespace
}  // namespace snnipred::crypto::he
