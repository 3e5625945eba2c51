#include "snnipred/predict/prediction_report.h"

#include <algorithm>
#include <chrono>
#include <iomanip>
#include <sstream>

#include "snnipred/core/error.h"
#include "snnipred/link/link_profile.h"
#include "snnipred/model/network_rewrites.h"
#include "snnipred/predict/link_transfer.h"
#include "snnipred/predict/machine_transfer.h"

namespace snnipred::predict {
namespace {

// The snnipred backend's bundles are profiled with the campaigns' engine options
// (profiled_plan_options: HE cheetah, approximate truncation, one thread per party, and the
// OT extension the bundle records); bytes and rounds come from the protocol plan of the
// options asked for.

// The lowering of the backend (the bundle's steps as profiled, Ferret refills included) and
// the engine configuration predicted.
LoweringOptions lowering_for(const std::string& backend, protocol::OtExtension profiled_ot, const PredictQuery& query,
                             EngineConfig& config) {
    LoweringOptions lowering = lowering_for_backend(backend, profiled_ot);
    config.backend = backend;
    config.link = query.setting;
    if (!lowering.protocol_plan) {
        if (!query.truncation.empty()) lowering.truncation = parse_truncation_placement(query.truncation);
        config.truncation = std::string(truncation_placement_name(lowering.truncation));
        return lowering;
    }
    const protocol::PlanOptions profiled = profiled_plan_options(profiled_ot);
    protocol::PlanOptions plan;
    try {
        plan.truncation = query.truncation.empty() ? profiled.truncation : protocol::parse_truncation_mode(query.truncation);
    } catch (const InvalidInput& error) {
        throw InvalidInput(std::string("truncation for the snnipred backend: ") + error.what());
    }
    plan.he = protocol::he_layout(query.he, plan.truncation);
    plan.he.conv_packing = query.conv_packing;
    plan.ot = query.ot;
    config.plan = plan;
    config.he = query.he;
    config.ot = query.ot;
    config.truncation = std::string(protocol::truncation_mode_name(plan.truncation));
    // Bundles are profiled with Cheetah's conv packing: only another one is worth a word.
    const bool dense = query.conv_packing != profiled.he.conv_packing;
    if (plan.he != profiled.he || plan.truncation != profiled.truncation || plan.ot != profiled.ot)
        config.note = "the bundle's times (analytical, nn, lstm) are predicted as profiled (HE cheetah, approximate "
                      "truncation, OT " + std::string(protocol::ot_extension_name(profiled_ot)) +
                      (dense ? ", cheetah conv packing" : "") +
                      "); bytes and rounds, and the physical method's times, are for HE " +
                      std::string(protocol::he_set_name(query.he)) + ", " +
                      config.truncation + " truncation, OT " + std::string(protocol::ot_extension_name(query.ot)) +
                      (dense ? ", " + std::string(protocol::conv_packing_name(query.conv_packing)) + " conv packing"
                             : "");
    return lowering;
}

template <typename Run>
double best_time_us(int runs, Run&& run) {
    double best = 0;
    for (int i = 0; i < std::max(runs, 1); ++i) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count();
        best = i == 0 ? us : std::min(best, us);
    }
    return best;
}

MethodResult run_method(const NamedPredictor& named, const Network& network, const LoweringOptions& lowering,
                        const PredictQuery& query) {
    MethodResult result{named.name, {}, 0};
    result.t_pred_us = best_time_us(query.timing_runs, [&] {
        result.prediction = predict_network(lower_network(network, lowering), *named.predictor, query.setting);
    });
    return result;
}

WholeNetworkResult run_whole_network(const NetworkPredictor& predictor, const Network& network,
                                     const PredictQuery& query) {
    WholeNetworkResult result{predictor.name(), {}, 0};
    result.t_pred_us = best_time_us(query.timing_runs, [&] { result.times = predictor.predict(network, query.setting); });
    return result;
}

// The link the query asks for: its setting's, with --bandwidth / --rtt over it.
LinkProfile asked_link(const PredictQuery& query) {
    try {
        return custom_link(query.setting, query.bandwidth_mbit, query.rtt_ms);
    } catch (const ConfigError& error) {
        throw ConfigError(std::string("setting / bandwidth / RTT: ") + error.what());
    }
}

// --bandwidth / --rtt: the predictions of the setting moved to the asked link
// (predict/link_transfer.h): by the physical model's change on the bundle's profiling
// machine where the bundle holds its profile, else by the plan's bytes and rounds.
void move_to_asked_link(const PredictQuery& query, const machine::MachineProfile* profiled, PredictionReport& report) {
    const protocol::ProtocolPlan* plan = report.plan();
    SNNIPRED_CHECK(plan != nullptr, InvalidInput,
                   "another bandwidth / RTT needs the snnipred backend (its protocol plan's bytes and rounds); this "
                   "predictor's backend is " + report.engine.backend);
    LinkProfile from;
    try {
        from = named_link(query.setting);
    } catch (const ConfigError& error) {
        throw ConfigError(std::string("setting / bandwidth / RTT: ") + error.what());
    }
    const LinkProfile to = asked_link(query);
    const LinkChange change =
        profiled != nullptr ? physical_change(*plan, *profiled, from, to) : traffic_change(*plan, from, to);
    for (MethodResult& r : report.per_step) r.prediction = move_to_link(r.prediction, report.steps(), *plan, change);
    for (WholeNetworkResult& r : report.whole) r.times = move_to_link(r.times, change);
    report.engine.link = to.describe() + " (from " + query.setting + ": " + from.describe() +
                         (profiled != nullptr ? ", moved by the physical model's change on the profiling machine)"
                                              : ", moved by the traffic alone: the bundle holds no machine profile)");
}

// The trained methods' times moved to query.target_machine, or why they stay on the
// machine the bundle was profiled on.
void move_to_target_machine(const PredictQuery& query, const machine::MachineProfile* profiled,
                            PredictionReport& report) {
    if ((report.per_step.empty() && report.whole.empty()) || !report.engine.plan) return;
    const std::string profiled_name = profiled ? profiled->cpu_model + ", calibrated " + profiled->date : "";
    const std::string stays =
        "the machine the bundle was profiled on" + (profiled ? " (" + profiled_name + ")" : std::string());
    if (!query.target_machine) {
        report.engine.machine = stays;
        return;
    }
    const machine::ChosenProfile& target = *query.target_machine;
    if (target.reference) {
        report.engine.machine = stays + ": this machine is not calibrated; run `snnipred calibrate` to predict for it";
        return;
    }
    if (!profiled) {
        report.engine.machine = stays + ": the bundle holds no profile of it (trained without --machine), so its "
                                        "times cannot move to " + target.profile.source;
        return;
    }
    const MachineRatios ratios = machine_ratios(*report.plan(), report.steps(), *profiled, target.profile, asked_link(query));
    for (MethodResult& r : report.per_step) r.prediction = move_to_machine(std::move(r.prediction), ratios);
    for (WholeNetworkResult& r : report.whole) r.times = move_to_machine(r.times, ratios);
    report.engine.machine = "this machine (" + target.profile.source + "), moved from the bundle's profiling machine (" +
                            profiled_name + ") by the physical model's per-step ratio";
}

// The physical method on the asked link: its per-plan-step result, and per lowered step
// the sum of the plan steps each stands for, with the whole online phase as its totals.
void add_physical(const PredictQuery& query, PredictionReport& report) {
    SNNIPRED_CHECK(report.engine.plan.has_value(), InvalidInput,
                   "the physical method needs the snnipred backend (its protocol plan); this predictor's backend is " +
                       report.engine.backend);
    const LinkProfile link = asked_link(query);
    PhysicalResult physical{{}, query.machine->profile.source, query.machine->reference, 0};
    physical.t_pred_us = best_time_us(query.timing_runs, [&] {
        physical.prediction = predict_physical(protocol::plan_protocol(*report.network, *report.engine.plan),
                                               query.machine->profile, link);
    });
    MethodResult per_step{"physical", {}, physical.t_pred_us};
    per_step.prediction.steps = lowered_step_times(physical.prediction, report.steps());
    per_step.prediction.client_ms = physical.prediction.online_ms[party_index(Party::kClient)];
    per_step.prediction.server_ms = physical.prediction.online_ms[party_index(Party::kServer)];
    report.per_step.push_back(std::move(per_step));
    report.physical = std::move(physical);
}

PredictionReport make_report(std::shared_ptr<const Network> network, const std::vector<NamedPredictor>& predictors,
                             const NetworkPredictor* whole_network, const std::string& backend,
                             protocol::OtExtension profiled_ot, const machine::MachineProfile* profiled_machine,
                             const PredictQuery& query) {
    SNNIPRED_CHECK(network != nullptr, InvalidInput, "no network to predict");
    PredictionReport report;
    if (query.rewrites.any()) {
        RewrittenNetwork rewritten = rewrite_network(*network, query.rewrites);
        report.engine.batchnorm = rewritten.describe_batchnorms();
        report.engine.relus = rewritten.describe_relus();
        network = std::make_shared<const Network>(std::move(rewritten.network));
    } else {
        report.engine.batchnorm = kBatchNormsNotFolded;
        report.engine.relus = kReluWhereWritten;
    }
    report.network = std::move(network);
    report.lowering = lowering_for(backend, profiled_ot, query, report.engine);
    if (whole_network != nullptr) report.whole.push_back(run_whole_network(*whole_network, *report.network, query));
    for (const NamedPredictor& named : predictors)
        report.per_step.push_back(run_method(named, *report.network, report.lowering, query));
    if (query.bandwidth_mbit || query.rtt_ms) {
        if (whole_network != nullptr || !predictors.empty()) move_to_asked_link(query, profiled_machine, report);
        else report.engine.link = custom_link(query.setting, query.bandwidth_mbit, query.rtt_ms).describe();
    }
    move_to_target_machine(query, profiled_machine, report);
    // The physical method costs the asked options themselves: the profiled-options note is
    // about the trained methods only.
    if (whole_network == nullptr && predictors.empty()) report.engine.note.clear();
    if (query.machine) add_physical(query, report);
    return report;
}

nlohmann::json physical_json(const PhysicalPrediction& p, std::size_t party) {
    return {{"online_ms", p.online_ms[party]},
            {"online_cpu_ms", p.online_cpu_ms[party]},
            {"setup_ms", p.setup_ms[party]},
            {"setup_cpu_ms", p.setup_cpu_ms[party]}};
}

nlohmann::json comm_json(const CommStats& comm) {
    return {{"bytes_sent", comm.bytes_sent}, {"bytes_received", comm.bytes_received}, {"rounds", comm.rounds}};
}

}  // namespace

