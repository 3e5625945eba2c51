#pragma once
// The per-layer-type neural predictor: one MLP (mlp.h) per (layer kind, party, setting),
// each found by seeded random-search tuning (tune_mlp). Inputs are the record's raw
// dimensions (required_raw_features order), optionally followed by the protocol features
// (feature_sets.h) and, when a group mixes sub-protocols (bn's BN1 / BN2_3D), a one-hot
// of the variant. The MLP's log/standardise transforms make them comparable in scale.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "snnipred/predict/mlp.h"
#include "snnipred/predict/predictor.h"

namespace snnipred::predict {

enum class MlpInputs {
    kRaw,          // the raw dimensions only
    kRawProtocol,  // raw dimensions plus the protocol feature set
};

/// "raw" / "raw+protocol".
std::string_view mlp_inputs_name(MlpInputs inputs);
/// Inverse of mlp_inputs_name; throws InvalidInput on an unknown name.
MlpInputs parse_mlp_inputs(std::string_view name);

struct MlpPredictorOptions {
    int trials = 8;          // random-search trials per group
    std::uint64_t seed = 1;  // base seed; each group derives its own
    MlpInputs inputs = MlpInputs::kRawProtocol;
};

/// Progress of a fit: reported after every tuning trial of every group.
struct MlpFitProgress {
    std::string group;    // "kind/party/setting"
    int group_index = 0;  // 0-based
    int groups = 0;
    MlpTrialResult trial;
};
using MlpFitProgressCallback = std::function<void(const MlpFitProgress&)>;

class MlpPredictor : public Predictor {
public:
    using Key = std::tuple<LayerKind, Party, std::string>;  // kind, party, setting

    /// One fitted group: the variants seen in training (sorted; one-hot encoded when
    /// there are several), the regressor, and the ranges of its training inputs and times.
    struct Model {
        std::vector<std::string> variants;
        MlpRegressor regressor;
        double min_time_ms = 0, max_time_ms = 0;
        std::vector<double> input_min, input_max;  // per input
    };

    /// A ReLU network in log space extrapolates exponentially beyond its training shapes
    /// (a held-out fc configuration, the only one with N_O != ~1000, was predicted at
    /// 1e10 ms), so it is not trusted far outside them: every input is clamped to
    /// [min / f, max * f] of its training range and the prediction to [min_time_ms / f,
    /// max_time_ms * f].
    static constexpr double kExtrapolationFactor = 2.0;

    explicit MlpPredictor(MlpPredictorOptions options = {}, MlpFitProgressCallback progress = {});
    /// A fitted predictor rebuilt from saved models (bundle loading). Throws InvalidInput
    /// if a regressor's input count does not match what `options.inputs` produces.
    MlpPredictor(MlpPredictorOptions options, std::map<Key, Model> models);

    /// "mlp/raw" or "mlp/raw+protocol".
    std::string name() const override;
    /// Tunes one MLP per (kind, party, setting) in `records`, groups in key order, each
    /// with a seed derived from options.seed and the key. Throws InvalidInput if `records`
    /// is empty, and as tune_mlp.
    void fit(std::span<const LayerRecord> records) override;
    /// Throws InvalidInput if there is no model for the record's group or its variant was
    /// not seen in training.
    double predict(const LayerRecord& record) const override;

    const MlpPredictorOptions& options() const { return options_; }
    const std::map<Key, Model>& models() const { return models_; }

    /// The input vector of `record` for a model trained on `variants`. Throws InvalidInput
    /// if the record lacks a raw feature or has a variant not in `variants`.
    static std::vector<double> inputs(MlpInputs inputs, const LayerRecord& record,
                                      const std::vector<std::string>& variants);
    /// Number of inputs records of `kind` produce for a model trained on `variant_count`
    /// variants.
    static std::size_t input_count(MlpInputs inputs, LayerKind kind, std::size_t variant_count);

private:
    MlpPredictorOptions options_;
    MlpFitProgressCallback progress_;
    std::map<Key, Model> models_;
};

}  // namespace snnipred::predict
