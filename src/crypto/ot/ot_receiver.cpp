#include <string>
#include <vector>

#include "one_of_n_seeds.h"
#include "packing.h"
#include "pad.h"
#include "parallel_hash.h"
#include "wire.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ot.h"

namespace snnipred::crypto::ot {

std::span<Block> OtReceiver::hashed_chosen_cots(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits) {
    const std::uint64_t first = cot_.produced();
    const std::span<Block> keys = keys_.take(bits.size());
    cot_.chosen_cot(channel, prg, bits, keys);
    detail::tccr_parallel(threads_, hash_, keys, first);
    return keys;
}

void OtReceiver::random_ot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits, std::span<Block> out) {
    const std::uint64_t first = cot_.produced();
    cot_.random_cot(channel, prg, bits, out);
    detail::tccr_parallel(threads_, hash_, out, first);
}

void OtReceiver::correlated_ot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices, int bits,
                               std::span<std::uint64_t> out) {
    SNNIPRED_CHECK(bits >= 1 && bits <= 64, InvalidInput,
                   "correlated OT: ring bit width must be in [1, 64], got " + std::to_string(bits));
    SNNIPRED_CHECK(choices.size() == out.size(), InvalidInput, "correlated OT: choices and outputs differ in size");
    const std::span<const Block> t = hashed_chosen_cots(channel, prg, choices);
    const std::vector<std::uint8_t> message =
        detail::recv_message(channel, detail::packed_value_bytes(choices.size(), bits), "correlated OT");
    detail::unpack_values(message, bits, out);
    const std::uint64_t mask = detail::ring_mask(bits);
    for (std::size_t j = 0; j < out.size(); ++j) {
        // c = 0: H(q) = x0; c = 1: y + H(q ⊕ Δ) = x0 + corr.
        const std::uint64_t masked = choices[j] ? out[j] : 0;
        out[j] = (masked + t[j].lo) & mask;
    }
}

void OtReceiver::receive(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> choices,
                         std::size_t msg_bytes, std::span<std::uint8_t> out) {
    SNNIPRED_CHECK(msg_bytes > 0, InvalidInput, "OT receive: message length must be positive");
    SNNIPRED_CHECK(out.size() == choices.size() * msg_bytes, InvalidInput,
                   "OT receive: output must hold one message per choice");
    const std::size_t n = choices.size();
    const std::span<const Block> t = hashed_chosen_cots(channel, prg, choices);
    const std::vector<std::uint8_t> masked = detail::recv_message(channel, 2 * n * msg_bytes, "OT receive");
    detail::PadExpander pads;
    for (std::size_t j = 0; j < n; ++j) {
        std::uint8_t* target = out.data() + j * msg_bytes;
        const std::uint8_t* source = masked.data() + (choices[j] * n + j) * msg_bytes;
        std::copy(source, source + msg_bytes, target);
        pads.xor_pad(t[j], target, msg_bytes);
    }
}

void OtReceiver::receive_one_of_n(net::Channel& channel, Prg& prg, std::span<const std::uint32_t> choices,
                                  int log_n, std::size_t msg_bytes, std::span<std::uint8_t> out) {
    SNNIPRED_CHECK(log_n >= 1 && log_n <= kMaxLogN, InvalidInput,
                   "1-out-of-N OT: log N must be in [1, " + std::to_string(kMaxLogN) + "]");
    SNNIPRED_CHECK(msg_bytes > 0, InvalidInput, "1-out-of-N OT: message length must be positive");
    SNNIPRED_CHECK(out.size() == choices.size() * msg_bytes, InvalidInput,
                   "1-out-of-N OT: output must hold one message per choice");
    const std::size_t entries = std::size_t{1} << log_n;
    const auto m = static_cast<std::size_t>(log_n);
    const std::size_t n = choices.size();
    const std::span<std::uint8_t> bits = key_bits_.take(n * m);
    for (std::size_t j = 0; j < n; ++j) {
        SNNIPRED_CHECK(choices[j] < entries, InvalidInput,
                       "1-out-of-N OT: choice " + std::to_string(choices[j]) + " is not below N");
        for (std::size_t i = 0; i < m; ++i) bits[j * m + i] = (choices[j] >> i) & 1U;
    }
    const std::span<Block> keys = hashed_chosen_cots(channel, prg, bits);
    std::vector<std::size_t> key_first(n + 1);
    for (std::size_t j = 0; j <= n; ++j) key_first[j] = j * m;
    const std::span<const Block> seeds =
        detail::receiver_seeds(threads_, hash_, keys, choices, key_first, tweaks_.take(keys.size()));

    const std::vector<std::uint8_t> masked =
        detail::recv_message(channel, n * entries * msg_bytes, "1-out-of-N OT");
    detail::PadExpander pads;
    for (std::size_t j = 0; j < n; ++j) {
        const std::uint8_t* source = masked.data() + (j * entries + choices[j]) * msg_bytes;
        std::copy(source, source + msg_bytes, out.data() + j * msg_bytes);
        pads.xor_pad(seeds[j], out.data() + j * msg_bytes, msg_bytes);
    }
}

}  // namespace snnipred::crypto::ot
