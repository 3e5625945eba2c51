#include "handshake.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "snnipred/model/network_digest.h"
#include "snnipred/protocol/plan.h"
#include "snnipred/core/error.h"

namespace snnipred::engine::detail {
namespace {

// Frame limit until the peer has shown it runs the same protocol: a handshake is a few
// hundred bytes, and an unknown peer must not make this process buffer megabytes.
constexpr std::size_t kHandshakeFrameBytes = std::size_t{64} << 10;

using Fields = protocol::HandshakeFields;

std::string value_of(const Fields& fields, const std::string& key) {
    for (const auto& [k, v] : fields)
        if (k == key) return v;
    return "(none)";
}

void compare(Party party, const Fields& mine, const Fields& theirs) {
    std::string differences;
    for (const auto& [key, value] : mine) {
        const std::string other = value_of(theirs, key);
        if (other == value) continue;
        const std::string& client = party == Party::kClient ? value : other;
        const std::string& server = party == Party::kClient ? other : value;
        differences += (differences.empty() ? "" : "; ") + key + " differs: client " + client + " vs server " + server;
    }
    SNNIPRED_CHECK(differences.empty(), ConfigError, "client and server disagree on the run: " + differences);
}

}  // namespace

void handshake(Party party, net::Channel& channel, const Network& network, const SecureOptions& options,
               std::size_t run_frame_bytes) {
    const std::size_t full_frame_limit = channel.options().max_frame_bytes;
    channel.set_max_frame_bytes(std::min(full_frame_limit, kHandshakeFrameBytes), "a handshake's limit");
    // The whole exchange within one timeout, however the peer paces its bytes.
    const auto run_deadline = channel.deadline();
    const auto handshake_deadline = std::chrono::steady_clock::now() + channel.options().timeout;
    channel.set_deadline(run_deadline ? std::min(*run_deadline, handshake_deadline) : handshake_deadline);
    const std::string message = protocol::handshake_message(network, options.plan_options(), network_digest(network));
    const Fields mine = protocol::parse_handshake(message);
    if (party == Party::kClient) channel.send(std::as_bytes(std::span(message)));
    const std::vector<std::byte> bytes = channel.recv();
    const Fields theirs =
        protocol::parse_handshake(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
    if (party == Party::kServer) {
        // Answer before judging, so the client learns the mismatch from the server's view too.
        channel.send(std::as_bytes(std::span(message)));
        channel.flush();
    }
    compare(party, mine, theirs);
    channel.set_max_frame_bytes(std::min(full_frame_limit, run_frame_bytes), "the run's largest planned step");
    auto deadline = run_deadline;
    if (options.deadline) {
        const auto own = std::chrono::steady_clock::now() + *options.deadline;
        deadline = deadline ? std::min(*deadline, own) : own;
    }
    channel.set_deadline(deadline);
}

}  // namespace snnipred::engine::detail

namespace snnipred::engine {

void refuse_run(net::Channel& channel, const std::string& reason) noexcept {
    try {
        const std::string message = std::string(protocol::kRefusalMagic) + "\n" + reason;
        channel.set_max_frame_bytes(detail::kHandshakeFrameBytes, "a handshake's limit");
        channel.set_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(1));
        channel.send(std::as_bytes(std::span(message)));
        channel.recv();  // the client's handshake, read so that closing is orderly
    } catch (const std::exception&) {
        // The client left or stalls: it gets the refusal if it ever reads, or nothing.
    }
}

}  // namespace snnipred::engine
