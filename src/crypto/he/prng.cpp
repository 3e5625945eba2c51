#include "snnipred/crypto/he/prng.h"

#include <algorithm>
#include <cstring>

#include <sodium.h>

#include "snnipred/core/error.h"

namespace snnipred::crypto::he {

namespace {

// sodium_init() seeds randombytes and selects the SIMD ChaCha20 (without it libsodium
// runs the reference code, about 3x slower). Idempotent and thread-safe.
void ensure_sodium() {
    static const bool ready = sodium_init() >= 0;
    SNNIPRED_CHECK(ready, Error, "he: libsodium failed to initialise");
}

}  // namespace

Prng::Prng(const Seed& seed) : key_(seed) { ensure_sodium(); }

Seed Prng::random_seed() {
    ensure_sodium();
    Seed seed;
    randombytes_buf(seed.data(), seed.size());
    return seed;
}

void Prng::refill() {
    std::array<unsigned char, crypto_stream_chacha20_ietf_NONCEBYTES> nonce{};
    for (int i = 0; i < 8; ++i) nonce[i] = static_cast<unsigned char>(nonce_ >> (8 * i));
    ++nonce_;
    crypto_stream_chacha20_ietf(buffer_.data(), buffer_.size(), nonce.data(), key_.data());
    position_ = 0;
}

void Prng::fill(std::span<std::uint8_t> out) {
    std::size_t done = 0;
    while (done < out.size()) {
        if (position_ == buffer_.size()) refill();
        const std::size_t take = std::min(out.size() - done, buffer_.size() - position_);
        std::memcpy(out.data() + done, buffer_.data() + position_, take);
        position_ += take;
        done += take;
    }
}

std::uint64_t Prng::next_u64() {
    if (buffer_.size() - position_ < 8) refill();  // a short tail left by fill() is skipped
    std::uint64_t v;
    std::memcpy(&v, buffer_.data() + position_, 8);
    position_ += 8;
    return v;
}

Seed Prng::next_seed() {
    Seed seed;
    fill(seed);
    return seed;
}

}  // namespace snnipred::crypto::he
