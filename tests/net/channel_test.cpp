#include "snnipred/net/channel.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <future>
#include <thread>

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "snnipred/core/error.h"
#include "support/expect_error.h"
#include "support/raw_peer.h"

namespace snnipred::net {
namespace {

using namespace std::chrono_literals;

std::vector<std::byte> bytes_of(std::size_t n, std::uint8_t fill) { return std::vector<std::byte>(n, std::byte{fill}); }

ChannelOptions quick(std::chrono::milliseconds timeout = 2000ms) {
    ChannelOptions options;
    options.timeout = timeout;
    return options;
}

void raw_write(int fd, const void* data, std::size_t size) {
    ASSERT_EQ(::send(fd, data, size, MSG_NOSIGNAL), static_cast<ssize_t>(size));
}

using test_support::expect_error_containing;
using test_support::raw_connect;
using test_support::TricklingPeer;

// Peak resident set of this process so far (VmHWM), in bytes.
std::size_t peak_resident_bytes() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6)) * 1024;  // reported in kB
    ADD_FAILURE() << "no VmHWM in /proc/self/status";
    return 0;
}

TEST(Channel, CountsBytesMessagesAndRoundsExactly) {
    Listener listener("127.0.0.1", 0);
    auto server_side = std::async(std::launch::async, [&] {
        Channel server = listener.accept(quick());
        for (int i = 0; i < 3; ++i) server.recv();
        server.send(bytes_of(5, 7));
        server.recv();
        return server.stats();
    });
    Channel client = Channel::connect("127.0.0.1", listener.port(), quick());
    client.send(bytes_of(10, 1));
    client.send(bytes_of(20, 2));
    client.send(bytes_of(0, 0));
    const std::vector<std::byte> reply = client.recv();
    EXPECT_EQ(reply, bytes_of(5, 7));
    client.send(bytes_of(1, 9));
    client.flush();
    const CommStats server = server_side.get();

    EXPECT_EQ(client.stats(), (CommStats{31, 5, 4, 1, 2}));
    EXPECT_EQ(server, (CommStats{5, 31, 1, 4, 1}));
    EXPECT_EQ(client.stats() - (CommStats{10, 0, 1, 0, 1}), (CommStats{21, 5, 3, 1, 1}));
}

TEST(Channel, WorksOverIpv6WhenAvailable) {
    std::unique_ptr<Listener> listener;
    try {
        listener = std::make_unique<Listener>("::1", 0);
    } catch (const NetworkError& error) {
        GTEST_SKIP() << "no IPv6 loopback here: " << error.what();
    }
    auto echo = std::async(std::launch::async, [&] {
        Channel server = listener->accept(quick());
        server.send(server.recv());
        server.flush();
    });
    Channel client = Channel::connect("::1", listener->port(), quick());
    client.send(bytes_of(100000, 3));
    EXPECT_EQ(client.recv(), bytes_of(100000, 3));
    echo.get();
}

TEST(Channel, OversizedFrameIsRejected) {
    Listener listener("127.0.0.1", 0);
    const int peer = raw_connect(listener.port());
    Channel server = listener.accept(quick());
    const std::uint8_t header[12] = {0xff, 0xff, 0xff, 0x7f};
    raw_write(peer, header, sizeof header);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "over the limit");
    ::close(peer);
}

TEST(Channel, HeaderClaimingAGibibyteCostsOnlyWhatArrives) {
    Listener listener("127.0.0.1", 0);
    const int peer = raw_connect(listener.port());
    Channel server = listener.accept(quick());
    ASSERT_EQ(server.options().max_frame_bytes, std::size_t{1} << 30);
    const std::size_t peak_before = peak_resident_bytes();
    const std::uint8_t frame[12 + 5] = {0x00, 0x00, 0x00, 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5};  // 2^30 bytes
    raw_write(peer, frame, sizeof frame);
    ::close(peer);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "closed the connection in the middle of a message");
    EXPECT_LT(peak_resident_bytes() - peak_before, std::size_t{64} << 20);
}

TEST(Channel, NarrowedFrameLimitRejectsLargerFrames) {
    Listener listener("127.0.0.1", 0);
    const int peer = raw_connect(listener.port());
    Channel server = listener.accept(quick());
    server.set_max_frame_bytes(1000);
    const std::uint8_t header[12] = {0xe9, 0x03};  // 1001 bytes
    raw_write(peer, header, sizeof header);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "1001 bytes, over the limit of 1000");
    ::close(peer);
}

TEST(Channel, TruncatedFrameIsAnError) {
    Listener listener("127.0.0.1", 0);
    const int peer = raw_connect(listener.port());
    Channel server = listener.accept(quick());
    const std::uint8_t header[12] = {100};
    raw_write(peer, header, sizeof header);
    raw_write(peer, "0123456789", 10);
    ::close(peer);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "closed the connection in the middle of a message");
}

