#pragma once
// A seeded pseudorandom generator: the 32-byte seed is a ChaCha20 key (libsodium's IETF
// ChaCha20), each 4 KiB block of output uses the next nonce. Anyone holding the seed
// regenerates the same stream, which is how a seeded ciphertext ships 32 bytes instead of
// its uniform polynomial. Fresh seeds come from libsodium's randombytes_buf.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace snnipred::crypto::he {

using Seed = std::array<std::uint8_t, 32>;

class Prng {
public:
    /// Throws Error if libsodium cannot start.
    explicit Prng(const Seed& seed);
    // A copy would replay the same stream (reused randomness), so there is none.
    Prng(const Prng&) = delete;
    Prng& operator=(const Prng&) = delete;
    Prng(Prng&&) = default;
    Prng& operator=(Prng&&) = default;
    /// A seed from the operating system's CSPRNG. Throws Error if libsodium cannot start.
    static Seed random_seed();
    /// A generator with a fresh random seed.
    static Prng fresh() { return Prng(random_seed()); }

    std::uint64_t next_u64();
    Seed next_seed();
    void fill(std::span<std::uint8_t> out);

private:
    void refill();

    Seed key_;
    std::uint64_t nonce_ = 0;
    std::array<std::uint8_t, 4096> buffer_{};
    std::size_t position_ = sizeof(buffer_);
};

}  // namespace snnipred::crypto::he
