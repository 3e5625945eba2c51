#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "predictor_files.h"
#include "snnipred/core/error.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/model/load.h"
#include "snnipred/predict/analytical.h"
#include "snnipred/predict/dataset.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/prediction_report.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::cli {
namespace {

struct PredictOptions {
    std::string model;
    std::string bundle;
    std::string train_data;
    std::string features = "protocol";
    std::string method = "all";
    std::optional<std::string> setting;  // absent: prediction_setting's choice
    NetworkRewrites rewrites;
    std::string conv_packing = "cheetah";
    std::string truncation;  // empty: the backend's own (athos for cheetah, approximate for snnipred)
    std::string he = "cheetah";
    std::string ot = "iknp";
    std::optional<double> bandwidth_mbit, rtt_ms;  // another link than the setting's
    std::optional<std::string> machine;            // the machine every method predicts for
    bool json = false;
};

// The setting predicted at (and, with --bandwidth / --rtt, moved from).
std::string setting_of(const PredictOptions& options) { return prediction_setting(options.setting, options.rtt_ms); }

// --method's list without "physical", and whether it was there.
std::pair<std::string, bool> split_physical(const std::string& methods) {
    std::string rest;
    bool physical = false;
    std::size_t start = 0;
    while (start <= methods.size()) {
        const std::size_t comma = std::min(methods.find(',', start), methods.size());
        const std::string name = methods.substr(start, comma - start);
        if (name == "physical") physical = true;
        else rest += (rest.empty() ? "" : ",") + name;
        start = comma + 1;
    }
    return {rest, physical};
}

// The bundled predictor for the OT extension asked: $SNNIPRED_PREDICTOR, else predictors/
// beside the build directory (predictor_files.h).
std::filesystem::path default_bundle(protocol::OtExtension ot) {
    return predict::default_bundle_path(predictor_dirs(), ot);
}

// The flags as the library's query, each bad value named by its flag.
predict::PredictQuery query_of(const PredictOptions& options) {
    predict::PredictQuery query;
    const auto [methods, physical] = split_physical(options.method);
    try {
        predict::choose_machine(query, physical,
                                options.machine ? std::optional<std::filesystem::path>(*options.machine) : std::nullopt,
                                predictor_dirs());
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string(options.machine ? "--machine: " : "") + error.what());
    }
    if (!methods.empty() && methods != "all") query.methods = predict::parse_methods(methods);
    query.setting = setting_of(options);
    query.bandwidth_mbit = options.bandwidth_mbit;
    query.rtt_ms = options.rtt_ms;
    query.truncation = options.truncation;
    query.rewrites = options.rewrites;
    try {
        query.conv_packing = protocol::parse_conv_packing(options.conv_packing);
    } catch (const InvalidInput& error) {
        throw ConfigError(std::string("--conv-packing: ") + error.what());
    }
    try {
        query.he = protocol::parse_he_set(options.he);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("--he: ") + error.what());
    }
    try {
        query.ot = protocol::parse_ot_extension(options.ot);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("--ot: ") + error.what());
    }
    if (options.bandwidth_mbit || options.rtt_ms) try {
            named_link(query.setting);
            custom_link(query.setting, options.bandwidth_mbit, options.rtt_ms);
        } catch (const ConfigError& error) {
            throw ConfigError(std::string("--setting / --bandwidth / --rtt: ") + error.what());
        }
    return query;
}

// Without a bundle: fit the analytical model on the published data (Cheetah's), for this
// setting only.
std::unique_ptr<predict::Predictor> fitted_predictor(const PredictOptions& options) {
    SNNIPRED_CHECK(options.method == "all" || options.method == "analytical", InvalidInput,
                   "--train-data fits the analytical model only; use --predictor BUNDLE for '" + options.method + "'");
    const std::string setting = setting_of(options);
    const predict::Dataset data = predict::load_dataset(options.train_data).filter_setting(setting);
    SNNIPRED_CHECK(!data.empty(), InvalidInput, options.train_data + ": no records for setting '" + setting + "'");
    predict::AnalyticalOptions analytical;
    analytical.features = predict::parse_feature_set(options.features);
    auto predictor = std::make_unique<predict::AnalyticalPredictor>(analytical);
    predictor->fit(data.records);
    return predictor;
}