TEST(Channel, GarbageArrivalTimeIsAnError) {
    Listener listener("127.0.0.1", 0);
    const int peer = raw_connect(listener.port());
    Channel server = listener.accept(quick());
    std::uint8_t frame[13] = {1};
    std::memset(frame + 4, 0x7f, 8);  // an arrival time centuries from now
    raw_write(peer, frame, sizeof frame);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "too far in the future");
    ::close(peer);
}

TEST(Channel, SilentPeerTimesOut) {
    Listener listener("127.0.0.1", 0);
    Channel client = Channel::connect("127.0.0.1", listener.port(), quick(300ms));
    Channel server = listener.accept(quick(300ms));
    expect_error_containing<NetworkError>([&] { client.recv(); }, "did not respond within 300 ms");
}

TEST(Channel, DeadlineStopsATricklingPeer) {
    Listener listener("127.0.0.1", 0);
    TricklingPeer peer(listener.port(), 200ms);
    ChannelOptions options = quick(1000ms);  // every byte arrives well within the timeout
    options.deadline = 2000ms;
    const auto start = std::chrono::steady_clock::now();
    Channel server = listener.accept(options);
    expect_error_containing<NetworkError>([&] { server.recv(); }, "deadline passed");
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_GE(elapsed, 1900ms);
    EXPECT_LT(elapsed, 3000ms);
}

TEST(Channel, PeerKilledMidProtocol) {
    Listener listener("127.0.0.1", 0);
    const std::uint16_t port = listener.port();
    const pid_t child = ::fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
        // The peer sends its first message and dies before the second.
        Channel peer = Channel::connect("127.0.0.1", port, quick());
        peer.send(bytes_of(64, 1));
        peer.flush();
        ::kill(::getpid(), SIGKILL);
    }
    Channel server = listener.accept(quick());
    EXPECT_EQ(server.recv().size(), 64u);
    int status = 0;
    ::waitpid(child, &status, 0);
    EXPECT_TRUE(WIFSIGNALED(status));
    expect_error_containing<NetworkError>([&] { server.recv(); }, "peer closed the connection waiting for a message");
}

TEST(Channel, EmulatedLatencyDelaysEveryMessage) {
    ChannelOptions options = quick();
    options.link = custom_link("none", std::nullopt, 20.0);  // 10 ms each way
    Listener listener("127.0.0.1", 0);
    auto echo = std::async(std::launch::async, [&] {
        Channel server = listener.accept(options);
        for (int i = 0; i < 3; ++i) server.send(server.recv());
        server.flush();
    });
    Channel client = Channel::connect("127.0.0.1", listener.port(), options);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 3; ++i) {
        client.send(bytes_of(8, 1));
        client.recv();
    }
    // Three round trips of 20 ms cannot take less than 60 ms.
    EXPECT_GE(std::chrono::steady_clock::now() - start, 60ms);
    echo.get();
}

TEST(Link, NamedAndCustomProfiles) {
    EXPECT_FALSE(named_link("none").emulated());
    EXPECT_DOUBLE_EQ(named_link("lan").bandwidth_bits_per_second, 3e9);
    EXPECT_EQ(named_link("wan").rtt(), 10ms);
    EXPECT_EQ(named_link("wan").transmit_time(50'000'000), 1s);  // 400 Mbit at 400 Mbit/s
    const LinkProfile custom = custom_link("lan", 100.0, 40.0);
    EXPECT_DOUBLE_EQ(custom.bandwidth_bits_per_second, 1e8);
    EXPECT_EQ(custom.one_way_latency, 20ms);
    EXPECT_EQ(custom.describe(), "100 Mbit/s, 20 ms one way");
    EXPECT_THROW(named_link("5g"), ConfigError);
    EXPECT_THROW(custom_link("lan", -1.0, std::nullopt), ConfigError);
    EXPECT_THROW(custom_link("lan", std::nullopt, std::nan("")), ConfigError);
}

TEST(Link, APredictionWithItsOwnRttIsMadeAtTheNearestPreset) {
    EXPECT_EQ(prediction_setting("WAN", 0.5), "WAN");  // a named setting is kept
    EXPECT_EQ(prediction_setting("lan", std::nullopt), "LAN");  // in any case, as --net reads it
    EXPECT_EQ(prediction_setting("Wan", std::nullopt), "WAN");
    EXPECT_EQ(prediction_setting("custom", std::nullopt), "custom");
    EXPECT_EQ(prediction_setting(std::nullopt, std::nullopt), "LAN");
    // LAN's RTT is 0.5 ms, WAN's 10 ms: their geometric mean, about 2.24 ms, splits them.
    EXPECT_EQ(prediction_setting(std::nullopt, 2.0), "LAN");
    EXPECT_EQ(prediction_setting(std::nullopt, 2.5), "WAN");
    EXPECT_EQ(prediction_setting(std::nullopt, 100.0), "WAN");
    EXPECT_EQ(prediction_setting(std::nullopt, 0.0), "LAN");  // no latency at all: nearer LAN
}

}  // namespace
}  // namespace snnipred::net
