#include "snnipred/crypto/ot/base_ot.h"

#include <sodium.h>

#include <cstring>
#include <string>
#include <vector>

#include "snnipred/core/error.h"

namespace snnipred::crypto::ot {
namespace {

constexpr std::size_t kPoint = crypto_core_ristretto255_BYTES;
constexpr std::size_t kScalar = crypto_core_ristretto255_SCALARBYTES;
static_assert(kPoint == kBaseOtSenderBytes && kPoint == kBaseOtReceiverBytesPerOt);

using Point = std::array<std::uint8_t, kPoint>;
using Scalar = std::array<std::uint8_t, kScalar>;

// A uniform non-zero scalar from 64 PRG bytes reduced mod ℓ (bias 2^-252).
Scalar random_scalar(Prg& prg) {
    std::uint8_t wide[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
    Scalar scalar{};
    do {
        prg.random_bytes(wide);
        crypto_core_ristretto255_scalar_reduce(scalar.data(), wide);
    } while (sodium_is_zero(scalar.data(), kScalar));
    sodium_memzero(wide, sizeof wide);
    return scalar;
}

// k = BLAKE2b-128("snnipred/base-ot" ‖ j ‖ A ‖ B_j ‖ P).
Block derive_key(std::uint64_t index, const Point& a, const std::uint8_t* b, const Point& shared) {
    static constexpr char kLabel[] = "snnipred/base-ot";
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, sizeof(Block));
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(kLabel), sizeof kLabel - 1);
    std::uint8_t index_bytes[8];
    for (int i = 0; i < 8; ++i) index_bytes[i] = static_cast<std::uint8_t>(index >> (8 * i));
    crypto_generichash_update(&state, index_bytes, sizeof index_bytes);
    crypto_generichash_update(&state, a.data(), kPoint);
    crypto_generichash_update(&state, b, kPoint);
    crypto_generichash_update(&state, shared.data(), kPoint);
    std::uint8_t out[sizeof(Block)];
    crypto_generichash_final(&state, out, sizeof out);
    return Block::from_bytes(out);
}

void check_point(const std::uint8_t* point, const char* what) {
    SNNIPRED_CHECK(crypto_core_ristretto255_is_valid_point(point) == 1, NetworkError,
                   std::string("base OT: peer sent an invalid Ristretto255 point (") + what + ")");
}

}  // namespace

void BaseOtSender::send(net::Channel& channel, Prg& prg, std::span<std::array<Block, 2>> keys) {
    ensure_sodium();
    Scalar a = random_scalar(prg);
    Point big_a;
    SNNIPRED_CHECK(crypto_scalarmult_ristretto255_base(big_a.data(), a.data()) == 0, Error,
                   "base OT: scalar multiplication failed");
    channel.send(std::span<const std::uint8_t>(big_a));
    const std::vector<std::byte> reply = channel.recv();
    SNNIPRED_CHECK(reply.size() == keys.size() * kPoint, NetworkError,
                   "base OT: expected " + std::to_string(keys.size() * kPoint) + " bytes from the receiver, got " +
                       std::to_string(reply.size()));
    // a·(B − A) = a·B − a·A: one scalar multiplication per OT.
    Point a_times_a;
    SNNIPRED_CHECK(crypto_scalarmult_ristretto255(a_times_a.data(), a.data(), big_a.data()) == 0, Error,
                   "base OT: scalar multiplication failed");
    for (std::size_t j = 0; j < keys.size(); ++j) {
        const auto* b = reinterpret_cast<const std::uint8_t*>(reply.data()) + j * kPoint;
        check_point(b, "B");
        Point shared0;
        Point shared1;
        // Fails only if a·B is the identity, i.e. B is: a semi-honest receiver never sends it.
        SNNIPRED_CHECK(crypto_scalarmult_ristretto255(shared0.data(), a.data(), b) == 0, NetworkError,
                       "base OT: peer sent the identity point");
        crypto_core_ristretto255_sub(shared1.data(), shared0.data(), a_times_a.data());
        keys[j] = {derive_key(j, big_a, b, shared0), derive_key(j, big_a, b, shared1)};
    }
    sodium_memzero(a.data(), kScalar);
}

void BaseOtReceiver::receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices,
                             std::span<Block> keys) {
    SNNIPRED_CHECK(choices.size() == keys.size(), InvalidInput, "base OT: choices and keys differ in size");
    for (const std::uint8_t c : choices)
        SNNIPRED_CHECK(c <= 1, InvalidInput, "base OT: choice bits must be 0 or 1");
    ensure_sodium();
    const std::vector<std::byte> first = channel.recv();
    SNNIPRED_CHECK(first.size() == kPoint, NetworkError,
                   "base OT: expected a 32-byte point from the sender, got " + std::to_string(first.size()) + " bytes");
    Point big_a;
    std::memcpy(big_a.data(), first.data(), kPoint);
    check_point(big_a.data(), "A");

    std::vector<std::uint8_t> message(keys.size() * kPoint);
    for (std::size_t j = 0; j < keys.size(); ++j) {
        Scalar x = random_scalar(prg);
        Point big_x;
        Point shared;
        SNNIPRED_CHECK(crypto_scalarmult_ristretto255_base(big_x.data(), x.data()) == 0, Error,
                       "base OT: scalar multiplication failed");
        SNNIPRED_CHECK(crypto_scalarmult_ristretto255(shared.data(), x.data(), big_a.data()) == 0, NetworkError,
                       "base OT: peer sent the identity point");
        std::uint8_t* b = message.data() + j * kPoint;
        // B = X + c·A, computed both ways and selected so timing does not depend on c.
        Point with_a;
        crypto_core_ristretto255_add(with_a.data(), big_x.data(), big_a.data());
        const std::uint8_t mask = static_cast<std::uint8_t>(0 - choices[j]);
        for (std::size_t k = 0; k < kPoint; ++k)
            b[k] = static_cast<std::uint8_t>((with_a[k] & mask) | (big_x[k] & ~mask));
        keys[j] = derive_key(j, big_a, b, shared);
        sodium_memzero(x.data(), kScalar);
    }
    channel.send(std::span<const std::uint8_t>(message));
    channel.flush();
}

}  // namespace snnipred::crypto::ot
