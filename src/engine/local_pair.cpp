#include "snnipred/engine/local_pair.h"

#include <malloc.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <optional>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "snnipred/core/child_process.h"
#include "snnipred/core/error.h"
#include "snnipred/engine/fixed_point.h"

namespace snnipred::engine {
namespace {

using child_process::ChildOutcome;
using child_process::fork_reporting;
using child_process::process_error;
using child_process::reap;
using child_process::report_and_exit;
using child_process::write_all;

// How long a run without a deadline may take before the caller of an isolated run gives
// up on it: longer than any network of the zoo over the slowest link profiled.
constexpr std::chrono::milliseconds kUndeadlinedRunBound = std::chrono::hours(6);

// The child: say it is ready ('R', so that forking is not booked to the client's setup),
// serve one run, then report its trace (or its error) on the pipe.
[[noreturn]] void serve_child(net::Listener& listener, int report_fd, const Network& network,
                              const NetworkWeights& weights, const SecureOptions& options,
                              const net::ChannelOptions& channel_options) {
    report_and_exit(report_fd, [&] {
        write_all(report_fd, "R");
        net::Channel channel = listener.accept(channel_options);
        Trace trace(Party::kServer);
        SecureOptions server_options = options;
        server_options.on_step = nullptr;  // progress is the client's, in the calling process
        run_secure_server(channel, network, weights, server_options, trace);
        return traces_to_json({&trace});
    });
}

// A fresh run process: run the pair (this process the client, a forked child the server),
// then report both traces, the output and the end-to-end time (or the error) on the pipe.
[[noreturn]] void run_child(int report_fd, const Network& network, std::uint64_t weights_seed,
                            std::span<const std::uint64_t> input, const SecureOptions& options,
                            const net::ChannelOptions& channel_options) {
    report_and_exit(report_fd, [&] {
        const LocalPairResult result = run_local_pair(network, weights_seed, input, options, channel_options);
        nlohmann::json json;
        json["traces"] = nlohmann::json::parse(traces_to_json({&result.client, &result.server}));
        json["output"] = result.output;
        json["client_end_to_end_s"] = result.client_end_to_end_s;
        return json.dump();
    });
}

// Waits for the child's ready byte. Returns false (and leaves the rest of the report in
// the pipe) when the child failed before it was ready.
bool wait_ready(int report_fd, std::chrono::milliseconds timeout, std::string& early) {
    pollfd pfd{report_fd, POLLIN, 0};
    int ready = -1;
    while ((ready = ::poll(&pfd, 1, static_cast<int>(timeout.count()))) < 0 && errno == EINTR) {
    }
    char byte = 0;
    if (ready <= 0 || ::read(report_fd, &byte, 1) != 1) return false;
    if (byte == 'R') return true;
    early.assign(1, byte);
    return false;
}

std::string server_error(const ChildOutcome& outcome) { return process_error(outcome, "server"); }

}  // namespace

LocalPairResult run_local_pair(const Network& network, std::uint64_t weights_seed,
                               std::span<const std::uint64_t> input, const SecureOptions& options,
                               const net::ChannelOptions& channel_options) {
    return run_local_pair(network, random_weights(network, weights_seed, options.ring), input, options,
                          channel_options);
}

LocalPairResult run_local_pair(const Network& network, const NetworkWeights& weights,
                               std::span<const std::uint64_t> input, const SecureOptions& options,
                               const net::ChannelOptions& channel_options) {
    check_weight_bound(network, weights);
    SNNIPRED_CHECK(weights.ring.bits == options.ring.bits && weights.ring.scale == options.ring.scale, InvalidInput,
                   "the weights are quantised for another ring than the run's");
    std::optional<net::Listener> listener(std::in_place, "127.0.0.1", 0);
    // Both parties start as fresh processes would: with no freed memory still mapped. The
    // server is forked from the caller, and a long-lived caller holds the freed buffers of
    // every earlier run; the child would reuse them copy-on-write and pay a page copy for
    // each, the client would reuse them warm. Either made a run's first steps cost what the
    // runs before it left behind (docs/RESULTS.md, 2026-12-06).
    ::malloc_trim(0);
    const auto [pid, report_fd] = fork_reporting("server", [&](int fd) {
        serve_child(*listener, fd, network, weights, options, channel_options);
    });
    const std::uint16_t port = listener->port();
    listener.reset();

    LocalPairResult result;
    std::string early;
    if (!wait_ready(report_fd, channel_options.timeout, early)) {
        ChildOutcome outcome = reap(pid, report_fd, std::chrono::milliseconds(2000));
        outcome.report = early + outcome.report;
        throw NetworkError(server_error(outcome));
    }
    const auto started = std::chrono::steady_clock::now();
    try {
        net::Channel channel = net::Channel::connect("127.0.0.1", port, channel_options);
        result.output = run_secure_client(channel, network, input, options, result.client);
    } catch (const std::exception& error) {
        // A disconnect is best explained by the server's own error; give it a moment to
        // report, otherwise stop it now.
        const bool disconnected = dynamic_cast<const NetworkError*>(&error) != nullptr;
        const ChildOutcome outcome = reap(pid, report_fd, std::chrono::milliseconds(disconnected ? 2000 : 0));
        if (disconnected && !outcome.ok())
            throw NetworkError(server_error(outcome) + " (client: " + error.what() + ")");
        throw;
    }
    result.client_end_to_end_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const ChildOutcome outcome = reap(pid, report_fd, channel_options.timeout);
    SNNIPRED_CHECK(outcome.ok(), NetworkError, server_error(outcome));
    result.server = trace_from_json(outcome.report, Party::kServer);
    return result;
}

LocalPairResult run_local_pair_isolated(const Network& network, std::uint64_t weights_seed,
                                        std::span<const std::uint64_t> input, const SecureOptions& options,
                                        const net::ChannelOptions& channel_options) {
    const auto [pid, report_fd] = fork_reporting("run", [&](int fd) {
        run_child(fd, network, weights_seed, input, options, channel_options);
    });
    // The run bounds every wait on the peer and, with a deadline, itself; past both (and
    // a margin for its setup) it has hung, and is killed.
    const auto bound = channel_options.deadline.value_or(kUndeadlinedRunBound) + 2 * channel_options.timeout;
    const ChildOutcome outcome = reap(pid, report_fd, bound);
    SNNIPRED_CHECK(outcome.ok(), Error, process_error(outcome, "run"));
    LocalPairResult result;
    try {
        const nlohmann::json json = nlohmann::json::parse(outcome.report);
        const std::string traces = json.at("traces").dump();
        result.client = trace_from_json(traces, Party::kClient);
        result.server = trace_from_json(traces, Party::kServer);
        result.output = json.at("output").get<std::vector<std::uint64_t>>();
        result.client_end_to_end_s = json.at("client_end_to_end_s").get<double>();
    } catch (const nlohmann::json::exception& error) {
        throw Error(std::string("run process: unreadable report (") + error.what() + ")");
    }
    return result;
}

std::vector<std::uint64_t> seeded_input(const Network& network, std::uint64_t seed, const RingConfig& ring) {
    check_tensor_sizes(network);
    std::mt19937_64 rng(seed ^ 0x1a7u);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(static_cast<std::size_t>(network.input().output.elements()));
    for (double& v : input) v = dist(rng);
    return encode_all(input, ring);
}

}  // namespace snnipred::engine
