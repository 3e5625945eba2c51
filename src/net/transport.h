#pragma once
// Internal: how a Channel moves bytes over its non-blocking socket — in the clear, or
// through TLS 1.3 (OpenSSL). The channel owns framing, counting, timeouts and deadlines;
// a transport only reads and writes what the socket allows now and says what to wait for
// otherwise, so both kinds obey the same waits.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "snnipred/net/channel.h"

namespace snnipred::net::detail {

class Transport {
public:
    virtual ~Transport() = default;

    int fd() const { return fd_; }
    /// Hands the socket over (e.g. to a TLS transport); this transport then closes nothing.
    int release_fd() {
        const int fd = fd_;
        fd_ = -1;
        return fd;
    }
    /// Bytes that crossed the socket (TLS records and handshake included).
    const WireBytes& wire() const { return wire_; }

    /// Moves up to `size` bytes of `data` towards the peer; returns how many it took, or 0
    /// after setting `wait` (POLLIN / POLLOUT) to what the socket must allow first. Throws
    /// NetworkError when the peer is gone.
    virtual std::size_t write_some(const std::byte* data, std::size_t size, short& wait) = 0;
    /// Sends what write_some took but could not send yet; false after setting `wait`.
    virtual bool flush(short& wait) = 0;
    /// Reads up to `size` bytes; returns how many (> 0), or 0 after setting `wait`. Throws
    /// NetworkError naming `what` when the peer closed or the stream is corrupt.
    virtual std::size_t read_some(std::byte* data, std::size_t size, short& wait, const char* what) = 0;
    /// Advances the TLS handshake; true once done (at once for plain TCP), false after
    /// setting `wait`. Throws NetworkError when it fails (e.g. an unverifiable certificate).
    virtual bool handshake(short& wait) = 0;

protected:
    explicit Transport(int fd) : fd_(fd) {}
    int fd_;
    WireBytes wire_;
};

/// Plain TCP over `fd` (non-blocking; closed by the transport).
std::unique_ptr<Transport> plain_transport(int fd);

/// TLS 1.3 over `fd` (non-blocking; closed by the transport, also when this throws) as the server or the
/// client of `options`; a client verifies the server's certificate for `peer_host`.
/// Throws ConfigError naming the file when a certificate, key or CA cannot be loaded.
std::unique_ptr<Transport> tls_transport(int fd, const TlsOptions& options, bool server, const std::string& peer_host);

}  // namespace snnipred::net::detail
