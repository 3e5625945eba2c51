#pragma once
// Hash functions from a fixed-key AES permutation π (AES-128 under a public constant key;
// OpenSSL EVP, AES-NI), following Guo, Katz, Wang, Yu, "Efficient and Secure Multiparty
// Computation from Fixed-Key Block Ciphers" (IEEE S&P 2020):
//
//  * ccr(x)       = π(σ(x)) ⊕ σ(x), σ(x_L ‖ x_R) = (x_L ⊕ x_R) ‖ x_L   ("MMO_σ", §7.3):
//                   circular correlation robust, 1 AES call. Used where a hash input is
//                   masked by a single secret, e.g. k ⊕ a for a random OT key k.
//  * tccr(x, i)   = π(π(x) ⊕ i) ⊕ π(x)                                ("TMMO", §7.4):
//                   tweakable circular correlation robust, 2 AES calls. Used to turn IKNP's
//                   correlated blocks q_j, q_j ⊕ Δ into independent random OT outputs with
//                   tweak i = the OT's index, so security does not degrade with the number
//                   of OTs hashed under the same Δ (the multi-instance concern of GKWY20).
//
// Both are modelled on π being an ideal permutation; κ = 128. π runs on VAES (AVX-512)
// when the CPU has it, else on OpenSSL's AES-NI; the two give the same permutation.

#include <array>
#include <cstdint>
#include <span>

#include "snnipred/crypto/ot/block.h"

struct evp_cipher_ctx_st;

namespace snnipred::crypto::ot {

class CrHash {
public:
    /// π keyed with the public constant below. Throws Error if OpenSSL cannot set up AES-128.
    CrHash();
    /// π keyed with another public `fixed_key`, for constructions that need several
    /// independent permutations (the GGM tree's two halves, the LPN code's index stream).
    /// Throws Error if OpenSSL cannot set up AES-128.
    explicit CrHash(const Block& fixed_key);
    CrHash(CrHash&& other) noexcept;
    CrHash& operator=(CrHash&& other) noexcept;
    CrHash(const CrHash&) = delete;
    CrHash& operator=(const CrHash&) = delete;
    ~CrHash();

    /// In place: x ← π(x). Batched so AES-NI pipelines.
    void permute(std::span<Block> blocks);

    /// In place: x_j ← ccr(x_j).
    void ccr(std::span<Block> blocks);
    Block ccr(Block x);

    /// In place: x_j ← tccr(x_j, first_tweak + j).
    void tccr(std::span<Block> blocks, std::uint64_t first_tweak);
    /// In place: x_j ← tccr(x_j, tweaks[j]). Throws InvalidInput if the sizes differ.
    void tccr(std::span<Block> blocks, std::span<const Block> tweaks);
    Block tccr(Block x, Block tweak);

private:
    template <typename TweakOf>
    void tccr_batched(std::span<Block> blocks, TweakOf tweak_of);

    evp_cipher_ctx_st* ctx_ = nullptr;
    bool vaes_ = false;
    std::array<Block, 11> round_keys_{};  // AES-128 key schedule, for the VAES path
};

}  // namespace snnipred::crypto::ot
