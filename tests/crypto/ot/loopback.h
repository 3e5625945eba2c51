#pragma once
// Test helper: two connected TCP channels over loopback, and running the two parties
// of a protocol on two threads (as in tests/net/channel_test.cpp).

#include <future>
#include <utility>

#include "snnipred/net/channel.h"
#include "support/loopback.h"

namespace snnipred::crypto::ot::testing {

struct Loopback {
    net::Channel sender;
    net::Channel receiver;
};

inline Loopback connect_loopback() {
    auto [sender, receiver] = test_support::connect_loopback(std::chrono::milliseconds(20'000));
    return {std::move(sender), std::move(receiver)};
}

/// Runs `receiver` on a second thread and `sender` on this one; rethrows either's error.
template <typename Sender, typename Receiver>
void run_parties(Sender&& sender, Receiver&& receiver) {
    auto other = std::async(std::launch::async, std::forward<Receiver>(receiver));
    sender();
    other.get();
}

}  // namespace snnipred::crypto::ot::testing
