#include "ot_script.h"

#include <algorithm>
#include <array>
#include <vector>

#include "snnipred/protocol/comparison.h"

namespace snnipred::protocol::detail {
namespace {

// engine/millionaire.cpp: the server sends every comparison's leaf OTs.
constexpr Party kLeafSender = Party::kServer;

// engine/bit_triples.cpp make_triple_pairs: straight random OTs, `between`, reverse ones.
template <class Between>
void triple_pairs(CotWire& ot, std::uint64_t n, const Between& between) {
    if (n > 0) random_ot(ot, Party::kServer, n);
    between();
    if (n > 0) random_ot(ot, Party::kClient, n);
}

// and_with_pairs: d and e of n ANDs, and e2 of the first `seconds` of them, opened in one
// exchange. The engine's comparisons all take their leaves from the server.
void open_ands(Wire& wire, std::uint64_t n, std::uint64_t seconds) {
    wire.exchange(ceil_div(2 * n + seconds, 8));
    wire.ot(kLeafSender, &OtCounts::and_gates, n + seconds);
}

// Chains of digits by kind: at most two (the low and high part of a split), each with its
// length, how many there are and whether its lowest node has an eq bit.
struct Chains {
    std::array<std::uint64_t, 2> length{}, count{};
    std::array<bool, 2> lowest_has_eq{true, true};

    std::uint64_t merges() const { return (length[0] / 2) * count[0] + (length[1] / 2) * count[1]; }
    // Merges of a lowest node without eq compute lt only.
    std::uint64_t lt_only() const {
        std::uint64_t n = 0;
        for (std::size_t k = 0; k < 2; ++k)
            if (length[k] >= 2 && !lowest_has_eq[k]) n += count[k];
        return n;
    }
    void merge_level() {
        for (std::uint64_t& l : length) l -= l / 2;
    }
};

// engine/millionaire.cpp merge: one exchange a level until each chain is one node.
void merge(Wire& wire, Chains chains) {
    for (std::uint64_t merges = chains.merges(); merges > 0; merges = chains.merges()) {
        open_ands(wire, merges, merges - chains.lt_only());
        chains.merge_level();
    }
}

// engine/millionaire.cpp compare_digits: every leaf OT of `count` elements in one batch.
void leaves(CotWire& ot, const ComparisonDigits& digits, std::uint64_t count) {
    if (digits.protocols == NonlinearProtocols::kClassic) {
        one_of_n(ot, kLeafSender, count * digits.size(), digits.digit_bits, 1);
        return;
    }
    std::vector<OneOfNCount> shapes;
    for (std::size_t j = 0; j < digits.size(); ++j) shapes.push_back({digits.leaf_log_n(j), digits.has_eq(j) ? 2 : 1, count});
    one_of_n_bits(ot, kLeafSender, shapes);
}

// One chunk of the millionaires' protocol (engine/millionaire.cpp compare).
void compare(CotWire& ot, std::uint64_t count, int bits, int low_bits) {
    if (count == 0) return;
    const ComparisonDigits digits = comparison_digits(bits, low_bits, nonlinear_protocols(ot.extension()));
    const std::uint64_t low_digits = digits.low_digits;
    const std::uint64_t high_digits = digits.size() - digits.low_digits;
    const bool split = low_bits > 0;
    const Chains chains{{high_digits, low_digits},
                        {count, split ? count : 0},
                        {digits.has_eq(digits.low_digits), digits.has_eq(0)}};
    const std::uint64_t merges = (split ? count : 0) + (high_digits - 1) * count + (split ? (low_digits - 1) * count : 0);
    triple_pairs(ot, merges, [&] { leaves(ot, digits, count); });
    merge(ot.wire(), chains);
    if (split) merge(ot.wire(), Chains{{2, 0}, {count, 0}, {digits.has_eq(0), true}});
}

void compare_chunked(CotWire& ot, std::uint64_t n, int bits, int low_bits) {
    for (std::uint64_t first = 0; first < n; first += kComparisonChunk)
        compare(ot, std::min<std::uint64_t>(kComparisonChunk, n - first), bits, low_bits);
}

void drelu(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    compare_chunked(ot, n, sign_bits(ring, nonlinear_protocols(ot.extension())) - 1, 0);
}

void multiplex(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    if (n == 0) return;
    correlated_ot(ot, Party::kServer, n, ring.bits);
    correlated_ot(ot, Party::kClient, n, ring.bits);
}

}  // namespace

void random_ot(CotWire& ot, Party sender, std::uint64_t n) {
    ot.cot(sender, n, false);
    ot.wire().ot(sender, &OtCounts::random_ots, n);
}

void correlated_ot(CotWire& ot, Party sender, std::uint64_t n, int bits) {
    ot.cot(sender, n, true);
    ot.wire().pieces(sender, ceil_div(n * static_cast<std::uint64_t>(bits), 8));
    ot.wire().ot(sender, &OtCounts::correlated_ots, n);
}

void one_of_n(CotWire& ot, Party sender, std::uint64_t n, int log_n, std::uint64_t msg_bytes) {
    ot.cot(sender, n * static_cast<std::uint64_t>(log_n), true);
    ot.wire().pieces(sender, n * (std::uint64_t{1} << log_n) * msg_bytes);
    ot.wire().sent(sender).add_one_of_n(log_n, static_cast<std::int64_t>(8 * msg_bytes), n);
}

void one_of_n_bits(CotWire& ot, Party sender, const std::vector<OneOfNCount>& shapes) {
    std::uint64_t keys = 0, bits = 0;
    for (const OneOfNCount& shape : shapes) {
        keys += shape.instances * static_cast<std::uint64_t>(shape.log_n);
        bits += shape.instances * (std::uint64_t{1} << shape.log_n) * static_cast<std::uint64_t>(shape.msg_bits);
    }
    ot.cot(sender, keys, true);
    ot.wire().pieces(sender, ceil_div(bits, 8));
    for (const OneOfNCount& shape : shapes) ot.wire().sent(sender).add_one_of_n(shape.log_n, shape.msg_bits, shape.instances);
}

void relu(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    drelu(ot, ring, n);
    multiplex(ot, ring, n);
}

void relu6(CotWire& ot, const RingConfig& ring, std::uint64_t n) {
    drelu(ot, ring, 2 * n);
    if (n > 0) {  // and_bits
        triple_pairs(ot, n, [] {});
        open_ands(ot.wire(), n, 0);
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
        correlated_ot(ot, Party::kServer, n, truncation_wrap_bits(ring, ring.scale, nonlinear_protocols(ot.extension())));
    }
}

}  // namespace snnipred::protocol::detail
