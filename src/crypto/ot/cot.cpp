#include "snnipred/crypto/ot/cot.h"

#include <string>
#include <vector>

#include "packing.h"
#include "snnipred/core/error.h"

namespace snnipred::crypto::ot {

void CotSender::setup(net::Channel& channel, Prg& prg) {
    if (set_up_) return;
    delta_ = do_setup(channel, prg);
    set_up_ = true;
}

Block CotSender::delta() const {
    SNNIPRED_CHECK(set_up_, ConfigError, "CotSender::delta: setup has not run");
    return delta_;
}

void CotSender::random_cot(net::Channel& channel, Prg& prg, std::span<Block> q) {
    setup(channel, prg);
    do_random_cot(channel, prg, q);
    produced_ += q.size();
}

void CotSender::chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q) {
    setup(channel, prg);
    do_chosen_cot(channel, prg, q);
    produced_ += q.size();
}

void CotSender::do_chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q) {
    do_random_cot(channel, prg, q);
    const std::vector<std::byte> packed = channel.recv();
    SNNIPRED_CHECK(packed.size() == (q.size() + 7) / 8, NetworkError,
                   "chosen COT: expected " + std::to_string((q.size() + 7) / 8) + " bytes of flipped bits, got " +
                       std::to_string(packed.size()));
    const auto* flips = reinterpret_cast<const std::uint8_t*>(packed.data());
    for (std::size_t j = 0; j < q.size(); ++j) q[j] ^= Block::select((flips[j / 8] >> (j % 8)) & 1U) & delta_;
}

void CotReceiver::setup(net::Channel& channel, Prg& prg) {
    if (set_up_) return;
    do_setup(channel, prg);
    set_up_ = true;
}

void CotReceiver::random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits, std::span<Block> t) {
    SNNIPRED_CHECK(bits.size() == t.size(), InvalidInput, "random COT: bits and outputs differ in size");
    setup(channel, prg);
    do_random_cot(channel, prg, bits, t);
    produced_ += t.size();
}

void CotReceiver::chosen_cot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits,
                             std::span<Block> t) {
    SNNIPRED_CHECK(bits.size() == t.size(), InvalidInput, "chosen COT: bits and outputs differ in size");
    detail::check_bits(bits, "chosen COT");
    setup(channel, prg);
    do_chosen_cot(channel, prg, bits, t);
    produced_ += t.size();
}

void CotReceiver::do_chosen_cot(net::Channel& channel, Prg& prg, std::span<const std::uint8_t> bits,
                                std::span<Block> t) {
    // t = q ⊕ b·Δ; the sender shifts q by d = b ⊕ c, so t = q' ⊕ c·Δ.
    std::vector<std::uint8_t> random_bits(bits.size());
    do_random_cot(channel, prg, random_bits, t);
    for (std::size_t j = 0; j < bits.size(); ++j) random_bits[j] ^= bits[j];
    std::vector<std::uint8_t> packed((bits.size() + 7) / 8);
    detail::pack_bits(random_bits, packed);
    channel.send(std::span<const std::uint8_t>(packed));
    channel.flush();
}

}  // namespace snnipred::crypto::ot
