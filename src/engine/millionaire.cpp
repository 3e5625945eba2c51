#include "snnipred/engine/millionaire.h"

#include <algorithm>
#include <string>

#include "bit_triples.h"
#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"

namespace snnipred::engine {
namespace {

using protocol::ComparisonDigits;

// Shares of (lt, eq) bits of many independent comparisons ("chains"), each stored
// contiguously, least significant first. A chain whose lowest node has no eq (lean
// protocols, when nothing reads the eq of its root) keeps it that way up the tree.
struct Forest {
    BitShares lt, eq;
    std::vector<std::size_t> offset, count;
    std::vector<bool> lowest_has_eq;

    void add_chain(std::size_t first, std::size_t length, bool has_eq) {
        offset.push_back(first);
        count.push_back(length);
        lowest_has_eq.push_back(has_eq);
    }
    /// Merges until every chain is one node: one per node beyond the first of each chain.
    std::size_t merges_needed() const {
        std::size_t merges = 0;
        for (const std::size_t k : count) merges += k - 1;
        return merges;
    }
};

// Merges adjacent nodes (hi = 2p+1, lo = 2p) of every chain, one AND exchange per level:
// lt = lt_hi ⊕ (eq_hi ∧ lt_lo), eq = eq_hi ∧ eq_lo, both from one triple pair; a merge
// whose lo node has no eq computes lt only ("single"), and the pairs go first in the
// exchange. Leaves one node per chain.
void merge(OtSession& session, Forest& forest, const detail::BitTriplePairs& triples, std::size_t& used) {
    const std::size_t chains = forest.count.size();
    auto single = [&](std::size_t c, std::size_t p) { return p == 0 && !forest.lowest_has_eq[c]; };
    for (;;) {
        BitShares eq_hi, lt_lo, eq_lo, single_eq_hi, single_lt_lo;
        for (std::size_t c = 0; c < chains; ++c)
            for (std::size_t p = 0; p < forest.count[c] / 2; ++p) {
                const std::size_t lo = forest.offset[c] + 2 * p;
                if (single(c, p)) {
                    single_eq_hi.push_back(forest.eq[lo + 1]);
                    single_lt_lo.push_back(forest.lt[lo]);
                    continue;
                }
                eq_hi.push_back(forest.eq[lo + 1]);
                lt_lo.push_back(forest.lt[lo]);
                eq_lo.push_back(forest.eq[lo]);
            }
        const std::size_t pairs = eq_hi.size();
        eq_hi.insert(eq_hi.end(), single_eq_hi.begin(), single_eq_hi.end());
        lt_lo.insert(lt_lo.end(), single_lt_lo.begin(), single_lt_lo.end());
        if (eq_hi.empty()) return;
        const detail::AndResult products = detail::and_with_pairs(session, eq_hi, lt_lo, eq_lo, triples, used);
        used += eq_hi.size();

        Forest next;
        std::size_t k_pair = 0, k_single = pairs;
        for (std::size_t c = 0; c < chains; ++c) {
            const std::size_t count = forest.count[c], base = forest.offset[c], half = count / 2;
            next.add_chain(next.lt.size(), count - half, forest.lowest_has_eq[c]);
            for (std::size_t p = 0; p < half; ++p) {
                const bool lt_only = single(c, p);
                const std::size_t k = lt_only ? k_single++ : k_pair++;
                next.lt.push_back(forest.lt[base + 2 * p + 1] ^ products.z[k]);
                next.eq.push_back(lt_only ? 0 : products.z2[k]);
            }
            if (count % 2 == 1) {  // odd count: the top node moves up unchanged
                next.lt.push_back(forest.lt[base + count - 1]);
                next.eq.push_back(forest.eq[base + count - 1]);
            }
        }
        forest = std::move(next);
    }
}

// The server's leaf entry for the client's digit k: (lt0 ⊕ [a < k], eq0 ⊕ [a = k]).
std::uint8_t leaf_entry(std::uint64_t digit, std::size_t k, std::uint8_t lt, std::uint8_t eq) {
    return static_cast<std::uint8_t>((lt ^ (digit < k ? 1 : 0)) | ((eq ^ (digit == k ? 1 : 0)) << 1));
}

// Classic leaf OTs: 1-out-of-2^m OTs of one byte per entry (Naor–Pinkas, ot.h), server as
// sender, digit-major per element.
void classic_leaves(OtSession& session, std::span<const std::uint64_t> digit_values, const ComparisonDigits& digits,
                    BitShares& lt, BitShares& eq) {
    const std::size_t n = digit_values.size();
    const int m = digits.digit_bits;
    const std::size_t entries = std::size_t{1} << m;
    if (session.is_server()) {
        const std::span<std::uint8_t> table = session.scratch().leaf_entries.take(n * entries);
        parallel_for(session.threads(), n, [&](std::size_t id) {
            for (std::size_t k = 0; k < entries; ++k)
                table[id * entries + k] = leaf_entry(digit_values[id], k, lt[id], eq[id]);
        });
        session.sender().send_one_of_n(session.channel(), session.prg(), table, m, 1);
        return;
    }
    std::vector<std::uint32_t> choices(digit_values.begin(), digit_values.end());
    std::vector<std::uint8_t> received(n);
    session.receiver().receive_one_of_n(session.channel(), session.prg(), choices, m, 1, received);
    for (std::size_t id = 0; id < n; ++id) {
        lt[id] = received[id] & 1U;
        eq[id] = (received[id] >> 1) & 1U;
    }
}

// Lean leaf OTs: 1-out-of-2^width with bit-packed entries of 2 bits (lt, eq), or 1 (lt)
// for digits without eq.
void lean_leaves(OtSession& session, std::span<const std::uint64_t> digit_values, const ComparisonDigits& digits,
                 BitShares& lt, BitShares& eq) {
    const std::size_t n = digit_values.size();
    const std::span<crypto::ot::BitTableShape> shapes = session.scratch().leaf_shapes.take(n);
    const std::span<std::size_t> first = session.scratch().leaf_first.take(n + 1);
    first[0] = 0;
    for (std::size_t id = 0; id < n; ++id) {
        const std::size_t j = id % digits.size();
        shapes[id] = {digits.leaf_log_n(j), digits.has_eq(j) ? 2 : 1};
        first[id + 1] = first[id] + (std::size_t{1} << shapes[id].log_n);
    }
    if (session.is_server()) {
        const std::span<std::uint8_t> entries = session.scratch().leaf_entries.take(first[n]);
        parallel_for(session.threads(), n, [&](std::size_t id) {
            const auto mask = static_cast<std::uint8_t>((1U << shapes[id].entry_bits) - 1);
            for (std::size_t k = 0; k < first[id + 1] - first[id]; ++k)
                entries[first[id] + k] = leaf_entry(digit_values[id], k, lt[id], eq[id]) & mask;
        });
        session.sender().send_one_of_n_bits(session.channel(), session.prg(), shapes, entries);
        return;
    }
    std::vector<std::uint32_t> choices(digit_values.begin(), digit_values.end());
    std::vector<std::uint8_t> received(n);
    session.receiver().receive_one_of_n_bits(session.channel(), session.prg(), shapes, choices, received);
    for (std::size_t id = 0; id < n; ++id) {
        lt[id] = received[id] & 1U;
        eq[id] = (received[id] >> 1) & 1U;
    }
}

// Digit comparisons by 1-out-of-2^m OT, server as sender: digit-major per element. The
// server's shares are random bits; the client's come out of the OTs.
void compare_digits(OtSession& session, std::span<const std::uint64_t> values, const ComparisonDigits& digits,
                    BitShares& lt, BitShares& eq) {
    const std::size_t n = values.size() * digits.size();
    lt.assign(n, 0);
    eq.assign(n, 0);
    const std::span<std::uint64_t> digit_values = session.scratch().digit_values.take(n);
    for (std::size_t id = 0; id < n; ++id) {
        const std::size_t j = id % digits.size();
        const std::uint64_t mask = (std::uint64_t{1} << digits.width[j]) - 1;
        digit_values[id] = (values[id / digits.size()] >> digits.start[j]) & mask;
    }
    if (session.is_server()) {
        session.prg().random_bits(lt);
        session.prg().random_bits(eq);
    }
    if (digits.protocols == protocol::NonlinearProtocols::kLean)
        lean_leaves(session, digit_values, digits, lt, eq);
    else
        classic_leaves(session, digit_values, digits, lt, eq);
}

// The common protocol: low_bits = 0 compares whole values only.
SplitComparison compare(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits,
                        int digit_bits) {
    const std::size_t count = mine.size();
    if (count == 0) return {};
    const ComparisonDigits digits = protocol::comparison_digits(bits, low_bits, session.nonlinear(), digit_bits);
    const std::size_t q = digits.size();
    const bool split = low_bits > 0;

    Forest forest;
    for (std::size_t i = 0; i < count; ++i) {
        if (split) {
            forest.add_chain(i * q, digits.low_digits, digits.has_eq(0));
            forest.add_chain(i * q + digits.low_digits, q - digits.low_digits, digits.has_eq(digits.low_digits));
        } else {
            forest.add_chain(i * q, q, digits.has_eq(0));
        }
    }
    // Flights 1–2: every triple pair the trees need, with the digit comparisons in between.
    const std::size_t merges = forest.merges_needed() + (split ? count : 0);
    const detail::BitTriplePairs triples = detail::make_triple_pairs(
        session, merges, [&] { compare_digits(session, mine, digits, forest.lt, forest.eq); });

    std::size_t used = 0;
    merge(session, forest, triples, used);
    SplitComparison out;
    if (!split) {
        out.full = std::move(forest.lt);
        return out;
    }
    // Roots are (low, high) per element; one more level joins them (lean: lt only, as the
    // low root has no eq).
    out.low.resize(count);
    for (std::size_t i = 0; i < count; ++i) out.low[i] = forest.lt[2 * i];
    Forest joined{std::move(forest.lt), std::move(forest.eq), {}, {}, {}};
    for (std::size_t i = 0; i < count; ++i) joined.add_chain(2 * i, 2, digits.has_eq(0));
    merge(session, joined, triples, used);
    out.full = std::move(joined.lt);
    return out;
}

void check_width(int bits) {
    SNNIPRED_CHECK(bits >= 1 && bits <= 64, InvalidInput,
                   "millionaires' protocol: width must be in [1, 64], got " + std::to_string(bits));
}

// Runs `compare` on consecutive chunks of at most kComparisonChunk elements.
SplitComparison compare_chunked(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits,
                                std::optional<int> digit_bits) {
    const int m = digit_bits.value_or(protocol::comparison_digit_bits(session.nonlinear()));
    if (mine.size() <= kComparisonChunk) return compare(session, mine, bits, low_bits, m);
    SplitComparison out;
    for (std::size_t first = 0; first < mine.size(); first += kComparisonChunk) {
        const SplitComparison part =
            compare(session, mine.subspan(first, std::min(kComparisonChunk, mine.size() - first)), bits, low_bits, m);
        out.full.insert(out.full.end(), part.full.begin(), part.full.end());
        out.low.insert(out.low.end(), part.low.begin(), part.low.end());
    }
    return out;
}

}  // namespace

BitShares less_than(OtSession& session, std::span<const std::uint64_t> mine, int bits,
                    std::optional<int> digit_bits) {
    check_width(bits);
    return compare_chunked(session, mine, bits, 0, digit_bits).full;
}

SplitComparison less_than_split(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits) {
    check_width(bits);
    SNNIPRED_CHECK(
        low_bits >= 1 && low_bits < bits, InvalidInput,
        "millionaires' protocol: split at bit " + std::to_string(low_bits) + " of " + std::to_string(bits) + " bits");
    return compare_chunked(session, mine, bits, low_bits, std::nullopt);
}

BitShares and_bits(OtSession& session, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y) {
    SNNIPRED_CHECK(x.size() == y.size(), InvalidInput, "AND of shared bits: operand sizes differ");
    if (x.empty()) return {};
    const detail::BitTriplePairs triples = detail::make_triple_pairs(session, x.size());
    return detail::and_with_pairs(session, x, y, {}, triples, 0).z;
}

}  // namespace snnipred::engine
