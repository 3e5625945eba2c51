#pragma once
// IKNP OT extension (Ishai, Kilian, Nissim, Petrank, CRYPTO 2003), semi-honest, κ = 128,
// in the correlated-OT form of Asharov et al. (CCS 2013): no hashing here, the flavours
// in ot.h hash. Setup runs 128 base OTs with the roles reversed: the IKNP sender is the
// base-OT receiver and its 128 choice bits are Δ. Then per batch of n OTs the receiver
// expands its base keys k_{i,0}, k_{i,1} with AES-CTR into rows t_i = G(k_{i,0}) and
// sends u_i = t_i ⊕ G(k_{i,1}) ⊕ c (the matrix: 128·ceil(n/8) bytes); the sender forms
// q_i = G(k_{i,Δ_i}) ⊕ Δ_i·u_i; both transpose, so q_j ⊕ t_j = c_j·Δ.
//
// Batches are cut into chunks of kIknpChunk OTs, each one message flushed at once, so the
// sender transposes one chunk while the receiver builds the next.
// Wire cost: setup 32 + 128·32 bytes; per batch 128·ceil(m/8) bytes per chunk of m OTs
// (receiver → sender), i.e. 16 bytes per OT when chunks are multiples of 8.

#include <array>
#include <cstddef>
#include <vector>

#include "snnipred/crypto/ot/cot.h"

namespace snnipred::crypto::ot {

constexpr std::size_t kIknpChunk = std::size_t{1} << 14;
constexpr std::size_t kIknpBaseOts = 128;

class IknpSender final : public CotSender {
public:
    /// Workers for the local work of a batch (row expansion, transpose); 1 by default.
    /// The output does not depend on it.
    void set_threads(int threads) { threads_ = threads; }

protected:
    Block do_setup(net::Channel& channel, Prg& prg) override;
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) override;
    /// Chosen bits cost nothing extra in IKNP: the receiver's u already carries them.
    void do_chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q) override;

private:
    std::array<bool, kIknpBaseOts> delta_bits_{};
    std::vector<Prg> row_prgs_;  // G(k_{i,Δ_i})
    std::vector<std::uint8_t> matrix_;
    int threads_ = 1;
};

class IknpReceiver final : public CotReceiver {
public:
    /// As IknpSender::set_threads.
    void set_threads(int threads) { threads_ = threads; }

protected:
    void do_setup(net::Channel& channel, Prg& prg) override;
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits,
                       std::span<Block> t) override;
    void do_chosen_cot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits,
                       std::span<Block> t) override;

private:
    std::vector<std::array<Prg, 2>> row_prgs_;  // G(k_{i,0}), G(k_{i,1})
    std::vector<std::uint8_t> matrix_;
    std::vector<std::uint8_t> message_;
    int threads_ = 1;
};

}  // namespace snnipred::crypto::ot
