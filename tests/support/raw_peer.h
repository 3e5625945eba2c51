#pragma once
// Test helper: TCP peers that do not follow the channel's framing, for the faults a
// hostile or broken peer causes.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
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

/// A frame as the channel writes it: the payload length `length` (u32), no emulated
/// arrival time (u64 0), then `payload` (which may be shorter than `length`).
inline std::string raw_frame(const std::string& payload, std::uint32_t length) {
    std::string bytes(12, '\0');
    std::memcpy(bytes.data(), &length, sizeof length);
    return bytes + payload;
}
inline std::string raw_frame(const std::string& payload) {
    return raw_frame(payload, static_cast<std::uint32_t>(payload.size()));
}

/// Writes all of `bytes` to `fd`.
inline void raw_send(int fd, const std::string& bytes) {
    ASSERT_EQ(::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
}

/// Connects to the loopback port, writes `preamble` (e.g. a valid handshake frame), then
/// one zero byte every `interval` until destroyed or the connection breaks: each byte
/// arrives well within a read timeout, yet no frame ever completes.
class TricklingPeer {
public:
    TricklingPeer(std::uint16_t port, std::chrono::milliseconds interval, const std::string& preamble = {})
        : fd_(raw_connect(port)) {
        if (!preamble.empty()) raw_send(fd_, preamble);
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
