// snnipred serve: the server half of secure two-party inference. Holds the weights (an
// ONNX model's initializers, else seeded random), listens, and runs one secure inference
// per client that connects, each in a child process (at most --max-clients at once, more
// are refused as busy; --once serves one client in this process); after each run it sends
// the client its trace so the client can print both parties' costs.
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <fmt/core.h>

#include "commands.h"
#include "secure_cli.h"
#include "snnipred/core/error.h"
#include "snnipred/model/network_digest.h"
#include "snnipred/engine/weights.h"
#include "snnipred/net/channel.h"

namespace snnipred::cli {
namespace {

struct ServeOptions {
    std::string model;
    std::string listen;
    std::uint64_t seed = 1;
    std::string he = "secure";
    std::string truncation = "faithful";
    std::string ot = "iknp";
    int threads = 1;
    std::string conv_packing = "cheetah";
    NetworkRewrites rewrites;
    bool once = false;
    std::string trace;
    std::vector<std::string> tls;  // CERT KEY
    std::string tls_client_ca;
    bool quiet = false;
    int max_clients = 4;
    int timeout_s = 60;
    int deadline_s = kDefaultDeadlineSeconds;
};

struct Served {
    const ServeOptions& options;
    const Network& network;
    const engine::NetworkWeights& weights;
    const engine::SecureOptions& secure;
    const std::optional<net::TlsOptions>& tls;
};

// One client: the secure run, then the server's trace as one last message; its costs on
// stdout and in --trace.
void serve_client(net::Channel& channel, const Served& served, std::size_t client) {
    engine::SecureOptions secure = served.secure;
    std::unique_ptr<SecureRunProgress> progress =
        attach_progress(secure, fmt::format("client {}", client), served.options.quiet);
    engine::Trace trace(snnipred::Party::kServer);
    engine::run_secure_server(channel, served.network, served.weights, secure, trace);
    progress.reset();  // ends a progress line left open on a terminal before the report
    const std::string report = engine::traces_to_json({&trace});
    channel.send(std::as_bytes(std::span(report)));
    channel.flush();
    fmt::print("client {}: done\n{}", client, party_costs_table({&trace}));
    std::fflush(stdout);
    if (!served.options.trace.empty()) engine::write_traces(served.options.trace, {&trace});
}

// The child process of one client: serves it (after the TLS handshake, which runs here so a
// stalled one holds only this process) and exits with 0, or 1 after printing its error.
[[noreturn]] void serve_in_child(net::Channel& channel, const Served& served, std::size_t client) {
    int status = 0;
    try {
        if (served.tls) channel.start_tls(*served.tls, true);
        serve_client(channel, served, client);
    } catch (const std::exception& error) {
        fmt::print(stderr, "snnipred: client {}: {}\n", client, error.what());
        status = 1;
    }
    std::fflush(nullptr);
    ::_exit(status);
}

// Reaps the children that have ended; returns how many.
std::size_t reap_children() {
    std::size_t ended = 0;
    while (::waitpid(-1, nullptr, WNOHANG) > 0) ++ended;
    return ended;
}

// Refuses a client within about a second, in TLS when the server speaks it.
void refuse(net::Channel& channel, const std::optional<net::TlsOptions>& tls, const std::string& reason) {
    if (tls) {
        channel.set_deadline(std::chrono::steady_clock::now() + std::chrono::seconds(1));
        try {
            channel.start_tls(*tls, true);
        } catch (const Error&) {
            return;  // the client cannot be told
        }
    }
    engine::refuse_run(channel, reason);
}

void run_serve(const ServeOptions& options) {
    SNNIPRED_CHECK(options.timeout_s > 0, ConfigError, "--timeout must be positive");
    SNNIPRED_CHECK(options.max_clients >= 1, ConfigError,
                   "--max-clients must be at least 1, not " + std::to_string(options.max_clients));
    if (!options.trace.empty()) check_trace_path(options.trace);
    const SecureNetwork loaded = load_secure_network(options.model, options.rewrites);
    const Network& network = loaded.engine_network();
    const engine::SecureOptions secure =
        parse_secure_options(options.he, options.truncation, options.ot, options.conv_packing, options.threads,
                             options.deadline_s);
    const Endpoint endpoint = parse_endpoint(options.listen, "--listen", true);
    const ServerWeights weights = server_weights(options.model, loaded, options.seed, secure.ring);
    const std::optional<net::TlsOptions> tls = server_tls(options.tls, options.tls_client_ca);
    const Served served{options, network, weights.weights, secure, tls};
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::seconds(options.timeout_s);

    net::Listener listener(endpoint.host, endpoint.port);
    // Tests and scripts read the port from this line (--listen HOST:0 picks a free one).
    fmt::print("serving {} on {}:{} (digest {}, {} threads)\n", network.name(), endpoint.host, listener.port(),
               snnipred::network_digest(network), secure.threads);
    fmt::print("weights: {}\n{}\n", weights.source, engine_lines(secure, loaded));
    const std::string transport = !tls             ? "plain TCP (not encrypted)"
                                  : tls->ca.empty() ? "TLS 1.3"
                                                    : "TLS 1.3, client certificates required (" + tls->ca + ")";
    fmt::print("transport: {}\n", transport);
    std::fflush(stdout);
    if (options.once) {
        net::Channel channel = listener.accept(channel_options);
        if (tls) channel.start_tls(*tls, true);
        serve_client(channel, served, 1);
        return;
    }
    // A child process per client, so a stalled peer holds one slot, never the server.
    std::size_t running = 0;
    for (std::size_t client = 1;; ++client) {
        std::optional<net::Channel> channel;
        try {
            channel.emplace(listener.accept(channel_options));
        } catch (const NetworkError&) {
            running -= reap_children();
            continue;  // no client within the timeout: keep listening
        }
        running -= reap_children();
        if (running >= static_cast<std::size_t>(options.max_clients)) {
            const std::string reason = fmt::format("busy with {} clients (serve --max-clients {}); try again later",
                                                   running, options.max_clients);
            refuse(*channel, tls, reason);
            fmt::print(stderr, "snnipred: client {}: refused: {}\n", client, reason);
            continue;
        }
        std::fflush(nullptr);
        const pid_t pid = ::fork();
        if (pid == 0) serve_in_child(*channel, served, client);
        if (pid < 0) {
            refuse(*channel, tls, "the server cannot start a process for it");
            fmt::print(stderr, "snnipred: client {}: refused: cannot fork\n", client);
            continue;
        }
        ++running;
    }
}

}  // namespace

void register_serve(CLI::App& app) {
    auto options = std::make_shared<ServeOptions>();
    CLI::App* command =
        app.add_subcommand("serve", "Serve secure two-party inference of a model (the server: holds the weights)");
    command->add_option("model", options->model, "zoo:NAME[@SIZE], a .onnx file or a .json network")->required();
    command->add_option("--listen", options->listen, "HOST:PORT to listen on (port 0: any free port)")->required();
    command->add_option("--seed", options->seed, "Seed of the random weights (unless MODEL has initializers)")
        ->capture_default_str();
    command->add_option("--he", options->he, "HE parameters: secure (N=8192, flooded) or cheetah (N=4096)")
        ->capture_default_str();
    command->add_option("--truncation", options->truncation, "faithful or approximate")->capture_default_str();
    command->add_option("--ot", options->ot, "OT extension: iknp, or ferret (silent OT and the lean nonlinear protocols)")->capture_default_str();
    command->add_option("--threads", options->threads, "Worker threads for the local work")->capture_default_str();
    add_layout_flags(*command, options->conv_packing, options->rewrites);
    command->add_flag("--once", options->once, "Serve one client, then exit (its error is the exit status)");
    command->add_option("--trace", options->trace, "Write the server's spans of the last run to FILE (.json or .csv)");
    command->add_option("--timeout", options->timeout_s, "Longest wait for the client, seconds")->capture_default_str();
    command
        ->add_option("--deadline", options->deadline_s, "Longest time for the whole run after the handshake, seconds")
        ->capture_default_str();
    command->add_option("--max-clients", options->max_clients,
                        "Clients served at once, each in its own process; more are refused as busy")
        ->capture_default_str();
    command->add_option("--tls", options->tls, "Serve over TLS 1.3 with CERT KEY (PEM files)")->expected(2);
    command->add_option("--tls-client-ca", options->tls_client_ca,
                        "With --tls: require client certificates signed by CA (PEM)");
    command->add_flag("--quiet", options->quiet, "No progress lines on stderr");
    command->callback([options] { run_serve(*options); });
}

}  // namespace snnipred::cli