void choose_machine(PredictQuery& query, bool physical, const std::optional<std::filesystem::path>& explicit_file,
                    const std::vector<std::filesystem::path>& search_dirs) {
    const auto chosen =
        std::make_shared<const machine::ChosenProfile>(machine::choose_profile(explicit_file, search_dirs));
    if (physical) query.machine = chosen;
    query.target_machine = chosen;
}

nlohmann::json EngineConfig::to_json() const {
    nlohmann::json json{
        {"backend", backend}, {"truncation", truncation}, {"link", link}, {"threads", 1}, {"batchnorm", batchnorm}, {"relus", relus}};
    if (plan) {
        json["he"] = std::string(protocol::he_set_name(*he));
        json["he_n"] = plan->he.n;
        json["flooding"] = plan->he.flooding;
        json["ot"] = std::string(protocol::ot_extension_name(*ot));
        json["conv_packing"] = std::string(protocol::conv_packing_name(plan->he.conv_packing));
    }
    if (!machine.empty()) json["machine"] = machine;
    if (!note.empty()) json["note"] = note;
    return json;
}

std::string EngineConfig::describe() const {
    std::string text = "engine " + backend + ": ";
    if (plan) text += "HE " + std::string(protocol::he_set_name(*he)) + " (" + protocol::he_description(plan->he) + "), ";
    if (plan) text += "OT " + std::string(protocol::ot_extension_name(*ot)) + ", ";
    text += "truncation " + truncation + ", 1 thread per party, link " + link + "; " + batchnorm + "; " + relus;
    if (!machine.empty()) text += "\nmachine: " + machine;
    return note.empty() ? text : text + "\nnote: " + note;
}

