#pragma once
// What `snnipred serve`, `snnipred infer` and `snnipred run` share: the secure-run options
// both parties must agree on, the server's weights, HOST:PORT endpoints, the cost
// summary of one party's trace, and how the HE mode protects the weights.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "snnipred/engine/secure_executor.h"
#include "snnipred/engine/trace.h"
#include "snnipred/engine/weights.h"
#include "snnipred/model/network_rewrites.h"
#include "snnipred/model/network.h"
#include "snnipred/net/channel.h"
#include "progress.h"

namespace snnipred::cli {

/// The network of a secure run: as loaded, and as the engine runs it.
struct SecureNetwork {
    Network loaded;
    /// As the engine runs it: with --fold-batchnorm, --fold-preactivation and --relu-after-pool,
    /// else as loaded.
    /// Its descriptions are how reports name the rewrites (both parties must agree on them).
    RewrittenNetwork rewritten;

    const Network& engine_network() const { return rewritten.network; }
};

/// The network of a secure run (load_network) with the chosen rewrites
/// (model/network_rewrites.h), checked against the engine's tensor limit before anything
/// is allocated for it. Throws what load_network and check_tensor_sizes throw.
SecureNetwork load_secure_network(const std::string& model, const NetworkRewrites& rewrites);
/// Adds --conv-packing (cheetah | dense), --fold-batchnorm, --fold-preactivation and
/// --relu-after-pool to a secure command.
void add_layout_flags(CLI::App& command, std::string& conv_packing, NetworkRewrites& rewrites);

/// Default of --deadline: 3 h, over three times the slowest run measured (resnet50 with the
/// flooded set, 811 s; docs/RESULTS.md), yet a bound on how long a peer can hold a server.
inline constexpr int kDefaultDeadlineSeconds = 3 * 3600;

/// --he (secure | cheetah), --truncation (faithful | approximate), --ot (iknp | ferret),
/// --conv-packing (cheetah | dense), --threads (>= 1), --deadline (seconds > 0 for the run
/// after the handshake). The PRGs are seeded by the OS. Throws ConfigError naming the bad flag.
engine::SecureOptions parse_secure_options(const std::string& he, const std::string& truncation,
                                           const std::string& ot, const std::string& conv_packing, int threads,
                                           int deadline_s);

/// Sets "ot" (the OT extension), "he_flooding" and "batchnorm" in a JSON report and,
/// without flooding, "warning" (the text engine_lines prints).
void add_engine_fields(nlohmann::json& doc, const engine::SecureOptions& options, const SecureNetwork& network);
/// "HE <he_description>\nOT extension <name>\nbatch norms <...>": how the text reports name
/// the engine.
std::string engine_lines(const engine::SecureOptions& options, const SecureNetwork& network);

/// Sets options.on_step to a progress line labelled `label` on stderr, unless `quiet` (--quiet
/// or --json); the line appears once the run has taken $SNNIPRED_PROGRESS_AFTER seconds
/// (default 2). Returns the reporter, which must outlive the run (null when quiet). Throws
/// ConfigError when SNNIPRED_PROGRESS_AFTER is not a number of seconds.
std::unique_ptr<SecureRunProgress> attach_progress(engine::SecureOptions& options, const std::string& label,
                                                   bool quiet);

struct ServerWeights {
    engine::NetworkWeights weights;
    std::string source;  // "ONNX initializers" or "random (seed S)"
};

/// The weights for the engine's network loaded from `model`: the initializers of the loaded
/// network when `model` is an .onnx file holding values for every weighted layer, else
/// random_parameters(loaded network, seed); folded with the network's batch norms, then
/// quantised to `ring`. Throws what onnx_parameters, rewrite_parameters and quantise_weights
/// throw.
ServerWeights server_weights(const std::string& model, const SecureNetwork& network, std::uint64_t seed,
                             const engine::RingConfig& ring);

struct Endpoint {
    std::string host;
    std::uint16_t port = 0;
};

/// "HOST:PORT", "[IPv6]:PORT" or ":PORT" (all interfaces for a listener, loopback for a
/// client). Throws ConfigError.
Endpoint parse_endpoint(const std::string& text, const std::string& flag, bool listening);

/// serve's TLS from --tls CERT KEY and --tls-client-ca CA (absent without --tls), its files
/// loaded once before anything listens. Throws ConfigError naming the flag and the file.
std::optional<net::TlsOptions> server_tls(const std::vector<std::string>& cert_key, const std::string& client_ca);
/// infer's TLS from --tls-ca CA and --tls-cert CERT KEY (absent without --tls-ca), checked
/// likewise before connecting. Throws ConfigError naming the flag and the file.
std::optional<net::TlsOptions> client_tls(const std::string& ca, const std::vector<std::string>& cert_key);
/// The transport of a channel as reports show it: "TLS 1.3" or "plain TCP (not encrypted)".
std::string transport_description(const net::Channel& channel);

/// Checks a --trace FILE before any work, so a run never ends by losing its trace: the
/// name ends in .json or .csv and its directory exists and is writable. Throws ConfigError
/// naming the file.
void check_trace_path(const std::string& path);

/// Setup and online totals of one party: wall, cpu, bytes, rounds.
nlohmann::json party_costs_json(const engine::Trace& trace);
/// Wall/CPU time, bytes and rounds of summed spans, with the plan's bytes and rounds when
/// every span had them.
nlohmann::json cost_json(const engine::SpanCost& cost);

/// One table row per party: setup s, online s, cpu s, sent MB, recv MB, rounds.
std::string party_costs_table(const std::vector<const engine::Trace*>& traces);

}  // namespace snnipred::cli
