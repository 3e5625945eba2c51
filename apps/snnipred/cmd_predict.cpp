#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "secure_cli.h"
#include "snnipred/core/error.h"
#include "snnipred/model/load.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/predict/link_transfer.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::cli {
namespace {

struct PredictOptions {
    std::string model;
    std::string bundle;
    std::string train_data;
    std::string features = "protocol";
    std::string method = "all";
    std::string setting = "LAN";
    std::string truncation;  // empty: the backend's own (athos for cheetah, approximate for snnipred)
    std::string he = "cheetah";
    std::optional<double> bandwidth_mbit, rtt_ms;  // another link than the setting's
    bool json = false;
};

// What a prediction is for. The snnipred backend's bundles are profiled with the campaigns'
// engine options (campaigns/*.json: HE cheetah, approximate truncation, one thread per
// party); bytes and rounds come from the protocol plan of the options asked for.
struct EngineConfig {
    std::string backend;
    std::optional<protocol::PlanOptions> plan;  // snnipred backend only
    std::string truncation;                     // placement (cheetah) or mode (snnipred)
    std::string he;
    std::string setting;
    std::string note;  // where times and the asked options part ways

    nlohmann::json to_json() const {
        nlohmann::json json{{"backend", backend}, {"truncation", truncation}, {"link", setting}, {"threads", 1}};
        if (plan) {
            json["he"] = he;
            json["he_n"] = plan->he.n;
            json["flooding"] = plan->he.flooding;
        }
        if (!note.empty()) json["note"] = note;
        return json;
    }
    std::string describe() const {
        std::string text = "engine " + backend + ": ";
        if (plan) text += "HE " + he + " (" + he_description(plan->he) + "), ";
        text += "truncation " + truncation + ", 1 thread per party, link " + setting;
        return note.empty() ? text : text + "\nnote: " + note;
    }
};

constexpr protocol::HeSet kProfiledHe = protocol::HeSet::kCheetah;
constexpr protocol::TruncationMode kProfiledTruncation = protocol::TruncationMode::kApproximate;

constexpr const char* kDefaultBundleName = "snnipred-default.bundle.gz";

// The bundled default predictor: $SNNIPRED_PREDICTOR, else predictors/ beside the build
// directory the binary runs from (./build/snnipred in a checkout), else next to it.
std::string default_bundle_path() {
    if (const char* env = std::getenv("SNNIPRED_PREDICTOR"); env != nullptr && *env != '\0') return env;
    std::error_code error;
    const std::filesystem::path exe_dir = std::filesystem::read_symlink("/proc/self/exe", error).parent_path();
    for (const std::filesystem::path& candidate :
         {exe_dir.parent_path() / "predictors" / kDefaultBundleName, exe_dir / "predictors" / kDefaultBundleName})
        if (!error && std::filesystem::exists(candidate)) return candidate.string();
    throw InvalidInput(std::string("no --predictor given and no bundled default (predictors/") + kDefaultBundleName +
                       " beside the build directory); set SNNIPRED_PREDICTOR or pass --predictor BUNDLE");
}

// The lowering of the predictor's backend and the engine configuration predicted. For the
// cheetah backend --truncation is Athos's placement (athos, eager); for the snnipred
// backend it is the engine's mode (faithful, approximate) and --he its HE set.
predict::LoweringOptions lowering_for(const std::string& backend, const PredictOptions& options,
                                      EngineConfig& config) {
    predict::LoweringOptions lowering = predict::lowering_for_backend(backend);
    config.backend = backend;
    config.setting = options.setting;
    if (!lowering.protocol_plan) {
        if (!options.truncation.empty()) lowering.truncation = predict::parse_truncation_placement(options.truncation);
        config.truncation = std::string(predict::truncation_placement_name(lowering.truncation));
        return lowering;
    }
    protocol::PlanOptions plan;
    try {
        plan.he = protocol::he_layout(protocol::parse_he_set(options.he));
        plan.truncation = options.truncation.empty() ? kProfiledTruncation
                                                     : protocol::parse_truncation_mode(options.truncation);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("--he / --truncation for the snnipred backend: ") + error.what());
    }
    config.plan = plan;
    config.he = options.he;
    config.truncation = std::string(protocol::truncation_mode_name(plan.truncation));
    if (plan.he != protocol::he_layout(kProfiledHe) || plan.truncation != kProfiledTruncation)
        config.note = "times are predicted as profiled (HE cheetah, approximate truncation); bytes and rounds are "
                      "exact for HE " + config.he + ", " + config.truncation + " truncation";
    return lowering;
}

