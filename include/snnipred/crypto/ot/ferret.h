#pragma once
// Silent correlated OT in the style of Ferret (Yang, Weng, Lan, Zhang, Wang, CCS 2020),
// semi-honest, behind the CotSender/CotReceiver interface of cot.h. One iteration turns a
// reserve of k + t·h COTs into n: a regular-noise multi-point COT (t GGM trees of depth h,
// their 1-out-of-2 OTs made from t·h reserve COTs) gives v and w = v ⊕ e·Δ with e of weight
// t, and the primal-LPN code (10 pseudo-random positions of the k-entry secret per output)
// adds A·(the other k reserve COTs), so the receiver's bits e ⊕ u·A look uniform.
//
// Setup runs IKNP (its base OTs, then k₀ + t₀·h₀ IKNP COTs), one iteration of the small
// bootstrap parameters and the first main iteration; each main iteration keeps k + t·h of
// its n outputs back as the next reserve and buffers the rest, so calls of any size are
// served from the buffer and a refill happens only when it runs dry. Δ is IKNP's (uniform
// 128 bits). The first main iteration belongs to setup because it is input-independent and
// the costliest: its buffers' first pages cost the kernel about 1 s per party to zero on
// this machine kind (perf: clear_page_erms), three to five times a later refill, which
// the first online step would otherwise pay (docs/RESULTS.md, 2026-12-06, eighth).
//
// Wire cost per main iteration: receiver → sender ceil(t·h/8) bytes, sender → receiver
// t·(2h+1)·16 bytes, one round trip; with the default parameters 574,120 bytes for
// 9,562,948 COTs (0.48 bits per COT). Setup: IKNP's base OTs, 16 bytes of LPN seed,
// 16 bytes per bootstrap reserve COT, one bootstrap and one main iteration.
// Memory: one iteration's outputs stay buffered, n blocks plus the reserve (about 170 MB per
// party with the standard parameters; the receiver adds a byte per output for its bits).
// Single-threaded. Parameters and their security: docs/SECURITY.md.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "snnipred/core/scratch_buffer.h"
#include "snnipred/crypto/ot/cot.h"
#include "snnipred/crypto/ot/iknp.h"

namespace snnipred::crypto::ot {

namespace detail {
class LpnEncoder;
class MpcotSender;
class MpcotReceiver;
}  // namespace detail

/// One LPN parameter set: n outputs, a k-entry secret, t noise positions (one per block
/// of n/t outputs).
struct LpnParams {
    std::size_t n = 0;
    std::size_t k = 0;
    std::size_t t = 0;

    std::size_t block() const { return n / t; }
    /// GGM tree depth h = ceil(log2 block).
    int depth() const;
    /// COTs one iteration consumes: k + t·h.
    std::size_t reserve() const { return k + t * static_cast<std::size_t>(depth()); }
};

struct FerretParams {
    LpnParams bootstrap;
    LpnParams main;

    /// Ferret's semi-honest regular-noise sets for 128-bit security: main n = 10,168,320,
    /// k = 588,160, t = 1,324; bootstrap n = 649,728, k = 36,288, t = 1,269.
    static FerretParams standard();
    /// Tiny sets for tests, with no security claim: main (4096, 1024, 16), bootstrap
    /// (2048, 512, 8).
    static FerretParams insecure_for_tests();

    /// COTs each main iteration adds to the buffer: main.n − main.reserve().
    std::size_t batch() const { return main.n - main.reserve(); }
    /// Throws ConfigError unless t divides n with blocks of 2 … 2^20 entries, 10 ≤ k < 2^32,
    /// a main iteration leaves outputs beyond its reserve, and the bootstrap iteration
    /// yields the main reserve.
    void validate() const;
};

class FerretSender final : public CotSender {
public:
    /// Throws ConfigError if `params` are invalid.
    explicit FerretSender(const FerretParams& params = FerretParams::standard());
    ~FerretSender() override;

    /// Main iterations run so far (refills of the buffer after setup).
    std::uint64_t iterations() const { return iterations_; }

protected:
    /// IKNP setup, then draws and sends the LPN seed, then the bootstrap iteration and the
    /// first main iteration.
    Block do_setup(net::Channel& channel, Prg& prg) override;
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) override;

private:
    /// One iteration from reserve_ into buffer_; the next reserve is taken off its front.
    void iterate(net::Channel& channel, Prg& prg, const Block& delta, const LpnParams& params,
                 detail::MpcotSender& mpcot, detail::LpnEncoder& code);

    FerretParams params_;
    IknpSender iknp_;
    std::unique_ptr<detail::MpcotSender> main_mpcot_;
    std::unique_ptr<detail::LpnEncoder> main_code_;
    // Memory for the reserve and the buffer (huge pages: the LPN code reads the reserve at
    // random), and the views of what they hold.
    ScratchBuffer<Block> reserve_memory_, buffer_memory_;
    std::span<Block> reserve_;
    std::span<Block> buffer_;  // one iteration's outputs; [0, next_) are used up
    std::size_t next_ = 0;
    std::uint64_t ggm_ots_ = 0;  // reserve COTs spent on GGM OTs: their hash tweaks
    std::uint64_t iterations_ = 0;
};

class FerretReceiver final : public CotReceiver {
public:
    /// Throws ConfigError if `params` are invalid; both parties must use the same.
    explicit FerretReceiver(const FerretParams& params = FerretParams::standard());
    ~FerretReceiver() override;

    std::uint64_t iterations() const { return iterations_; }

protected:
    void do_setup(net::Channel& channel, Prg& prg) override;
    void do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits, std::span<Block> t) override;

private:
    void iterate(net::Channel& channel, Prg& prg, const LpnParams& params, detail::MpcotReceiver& mpcot,
                 detail::LpnEncoder& code);

    FerretParams params_;
    IknpReceiver iknp_;
    std::unique_ptr<detail::MpcotReceiver> main_mpcot_;
    std::unique_ptr<detail::LpnEncoder> main_code_;
    ScratchBuffer<Block> reserve_memory_, buffer_memory_;
    ScratchBuffer<std::uint8_t> reserve_bits_memory_, buffer_bits_memory_;
    std::span<Block> reserve_;
    std::span<std::uint8_t> reserve_bits_;
    std::span<Block> buffer_;
    std::span<std::uint8_t> buffer_bits_;
    std::size_t next_ = 0;
    std::uint64_t ggm_ots_ = 0;
    std::uint64_t iterations_ = 0;
};

}  // namespace snnipred::crypto::ot
