#pragma once
// Thin wrappers over POSIX sockets shared by Channel and Listener.

#include <cstdint>
#include <string>

namespace snnipred::net::detail {

/// "what: strerror(errno)".
std::string system_error_text(const std::string& what);
/// Resolves host:port and returns a connected, blocking TCP socket, or -1 (errno set)
/// if no address accepted the connection.
int try_connect(const std::string& host, std::uint16_t port);
/// Binds and listens on host:port; throws NetworkError.
int bind_listener(const std::string& host, std::uint16_t port);
/// Local port of a bound socket.
std::uint16_t local_port(int fd);
/// Disables Nagle: frames are flushed deliberately, so the kernel should not wait.
void set_no_delay(int fd);
/// Makes reads and writes return at once (EAGAIN) instead of blocking; the channel polls.
void set_non_blocking(int fd);
void close_fd(int& fd);

}  // namespace snnipred::net::detail
