#include "snnipred/crypto/ot/iknp.h"

#include <algorithm>
#include <string>

#include "packing.h"
#include "snnipred/core/error.h"
#include "snnipred/core/parallel.h"
#include "snnipred/crypto/ot/base_ot.h"
#include "snnipred/crypto/ot/bit_matrix.h"

namespace snnipred::crypto::ot {
namespace {

void xor_into(std::uint8_t* target, const std::uint8_t* source, std::size_t size) {
    for (std::size_t k = 0; k < size; ++k) target[k] ^= source[k];
}

}  // namespace

Block IknpSender::do_setup(net::Channel& channel, Prg& prg) {
    std::array<std::uint8_t, kIknpBaseOts> choices{};
    prg.random_bits(choices);
    std::array<Block, kIknpBaseOts> keys;
    BaseOtReceiver().receive(channel, prg, choices, keys);
    Block delta;
    row_prgs_.clear();
    row_prgs_.reserve(kIknpBaseOts);
    for (std::size_t i = 0; i < kIknpBaseOts; ++i) {
        delta_bits_[i] = choices[i] != 0;
        if (delta_bits_[i]) (i < 64 ? delta.lo : delta.hi) |= std::uint64_t{1} << (i % 64);
        row_prgs_.emplace_back(keys[i]);
    }
    return delta;
}

void IknpSender::do_random_cot(net::Channel& channel, Prg& /*prg*/, std::span<Block> q) {
    for (std::size_t offset = 0; offset < q.size(); offset += kIknpChunk) {
        const std::size_t m = std::min(kIknpChunk, q.size() - offset);
        const std::size_t row_bytes = bit_row_bytes(m);
        const std::vector<std::byte> message = channel.recv();
        SNNIPRED_CHECK(message.size() == kIknpBaseOts * row_bytes, NetworkError,
                       "IKNP: expected a " + std::to_string(kIknpBaseOts * row_bytes) +
                           "-byte matrix from the receiver, got " + std::to_string(message.size()) + " bytes");
        const auto* u = reinterpret_cast<const std::uint8_t*>(message.data());
        matrix_.resize(kIknpBaseOts * row_bytes);
        // Rows are independent streams, so the thread count never changes them.
        parallel_for(threads_, kIknpBaseOts, [&](std::size_t i) {
            std::uint8_t* row = matrix_.data() + i * row_bytes;
            // q_i = G(k_{i,Δ_i}) ⊕ Δ_i·u_i = t_i ⊕ Δ_i·c.
            row_prgs_[i].random_bytes({row, row_bytes});
            if (delta_bits_[i]) xor_into(row, u + i * row_bytes, row_bytes);
        });
        transpose_128xn(matrix_, m, q.subspan(offset, m), threads_);
    }
}

void IknpSender::do_chosen_cot(net::Channel& channel, Prg& prg, std::span<Block> q) {
    do_random_cot(channel, prg, q);
}

void IknpReceiver::do_setup(net::Channel& channel, Prg& prg) {
    std::array<std::array<Block, 2>, kIknpBaseOts> keys;
    BaseOtSender().send(channel, prg, keys);
    row_prgs_.clear();
    row_prgs_.reserve(kIknpBaseOts);
    for (const auto& pair : keys) row_prgs_.push_back({Prg(pair[0]), Prg(pair[1])});
}

void IknpReceiver::do_random_cot(net::Channel& channel, Prg& prg, std::span<std::uint8_t> bits,
                                 std::span<Block> t) {
    prg.random_bits(bits);
    do_chosen_cot(channel, prg, bits, t);
}

void IknpReceiver::do_chosen_cot(net::Channel& channel, Prg& /*prg*/, std::span<const std::uint8_t> bits,
                                 std::span<Block> t) {
    std::vector<std::uint8_t> packed_bits;
    for (std::size_t offset = 0; offset < t.size(); offset += kIknpChunk) {
        const std::size_t m = std::min(kIknpChunk, t.size() - offset);
        const std::size_t row_bytes = bit_row_bytes(m);
        packed_bits.resize(row_bytes);
        detail::pack_bits(bits.subspan(offset, m), packed_bits);
        matrix_.resize(kIknpBaseOts * row_bytes);
        message_.resize(kIknpBaseOts * row_bytes);
        parallel_for(threads_, kIknpBaseOts, [&](std::size_t i) {
            std::uint8_t* row = matrix_.data() + i * row_bytes;
            std::uint8_t* u = message_.data() + i * row_bytes;
            // t_i = G(k_{i,0}); u_i = t_i ⊕ G(k_{i,1}) ⊕ c.
            row_prgs_[i][0].random_bytes({row, row_bytes});
            row_prgs_[i][1].random_bytes({u, row_bytes});
            for (std::size_t k = 0; k < row_bytes; ++k) u[k] ^= row[k] ^ packed_bits[k];
        });
        // Send before transposing so the sender works on this chunk while we transpose.
        channel.send(std::span<const std::uint8_t>(message_));
        channel.flush();
        transpose_128xn(matrix_, m, t.subspan(offset, m), threads_);
    }
}

}  // namespace snnipred::crypto::ot
