// snnipred run: secure two-party inference of one network on this machine
// (engine/local_pair.h: the server in a forked child with the model's ONNX weights or
// seeded random ones, the client in this process with a seeded random input, loopback
// TCP with optional link emulation). Prints each party's costs from its trace and, with
// --verify, compares the result with the plaintext ring reference.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "secure_cli.h"
#include "snnipred/core/error.h"
#include "snnipred/engine/local_pair.h"
#include "snnipred/engine/reference_executor.h"
#include "snnipred/engine/secure_executor.h"
#include "snnipred/net/channel.h"

namespace snnipred::cli {
namespace {

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
    std::string ot = "iknp";
    int threads = 1;
    std::string conv_packing = "cheetah";
    NetworkRewrites rewrites;
    std::string trace;
    bool verify = false;
    bool json = false;
    bool quiet = false;
    int timeout_s = 300;
    int deadline_s = kDefaultDeadlineSeconds;
};

std::int64_t signed_at(const std::vector<std::uint64_t>& v, std::size_t i, const engine::RingConfig& ring) {
    return ring.to_signed(v[i]);
}

std::size_t argmax(const std::vector<std::uint64_t>& v, const engine::RingConfig& ring) {
    std::size_t best = 0;
    for (std::size_t i = 1; i < v.size(); ++i)
        if (signed_at(v, i, ring) > signed_at(v, best, ring)) best = i;
    return best;
}

// Spans whose measured bytes, frames or rounds differ from the protocol plan's.
std::size_t plan_mismatches(const Trace& trace) {
    std::size_t differing = 0;
    for (const engine::SpanRecord& span : trace.records()) differing += !span.planned || span.comm != *span.planned;
    return differing;
}

void report(const RunOptions& options, const engine::SecureOptions& secure, const SecureNetwork& loaded,
            const std::string& weights, const LinkProfile& link, const Trace& client, const Trace& server,
            double end_to_end_s,
            const std::optional<nlohmann::json>& verify) {
    const Network& network = loaded.engine_network();
    const auto server_sums = server.by_type_and_step();
    const auto server_cost = [&](const std::pair<std::string, protocol::StepKind>& key) {
        const auto it = std::find_if(server_sums.begin(), server_sums.end(),
                                     [&](const auto& entry) { return entry.first == key; });
        return it == server_sums.end() ? SpanCost{} : it->second;
    };
    if (options.json) {
        nlohmann::json doc{{"model", network.name()},
                           {"weights", weights},
                           {"link", link.describe()},
                           {"he", options.he},
                           {"truncation", options.truncation},
                           {"client_end_to_end_s", end_to_end_s}};
        add_engine_fields(doc, secure, loaded);
        for (const Trace* trace : {&client, &server})
            doc["parties"][snnipred::party_name(trace->party())] = {{"setup", cost_json(trace->total(true))},
                                                                  {"online", cost_json(trace->total(false))}};
        nlohmann::json rows = nlohmann::json::array();
        for (const auto& [key, cost] : client.by_type_and_step())
            rows.push_back({{"layer_type", key.first},
                            {"step", protocol::step_kind_name(key.second)},
                            {"spans", cost.spans},
                            {"client", cost_json(cost)},
                            {"server", cost_json(server_cost(key))}});
        doc["steps"] = rows;
        for (const Trace* trace : {&client, &server})
            doc["parties"][std::string(snnipred::party_name(trace->party()))]["plan_mismatches"] = plan_mismatches(*trace);
        if (verify) doc["verify"] = *verify;
        fmt::print("{}\n", doc.dump(1));
        return;
    }
    fmt::print("{}: {} layers, link {}, {} truncation\n{}\nweights: {}\n\n", network.name(),
               network.layers().size(), link.describe(), options.truncation, engine_lines(secure, loaded), weights);
    fmt::print("{:<8} {:>10} {:>10} {:>10} {:>12} {:>12} {:>8}\n", "party", "setup s", "online s", "cpu s",
               "sent MB", "recv MB", "rounds");
    for (const Trace* trace : {&client, &server}) {
        const SpanCost setup = trace->total(true), online = trace->total(false);
        fmt::print("{:<8} {:>10.3f} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f} {:>8}\n",
                   snnipred::party_name(trace->party()), setup.wall_seconds, online.wall_seconds,
                   setup.cpu_seconds + online.cpu_seconds,
                   static_cast<double>(setup.comm.bytes_sent + online.comm.bytes_sent) / 1e6,
                   static_cast<double>(setup.comm.bytes_received + online.comm.bytes_received) / 1e6,
                   setup.comm.rounds + online.comm.rounds);
    }
    fmt::print("client end to end (connect to output) {:.3f} s\n", end_to_end_s);
    fmt::print("protocol plan: {} of {} client and {} of {} server steps differ from the measured bytes/rounds\n",
               plan_mismatches(client), client.records().size(), plan_mismatches(server), server.records().size());
    fmt::print("\n{:<14} {:<14} {:>6} {:>10} {:>10} {:>12} {:>12} {:>8}\n", "layer type", "step", "spans",
               "client s", "server s", "client MB", "server MB", "rounds");
    for (const auto& [key, cost] : client.by_type_and_step()) {
        const SpanCost s = server_cost(key);
        fmt::print("{:<14} {:<14} {:>6} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f} {:>8}\n", key.first,
                   protocol::step_kind_name(key.second),
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
    if (!options.trace.empty()) check_trace_path(options.trace);
    const SecureNetwork loaded = load_secure_network(options.model, options.rewrites);
    const Network& network = loaded.engine_network();
    // PRGs are seeded by the OS: --seed fixes the input and random weights only.
    engine::SecureOptions secure =
        parse_secure_options(options.he, options.truncation, options.ot, options.conv_packing, options.threads,
                             options.deadline_s);
    net::ChannelOptions channel_options;
    channel_options.link = custom_link(options.net, options.bandwidth_mbit, options.rtt_ms);
    channel_options.timeout = std::chrono::seconds(options.timeout_s);

    const ServerWeights weights = server_weights(options.model, loaded, options.seed, secure.ring);
    const std::vector<std::uint64_t> input = engine::seeded_input(network, options.seed, secure.ring);
    std::unique_ptr<SecureRunProgress> progress = attach_progress(secure, "run", options.quiet || options.json);
    const engine::LocalPairResult pair =
        engine::run_local_pair(network, weights.weights, input, secure, channel_options);
    progress.reset();
    const std::vector<std::uint64_t>& output = pair.output;
    const Trace& client = pair.client;
    const Trace& server = pair.server;
    const double end_to_end_s = pair.client_end_to_end_s;

    std::optional<nlohmann::json> verify;
    if (options.verify) {
        // Verification only: this process knows the server's weights.
        const std::vector<std::uint64_t> expected =
            engine::run_reference(network, weights.weights, input, secure.ring);
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
    report(options, secure, loaded, weights.source, channel_options.link, client, server, end_to_end_s, verify);
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
    command->add_option("--seed", options->seed, "Seed of the input (and of the weights unless MODEL has initializers)")
        ->capture_default_str();
    command->add_option("--he", options->he, "HE parameters: secure (N=8192, flooded) or cheetah (N=4096)")
        ->capture_default_str();
    command->add_option("--truncation", options->truncation, "faithful or approximate")->capture_default_str();
    command->add_option("--ot", options->ot, "OT extension: iknp, or ferret (silent OT and the lean nonlinear protocols)")->capture_default_str();
    add_layout_flags(*command, options->conv_packing, options->rewrites);
    command->add_option("--trace", options->trace, "Write both parties' spans to FILE (.json or .csv)");
    command->add_option("--threads", options->threads, "Worker threads per party for local HE and OT work")
        ->capture_default_str();
    command->add_option("--timeout", options->timeout_s, "Longest wait for the peer, seconds")->capture_default_str();
    command
        ->add_option("--deadline", options->deadline_s, "Longest time for the whole run after the handshake, seconds")
        ->capture_default_str();
    command->add_flag("--verify", options->verify, "Compare with the plaintext reference (max error, argmax)");
    command->add_flag("--json", options->json, "Print JSON");
    command->add_flag("--quiet", options->quiet, "No progress lines on stderr (also off with --json)");
    command->callback([options] { run_run(*options); });
}

}  // namespace snnipred::cli