// One predictor to run, with a name for the report; `owned` keeps an in-process fit alive.
struct NamedPredictor {
    std::string name;
    const predict::Predictor* predictor = nullptr;
    std::unique_ptr<predict::Predictor> owned;
};

struct MethodResult {
    std::string name;
    predict::NetworkPrediction prediction;
    double t_pred_us = 0;  // lowering + prediction of every step, both parties, best of runs
};

// A whole-network predictor's answer: totals only, no per-step split.
struct WholeNetworkResult {
    std::string name;
    predict::PartyTimes times;
    double t_pred_us = 0;  // lowering + featurising + inference, best of runs
};

std::vector<predict::Method> wanted_methods(const predict::Bundle& bundle, const std::string& method) {
    if (method != "all") return predict::parse_methods(method);
    std::vector<predict::Method> wanted;
    if (bundle.analytical) wanted.push_back(predict::Method::kAnalytical);
    if (bundle.mlp) wanted.push_back(predict::Method::kNn);
    if (bundle.lstm) wanted.push_back(predict::Method::kLstm);
    SNNIPRED_CHECK(!wanted.empty(), InvalidInput, "the bundle holds no model");
    return wanted;
}

std::vector<NamedPredictor> bundle_predictors(const predict::Bundle& bundle, const std::vector<predict::Method>& wanted) {
    std::vector<NamedPredictor> out;
    for (predict::Method m : wanted)
        if (m != predict::Method::kLstm) out.push_back({std::string(predict::method_name(m)), &bundle.predictor(m), {}});
    return out;
}

// Without a bundle: fit the analytical model on the published data, for this setting only.
std::vector<NamedPredictor> fitted_predictors(const PredictOptions& options) {
    SNNIPRED_CHECK(options.method == "all" || options.method == "analytical", InvalidInput,
                   "--train-data fits the analytical model only; use --predictor BUNDLE for '" + options.method + "'");
    const predict::Dataset data = predict::load_dataset(options.train_data).filter_setting(options.setting);
    SNNIPRED_CHECK(!data.empty(), InvalidInput,
                   options.train_data + ": no records for setting '" + options.setting + "'");
    predict::AnalyticalOptions analytical;
    analytical.features = predict::parse_feature_set(options.features);
    auto predictor = std::make_unique<predict::AnalyticalPredictor>(analytical);
    predictor->fit(data.records);
    NamedPredictor named{"analytical", predictor.get(), nullptr};
    named.owned = std::move(predictor);
    std::vector<NamedPredictor> out;
    out.push_back(std::move(named));
    return out;
}

MethodResult run_method(const NamedPredictor& named, const Network& network, const predict::LoweringOptions& lowering,
                        const std::string& setting) {
    constexpr int kRuns = 5;
    MethodResult result{named.name, {}, 0};
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        result.prediction = predict::predict_network(predict::lower_network(network, lowering), *named.predictor, setting);
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        result.t_pred_us = run == 0 ? us : std::min(result.t_pred_us, us);
    }
    return result;
}

