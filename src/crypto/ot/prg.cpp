#include "snnipred/crypto/ot/prg.h"

#include <openssl/evp.h>
#include <sodium.h>

#include <algorithm>
#include <utility>

#include "snnipred/core/error.h"

namespace snnipred::crypto::ot {

void ensure_sodium() {
    // sodium_init is thread-safe and returns 1 when already initialised.
    SNNIPRED_CHECK(sodium_init() >= 0, Error, "libsodium failed to initialise");
}

namespace {

Block os_random_seed() {
    ensure_sodium();
    Block seed;
    randombytes_buf(&seed, sizeof seed);
    return seed;
}

}  // namespace

Prg::Prg() : Prg(os_random_seed()) {}

Prg::Prg(const Block& seed) : ctx_(EVP_CIPHER_CTX_new()) {
    SNNIPRED_CHECK(ctx_ != nullptr, Error, "OpenSSL could not allocate a cipher context");
    reseed(seed);
}

Prg::Prg(Prg&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

Prg& Prg::operator=(Prg&& other) noexcept {
    std::swap(ctx_, other.ctx_);
    return *this;
}

Prg::~Prg() { EVP_CIPHER_CTX_free(ctx_); }

void Prg::reseed(const Block& seed) {
    SNNIPRED_CHECK(ctx_ != nullptr, Error, "Prg used after move");
    const auto key = seed.bytes();
    const std::uint8_t iv[16] = {};  // the seed is the key; the counter starts at zero
    SNNIPRED_CHECK(EVP_EncryptInit_ex(ctx_, EVP_aes_128_ctr(), nullptr, key.data(), iv) == 1, Error,
                   "OpenSSL could not key AES-128-CTR");
}

void Prg::random_bytes(std::span<std::uint8_t> out) {
    SNNIPRED_CHECK(ctx_ != nullptr, Error, "Prg used after move");
    // The key stream is AES_k(counter); encrypting zeros in place yields it.
    std::fill(out.begin(), out.end(), std::uint8_t{0});
    constexpr std::size_t kStep = std::size_t{1} << 30;  // EVP lengths are int
    for (std::size_t offset = 0; offset < out.size(); offset += kStep) {
        const int length = static_cast<int>(std::min(kStep, out.size() - offset));
        int written = 0;
        SNNIPRED_CHECK(EVP_EncryptUpdate(ctx_, out.data() + offset, &written, out.data() + offset, length) == 1 &&
                           written == length,
                       Error, "AES-128-CTR failed");
    }
}

Block Prg::random_block() {
    Block block;
    random_blocks({&block, 1});
    return block;
}

std::uint64_t Prg::random_u64() {
    std::uint64_t value = 0;
    random_bytes({reinterpret_cast<std::uint8_t*>(&value), sizeof value});
    return value;
}

void Prg::random_bits(std::span<std::uint8_t> out) {
    random_bytes(out);
    for (auto& bit : out) bit &= 1U;
}

}  // namespace snnipred::crypto::ot
