// 1-out-of-N OT with entries of a few bits (ot.h: send_one_of_n_bits). With a silent COT
// costing well under a bit, what such an OT sends is its table: N·entry_bits bits, bit-
// packed, instead of N whole bytes; plus the receiver's log N flip bits of the chosen COTs.

#include <algorithm>
#include <string>
#include <vector>

#include "one_of_n_seeds.h"
#include "wire.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ot.h"

namespace snnipred::crypto::ot {
namespace {

// Where each instance's keys, entries and wire bits start (one more element at the end:
// the totals); views of the OT object's scratch.
struct BitTableLayout {
    std::span<std::size_t> key_first, entry_first, bit_first;

    std::size_t keys() const { return key_first.back(); }
    std::size_t entries() const { return entry_first.back(); }
    std::size_t wire_bytes() const { return (bit_first.back() + 7) / 8; }
};

BitTableLayout layout_of(std::span<const BitTableShape> shapes, ScratchBuffer<std::size_t>& memory) {
    const std::size_t n = shapes.size() + 1;
    const std::span<std::size_t> all = memory.take(3 * n);
    const BitTableLayout layout{all.first(n), all.subspan(n, n), all.subspan(2 * n, n)};
    layout.key_first[0] = layout.entry_first[0] = layout.bit_first[0] = 0;
    for (std::size_t j = 0; j < shapes.size(); ++j) {
        const BitTableShape& shape = shapes[j];
        SNNIPRED_CHECK(shape.log_n >= 1 && shape.log_n <= kMaxLogN && shape.entry_bits >= 1 && shape.entry_bits <= 8,
                       InvalidInput,
                       "1-out-of-N OT of bit entries: log N must be in [1, " + std::to_string(kMaxLogN) +
                           "] and entries 1 to 8 bits, got log N " + std::to_string(shape.log_n) + ", " +
                           std::to_string(shape.entry_bits) + " bits");
        const std::size_t entries = std::size_t{1} << shape.log_n;
        layout.key_first[j + 1] = layout.key_first[j] + static_cast<std::size_t>(shape.log_n);
        layout.entry_first[j + 1] = layout.entry_first[j] + entries;
        layout.bit_first[j + 1] = layout.bit_first[j] + entries * static_cast<std::size_t>(shape.entry_bits);
    }
    return layout;
}

std::uint8_t entry_mask(const BitTableShape& shape) { return static_cast<std::uint8_t>((1U << shape.entry_bits) - 1); }

}  // namespace

void OtSender::send_one_of_n_bits(net::Channel& channel, Prg& prg, std::span<const BitTableShape> shapes,
                                  std::span<const std::uint8_t> entries) {
    const BitTableLayout layout = layout_of(shapes, layout_);
    SNNIPRED_CHECK(entries.size() == layout.entries(), InvalidInput,
                   "1-out-of-N OT of bit entries: the shapes need " + std::to_string(layout.entries()) +
                       " entries, got " + std::to_string(entries.size()));
    for (std::size_t j = 0; j < shapes.size(); ++j)
        for (std::size_t e = layout.entry_first[j]; e < layout.entry_first[j + 1]; ++e)
            SNNIPRED_CHECK((entries[e] & ~entry_mask(shapes[j])) == 0, InvalidInput,
                           "1-out-of-N OT of bit entries: entry " + std::to_string(e) + " has more than " +
                               std::to_string(shapes[j].entry_bits) + " bits");

    const auto [zero, one] = hashed_cots(channel, prg, layout.keys(), true);
    std::vector<std::uint8_t> masked(entries.begin(), entries.end());
    detail::hashed_chunks(threads_, hash_, shapes.size(), [&](CrHash& hash, std::size_t begin, std::size_t end) {
        detail::sender_seeds(hash, zero, one, layout.key_first, begin, end,
                             [&](std::size_t j, std::span<const Block> seeds) {
                                 for (std::size_t x = 0; x < seeds.size(); ++x)
                                     masked[layout.entry_first[j] + x] ^=
                                         static_cast<std::uint8_t>(seeds[x].lo) & entry_mask(shapes[j]);
                             });
    });

    // Entries are contiguous on the wire, least significant bit first: shift each into a
    // word and move out whole bytes.
    std::vector<std::uint8_t> wire(layout.wire_bytes());
    std::uint64_t pending = 0;
    int pending_bits = 0;
    std::size_t byte = 0;
    for (std::size_t j = 0; j < shapes.size(); ++j) {
        const int width = shapes[j].entry_bits;
        for (std::size_t e = layout.entry_first[j]; e < layout.entry_first[j + 1]; ++e) {
            pending |= static_cast<std::uint64_t>(masked[e]) << pending_bits;
            pending_bits += width;
            for (; pending_bits >= 8; pending_bits -= 8, pending >>= 8) wire[byte++] = static_cast<std::uint8_t>(pending);
        }
    }
    if (pending_bits > 0) wire[byte] = static_cast<std::uint8_t>(pending);
    detail::send_message(channel, wire);
}

void OtReceiver::receive_one_of_n_bits(net::Channel& channel, Prg& prg, std::span<const BitTableShape> shapes,
                                       std::span<const std::uint32_t> choices, std::span<std::uint8_t> out) {
    const BitTableLayout layout = layout_of(shapes, layout_);
    SNNIPRED_CHECK(choices.size() == shapes.size() && out.size() == shapes.size(), InvalidInput,
                   "1-out-of-N OT of bit entries: one choice and one output per instance");
    const std::span<std::uint8_t> bits = key_bits_.take(layout.keys());
    for (std::size_t j = 0; j < shapes.size(); ++j) {
        SNNIPRED_CHECK(choices[j] < (std::uint32_t{1} << shapes[j].log_n), InvalidInput,
                       "1-out-of-N OT of bit entries: choice " + std::to_string(choices[j]) + " of instance " +
                           std::to_string(j) + " is not below N = 2^" + std::to_string(shapes[j].log_n));
        for (std::size_t k = layout.key_first[j]; k < layout.key_first[j + 1]; ++k)
            bits[k] = (choices[j] >> (k - layout.key_first[j])) & 1U;
    }
    const std::span<Block> keys = hashed_chosen_cots(channel, prg, bits);
    const std::span<const Block> seeds =
        detail::receiver_seeds(threads_, hash_, keys, choices, layout.key_first, tweaks_.take(keys.size()));

    const std::vector<std::uint8_t> wire =
        detail::recv_message(channel, layout.wire_bytes(), "1-out-of-N OT of bit entries");
    for (std::size_t j = 0; j < shapes.size(); ++j) {
        const int width = shapes[j].entry_bits;
        std::size_t position = layout.bit_first[j] + choices[j] * static_cast<std::size_t>(width);
        std::uint8_t entry = 0;
        for (int b = 0; b < width; ++b, ++position)
            entry |= static_cast<std::uint8_t>(((wire[position / 8] >> (position % 8)) & 1U) << b);
        out[j] = entry ^ (static_cast<std::uint8_t>(seeds[j].lo) & entry_mask(shapes[j]));
    }
}

}  // namespace snnipred::crypto::ot
