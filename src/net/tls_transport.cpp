// TLS 1.3 with OpenSSL over memory BIOs: OpenSSL encrypts into and decrypts from buffers,
// this file moves their bytes over the non-blocking socket with send(MSG_NOSIGNAL) and
// recv, so a vanished peer is an error, never SIGPIPE, and every wait is the channel's.
#include <arpa/inet.h>
#include <cerrno>
#include <string>
#include <vector>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <poll.h>
#include <sys/socket.h>

#include "snnipred/core/error.h"
#include "socket_util.h"
#include "transport.h"

namespace snnipred::net::detail {
namespace {

// Plaintext handed to OpenSSL per write_some: bounds the ciphertext buffered ahead of the
// socket to about this much.
constexpr std::size_t kWriteChunkBytes = std::size_t{256} << 10;
constexpr std::size_t kReadChunkBytes = std::size_t{64} << 10;

// OpenSSL's queued errors as one line ("decryption failed or bad record mac"), emptying the
// queue.
std::string openssl_errors() {
    std::string text;
    while (const unsigned long code = ERR_get_error()) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        const char* reason = ERR_reason_error_string(code);
        text += (text.empty() ? "" : "; ") + std::string(reason != nullptr ? reason : buffer);
    }
    return text.empty() ? "no detail from OpenSSL" : text;
}

bool is_ip_address(const std::string& host) {
    unsigned char buffer[16];
    return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 || ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

struct ContextDeleter {
    void operator()(SSL_CTX* context) const { SSL_CTX_free(context); }
};
struct SslDeleter {
    void operator()(SSL* ssl) const { SSL_free(ssl); }
};

std::unique_ptr<SSL_CTX, ContextDeleter> make_context(const TlsOptions& options, bool server) {
    std::unique_ptr<SSL_CTX, ContextDeleter> context(SSL_CTX_new(server ? TLS_server_method() : TLS_client_method()));
    SNNIPRED_CHECK(context != nullptr, NetworkError, "TLS: cannot create a context: " + openssl_errors());
    SSL_CTX_set_min_proto_version(context.get(), TLS1_3_VERSION);
    SSL_CTX_set_max_proto_version(context.get(), TLS1_3_VERSION);
    SSL_CTX_set_num_tickets(context.get(), 0);  // one run per connection: nothing to resume
    if (!options.certificate.empty()) {
        SNNIPRED_CHECK(SSL_CTX_use_certificate_chain_file(context.get(), options.certificate.c_str()) == 1,
                       ConfigError, "TLS certificate " + options.certificate + ": " + openssl_errors());
        // Also checks that the key is the certificate's ("key values mismatch").
        SNNIPRED_CHECK(SSL_CTX_use_PrivateKey_file(context.get(), options.private_key.c_str(), SSL_FILETYPE_PEM) == 1,
                       ConfigError, "TLS key " + options.private_key + ": " + openssl_errors());
    }
    SNNIPRED_CHECK(!server || !options.certificate.empty(), ConfigError, "TLS: a server needs a certificate and key");
    SNNIPRED_CHECK(server || !options.ca.empty(), ConfigError, "TLS: a client needs the CA to verify the server with");
    if (!options.ca.empty()) {
        SNNIPRED_CHECK(SSL_CTX_load_verify_locations(context.get(), options.ca.c_str(), nullptr) == 1, ConfigError,
                       "TLS CA " + options.ca + ": " + openssl_errors());
        // A server with a CA requires a client certificate it verifies (mutual authentication).
        SSL_CTX_set_verify(context.get(), SSL_VERIFY_PEER | (server ? SSL_VERIFY_FAIL_IF_NO_PEER_CERT : 0), nullptr);
    }
    return context;
}

class TlsTransport final : public Transport {
public:
    TlsTransport(int fd, const TlsOptions& options, bool server, const std::string& peer_host) : Transport(fd) {
        try {
            context_ = make_context(options, server);
            ssl_.reset(SSL_new(context_.get()));
            SNNIPRED_CHECK(ssl_ != nullptr, NetworkError, "TLS: cannot create a session: " + openssl_errors());
            BIO* in = BIO_new(BIO_s_mem());
            BIO* out = BIO_new(BIO_s_mem());
            SSL_set_bio(ssl_.get(), in, out);  // the session owns both
            in_ = in;
            out_ = out;
            if (server) {
                SSL_set_accept_state(ssl_.get());
            } else {
                SSL_set_connect_state(ssl_.get());
                X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
                const int named = is_ip_address(peer_host) ? X509_VERIFY_PARAM_set1_ip_asc(param, peer_host.c_str())
                                                           : X509_VERIFY_PARAM_set1_host(param, peer_host.c_str(), 0);
                SNNIPRED_CHECK(named == 1, ConfigError, "TLS: cannot verify the server as '" + peer_host + "'");
                if (!is_ip_address(peer_host)) SSL_set_tlsext_host_name(ssl_.get(), peer_host.c_str());
            }
        } catch (...) {
            close_fd(fd_);
            throw;
        }
    }
    ~TlsTransport() override {
        // A close_notify if the socket takes it now; the peer needs none to end cleanly.
        if (SSL_is_init_finished(ssl_.get()) == 1) {
            SSL_shutdown(ssl_.get());
            short ignored = 0;
            try {
                flush(ignored);
            } catch (const NetworkError&) {
            }
        }
        ERR_clear_error();
        close_fd(fd_);
    }

    std::size_t write_some(const std::byte* data, std::size_t size, short& wait) override {
        if (!flush(wait)) return 0;
        const int n = SSL_write(ssl_.get(), data, static_cast<int>(std::min(size, kWriteChunkBytes)));
        if (n <= 0) throw failure("sending");
        flush(wait);
        return static_cast<std::size_t>(n);
    }

    bool flush(short& wait) override {
        for (;;) {
            if (pending_sent_ == pending_.size()) {
                pending_.resize(kReadChunkBytes);
                const int n = BIO_read(out_, pending_.data(), static_cast<int>(pending_.size()));
                pending_.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
                pending_sent_ = 0;
                if (n <= 0) return true;
            }
            const ssize_t sent =
                ::send(fd_, pending_.data() + pending_sent_, pending_.size() - pending_sent_, MSG_NOSIGNAL);
            if (sent > 0) {
                pending_sent_ += static_cast<std::size_t>(sent);
                wire_.sent += static_cast<std::uint64_t>(sent);
                continue;
            }
            if (sent < 0 && errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
                throw NetworkError(system_error_text("TLS: peer disconnected while sending"));
            wait = POLLOUT;
            return false;
        }
    }

    std::size_t read_some(std::byte* data, std::size_t size, short& wait, const char* what) override {
        for (;;) {
            const int n = SSL_read(ssl_.get(), data, static_cast<int>(std::min<std::size_t>(size, INT32_MAX)));
            if (n > 0) return static_cast<std::size_t>(n);
            const int error = SSL_get_error(ssl_.get(), n);
            if (error == SSL_ERROR_ZERO_RETURN) throw NetworkError(std::string("peer closed the connection ") + what);
            if (error != SSL_ERROR_WANT_READ) throw failure(what);
            if (!flush(wait) || !receive(wait, what)) return 0;
        }
    }

    bool handshake(short& wait) override {
        for (;;) {
            const int done = SSL_do_handshake(ssl_.get());
            const int error = done == 1 ? SSL_ERROR_NONE : SSL_get_error(ssl_.get(), done);
            if (!flush(wait)) return false;
            if (done == 1) return true;
            if (error != SSL_ERROR_WANT_READ) throw failure("in the TLS handshake");
            if (!receive(wait, "in the TLS handshake")) return false;
        }
    }

private:
    // Moves what the socket holds into OpenSSL; false (waiting for POLLIN) if it holds nothing.
    bool receive(short& wait, const char* what) {
        std::byte buffer[kReadChunkBytes];
        const ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
        if (got > 0) {
            wire_.received += static_cast<std::uint64_t>(got);
            BIO_write(in_, buffer, static_cast<int>(got));
            return true;
        }
        if (got == 0) throw NetworkError(std::string("peer closed the connection ") + what);
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
            throw NetworkError(system_error_text(std::string("peer connection failed ") + what));
        wait = POLLIN;
        return false;
    }

    NetworkError failure(const std::string& what) const {
        std::string text = "TLS: " + what + ": " + openssl_errors();
        const long verify = SSL_get_verify_result(ssl_.get());
        if (verify != X509_V_OK) text += " (certificate: " + std::string(X509_verify_cert_error_string(verify)) + ")";
        return NetworkError(text);
    }

    std::unique_ptr<SSL_CTX, ContextDeleter> context_;
    std::unique_ptr<SSL, SslDeleter> ssl_;
    BIO* in_ = nullptr;   // ciphertext from the peer, owned by ssl_
    BIO* out_ = nullptr;  // ciphertext for the peer, owned by ssl_
    std::vector<unsigned char> pending_;  // ciphertext taken from out_, not yet on the socket
    std::size_t pending_sent_ = 0;
};

}  // namespace

}  // namespace snnipred::net::detail

namespace snnipred::net {

void check_tls_files(const TlsOptions& tls, bool server) { detail::make_context(tls, server); }

}  // namespace snnipred::net

namespace snnipred::net::detail {

std::unique_ptr<Transport> tls_transport(int fd, const TlsOptions& options, bool server, const std::string& peer_host) {
    return std::make_unique<TlsTransport>(fd, options, server, peer_host);
}

}  // namespace snnipred::net::detail
