#include "snnipred/net/channel.h"

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <thread>
#include <utility>

#include <poll.h>
#include <sys/socket.h>

#include "snnipred/core/error.h"
#include "socket_util.h"
#include "transport.h"

namespace snnipred::net {
namespace {

using Clock = std::chrono::steady_clock;

// Frame header: payload length (u32) and the emulated arrival time (u64 ns on the
// steady clock, 0 = deliver at once). Little-endian, as every supported host is.
constexpr std::size_t kHeaderBytes = 12;
// A payload is read in pieces of at most this size, its buffer growing (geometrically)
// only as bytes arrive: memory follows what the peer sends, not what its header claims.
constexpr std::size_t kReadChunkBytes = std::size_t{1} << 20;

void put_u32(std::byte* at, std::uint32_t value) { std::memcpy(at, &value, sizeof value); }
void put_u64(std::byte* at, std::uint64_t value) { std::memcpy(at, &value, sizeof value); }

std::uint64_t nanoseconds_since_epoch(Clock::time_point t) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count());
}

// Sleeping overshoots by tens of microseconds, as much as a LAN's whole latency, so the
// last stretch before an emulated arrival is spent yielding instead.
void wait_until(Clock::time_point due) {
    constexpr auto kSpin = std::chrono::microseconds(200);
    if (due - Clock::now() > kSpin) std::this_thread::sleep_until(due - kSpin);
    while (Clock::now() < due) std::this_thread::yield();
}

}  // namespace

Channel::Channel(int fd, const ChannelOptions& options, bool server, const std::string& peer_host)
    : options_(options) {
    detail::set_no_delay(fd);
    try {
        detail::set_non_blocking(fd);
    } catch (const NetworkError&) {
        detail::close_fd(fd);
        throw;
    }
    transport_ = detail::plain_transport(fd);
    if (options.deadline) deadline_ = Clock::now() + *options.deadline;
    if (options.tls) start_tls(*options.tls, server, peer_host);
}

void Channel::start_tls(const TlsOptions& tls, bool server, const std::string& peer_host) {
    SNNIPRED_CHECK(transport_ != nullptr && stats_.messages_sent == 0 && stats_.messages_received == 0 &&
                       pending_.empty() && !tls_,
                   NetworkError, "TLS must start on a fresh plain channel");
    transport_ = detail::tls_transport(transport_->release_fd(), tls, server, peer_host);
    tls_ = true;
    // The whole TLS handshake within one timeout, however the peer paces its bytes.
    const auto channel_deadline = deadline_;
    const auto handshake_deadline = Clock::now() + options_.timeout;
    deadline_ = channel_deadline ? std::min(*channel_deadline, handshake_deadline) : handshake_deadline;
    short wait = 0;
    while (!transport_->handshake(wait)) wait_for(wait, "in the TLS handshake");
    deadline_ = channel_deadline;
}

Channel::Channel(Channel&& other) noexcept { *this = std::move(other); }

Channel& Channel::operator=(Channel&& other) noexcept {
    if (this != &other) {
        transport_ = std::move(other.transport_);
        options_ = other.options_;
        stats_ = other.stats_;
        pending_ = std::move(other.pending_);
        frame_starts_ = std::move(other.frame_starts_);
        received_since_send_ = other.received_since_send_;
        link_free_ = other.link_free_;
        deadline_ = other.deadline_;
        tls_ = other.tls_;
        frame_limit_reason_ = std::move(other.frame_limit_reason_);
    }
    return *this;
}

Channel::~Channel() = default;

const WireBytes& Channel::wire_bytes() const {
    static const WireBytes kNone;
    return transport_ ? transport_->wire() : kNone;
}

