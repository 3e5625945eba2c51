#pragma once
// Whole-network evaluation (the paper's Table 4, `snnipred evaluate --split network`):
// networks are held out per setting, every method is trained only on the data of the
// other networks of that setting (per-layer methods on their layer records, whole-network
// methods on their samples), and each held-out network's measured time is compared with
// every method's prediction. Accuracy is also summarised as nn-Meter does: the share of
// held-out networks predicted within +-10 % of the measured time.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "snnipred/predict/dataset.h"
#include "snnipred/predict/lowering.h"
#include "snnipred/predict/network_predictor.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

/// The data one method is trained on: that of the training networks of one setting.
struct NetworkTrainingData {
    /// Layer records of the training networks, plus records naming no network (e.g. the
    /// published per-layer timings), which cannot belong to a held-out network's run.
    std::span<const LayerRecord> records;
    std::span<const NetworkSample> samples;  // whole-network samples of the training networks
};

/// Trains one method on `data` and returns the fitted predictor.
using NetworkMethodTrainer = std::function<std::unique_ptr<NetworkPredictor>(const NetworkTrainingData& data)>;

struct NetworkMethod {
    std::string name;  // report column, e.g. "analytical", "lstm", "relu-count"
    NetworkMethodTrainer train;
};

/// A per-layer method: a fresh predictor from `factory` fitted on the records, summed over
/// each network's lowered steps (PerLayerSum).
NetworkMethod per_layer_method(std::string name, PredictorFactory factory, LoweringOptions lowering);
/// A whole-network method: a fresh predictor from `factory` fitted on the samples.
NetworkMethod sample_method(std::string name, NetworkPredictorFactory factory);
/// An already fitted predictor evaluated as it is (`--split none`): training data is ignored.
NetworkMethod fixed_method(std::string name, std::shared_ptr<const NetworkPredictor> predictor);

/// Held-out network names per setting, each list sorted.
using HeldOutNetworks = std::map<std::string, std::vector<std::string>>;

struct HoldoutOptions {
    std::vector<std::string> names;  // held out in every setting that has them
    int random = 0;                  // plus this many per setting, drawn from the other networks
    std::uint64_t seed = 1;
};

/// Chooses the held-out networks. The random draw is a seeded shuffle per setting (seed
/// and setting name), so it is reproducible and independent of other settings. Throws
/// InvalidInput for an explicit name no sample has (listing the known names), ConfigError
/// if `random` is negative or exceeds a setting's remaining networks, or nothing is held out.
HeldOutNetworks select_holdout(std::span<const NetworkSample> samples, const HoldoutOptions& options);
/// Every network of every setting (for evaluating fixed predictors on all samples).
HeldOutNetworks all_networks(std::span<const NetworkSample> samples);

/// Networks within this relative error count as accurate (nn-Meter's +-10 %).
inline constexpr double kAccuracyBand = 0.10;

/// One method's prediction of one held-out network and party.
struct MethodOutcome {
    double predicted_ms = 0;
    double error_ms = 0;   // |predicted - measured|
    double error_pct = 0;  // 100 error / measured
    double t_pred_us = 0;  // median wall time of one whole-network prediction (both parties)
};

/// The outcome of `predicted_ms` against `measured_ms` (which must be positive for a
/// finite error_pct).
MethodOutcome score_prediction(double predicted_ms, double measured_ms, double t_pred_us);

struct HeldOutResult {
    std::string network;
    std::string setting;
    Party party = Party::kClient;
    std::size_t repeats = 0;  // samples behind measured_ms
    double measured_ms = 0;   // median over repeats
    std::vector<MethodOutcome> methods;  // parallel to NetworkEvaluationReport::methods
};

/// Summary of one method over the held-out networks of one setting and party.
struct MethodAccuracy {
    std::string method;
    std::string setting;
    Party party = Party::kClient;
    std::size_t networks = 0;
    std::size_t within_band = 0;      // networks with error_pct <= 100 kAccuracyBand
    double within_band_pct = 0;       // 100 within_band / networks
    double mape_pct = 0;              // mean error_pct
    double median_t_pred_us = 0;
};

/// The accuracy summary of `results`, ordered by setting, party, method.
std::vector<MethodAccuracy> summarize_accuracy(const std::vector<std::string>& methods,
                                               std::span<const HeldOutResult> results);

struct NetworkEvaluationReport {
    std::vector<std::string> methods;
    HeldOutNetworks held_out;
    std::vector<HeldOutResult> results;  // ordered by setting, network, party (client first)
    std::vector<MethodAccuracy> accuracy;
    /// Training records that name no network, summed over settings: they are used for
    /// training although they cannot be checked against the held-out list.
    std::size_t records_without_network = 0;
};

struct NetworkEvaluationOptions {
    int timing_repeats = 5;  // predictions timed per network and method; the median is kept
};

/// For each setting of `held_out`: trains every method on that setting's records and
/// samples of the networks not held out, then predicts each held-out network. Throws
/// ConfigError on timing_repeats < 1 or a held-out network without samples, and what the
/// methods throw (InvalidInput prefixed with the setting and method when training fails).
NetworkEvaluationReport evaluate_networks(const Dataset& records, std::span<const NetworkSample> samples,
                                          std::span<const NetworkMethod> methods, const HeldOutNetworks& held_out,
                                          const NetworkEvaluationOptions& options = {});

}  // namespace snnipred::predict