std::string PhysicalResult::describe() const {
    std::ostringstream text;
    text << std::fixed << std::setprecision(2);
    if (reference)
        text << "physical: this machine is not calibrated; unit costs of the reference machine (" << profile
             << "); run `snnipred calibrate` to measure this one";
    else text << "physical: unit costs of " << profile;
    const machine::CpuShare& share = prediction.cpu_share;
    if (share.measured())
        text << "; CPU share measured: " << share.single_thread_share << " CPU s per wall s for one thread, "
             << share.concurrent_cores << " for both parties, " << share.unthrottled_share << " between throttlings";
    else
        text << "; CPU share not measured (an older calibration): assumed a free machine, 1.00 CPU s per wall s per "
                "thread, "
             << share.concurrent_cores << " for both parties";
    if (!prediction.ot_costs_by_role)
        text << "; OT costs per role not measured (an older calibration): each party charged the mean of sender and "
                "receiver";
    if (prediction.lean_and_from_classic)
        text << "; the lean protocols' AND cost not measured (an older calibration): costed as the classic ones'";
    return text.str();
}

const std::vector<ProtocolStep>& PredictionReport::steps() {
    if (!steps_) steps_ = lower_network(*network, lowering);
    return *steps_;
}

const protocol::ProtocolPlan* PredictionReport::plan() {
    if (!engine.plan) return nullptr;
    if (!plan_) plan_ = protocol::plan_protocol(*network, *engine.plan);
    return &*plan_;
}

