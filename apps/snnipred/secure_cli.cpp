#include "secure_cli.h"

#include <charconv>
#include <cstdlib>
#include <filesystem>

#include <unistd.h>

#include <fmt/core.h>

#include "snnipred/core/error.h"
#include "snnipred/model/load.h"
#include "snnipred/model/onnx_weights.h"

namespace snnipred::cli {
nlohmann::json cost_json(const engine::SpanCost& cost) {
    nlohmann::json json{{"wall_s", cost.wall_seconds},        {"cpu_s", cost.cpu_seconds},
                        {"bytes_sent", cost.comm.bytes_sent}, {"bytes_received", cost.comm.bytes_received},
                        {"rounds", cost.comm.rounds}};
    if (cost.planned_spans == cost.spans && cost.spans > 0) {
        json["plan_bytes_sent"] = cost.planned.bytes_sent;
        json["plan_bytes_received"] = cost.planned.bytes_received;
        json["plan_rounds"] = cost.planned.rounds;
    }
    return json;
}

SecureNetwork load_secure_network(const std::string& model, const NetworkRewrites& rewrites) {
    Network loaded = load_network(model);
    engine::check_tensor_sizes(loaded);
    RewrittenNetwork rewritten = rewrite_network(loaded, rewrites);
    return {std::move(loaded), std::move(rewritten)};
}

void add_layout_flags(CLI::App& command, std::string& conv_packing, NetworkRewrites& rewrites) {
    command
        .add_option("--conv-packing", conv_packing,
                    "Conv responses: cheetah (one per filter, fewest HE products) or dense (several filters per "
                    "response, fewest bytes); serve and infer must agree")
        ->capture_default_str();
    command.add_flag("--fold-batchnorm", rewrites.fold_batchnorm,
                     "Fold each batch norm that follows a conv or fc into it (one HE step instead of two; "
                     "serve and infer must agree)");
    command.add_flag("--fold-preactivation", rewrites.fold_preactivation,
                     "Fold each batch norm that only feeds a ReLU through it into the conv or fc after it: the "
                     "ReLU takes the norm's shift, the server alone its signs (no HE step for the norm; serve and "
                     "infer must agree)");
    command.add_flag("--relu-after-pool", rewrites.relu_after_pool,
                     "Apply each ReLU that only feeds a max pool (directly or through a concat) after the pool: "
                     "the same output from fewer ReLUs (serve and infer must agree)");
}

std::unique_ptr<SecureRunProgress> attach_progress(engine::SecureOptions& options, const std::string& label,
                                                   bool quiet) {
    if (quiet) return nullptr;
    double after_s = 2;
    if (const char* env = std::getenv("SNNIPRED_PROGRESS_AFTER"); env != nullptr && *env != '\0') {
        const std::string text = env;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), after_s);
        SNNIPRED_CHECK(error == std::errc() && end == text.data() + text.size() && after_s >= 0, ConfigError,
                       "SNNIPRED_PROGRESS_AFTER must be a number of seconds >= 0, not '" + text + "'");
    }
    auto progress = std::make_unique<SecureRunProgress>(label, std::chrono::duration<double>(after_s));
    options.on_step = [reporter = progress.get()](const engine::RunProgress& p) { (*reporter)(p); };
    return progress;
}

engine::SecureOptions parse_secure_options(const std::string& he, const std::string& truncation,
                                           const std::string& ot, const std::string& conv_packing, int threads,
                                           int deadline_s) {
    engine::SecureOptions options;
    try {
        options.he = engine::HomConfig::of(protocol::parse_he_set(he));
        options.he.conv_packing = protocol::parse_conv_packing(conv_packing);
        options.truncation = protocol::parse_truncation_mode(truncation);
        options.ot = protocol::parse_ot_extension(ot);
    } catch (const InvalidInput& error) {
        throw ConfigError(std::string("--he / --truncation / --ot / --conv-packing: ") + error.what());
    }
    SNNIPRED_CHECK(threads >= 1 && threads <= 256, ConfigError,
                   "--threads must be in 1..256, not " + std::to_string(threads));
    options.threads = threads;
    SNNIPRED_CHECK(deadline_s > 0, ConfigError, "--deadline must be positive, not " + std::to_string(deadline_s));
    options.deadline = std::chrono::seconds(deadline_s);
    return options;
}

void add_engine_fields(nlohmann::json& doc, const engine::SecureOptions& options, const SecureNetwork& network) {
    doc["ot"] = protocol::ot_extension_name(options.ot);
    doc["batchnorm"] = network.rewritten.describe_batchnorms();
    doc["relus"] = network.rewritten.describe_relus();
    doc["conv_packing"] = protocol::conv_packing_name(options.he.conv_packing);
    const protocol::HeLayout he = options.hom_config().layout();
    doc["he_flooding"] = he.flooding;
    doc["he_response_error_bits"] = he.response_error_bits;
    if (!he.flooding) doc["warning"] = "HE " + protocol::he_description(he);
}

std::string engine_lines(const engine::SecureOptions& options, const SecureNetwork& network) {
    return "HE " + protocol::he_description(options.hom_config().layout()) + "\nOT extension " +
           std::string(protocol::ot_extension_name(options.ot)) + "\n" + network.rewritten.describe_batchnorms() + "\n" +
           network.rewritten.describe_relus();
}

