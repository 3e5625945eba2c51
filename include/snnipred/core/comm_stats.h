#pragma once
// What crossed one party's channel endpoint: what the channel counts (net/channel.h) and
// what the protocol plan predicts (protocol/plan.h), in one type so the two compare.

#include <cstdint>

namespace snnipred {

/// Bytes are payload bytes (what the protocol sent), not the 12-byte frame headers. A
/// round is counted each time this endpoint starts sending after it has received (and on
/// its first send): the direction changes of a protocol.
struct CommStats {
    std::uint64_t bytes_sent = 0;
    std::uint64_t bytes_received = 0;
    std::uint64_t messages_sent = 0;
    std::uint64_t messages_received = 0;
    std::uint64_t rounds = 0;

    /// Difference of two snapshots: the cost of what happened between them.
    CommStats operator-(const CommStats& earlier) const {
        return {bytes_sent - earlier.bytes_sent, bytes_received - earlier.bytes_received,
                messages_sent - earlier.messages_sent, messages_received - earlier.messages_received,
                rounds - earlier.rounds};
    }
    CommStats& operator+=(const CommStats& other) {
        bytes_sent += other.bytes_sent;
        bytes_received += other.bytes_received;
        messages_sent += other.messages_sent;
        messages_received += other.messages_received;
        rounds += other.rounds;
        return *this;
    }
    bool operator==(const CommStats&) const = default;
};

}  // namespace snnipred