std::array<CommStats, 2> PredictionReport::step_comm(std::size_t i) {
    std::array<CommStats, 2> comm;
    const protocol::ProtocolPlan* protocol_plan = plan();
    const ProtocolStep& step = steps().at(i);
    if (protocol_plan == nullptr) return comm;
    for (std::size_t k = step.first_plan_step; k < step.first_plan_step + step.plan_steps; ++k)
        for (const Party party : kParties) comm[party_index(party)] += protocol_plan->steps[k].of(party).comm;
    return comm;
}

nlohmann::json PredictionReport::to_json() {
    nlohmann::json step_list = nlohmann::json::array();
    const bool with_plan = plan() != nullptr;
    for (std::size_t i = 0; i < steps().size(); ++i) {
        const ProtocolStep& lowered = steps()[i];
        nlohmann::json raw = nlohmann::json::object();
        for (const auto& [name, value] : lowered.record.raw) raw[name] = value;
        nlohmann::json predictions = nlohmann::json::object();
        for (const MethodResult& r : per_step)
            predictions[r.name] = {{"client_ms", r.prediction.steps[i].client_ms},
                                   {"server_ms", r.prediction.steps[i].server_ms}};
        if (physical) {
            std::array<double, 2> cpu{};
            for (std::size_t k = lowered.first_plan_step; k < lowered.first_plan_step + lowered.plan_steps; ++k)
                for (const Party party : kParties)
                    cpu[party_index(party)] += physical->prediction.steps[k].cpu_ms[party_index(party)];
            predictions["physical"]["client_cpu_ms"] = cpu[party_index(Party::kClient)];
            predictions["physical"]["server_cpu_ms"] = cpu[party_index(Party::kServer)];
        }
        nlohmann::json step{{"layer", network->layers()[lowered.layer].name},
                            {"kind", layer_kind_name(lowered.record.kind)},
                            {"role", lowered.role},
                            {"raw", raw},
                            {"predictions", predictions}};
        if (with_plan) {
            const auto comm = step_comm(i);
            step["phase"] = "online";
            step["client"] = comm_json(comm[party_index(Party::kClient)]);
            step["server"] = comm_json(comm[party_index(Party::kServer)]);
        }
        step_list.push_back(std::move(step));
    }
    nlohmann::json totals = nlohmann::json::object();
    for (const MethodResult& r : per_step)
        totals[r.name] = {{"client_ms", r.prediction.client_ms},
                          {"server_ms", r.prediction.server_ms},
                          {"t_pred_us", r.t_pred_us}};
    for (const WholeNetworkResult& r : whole)
        totals[r.name] = {{"client_ms", r.times.client_ms}, {"server_ms", r.times.server_ms}, {"t_pred_us", r.t_pred_us}};
    nlohmann::json json{{"model", network->name()}, {"setting", engine.link}, {"truncation", engine.truncation},
                        {"engine", engine.to_json()}, {"steps", step_list}, {"totals", totals}};
    if (physical) {
        nlohmann::json& total = json["totals"]["physical"];
        for (const Party party : kParties) {
            const std::size_t p = party_index(party);
            total[std::string(party_name(party)) + "_cpu_ms"] = physical->prediction.online_cpu_ms[p];
            total[std::string(party_name(party))] = physical_json(physical->prediction, p);
        }
        const machine::CpuShare& share = physical->prediction.cpu_share;
        json["machine_profile"] = {{"source", physical->profile},
                                   {"reference", physical->reference},
                                   {"cpu_share",
                                    {{"single_thread_share", share.single_thread_share},
                                     {"concurrent_cores", share.concurrent_cores},
                                     {"unthrottled_share", share.unthrottled_share},
                                     {"measured", share.measured()}}},
                                   {"ot_costs_by_role", physical->prediction.ot_costs_by_role},
                                   {"note", physical->describe()}};
    }
    // The plan's setup and online totals include the steps no predictor times (handshake,
    // keys, base OTs; local layers; the reveal).
    if (with_plan) {
        nlohmann::json communication = nlohmann::json::object();
        for (const Party party : kParties)
            communication[std::string(party_name(party))] = {
                {"setup", comm_json(plan_->total(party, protocol::Phase::kSetup).comm)},
                {"online", comm_json(plan_->total(party, protocol::Phase::kOnline).comm)}};
        json["communication"] = communication;
    }
    return json;
}

