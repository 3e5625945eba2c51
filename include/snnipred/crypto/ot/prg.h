#pragma once
// Pseudo-random generator: AES-128 in counter mode (OpenSSL EVP, AES-NI when the CPU has
// it) keyed by a 128-bit seed. The default constructor draws the seed from the OS CSPRNG
// (libsodium randombytes_buf); a given seed makes the stream reproducible. The stream does
// not depend on how requests are split: random_bytes(a) then random_bytes(b) yields the
// same bytes as one random_bytes(a+b).

#include <cstdint>
#include <span>

#include "snnipred/crypto/ot/block.h"

struct evp_cipher_ctx_st;

namespace snnipred::crypto::ot {

/// Initialises libsodium once (thread-safe). Throws Error if it cannot.
void ensure_sodium();

class Prg {
public:
    /// Seeds from the OS CSPRNG. Throws Error if libsodium or OpenSSL fails.
    Prg();
    /// Seeds with `seed`: equal seeds give equal streams. Throws Error if OpenSSL fails.
    explicit Prg(const Block& seed);
    Prg(Prg&& other) noexcept;
    Prg& operator=(Prg&& other) noexcept;
    Prg(const Prg&) = delete;
    Prg& operator=(const Prg&) = delete;
    ~Prg();

    /// Restarts the stream under a new seed (reuses the cipher context).
    void reseed(const Block& seed);

    void random_bytes(std::span<std::uint8_t> out);
    void random_blocks(std::span<Block> out) { random_bytes(writable_bytes_of(out)); }
    Block random_block();
    std::uint64_t random_u64();
    /// Fills `out` with independent uniform bits, one per byte (values 0 or 1).
    void random_bits(std::span<std::uint8_t> out);

private:
    evp_cipher_ctx_st* ctx_ = nullptr;
};

}  // namespace snnipred::crypto::ot
