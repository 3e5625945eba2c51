// snnipred serve: the server half of secure two-party inference. Holds the weights (an
// ONNX model's initializers, else seeded random), listens,
// and runs one secure inference per client that connects; after each run it sends the
// client its trace so the client can print both parties' costs.
#include <cstdio>
#include <optional>
#include <string>

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
    bool once = false;
    std::string trace;
    int timeout_s = 60;
};

// One client: the secure run, then the server's trace as one last message.
engine::Trace serve_client(net::Channel& channel, const Network& network, const engine::NetworkWeights& weights,
                           const engine::SecureOptions& secure) {
    engine::Trace trace(snnipred::Party::kServer);
    engine::run_secure_server(channel, network, weights, secure, trace);
    const std::string report = engine::traces_to_json({&trace});
    channel.send(std::as_bytes(std::span(report)));
    channel.flush();
    return trace;
}

void run_serve(const ServeOptions& options) {
    SNNIPRED_CHECK(options.timeout_s > 0, ConfigError, "--timeout must be positive");
    if (!options.trace.empty()) check_trace_path(options.trace);
    const Network network = load_secure_network(options.model);
    const engine::SecureOptions secure = parse_secure_options(options.he, options.truncation, options.ot, options.threads);
    const Endpoint endpoint = parse_endpoint(options.listen, "--listen", true);
    const ServerWeights weights = server_weights(options.model, network, options.seed, secure.ring);
    net::ChannelOptions channel_options;
    channel_options.timeout = std::chrono::seconds(options.timeout_s);

    net::Listener listener(endpoint.host, endpoint.port);
    // Tests and scripts read the port from this line (--listen HOST:0 picks a free one).
    fmt::print("serving {} on {}:{} (digest {}, {} threads)\n", network.name(), endpoint.host, listener.port(),
               snnipred::network_digest(network), secure.threads);
    fmt::print("weights: {}\n{}\n", weights.source, engine_lines(secure));
    std::fflush(stdout);
    for (std::size_t served = 1;; ++served) {
        std::optional<net::Channel> channel;
        try {
            channel.emplace(listener.accept(channel_options));
        } catch (const NetworkError&) {
            if (options.once) throw;
            continue;  // no client within the timeout: keep listening
        }
        try {
            const engine::Trace trace = serve_client(*channel, network, weights.weights, secure);
            fmt::print("client {}: done\n{}", served, party_costs_table({&trace}));
            std::fflush(stdout);
            if (!options.trace.empty()) engine::write_traces(options.trace, {&trace});
        } catch (const Error& error) {
            if (options.once) throw;
            fmt::print(stderr, "snnipred: client {}: {}\n", served, error.what());
        }
        if (options.once) return;
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
    command->add_option("--ot", options->ot, "OT extension: iknp or ferret (silent OT)")->capture_default_str();
    command->add_option("--threads", options->threads, "Worker threads for the local work")->capture_default_str();
    command->add_flag("--once", options->once, "Serve one client, then exit (its error is the exit status)");
    command->add_option("--trace", options->trace, "Write the server's spans of the last run to FILE (.json or .csv)");
    command->add_option("--timeout", options->timeout_s, "Longest wait for the client, seconds")->capture_default_str();
    command->callback([options] { run_serve(*options); });
}

}  // namespace snnipred::cli