// The step's raw features; the plan's fixed costs (refills, first comparison) only where present.
std::string step_shape(const predict::ProtocolStep& step) {
    std::string out;
    for (const auto& [name, value] : step.record.raw) {
        const bool plan_cost = name == predict::kCotRefillsFeature || name == predict::kFirstComparisonFeature;
        if (!plan_cost || value != 0) out += fmt::format("{}{}={}", out.empty() ? "" : " ", name, value);
    }
    return out;
}

// The physical method's CPU seconds and setup phase, and which machine profile it used.
void print_physical(const predict::PhysicalResult& physical) {
    const predict::PhysicalPrediction& p = physical.prediction;
    constexpr std::size_t kC = party_index(Party::kClient), kS = party_index(Party::kServer);
    fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   (physical: CPU seconds online)\n", "cpu",
               p.online_cpu_ms[kC] / 1000.0, p.online_cpu_ms[kS] / 1000.0);
    fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   (physical: setup; CPU {:.2f} s / {:.2f} s)\n",
               "setup", p.setup_ms[kC] / 1000.0, p.setup_ms[kS] / 1000.0, p.setup_cpu_ms[kC] / 1000.0,
               p.setup_cpu_ms[kS] / 1000.0);
    fmt::print("{}\n", physical.describe());
}

void print_table(predict::PredictionReport& report) {
    const Network& network = *report.network;
    const protocol::ProtocolPlan* plan = report.plan();
    const std::vector<predict::ProtocolStep>& steps = report.steps();
    std::string header = fmt::format("{:<40} {:<16} {:<8}", "layer", "step", "kind");
    for (const predict::MethodResult& r : report.per_step)
        header += fmt::format(" {:>14} {:>14}", r.name + " C ms", r.name + " S ms");
    if (plan) header += fmt::format(" {:>10} {:>10} {:>6}", "C->S MB", "S->C MB", "rounds");
    fmt::print("{}  shape\n", header);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        std::string row = fmt::format("{:<40} {:<16} {:<8}", network.layers()[steps[i].layer].name, steps[i].role,
                                      predict::layer_kind_name(steps[i].record.kind));
        for (const predict::MethodResult& r : report.per_step)
            row += fmt::format(" {:>14.1f} {:>14.1f}", r.prediction.steps[i].client_ms, r.prediction.steps[i].server_ms);
        if (plan) {
            const auto comm = report.step_comm(i);
            const CommStats& client = comm[party_index(Party::kClient)];
            row += fmt::format(" {:>10.3f} {:>10.3f} {:>6}", static_cast<double>(client.bytes_sent) / 1e6,
                               static_cast<double>(client.bytes_received) / 1e6,
                               client.rounds + comm[party_index(Party::kServer)].rounds);
        }
        fmt::print("{}  {}\n", row, step_shape(steps[i]));
    }
    fmt::print("\n{} ({} protocol steps)\n{}\n", network.name(), steps.size(), report.engine.describe());
    if (plan)
        for (const protocol::Phase phase : {protocol::Phase::kSetup, protocol::Phase::kOnline}) {
            const CommStats client = plan->total(Party::kClient, phase).comm;
            const CommStats server = plan->total(Party::kServer, phase).comm;
            fmt::print("  {:<12} client -> server {:>10.2f} MiB   server -> client {:>10.2f} MiB   rounds {} + {}\n",
                       protocol::phase_name(phase), static_cast<double>(client.bytes_sent) / 1048576.0,
                       static_cast<double>(server.bytes_sent) / 1048576.0, client.rounds, server.rounds);
        }
    for (const predict::MethodResult& r : report.per_step)
        fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   t_pred {:>10.1f} us\n", r.name,
                   r.prediction.client_ms / 1000.0, r.prediction.server_ms / 1000.0, r.t_pred_us);
    for (const predict::WholeNetworkResult& r : report.whole)
        fmt::print("  {:<12} client {:>9.2f} s   server {:>9.2f} s   t_pred {:>10.1f} us  (whole network)\n", r.name,
                   r.times.client_ms / 1000.0, r.times.server_ms / 1000.0, r.t_pred_us);
    if (report.physical) print_physical(*report.physical);
}