ServerWeights server_weights(const std::string& model, const SecureNetwork& network, std::uint64_t seed,
                             const engine::RingConfig& ring) {
    std::optional<std::vector<LayerParameters>> params;
    std::string source = "ONNX initializers";
    if (model.ends_with(".onnx")) params = onnx_parameters(model, network.loaded);
    if (!params) {
        params = engine::random_parameters(network.loaded, seed);
        source = "random (seed " + std::to_string(seed) + ")";
    }
    if (network.rewritten.applied.any()) params = rewrite_parameters(network.rewritten, *params);
    return {engine::quantise_weights(network.engine_network(), *params, ring), source};
}

Endpoint parse_endpoint(const std::string& text, const std::string& flag, bool listening) {
    const std::size_t colon = text.rfind(':');
    SNNIPRED_CHECK(colon != std::string::npos, ConfigError, flag + " must be HOST:PORT, not '" + text + "'");
    Endpoint endpoint;
    endpoint.host = text.substr(0, colon);
    if (endpoint.host.size() >= 2 && endpoint.host.front() == '[' && endpoint.host.back() == ']')
        endpoint.host = endpoint.host.substr(1, endpoint.host.size() - 2);
    if (endpoint.host.empty()) endpoint.host = listening ? "0.0.0.0" : "127.0.0.1";
    const std::string port = text.substr(colon + 1);
    unsigned value = 0;
    const auto [end, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    SNNIPRED_CHECK(error == std::errc() && end == port.data() + port.size() && value <= 65535 &&
                       (value > 0 || listening),
                   ConfigError, flag + ": '" + port + "' is not a port number");
    endpoint.port = static_cast<std::uint16_t>(value);
    return endpoint;
}

namespace {

// Loads the files of `tls` now; a bad one is a ConfigError naming `flags` and the file.
net::TlsOptions checked_tls(net::TlsOptions tls, bool server, const std::string& flags) {
    try {
        net::check_tls_files(tls, server);
    } catch (const ConfigError& error) {
        throw ConfigError(flags + ": " + error.what());
    }
    return tls;
}

}  // namespace

std::optional<net::TlsOptions> server_tls(const std::vector<std::string>& cert_key, const std::string& client_ca) {
    if (cert_key.empty()) {
        SNNIPRED_CHECK(client_ca.empty(), ConfigError, "--tls-client-ca needs --tls CERT KEY");
        return std::nullopt;
    }
    return checked_tls({cert_key.at(0), cert_key.at(1), client_ca}, true, "--tls / --tls-client-ca");
}

std::optional<net::TlsOptions> client_tls(const std::string& ca, const std::vector<std::string>& cert_key) {
    if (ca.empty()) {
        SNNIPRED_CHECK(cert_key.empty(), ConfigError, "--tls-cert needs --tls-ca CA");
        return std::nullopt;
    }
    net::TlsOptions tls{{}, {}, ca};
    if (!cert_key.empty()) tls = {cert_key.at(0), cert_key.at(1), ca};
    return checked_tls(tls, false, "--tls-ca / --tls-cert");
}

std::string transport_description(const net::Channel& channel) {
    return channel.tls() ? "TLS 1.3" : "plain TCP (not encrypted)";
}

void check_trace_path(const std::string& path) {
    SNNIPRED_CHECK(path.ends_with(".json") || path.ends_with(".csv"), ConfigError,
                   "--trace " + path + ": the trace format follows the name, which must end in .json or .csv");
    const std::filesystem::path file(path);
    const std::filesystem::path dir = file.has_parent_path() ? file.parent_path() : std::filesystem::path(".");
    std::error_code ignored;
    SNNIPRED_CHECK(std::filesystem::is_directory(dir, ignored), ConfigError,
                   "--trace " + path + ": directory " + dir.string() + " does not exist");
    const bool writable = std::filesystem::exists(file, ignored) ? ::access(path.c_str(), W_OK) == 0
                                                                 : ::access(dir.c_str(), W_OK) == 0;
    SNNIPRED_CHECK(writable, ConfigError, "--trace " + path + ": not writable");
}

nlohmann::json party_costs_json(const engine::Trace& trace) {
    return {{"setup", cost_json(trace.total(true))}, {"online", cost_json(trace.total(false))}};
}

std::string party_costs_table(const std::vector<const engine::Trace*>& traces) {
    std::string text = fmt::format("{:<8} {:>10} {:>10} {:>10} {:>12} {:>12} {:>8}\n", "party", "setup s",
                                   "online s", "cpu s", "sent MB", "recv MB", "rounds");
    for (const engine::Trace* trace : traces) {
        const engine::SpanCost setup = trace->total(true), online = trace->total(false);
        text += fmt::format("{:<8} {:>10.3f} {:>10.3f} {:>10.3f} {:>12.3f} {:>12.3f} {:>8}\n",
                            snnipred::party_name(trace->party()), setup.wall_seconds, online.wall_seconds,
                            setup.cpu_seconds + online.cpu_seconds,
                            static_cast<double>(setup.comm.bytes_sent + online.comm.bytes_sent) / 1e6,
                            static_cast<double>(setup.comm.bytes_received + online.comm.bytes_received) / 1e6,
                            setup.comm.rounds + online.comm.rounds);
    }
    return text;
}

}  // namespace snnipred::cli