WholeNetworkResult run_whole_network(const predict::NetworkPredictor& predictor, const Network& network,
                                     const std::string& setting) {
    constexpr int kRuns = 5;
    WholeNetworkResult result{predictor.name(), {}, 0};
    for (int run = 0; run < kRuns; ++run) {
        const auto start = std::chrono::steady_clock::now();
        result.times = predictor.predict(network, setting);
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        result.t_pred_us = run == 0 ? us : std::min(result.t_pred_us, us);
    }
    return result;
}

std::string step_shape(const predict::ProtocolStep& step) {
    std::string out;
    for (const auto& [name, value] : step.record.raw) out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, value);
    return out;
}

nlohmann::json comm_json(const CommStats& comm) {
    return {{"bytes_sent", comm.bytes_sent}, {"bytes_received", comm.bytes_received}, {"rounds", comm.rounds}};
}

// Each party's communication in the plan steps a lowered step stands for.
std::array<CommStats, 2> step_comm(const protocol::ProtocolPlan& plan, const predict::ProtocolStep& step) {
    std::array<CommStats, 2> comm;
    for (std::size_t k = step.first_plan_step; k < step.first_plan_step + step.plan_steps; ++k)
        for (const Party party : kParties) comm[party_index(party)] += plan.steps[k].of(party).comm;
    return comm;
}

nlohmann::json plan_totals_json(const protocol::ProtocolPlan& plan) {
    nlohmann::json json = nlohmann::json::object();
    for (const Party party : kParties) {
        const CommStats setup = plan.total(party, protocol::Phase::kSetup).comm;
        const CommStats online = plan.total(party, protocol::Phase::kOnline).comm;
        json[std::string(party_name(party))] = {{"setup", comm_json(setup)}, {"online", comm_json(online)}};
    }
    return json;
}

nlohmann::json to_json(const Network& network, const EngineConfig& config, const std::optional<protocol::ProtocolPlan>& plan,
                       const std::vector<predict::ProtocolStep>& steps, const std::vector<MethodResult>& results,
                       const std::vector<WholeNetworkResult>& whole) {
    nlohmann::json step_list = nlohmann::json::array();
    for (std::size_t i = 0; i < steps.size(); ++i) {
        nlohmann::json raw = nlohmann::json::object();
        for (const auto& [name, value] : steps[i].record.raw) raw[name] = value;
        nlohmann::json predictions = nlohmann::json::object();
        for (const MethodResult& r : results)
            predictions[r.name] = {{"client_ms", r.prediction.steps[i].client_ms},
                                   {"server_ms", r.prediction.steps[i].server_ms}};
        nlohmann::json step{{"layer", network.layers()[steps[i].layer].name},
                            {"kind", predict::layer_kind_name(steps[i].record.kind)},
                            {"role", steps[i].role},
                            {"raw", raw},
                            {"predictions", predictions}};
        if (plan) {
            const auto comm = step_comm(*plan, steps[i]);
            step["phase"] = "online";
            step["client"] = comm_json(comm[party_index(Party::kClient)]);
            step["server"] = comm_json(comm[party_index(Party::kServer)]);
        }
        step_list.push_back(std::move(step));
    }
    nlohmann::json totals = nlohmann::json::object();
    for (const MethodResult& r : results)
        totals[r.name] = {{"client_ms", r.prediction.client_ms},
                          {"server_ms", r.prediction.server_ms},
                          {"t_pred_us", r.t_pred_us}};
    for (const WholeNetworkResult& r : whole)
        totals[r.name] = {{"client_ms", r.times.client_ms}, {"server_ms", r.times.server_ms}, {"t_pred_us", r.t_pred_us}};
    nlohmann::json json{{"model", network.name()}, {"setting", config.setting}, {"truncation", config.truncation},
                        {"engine", config.to_json()}, {"steps", step_list}, {"totals", totals}};
    // The plan's setup and online totals include the steps no predictor times (handshake,
    // keys, base OTs; local layers; the reveal).
    if (plan) json["communication"] = plan_totals_json(*plan);
    return json;
}

