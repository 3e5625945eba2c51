// snnipred run: secure two-party inference of one network on this machine. The server
// runs in a forked child (it alone generates the seeded random weights), the client in
// this process (seeded random input); they talk over loopback TCP with optional link
// emulation. Prints each party's costs from its trace and, with --verify, compares the
// result with the plaintext ring reference.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <optional>
#include <random>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "snnipred/core/error.h"
#include "snnipred/engine/fixed_point.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/secure_executor.h"
#include "snnipred/model/load.h"
#include "snnipred/net/channel.h"

namespace snnipred::cli {
namespace {

using engine::Party;
using engine::SpanCost;
using engine::Trace;

struct RunOptions {
    std::string model;
    std::string net = "none";
    std::optional<double> bandwidth_mbit;
    std::optional<double> rtt_ms;
    std::uint64_t seed = 1;
    std::string he = "secure";
    std::string truncation = "faithful";
    std::string trace;
    bool verify = false;
    bool json = false;
    int timeout_s = 300;
};

engine::SecureOptions secure_options(const RunOptions& options) {
    engine::SecureOptions secure;
    SNNIPRED_CHECK(options.he == "secure" || options.he == "cheetah", ConfigError,
                   "--he must be secure or cheetah, not '" + options.he + "'");
    secure.he = options.he == "secure" ? engine::HomConfig::secure() : engine::HomConfig::cheetah_n4096();
    SNNIPRED_CHECK(options.truncation == "faithful" || options.truncation == "approximate", ConfigError,
                   "--truncation must be faithful or approximate, not '" + options.truncation + "'");
    secure.truncation = options.truncation == "faithful" ? engine::TruncationMode::kFaithful
                                                         : engine::TruncationMode::kApproximate;
    return secure;  // PRGs seeded by the OS: --seed fixes weights and input only
}

std::vector<std::uint64_t> seeded_input(const Network& network, std::uint64_t seed, const engine::RingConfig& ring) {
    std::mt19937_64 rng(seed ^ 0x1a7u);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(static_cast<std::size_t>(network.input().output.elements()));
    for (double& v : input) v = dist(rng);
    return engine::encode_all(input, ring);
}

void write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return;
        done += static_cast<std::size_t>(n);
    }
}

// The child: make the weights, say it is ready ('R', so their generation is not booked to
// the client's setup), serve one run, then report its trace (or its error) on the pipe.
[[noreturn]] void serve_child(net::Listener& listener, int report_fd, const Network& network,
                              const RunOptions& options, const net::ChannelOptions& channel_options) {
    std::string report;
    int status = 0;
    try {
        const engine::NetworkWeights weights = engine::random_weights(network, options.seed);
        write_all(report_fd, "R");
        net::Channel channel = listener.accept(channel_options);
        Trace trace(Party::kServer);
        engine::run_secure_server(channel, network, weights, secure_options(options), trace);
        report = engine::traces_to_json({&trace});
    } catch (const std::exception& error) {
        report = std::string("error:") + error.what();
        status = 1;
    }
    write_all(report_fd, report);
    ::close(report_fd);
    ::_exit(status);
}

struct ServerOutcome {
    std::string report;  // the server's trace JSON, or "error:" and its message
    std::string how;     // how the process ended, e.g. "exit status 1"
    bool ok() const { return how == "exit status 0" && report.rfind("error:", 0) != 0; }
};