PredictionReport predict_report(std::shared_ptr<const Network> network, const Bundle& bundle,
                                const PredictQuery& query) {
    std::vector<Method> methods = query.methods;
    if (methods.empty()) {
        if (bundle.analytical) methods.push_back(Method::kAnalytical);
        if (bundle.mlp) methods.push_back(Method::kNn);
        if (bundle.lstm) methods.push_back(Method::kLstm);
        SNNIPRED_CHECK(!methods.empty(), InvalidInput, "the bundle holds no model");
    }
    std::vector<NamedPredictor> predictors;
    const NetworkPredictor* whole_network = nullptr;
    for (const Method method : methods) {
        if (method == Method::kLstm) whole_network = &bundle.lstm_predictor();
        else predictors.push_back({std::string(method_name(method)), &bundle.predictor(method)});
    }
    return make_report(std::move(network), predictors, whole_network, bundle.manifest.backend, bundle.manifest.ot,
                       bundle.profiled_machine ? &*bundle.profiled_machine : nullptr, query);
}

PredictionReport predict_report(std::shared_ptr<const Network> network, const PredictQuery& query) {
    SNNIPRED_CHECK(query.machine != nullptr, InvalidInput, "the physical method needs a machine profile");
    return make_report(std::move(network), {}, nullptr, "snnipred", query.ot, nullptr, query);
}

PredictionReport predict_report(std::shared_ptr<const Network> network, const std::vector<NamedPredictor>& predictors,
                                const std::string& backend, const PredictQuery& query) {
    return make_report(std::move(network), predictors, nullptr, backend, query.ot, nullptr, query);
}

}  // namespace snnipred::predict
