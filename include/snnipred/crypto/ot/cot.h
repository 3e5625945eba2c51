#pragma once
// The interface every OT extension implements: correlated OT with one global correlation
// Δ ∈ {0,1}^128 (what IKNP and silent OTs such as Ferret produce natively). For OT j the
// sender holds q_j and the receiver holds its bit b_j and t_j = q_j ⊕ b_j·Δ. Random OT,
// chosen-message OT, additive correlated OT over Z_{2^l} and 1-out-of-N OT are written on
// top of this (see ot.h), so a silent OT slots in by deriving from these two classes.
//
// Both parties must make the same sequence of calls with the same sizes. Each object
// counts the OTs it has produced; the flavours use that count as the hash tweak, so both
// sides agree on it without sending it. The first call runs setup() if it has not run.

#include <cstdint>
#include <span>

#include "snnipred/crypto/ot/block.h"
#include "snnipred/crypto/ot/prg.h"
#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot {

class CotSender {
public:
    virtual ~CotSender() = default;

    /// One-time setup (for IKNP: 128 base OTs with the roles reversed). Throws NetworkError.
    void setup(net::Channel& channel, Prg& prg);
    bool is_set_up() const { return set_up_; }
    /// The global correlation. Throws ConfigError before setup.
    Block delta() const;
    /// OTs produced so far by this object.
    std::uint64_t produced() const { return produced_; }

    /// q.size() correlated OTs whose receiver bits are random. Throws NetworkError.
    void random_cot(net::Channel& channel, Prg& prg, std::span<Block> q);
    /// q.size() correlated OTs whose receiver bits the receiver chose. Throws NetworkError.
    void chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q);

protected:
    virtual Block do_setup(net::Channel& channel, Prg& prg) = 0;  // returns Δ
    virtual void do_random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) = 0;
    /// Default: derandomise random COTs; the receiver sends d = b ⊕ c (1 bit per OT) and
    /// the sender sets q_j ← q_j ⊕ d_j·Δ. Extensions with chosen bits built in override it.
    virtual void do_chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q);

private:
    Block delta_;
    bool set_up_ = false;
    std::uint64_t produced_ = 0;
};

class CotReceiver {
public:
    virtual ~CotReceiver() = default;

    /// One-time setup, matching CotSender::setup. Throws NetworkError.
    void setup(net::Channel& channel, Prg& prg);
    bool is_set_up() const { return set_up_; }
    std::uint64_t produced() const { return produced_; }

    /// t.size() correlated OTs with random bits, written to `bits` (0 or 1).
    /// Throws InvalidInput if the sizes differ, NetworkError.
    void random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits, std::span<Block> t);
    /// t.size() correlated OTs with the given bits (each 0 or 1).
    /// Throws InvalidInput if the sizes differ or a bit is not 0/1, NetworkError.
    void chosen_cot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits, std::span<Block> t);

protected:
    virtual void do_setup(net::Channel& channel, Prg& prg) = 0;
    virtual void do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits,
                               std::span<Block> t) = 0;
    virtual void do_chosen_cot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits,
                               std::span<Block> t);

private:
    bool set_up_ = false;
    std::uint64_t produced_ = 0;
};

}  // namespace snnipred::crypto::ot
