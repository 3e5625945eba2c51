#include "party_pair.h"

#include <chrono>

namespace snnipred::calibrate::detail {
namespace {

std::pair<net::Channel, net::Channel> connect_loopback() {
    net::ChannelOptions options;
    options.timeout = std::chrono::milliseconds(120'000);
    net::Listener listener("127.0.0.1", 0);
    auto accepted = std::async(std::launch::async, [&] { return listener.accept(options); });
    net::Channel connecting = net::Channel::connect("127.0.0.1", listener.port(), options);
    return {accepted.get(), std::move(connecting)};
}

}  // namespace

PartyPair::PartyPair() : PartyPair(connect_loopback()) {}

PartyPair::PartyPair(std::pair<net::Channel, net::Channel> ends)
    : server_(std::move(ends.first)), client_(std::move(ends.second)) {}

}  // namespace snnipred::calibrate::detail
