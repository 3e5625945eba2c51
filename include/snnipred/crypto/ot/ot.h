#pragma once
// The OT flavours, written on any correlated-OT extension (cot.h), so IKNP today and a
// silent OT later give the same API. Sender and receiver are separate types; each wraps
// one side of a CotSender/CotReceiver (not owned, must outlive it) and takes the channel
// and PRG per call. Both parties must call the matching functions with the same sizes,
// in the same order. Batched: one call does many OTs in a constant number of messages.
//
// Hashing: an OT output is H(q_j, i) / H(q_j ⊕ Δ, i) with H = CrHash::tccr and tweak i =
// the COT's index in the session (CotSender::produced()), so it never repeats.
// Pads longer than 16 bytes are AES-CTR streams seeded with the hash output.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "snnipred/core/scratch_buffer.h"
#include "snnipred/crypto/ot/cot.h"
#include "snnipred/crypto/ot/crhash.h"

namespace snnipred::crypto::ot {

/// Largest log2 N for 1-out-of-N OT (N·message bytes are sent per instance).
constexpr int kMaxLogN = 16;

/// One instance of a 1-out-of-N OT with entries of a few bits: N = 2^log_n entries of
/// entry_bits bits (1 ≤ log_n ≤ kMaxLogN, 1 ≤ entry_bits ≤ 8).
struct BitTableShape {
    int log_n = 1;
    int entry_bits = 1;
};

class OtSender {
public:
    explicit OtSender(CotSender& cot) : cot_(cot) {}
    /// Workers for the hashing and masking (1 by default); outputs do not depend on it.
    void set_threads(int threads) { threads_ = threads; }

    /// Random OT: out[j] = {m_{j,0}, m_{j,1}}, uniform; the receiver gets a random bit b_j and
    /// m_{j,b_j}. Sends nothing beyond the COTs. Throws NetworkError.
    void random_ot(net::Channel& channel, Prg& prg, std::span<std::array<Block, 2>> out);

    /// Additive correlated OT over Z_{2^bits}, 1 ≤ bits ≤ 64: x0[j] is uniform, the receiver
    /// with choice c_j gets x0[j] + c_j·corr[j] mod 2^bits. Sends ceil(n·bits/8) bytes.
    /// Throws InvalidInput on bad sizes or bits, NetworkError.
    void correlated_ot(net::Channel& channel, Prg& prg, std::span<const std::uint64_t> corr, int bits,
                       std::span<std::uint64_t> x0);

    /// Chosen-message 1-out-of-2 OT of n = m0.size()/msg_bytes messages of msg_bytes bytes
    /// each, stored back to back in m0 and m1. Sends 2·n·msg_bytes bytes.
    /// Throws InvalidInput on bad sizes, NetworkError.
    void send(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> m0,
              std::span<const std::uint8_t> m1, std::size_t msg_bytes);

    /// 1-out-of-N OT, N = 2^log_n (1 ≤ log_n ≤ kMaxLogN): `messages` holds n instances × N
    /// entries × msg_bytes. Naor–Pinkas from log_n 1-out-of-2 OTs per instance: entry x is
    /// masked with ⊕_i tccr(k_{i,x_i}, x) (a PRF in the key k); uses n·log_n chosen COTs and
    /// sends n·N·msg_bytes bytes. Throws InvalidInput on bad sizes, NetworkError.
    void send_one_of_n(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> messages, int log_n,
                       std::size_t msg_bytes);

    /// 1-out-of-N OTs whose entries are a few bits, bit-packed on the wire; instance j has
    /// shape shapes[j]. `entries` holds each instance's 2^log_n entries back to back, one
    /// byte each (only its low entry_bits bits may be set). Naor–Pinkas as send_one_of_n,
    /// each entry masked with the low bits of its seed: uses Σ log_n chosen COTs and sends
    /// one message of ceil(Σ 2^log_n·entry_bits / 8) bytes. Throws InvalidInput on a bad
    /// shape, size or entry, NetworkError.
    void send_one_of_n_bits(net::Channel& channel, Prg& prg, std::span<const BitTableShape> shapes,
                            std::span<const std::uint8_t> entries);

private:
    /// n fresh COTs hashed to {H(q_j, i_j)}, {H(q_j ⊕ Δ, i_j)}; `chosen` picks chosen_cot.
    /// The spans are this object's scratch, valid until the next call.
    std::pair<std::span<Block>, std::span<Block>> hashed_cots(net::Channel& channel, Prg& prg, std::size_t n,
                                                              bool chosen);

    CotSender& cot_;
    CrHash hash_;
    int threads_ = 1;
    ScratchBuffer<Block> zero_, one_;    // hashed_cots' outputs, reused across calls
    ScratchBuffer<std::size_t> layout_;  // where each 1-out-of-N instance starts
};

class OtReceiver {
public:
    explicit OtReceiver(CotReceiver& cot) : cot_(cot) {}
    /// As OtSender::set_threads.
    void set_threads(int threads) { threads_ = threads; }

    /// Random OT: bits[j] random, out[j] = m_{j,bits[j]}. Throws InvalidInput, NetworkError.
    void random_ot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits, std::span<Block> out);

    /// Additive correlated OT over Z_{2^bits}: out[j] = x0[j] + choices[j]·corr[j] mod 2^bits.
    /// Throws InvalidInput on bad sizes, bits or choices, NetworkError.
    void correlated_ot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices, int bits,
                       std::span<std::uint64_t> out);

    /// Chosen-message 1-out-of-2 OT: out (n·msg_bytes) receives message choices[j] of OT j.
    /// Throws InvalidInput on bad sizes or choices, NetworkError.
    void receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices, std::size_t msg_bytes,
                 std::span<std::uint8_t> out);

    /// 1-out-of-N OT: out (n·msg_bytes) receives entry choices[j] < 2^log_n of instance j.
    /// Throws InvalidInput on bad sizes or choices, NetworkError.
    void receive_one_of_n(net::Channel& channel, Prg& prg, std::span<const std::uint32_t> choices, int log_n,
                          std::size_t msg_bytes, std::span<std::uint8_t> out);

    /// 1-out-of-N OTs with bit entries (OtSender::send_one_of_n_bits): out[j] receives entry
    /// choices[j] < 2^log_n of instance j. Throws InvalidInput on a bad shape, size or
    /// choice, NetworkError (also if the sender's message has the wrong length).
    void receive_one_of_n_bits(net::Channel& channel, Prg& prg, std::span<const BitTableShape> shapes,
                               std::span<const std::uint32_t> choices, std::span<std::uint8_t> out);

private:
    /// n fresh chosen COTs with `bits`, hashed in place to H(t_j, i_j); this object's
    /// scratch, valid until the next call.
    std::span<Block> hashed_chosen_cots(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits);

    CotReceiver& cot_;
    CrHash hash_;
    int threads_ = 1;
    ScratchBuffer<Block> keys_;              // hashed_chosen_cots' outputs
    ScratchBuffer<std::uint8_t> key_bits_;   // the 1-out-of-N OTs' choice bits per key
    ScratchBuffer<Block> tweaks_;            // the 1-out-of-N PRF's tweaks per key
    ScratchBuffer<std::size_t> layout_;      // where each 1-out-of-N instance starts
};

}  // namespace snnipred::crypto::ot
