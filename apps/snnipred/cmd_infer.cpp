// snnipred infer: the client half of secure two-party inference. Holds the input (a text
// file, docs/input-format.md, or seeded random values), connects to `snnipred serve`,
// and prints the output (argmax and top values) with both parties' costs.
#include <algorithm>
#include <numeric>
#include <optional>
#include <random>
#include <string>

#include <fmt/core.h>

#include "commands.h"
#include "input_file.h"
#include "secure_cli.h"
#include "snnipred/core/error.h"
#include "snnipred/engine/fixed_point.h"
#include "snnipred/net/channel.h"

namespace snnipred::cli {
namespace {

constexpr std::size_t kTopValues = 5;

struct InferOptions {
    std::string connect;
    std::string model;
    std::string input = "random";
    std::uint64_t seed = 1;
    std::string he = "secure";
    std::string truncation = "faithful";
    std::string ot = "iknp";
    std::string net = "none";
    std::optional<double> bandwidth_mbit;
    std::optional<double> rtt_ms;
    int threads = 1;
    std::string conv_packing = "cheetah";
    NetworkRewrites rewrites;
    std::string trace;
    std::string tls_ca;
    std::vector<std::string> tls_cert;  // CERT KEY
    bool json = false;
    bool quiet = false;
    int timeout_s = 60;
    int deadline_s = kDefaultDeadlineSeconds;
};

std::vector<double> client_input(const InferOptions& options, const Network& network) {
    const Shape shape = network.input().output;
    const auto count = static_cast<std::size_t>(shape.elements());
    if (options.input != "random")
        return read_input_file(options.input, count, "network '" + network.name() + "' input " + shape.str());
    // Same generator as `snnipred run`, so a --seed gives the same input there and here.
    std::mt19937_64 rng(options.seed ^ 0x1a7u);
    std::uniform_real_distribution<double> dist(-1.0, 1.0);
    std::vector<double> input(count);
    for (double& v : input) v = dist(rng);
    return input;
}

// Indices of the largest values, best first.
std::vector<std::size_t> top_indices(const std::vector<double>& output) {
    std::vector<std::size_t> order(output.size());
    std::iota(order.begin(), order.end(), 0);
    const std::size_t k = std::min(kTopValues, order.size());
    std::partial_sort(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end(),
                      [&](std::size_t a, std::size_t b) { return output[a] > output[b] || (output[a] == output[b] && a < b); });
    order.resize(k);
    return order;
}

// What one inference cost the client beyond the parties' traces: its end-to-end time and
// what crossed its socket.
struct ClientView {
    double end_to_end_s = 0;
    std::string transport;
    net::WireBytes wire;
};

void print_result(const InferOptions& options, const engine::SecureOptions& secure, const SecureNetwork& loaded,
                  const std::vector<double>& output, const engine::Trace& client, const engine::Trace& server,
                  const ClientView& view) {
    const std::vector<std::size_t> top = top_indices(output);
    const Network& network = loaded.engine_network();
    if (options.json) {
        nlohmann::json doc{{"model", network.name()},
                           {"output", output},
                           {"argmax", top.front()},
                           {"he", options.he},
                           {"truncation", options.truncation},
                           {"threads", options.threads},
                           {"client_end_to_end_s", view.end_to_end_s},
                           {"transport",
                            {{"kind", view.transport},
                             {"wire_bytes_sent", view.wire.sent},
                             {"wire_bytes_received", view.wire.received}}}};
        add_engine_fields(doc, secure, loaded);
        doc["parties"]["client"] = party_costs_json(client);
        doc["parties"]["server"] = party_costs_json(server);
        fmt::print("{}\n", doc.dump(1));
        return;
    }
    fmt::print("{}: output of {} values, argmax {}\n{}\ntop:", network.name(), output.size(), top.front(),
               engine_lines(secure, loaded));
    for (const std::size_t i : top) fmt::print(" [{}] {:.4f}", i, output[i]);
    fmt::print("\n\n{}client end to end (connect to output) {:.3f} s\n", party_costs_table({&client, &server}),
               view.end_to_end_s);
    fmt::print("transport: {}, {:.3f} MB sent and {:.3f} MB received on the wire\n", view.transport,
               static_cast<double>(view.wire.sent) / 1e6, static_cast<double>(view.wire.received) / 1e6);
}

void run_infer(const InferOptions& options) {
    SNNIPRED_CHECK(options.timeout_s > 0, ConfigError, "--timeout must be positive");
    if (!options.trace.empty()) check_trace_path(options.trace);
    const SecureNetwork loaded = load_secure_network(options.model, options.rewrites);
    const Network& network = loaded.engine_network();
    engine::SecureOptions secure =
        parse_secure_options(options.he, options.truncation, options.ot, options.conv_packing, options.threads,
                             options.deadline_s);
    const Endpoint endpoint = parse_endpoint(options.connect, "--connect", false);
    const std::vector<std::uint64_t> input = engine::encode_all(client_input(options, network), secure.ring);
    net::ChannelOptions channel_options;
    channel_options.link = custom_link(options.net, options.bandwidth_mbit, options.rtt_ms);
    channel_options.timeout = std::chrono::seconds(options.timeout_s);
    channel_options.tls = client_tls(options.tls_ca, options.tls_cert);

    std::unique_ptr<SecureRunProgress> progress = attach_progress(secure, "infer", options.quiet || options.json);
    const auto started = std::chrono::steady_clock::now();
    net::Channel channel = net::Channel::connect(endpoint.host, endpoint.port, channel_options);
    engine::Trace client(snnipred::Party::kClient);
    const std::vector<std::uint64_t> output = engine::run_secure_client(channel, network, input, secure, client);
    progress.reset();
    const ClientView view{std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(),
                          transport_description(channel), channel.wire_bytes()};
    const std::vector<std::byte> report = channel.recv();  // the server's trace (cmd_serve.cpp)
    const engine::Trace server =
        engine::trace_from_json(std::string(reinterpret_cast<const char*>(report.data()), report.size()),
                                snnipred::Party::kServer);
    if (!options.trace.empty()) engine::write_traces(options.trace, {&client, &server});
    print_result(options, secure, loaded, engine::decode_all(output, secure.ring), client, server, view);
}

}  // namespace

void register_infer(CLI::App& app) {
    auto options = std::make_shared<InferOptions>();
    CLI::App* command = app.add_subcommand(
        "infer", "Run secure two-party inference against `snnipred serve` (the client: holds the input)");
    command->add_option("--connect", options->connect, "HOST:PORT of the server")->required();
    command->add_option("model", options->model, "The server's model: zoo:NAME[@SIZE], a .onnx or a .json file")
        ->required();
    command->add_option("--input", options->input, "Input FILE (docs/input-format.md) or random")
        ->capture_default_str();
    command->add_option("--seed", options->seed, "Seed of the random input")->capture_default_str();
    command->add_option("--he", options->he, "HE parameters: secure or cheetah (as the server)")->capture_default_str();
    command->add_option("--truncation", options->truncation, "faithful or approximate (as the server)")
        ->capture_default_str();
    command->add_option("--ot", options->ot, "OT extension: iknp, or ferret (silent OT and the lean nonlinear protocols; as the server)")->capture_default_str();
    add_layout_flags(*command, options->conv_packing, options->rewrites);
    command->add_option("--net", options->net, "Link emulation: none, lan or wan")->capture_default_str();
    command->add_option("--bandwidth", options->bandwidth_mbit, "Emulated bandwidth in Mbit/s (overrides --net)");
    command->add_option("--rtt", options->rtt_ms, "Emulated round-trip time in ms (overrides --net)");
    command->add_option("--threads", options->threads, "Worker threads for the local work")->capture_default_str();
    command->add_option("--trace", options->trace, "Write both parties' spans to FILE (.json or .csv)");
    command->add_option("--timeout", options->timeout_s, "Longest wait for the server, seconds")->capture_default_str();
    command
        ->add_option("--deadline", options->deadline_s, "Longest time for the whole run after the handshake, seconds")
        ->capture_default_str();
    command->add_option("--tls-ca", options->tls_ca, "Connect over TLS 1.3, verifying the server against CA (PEM)");
    command->add_option("--tls-cert", options->tls_cert, "Present CERT KEY (PEM) to a server that requires clients to")
        ->expected(2);
    command->add_flag("--json", options->json, "Print JSON");
    command->add_flag("--quiet", options->quiet, "No progress lines on stderr (also off with --json)");
    command->callback([options] { run_infer(*options); });
}

}  // namespace snnipred::cli
