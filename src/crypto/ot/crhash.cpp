#include "snnipred/crypto/ot/crhash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "aes_vaes.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::ot {
namespace {

// The public fixed key of π: the first 128 bits of the fractional part of π (nothing up
// the sleeve). Security rests on AES under a fixed key behaving as a random permutation.
constexpr std::uint8_t kFixedKey[16] = {0x24, 0x3f, 0x6a, 0x88, 0x85, 0xa3, 0x08, 0xd3,
                                        0x13, 0x19, 0x8a, 0x2e, 0x03, 0x70, 0x73, 0x44};

constexpr std::size_t kBatch = 1024;  // blocks hashed per AES call (stack scratch)

// σ(x_L ‖ x_R) = (x_L ⊕ x_R) ‖ x_L with x_L the high half: an orthomorphism.
Block sigma(const Block& x) { return {x.hi, x.hi ^ x.lo}; }

}  // namespace

CrHash::CrHash() : CrHash(Block::from_bytes(kFixedKey)) {}

CrHash::CrHash(const Block& fixed_key) : ctx_(EVP_CIPHER_CTX_new()) {
    SNNIPRED_CHECK(ctx_ != nullptr, Error, "OpenSSL could not allocate a cipher context");
    const auto key = fixed_key.bytes();
    SNNIPRED_CHECK(EVP_EncryptInit_ex(ctx_, EVP_aes_128_ecb(), nullptr, key.data(), nullptr) == 1, Error,
                   "OpenSSL could not key AES-128-ECB");
    EVP_CIPHER_CTX_set_padding(ctx_, 0);
    vaes_ = detail::cpu_has_vaes();
    if (vaes_) round_keys_ = detail::aes128_round_keys(fixed_key);
}

CrHash::CrHash(CrHash&& other) noexcept
    : ctx_(std::exchange(other.ctx_, nullptr)), vaes_(other.vaes_), round_keys_(other.round_keys_) {}

CrHash& CrHash::operator=(CrHash&& other) noexcept {
    std::swap(ctx_, other.ctx_);
    std::swap(vaes_, other.vaes_);
    std::swap(round_keys_, other.round_keys_);
    return *this;
}

CrHash::~CrHash() { EVP_CIPHER_CTX_free(ctx_); }

void CrHash::permute(std::span<Block> blocks) {
    SNNIPRED_CHECK(ctx_ != nullptr, Error, "CrHash used after move");
    if (vaes_) {
        detail::aes128_encrypt_vaes(round_keys_, blocks.data(), blocks.size());
        return;
    }
    constexpr std::size_t kStep = std::size_t{1} << 26;  // blocks per call, fits an int
    for (std::size_t offset = 0; offset < blocks.size(); offset += kStep) {
        const std::size_t count = std::min(kStep, blocks.size() - offset);
        auto* data = reinterpret_cast<std::uint8_t*>(blocks.data() + offset);
        const int length = static_cast<int>(count * sizeof(Block));
        int written = 0;
        SNNIPRED_CHECK(EVP_EncryptUpdate(ctx_, data, &written, data, length) == 1 && written == length, Error,
                       "AES-128-ECB failed");
    }
}

void CrHash::ccr(std::span<Block> blocks) {
    Block scratch[kBatch];
    for (std::size_t offset = 0; offset < blocks.size(); offset += kBatch) {
        const std::size_t count = std::min(kBatch, blocks.size() - offset);
        for (std::size_t j = 0; j < count; ++j) scratch[j] = blocks[offset + j] = sigma(blocks[offset + j]);
        permute({scratch, count});
        for (std::size_t j = 0; j < count; ++j) blocks[offset + j] ^= scratch[j];
    }
}

Block CrHash::ccr(Block x) {
    ccr({&x, 1});
    return x;
}

template <typename TweakOf>
void CrHash::tccr_batched(std::span<Block> blocks, TweakOf tweak_of) {
    Block scratch[kBatch];
    for (std::size_t offset = 0; offset < blocks.size(); offset += kBatch) {
        const std::size_t count = std::min(kBatch, blocks.size() - offset);
        const std::span<Block> chunk = blocks.subspan(offset, count);
        permute(chunk);  // π(x)
        for (std::size_t j = 0; j < count; ++j) scratch[j] = chunk[j] ^ tweak_of(offset + j);
        permute({scratch, count});  // π(π(x) ⊕ i)
        for (std::size_t j = 0; j < count; ++j) chunk[j] ^= scratch[j];
    }
}

void CrHash::tccr(std::span<Block> blocks, std::uint64_t first_tweak) {
    tccr_batched(blocks, [first_tweak](std::size_t j) { return Block{first_tweak + j, 0}; });
}

void CrHash::tccr(std::span<Block> blocks, std::span<const Block> tweaks) {
    SNNIPRED_CHECK(blocks.size() == tweaks.size(), InvalidInput, "CrHash::tccr: blocks and tweaks differ in size");
    tccr_batched(blocks, [tweaks](std::size_t j) { return tweaks[j]; });
}

Block CrHash::tccr(Block x, Block tweak) {
    permute({&x, 1});
    Block y = x ^ tweak;
    permute({&y, 1});
    return x ^ y;
}

}  // namespace snnipred::crypto::ot
