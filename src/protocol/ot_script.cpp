#include "ot_script.h"

#include <algorithm>
#include <array>

namespace snnipred::protocol::detail {
namespace {

// engine/millionaire.h.
constexpr int kDigitBits = 4;
constexpr std::uint64_t kComparisonChunk = std::uint64_t{1} << 16;

// engine/bit_triples.cpp make_triple_pairs: straight random OTs, `between`, reverse ones.
template <class Between>
void triple_pairs(CotWire& ot, std::uint64_t n, const Between& between) {
    if (n > 0) random_ot(ot, Party::kServer, n);
    between();
    if (n > 0) random_ot(ot, Party::kClient, n);
}

// and_with_pairs: d, e (and e2) opened in one exchange.
void open_ands(Wire& wire, std::uint64_t n, std::uint64_t parts) {
    wire.exchange(ceil_div(parts * n, 8));
    wire.both(&PrimitiveCounts::and_gates, n * (parts - 1));
}

// Chains of digits by length: at most two lengths (the low and high part of a split).
struct Chains {
    std::array<std::uint64_t, 2> length{}, count{};

    std::uint64_t pairs() const { return (length[0] / 2) * count[0] + (length[1] / 2) * count[1]; }
    void merge_level() {
        for (std::uint64_t& l : length) l -= l / 2;
    }
};

// Merges chains pairwise until each is one node: one exchange of 3 bits per pair a level.
void merge(Wire& wire, Chains chains) {
    for (std::uint64_t pairs = chains.pairs(); pairs > 0; pairs = chains.pairs()) {
        open_ands(wire, pairs, 3);
        chains.merge_level();
    }
}

// One chunk of the millionaires' protocol (engine/millionaire.cpp compare).
void compare(CotWire& ot, std::uint64_t count, int bits, int low_bits) {
    if (count == 0) return;
    const int m = std::min(kDigitBits, bits);
    const std::uint64_t low_digits = ceil_div(static_cast<std::uint64_t>(low_bits), static_cast<std::uint64_t>(m));
    const std::uint64_t high_digits = ceil_div(static_cast<std::uint64_t>(bits - low_bits), static_cast<std::uint64_t>(m));
    const bool split = low_bits > 0;
    const Chains chains{{high_digits, low_digits}, {count, split ? count : 0}};
    const std::uint64_t merges = (split ? count : 0) + (high_digits - 1) * count + (split ? (low_digits - 1) * count : 0);
    triple_pairs(ot, merges, [&] { one_of_n(ot, Party::kServer, count * (low_digits + high_digits), m, 1); });
    merge(ot.wire(), chains);
    if (split) merge(ot.wire(), Chains{{2, 0}, {count, 0}});
}

void compare_chunked(CotWire& ot, std::uint64_t n, int bits, int low_bits) {
    for (std::uint64_t first = 0; first < n; first += kComparisonChunk)
        compare(ot, std::min(kComparisonChunk, n - first), bits, low_bits);
}

void drelu(CotWire& ot, const RingConfig& ring, std::uint64_t n) { compare_chunked(ot, n, ring.bits - 1, 0); }

void multiplex(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    if (n == 0) return;
    correlated_ot(ot, Party::kServer, n, ring.bits);
    correlated_ot(ot, Party::kClient, n, ring.bits);
}

}  // namespace

void random_ot(CotWire& ot, Party sender, std::uint64_t n) {
    ot.cot(sender, n, false);
    ot.wire().both(&PrimitiveCounts::random_ots, n);
}

void correlated_ot(CotWire& ot, Party sender, std::uint64_t n, int bits) {
    ot.cot(sender, n, true);
    ot.wire().pieces(sender, ceil_div(n * static_cast<std::uint64_t>(bits), 8));
    ot.wire().both(&PrimitiveCounts::correlated_ots, n);
}

void one_of_n(CotWire& ot, Party sender, std::uint64_t n, int log_n, std::uint64_t msg_bytes) {
    ot.cot(sender, n * static_cast<std::uint64_t>(log_n), true);
    ot.wire().pieces(sender, n * (std::uint64_t{1} << log_n) * msg_bytes);
    for (const Party party : kParties)
        ot.wire().primitives(party).add_one_of_n(log_n, static_cast<std::int64_t>(msg_bytes), n);
}

void relu(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    drelu(ot, ring, n);
    multiplex(ot, ring, n);
}

void relu6(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    drelu(ot, ring, 2 * n);
    if (n > 0) {  // and_bits
        triple_pairs(ot, n, [] {});
        open_ands(ot.wire(), n, 2);
    }
    multiplex(ot, ring, 2 * n);
}

void max_of_windows(CotWire& ot, const RingConfig& ring, std::map<std::uint64_t, std::uint64_t> windows) {
    for (;;) {
        std::uint64_t differences = 0;
        std::map<std::uint64_t, std::uint64_t> next;
        for (const auto& [size, how_many] : windows) {
            differences += (size / 2) * how_many;
            next[size - size / 2] += how_many;
        }
        if (differences == 0) return;
        relu(ot, ring, differences);
        windows = std::move(next);
    }
}

void truncate(CotWire& ot, const RingConfig& ring, std::uint64_t n, TruncationMode mode) {
    if (n == 0) return;
    if (mode == TruncationMode::kFaithful) {
        compare_chunked(ot, n, ring.bits, ring.scale);
        correlated_ot(ot, Party::kServer, 2 * n, ring.bits);  // bits_to_ring of wrap and carry
    } else {
        correlated_ot(ot, Party::kServer, n, ring.bits);
    }
}

}  // namespace snnipred::protocol::detail