void print_table(const Network& network, const EngineConfig& config, const std::optional<protocol::ProtocolPlan>& plan,
                 const std::vector<predict::ProtocolStep>& steps, const std::vector<MethodResult>& results,
                 const std::vector<WholeNetworkResult>& whole) {
    std::string header = fmt::format("{:<40} {:<16} {:<8}", "layer", "step", "kind");
    for (const MethodResult& r : results)
        header += fmt::format(" {:>14} {:>14}", r.name + " C ms", r.name + " S ms");
    if (plan) header += fmt::format(" {:>10} {:>10} {:>6}", "C->S MB", "S->C MB", "rounds");
    fmt::print("{}  shape\n", header);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::string row = fmt::format("{:<40} {:<16} {:<8}", network.layers()[steps[i].layer].name, steps[i].role,
                                      predict::layer_kind_name(steps[i].record.kind));
        for (const MethodResult& r : results)
            row += fmt::format(" {:>14.1f} {:>14.1f}", r.prediction.steps[i].client_ms, r.prediction.steps[i].server_ms);
        if (plan) {
            const auto comm = step_comm(*plan, steps[i]);
            const CommStats& client = comm[party_index(Party::kClient)];
            row += fmt::format(" {:>10.3f} {:>10.3f} {:>6}", static_cast<double>(client.bytes_sent) / 1e6,
                               static_cast<double>(client.bytes_received) / 1e6,
                               client.rounds + comm[party_index(Party::kServer)].rounds);
        }
        fmt::print("{}  {}\n", row, step_shape(steps[i]));
    }
    fmt::print("\n{} ({} protocol steps)\n{}\n", network.name(), steps.size(), config.describe());
    if (plan)
        for (const protocol::Phase phase : {protocol::Phase::kSetup, protocol::Phase::kOnline}) {
            const CommStats client = plan->total(Party::kClient, phase).comm;
            const CommStats server = plan->total(Party::kServer, phase).comm;
            fmt::print("  {:<12} client -> server {:>10.2f} MiB   server -> client {:>10.2f} MiB   rounds {} + {}\n",
                       protocol::phase_name(phase), static_cast<double>(client.bytes_sent) / 1048576.0,
                       static_cast<double>(server.bytes_sent) / 1048576.0, client.rounds, server.rounds);
        }
    for (const MethodResult& r : results)
        fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   t_pred {:>10.1f} us\n", r.name,
                   r.prediction.client_ms / 1000.0, r.prediction.server_ms / 1000.0, r.t_pred_us);
    for (const WholeNetworkResult& r : whole)
        fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   t_pred {:>10.1f} us  (whole network)\n", r.name,
                   r.times.client_ms / 1000.0, r.times.server_ms / 1000.0, r.t_pred_us);
}

// --bandwidth / --rtt: the predictions of the bundle's setting moved to the asked link by
// the plan's bytes and rounds (predict/link_transfer.h).
void move_results_to_link(const PredictOptions& options, const std::optional<protocol::ProtocolPlan>& plan,
                          const std::vector<predict::ProtocolStep>& steps, EngineConfig& config,
                          std::vector<MethodResult>& results, std::vector<WholeNetworkResult>& whole) {
    SNNIPRED_CHECK(plan.has_value(), InvalidInput,
                   "--bandwidth / --rtt need the snnipred backend (its protocol plan's bytes and rounds); this "
                   "predictor's backend is " + config.backend);
    LinkProfile from, to;
    try {
        from = named_link(options.setting);
        to = custom_link(options.setting, options.bandwidth_mbit, options.rtt_ms);
    } catch (const ConfigError& error) {
        throw ConfigError(std::string("--setting / --bandwidth / --rtt: ") + error.what());
    }
    for (MethodResult& r : results) r.prediction = predict::move_to_link(r.prediction, steps, *plan, from, to);
    for (WholeNetworkResult& r : whole) r.times = predict::move_to_link(r.times, *plan, from, to);
    config.setting = to.describe() + " (from " + options.setting + ": " + from.describe() + ")";
}

