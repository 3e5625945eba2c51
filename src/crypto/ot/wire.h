#pragma once
// Internal: a flavour's one logical message may exceed the channel's frame limit (e.g.
// n·N·msg_bytes for 1-out-of-N), so it travels as pieces of at most kPieceBytes. Both
// sides know the total, hence the cut; the byte counts are those of the message.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "snnipred/core/error.h"
#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot::detail {

constexpr std::size_t kPieceBytes = std::size_t{1} << 26;

/// Sends `data` (at least one frame, even if empty) and flushes.
inline void send_message(net::Channel& channel, std::span<const std::uint8_t> data) {
    std::size_t offset = 0;
    do {
        const std::size_t size = std::min(kPieceBytes, data.size() - offset);
        channel.send(data.subspan(offset, size));
        offset += size;
    } while (offset < data.size());
    channel.flush();
}

/// Receives a message of exactly `total` bytes sent by send_message. Throws NetworkError.
inline std::vector<std::uint8_t> recv_message(net::Channel& channel, std::size_t total, const char* what) {
    std::vector<std::uint8_t> data(total);
    std::size_t offset = 0;
    do {
        const std::size_t expected = std::min(kPieceBytes, total - offset);
        const std::vector<std::byte> piece = channel.recv();
        SNNIPRED_CHECK(piece.size() == expected, NetworkError,
                       std::string(what) + ": expected " + std::to_string(expected) + " bytes from the peer, got " +
                           std::to_string(piece.size()));
        if (expected > 0) std::memcpy(data.data() + offset, piece.data(), expected);
        offset += expected;
    } while (offset < total);
    return data;
}

}  // namespace snnipred::crypto::ot::detail