Channel Channel::connect(const std::string& host, std::uint16_t port, const ChannelOptions& options) {
    const auto deadline = Clock::now() + options.timeout;
    for (;;) {
        const int fd = detail::try_connect(host, port);
        if (fd >= 0) return Channel(fd, options, false, host);
        if (Clock::now() >= deadline)
            throw NetworkError(detail::system_error_text("cannot connect to " + host + ":" + std::to_string(port)));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

void Channel::send(std::span<const std::byte> message) {
    SNNIPRED_CHECK(transport_ != nullptr, NetworkError, "send on a closed channel");
    SNNIPRED_CHECK(message.size() <= std::min<std::size_t>(options_.max_frame_bytes, UINT32_MAX), NetworkError,
                   "message of " + std::to_string(message.size()) + " bytes exceeds the frame limit of " +
                       std::to_string(options_.max_frame_bytes) + limit_note(""));
    frame_starts_.push_back(pending_.size());
    pending_.resize(pending_.size() + kHeaderBytes);
    put_u32(pending_.data() + frame_starts_.back(), static_cast<std::uint32_t>(message.size()));
    pending_.insert(pending_.end(), message.begin(), message.end());
    if (received_since_send_) ++stats_.rounds;
    received_since_send_ = false;
    stats_.bytes_sent += message.size();
    ++stats_.messages_sent;
}

void Channel::flush() {
    if (pending_.empty()) return;
    const LinkProfile& link = options_.link;
    if (link.emulated()) {
        // Each frame occupies the link after the previous one, then travels one way.
        const auto now = Clock::now();
        for (std::size_t i = 0; i < frame_starts_.size(); ++i) {
            const std::size_t end = i + 1 < frame_starts_.size() ? frame_starts_[i + 1] : pending_.size();
            link_free_ = std::max(link_free_, now) + link.transmit_time(end - frame_starts_[i]);
            put_u64(pending_.data() + frame_starts_[i] + 4, nanoseconds_since_epoch(link_free_ + link.one_way_latency));
        }
    }
    write_all(pending_.data(), pending_.size());
    pending_.clear();
    frame_starts_.clear();
}

std::vector<std::byte> Channel::recv() {
    SNNIPRED_CHECK(transport_ != nullptr, NetworkError, "recv on a closed channel");
    flush();
    std::byte header[kHeaderBytes];
    read_all(header, kHeaderBytes, "waiting for a message");
    std::uint32_t length = 0;
    std::uint64_t due_ns = 0;
    std::memcpy(&length, header, sizeof length);
    std::memcpy(&due_ns, header + 4, sizeof due_ns);
    if (length > options_.max_frame_bytes)
        throw NetworkError("peer sent a frame of " + std::to_string(length) + " bytes, over the limit of " +
                           std::to_string(options_.max_frame_bytes) + limit_note("garbage or a different protocol"));
    std::vector<std::byte> message = read_payload(length);
    if (due_ns != 0) {
        const Clock::time_point due{std::chrono::nanoseconds(due_ns)};
        if (due - Clock::now() > options_.timeout || (deadline_ && due > *deadline_))
            throw NetworkError("peer's frame is due too far in the future (garbage, or the parties do not share a "
                               "clock: built-in link emulation needs both on one host)");
        wait_until(due);
    }
    received_since_send_ = true;
    stats_.bytes_received += length;
    ++stats_.messages_received;
    return message;
}

std::string Channel::limit_note(const std::string& cause) const {
    if (frame_limit_reason_.empty()) return cause.empty() ? "" : " (" + cause + ")";
    return " (" + frame_limit_reason_ + (cause.empty() ? "" : "; " + cause) + ")";
}

void Channel::wait_for(short events, const char* what) {
    pollfd descriptor{transport_->fd(), events, 0};
    for (;;) {
        auto wait = options_.timeout;
        const bool deadline_first = deadline_ && *deadline_ - Clock::now() < wait;
        if (deadline_first) {
            wait = std::chrono::ceil<std::chrono::milliseconds>(*deadline_ - Clock::now());
            if (wait.count() <= 0)
                throw NetworkError(std::string("peer did not finish in time: the channel's deadline passed (") +
                                   what + "; a stalled or trickling peer)");
        }
        const int ready = ::poll(&descriptor, 1, static_cast<int>(wait.count()));
        if (ready > 0) return;
        if (ready == 0 && !deadline_first)
            throw NetworkError("peer did not respond within " + std::to_string(options_.timeout.count()) + " ms (" +
                               what + ")");
        if (ready < 0 && errno != EINTR) throw NetworkError(detail::system_error_text(std::string("poll ") + what));
    }
}

void Channel::write_all(const std::byte* data, std::size_t size) {
    short wait = 0;
    while (size > 0) {
        const std::size_t sent = transport_->write_some(data, size, wait);
        if (sent == 0) wait_for(wait, "sending");
        data += sent;
        size -= sent;
    }
    while (!transport_->flush(wait)) wait_for(wait, "sending");
}

void Channel::read_all(std::byte* data, std::size_t size, const char* what) {
    short wait = 0;
    while (size > 0) {
        const std::size_t got = transport_->read_some(data, size, wait, what);
        if (got == 0) wait_for(wait, what);
        data += got;
        size -= got;
    }
}

std::vector<std::byte> Channel::read_payload(std::size_t length) {
    std::vector<std::byte> payload;
    while (payload.size() < length) {
        const std::size_t received = payload.size();
        const std::size_t chunk = std::min(kReadChunkBytes, length - received);
        if (payload.capacity() < received + chunk)
            payload.reserve(std::min(length, std::max(2 * payload.capacity(), received + chunk)));
        payload.resize(received + chunk);
        read_all(payload.data() + received, chunk, "in the middle of a message");
    }
    return payload;
}

Listener::Listener(const std::string& host, std::uint16_t port)
    : fd_(detail::bind_listener(host, port)), port_(detail::local_port(fd_)) {}

Listener::Listener(Listener&& other) noexcept : fd_(std::exchange(other.fd_, -1)), port_(other.port_) {}

Listener::~Listener() { detail::close_fd(fd_); }

Channel Listener::accept(const ChannelOptions& options) {
    pollfd descriptor{fd_, POLLIN, 0};
    const int ready = ::poll(&descriptor, 1, static_cast<int>(options.timeout.count()));
    if (ready == 0) throw NetworkError("no peer connected to port " + std::to_string(port_) + " in time");
    if (ready < 0) throw NetworkError(detail::system_error_text("poll on listener"));
    const int fd = ::accept4(fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (fd < 0) throw NetworkError(detail::system_error_text("accept"));
    return Channel(fd, options, true, {});
}

}  // namespace snnipred::net