// Reads the child's report until EOF, killing the child if it is still running after
// `grace` (so a stalled server never hangs the command), then reaps it.
ServerOutcome reap(pid_t pid, int report_fd, std::chrono::milliseconds grace) {
    const auto deadline = std::chrono::steady_clock::now() + grace;
    ServerOutcome outcome;
    bool killed = false;
    char buffer[65536];
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        pollfd pfd{report_fd, POLLIN, 0};
        const int ready = ::poll(&pfd, 1, killed ? -1 : static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
        if (ready < 0 && errno == EINTR) continue;
        if (ready == 0) {
            ::kill(pid, SIGKILL);
            killed = true;
            continue;
        }
        const ssize_t n = ::read(report_fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        outcome.report.append(buffer, static_cast<std::size_t>(n));
    }
    ::close(report_fd);
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    outcome.how = WIFEXITED(raw) ? "exit status " + std::to_string(WEXITSTATUS(raw))
                                 : "signal " + std::to_string(WTERMSIG(raw)) + (killed ? " (stalled, killed)" : "");
    return outcome;
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

std::string server_error(const ServerOutcome& outcome) {
    if (outcome.report.rfind("error:", 0) == 0) return "server: " + outcome.report.substr(6);
    return "server process ended with " + outcome.how + " and no trace";
}

nlohmann::json cost_json(const SpanCost& cost) {
    return {{"wall_s", cost.wall_seconds},           {"cpu_s", cost.cpu_seconds},
            {"bytes_sent", cost.comm.bytes_sent},    {"bytes_received", cost.comm.bytes_received},
            {"rounds", cost.comm.rounds}};
}

// docs/SECURITY.md: a run without flooded responses must say so in its output.
std::string he_description(const std::string& he) {
    return he == "secure" ? "N=8192, flooded responses"
                          : "N=4096, responses NOT flooded (Cheetah's speed; the client may learn weight "
                            "information, docs/SECURITY.md)";
}

std::int64_t signed_at(const std::vector<std::uint64_t>& v, std::size_t i, const engine::RingConfig& ring) {
    return ring.to_signed(v[i]);
}

std::size_t argmax(const std::vector<std::uint64_t>& v, const engine::RingConfig& ring) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (signed_at(v, i, ring) > signed_at(v, best, ring)) best = i;
    return best;
}

void report(const RunOptions& options, const Network& network, const net::LinkProfile& link, const Trace& client,
            const Trace& server, double end_to_end_s, const std::optional<nlohmann::json>& verify) {
    const auto server_sums = server.by_type_and_step();
    const auto server_cost = [&](const std::pair<std::string, std::string>& key) {
        const auto it = std::find_if(server_sums.begin(), server_sums.end(),
                                     [&](const auto& entry) { return entry.first == key; });
        return it == server_sums.end() ? SpanCost{} : it->second;
    };
    if (options.json) {
        nlohmann::json doc{{"model", network.name()},
                           {"link", link.describe()},
                           {"he", options.he},
                           {"he_flooding", options.he == "secure"},
                           {"truncation", options.truncation},
                           {"client_end_to_end_s", end_to_end_s}};
        for (const Trace* trace : {&client, &server})
            doc["parties"][engine::party_name(trace->party())] = {{"setup", cost_json(trace->total(true))},
                                                                  {"online", cost_json(trace->total(false))}};
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& [key, cost] : client.by_type_and_step())
            rows.push_back({{"layer_type", key.first},
                            {"step", key.second},
                            {"spans", cost.spans},
                            {"client", cost_json(cost)},
                            {"server", cost_json(server_cost(key))}});
        doc["steps"] = rows;
        if (verify) doc["verify"] = *verify;
        fmt::print("{}\n", doc.dump(1));
        return;
    }
    fmt::print("{}: {} layers, link {}, {} truncation\nHE {}\n\n", network.name(), network.layers().size(),
               link.describe(), options.truncation, he_description(options.he));
    fmt::print("{:<8} {:>10} {:>10} {:>10} {:>12} {:>12} {:>8}\n", "party", "setup s", "online s", "cpu s",
               "sent MB", "recv MB", "rounds");
    for (const Trace* trace : {&client, &server}) {
        const SpanCost setup = trace->total(true), online = trace->total(false);
        fmt::print("{:<8} {:>10.3f} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f} {:>8}\n",
                   engine::party_name(trace->party()), setup.wall_seconds, online.wall_seconds,
                   setup.cpu_seconds + online.cpu_seconds,
                   static_cast<double>(setup.comm.bytes_sent + online.comm.bytes_sent) / 1e6,
                   static_cast<double>(setup.comm.bytes_received + online.comm.bytes_received) / 1e6,
                   setup.comm.rounds + online.comm.rounds);
    }
    fmt::print("client end to end (connect to output) {:.3f} s\n", end_to_end_s);
    fmt::print("\n{:<14} {:<14} {:>6} {:>10} {:>10} {:>12} {:>12} {:>8}\n", "layer type", "step", "spans",
               "client s", "server s", "client MB", "server MB", "rounds");
    for (const auto& [key, cost] : client.by_type_and_step()) {
        const SpanCost s = server_cost(key);
        fmt::print("{:<14} {:<14} {:>6} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f} {:>8}\n", key.first, key.second,
                   cost.spans, cost.wall_seconds, s.wall_seconds, static_cast<double>(cost.comm.bytes_sent) / 1e6,
                   static_cast<double>(s.comm.bytes_sent) / 1e6, cost.comm.rounds + s.comm.rounds);
    }
    if (verify)
        fmt::print("\nverify: max |secure - reference| = {} ulps, argmax secure {} reference {} ({})\n",
                   (*verify)["max_abs_error_ulps"].get<std::int64_t>(), (*verify)["argmax_secure"].get<std::size_t>(),
                   (*verify)["argmax_reference"].get<std::size_t>(),
                   (*verify)["argmax_agrees"].get<bool>() ? "agree" : "DISAGREE");
}

