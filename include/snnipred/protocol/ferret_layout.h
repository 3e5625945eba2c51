#pragma once
// What the protocol plan needs of the silent OT extension (crypto/ot/ferret.h): its two LPN
// parameter sets, from which every message size and the COTs each iteration yields follow.
// The plan links no crypto, so this is a copy of FerretParams::standard();
// tests/engine/ferret_layout_test.cpp checks the two agree.

#include <cstdint>

namespace snnipred::protocol {

/// One LPN set: n outputs, a k-entry secret, t noise positions (one per block of n/t).
struct LpnShape {
    std::uint64_t n = 0;
    std::uint64_t k = 0;
    std::uint64_t t = 0;

    std::uint64_t block() const { return n / t; }
    /// GGM tree depth: ceil(log2 block).
    int depth() const;
    /// COTs one iteration consumes: k + t·depth.
    std::uint64_t reserve() const { return k + t * static_cast<std::uint64_t>(depth()); }
    /// One iteration's messages: the receiver's GGM choice bits, ceil(t·depth/8) bytes, then
    /// the sender's level sums and correction, t·(2·depth+1) blocks of 16 bytes.
    std::uint64_t receiver_bytes() const { return (t * static_cast<std::uint64_t>(depth()) + 7) / 8; }
    std::uint64_t sender_bytes() const { return t * (2 * static_cast<std::uint64_t>(depth()) + 1) * 16; }
};

struct FerretLayout {
    LpnShape bootstrap;
    LpnShape main;

    /// COTs a refill (one main iteration) adds: main.n − main.reserve().
    std::uint64_t batch() const { return main.n - main.reserve(); }
};

/// The engine's parameters (FerretParams::standard()): bootstrap (649,728, 36,288, 1,269),
/// main (10,168,320, 588,160, 1,324).
FerretLayout ferret_layout();

/// Bytes of the LPN code's seed the sender sends at setup.
inline constexpr std::uint64_t kFerretSeedBytes = 16;

}  // namespace snnipred::protocol
