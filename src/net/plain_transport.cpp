#include <cerrno>
#include <string>

#include <poll.h>
#include <sys/socket.h>

#include "snnipred/core/error.h"
#include "socket_util.h"
#include "transport.h"

namespace snnipred::net::detail {
namespace {

class PlainTransport final : public Transport {
public:
    explicit PlainTransport(int fd) : Transport(fd) {}
    ~PlainTransport() override { close_fd(fd_); }

    std::size_t write_some(const std::byte* data, std::size_t size, short& wait) override {
        const ssize_t sent = ::send(fd_, data, size, MSG_NOSIGNAL);
        if (sent > 0) {
            wire_.sent += static_cast<std::uint64_t>(sent);
            return static_cast<std::size_t>(sent);
        }
        if (sent < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
            throw NetworkError(system_error_text("peer disconnected while sending"));
        wait = POLLOUT;
        return 0;
    }

    bool flush(short&) override { return true; }

    std::size_t read_some(std::byte* data, std::size_t size, short& wait, const char* what) override {
        const ssize_t got = ::recv(fd_, data, size, 0);
        if (got > 0) {
            wire_.received += static_cast<std::uint64_t>(got);
            return static_cast<std::size_t>(got);
        }
        if (got == 0) throw NetworkError(std::string("peer closed the connection ") + what);
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
            throw NetworkError(system_error_text(std::string("peer connection failed ") + what));
        wait = POLLIN;
        return 0;
    }

    bool handshake(short&) override { return true; }
};

}  // namespace

std::unique_ptr<Transport> plain_transport(int fd) { return std::make_unique<PlainTransport>(fd); }

}  // namespace snnipred::net::detail
