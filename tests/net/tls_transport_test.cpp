// Channels over TLS 1.3: the same messages and counts as plain TCP, a server verified
// against the client's CA (a wrong CA is refused), client certificates when the server
// asks for them, and a clean NetworkError — never altered data — when a relay on the path
// flips a bit.
#include <future>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "snnipred/core/error.h"
#include "snnipred/net/channel.h"
#include "support/expect_error.h"
#include "support/flipping_relay.h"
#include "support/tls_files.h"

namespace snnipred::net {
namespace {

using namespace std::chrono_literals;
using test_support::expect_error_containing;
using test_support::TlsFiles;

const TlsFiles& server_files() { return test_support::test_certificate("server"); }
const TlsFiles& other_files() { return test_support::test_certificate("other"); }

ChannelOptions with_tls(TlsOptions tls) {
    ChannelOptions options;
    options.timeout = 5000ms;
    options.tls = std::move(tls);
    return options;
}

TlsOptions server_tls(const std::string& client_ca = {}) {
    return {server_files().certificate, server_files().key, client_ca};
}

std::vector<std::byte> pattern(std::size_t n) {
    std::vector<std::byte> bytes(n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<std::byte>(i * 131 % 251);
    return bytes;
}

// Accepts one client with `server` options on a free port, runs `serve` on its channel.
template <typename Serve>
std::pair<std::uint16_t, std::future<void>> serve_one(Listener& listener, ChannelOptions server, Serve serve) {
    return {listener.port(), std::async(std::launch::async, [&listener, server, serve] {
                Channel channel = listener.accept(server);
                serve(channel);
            })};
}

TEST(Tls, MessagesAndCountsAreThoseOfPlainTcp) {
    Listener listener("127.0.0.1", 0);
    const std::vector<std::byte> big = pattern(3'000'000);
    auto [port, served] = serve_one(listener, with_tls(server_tls()), [&](Channel& channel) {
        EXPECT_TRUE(channel.tls());
        EXPECT_EQ(channel.recv(), big);
        channel.send(pattern(10));
        channel.flush();
        EXPECT_EQ(channel.recv(), pattern(1));
    });
    Channel client = Channel::connect("127.0.0.1", port, with_tls({{}, {}, server_files().certificate}));
    client.send(big);
    EXPECT_EQ(client.recv(), pattern(10));
    client.send(pattern(1));
    client.flush();
    served.get();
    EXPECT_EQ(client.stats().bytes_sent, big.size() + 1);
    EXPECT_EQ(client.stats().bytes_received, 10u);
    EXPECT_EQ(client.stats().messages_sent, 2u);
    EXPECT_EQ(client.stats().rounds, 2u);
    // Records, the handshake and the frame headers come on top of the payload.
    EXPECT_GT(client.wire_bytes().sent, big.size() + 1 + 2 * 12);
    EXPECT_GT(client.wire_bytes().received, 10u + 12);
}

TEST(Tls, ServerCertifiedByAnotherCaIsRefused) {
    Listener listener("127.0.0.1", 0);
    auto [port, served] = serve_one(listener, with_tls(server_tls()), [](Channel&) {});
    expect_error_containing<NetworkError>(
        [&] { Channel::connect("127.0.0.1", port, with_tls({{}, {}, other_files().certificate})); },
        "certificate verify failed");
    EXPECT_THROW(served.get(), NetworkError);  // the client's alert ends the server's handshake
}

TEST(Tls, ServerAskingForClientCertificatesRefusesClientsWithout) {
    const TlsFiles& client_files = other_files();
    Listener listener("127.0.0.1", 0);
    {
        auto [port, served] = serve_one(listener, with_tls(server_tls(client_files.certificate)), [](Channel& channel) {
            channel.send(pattern(4));
            channel.flush();
        });
        // TLS 1.3 ends the client's handshake before the server has judged its certificate:
        // the refusal arrives with the first read.
        Channel client = Channel::connect("127.0.0.1", port, with_tls({{}, {}, server_files().certificate}));
        expect_error_containing<NetworkError>([&] { client.recv(); }, "TLS: ");
        expect_error_containing<NetworkError>([&] { served.get(); }, "peer did not return a certificate");
    }
    auto [port, served] = serve_one(listener, with_tls(server_tls(client_files.certificate)), [](Channel& channel) {
        channel.send(pattern(4));
        channel.flush();
    });
    Channel client = Channel::connect(
        "127.0.0.1", port, with_tls({client_files.certificate, client_files.key, server_files().certificate}));
    EXPECT_EQ(client.recv(), pattern(4));
    served.get();
}

TEST(Tls, FlippedBitOnThePathIsAnErrorNotAlteredData) {
    Listener listener("127.0.0.1", 0);
    std::string error;
    auto [port, served] = serve_one(listener, with_tls(server_tls()), [&error](Channel& channel) {
        try {
            channel.recv();
        } catch (const NetworkError& e) {
            error = e.what();
        }
    });
    // Far past the handshake (well under 1 KB from the client): inside the message's records.
    test_support::FlippingRelay relay(port, 50'000);
    Channel client = Channel::connect("127.0.0.1", relay.port(), with_tls({{}, {}, server_files().certificate}));
    client.send(pattern(200'000));
    try {
        client.flush();
    } catch (const NetworkError&) {
        // The server may close before the last records are written: its error is the point.
    }
    served.get();
    EXPECT_TRUE(relay.flipped());
    EXPECT_NE(error.find("TLS: in the middle of a message: decryption failed or bad record mac"), std::string::npos)
        << error;
}

TEST(Tls, UnreadableFilesAreNamed) {
    expect_error_containing<ConfigError>(
        [] { check_tls_files({"/nonexistent/s.crt", "/nonexistent/s.key", {}}, true); },
        "TLS certificate /nonexistent/s.crt: ");
    expect_error_containing<ConfigError>(
        [] { check_tls_files({server_files().certificate, other_files().key, {}}, true); },
        ": key values mismatch");
    expect_error_containing<ConfigError>([] { check_tls_files({{}, {}, "/nonexistent/ca.pem"}, false); },
                                         "TLS CA /nonexistent/ca.pem: ");
    expect_error_containing<ConfigError>([] { check_tls_files({}, false); }, "a client needs the CA");
}

}  // namespace
}  // namespace snnipred::net
