#include "snnipred/engine/millionaire.h"

#include <algorithm>
#include <string>

#include "bit_triples.h"
#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"

namespace snnipred::engine {
namespace {

// Where each digit of a value starts, least significant first. A split at `low_bits` puts
// a digit boundary there, so the low part is a comparison of its own.
struct DigitLayout {
    std::vector<int> start, width;
    std::size_t low_digits = 0;
    std::size_t size() const { return start.size(); }
};

DigitLayout make_layout(int bits, int low_bits, int m) {
    DigitLayout layout;
    auto cover = [&](int from, int to) {
        for (int s = from; s < to; s += m) {
            layout.start.push_back(s);
            layout.width.push_back(std::min(m, to - s));
        }
    };
    cover(0, low_bits);
    layout.low_digits = layout.size();
    cover(low_bits, bits);
    return layout;
}

// Shares of (lt, eq) bits of many independent comparisons ("chains"), each stored
// contiguously, least significant first.
struct Forest {
    BitShares lt, eq;
    std::vector<std::size_t> offset, count;

    void add_chain(std::size_t first, std::size_t length) {
        offset.push_back(first);
        count.push_back(length);
    }
    /// Merges until every chain is one node: one per node beyond the first of each chain.
    std::size_t merges_needed() const {
        std::size_t merges = 0;
        for (const std::size_t k : count) merges += k - 1;
        return merges;
    }
};

// Merges adjacent nodes (hi = 2p+1, lo = 2p) of every chain, one AND exchange per level:
// lt = lt_hi ⊕ (eq_hi ∧ lt_lo), eq = eq_hi ∧ eq_lo, both from one triple pair (the root's
// eq is computed too: with pairs it costs only a bit). Leaves one node per chain.
void merge(OtSession& session, Forest& forest, const detail::BitTriplePairs& triples, std::size_t& used) {
    const std::size_t chains = forest.count.size();
    for (;;) {
        BitShares eq_hi, lt_lo, eq_lo;
        for (std::size_t c = 0; c < chains; ++c)
            for (std::size_t p = 0; p < forest.count[c] / 2; ++p) {
                const std::size_t lo = forest.offset[c] + 2 * p;
                eq_hi.push_back(forest.eq[lo + 1]);
                lt_lo.push_back(forest.lt[lo]);
                eq_lo.push_back(forest.eq[lo]);
            }
        if (eq_hi.empty()) return;
        const detail::AndResult products = detail::and_with_pairs(session, eq_hi, lt_lo, eq_lo, triples, used);
        used += eq_hi.size();

        Forest next;
        std::size_t k = 0;
        for (std::size_t c = 0; c < chains; ++c) {
            const std::size_t count = forest.count[c], base = forest.offset[c], pairs = count / 2;
            next.add_chain(next.lt.size(), count - pairs);
            for (std::size_t p = 0; p < pairs; ++p, ++k) {
                next.lt.push_back(forest.lt[base + 2 * p + 1] ^ products.z[k]);
                next.eq.push_back(products.z2[k]);
            }
            if (count % 2 == 1) {  // odd count: the top node moves up unchanged
                next.lt.push_back(forest.lt[base + count - 1]);
                next.eq.push_back(forest.eq[base + count - 1]);
            }
        }
        forest = std::move(next);
    }
}

// Digit comparisons by 1-out-of-2^m OT, server as sender: digit-major per element.
void compare_digits(OtSession& session, std::span<const std::uint64_t> values, const DigitLayout& layout, int m,
                    BitShares& lt, BitShares& eq) {
    const std::size_t digits = layout.size();
    const std::size_t n = values.size() * digits;
    const std::size_t entries = std::size_t{1} << m;
    lt.assign(n, 0);
    eq.assign(n, 0);
    auto digit_of = [&](std::size_t id) {
        const std::size_t j = id % digits;
        const std::uint64_t mask = (std::uint64_t{1} << layout.width[j]) - 1;
        return (values[id / digits] >> layout.start[j]) & mask;
    };
    if (session.is_server()) {
        session.prg().random_bits(lt);
        session.prg().random_bits(eq);
        std::vector<std::uint8_t> table(n * entries);
        parallel_for(session.threads(), n, [&](std::size_t id) {
            const std::uint64_t digit = digit_of(id);
            for (std::size_t k = 0; k < entries; ++k)
                table[id * entries + k] =
                    static_cast<std::uint8_t>((lt[id] ^ (digit < k ? 1 : 0)) | ((eq[id] ^ (digit == k ? 1 : 0)) << 1));
        });
        session.sender().send_one_of_n(session.channel(), session.prg(), table, m, 1);
    } else {
        std::vector<std::uint32_t> choices(n);
        for (std::size_t id = 0; id < n; ++id) choices[id] = static_cast<std::uint32_t>(digit_of(id));
        std::vector<std::uint8_t> received(n);
        session.receiver().receive_one_of_n(session.channel(), session.prg(), choices, m, 1, received);
        for (std::size_t id = 0; id < n; ++id) {
            lt[id] = received[id] & 1U;
            eq[id] = (received[id] >> 1) & 1U;
        }
    }
}

// The common protocol: low_bits = 0 compares whole values only.
SplitComparison compare(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits) {
    const std::size_t count = mine.size();
    if (count == 0) return {};
    const int m = std::min(kDigitBits, bits);
    const DigitLayout layout = make_layout(bits, low_bits, m);
    const std::size_t digits = layout.size();
    const bool split = low_bits > 0;

    Forest forest;
    for (std::size_t i = 0; i < count; ++i) {
        if (split) {
            forest.add_chain(i * digits, layout.low_digits);
            forest.add_chain(i * digits + layout.low_digits, digits - layout.low_digits);
        } else {
            forest.add_chain(i * digits, digits);
        }
    }
    // Flights 1–2: every triple pair the trees need, with the digit comparisons in between.
    const std::size_t merges = forest.merges_needed() + (split ? count : 0);
    const detail::BitTriplePairs triples = detail::make_triple_pairs(
        session, merges, [&] { compare_digits(session, mine, layout, m, forest.lt, forest.eq); });

    std::size_t used = 0;
    merge(session, forest, triples, used);
    SplitComparison out;
    if (!split) {
        out.full = std::move(forest.lt);
        return out;
    }
    // Roots are (low, high) per element; one more level joins them.
    out.low.resize(count);
    for (std::size_t i = 0; i < count; ++i) out.low[i] = forest.lt[2 * i];
    Forest joined{std::move(forest.lt), std::move(forest.eq), {}, {}};
    for (std::size_t i = 0; i < count; ++i) joined.add_chain(2 * i, 2);
    merge(session, joined, triples, used);
    out.full = std::move(joined.lt);
    return out;
}

void check_width(int bits) {
    SNNIPRED_CHECK(bits >= 1 && bits <= 64, InvalidInput,
                   "millionaires' protocol: width must be in [1, 64], got " + std::to_string(bits));
}

// Runs `compare` on consecutive chunks of at most kComparisonChunk elements.
SplitComparison compare_chunked(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits) {
    if (mine.size() <= kComparisonChunk) return compare(session, mine, bits, low_bits);
    SplitComparison out;
    for (std::size_t first = 0; first < mine.size(); first += kComparisonChunk) {
        const SplitComparison part =
            compare(session, mine.subspan(first, std::min(kComparisonChunk, mine.size() - first)), bits, low_bits);
        out.full.insert(out.full.end(), part.full.begin(), part.full.end());
        out.low.insert(out.low.end(), part.low.begin(), part.low.end());
    }
    return out;
}

}  // namespace

BitShares less_than(OtSession& session, std::span<const std::uint64_t> mine, int bits) {
    check_width(bits);
    return compare_chunked(session, mine, bits, 0).full;
}

SplitComparison less_than_split(OtSession& session, std::span<const std::uint64_t> mine, int bits, int low_bits) {
    check_width(bits);
    SNNIPRED_CHECK(
        low_bits >= 1 && low_bits < bits, InvalidInput,
        "millionaires' protocol: split at bit " + std::to_string(low_bits) + " of " + std::to_string(bits) + " bits");
    return compare_chunked(session, mine, bits, low_bits);
}

BitShares and_bits(OtSession& session, std::span<const std::uint8_t> x, std::span<const std::uint8_t> y) {
    SNNIPRED_CHECK(x.size() == y.size(), InvalidInput, "AND of shared bits: operand sizes differ");
    if (x.empty()) return {};
    const detail::BitTriplePairs triples = detail::make_triple_pairs(session, x.size());
    return detail::and_with_pairs(session, x, y, {}, triples, 0).z;
}

}  // namespace snnipred::engine