void run_predict(PredictOptions options) {
    SNNIPRED_CHECK(options.bundle.empty() || options.train_data.empty(), InvalidInput,
                   "give at most one of --predictor BUNDLE and --train-data DIR");
    const predict::PredictQuery query = query_of(options);
    const bool physical_only = options.method == "physical";
    if (options.bundle.empty() && options.train_data.empty() && !physical_only)
        options.bundle = default_bundle(query.ot).string();
    auto network = std::make_shared<const Network>(load_network(options.model));
    predict::PredictionReport report;
    if (physical_only) {
        report = predict::predict_report(network, query);
    } else if (!options.bundle.empty()) {
        report = predict::predict_report(network, predict::load_bundle(options.bundle), query);
    } else {
        const std::unique_ptr<predict::Predictor> fitted = fitted_predictor(options);
        report = predict::predict_report(network, {{"analytical", fitted.get()}}, "cheetah", query);
    }
    if (options.json) fmt::print("{}\n", report.to_json().dump(2));
    else print_table(report);
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
    command->add_option("--features", options->features, "Feature set of the --train-data fit: paper, protocol or plan")
        ->capture_default_str();
    command->add_option("--method", options->method,
                        "analytical, nn, lstm (whole network, lowered through the bundle's backend), physical (the "
                        "plan's primitive counts x this machine's unit costs, `snnipred calibrate`; no bundle needed), "
                        "a comma-separated list, or all (every method the bundle has)")
        ->capture_default_str();
    command->add_option("--machine", options->machine,
                        "The machine to predict for, as its profile (default: this machine's from `snnipred "
                        "calibrate`, else the reference machine's): the physical method costs it, the bundle's "
                        "methods move to it from the machine they were profiled on");
    command->add_option("--setting,--net", options->setting,
                        "Network setting, LAN or WAN (default LAN; with --rtt, the preset nearest that RTT: the "
                        "prediction moves from it, and its bandwidth is --bandwidth's default)");
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
    command->add_option("--ot", options->ot,
                        "snnipred backend: the engine's OT extension, ferret (silent OT and the lean nonlinear protocols) "
                        "or iknp, for bytes and rounds (the bundle says which its times were profiled with)")
        ->capture_default_str();
    command
        ->add_option("--conv-packing", options->conv_packing,
                     "snnipred backend: conv responses packed as cheetah (one per filter) or dense (several filters "
                     "per response), as `run --conv-packing` runs them")
        ->capture_default_str();
    command->add_flag("--fold-batchnorm", options->rewrites.fold_batchnorm,
                      "Predict the network with each batch norm that follows a conv or fc folded into it, as "
                      "`run --fold-batchnorm` runs it");
    command->add_flag("--fold-preactivation", options->rewrites.fold_preactivation,
                      "Predict the network with each batch norm that only feeds a ReLU folded through it into the "
                      "conv or fc after it, as `run --fold-preactivation` runs it");
    command->add_flag("--relu-after-pool", options->rewrites.relu_after_pool,
                      "Predict the network with each ReLU that only feeds a max pool applied after the pool, as "
                      "`run --relu-after-pool` runs it");
    command->add_flag("--json", options->json, "Print JSON instead of a table");
    command->callback([options] { run_predict(*options); });
}

}  // namespace snnipred::cli
