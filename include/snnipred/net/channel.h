#pragma once
// A two-party channel over TCP (IPv4 or IPv6). Messages are length-prefixed frames;
// sends are buffered until the next receive or an explicit flush, so a protocol step's
// messages leave together. The channel counts what crosses it and, when given a
// LinkProfile, delays frames as that link would. Every wait has a timeout: a peer that
// disconnects, stalls or breaks the framing raises NetworkError, never a hang. A frame's
// buffer grows as its bytes arrive, so a header that claims more than the peer sends
// costs at most one read chunk of memory, not the claimed length. An optional deadline
// bounds all waits together, so a peer trickling a byte per timeout cannot hold the
// channel open indefinitely. With TlsOptions the bytes travel in TLS 1.3 (OpenSSL):
// confidentiality, integrity and authentication of the server (and optionally of the
// client) against the given CA; a tampered record ends the channel with NetworkError.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "snnipred/core/comm_stats.h"
#include "snnipred/link/link_profile.h"

namespace snnipred::net {

/// What crossed one endpoint (core/comm_stats.h).
using snnipred::CommStats;

/// TLS 1.3 for a channel. PEM files. The server presents `certificate` (its chain) and
/// `private_key`; the client verifies it against `ca` for the host it connects to. A client
/// with a certificate and key presents them; a server with `ca` requires a client
/// certificate it verifies (mutual authentication).
struct TlsOptions {
    std::string certificate;
    std::string private_key;
    std::string ca;
};

/// What crossed the socket: payloads plus the channel's 12-byte frame headers, and with TLS
/// its records and handshake too.
struct WireBytes {
    std::uint64_t sent = 0;
    std::uint64_t received = 0;
};

struct ChannelOptions {
    std::chrono::milliseconds timeout{60'000};   // longest wait for the peer
    /// Bound on all waits together, counted from the channel's construction (absent: none).
    std::optional<std::chrono::milliseconds> deadline;
    std::size_t max_frame_bytes = std::size_t{1} << 30;
    LinkProfile link;
    /// TLS 1.3 (absent: plain TCP). Connecting and accepting run its handshake within the timeout.
    std::optional<TlsOptions> tls;
};

namespace detail {
class Transport;
}

class Channel {
public:
    /// Connects to `host:port`, retrying until the listener is up or the timeout passes,
    /// then runs the TLS handshake when options.tls is set. Throws NetworkError (with TLS,
    /// e.g. "certificate verify failed"), ConfigError when a TLS file cannot be loaded.
    static Channel connect(const std::string& host, std::uint16_t port, const ChannelOptions& options = {});

    Channel(Channel&& other) noexcept;
    Channel& operator=(Channel&& other) noexcept;
    Channel(const Channel&) = delete;
    Channel& operator=(const Channel&) = delete;
    ~Channel();

    /// Queues one message (a frame); nothing is written until flush() or recv().
    void send(std::span<const std::byte> message);
    void send(std::span<const std::uint8_t> message) { send(std::as_bytes(message)); }
    /// Writes every queued frame. Throws NetworkError if the peer is gone or stalls.
    void flush();
    /// Flushes, then returns the next message. Throws NetworkError on disconnect,
    /// timeout, or a frame larger than max_frame_bytes.
    std::vector<std::byte> recv();

    /// Replaces the frame limit of both directions, e.g. a small one until a handshake
    /// has shown the peer speaks this protocol; `reason` (e.g. "a handshake's limit") is
    /// named when a frame breaks it.
    void set_max_frame_bytes(std::size_t bytes, std::string reason = {}) {
        options_.max_frame_bytes = bytes;
        frame_limit_reason_ = std::move(reason);
    }
    /// Every wait ends by `deadline` (nullopt: only the per-wait timeout applies); replaces
    /// the one from ChannelOptions::deadline. Past it, waits throw NetworkError.
    void set_deadline(std::optional<std::chrono::steady_clock::time_point> deadline) { deadline_ = deadline; }
    std::optional<std::chrono::steady_clock::time_point> deadline() const { return deadline_; }

    /// Runs the TLS handshake (as the server, or as the client verifying `peer_host`) on a
    /// channel that has moved no bytes yet, within the timeout (and the deadline); later
    /// messages travel in TLS. What connect and accept do when ChannelOptions::tls is set;
    /// a server that accepts in one process and serves in another calls it there. Throws
    /// NetworkError when the handshake fails, ConfigError when a file cannot be loaded.
    void start_tls(const TlsOptions& tls, bool server, const std::string& peer_host = {});
    bool tls() const { return tls_; }

    const CommStats& stats() const { return stats_; }
    /// Bytes on the socket, framing and TLS included.
    const WireBytes& wire_bytes() const;
    const ChannelOptions& options() const { return options_; }

private:
    friend class Listener;
    Channel(int fd, const ChannelOptions& options, bool server, const std::string& peer_host);

    void write_all(const std::byte* data, std::size_t size);
    void read_all(std::byte* data, std::size_t size, const char* what);
    std::vector<std::byte> read_payload(std::size_t length);
    void wait_for(short events, const char* what);
    // " (reason; cause)" for frame-limit errors.
    std::string limit_note(const std::string& cause) const;

    std::unique_ptr<detail::Transport> transport_;
    ChannelOptions options_;
    CommStats stats_;
    std::vector<std::byte> pending_;  // queued frames, headers included
    std::vector<std::size_t> frame_starts_;  // offset of each queued frame in pending_
    bool received_since_send_ = true;
    std::chrono::steady_clock::time_point link_free_{};  // emulated link busy until
    std::optional<std::chrono::steady_clock::time_point> deadline_;
    std::string frame_limit_reason_;  // why max_frame_bytes is what it is, when narrowed
    bool tls_ = false;
};

/// Loads the certificate, key and CA files of `tls` as a server (or client) channel would,
/// so a command can refuse bad files before it listens or connects. Throws ConfigError
/// naming the file.
void check_tls_files(const TlsOptions& tls, bool server);

/// A listening TCP socket; port 0 picks a free port.
class Listener {
public:
    /// Throws NetworkError if the address cannot be bound.
    Listener(const std::string& host, std::uint16_t port);
    Listener(Listener&& other) noexcept;
    Listener& operator=(Listener&&) = delete;
    Listener(const Listener&) = delete;
    ~Listener();

    std::uint16_t port() const { return port_; }
    /// Waits (up to options.timeout) for one peer, then runs the TLS handshake (as the
    /// server) when options.tls is set. Throws NetworkError, ConfigError for TLS files.
    Channel accept(const ChannelOptions& options = {});

private:
    int fd_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace snnipred::net
