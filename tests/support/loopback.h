#pragma once
// Test helper: two TCP channels connected to each other over loopback in one process.

#include <chrono>
#include <future>
#include <utility>

#include "snnipred/net/channel.h"

namespace snnipred::test_support {

/// Listens on an ephemeral loopback port, connects to it and returns {accepted end,
/// connecting end}; both ends give up waiting for the peer after `timeout`.
inline std::pair<net::Channel, net::Channel> connect_loopback(std::chrono::milliseconds timeout) {
    net::ChannelOptions options;
    options.timeout = timeout;
    net::Listener listener("127.0.0.1", 0);
    auto accepted = std::async(std::launch::async, [&] { return listener.accept(options); });
    net::Channel connecting = net::Channel::connect("127.0.0.1", listener.port(), options);
    return {accepted.get(), std::move(connecting)};
}

}  // namespace snnipred::test_support
