#pragma once
// Test helper: two connected TCP channels over loopback, and running the two parties
// of a protocol on two threads (as in tests/net/channel_test.cpp).

#include <future>
#include <utility>

#include "snnipred/net/channel.h"

namespace snnipred::crypto::ot::testing {

struct Loopback {
    net::Channel sender;
    net::Channel receiver;
};

inline Loopback connect_loopback() {
    net::ChannelOptions options;
    options.timeout = std::chrono::milliseconds(20'000);
    net::Listener listener("127.0.0.1", 0);
    auto accepted = std::async(std::launch::async, [&] { return listener.accept(options); });
    net::Channel receiver = net::Channel::connect("127.0.0.1", listener.port(), options);
    return {accepted.get(), std::move(receiver)};
}

/// Runs `receiver` on a second thread and `sender` on this one; rethrows either's error.
template <typename Sender, typename Receiver>
void run_parties(Sender&& sender, Receiver&& receiver) {
    auto other = std::async(std::launch::async, std::forward<Receiver>(receiver));
    sender();
    other.get();
}

}  // namespace snnipred::crypto::ot::testing
