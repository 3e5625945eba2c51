#pragma once
// A BFV ciphertext (c0, c1) with c0 + c1 * s = round(Q m / t) + e (mod Q), in coefficient
// or NTT form, at a level of the modulus chain (Q = product of its first primes).
//
// Seeded form: a fresh secret-key encryption has c1 = a, the uniform polynomial expanded
// from a 32-byte seed (NTT form, all primes). While c1 is untouched the ciphertext keeps
// the seed and serializes as c0 plus the seed: half the upload. Any change to c1 goes
// through mutable_c1(), which forgets the seed.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "snnipred/crypto/he/context.h"
#include "snnipred/crypto/he/prng.h"
#include "snnipred/crypto/he/rns_poly.h"

namespace snnipred::crypto::he {

class Ciphertext {
public:
    Ciphertext() = default;
    Ciphertext(RnsPoly c0, RnsPoly c1, bool ntt_form, std::optional<Seed> seed = std::nullopt)
        : c0_(std::move(c0)), c1_(std::move(c1)), ntt_form_(ntt_form), seed_(seed) {}

    const RnsPoly& c0() const { return c0_; }
    const RnsPoly& c1() const { return c1_; }
    RnsPoly& mutable_c0() { return c0_; }
    RnsPoly& mutable_c1() {
        seed_.reset();
        return c1_;
    }
    bool ntt_form() const { return ntt_form_; }
    void set_ntt_form(bool ntt_form) { ntt_form_ = ntt_form; }
    std::size_t n() const { return c0_.n(); }
    /// Number of primes in this ciphertext's modulus (its level).
    std::size_t primes() const { return c0_.primes(); }
    const std::optional<Seed>& seed() const { return seed_; }

private:
    RnsPoly c0_, c1_;
    bool ntt_form_ = false;
    std::optional<Seed> seed_;
};

/// Wire form: "SNHE", version, flags (bit 0 NTT form, bit 1 seeded), N (u32 LE), number of
/// primes (u8); then c0 with each residue mod q_i in bit_length(q_i) bits, little-endian
/// bit order, rows back to back, zero-padded to a byte; then c1 the same way, or the seed.
std::vector<std::byte> serialize(const Ciphertext& ct, const HeContext& context);

/// Exact byte size of serialize() for a ciphertext at `primes` primes.
std::size_t serialized_size(const HeContext& context, std::size_t primes, bool seeded);

/// Inverse of serialize. Throws InvalidInput on a wrong magic, version, flags, N or level,
/// on a size that differs from serialized_size, on a residue >= its prime, or on nonzero
/// padding bits.
Ciphertext deserialize_ciphertext(std::span<const std::byte> bytes, const HeContext& context);

}  // namespace snnipred::crypto::he