void run_run(const RunOptions& options) {
    SNNIPRED_CHECK(options.timeout_s > 0, ConfigError, "--timeout must be positive");
    const Network network = load_network(options.model);
    const engine::SecureOptions secure = secure_options(options);
    net::ChannelOptions channel_options;
    channel_options.link = net::custom_link(options.net, options.bandwidth_mbit, options.rtt_ms);
    channel_options.timeout = std::chrono::seconds(options.timeout_s);

    std::optional<net::Listener> listener(std::in_place, "127.0.0.1", 0);
    int fds[2];
    SNNIPRED_CHECK(::pipe(fds) == 0, Error, "cannot create a pipe for the server process");
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(fds[0]);
        ::close(fds[1]);
        throw Error("cannot fork the server process");
    }
    if (pid == 0) {
        ::close(fds[0]);
        serve_child(*listener, fds[1], network, options, channel_options);
    }
    ::close(fds[1]);
    const std::uint16_t port = listener->port();
    listener.reset();

    Trace client(Party::kClient);
    std::vector<std::uint64_t> output;
    const std::vector<std::uint64_t> input = seeded_input(network, options.seed, secure.ring);
    std::string early;
    if (!wait_ready(fds[0], channel_options.timeout, early)) {
        ServerOutcome outcome = reap(pid, fds[0], std::chrono::milliseconds(2000));
        outcome.report = early + outcome.report;
        throw NetworkError(server_error(outcome));
    }
    const auto started = std::chrono::steady_clock::now();
    try {
        net::Channel channel = net::Channel::connect("127.0.0.1", port, channel_options);
        output = engine::run_secure_client(channel, network, input, secure, client);
    } catch (const std::exception& error) {
        // A disconnect is best explained by the server's own error; give it a moment to
        // report, otherwise stop it now.
        const bool disconnected = dynamic_cast<const NetworkError*>(&error) != nullptr;
        const ServerOutcome outcome = reap(pid, fds[0], std::chrono::milliseconds(disconnected ? 2000 : 0));
        if (disconnected && !outcome.ok())
            throw NetworkError(server_error(outcome) + " (client: " + error.what() + ")");
        throw;
    }
    const double end_to_end_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const ServerOutcome outcome = reap(pid, fds[0], channel_options.timeout);
    SNNIPRED_CHECK(outcome.ok(), NetworkError, server_error(outcome));
    const Trace server = engine::trace_from_json(outcome.report, Party::kServer);

    std::optional<nlohmann::json> verify;
    if (options.verify) {
        // Verification only: the client process regenerates the server's weights.
        const engine::NetworkWeights weights = engine::random_weights(network, options.seed);
        const std::vector<std::uint64_t> expected = engine::run_reference(network, weights, input, secure.ring);
        std::int64_t worst = 0;
        for (std::size_t i = 0; i < output.size(); ++i)
            worst = std::max(worst, std::abs(secure.ring.to_signed(secure.ring.reduce(output[i] - expected[i]))));
        verify = nlohmann::json{{"max_abs_error_ulps", worst},
                                {"argmax_secure", argmax(output, secure.ring)},
                                {"argmax_reference", argmax(expected, secure.ring)},
                                {"argmax_agrees", argmax(output, secure.ring) == argmax(expected, secure.ring)},
                                {"exact", worst == 0}};
    }
    if (!options.trace.empty()) engine::write_traces(options.trace, {&client, &server});
    report(options, network, channel_options.link, client, server, end_to_end_s, verify);
    if (verify && secure.truncation == engine::TruncationMode::kFaithful)
        SNNIPRED_CHECK((*verify)["exact"].get<bool>(), Error,
                       "verification failed: faithful truncation must reproduce the reference exactly");
}

}  // namespace

void register_run(CLI::App& app) {
    auto options = std::make_shared<RunOptions>();
    CLI::App* command = app.add_subcommand("run", "Run secure two-party inference locally (server in a child process)");
    command->add_option("model", options->model, "zoo:NAME, a .onnx file or a .json network")->required();
    command->add_option("--net", options->net, "Link emulation: none, lan or wan")->capture_default_str();
    command->add_option("--bandwidth", options->bandwidth_mbit, "Emulated bandwidth in Mbit/s (overrides --net)");
    command->add_option("--rtt", options->rtt_ms, "Emulated round-trip time in ms (overrides --net)");
    command->add_option("--seed", options->seed, "Seed of the random weights and input")->capture_default_str();
    command->add_option("--he", options->he, "HE parameters: secure (N=8192, flooded) or cheetah (N=4096)")
        ->capture_default_str();
    command->add_option("--truncation", options->truncation, "faithful or approximate")->capture_default_str();
    command->add_option("--trace", options->trace, "Write both parties' spans to FILE (.json or .csv)");
    command->add_option("--timeout", options->timeout_s, "Longest wait for the peer, seconds")->capture_default_str();
    command->add_flag("--verify", options->verify, "Compare with the plaintext reference (max error, argmax)");
    command->add_flag("--json", options->json, "Print JSON");
    command->callback([options] { run_run(*options); });
}

}  // namespace snnipred::cli
