#include <string>
#include <utility>
#include <vector>

#include "one_of_n_seeds.h"
#include "packing.h"
#include "pad.h"
#include "parallel_hash.h"
#include "wire.h"
#include "snnipred/core/error.h"
#include "snnipred/crypto/ot/ot.h"

namespace snnipred::crypto::ot {
namespace {

void check_ring_bits(int bits) {
    SNNIPRED_CHECK(bits >= 1 && bits <= 64, InvalidInput,
                   "correlated OT: ring bit width must be in [1, 64], got " + std::to_string(bits));
}

}  // namespace

std::pair<std::span<Block>, std::span<Block>> OtSender::hashed_cots(net::Channel& channel, Prg& prg, std::size_t n,
                                                                    bool chosen) {
    const std::uint64_t first = cot_.produced();
    const std::span<Block> zero = zero_.take(n);
    if (chosen) cot_.chosen_cot(channel, prg, zero);
    else cot_.random_cot(channel, prg, zero);
    const Block delta = cot_.delta();
    const std::span<Block> one = one_.take(n);
    for (std::size_t j = 0; j < n; ++j) one[j] = zero[j] ^ delta;
    detail::tccr_parallel(threads_, hash_, zero, first);
    detail::tccr_parallel(threads_, hash_, one, first);
    return {zero, one};
}

void OtSender::random_ot(net::Channel& channel, Prg& prg, std::span<std::array<Block, 2>> out) {
    const auto [zero, one] = hashed_cots(channel, prg, out.size(), false);
    for (std::size_t j = 0; j < out.size(); ++j) out[j] = {zero[j], one[j]};
}

void OtSender::correlated_ot(net::Channel& channel, Prg& prg, std::span<const std::uint64_t> corr, int bits,
                             std::span<std::uint64_t> x0) {
    check_ring_bits(bits);
    SNNIPRED_CHECK(corr.size() == x0.size(), InvalidInput, "correlated OT: correlations and outputs differ in size");
    const auto [zero, one] = hashed_cots(channel, prg, corr.size(), true);
    // x0 = H(q); the receiver with c = 1 adds y to H(q ⊕ Δ): y = x0 + corr − H(q ⊕ Δ).
    const std::uint64_t mask = detail::ring_mask(bits);
    std::vector<std::uint64_t> masked(corr.size());
    for (std::size_t j = 0; j < corr.size(); ++j) {
        x0[j] = zero[j].lo & mask;
        masked[j] = (x0[j] + corr[j] - one[j].lo) & mask;
    }
    detail::send_message(channel, detail::pack_values(masked, bits));
}

void OtSender::send(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> m0,
                    std::span<const std::uint8_t> m1, std::size_t msg_bytes) {
    SNNIPRED_CHECK(msg_bytes > 0, InvalidInput, "OT send: message length must be positive");
    SNNIPRED_CHECK(m0.size() == m1.size() && m0.size() % msg_bytes == 0, InvalidInput,
                   "OT send: m0 and m1 must both hold n messages of " + std::to_string(msg_bytes) + " bytes");
    const std::size_t n = m0.size() / msg_bytes;
    const auto [zero, one] = hashed_cots(channel, prg, n, true);
    std::vector<std::uint8_t> message(m0.begin(), m0.end());
    message.insert(message.end(), m1.begin(), m1.end());
    detail::PadExpander pads;
    for (std::size_t j = 0; j < n; ++j) {
        pads.xor_pad(zero[j], message.data() + j * msg_bytes, msg_bytes);
        pads.xor_pad(one[j], message.data() + (n + j) * msg_bytes, msg_bytes);
    }
    detail::send_message(channel, message);
}

void OtSender::send_one_of_n(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> messages, int log_n,
                             std::size_t msg_bytes) {
    SNNIPRED_CHECK(log_n >= 1 && log_n <= kMaxLogN, InvalidInput,
                   "1-out-of-N OT: log N must be in [1, " + std::to_string(kMaxLogN) + "]");
    SNNIPRED_CHECK(msg_bytes > 0, InvalidInput, "1-out-of-N OT: message length must be positive");
    const std::size_t entries = std::size_t{1} << log_n;
    const auto m = static_cast<std::size_t>(log_n);
    SNNIPRED_CHECK(messages.size() % (entries * msg_bytes) == 0, InvalidInput,
                   "1-out-of-N OT: messages must hold n instances of " + std::to_string(entries) + " entries");
    const std::size_t n = messages.size() / (entries * msg_bytes);

    // Keys k_{j,i,v} of n·m 1-out-of-2 random OTs (the receiver chose v = bit i of x_j).
    const auto [zero, one] = hashed_cots(channel, prg, n * m, true);

    std::vector<std::uint8_t> out(messages.begin(), messages.end());
    std::vector<std::size_t> key_first(n + 1);
    for (std::size_t j = 0; j <= n; ++j) key_first[j] = j * m;
    detail::hashed_chunks(threads_, hash_, n, [&](CrHash& hash, std::size_t begin, std::size_t end) {
        detail::PadExpander pads;
        detail::sender_seeds(hash, zero, one, key_first, begin, end, [&](std::size_t j, std::span<const Block> seeds) {
            for (std::size_t x = 0; x < entries; ++x)
                pads.xor_pad(seeds[x], out.data() + (j * entries + x) * msg_bytes, msg_bytes);
        });
    });
    detail::send_message(channel, out);
}

}  // namespace snnipred::crypto::ot
