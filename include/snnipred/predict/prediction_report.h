#pragma once
// One whole-network prediction as every interface reports it (the `predict` command, the
// Python package): which engine configuration it is for, each method's per-step and total
// client / server times with t_pred, and, for this engine, each step's exact bytes and
// rounds from the protocol plan. One function makes it, so the CLI and Python agree.

#include <array>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "snnipred/core/comm_stats.h"
#include "snnipred/machine/machine_profile_io.h"
#include "snnipred/model/network.h"
#include "snnipred/model/network_rewrites.h"
#include "snnipred/predict/bundle.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_prediction.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/predict/physical_model.h"
#include "snnipred/protocol/options.h"
#include "snnipred/protocol/plan.h"

namespace snnipred::predict {

/// What to predict for.
struct PredictQuery {
    std::vector<Method> methods;  // empty: every method the bundle holds
    std::string setting = "LAN";  // the bundle's link setting the times are trained for
    /// Another link than the setting's (snnipred backend: moved by the plan's traffic).
    std::optional<double> bandwidth_mbit, rtt_ms;
    protocol::HeSet he = protocol::HeSet::kCheetah;  // snnipred backend: bytes and rounds
    protocol::OtExtension ot = protocol::OtExtension::kIknp;  // snnipred backend: bytes and rounds
    protocol::ConvPacking conv_packing = protocol::ConvPacking::kCheetah;  // snnipred backend: bytes and rounds
    /// The backend's own vocabulary, so it stays text until the backend is known: the
    /// engine's mode for snnipred (faithful, approximate), Athos's placement for cheetah
    /// (athos, eager); empty: as profiled (approximate, athos).
    std::string truncation;
    /// Predict the network rewritten as `snnipred run --fold-batchnorm --relu-after-pool`
    /// runs it (model/network_rewrites.h).
    NetworkRewrites rewrites;
    int timing_runs = 5;  // t_pred is the best of this many runs of each method
    /// The physical method's machine profile (predict/physical_model.h); null: no physical
    /// method. It predicts the asked link (setting, bandwidth, RTT) directly.
    std::shared_ptr<const machine::ChosenProfile> machine;
    /// The machine the trained methods predict for (snnipred backend). Null: the one the
    /// bundle was profiled on, unsaid. A calibration: their times move to it by the
    /// physical model's ratio (machine_transfer.h) when the bundle holds its profiling
    /// machine's profile. The reference profile (no calibration here): they stay on the
    /// bundle's machine. EngineConfig::machine says which happened.
    std::shared_ptr<const machine::ChosenProfile> target_machine;
};

/// Chooses the machine every method predicts for: `explicit_file`, else this machine's
/// calibration, else the reference profile in `search_dirs` (machine::choose_profile). It
/// is the target of the trained methods and, with `physical`, the physical method's
/// profile. Throws as choose_profile (a missing or corrupt profile, no reference profile).
void choose_machine(PredictQuery& query, bool physical, const std::optional<std::filesystem::path>& explicit_file,
                    const std::vector<std::filesystem::path>& search_dirs);

/// The engine configuration a prediction is for (the guide: every figure says which).
struct EngineConfig {
    std::string backend;
    std::optional<protocol::PlanOptions> plan;  // snnipred backend only
    std::string truncation;                     // placement (cheetah) or mode (snnipred)
    std::optional<protocol::HeSet> he;          // snnipred backend only
    std::optional<protocol::OtExtension> ot;    // snnipred backend only
    std::string batchnorm;                      // folded or not (RewrittenNetwork::describe_batchnorms)
    std::string relus;                          // moved or not (RewrittenNetwork::describe_relus)
    std::string link;                           // the setting, or the link moved to
    std::string machine;                        // the machine the trained methods' times are for
    std::string note;                           // where times and the asked options part ways

    nlohmann::json to_json() const;
    /// One line (two with a note) for people.
    std::string describe() const;
};

/// A per-step method's answer.
struct MethodResult {
    std::string name;
    NetworkPrediction prediction;
    double t_pred_us = 0;  // lowering + prediction of every step, both parties, best of runs
};

/// A whole-network method's answer (the LSTM): totals only.
struct WholeNetworkResult {
    std::string name;
    PartyTimes times;
    double t_pred_us = 0;  // lowering + featurising + inference, best of runs
};

/// The physical method's answer beyond its per-step times (snnipred backend).
struct PhysicalResult {
    PhysicalPrediction prediction;  // parallel to the plan's steps
    std::string profile;            // the machine profile's source
    bool reference = false;         // the reference machine's profile: this machine is not calibrated
    double t_pred_us = 0;           // planning + costing, best of runs

    /// What the physical times rest on, e.g. "machine profile ~/.config/snnipred/machine.json"
    /// or, uncalibrated, the reference's and the command that calibrates.
    std::string describe() const;
};

struct PredictionReport {
    std::shared_ptr<const Network> network;
    EngineConfig engine;
    LoweringOptions lowering;
    std::vector<MethodResult> per_step;   // analytical, nn: parallel to steps()
    std::vector<WholeNetworkResult> whole;  // lstm
    /// With PredictQuery::machine; its per-lowered-step times are per_step's "physical"
    /// entry, whose totals are the plan's whole online phase (local steps and the reveal too).
    std::optional<PhysicalResult> physical;

    /// The lowered steps the per-step results are parallel to (lowered on first use).
    const std::vector<ProtocolStep>& steps();
    /// The protocol plan of the asked engine options (planned on first use); null for a
    /// backend without one (cheetah).
    const protocol::ProtocolPlan* plan();
    /// Each party's communication in the plan steps steps()[i] stands for (snnipred backend).
    std::array<CommStats, 2> step_comm(std::size_t i);
    /// Everything above as JSON (the `predict --json` document).
    nlohmann::json to_json();

private:
    std::optional<std::vector<ProtocolStep>> steps_;
    std::optional<protocol::ProtocolPlan> plan_;
};

/// A per-layer predictor with the name its results carry.
struct NamedPredictor {
    std::string name;
    const Predictor* predictor = nullptr;
};

/// Predicts `network` with the bundle's methods for `query`. Throws InvalidInput for a
/// method the bundle lacks, a setting it was not trained for, truncation / HE names the
/// backend does not know, a link move without a protocol plan (cheetah backend), and
/// whatever lowering throws for the network (Unsupported for a layer it cannot lower).
PredictionReport predict_report(std::shared_ptr<const Network> network, const Bundle& bundle,
                                const PredictQuery& query);

/// The physical method only (query.machine must be set), for the snnipred backend's plan.
/// Throws InvalidInput without a machine profile, ConfigError as predict_physical.
PredictionReport predict_report(std::shared_ptr<const Network> network, const PredictQuery& query);

/// The same with per-layer predictors fitted elsewhere (e.g. on published data), lowered
/// through `backend` and taken to be profiled with query.ot; query.methods is ignored.
PredictionReport predict_report(std::shared_ptr<const Network> network, const std::vector<NamedPredictor>& predictors,
                                const std::string& backend, const PredictQuery& query);

}  // namespace snnipred::predict
