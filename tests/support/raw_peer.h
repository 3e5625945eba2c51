#pragma once
// Test helper: TCP peers that do not follow the channel's framing, for the faults a
// hostile or broken peer causes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace snnipred::test_support {

/// A raw TCP connection to the loopback port.
inline int raw_connect(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    return fd;
}

/// Connects to the loopback port and writes one zero byte every `interval` until
/// destroyed or the connection breaks: each byte arrives well within a read timeout, yet
/// no frame ever completes.
class TricklingPeer {
public:
    TricklingPeer(std::uint16_t port, std::chrono::milliseconds interval) : fd_(raw_connect(port)) {
        worker_ = std::thread([this, interval] {
            const std::uint8_t byte = 0;
            while (!stop_ && ::send(fd_, &byte, 1, MSG_NOSIGNAL) == 1) std::this_thread::sleep_for(interval);
        });
    }
    TricklingPeer(const TricklingPeer&) = delete;
    TricklingPeer& operator=(const TricklingPeer&) = delete;
    ~TricklingPeer() {
        stop_ = true;
        worker_.join();
        ::close(fd_);
    }

private:
    int fd_;
    std::atomic<bool> stop_{false};
    std::thread worker_;
};

}  // namespace snnipred::test_support
