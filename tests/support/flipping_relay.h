#pragma once
// Test helper: a TCP relay between a client and a server on the loopback interface that
// flips one bit of the client-to-server stream, as an attacker on the path would.

#include <atomic>
#include <cstdint>
#include <thread>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/raw_peer.h"

namespace snnipred::test_support {

class FlippingRelay {
public:
    /// Listens on a free loopback port; relays its first connection to `target_port`,
    /// flipping the lowest bit of byte `offset` of what the client sends.
    FlippingRelay(std::uint16_t target_port, std::uint64_t offset) : listener_(::socket(AF_INET, SOCK_STREAM, 0)) {
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
        ::listen(listener_, 1);
        socklen_t length = sizeof address;
        ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
        port_ = ntohs(address.sin_port);
        worker_ = std::thread([this, target_port, offset] { relay(target_port, offset); });
    }
    FlippingRelay(const FlippingRelay&) = delete;
    FlippingRelay& operator=(const FlippingRelay&) = delete;
    ~FlippingRelay() {
        stop_ = true;
        worker_.join();
        ::close(listener_);
    }

    std::uint16_t port() const { return port_; }
    /// Whether the flipped byte has passed.
    bool flipped() const { return flipped_; }

private:
    // Waits for `fd` to be readable, checking stop_ every 100 ms; false once stopped.
    bool wait_readable(pollfd* fds, nfds_t count) {
        while (!stop_)
            if (::poll(fds, count, 100) > 0) return true;
        return false;
    }

    void relay(std::uint16_t target_port, std::uint64_t offset) {
        pollfd listening{listener_, POLLIN, 0};
        if (!wait_readable(&listening, 1)) return;
        const int client = ::accept(listener_, nullptr, nullptr);
        const int server = raw_connect(target_port);
        std::uint64_t forwarded = 0;  // client-to-server bytes so far
        char buffer[16384];
        for (;;) {
            pollfd fds[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
            if (!wait_readable(fds, 2)) break;
            const bool from_client = (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0;
            const int from = from_client ? client : server, to = from_client ? server : client;
            const ssize_t got = ::recv(from, buffer, sizeof buffer, 0);
            if (got <= 0) break;
            if (from_client && offset >= forwarded && offset < forwarded + static_cast<std::uint64_t>(got)) {
                buffer[offset - forwarded] ^= 1;
                flipped_ = true;
            }
            if (from_client) forwarded += static_cast<std::uint64_t>(got);
            if (::send(to, buffer, static_cast<std::size_t>(got), MSG_NOSIGNAL) != got) break;
        }
        ::close(client);
        ::close(server);
    }

    int listener_;
    std::uint16_t port_ = 0;
    std::atomic<bool> stop_{false};
    std::atomic<bool> flipped_{false};
    std::thread worker_;
};

}  // namespace snnipred::test_support