void run_predict(PredictOptions options) {
    SNNIPRED_CHECK(options.bundle.empty() || options.train_data.empty(), InvalidInput,
                   "give at most one of --predictor BUNDLE and --train-data DIR");
    if (options.bundle.empty() && options.train_data.empty()) options.bundle = default_bundle_path();
    const Network network = load_network(options.model);

    std::optional<predict::Bundle> bundle;
    std::vector<NamedPredictor> predictors;
    std::vector<WholeNetworkResult> whole;
    EngineConfig config;
    predict::LoweringOptions lowering;
    if (!options.bundle.empty()) {
        bundle = predict::load_bundle(options.bundle);
        lowering = lowering_for(bundle->manifest.backend, options, config);
        const std::vector<predict::Method> wanted = wanted_methods(*bundle, options.method);
        predictors = bundle_predictors(*bundle, wanted);
        if (std::find(wanted.begin(), wanted.end(), predict::Method::kLstm) != wanted.end())
            whole.push_back(run_whole_network(bundle->lstm_predictor(), network, options.setting));
    } else {
        lowering = lowering_for("cheetah", options, config);  // the published data is Cheetah's
        predictors = fitted_predictors(options);
    }

    std::optional<protocol::ProtocolPlan> plan;
    if (config.plan) plan = protocol::plan_protocol(network, *config.plan);
    const std::vector<predict::ProtocolStep> steps = predict::lower_network(network, lowering);
    std::vector<MethodResult> results;
    for (const NamedPredictor& named : predictors) results.push_back(run_method(named, network, lowering, options.setting));
    if (options.bandwidth_mbit || options.rtt_ms) move_results_to_link(options, plan, steps, config, results, whole);
    if (options.json) fmt::print("{}\n", to_json(network, config, plan, steps, results, whole).dump(2));
    else print_table(network, config, plan, steps, results, whole);
}

}  // namespace

void register_predict(CLI::App& app) {
    auto options = std::make_shared<PredictOptions>();
    CLI::App* command =
        app.add_subcommand("predict", "Predict the SNNI time of a network, per protocol step and in total");
    command->add_option("model", options->model, "zoo:NAME, a .onnx file or a .json network")->required();
    command->add_option("--predictor", options->bundle,
                        "Predictor bundle (from snnipred train); default: the bundled predictors/snnipred-default.bundle.gz");
    command->add_option("--train-data", options->train_data,
                        "Instead of a bundle: fit the analytical model on this dataset (e.g. cheetah-sec24)");
    command->add_option("--features", options->features, "Feature set of the --train-data fit: paper or protocol")
        ->capture_default_str();
    command->add_option("--method", options->method, "analytical, nn, lstm (whole network, lowered through the bundle's backend) or all (every method the bundle has)")
        ->capture_default_str();
    command->add_option("--setting,--net", options->setting, "Network setting, e.g. LAN or WAN")->capture_default_str();
    command->add_option("--truncation", options->truncation,
                        "snnipred backend: the engine's truncation, faithful or approximate (default approximate, "
                        "as profiled); cheetah backend: the placement, athos or eager (default athos)");
    command->add_option("--bandwidth", options->bandwidth_mbit,
                        "Predict for this bandwidth in Mbit/s instead of the setting's (snnipred backend: the "
                        "setting's prediction moved by the plan's bytes)");
    command->add_option("--rtt", options->rtt_ms,
                        "Predict for this round-trip time in ms instead of the setting's (moved by the plan's rounds)");
    command->add_option("--he", options->he,
                        "snnipred backend: the engine's HE set, secure or cheetah (as profiled), for bytes and rounds")
        ->capture_default_str();
    command->add_flag("--json", options->json, "Print JSON instead of a table");
    command->callback([options] { run_predict(*options); });
}

}  // namespace snnipred::cli
