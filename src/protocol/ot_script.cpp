#include "ot_script.h"

#include <algorithm>
#include <array>

namespace snnipred::protocol::detail {
namespace {

// crypto/ot/iknp.h and base_ot.h.
constexpr std::uint64_t kIknpChunk = std::uint64_t{1} << 14;
constexpr std::uint64_t kIknpBaseOts = 128;
constexpr std::uint64_t kPointBytes = 32;
// engine/millionaire.h.
constexpr int kDigitBits = 4;
constexpr std::uint64_t kComparisonChunk = std::uint64_t{1} << 16;

// The IKNP extension: the receiver sends a 128-row matrix per chunk. Chosen bits cost
// nothing extra: the matrix already carries them.
void cot(Wire& wire, Party sender, std::uint64_t n, bool chosen) {
    const Party receiver = other_party(sender);
    wire.messages(receiver, n / kIknpChunk, kIknpBaseOts * kIknpChunk / 8);
    if (n % kIknpChunk != 0) wire.message(receiver, kIknpBaseOts * ceil_div(n % kIknpChunk, 8));
    wire.both(chosen ? &PrimitiveCounts::chosen_cots : &PrimitiveCounts::random_cots, n);
}

// One extension's base OTs: the IKNP receiver is the base-OT sender.
void base_ots(Wire& wire, Party iknp_sender) {
    const Party base_sender = other_party(iknp_sender);
    wire.message(base_sender, kPointBytes);
    wire.message(iknp_sender, kIknpBaseOts * kPointBytes);
    wire.both(&PrimitiveCounts::base_ots, kIknpBaseOts);
}

// engine/bit_triples.cpp make_triple_pairs: straight random OTs, `between`, reverse ones.
template <class Between>
void triple_pairs(Wire& wire, std::uint64_t n, const Between& between) {
    if (n > 0) random_ot(wire, Party::kServer, n);
    between();
    if (n > 0) random_ot(wire, Party::kClient, n);
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
void compare(Wire& wire, std::uint64_t count, int bits, int low_bits) {
    if (count == 0) return;
    const int m = std::min(kDigitBits, bits);
    const std::uint64_t low_digits = ceil_div(static_cast<std::uint64_t>(low_bits), static_cast<std::uint64_t>(m));
    const std::uint64_t high_digits = ceil_div(static_cast<std::uint64_t>(bits - low_bits), static_cast<std::uint64_t>(m));
    const bool split = low_bits > 0;
    const Chains chains{{high_digits, low_digits}, {count, split ? count : 0}};
    const std::uint64_t merges = (split ? count : 0) + (high_digits - 1) * count + (split ? (low_digits - 1) * count : 0);
    triple_pairs(wire, merges, [&] { one_of_n(wire, Party::kServer, count * (low_digits + high_digits), m, 1); });
    merge(wire, chains);
    if (split) merge(wire, Chains{{2, 0}, {count, 0}});
}

void compare_chunked(Wire& wire, std::uint64_t n, int bits, int low_bits) {
    for (std::uint64_t first = 0; first < n; first += kComparisonChunk)
        compare(wire, std::min(kComparisonChunk, n - first), bits, low_bits);
}

void drelu(Wire& wire, const RingConfig& ring, std::uint64_t n) { compare_chunked(wire, n, ring.bits - 1, 0); }

void multiplex(Wire& wire, const RingConfig& ring, std::uint64_t n) {
    if (n == 0) return;
    correlated_ot(wire, Party::kServer, n, ring.bits);
    correlated_ot(wire, Party::kClient, n, ring.bits);
}

}  // namespace

void ot_setup(Wire& wire) {
    base_ots(wire, Party::kServer);
    base_ots(wire, Party::kClient);
}

void random_ot(Wire& wire, Party sender, std::uint64_t n) {
    cot(wire, sender, n, false);
    wire.both(&PrimitiveCounts::random_ots, n);
}

void correlated_ot(Wire& wire, Party sender, std::uint64_t n, int bits) {
    cot(wire, sender, n, true);
    wire.pieces(sender, ceil_div(n * static_cast<std::uint64_t>(bits), 8));
    wire.both(&PrimitiveCounts::correlated_ots, n);
}

void one_of_n(Wire& wire, Party sender, std::uint64_t n, int log_n, std::uint64_t msg_bytes) {
    cot(wire, sender, n * static_cast<std::uint64_t>(log_n), true);
    wire.pieces(sender, n * (std::uint64_t{1} << log_n) * msg_bytes);
    for (const Party party : kParties)
        wire.primitives(party).add_one_of_n(log_n, static_cast<std::int64_t>(msg_bytes), n);
}

void relu(Wire& wire, const RingConfig& ring, std::uint64_t n) {
    drelu(wire, ring, n);
    multiplex(wire, ring, n);
}

void relu6(Wire& wire, const RingConfig& ring, std::uint64_t n) {
    drelu(wire, ring, 2 * n);
    if (n > 0) {  // and_bits
        triple_pairs(wire, n, [] {});
        open_ands(wire, n, 2);
    }
    multiplex(wire, ring, 2 * n);
}

void max_of_windows(Wire& wire, const RingConfig& ring, std::map<std::uint64_t, std::uint64_t> windows) {
    for (;;) {
        std::uint64_t differences = 0;
        std::map<std::uint64_t, std::uint64_t> next;
        for (const auto& [size, how_many] : windows) {
            differences += (size / 2) * how_many;
            next[size - size / 2] += how_many;
        }
        if (differences == 0) return;
        relu(wire, ring, differences);
        windows = std::move(next);
    }
}

void truncate(Wire& wire, const RingConfig& ring, std::uint64_t n, TruncationMode mode) {
    if (n == 0) return;
    if (mode == TruncationMode::kFaithful) {
        compare_chunked(wire, n, ring.bits, ring.scale);
        correlated_ot(wire, Party::kServer, 2 * n, ring.bits);  // bits_to_ring of wrap and carry
    } else {
        correlated_ot(wire, Party::kServer, n, ring.bits);
    }
}

}  // namespace snnipred::protocol::detail
