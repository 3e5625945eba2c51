#pragma once
// How the nonlinear protocols are built under each OT extension, and the digit layout of
// the millionaires' comparison (engine/millionaire.h): what the engine runs and the plan
// counts, from one description.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "snnipred/protocol/options.h"

namespace snnipred::protocol {

/// The variant of the comparison, multiplexer and truncation protocols.
enum class NonlinearProtocols {
    /// As first built, for IKNP: leaf OTs 1-out-of-16 with a byte per entry, every node of
    /// the comparison tree with its eq bit, a truncation's wrap over the whole ring. Its
    /// traffic is what the bundled predictor was profiled on.
    kClassic,
    /// For silent OT, where a COT costs under a bit and the tables are what remains: leaf OTs
    /// 1-out-of-2^m (m = 3, the top digit narrower) with bit-packed 2-bit entries (lt, eq),
    /// and no eq bit where nothing reads it (the lowest digit, the tree nodes above it);
    /// a truncation's wrap over `shift` bits only, since it is multiplied by 2^(ℓ − shift).
    kLean,
};

/// kClassic for IKNP, kLean for Ferret: `--ot ferret` means silent OT and the lean protocols.
NonlinearProtocols nonlinear_protocols(OtExtension extension);

/// Comparisons run in chunks of this many elements, each with all of the protocol's rounds,
/// so memory stays bounded.
constexpr std::size_t kComparisonChunk = std::size_t{1} << 16;

/// The digits of a `bits`-bit comparison, least significant first, with a digit boundary at
/// `low_bits` when it is split (0: not split).
struct ComparisonDigits {
    NonlinearProtocols protocols = NonlinearProtocols::kClassic;
    int digit_bits = 4;      // m: the leaf OTs are 1-out-of-2^m (classic: every one)
    std::vector<int> start;  // first bit of each digit
    std::vector<int> width;  // its bits (≤ m)
    std::size_t low_digits = 0;

    std::size_t size() const { return start.size(); }
    /// log2 of the leaf OT's entries for digit j: m classic, the digit's width lean.
    int leaf_log_n(std::size_t j) const;
    /// Whether digit j's leaf and the tree nodes above it carry an eq bit: always classic;
    /// lean not for digit 0, whose eq no merge reads (only the split's high part needs the
    /// eq of its root).
    bool has_eq(std::size_t j) const;
};

/// The digit width m the protocols use: 4 classic, 3 lean. Per 40-bit comparison with
/// Ferret, m = 3 sends about as little as m = 2 with one tree level fewer, and less than
/// m = 4 (docs/RESULTS.md, issue 18).
int comparison_digit_bits(NonlinearProtocols protocols);

/// The digit layout of a comparison (1 ≤ bits ≤ 64, 0 ≤ low_bits < bits) with digits of
/// min(digit_bits, bits) bits (1 ≤ digit_bits ≤ 16).
ComparisonDigits comparison_digits(int bits, int low_bits, NonlinearProtocols protocols, int digit_bits);
/// The same with the protocols' own digit width.
ComparisonDigits comparison_digits(int bits, int low_bits, NonlinearProtocols protocols);

/// Bits of its input that DReLU reads, the sign being the top one of them: classic the whole
/// ring (ℓ); lean ℓ − s + 1, whose ℓ − s low bits hold every value of magnitude below
/// 2^{ℓ−s} exactly — twice what a linear layer's output can hold at scale 2s before its
/// truncation, so a residual sum of two still fits. Shares of x mod 2^b are x's shares mod
/// 2^b, so this drops ~s of the comparison's ℓ − 1 bits at no loss on such values.
int sign_bits(const RingConfig& ring, NonlinearProtocols protocols);

/// Bits of the ring shares of a truncation's wrap bit: the ring's classic, `shift` lean.
int truncation_wrap_bits(const RingConfig& ring, int shift, NonlinearProtocols protocols);

}  // namespace snnipred::protocol
